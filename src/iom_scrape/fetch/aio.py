"""AsyncFetcher: the fetching engine (the sync :class:`Fetcher` drives this one).

``fetch`` = cache (fresh? offline?) -> live request through :class:`HttpSession`
-> revalidation or storage; with ``archive="auto"`` a 404/410 or an unreachable
host falls back to the Wayback Machine, with ``"only"`` the archive is used
directly. ``fetch_many`` runs ``concurrency`` workers over the URLs and yields
each result as it completes, a :class:`FetchFailure` in place of an exception.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncGenerator, AsyncIterable, Iterable
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from iom_scrape.errors import (
    ArchiveNotFound,
    FetchConnectError,
    FetchError,
    FetchStatusError,
    OfflineCacheMiss,
)
from iom_scrape.fetch.cache import CacheEntry, PageCache, is_fresh, is_storable, validators
from iom_scrape.fetch.options import ArchiveMode, FetchOptions, resolve_options
from iom_scrape.fetch.page import FetchFailure, Page
from iom_scrape.fetch.session import HttpSession, Outcome, check_web_url, raise_for_status
from iom_scrape.fetch.transport import NOT_MODIFIED, read_local_file
from iom_scrape.fetch.wayback import (
    LookupUnavailable,
    Snapshot,
    WaybackLookups,
    archived_datetime,
    normalise_timestamp,
    replay_timestamp,
    replay_url,
)

GONE_STATUSES = frozenset({404, 410})
"""Live answers that send ``archive="auto"`` to the Wayback Machine."""
CACHEABLE_STATUSES = frozenset({200, 203})
Timestamp = str | dt.date | None


def falls_back_to_archive(error: FetchError) -> bool:
    """Does this live failure mean "the page is gone" (so the archive may have it)?"""
    if isinstance(error, FetchStatusError):
        return error.status in GONE_STATUSES
    # Offline, a page that was archived on an earlier run is only in the cache as a capture.
    return isinstance(error, FetchConnectError | OfflineCacheMiss)


def page_from_entry(entry: CacheEntry, content: bytes, elapsed: float) -> Page:
    """Rebuild a cached page."""
    return Page(
        url=entry.url,
        final_url=entry.final_url,
        status=entry.status,
        headers=entry.headers,
        content=content,
        fetched_at=dt.datetime.fromisoformat(entry.fetched_at),
        elapsed=elapsed,
        redirects=entry.redirects,
        from_cache=True,
        archived_at=dt.datetime.fromisoformat(entry.archived_at) if entry.archived_at else None,
    )


def entry_from_page(page: Page) -> CacheEntry:
    """What the cache keeps of a page (the body is stored beside it)."""
    return CacheEntry(
        url=page.url,
        final_url=page.final_url,
        status=page.status,
        headers=dict(page.headers),
        redirects=page.redirects,
        fetched_at=page.fetched_at.isoformat(),
        archived_at=page.archived_at.isoformat() if page.archived_at else None,
        stored_at=time.time(),
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AsyncFetcher:
    """Polite, resilient retrieval of legacy pages, live or from the Wayback Machine."""

    def __init__(self, options: FetchOptions | None = None, **overrides: Any) -> None:
        self.options = resolve_options(options, overrides)
        self._session = HttpSession(self.options)
        self._cache = PageCache(self.options.cache_dir) if self.options.cache_dir else None
        self._wayback = WaybackLookups(self.options, self._session.send)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close connections (the cache needs no closing)."""
        await self._session.aclose()

    async def fetch(
        self, url: str, *, archive: ArchiveMode = "never", timestamp: Timestamp = None
    ) -> Page:
        """Retrieve one URL; raises a FetchError subclass carrying the URL and the cause."""
        started = time.monotonic()
        wanted = normalise_timestamp(timestamp)
        if archive == "only":
            page = await self._fetch_archived(url, wanted)
        else:
            page = await self._fetch_live_or_archived(url, wanted, fallback=archive == "auto")
        return page.model_copy(update={"elapsed": time.monotonic() - started})

    async def fetch_many(
        self,
        urls: Iterable[str] | AsyncIterable[str],
        *,
        archive: ArchiveMode = "never",
        timestamp: Timestamp = None,
    ) -> AsyncGenerator[Page | FetchFailure, None]:
        """Fetch every URL, ``concurrency`` at a time, yielding results as they complete.

        Never raises mid-run: a URL that fails yields a FetchFailure.
        """
        source = _SharedUrls(urls)
        results: asyncio.Queue[Page | FetchFailure | None] = asyncio.Queue()
        workers = [
            asyncio.create_task(self._work(source, results, archive, timestamp))
            for _ in range(self.options.concurrency)
        ]
        try:
            running = len(workers)
            while running:
                item = await results.get()
                if item is None:
                    running -= 1
                else:
                    yield item
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    async def _work(
        self,
        source: _SharedUrls,
        results: asyncio.Queue[Page | FetchFailure | None],
        archive: ArchiveMode,
        timestamp: Timestamp,
    ) -> None:
        try:
            while (url := await source.next()) is not None:
                results.put_nowait(await self._fetch_or_failure(url, archive, timestamp))
        finally:
            results.put_nowait(None)

    async def _fetch_or_failure(
        self, url: str, archive: ArchiveMode, timestamp: Timestamp
    ) -> Page | FetchFailure:
        try:
            return await self.fetch(url, archive=archive, timestamp=timestamp)
        except FetchError as exc:
            return FetchFailure.from_error(url, exc)
        except Exception as exc:  # the run must go on: a bad timestamp, a full disk, a bug
            error = FetchError(f"unexpected {type(exc).__name__}: {exc}", url=url, cause=repr(exc))
            return FetchFailure.from_error(url, error)

    async def _fetch_live_or_archived(
        self, url: str, wanted: str | None, *, fallback: bool
    ) -> Page:
        try:
            return await self._fetch_live(url)
        except FetchError as live_error:
            if not (fallback and falls_back_to_archive(live_error)):
                raise
            try:
                return await self._fetch_archived(url, wanted)
            except ArchiveNotFound as missing:
                raise ArchiveNotFound(
                    f"{live_error.message}, and the Wayback Machine has no capture",
                    url=url,
                    cause=f"live: {live_error.cause}; archive: {missing.cause}",
                ) from live_error

    async def _fetch_live(self, url: str, *, robots: bool | None = None) -> Page:
        """The live page, from the cache when it is fresh (or when offline)."""
        if urlsplit(url).scheme.lower() == "file" and self.options.allow_local_files:
            return await self._fetch_local(url)
        check_web_url(url)
        cached = await self._load(url)
        if cached and (self.options.offline or self._fresh(cached[0])):
            return page_from_entry(*cached, elapsed=0.0)
        if self.options.offline:
            raise OfflineCacheMiss("offline, and the URL is not in the cache", url=url)
        conditional = validators(cached[0]) if cached else {}
        use_robots = self.options.respect_robots if robots is None else robots
        outcome = await self._session.follow(url, conditional, robots=use_robots)
        if cached and outcome.response.status == NOT_MODIFIED:
            return await self._revalidated(url, cached, outcome)
        raise_for_status(outcome, url)
        return await self._store(self._page_of(url, outcome))

    async def _fetch_local(self, url: str) -> Page:
        response = await asyncio.to_thread(read_local_file, url, self.options.max_bytes)
        return Page(
            url=url,
            final_url=url,
            status=response.status,
            headers=response.headers,
            content=response.content,
            fetched_at=_now(),
            elapsed=0.0,
        )

    @staticmethod
    def _page_of(url: str, outcome: Outcome) -> Page:
        response = outcome.response
        return Page(
            url=url,
            final_url=response.url,
            status=response.status,
            headers=response.headers,
            content=response.content,
            fetched_at=_now(),
            elapsed=0.0,
            redirects=outcome.redirects,
        )

    def _fresh(self, entry: CacheEntry) -> bool:
        return is_fresh(entry, now=time.time(), ttl=self.options.cache_ttl)

    async def _load(self, url: str) -> tuple[CacheEntry, bytes] | None:
        if self._cache is None:
            return None
        return await asyncio.to_thread(self._cache.load, url)

    async def _store(self, page: Page) -> Page:
        storable = page.status in CACHEABLE_STATUSES and is_storable(page.headers)
        if self._cache is not None and storable:
            await asyncio.to_thread(
                self._cache.store, page.url, entry_from_page(page), page.content
            )
        return page

    async def _revalidated(
        self, url: str, cached: tuple[CacheEntry, bytes], outcome: Outcome
    ) -> Page:
        """A 304: serve the stored body, refreshed."""
        assert self._cache is not None  # only a cached entry sends validators
        entry = await asyncio.to_thread(self._cache.touch, url, cached[0], outcome.response.headers)
        page = page_from_entry(entry, cached[1], elapsed=0.0)
        return page.model_copy(update={"fetched_at": _now()})

    async def _fetch_archived(self, url: str, wanted: str | None) -> Page:
        """The capture closest to ``wanted`` (the latest when None), replayed raw."""
        snapshot = await self._find_snapshot(url, wanted)
        if snapshot is None:
            raise ArchiveNotFound(
                "the Wayback Machine has no capture of this URL", url=url, cause="no capture"
            )
        address = replay_url(self.options.wayback_url, snapshot.timestamp, snapshot.original)
        try:
            page = await self._fetch_live(address, robots=False)
        except FetchStatusError as exc:
            if exc.status not in GONE_STATUSES:
                raise
            raise ArchiveNotFound(
                "the Wayback Machine could not replay the capture", url=url, cause=exc.cause
            ) from exc
        captured = replay_timestamp(page.final_url) or snapshot.timestamp
        return page.model_copy(update={"url": url, "archived_at": archived_datetime(captured)})

    async def _find_snapshot(self, url: str, wanted: str | None) -> Snapshot | None:
        """Look the capture up (cached answers first); a direct replay when the APIs fail."""
        note_key = f"wayback-lookup {url} {wanted or 'latest'}"
        note = self._cache.load_note(note_key) if self._cache else None
        if note is not None:
            return Snapshot(**note["snapshot"]) if note.get("snapshot") else None
        if self.options.offline:
            raise OfflineCacheMiss("offline, and no archive look-up is cached", url=url)
        try:
            snapshot = await self._wayback.closest(url, wanted)
        except LookupUnavailable:
            # The replay URL itself redirects to the nearest capture of a partial timestamp.
            return Snapshot(wanted or _now().strftime("%Y%m%d%H%M%S"), url)
        if self._cache is not None:
            found = (
                {"timestamp": snapshot.timestamp, "original": snapshot.original}
                if snapshot
                else None
            )
            self._cache.store_note(note_key, {"snapshot": found})
        return snapshot


class _SharedUrls:
    """One URL source the workers take turns on, whether it is sync or async."""

    def __init__(self, urls: Iterable[str] | AsyncIterable[str]) -> None:
        self._sync = iter(urls) if isinstance(urls, Iterable) else None
        self._async = aiter(urls) if isinstance(urls, AsyncIterable) else None
        self._lock = asyncio.Lock()  # an async source must not be awaited by two workers

    async def next(self) -> str | None:
        """The next URL, or None when the source is exhausted."""
        if self._sync is not None:
            return next(self._sync, None)
        assert self._async is not None
        async with self._lock:
            return await anext(self._async, None)
