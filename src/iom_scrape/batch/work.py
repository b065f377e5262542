"""Clean one input into one record, whatever happens: the function every engine runs.

``clean_input`` never raises (short of the process dying): our typed errors
become ErrorRecords with their own stage, any other exception becomes an
ErrorRecord of stage "parse" named after its class, and a per-input time
limit turns a pathological page into an ``InputTimeout`` record instead of a
stuck batch. The same function runs in the local process pool and on Dask
workers, which is why both engines give the same records.
"""

from __future__ import annotations

import functools
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import TypeVar

from iom_scrape.batch.deadlines import THREAD_DEADLINES
from iom_scrape.batch.records import (
    FailedInput,
    Outcome,
    PageFile,
    PagePayload,
    Task,
    article_outcome,
    exception_outcome,
    failed_input_outcome,
)
from iom_scrape.batch.sources import DEFAULT_MAX_BYTES, read_page_file
from iom_scrape.errors import InputTimeout
from iom_scrape.models import Article

T = TypeVar("T")


def clean_input(
    task: Task, *, timeout: float | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Outcome:
    """Turn one input into its Article or ErrorRecord line (never raises)."""
    if isinstance(task, FailedInput):
        return failed_input_outcome(task)
    url = task.url if isinstance(task, PagePayload) else None
    try:
        article = run_limited(timeout, functools.partial(_clean_page, task, max_bytes))
    except Exception as exc:  # the batch goes on: every failure becomes a record
        return exception_outcome(task.source_id, exc, url=url)
    return article_outcome(article)


def clean_chunk(
    tasks: Sequence[Task], timeout: float | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Outcome]:
    """Clean several inputs in one call: amortises the cost of a trip to a worker."""
    return [clean_input(task, timeout=timeout, max_bytes=max_bytes) for task in tasks]


def _clean_page(task: PageFile | PagePayload, max_bytes: int) -> Article:
    from iom_scrape.pipeline import parse

    if isinstance(task, PageFile):
        article = parse(read_page_file(task.path, max_bytes=max_bytes))
        return article.model_copy(update={"source_id": task.source_id})
    article = parse(task.content, url=task.url, headers=task.headers)
    update: dict[str, str | None] = {"source_id": task.source_id}
    if article.source_url is None:
        update["source_url"] = task.url
    return article.model_copy(update=update)


def run_limited(seconds: float | None, work: Callable[[], T]) -> T:
    """``work()`` under the per-input time limit, in any thread.

    In a process's main thread (the local engine's workers) SIGALRM keeps it; in
    other threads (Dask's worker threads) the process's deadline watchdog does
    (``batch.deadlines``; on Dask, a thread blocked in a system call is left to
    the cluster's task timeouts).
    """
    if seconds and threading.current_thread() is not threading.main_thread():
        return THREAD_DEADLINES.call(seconds, work)
    with time_limit(seconds):
        return work()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``InputTimeout`` in this thread after ``seconds`` (main thread of a process only).

    SIGALRM costs two system calls per input, so it is always on where it can
    be; in other threads it is a no-op (``run_limited`` has the watchdog for them).
    Code stuck inside a C extension is interrupted only when it returns to
    Python: the local engine's watchdog covers that.
    An interval timer someone else armed (a test runner's timeout) is left to
    fire first when it is sooner, and re-armed afterwards when it is later.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    if outer_left and outer_left <= seconds:
        yield
        return

    def _expire(signum: int, frame: FrameType | None) -> None:
        raise InputTimeout(f"cleaning took longer than {seconds:g} s")

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            left = max(outer_left - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
