"""The local engine: a pool of worker processes with a bounded amount of work in flight.

Tasks are pulled from the (lazy) input stream only while fewer than
``workers * IN_FLIGHT_PER_WORKER`` chunks are out, so the archive streams
through in flat memory however large it is. Records are handed to ``emit`` in
completion order as each chunk comes back.

Nothing stops the batch: an input that kills its worker (a crash in a C
extension) or hangs inside C code past the watchdog's deadline breaks the
pool; the pool is rebuilt and the chunks that were out are retried one input
at a time, so the culprit is found and becomes an ErrorRecord ("WorkerCrashed"
or "InputTimeout") while its neighbours are cleaned normally.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from iom_scrape.batch.records import FailedInput, Outcome, Task, error_outcome
from iom_scrape.batch.sources import DEFAULT_MAX_BYTES
from iom_scrape.batch.work import clean_chunk, clean_input

CHUNK_SIZE = 32
"""Inputs per trip to a worker: amortises the round trip (32 is ~6% faster than 8 on the
bench), small enough that the pages in flight stay a few megabytes."""
IN_FLIGHT_PER_WORKER = 2
"""Chunks out per worker: one running, one queued, so no worker waits for the next."""
WATCHDOG_GRACE = 10.0
"""Seconds added to a chunk's deadline before the watchdog calls its worker stuck."""
POLL_SECONDS = 1.0

Emit = Callable[[Outcome], None]
ChunkWork = Callable[[list[Task], float | None, int], list[Outcome]]


@dataclass(slots=True)
class _Chunk:
    tasks: list[Task]
    deadline: float | None
    single: bool = False
    """A retried input on its own: if the pool breaks now, this input broke it."""


@dataclass(slots=True)
class LocalEngine:
    """Cleans a stream of tasks with ``workers`` processes (0: in this process)."""

    workers: int
    timeout: float | None = 60.0
    max_bytes: int = DEFAULT_MAX_BYTES
    chunk_size: int = CHUNK_SIZE
    grace: float = WATCHDOG_GRACE
    """Seconds past a chunk's time budget before the watchdog kills the pool."""
    work: ChunkWork = clean_chunk
    """What a worker runs on a chunk (a module-level function, so it pickles)."""
    _pending: dict[Future[list[Outcome]], _Chunk] = field(default_factory=dict)
    _retry: deque[Task] = field(default_factory=deque)
    _executor: ProcessPoolExecutor | None = None
    _watchdog_fired: bool = False

    def run(self, tasks: Iterable[Task], emit: Emit) -> None:
        """Clean every task and ``emit`` its record; returns when all are written."""
        if self.workers == 0:
            for task in tasks:
                emit(clean_input(task, timeout=self.timeout, max_bytes=self.max_bytes))
            return
        stream = iter(tasks)
        try:
            while self._fill(stream, emit) or self._pending:
                self._collect(emit)
        except BaseException:
            self._stop(kill=True)
            raise
        self._stop(kill=False)

    # -- submitting ---------------------------------------------------------------------

    def _fill(self, stream: Iterator[Task], emit: Emit) -> bool:
        """Top up the work in flight; False once the stream and the retries are empty."""
        if self._retry:
            if not self._pending:
                self._submit([self._retry.popleft()], single=True)
            return True
        window = self.workers * IN_FLIGHT_PER_WORKER
        while len(self._pending) < window:
            chunk = self._next_chunk(stream, emit)
            if not chunk:
                return False
            self._submit(chunk, single=False)
        return True

    def _next_chunk(self, stream: Iterator[Task], emit: Emit) -> list[Task]:
        """Up to ``chunk_size`` tasks, empty only at the end of the stream.

        Inputs that already failed (bad JSON lines, fetch failures) need no
        worker: their records are written at once, however many come in a row.
        """
        chunk: list[Task] = []
        for task in stream:
            if isinstance(task, FailedInput):
                emit(clean_input(task))
                continue
            chunk.append(task)
            if len(chunk) == self.chunk_size:
                break
        return chunk

    def _submit(self, tasks: list[Task], *, single: bool) -> None:
        deadline = None
        if self.timeout:
            # A chunk of healthy pages takes well under a second; one input may take
            # ``timeout`` before SIGALRM stops it, and the chunk may wait behind the one
            # its worker is running. Past that, something is stuck in C code. A slow but
            # healthy chunk killed by mistake only costs a retry, one input at a time.
            deadline = time.monotonic() + (self.timeout + self.grace) * IN_FLIGHT_PER_WORKER
        future = self._pool().submit(self.work, tasks, self.timeout, self.max_bytes)
        self._pending[future] = _Chunk(tasks, deadline, single)

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["iom_scrape.batch.work", "iom_scrape.pipeline"])
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._executor

    # -- collecting ---------------------------------------------------------------------

    def _collect(self, emit: Emit) -> None:
        done, _ = wait(self._pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
        broken = False
        for future in done:
            chunk = self._pending.pop(future)
            if future.exception() is None:
                for outcome in future.result():
                    emit(outcome)
            else:
                broken = True
                self._recover(chunk, emit)
        if broken:
            self._restart(emit)
        elif self._overdue():
            self._kill_workers()

    def _overdue(self) -> bool:
        now = time.monotonic()
        return any(c.deadline is not None and now > c.deadline for c in self._pending.values())

    def _kill_workers(self) -> None:
        """A worker is stuck in C code: kill the pool so its chunk fails and gets retried."""
        self._watchdog_fired = True
        executor = self._executor
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            process.kill()

    def _recover(self, chunk: _Chunk, emit: Emit) -> None:
        """A chunk was lost with its worker: retry its inputs alone, or name the culprit."""
        if not chunk.single:
            self._retry.extend(chunk.tasks)
            return
        task = chunk.tasks[0]
        if self._watchdog_fired:
            error_type, message = "InputTimeout", "cleaning hung past the watchdog's deadline"
        else:
            error_type, message = "WorkerCrashed", "the worker process died cleaning this input"
        url = getattr(task, "url", None)
        emit(
            error_outcome(
                task.source_id, stage="parse", error_type=error_type, message=message, url=url
            )
        )

    def _restart(self, emit: Emit) -> None:
        """Drain what the broken pool still holds, then start a fresh one on next submit."""
        done, _ = wait(self._pending, timeout=self.grace)
        for future in list(self._pending):
            chunk = self._pending.pop(future)
            if future in done and future.exception() is None:
                for outcome in future.result():
                    emit(outcome)
            else:
                self._retry.extend(chunk.tasks)
        self._stop(kill=True)
        self._watchdog_fired = False

    def _stop(self, *, kill: bool) -> None:
        """Shut the pool down: politely at the end, by force after a break or an interrupt."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if not kill:
            executor.shutdown(wait=True)
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join(timeout=self.grace)
