"""Limits: body size, decompression bombs, redirects, schemes, politeness, User-Agent."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from iom_scrape.errors import (
    BodyTooLarge,
    RedirectLoop,
    TooManyRedirects,
    UnsupportedScheme,
)
from iom_scrape.fetch import Fetcher, Page
from tests.fetch.fetch_server import PAGE_HTML, ServerState

pytestmark = pytest.mark.timeout(30)


def test_announced_oversized_body_is_refused_before_reading(
    make_fetcher: Callable[..., Fetcher], base: str
) -> None:
    fetcher = make_fetcher(max_bytes=10_000)
    with pytest.raises(BodyTooLarge) as caught:
        fetcher.fetch(f"{base}/big?size=50000")
    assert "Content-Length 50000" in (caught.value.cause or "")


def test_body_at_the_limit_is_accepted(make_fetcher: Callable[..., Fetcher], base: str) -> None:
    page = make_fetcher(max_bytes=10_000).fetch(f"{base}/big?size=10000")
    assert len(page.content) == 10_000


def test_endless_stream_is_cut_past_max_bytes(
    make_fetcher: Callable[..., Fetcher], base: str
) -> None:
    fetcher = make_fetcher(max_bytes=1_000_000, max_retries=0)
    with pytest.raises(BodyTooLarge) as caught:
        fetcher.fetch(f"{base}/endless")
    assert "on the wire" in (caught.value.cause or "")


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_decompression_bomb_is_stopped(
    make_fetcher: Callable[..., Fetcher], base: str, encoding: str
) -> None:
    fetcher = make_fetcher(max_bytes=1_000_000)
    with pytest.raises(BodyTooLarge) as caught:
        fetcher.fetch(f"{base}/bomb?enc={encoding}")
    assert "decompressed" in (caught.value.cause or "")


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_compressed_pages_are_decoded(fetcher: Fetcher, base: str, encoding: str) -> None:
    assert fetcher.fetch(f"{base}/compressed?enc={encoding}").content == PAGE_HTML


def test_redirect_chain_is_followed_and_recorded(fetcher: Fetcher, base: str, token: str) -> None:
    page = fetcher.fetch(f"{base}/redirect?n=3&t={token}")
    assert page.final_url == f"{base}/page"
    assert page.redirects == (
        f"{base}/redirect?n=3&t={token}",
        f"{base}/redirect?n=2&t={token}",
        f"{base}/redirect?n=1&t={token}",
    )
    assert page.url == f"{base}/redirect?n=3&t={token}"


def test_too_many_redirects(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(max_redirects=2)
    with pytest.raises(TooManyRedirects):
        fetcher.fetch(f"{base}/redirect?n=5&t={token}")
    assert len(state.requests("/redirect", token)) == 3


def test_redirect_loop_is_detected(fetcher: Fetcher, base: str) -> None:
    with pytest.raises(RedirectLoop) as caught:
        fetcher.fetch(f"{base}/loop-a")
    assert caught.value.cause == f"{base}/loop-a -> {base}/loop-b -> {base}/loop-a"


@pytest.mark.parametrize("url", ["ftp://ftp.iom.int/pub/report.pdf", "gopher://x/1", "/relative"])
def test_only_http_and_https(fetcher: Fetcher, url: str) -> None:
    with pytest.raises(UnsupportedScheme):
        fetcher.fetch(url)


def test_redirect_to_another_scheme_is_refused(fetcher: Fetcher, base: str) -> None:
    with pytest.raises(UnsupportedScheme):
        fetcher.fetch(f"{base}/to?location=file:///etc/passwd")


def test_local_files_need_the_explicit_option(
    make_fetcher: Callable[..., Fetcher], tmp_path: Path
) -> None:
    saved = tmp_path / "pbn-saved.html"
    saved.write_bytes(PAGE_HTML)
    with pytest.raises(UnsupportedScheme):
        make_fetcher().fetch(saved.as_uri())
    page = make_fetcher(allow_local_files=True).fetch(saved.as_uri())
    assert page.content == PAGE_HTML
    assert page.headers["content-type"] == "text/html"


def test_user_agent_names_library_and_contact(
    fetcher: Fetcher, base: str, state: ServerState, token: str
) -> None:
    fetcher.fetch(f"{base}/page?t={token}")
    agent = state.requests("/page", token)[0].header("User-Agent") or ""
    assert agent.startswith("iom_scrape/")
    assert "migration-team@example.org" in agent


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    """Most intervals open at one moment."""
    events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    open_now = peak = 0
    for _, change in events:
        open_now += change
        peak = max(peak, open_now)
    return peak


def test_per_host_concurrency_is_a_ceiling(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(per_host_concurrency=2, concurrency=8)
    urls = [f"{base}/slow?delay=0.3&t={token}&n={n}" for n in range(6)]
    results = list(fetcher.fetch_many(urls))
    assert all(isinstance(r, Page) for r in results)
    requests = state.requests("/slow", token)
    assert max_overlap([(r.started, r.finished) for r in requests]) == 2


def test_per_host_delay_spaces_request_starts(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(per_host_delay=0.2, per_host_concurrency=4)
    list(fetcher.fetch_many([f"{base}/page?t={token}&n={n}" for n in range(4)]))
    starts = sorted(r.started for r in state.requests("/page", token))
    assert len(starts) == 4
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.17  # arrival jitter
