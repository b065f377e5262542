"""Retries, backoff, Retry-After and timeouts, measured by the server's own log."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from iom_scrape.errors import (
    FetchConnectError,
    FetchStatusError,
    FetchTimeout,
    RateLimited,
    TruncatedBody,
)
from iom_scrape.fetch import Fetcher
from tests.fetch.fetch_server import LoggedRequest, ServerState

pytestmark = pytest.mark.timeout(30)


def gaps(requests: list[LoggedRequest]) -> list[float]:
    """Seconds between the end of one attempt and the start of the next."""
    return [b.started - a.finished for a, b in itertools.pairwise(requests)]


def test_500_then_200_is_retried_until_it_succeeds(
    fetcher: Fetcher, base: str, state: ServerState, token: str
) -> None:
    page = fetcher.fetch(f"{base}/flaky?t={token}&fail=2")
    assert page.status == 200
    assert [r.status for r in state.requests("/flaky", token)] == [500, 500, 200]


def test_backoff_grows_exponentially(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(backoff=0.2)
    fetcher.fetch(f"{base}/flaky?t={token}&fail=3&status=503")
    first, second, third = gaps(state.requests("/flaky", token))
    assert first >= 0.19 and second >= 0.39 and third >= 0.79
    assert second > first * 1.5 and third > second * 1.5


def test_persistent_500_gives_up_after_max_retries(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(max_retries=2)
    with pytest.raises(FetchStatusError) as caught:
        fetcher.fetch(f"{base}/flaky?t={token}&fail=99")
    assert caught.value.status == 500
    assert caught.value.url == f"{base}/flaky?t={token}&fail=99"
    assert "after 3 attempts" in str(caught.value)
    assert len(state.requests("/flaky", token)) == 3


def test_404_is_not_retried(fetcher: Fetcher, base: str, state: ServerState, token: str) -> None:
    with pytest.raises(FetchStatusError) as caught:
        fetcher.fetch(f"{base}/status?code=404&t={token}")
    assert caught.value.status == 404
    assert len(state.requests("/status", token)) == 1


def test_501_is_permanent(fetcher: Fetcher, base: str, state: ServerState, token: str) -> None:
    with pytest.raises(FetchStatusError):
        fetcher.fetch(f"{base}/status?code=501&t={token}")
    assert len(state.requests("/status", token)) == 1


@pytest.mark.parametrize("form", ["seconds", "date"])
def test_retry_after_is_honoured(
    fetcher: Fetcher, base: str, state: ServerState, token: str, form: str
) -> None:
    page = fetcher.fetch(f"{base}/retry-after?t={token}&after=2&form={form}")
    assert page.status == 200
    refused, accepted = state.requests("/retry-after", token)
    assert refused.status == 429
    # An HTTP-date has whole seconds: "in 2 s" may mean a little over 1 s from now.
    assert accepted.started - refused.finished >= (1.9 if form == "seconds" else 0.9)


def test_retry_after_on_503_is_honoured(
    fetcher: Fetcher, base: str, state: ServerState, token: str
) -> None:
    fetcher.fetch(f"{base}/retry-after?t={token}&after=1&status=503")
    assert gaps(state.requests("/retry-after", token))[0] >= 0.95


def test_retry_after_past_the_cap_fails_at_once(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(max_retry_after=5)
    with pytest.raises(RateLimited) as caught:
        fetcher.fetch(f"{base}/retry-after?t={token}&after=3600")
    assert caught.value.retry_after == pytest.approx(3600)
    assert caught.value.status == 429
    assert len(state.requests("/retry-after", token)) == 1


def test_retry_budget_stops_retrying(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(max_retries=10, retry_budget=1.5)
    with pytest.raises(RateLimited):
        fetcher.fetch(f"{base}/retry-after?t={token}&after=1&fail=99")
    assert len(state.requests("/retry-after", token)) == 2  # a second wait would pass 1.5 s


def test_read_timeout_is_retried_then_raised(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(read_timeout=0.3, max_retries=1)
    with pytest.raises(FetchTimeout) as caught:
        fetcher.fetch(f"{base}/slow?delay=1.5&t={token}")
    assert "ReadTimeout" in (caught.value.cause or "")
    assert len(state.requests("/slow", token)) == 2


def test_total_timeout_stops_a_trickling_body(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(timeout=0.5, read_timeout=5.0, max_retries=0)
    with pytest.raises(FetchTimeout) as caught:
        fetcher.fetch(f"{base}/trickle?chunks=40&every=0.1&t={token}")
    assert "TimeoutError" in (caught.value.cause or "")


def test_truncated_body_is_retried_and_named(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    fetcher = make_fetcher(max_retries=1)
    with pytest.raises(TruncatedBody):
        fetcher.fetch(f"{base}/truncated?t={token}")
    assert len(state.requests("/truncated", token)) == 2


def test_connection_refused_is_retried_with_backoff(
    make_fetcher: Callable[..., Fetcher], dead_base: str
) -> None:
    fetcher = make_fetcher(max_retries=2, respect_robots=False)
    with pytest.raises(FetchConnectError) as caught:
        fetcher.fetch(f"{dead_base}/jahia/Jahia/pid/1")
    assert "after 3 attempts" in str(caught.value)
    assert caught.value.url == f"{dead_base}/jahia/Jahia/pid/1"
    assert caught.value.stage == "fetch"
