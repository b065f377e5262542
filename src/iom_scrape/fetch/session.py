"""The HTTP layer under both fetchers: limits, retries, redirects and robots.txt.

Each layer wraps the one below it:
``follow`` (redirect chain, robots per hop) -> ``attempts`` (retry schedule,
slots released while waiting) -> ``send`` (global and per-host slots) ->
``send_once`` (one bounded httpx exchange). Status codes are judged only at
the end, by :func:`raise_for_status`, so the robots loader and the archive can
look at a 404 without an exception.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from iom_scrape.errors import (
    FetchConnectError,
    FetchStatusError,
    FetchTimeout,
    InvalidUrl,
    RateLimited,
    RedirectLoop,
    RobotsDisallowed,
    TooManyRedirects,
    TruncatedBody,
    UnsupportedScheme,
)
from iom_scrape.fetch.limits import HostSlots, host_key
from iom_scrape.fetch.options import ROBOTS_AGENT, FetchOptions
from iom_scrape.fetch.retry import RETRYABLE_STATUSES, RetrySchedule, retry_after_of
from iom_scrape.fetch.robots import RobotsRules
from iom_scrape.fetch.transport import REDIRECT_STATUSES, Response, send_once

RETRYABLE_ERRORS = (FetchTimeout, FetchConnectError, TruncatedBody)
"""Transport failures worth another attempt (a flaky network, an overloaded host)."""
WEB_SCHEMES = frozenset({"http", "https"})
ROBOTS_MAX_REDIRECTS = 5
"""RFC 9309: crawlers follow at least five redirects for robots.txt."""
ACCEPT_ENCODING = "gzip, deflate, br"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The last response of a redirect chain, with the chain and the attempts it took."""

    response: Response
    redirects: tuple[str, ...]
    attempts: int


def raise_for_status(outcome: Outcome, url: str) -> None:
    """Turn an error status into FetchStatusError (RateLimited for 429)."""
    response = outcome.response
    if response.status < 400:
        return
    tries = f" after {outcome.attempts} attempts" if outcome.attempts > 1 else ""
    if response.status == 429:
        retry_after = retry_after_of(response.headers)
        raise RateLimited(
            f"the server kept answering 429 Too Many Requests{tries}",
            url=url,
            retry_after=retry_after,
            cause=f"HTTP 429 from {response.url}",
        )
    raise FetchStatusError(
        f"the server answered HTTP {response.status}{tries}",
        url=url,
        status=response.status,
        cause=f"HTTP {response.status} from {response.url}",
    )


def check_web_url(url: str) -> None:
    """Refuse anything but http(s) URLs with a host, before any I/O."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in WEB_SCHEMES:
        raise UnsupportedScheme(
            f"only http and https URLs are fetched, not {parts.scheme or 'a bare path'!r}",
            url=url,
            cause="allow_local_files=True enables file:// URLs",
        )
    if not parts.hostname:
        raise InvalidUrl("the URL has no host", url=url)


def check_chain(url: str, chain: list[str], target: str, limit: int) -> None:
    """Refuse a redirect back into the chain, or one past the limit."""
    seen = {urldefrag(u).url for u in chain}
    if urldefrag(target).url in seen:
        raise RedirectLoop(
            "the redirects lead back to a URL already visited",
            url=url,
            cause=" -> ".join([*chain, target]),
        )
    if len(chain) > limit:
        raise TooManyRedirects(
            f"more than max_redirects={limit} redirects",
            url=url,
            cause=" -> ".join([*chain, target]),
        )


def build_client(options: FetchOptions) -> httpx.AsyncClient:
    """The shared httpx client: our timeouts, pool size and User-Agent, no auto-redirects."""
    timeout = httpx.Timeout(
        options.timeout,
        connect=options.connect_timeout,
        read=options.read_timeout,
        pool=None,  # waiting for a pooled connection is our own limit's business
    )
    limits = httpx.Limits(
        max_connections=options.concurrency, max_keepalive_connections=options.concurrency
    )
    headers = {"User-Agent": options.agent_string(), "Accept-Encoding": ACCEPT_ENCODING}
    return httpx.AsyncClient(
        timeout=timeout, limits=limits, headers=headers, follow_redirects=False
    )


class HttpSession:
    """Polite, retrying GETs with redirect and robots.txt handling."""

    def __init__(self, options: FetchOptions) -> None:
        self.options = options
        self.client = build_client(options)
        self.slots = HostSlots(options.per_host_concurrency, options.per_host_delay)
        self._in_flight = asyncio.Semaphore(options.concurrency)
        self.robots = RobotsRules(ROBOTS_AGENT, self._load_robots)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.client.aclose()

    async def send(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """One GET within the global and per-host limits."""
        async with self._in_flight, self.slots.slot(host_key(url)):
            return await send_once(
                self.client,
                url,
                headers=headers or {},
                max_bytes=self.options.max_bytes,
                total_timeout=self.options.timeout,
            )

    async def attempts(self, url: str, headers: dict[str, str]) -> tuple[Response, int]:
        """GET with retries; returns the last response and the number of attempts made.

        Waits happen outside the host slot, so one struggling URL does not hold
        back the others. A transport error that outlives the schedule is raised.
        """
        schedule = RetrySchedule(self.options)
        while True:
            try:
                response = await self.send(url, headers)
            except RETRYABLE_ERRORS as exc:
                delay = schedule.next_delay()
                if delay is None:
                    if schedule.attempts > 1:
                        exc.message += f" (after {schedule.attempts} attempts)"
                    raise
                await asyncio.sleep(delay)
                continue
            if response.status not in RETRYABLE_STATUSES:
                return response, schedule.attempts
            delay = schedule.next_delay(retry_after_of(response.headers))
            if delay is None:
                return response, schedule.attempts
            await asyncio.sleep(delay)

    async def follow(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        *,
        robots: bool = True,
        max_redirects: int | None = None,
    ) -> Outcome:
        """Follow redirects by hand: count them, detect loops, check robots.txt per hop."""
        limit = self.options.max_redirects if max_redirects is None else max_redirects
        chain = [url]
        attempts = 0
        while True:
            current = chain[-1]
            check_web_url(current)
            if robots:
                await self._obey_robots(current)
            response, tries = await self.attempts(current, headers or {})
            attempts += tries
            target = self._redirect_target(response)
            if target is None:
                return Outcome(response, tuple(chain[:-1]), attempts)
            check_chain(url, chain, target, limit)
            chain.append(target)

    @staticmethod
    def _redirect_target(response: Response) -> str | None:
        location = response.headers.get("location")
        if response.status not in REDIRECT_STATUSES or not location:
            return None
        return urljoin(response.url, location.strip())

    async def _obey_robots(self, url: str) -> None:
        if not await self.robots.allows(url):
            raise RobotsDisallowed(
                "robots.txt of the host disallows this URL",
                url=url,
                cause=f"{ROBOTS_AGENT} is disallowed by {urljoin(url, '/robots.txt')}",
            )
        crawl_delay = await self.robots.crawl_delay(url)
        if crawl_delay:
            self.slots.slow_down(host_key(url), crawl_delay)

    async def _load_robots(self, robots_url: str) -> Response:
        """Download robots.txt, following a few redirects of its own."""
        limit = min(self.options.max_redirects, ROBOTS_MAX_REDIRECTS)
        return (await self.follow(robots_url, robots=False, max_redirects=limit)).response
