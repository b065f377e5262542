"""Fixtures of the fetcher tests: the fault server, fresh tokens and fast options."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from iom_scrape.fetch import Fetcher
from tests.fetch.fetch_server import FaultServer, ServerState, start_server

CRAWL_DELAY_ROBOTS = b"User-agent: iom_scrape\nCrawl-delay: 1\nDisallow: /private/\n"


@pytest.fixture(scope="session")
def fault_server() -> Iterator[FaultServer]:
    """One real HTTP server on 127.0.0.1 for the whole session."""
    server, thread = start_server()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def crawl_delay_server() -> Iterator[FaultServer]:
    """A second host whose robots.txt asks for a Crawl-delay."""
    server, thread = start_server(robots=CRAWL_DELAY_ROBOTS)
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def base(fault_server: FaultServer) -> str:
    """``http://127.0.0.1:<port>`` of the fault server."""
    return fault_server.base


@pytest.fixture
def state(fault_server: FaultServer) -> ServerState:
    """The server's request log and counters."""
    return fault_server.state


@pytest.fixture
def token() -> str:
    """A fresh token, so stateful routes and log filters are this test's own."""
    return uuid.uuid4().hex[:12]


@pytest.fixture(scope="session")
def dead_base() -> str:
    """A loopback address nothing listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def fast_options(base: str) -> dict[str, Any]:
    """Options that keep every wait short (tests read real delays from the server log)."""
    return {
        "backoff": 0.05,
        "jitter": 0.0,
        "per_host_delay": 0.0,
        "per_host_concurrency": 8,
        "concurrency": 8,
        "timeout": 10.0,
        "connect_timeout": 2.0,
        "read_timeout": 5.0,
        "contact": "migration-team@example.org",
        "wayback_url": base,
        "wayback_lookups_per_minute": 6000.0,
        "wayback_backoff": 0.05,
    }


@pytest.fixture
def make_fetcher(fast_options: dict[str, Any]) -> Iterator[Callable[..., Fetcher]]:
    """Build fetchers with fast options plus overrides; all are closed after the test."""
    made: list[Fetcher] = []

    def build(**overrides: Any) -> Fetcher:
        fetcher = Fetcher(**{**fast_options, **overrides})
        made.append(fetcher)
        return fetcher

    yield build
    for fetcher in made:
        fetcher.close()


@pytest.fixture
def fetcher(make_fetcher: Callable[..., Fetcher]) -> Fetcher:
    """A fetcher with fast options."""
    return make_fetcher()
