"""robots.txt: fetched once per host, honoured, with a clear error."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from iom_scrape.errors import RobotsDisallowed
from iom_scrape.fetch import Fetcher, FetchFailure, Page
from iom_scrape.fetch.page import PageHeaders
from iom_scrape.fetch.robots import rules_from_response
from iom_scrape.fetch.transport import Response
from tests.fetch.fetch_server import FaultServer, ServerState

pytestmark = pytest.mark.timeout(30)


def test_disallowed_url_raises_and_is_never_requested(
    fetcher: Fetcher, base: str, state: ServerState, token: str
) -> None:
    with pytest.raises(RobotsDisallowed) as caught:
        fetcher.fetch(f"{base}/private/{token}")
    assert caught.value.url == f"{base}/private/{token}"
    assert "robots.txt" in str(caught.value)
    assert state.requests(f"/private/{token}") == []


def test_robots_is_fetched_once_per_host(
    make_fetcher: Callable[..., Fetcher], base: str, state: ServerState, token: str
) -> None:
    before = len(state.requests("/robots.txt"))
    fetcher = make_fetcher()
    results = list(fetcher.fetch_many([f"{base}/page?t={token}&n={n}" for n in range(6)]))
    assert all(isinstance(r, Page) for r in results)
    fetcher.fetch(f"{base}/latin1")
    assert len(state.requests("/robots.txt")) - before == 1


def test_redirect_into_a_disallowed_path_is_refused(
    fetcher: Fetcher, base: str, state: ServerState, token: str
) -> None:
    with pytest.raises(RobotsDisallowed):
        fetcher.fetch(f"{base}/to?location=/private/{token}")
    assert state.requests(f"/private/{token}") == []


def test_robots_can_be_switched_off(
    make_fetcher: Callable[..., Fetcher], base: str, token: str
) -> None:
    page = make_fetcher(respect_robots=False).fetch(f"{base}/private/{token}")
    assert page.content == b"secret"


def test_fetch_many_reports_disallowed_urls_as_failures(
    fetcher: Fetcher, base: str, token: str
) -> None:
    results = list(fetcher.fetch_many([f"{base}/private/{token}", f"{base}/page?t={token}"]))
    failures = [r for r in results if isinstance(r, FetchFailure)]
    assert [f.error_type for f in failures] == ["RobotsDisallowed"]


def test_crawl_delay_spaces_requests(
    make_fetcher: Callable[..., Fetcher], crawl_delay_server: FaultServer, token: str
) -> None:
    fetcher = make_fetcher(per_host_delay=0.0)
    host = crawl_delay_server.base
    list(fetcher.fetch_many([f"{host}/page?t={token}&n={n}" for n in range(2)]))
    first, second = sorted(r.started for r in crawl_delay_server.state.requests("/page", token))
    assert second - first >= 0.9  # robots.txt asks for 1 s (ours: none); arrival jitter


def robots_answer(status: int, body: bytes = b"") -> Response:
    return Response("http://legacy.example/robots.txt", status, PageHeaders({}), body)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(404, True), (410, True), (500, True), (401, False), (403, False)],
)
def test_robots_status_meaning(status: int, allowed: bool) -> None:
    rules = rules_from_response(robots_answer(status))
    assert rules.can_fetch("iom_scrape", "http://legacy.example/jahia/Jahia/pid/1") is allowed


def test_robots_rules_for_our_agent() -> None:
    body = b"User-agent: iom_scrape\nDisallow: /jahia/Jahia/op/\n\nUser-agent: *\nDisallow: /\n"
    rules = rules_from_response(robots_answer(200, body))
    assert rules.can_fetch("iom_scrape", "http://legacy.example/jahia/Jahia/pid/1")
    assert not rules.can_fetch("iom_scrape", "http://legacy.example/jahia/Jahia/op/edit/pid/1")
