"""The per-input time limit and the never-raising worker function."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator

import pytest

from iom_scrape.batch.records import FailedInput, PagePayload
from iom_scrape.batch.work import clean_input, time_limit
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
