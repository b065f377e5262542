"""Chunk functions that misbehave on purpose, for the local engine's crash and hang guards.

They run in worker processes, so they live in an importable module (not a test).
"""

from __future__ import annotations

import os
import time

from iom_scrape.batch.records import Outcome, Task
from iom_scrape.batch.work import clean_chunk

CRASH_MARK = "crash-"
HANG_MARK = "hang-"


def crash_or_hang(tasks: list[Task], timeout: float | None, max_bytes: int) -> list[Outcome]:
    """Die like a segfaulting C extension, or hang where SIGALRM is never armed."""
    for task in tasks:
        name = os.path.basename(task.source_id)
        if name.startswith(CRASH_MARK):
            os._exit(70)
        if name.startswith(HANG_MARK):
            time.sleep(3600)
    return clean_chunk(tasks, timeout, max_bytes)
