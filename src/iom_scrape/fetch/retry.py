"""When to try again and how long to wait: exponential backoff, jitter, Retry-After.

Kept free of I/O so the schedule is testable on its own: :class:`RetrySchedule`
answers "wait how long before the next attempt, or give up?" for one URL.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from iom_scrape.fetch.options import FetchOptions

RETRYABLE_STATUSES = frozenset(
    {408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524}
)
"""Answers that say "not now" rather than "never": timeouts, overload, gateways.
501 and 505 are permanent and are not retried."""


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds asked by a ``Retry-After`` header (delta-seconds or HTTP-date); None if absent.

    >>> parse_retry_after("120")
    120.0
    >>> moment = dt.datetime(2015, 10, 21, 7, 28, tzinfo=dt.UTC)
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=moment)
    30.0
    >>> parse_retry_after("soon") is None
    True
    """
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))  # delta-seconds (some servers send "1.5")
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def retry_after_of(headers: Mapping[str, str]) -> float | None:
    """The ``Retry-After`` of a response, in seconds."""
    return parse_retry_after(headers.get("retry-after"))


@dataclass
class RetrySchedule:
    """The attempts of one URL: counts them and decides each wait."""

    options: FetchOptions
    clock: Callable[[], float] = time.monotonic
    rng: Callable[[], float] = random.random
    started: float = field(default=0.0)
    retries: int = 0

    def __post_init__(self) -> None:
        self.started = self.clock()

    @property
    def attempts(self) -> int:
        """Attempts made so far, counting the one in flight."""
        return self.retries + 1

    def backoff_delay(self) -> float:
        """``backoff * 2**n``, capped, plus up to ``jitter`` of it at random (never less)."""
        base = min(self.options.backoff_max, self.options.backoff * 2.0**self.retries)
        return base * (1 + self.options.jitter * self.rng())

    def next_delay(self, retry_after: float | None = None) -> float | None:
        """Seconds to wait before the next attempt, or None to give up.

        A server's ``Retry-After`` is a floor we never undercut; past
        ``max_retry_after`` the fetch gives up at once rather than hammer or hang.
        """
        if self.retries >= self.options.max_retries:
            return None
        if retry_after is not None and retry_after > self.options.max_retry_after:
            return None
        delay = self.backoff_delay()
        if retry_after is not None:
            delay = retry_after + self.options.jitter * self.rng() * min(retry_after, 1.0)
        if self.clock() - self.started + delay > self.options.retry_budget:
            return None
        self.retries += 1
        return delay
