"""The Wayback Machine: find the capture closest to a time, then replay it raw.

Look-ups go to the CDX API first (``/cdx/search/cdx?url=..&output=json``) and
to the availability API (``/wayback/available?url=..&timestamp=..``) when CDX
fails; if both are down the replay URL is requested directly with the wanted
(possibly partial) timestamp and the archive redirects to its nearest capture.
The archive bans clients that ignore its look-up limit (about 20 a minute), so
every look-up passes one :class:`PacedGate` and a 429 pauses all of them.
Replays use the ``id_`` form: the original bytes, no toolbar, the site's own
headers as ``X-Archive-Orig-*``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from iom_scrape.errors import FetchError, RateLimited
from iom_scrape.fetch.canonical import REPLAY_PATH
from iom_scrape.fetch.limits import PacedGate
from iom_scrape.fetch.options import FetchOptions
from iom_scrape.fetch.retry import retry_after_of
from iom_scrape.fetch.transport import Response

# The timestamp of a replay URL: `/web/20100315093000id_/http://...`.
REPLAY_TIMESTAMP = re.compile(REPLAY_PATH)
# What callers may pass as a timestamp: digits only, from a year to the second.
TIMESTAMP_DIGITS = re.compile(r"^\d{1,14}$")
FULL_TIMESTAMP = "%Y%m%d%H%M%S"
THROTTLE_STATUSES = frozenset({429, 503})
"""The archive's "slow down": every look-up pauses, not just this one."""

Sender = Callable[[str], Awaitable[Response]]
"""One GET through the fetcher's limits (no retries; transport errors raise)."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One capture: its timestamp and the URL as the archive recorded it."""

    timestamp: str
    original: str


class LookupUnavailable(Exception):
    """A look-up API failed (5xx, bad answer): try the next way of finding a capture."""


def normalise_timestamp(value: str | dt.date | None) -> str | None:
    """A Wayback timestamp (1 to 14 digits) from a string, date or datetime.

    >>> normalise_timestamp("2010-03"), normalise_timestamp(dt.date(2010, 3, 15))
    ('201003', '20100315')
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime(FULL_TIMESTAMP)
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    digits = re.sub(r"[-:T ]", "", value.strip())
    if not TIMESTAMP_DIGITS.match(digits):
        raise ValueError(f"not a Wayback timestamp: {value!r}")
    return digits


def archived_datetime(timestamp: str) -> dt.datetime:
    """The UTC time of a capture timestamp (a partial one is padded with its start).

    >>> archived_datetime("20100315093000")
    datetime.datetime(2010, 3, 15, 9, 30, tzinfo=datetime.timezone.utc)
    """
    padded = timestamp + "00000101000000"[len(timestamp) :]
    return dt.datetime.strptime(padded, FULL_TIMESTAMP).replace(tzinfo=dt.UTC)


def replay_timestamp(url: str) -> str | None:
    """The capture timestamp written in a replay URL."""
    match = REPLAY_TIMESTAMP.search(url)
    return match.group("timestamp") if match else None


def replay_url(base: str, timestamp: str, original: str) -> str:
    """The raw (``id_``) replay address of a capture."""
    return f"{base.rstrip('/')}/web/{timestamp}id_/{original}"


def cdx_query(base: str, url: str, timestamp: str | None) -> str:
    """CDX look-up of the successful capture closest to ``timestamp`` (else the latest)."""
    params = {"url": url, "output": "json", "filter": "statuscode:200"}
    if timestamp:
        params |= {"closest": timestamp, "sort": "closest", "limit": "1"}
    else:
        params["limit"] = "-1"  # a negative limit counts from the end: the latest capture
    return f"{base.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def availability_query(base: str, url: str, timestamp: str | None) -> str:
    """Availability-API look-up of the capture closest to ``timestamp``."""
    params = {"url": url} | ({"timestamp": timestamp} if timestamp else {})
    return f"{base.rstrip('/')}/wayback/available?{urlencode(params)}"


def parse_cdx(content: bytes, url: str) -> Snapshot | None:
    """The first capture of a CDX JSON answer (a header row, then rows); None if empty."""
    text = content.decode("utf-8", errors="replace").strip()
    if not text:
        return None
    rows: Any = json.loads(text)
    if not isinstance(rows, list) or len(rows) < 2:
        return None
    header, first = rows[0], rows[1]
    record = dict(zip(header, first, strict=False))
    return Snapshot(str(record["timestamp"]), str(record.get("original") or url))


def parse_availability(content: bytes, url: str) -> Snapshot | None:
    """The closest capture of an availability-API answer; None when there is none."""
    answer: Any = json.loads(content.decode("utf-8", errors="replace"))
    closest = (answer.get("archived_snapshots") or {}).get("closest") or {}
    if not closest.get("available") or not closest.get("timestamp"):
        return None
    return Snapshot(str(closest["timestamp"]), url)


AnswerParser = Callable[[bytes, str], Snapshot | None]


class WaybackLookups:
    """Paced, 429-aware look-ups of the capture closest to a time."""

    def __init__(self, options: FetchOptions, send: Sender) -> None:
        self._options = options
        self._send = send
        self.gate = PacedGate(60.0 / options.wayback_lookups_per_minute)

    async def closest(self, url: str, timestamp: str | None) -> Snapshot | None:
        """Ask CDX, then the availability API; raises LookupUnavailable if both fail."""
        base = self._options.wayback_url
        try:
            return await self._ask(cdx_query(base, url, timestamp), url, parse_cdx)
        except LookupUnavailable:
            return await self._ask(
                availability_query(base, url, timestamp), url, parse_availability
            )

    async def _ask(self, query: str, url: str, parser: AnswerParser) -> Snapshot | None:
        last_error, throttled = "", False
        for attempt in range(self._options.max_retries + 1):
            await self.gate.wait_turn()
            try:
                response = await self._send(query)
            except FetchError as exc:
                self.gate.pause(self._backoff(attempt))
                last_error, throttled = f"{type(exc).__name__}: {exc}", False
                continue
            if response.status in THROTTLE_STATUSES:
                self._throttled(response, attempt, url)
                last_error, throttled = f"HTTP {response.status}", True
                continue
            return self._read(response, url, parser)
        if throttled:  # another API or a direct replay would only anger the archive more
            raise RateLimited(
                "the Wayback Machine kept refusing look-ups", url=url, cause=last_error
            )
        raise LookupUnavailable(f"look-up failed after retries ({last_error})")

    def _backoff(self, attempt: int) -> float:
        return self._options.wayback_backoff * 2.0**attempt

    def _throttled(self, response: Response, attempt: int, url: str) -> None:
        """Pause every look-up; give up at once if the archive asks for too long a wait."""
        retry_after = retry_after_of(response.headers)
        if retry_after is not None and retry_after > self._options.max_retry_after:
            raise RateLimited(
                "the Wayback Machine asks us to stop looking up for a while",
                url=url,
                retry_after=retry_after,
                cause=f"look-up answered {response.status} with Retry-After {retry_after:g}",
            )
        self.gate.pause(max(retry_after or 0.0, self._backoff(attempt)))

    @staticmethod
    def _read(response: Response, url: str, parser: AnswerParser) -> Snapshot | None:
        if response.status != 200:
            raise LookupUnavailable(f"look-up answered HTTP {response.status}")
        try:
            return parser(response.content, url)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise LookupUnavailable(f"unreadable look-up answer: {exc}") from exc
