"""Politeness in time: per-host concurrency and spacing, and the archive's look-up budget.

Starts of requests to one host are spaced by a minimum delay (the larger of
``per_host_delay`` and the host's robots.txt ``Crawl-delay``), and at most
``per_host_concurrency`` of them are in flight. Wayback look-ups get their own
:class:`PacedGate` because the archive counts them per minute and bans clients
that keep going after a 429.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit


def host_key(url: str) -> str:
    """The host (with port) politeness is counted against.

    >>> host_key("https://WWW.iom.int:443/jahia/Jahia/pid/1")
    'www.iom.int:443'
    """
    return urlsplit(url).netloc.lower()


@dataclass
class PacedGate:
    """Lets callers through one at a time at least ``interval`` seconds apart."""

    interval: float
    clock: Callable[[], float] = time.monotonic
    next_start: float = 0.0

    async def wait_turn(self) -> None:
        """Reserve the next start time and sleep until it comes."""
        now = self.clock()
        start = max(now, self.next_start)
        self.next_start = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)

    def pause(self, seconds: float) -> None:
        """Push every later start back by at least ``seconds`` from now (after a 429)."""
        self.next_start = max(self.next_start, self.clock() + seconds)


@dataclass
class HostState:
    """The gate and the in-flight limit of one host."""

    gate: PacedGate
    semaphore: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))


class HostSlots:
    """Per-host concurrency limit plus minimum spacing between request starts."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self._concurrency = concurrency
        self._delay = delay
        self._hosts: dict[str, HostState] = {}

    def _state(self, host: str) -> HostState:
        state = self._hosts.get(host)
        if state is None:
            state = HostState(PacedGate(self._delay), asyncio.Semaphore(self._concurrency))
            self._hosts[host] = state
        return state

    def slow_down(self, host: str, delay: float) -> None:
        """Raise a host's spacing (robots.txt ``Crawl-delay``); never lowers it."""
        gate = self._state(host).gate
        gate.interval = max(gate.interval, delay)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of the host's request slots, started no sooner than its spacing allows."""
        state = self._state(host)
        async with state.semaphore:
            if state.gate.interval > 0:
                await state.gate.wait_turn()
            yield
