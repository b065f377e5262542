"""The on-disk cache: revalidation, freshness, offline mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from iom_scrape.errors import OfflineCacheMiss
from iom_scrape.fetch import Fetcher
from tests.fetch.fetch_server import LAST_MODIFIED, PAGE_HTML, ServerState

pytestmark = pytest.mark.timeout(30)


def test_etag_revalidation_reuses_the_stored_body(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str, tmp_path: Path
) -> None:
    url = f"{base}/etag?t={token}"
    first = make_fetcher(cache_dir=tmp_path).fetch(url)
    second = make_fetcher(cache_dir=tmp_path).fetch(url)
    assert not first.from_cache and second.from_cache
    assert second.content == first.content == PAGE_HTML
    requests = state.requests("/etag", token)
    assert [r.status for r in requests] == [200, 304]
    assert requests[1].header("If-None-Match") == f'"v1-{token}"'


def test_last_modified_revalidation(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str, tmp_path: Path
) -> None:
    url = f"{base}/lastmod?t={token}"
    make_fetcher(cache_dir=tmp_path).fetch(url)
    again = make_fetcher(cache_dir=tmp_path).fetch(url)
    assert again.from_cache
    requests = state.requests("/lastmod", token)
    assert requests[1].header("If-Modified-Since") == LAST_MODIFIED
    assert requests[1].status == 304


def test_fresh_entry_is_served_without_a_request(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str, tmp_path: Path
) -> None:
    url = f"{base}/fresh?t={token}"
    make_fetcher(cache_dir=tmp_path).fetch(url)
    assert make_fetcher(cache_dir=tmp_path).fetch(url).from_cache
    assert len(state.requests("/fresh", token)) == 1


def test_cache_ttl_overrides_http_rules(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str, tmp_path: Path
) -> None:
    url = f"{base}/page?t={token}"
    make_fetcher(cache_dir=tmp_path).fetch(url)
    assert make_fetcher(cache_dir=tmp_path, cache_ttl=3600).fetch(url).from_cache
    assert not make_fetcher(cache_dir=tmp_path).fetch(url).from_cache  # no validators
    assert len(state.requests("/page", token)) == 2


def test_no_store_is_not_stored(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str, tmp_path: Path
) -> None:
    url = f"{base}/nostore?t={token}"
    make_fetcher(cache_dir=tmp_path).fetch(url)
    with pytest.raises(OfflineCacheMiss):
        make_fetcher(cache_dir=tmp_path, offline=True).fetch(url)


def test_offline_reads_only_the_cache(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str, tmp_path: Path
) -> None:
    url = f"{base}/redirect?n=2&t={token}"
    online = make_fetcher(cache_dir=tmp_path).fetch(url)
    seen = len(state.log)
    offline = make_fetcher(cache_dir=tmp_path, offline=True)
    page = offline.fetch(url)
    assert page.from_cache and page.content == online.content
    assert page.final_url == online.final_url and page.redirects == online.redirects
    with pytest.raises(OfflineCacheMiss) as caught:
        offline.fetch(f"{base}/page?t={token}&never-fetched=1")
    assert caught.value.url.endswith("never-fetched=1")
    assert len(state.log) == seen  # nothing left the machine, not even robots.txt


def test_corrupt_entry_is_a_miss(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str, tmp_path: Path
) -> None:
    url = f"{base}/fresh?t={token}"
    make_fetcher(cache_dir=tmp_path).fetch(url)
    for meta in tmp_path.rglob("*.json"):
        meta.write_text("{not json")
    assert not make_fetcher(cache_dir=tmp_path).fetch(url).from_cache
    assert len(state.requests("/fresh", token)) == 2
