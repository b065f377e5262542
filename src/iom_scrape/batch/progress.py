"""The batch progress bar (rich): inputs done, rate in pages per second, and ETA.

The total arrives late (a thread counts the inputs while cleaning starts), so
the bar begins without one and gains its ETA when the count lands.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Pages per second, from rich's moving estimate."""

    def render(self, task: Task) -> Text:
        """Show the current speed, or a dash before there is one."""
        speed = task.finished_speed or task.speed
        return Text("- pages/s" if speed is None else f"{speed:,.0f} pages/s", style="cyan")


class RichProgress:
    """A ``ProgressListener`` drawing to standard error."""

    def __init__(self, description: str = "cleaning") -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._progress.add_task(description, total=None)

    def set_total(self, total: int) -> None:
        """The number of inputs to clean (thread-safe: rich locks its state)."""
        self._progress.update(self._task, total=total)

    def advance(self, count: int = 1) -> None:
        """``count`` more inputs were cleaned."""
        self._progress.advance(self._task, count)

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()
