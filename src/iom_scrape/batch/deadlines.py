"""Per-input time limits in threads (Dask's worker threads), where SIGALRM cannot reach.

One watchdog thread per process keeps the deadlines of the inputs being cleaned in
other threads; when one passes, it raises ``InputTimeout`` in that thread with
``PyThreadState_SetAsyncExc``. Like the SIGALRM limit of the process pool, the
exception arrives when the thread next runs Python code: a page that makes the
parser loop in Python is stopped, a thread blocked inside a system call or a C
extension is not (a cluster's own task timeouts remain the guard for that).

Two rules keep the exception where it belongs:

- It is only raised while the thread is inside the limited call: the watchdog looks
  for the call's own frame on the thread's stack, under the lock that ending the
  call takes, and an exception fired but not yet raised is withdrawn at the end.
  So it can never reach the code after the input, or the next input.
- It is raised again every ``REFIRE_SECONDS`` until the call ends: code that
  swallows exceptions (Dask's garbage-collection callbacks do) cannot keep a
  pathological input running.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import TypeVar

from iom_scrape.errors import InputTimeout

T = TypeVar("T")
REFIRE_SECONDS = 0.25


class ThreadInputTimeout(InputTimeout):
    """What the watchdog raises (the interpreter builds it without arguments)."""

    def __init__(self, message: str = "cleaning took longer than the per-input time limit") -> None:
        super().__init__(message)


@dataclass(slots=True)
class _Deadline:
    thread_id: int
    at: float
    body: FrameType | None = None
    """The frame of the limited call: the exception is raised only under it."""
    fired: bool = False


class ThreadDeadlines:
    """The watchdog and the deadlines of the limited calls running now, one per thread."""

    def __init__(self) -> None:
        self.reset_after_fork()

    def reset_after_fork(self) -> None:
        """No deadlines, no watchdog, a free lock: the start, and a forked child's state
        (it has none of the parent's threads, and the watchdog may have held the lock)."""
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._deadlines: dict[int, _Deadline] = {}
        self._watchdog: threading.Thread | None = None

    def call(self, seconds: float, work: Callable[[], T]) -> T:
        """``work()``, or ``InputTimeout`` if it runs longer than ``seconds``."""
        try:
            return self._guarded(seconds, work)
        except ThreadInputTimeout:  # wherever in the guarded call it was raised
            raise InputTimeout(f"cleaning took longer than {seconds:g} s") from None

    def _guarded(self, seconds: float, work: Callable[[], T]) -> T:
        deadline = _Deadline(threading.get_ident(), time.monotonic() + seconds)
        try:
            return self._limited(work, deadline)
        finally:
            with self._lock:
                if self._deadlines.get(deadline.thread_id) is deadline:
                    del self._deadlines[deadline.thread_id]
                if deadline.fired:  # raised already, or withdrawn here before it is
                    _set_async_exception(deadline.thread_id, None)
            deadline.body = None

    def _limited(self, work: Callable[[], T], deadline: _Deadline) -> T:
        """The limited call: its frame on a thread's stack means the input is still running."""
        deadline.body = sys._getframe()
        with self._lock:
            self._deadlines[deadline.thread_id] = deadline
            self._start_watchdog()
            self._changed.notify()
        return work()

    def _start_watchdog(self) -> None:
        if self._watchdog is None or not self._watchdog.is_alive():
            self._watchdog = threading.Thread(
                target=self._watch, name="iom-scrape-deadlines", daemon=True
            )
            self._watchdog.start()

    def _watch(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                if any(deadline.at <= now for deadline in self._deadlines.values()):
                    self._fire_expired(now)
                upcoming = [deadline.at for deadline in self._deadlines.values()]
                self._changed.wait(timeout=min(upcoming) - now if upcoming else None)

    def _fire_expired(self, now: float) -> None:
        """Raise the timeout in each thread still inside its expired call (lock held)."""
        frames = sys._current_frames()
        for thread_id, deadline in list(self._deadlines.items()):
            if deadline.at > now:
                continue
            if _runs_under(frames.get(thread_id), deadline.body):
                _set_async_exception(thread_id, ThreadInputTimeout)
                deadline.fired, deadline.at = True, now + REFIRE_SECONDS
            else:  # its call is over and its thread about to unregister it
                del self._deadlines[thread_id]


def _runs_under(frame: FrameType | None, body: FrameType | None) -> bool:
    while frame is not None and body is not None:
        if frame is body:
            return True
        frame = frame.f_back
    return False


def _set_async_exception(thread_id: int, exception: type[BaseException] | None) -> None:
    """Ask the interpreter to raise ``exception`` in the thread (None withdraws a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )


THREAD_DEADLINES = ThreadDeadlines()
"""The process's watchdog, started by the first limited call of a worker thread."""
os.register_at_fork(after_in_child=THREAD_DEADLINES.reset_after_fork)
