"""The per-input time limit and the never-raising worker function."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from iom_scrape.batch.deadlines import THREAD_DEADLINES
from iom_scrape.batch.records import FailedInput, PagePayload
from iom_scrape.batch.work import clean_input, run_limited, time_limit
from iom_scrape.errors import InputTimeout

pytestmark = pytest.mark.timeout(30)


class OuterAlarm(Exception):
    pass


@pytest.fixture
def own_timer() -> Iterator[None]:
    """Stand in for a test runner's alarm, and put the runner's back afterwards."""
    saved_handler = signal.getsignal(signal.SIGALRM)
    saved_timer = signal.getitimer(signal.ITIMER_REAL)

    def outer(signum: int, frame: object) -> None:
        raise OuterAlarm

    signal.signal(signal.SIGALRM, outer)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, saved_handler)
    if saved_timer[0]:
        signal.setitimer(signal.ITIMER_REAL, *saved_timer)


def test_time_limit_stops_a_slow_input() -> None:
    with pytest.raises(InputTimeout), time_limit(0.2):
        time.sleep(5)


@pytest.mark.usefixtures("own_timer")
def test_time_limit_rearms_a_later_outer_alarm() -> None:
    signal.setitimer(signal.ITIMER_REAL, 50)
    with time_limit(1):
        pass
    left, _ = signal.getitimer(signal.ITIMER_REAL)
    assert 45 < left <= 50


@pytest.mark.usefixtures("own_timer")
def test_time_limit_lets_a_sooner_outer_alarm_fire() -> None:
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    with pytest.raises(OuterAlarm), time_limit(5):
        time.sleep(3)


def test_an_unexpected_exception_becomes_a_parse_error_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise KeyError("deep inside an extractor")

    monkeypatch.setattr("iom_scrape.pipeline.parse", explode)

    outcome = clean_input(PagePayload("x.jsonl#3", "text", url="https://www.iom.int/a"))

    assert (outcome.kind, outcome.stage, outcome.error_type) == ("error", "parse", "KeyError")
    assert '"source_url":"https://www.iom.int/a"' in outcome.line


def test_a_failed_input_passes_through_as_its_error_record() -> None:
    outcome = clean_input(FailedInput("a.warc#40", "read", "ReadError", "truncated WARC record"))
    assert (outcome.source_id, outcome.stage, outcome.error_type) == (
        "a.warc#40",
        "read",
        "ReadError",
    )


def busy(seconds: float) -> int:
    """Keep a thread busy in Python (as a pathological page keeps the parser) for a while."""
    end, spins = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        spins += 1
    return spins


def in_thread(work: Callable[[], object]) -> BaseException | object:
    """Run ``work`` in a worker thread (as Dask does): its result or what it raised."""
    outcome: list[BaseException | object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "the time limit did not stop the thread"
    return outcome[0]


def test_time_limit_stops_python_work_in_a_worker_thread() -> None:
    def limited() -> int:
        return run_limited(0.2, lambda: busy(10))

    started = time.monotonic()
    outcome = in_thread(limited)
    assert isinstance(outcome, InputTimeout)
    assert time.monotonic() - started < 5


def test_only_the_thread_past_its_limit_is_stopped() -> None:
    results: dict[str, BaseException | object] = {}

    def slow() -> None:
        run_limited(0.2, lambda: busy(10))

    def quick() -> str:
        run_limited(5, lambda: busy(0.4))
        return "done"

    threads = [
        threading.Thread(target=lambda: results.update(slow=in_thread(slow))),
        threading.Thread(target=lambda: results.update(quick=in_thread(quick))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert isinstance(results["slow"], InputTimeout)
    assert results["quick"] == "done"


def test_a_limit_that_expires_as_its_input_ends_never_reaches_the_next_input() -> None:
    def many_inputs() -> str:
        for _ in range(300):  # each ends right around its deadline
            with contextlib.suppress(InputTimeout):
                run_limited(0.002, lambda: busy(0.002))
        busy(0.3)  # work after the last limit: no late timeout may land here
        return "clean"

    assert in_thread(many_inputs) == "clean"


def test_a_swallowed_timeout_is_raised_again_until_the_input_ends() -> None:
    def swallows_once() -> str:
        with contextlib.suppress(InputTimeout):  # as a broad handler or a gc callback would
            busy(10)
        busy(10)
        return "ran on"

    started = time.monotonic()
    assert isinstance(in_thread(lambda: run_limited(0.2, swallows_once)), InputTimeout)
    assert time.monotonic() - started < 5


def test_a_child_forked_while_the_watchdog_holds_its_lock_still_keeps_time_limits() -> None:
    assert isinstance(in_thread(lambda: run_limited(0.1, lambda: busy(5))), InputTimeout)
    with THREAD_DEADLINES._lock:  # as if the fork came while the watchdog fires
        child = os.fork()
        if child == 0:  # the child: a limited call in a thread must neither hang nor run on
            outcome = in_thread(lambda: run_limited(0.2, lambda: busy(5)))
            os._exit(0 if isinstance(outcome, InputTimeout) else 1)
    deadline = time.monotonic() + 20
    while (done := os.waitpid(child, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        pytest.fail("the forked child hung on the watchdog's lock")
    assert os.waitstatus_to_exitcode(done[1]) == 0
