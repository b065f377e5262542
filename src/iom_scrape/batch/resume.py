"""Pick up where a killed run stopped: read the output back, repair its tail, skip what is done.

Records are appended one ``write()`` per line, so a kill can leave at most one
torn line, at the very end: it is cut off (its input is simply cleaned again).
A line that does not parse anywhere else, or a second record for the same
``source_id``, means the file was edited or two runs wrote to it at once: such
lines are dropped in an atomic rewrite so the output stays one record per
input. Every fix is counted in ``BatchSummary.output_repairs``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from iom_scrape.batch.records import Outcome, outcome_from_line
from iom_scrape.batch.summary import RecordTally

TAIL_BLOCK = 1 << 16


@dataclass(slots=True)
class OutputState:
    """What an existing output already holds."""

    done: set[str] = field(default_factory=set)
    """``source_id`` of every record in the output."""
    tally: RecordTally = field(default_factory=RecordTally)
    repairs: Counter[str] = field(default_factory=Counter)
    """Fixes made to the file: "torn-line", "corrupt-line", "duplicate-line"."""


def load_output(path: Path) -> OutputState:
    """Repair an output file left by an earlier run and collect what it holds.

    A missing file is an empty output.
    """
    state = OutputState()
    if not path.exists():
        return state
    if cut_torn_tail(path):
        state.repairs["torn-line"] += 1
    dropped: set[int] = set()
    for number, line in enumerate(_lines(path)):
        outcome = _read_record(line)
        if outcome is None:
            state.repairs["corrupt-line"] += 1
            dropped.add(number)
        elif outcome.source_id in state.done:
            state.repairs["duplicate-line"] += 1
            dropped.add(number)
        else:
            state.done.add(outcome.source_id)
            state.tally.add(outcome)
    if dropped:
        drop_lines(path, dropped)
    return state


def cut_torn_tail(path: Path) -> bool:
    """Truncate a last line that has no newline (a write cut short by a kill).

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "o.jsonl"
    >>> _ = p.write_bytes(b'{"a": 1}\\n{"b": ')
    >>> cut_torn_tail(p), p.read_bytes()
    (True, b'{"a": 1}\\n')
    """
    with path.open("r+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return False
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return False
        handle.truncate(_end_of_last_full_line(handle, size))
        handle.flush()
        os.fsync(handle.fileno())
    return True


def _end_of_last_full_line(stream: BinaryIO, size: int) -> int:
    """Offset just past the last newline before ``size`` (0 when there is none)."""
    position = size
    while position > 0:
        start = max(0, position - TAIL_BLOCK)
        stream.seek(start)
        block = stream.read(position - start)
        newline = block.rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        position = start
    return 0


def drop_lines(path: Path, numbers: set[int]) -> None:
    """Rewrite a file without the given (0-based) lines, atomically."""
    temporary = path.with_name(path.name + ".rewrite")
    with temporary.open("wb") as out:
        for number, line in enumerate(_lines(path)):
            if number not in numbers:
                out.write(line)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from handle


def _read_record(line: bytes) -> Outcome | None:
    try:
        return outcome_from_line(line)
    except (ValueError, UnicodeDecodeError):
        return None
