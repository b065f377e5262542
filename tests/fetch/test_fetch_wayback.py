"""The Wayback path against the fake archive: look-ups, raw replays, fallbacks, pacing."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from iom_scrape.errors import ArchiveNotFound, FetchStatusError, OfflineCacheMiss, RateLimited
from iom_scrape.fetch import Fetcher, canonical_url
from iom_scrape.fetch.wayback import parse_availability, parse_cdx
from tests.fetch.fetch_server import ServerState

pytestmark = pytest.mark.timeout(30)

LEGACY_PATH = "/jahia/Jahia/media/press-briefing-notes/lang/en/pid/{}"


def legacy(base: str, token: str, marker: str = "") -> str:
    """A legacy page URL unique to the test (markers steer the fake archive)."""
    return f"{base}{marker}{LEGACY_PATH.format(token)}"


def test_archive_only_replays_the_raw_capture(
    fetcher: Fetcher, base: str, dead_base: str, state: ServerState, token: str
) -> None:
    url = legacy(dead_base, token)
    page = fetcher.fetch(url, archive="only", timestamp="2010")
    assert page.url == url
    assert page.final_url == f"{base}/web/20100315093000id_/{url}"
    assert page.archived_at == dt.datetime(2010, 3, 15, 9, 30, tzinfo=dt.UTC)
    lookup = state.requests_containing(token)[0]
    assert lookup.path == "/cdx/search/cdx"
    assert lookup.query["closest"] == "2010" and lookup.query["output"] == "json"


def test_archived_page_decodes_with_the_original_charset(
    fetcher: Fetcher, dead_base: str, token: str
) -> None:
    page = fetcher.fetch(legacy(dead_base, token), archive="only")
    assert page.headers["x-archive-orig-content-type"] == "text/html; charset=ISO-8859-1"
    assert page.encoding == "iso-8859-1"
    assert "Archived Genève 20120601000000" in page.text
    assert page.archived_at == dt.datetime(2012, 6, 1, tzinfo=dt.UTC)  # latest capture


def test_auto_falls_back_on_404(fetcher: Fetcher, base: str, token: str) -> None:
    url = legacy(base, token)  # the live server answers 404 for it
    page = fetcher.fetch(url, archive="auto", timestamp="20090101")
    assert page.archived_at == dt.datetime(2009, 1, 1, 12, tzinfo=dt.UTC)


def test_auto_falls_back_on_connection_error(fetcher: Fetcher, dead_base: str, token: str) -> None:
    page = fetcher.fetch(legacy(dead_base, token), archive="auto")
    assert page.archived_at is not None


def test_auto_does_not_fall_back_on_a_server_error(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(max_retries=0)
    with pytest.raises(FetchStatusError) as caught:
        fetcher.fetch(f"{base}/status?code=500&t={token}", archive="auto")
    assert caught.value.status == 500
    assert [r.path for r in state.requests_containing(token)] == ["/status"]


def test_never_does_not_ask_the_archive(
    fetcher: Fetcher, base: str, state: ServerState, token: str
) -> None:
    with pytest.raises(FetchStatusError):
        fetcher.fetch(legacy(base, token))
    assert [r.path for r in state.requests_containing(token)] == [LEGACY_PATH.format(token)]


def test_no_capture_is_archive_not_found(fetcher: Fetcher, dead_base: str, token: str) -> None:
    url = legacy(dead_base, token, "/never-archived")
    with pytest.raises(ArchiveNotFound) as caught:
        fetcher.fetch(url, archive="only")
    assert caught.value.url == url


def test_auto_reports_both_failures(fetcher: Fetcher, base: str, token: str) -> None:
    with pytest.raises(ArchiveNotFound) as caught:
        fetcher.fetch(legacy(base, token, "/never-archived"), archive="auto")
    assert "HTTP 404" in str(caught.value) and "no capture" in (caught.value.cause or "")
    assert isinstance(caught.value.__cause__, FetchStatusError)


def test_availability_api_when_cdx_fails(
    fetcher: Fetcher, dead_base: str, state: ServerState, token: str
) -> None:
    page = fetcher.fetch(legacy(dead_base, token, "/cdx-down"), archive="only", timestamp="2009")
    assert page.archived_at == dt.datetime(2009, 1, 1, 12, tzinfo=dt.UTC)
    paths = [r.path for r in state.requests_containing(token)]
    assert paths[:2] == ["/cdx/search/cdx", "/wayback/available"]


def test_partial_timestamp_redirects_to_the_nearest_capture(
    fetcher: Fetcher, base: str, dead_base: str, state: ServerState, token: str
) -> None:
    url = legacy(dead_base, token, "/apis-down")
    page = fetcher.fetch(url, archive="only", timestamp="201003")
    assert page.redirects == (f"{base}/web/201003id_/{url}",)
    assert page.final_url == f"{base}/web/20100315093000id_/{url}"
    assert page.archived_at == dt.datetime(2010, 3, 15, 9, 30, tzinfo=dt.UTC)


def test_lookups_are_paced(
    make_fetcher: Callable[..., Fetcher], dead_base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(wayback_lookups_per_minute=120)  # one every 0.5 s
    urls = [legacy(dead_base, f"{token}-{n}") for n in range(3)]
    list(fetcher.fetch_many(urls, archive="only"))
    starts = sorted(r.started for r in state.requests("/cdx/search/cdx") if token in r.query["url"])
    assert len(starts) == 3
    # 0.5 s apart when sent; the server sees arrival times, so allow 10% of jitter
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.45


def test_lookup_429_pauses_and_retries(
    fetcher: Fetcher, dead_base: str, state: ServerState, token: str
) -> None:
    page = fetcher.fetch(legacy(dead_base, token, "/lookup-429"), archive="only")
    assert page.archived_at is not None
    refused, accepted = [r for r in state.requests("/cdx/search/cdx") if token in r.query["url"]]
    assert refused.status == 429 and accepted.status == 200
    assert accepted.started - refused.finished >= 0.95  # Retry-After: 1


def test_lookup_429_past_the_cap_stops(
    make_fetcher: Callable[..., Fetcher], dead_base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(max_retry_after=0.5)
    with pytest.raises(RateLimited):
        fetcher.fetch(legacy(dead_base, token, "/lookup-429"), archive="only")
    assert len(state.requests_containing(token)) == 1  # no second API, no replay


def test_offline_archive_from_cache(
    make_fetcher: Callable[..., Fetcher],
    dead_base: str,
    state: ServerState,
    token: str,
    tmp_path: Path,
) -> None:
    url = legacy(dead_base, token)
    online = make_fetcher(cache_dir=tmp_path).fetch(url, archive="auto", timestamp="2010")
    seen = len(state.log)
    offline = make_fetcher(cache_dir=tmp_path, offline=True)
    page = offline.fetch(url, archive="auto", timestamp="2010")
    assert page.from_cache and page.content == online.content
    assert page.archived_at == online.archived_at
    with pytest.raises(OfflineCacheMiss):
        offline.fetch(url, archive="only", timestamp="2012")
    assert len(state.log) == seen


def test_bad_timestamp_is_refused(fetcher: Fetcher, dead_base: str) -> None:
    with pytest.raises(ValueError, match="not a Wayback timestamp"):
        fetcher.fetch(f"{dead_base}/x", archive="only", timestamp="last spring")


def test_parse_cdx_answers() -> None:
    header = '["urlkey","timestamp","original","mimetype","statuscode","digest","length"]'
    row = '["int,iom)/","20100315093000","http://www.iom.int/","text/html","200","D","9"]'
    snapshot = parse_cdx(f"[{header},{row}]".encode(), "http://iom.int/")
    assert snapshot is not None
    assert (snapshot.timestamp, snapshot.original) == ("20100315093000", "http://www.iom.int/")
    assert parse_cdx(b"[]", "u") is None and parse_cdx(b"", "u") is None


def test_parse_availability_answers() -> None:
    found = (
        b'{"url":"iom.int","archived_snapshots":{"closest":{"available":true,'
        b'"url":"http://web.archive.org/web/20100315093000/http://iom.int/",'
        b'"timestamp":"20100315093000","status":"200"}}}'
    )
    snapshot = parse_availability(found, "http://iom.int/")
    assert snapshot is not None and snapshot.timestamp == "20100315093000"
    assert parse_availability(b'{"url":"x","archived_snapshots":{}}', "x") is None


def test_an_archived_page_parses_with_the_original_sites_urls(
    fetcher: Fetcher, dead_base: str, token: str
) -> None:
    url = legacy(dead_base, token)
    page = fetcher.fetch(url, archive="only", timestamp="2010")
    article = page.parse()
    assert article.source_url == page.final_url  # the replay the bytes came from
    assert article.canonical_url == canonical_url(url)
    photo = "/jahia/webdav/shared/shared/mainsite/media/photos/pbn/ch20100315_1.jpg"
    assert [image.url for image in article.images] == [dead_base + photo]
    assert [link.url for link in article.links] == [f"{dead_base}/jahia/Jahia/appeals"]
