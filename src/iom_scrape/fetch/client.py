"""Fetcher: the synchronous face of :class:`AsyncFetcher`.

One engine serves both APIs: the sync fetcher runs an AsyncFetcher on a
private event loop in a daemon thread and waits for its answers. So retries,
limits, robots, cache and Wayback behave identically in both, ``fetch_many``
keeps its concurrency in plain scripts, and the fetcher is safe to share
between threads (each call is handed to the loop thread).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Coroutine, Iterable, Iterator
from types import TracebackType
from typing import Any, Self, TypeVar

from iom_scrape.fetch.aio import AsyncFetcher, Timestamp
from iom_scrape.fetch.options import ArchiveMode, FetchOptions, resolve_options
from iom_scrape.fetch.page import FetchFailure, Page

_T = TypeVar("_T")


class Fetcher:
    """Polite, resilient retrieval of legacy pages, live or from the Wayback Machine.

    Use as a context manager (``with Fetcher(contact="me@example.org") as f:``)
    or call :meth:`close`.
    """

    def __init__(self, options: FetchOptions | None = None, **overrides: Any) -> None:
        self.options = resolve_options(options, overrides)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="iom_scrape-fetcher", daemon=True
        )
        self._thread.start()
        self._closed = False
        self._engine = self._call(self._create_engine())

    async def _create_engine(self) -> AsyncFetcher:
        return AsyncFetcher(self.options)

    def _call(self, work: Coroutine[Any, Any, _T]) -> _T:
        """Run ``work`` on the loop thread and wait; an interrupt cancels it there too."""
        if self._closed:
            work.close()
            raise RuntimeError("this Fetcher is closed")
        future = asyncio.run_coroutine_threadsafe(work, self._loop)
        try:
            return future.result()
        except BaseException:
            future.cancel()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close connections and stop the loop thread (idempotent)."""
        if self._closed:
            return
        self._call(self._engine.aclose())
        self._closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def fetch(
        self, url: str, *, archive: ArchiveMode = "never", timestamp: Timestamp = None
    ) -> Page:
        """Retrieve one URL; raises a FetchError subclass carrying the URL and the cause."""
        return self._call(self._engine.fetch(url, archive=archive, timestamp=timestamp))

    def fetch_many(
        self, urls: Iterable[str], *, archive: ArchiveMode = "never", timestamp: Timestamp = None
    ) -> Iterator[Page | FetchFailure]:
        """Fetch every URL concurrently, yielding a Page or a FetchFailure as each completes."""
        results = self._engine.fetch_many(urls, archive=archive, timestamp=timestamp)
        try:
            while True:
                try:
                    yield self._call(_next_result(results))
                except StopAsyncIteration:
                    return
        finally:
            if not self._closed:
                self._call(results.aclose())


async def _next_result(
    results: AsyncGenerator[Page | FetchFailure, None],
) -> Page | FetchFailure:
    """The next item of the engine's ``fetch_many`` (a coroutine, for the loop thread)."""
    return await anext(results)
