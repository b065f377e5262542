"""fetch/: polite, resilient retrieval of legacy pages, live or from the Wayback Machine.

The only stage (with batch/) that does I/O. Built on httpx: retries with
backoff, per-host limits, robots.txt, bounded bodies, an on-disk cache with
revalidation, and Wayback Machine look-ups and raw replays.
"""

from __future__ import annotations

from iom_scrape.fetch.aio import AsyncFetcher
from iom_scrape.fetch.canonical import canonical_url
from iom_scrape.fetch.client import Fetcher
from iom_scrape.fetch.options import FetchOptions
from iom_scrape.fetch.page import FetchFailure, Page

__all__ = ["AsyncFetcher", "FetchFailure", "FetchOptions", "Fetcher", "Page", "canonical_url"]
