"""robots.txt: fetched once per host, consulted before every request to it.

Concurrent fetches to a new host wait on one download of its robots.txt rather
than each asking for it. Following RFC 9309, a missing file (4xx) allows
everything and 401/403 forbid everything. A robots.txt answering 5xx after
retries is read as "no rules": the page request that follows meets the same
server error on its own. An unreachable host fails the page with the same
connection error (so ``archive="auto"`` can step in), and for
``UNREACHABLE_MEMORY`` seconds other URLs of that host fail at once instead of
each waiting through its own retries; after that the download is tried again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from iom_scrape.errors import FetchConnectError, FetchError, FetchTimeout
from iom_scrape.fetch.transport import Response

logger = logging.getLogger(__name__)

FORBIDDING_STATUSES = frozenset({401, 403})
"""A robots.txt behind authentication means the site wants no crawler at all."""
DISALLOW_ALL = ["User-agent: *", "Disallow: /"]
UNREACHABLE_MEMORY = 30.0
"""Seconds an unreachable robots.txt fails its host's URLs at once before a new try."""
MAX_CRAWL_DELAY = 60.0
"""A larger ``Crawl-delay`` is clamped: one URL a minute is already very slow."""

RobotsLoader = Callable[[str], Awaitable[Response]]
"""Fetches a robots.txt URL (retries and limits included); raises FetchError on failure."""


def origin_of(url: str) -> str:
    """``scheme://host[:port]``: robots.txt rules apply per origin.

    >>> origin_of("http://www.iom.int/jahia/Jahia/pid/1?x=1")
    'http://www.iom.int'
    """
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def rules_from_response(response: Response) -> RobotFileParser:
    """Turn the robots.txt answer into rules (allow-all and disallow-all included)."""
    parser = RobotFileParser()
    if response.status in FORBIDDING_STATUSES:
        parser.parse(DISALLOW_ALL)
    elif 200 <= response.status < 300:
        parser.parse(response.content.decode("utf-8", errors="replace").splitlines())
    else:
        parser.parse([])  # no rules: everything allowed
    return parser


def allow_everything() -> RobotFileParser:
    """Rules for a host whose robots.txt could not be read."""
    parser = RobotFileParser()
    parser.parse([])  # parse() also marks the rules as read, without which nothing is allowed
    return parser


class RobotsRules:
    """The robots.txt rules of every host met so far, each downloaded once."""

    def __init__(self, agent: str, loader: RobotsLoader) -> None:
        self._agent = agent
        self._loader = loader
        self._rules: dict[str, RobotFileParser] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._unreachable: dict[str, tuple[float, FetchError]] = {}

    async def rules_for(self, url: str) -> RobotFileParser:
        """The rules of ``url``'s origin, downloading them on first use."""
        origin = origin_of(url)
        if origin in self._rules:
            return self._rules[origin]
        async with self._locks.setdefault(origin, asyncio.Lock()):
            if origin not in self._rules:
                self._raise_if_unreachable(origin, url)
                self._rules[origin] = await self._download(origin, url)
        return self._rules[origin]

    def _raise_if_unreachable(self, origin: str, url: str) -> None:
        failed = self._unreachable.get(origin)
        if failed and time.monotonic() - failed[0] < UNREACHABLE_MEMORY:
            error = failed[1]
            raise type(error)(error.message, url=url, cause=error.cause)

    async def _download(self, origin: str, url: str) -> RobotFileParser:
        try:
            return rules_from_response(await self._loader(f"{origin}/robots.txt"))
        except (FetchConnectError, FetchTimeout) as exc:
            self._unreachable[origin] = (time.monotonic(), exc)
            raise type(exc)(exc.message, url=url, cause=f"robots.txt: {exc.cause}") from exc
        except FetchError as exc:
            logger.warning("robots.txt of %s unreadable, fetching without rules: %s", origin, exc)
            return allow_everything()

    async def allows(self, url: str) -> bool:
        """May our agent fetch ``url``?"""
        return (await self.rules_for(url)).can_fetch(self._agent, url)

    async def crawl_delay(self, url: str) -> float:
        """The host's ``Crawl-delay`` for our agent (0 when none), clamped."""
        delay = (await self.rules_for(url)).crawl_delay(self._agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0
