"""``run_batch``: clean a whole archive into one output, resumably, and say what happened.

The steps are the same for both engines: name the inputs, read back what an
earlier run already wrote (repairing a torn tail), clean the rest while
appending records, then flag duplicates and derive CSV, Parquet and
per-article files from the finished journal.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from iom_scrape.batch.dedupe import flag_duplicates
from iom_scrape.batch.local import LocalEngine
from iom_scrape.batch.records import Outcome
from iom_scrape.batch.resume import load_output
from iom_scrape.batch.sources import (
    DEFAULT_MAX_BYTES,
    BatchUsageError,
    InputRef,
    SeenIds,
    SourceOptions,
    SourceStats,
    count_pending_inputs,
    expand_inputs,
    fetcher_available,
    iter_tasks,
)
from iom_scrape.batch.summary import BatchSummary
from iom_scrape.batch.writers import (
    ExportFormat,
    JsonlJournal,
    export_articles,
    parquet_available,
    write_csv,
    write_parquet,
)

if TYPE_CHECKING:
    from iom_scrape.fetch.options import ArchiveMode

Engine = Literal["local", "dask"]


class ProgressListener(Protocol):
    """What the batch tells a progress bar (the CLI's is rich; anything with these works)."""

    def set_total(self, total: int) -> None:
        """The number of inputs to clean, once counted (counting runs beside the batch)."""

    def advance(self, count: int = 1) -> None:
        """``count`` more inputs were cleaned."""


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """Everything that decides what a run writes; picklable for Dask."""

    source: SourceOptions = field(default_factory=SourceOptions)
    timeout: float | None = 60.0
    """Seconds one input may take before it becomes an ``InputTimeout`` record."""
    dedupe: bool = False
    csv_path: Path | None = None
    parquet_path: Path | None = None
    export_dir: Path | None = None
    export_format: ExportFormat = "markdown"


def run_batch(
    inputs: Iterable[str | os.PathLike[str]] = (),
    out: str | os.PathLike[str] = "records.jsonl",
    *,
    urls_file: str | os.PathLike[str] | None = None,
    engine: Engine = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    partitions: int | None = None,
    text_field: str | None = None,
    url_field: str = "url",
    timeout: float | None = 60.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetch_options: Mapping[str, Any] | None = None,
    archive: ArchiveMode = "never",
    timestamp: str | None = None,
    dedupe: bool = False,
    csv_path: str | os.PathLike[str] | None = None,
    parquet_path: str | os.PathLike[str] | None = None,
    export_dir: str | os.PathLike[str] | None = None,
    export_format: ExportFormat = "markdown",
    progress: ProgressListener | None = None,
) -> BatchSummary:
    """Clean every input into one record each, appended to ``out``; rerun to resume.

    ``inputs`` are files, folders (recursive), globs and http(s) URLs;
    ``urls_file`` lists more URLs, fetched by a ``Fetcher(**fetch_options)``, from the
    Wayback Machine too with ``archive`` "auto" (when a page is gone) or "only", at the
    capture nearest ``timestamp``.
    The local engine writes the JSONL file ``out`` with ``workers`` processes
    (default: the CPU count; 0 cleans in this process); the Dask engine writes
    JSONL part files into the directory ``out``, on the cluster at
    ``scheduler`` or on local processes. Raises
    ``BatchUsageError`` for impossible requests; failed inputs never raise,
    they become ErrorRecords and ``BatchSummary.failed``.
    """
    started = time.monotonic()
    options = BatchOptions(
        source=SourceOptions(
            text_field=text_field,
            url_field=url_field,
            max_bytes=max_bytes,
            fetch=tuple(sorted((fetch_options or {}).items())),
            archive=archive,
            timestamp=timestamp,
        ),
        timeout=timeout or None,
        dedupe=dedupe,
        csv_path=_path(csv_path),
        parquet_path=_path(parquet_path),
        export_dir=_path(export_dir),
        export_format=export_format,
    )
    _check_options(options, engine, workers, scheduler)
    names = [os.fspath(name) for name in inputs]
    target = Path(out)
    outputs = [target, options.csv_path, options.parquet_path, options.export_dir]
    refs = expand_inputs(
        names,
        urls_file=os.fspath(urls_file) if urls_file else None,
        exclude=[os.fspath(path) for path in outputs if path is not None],
    )
    _check_inputs(refs)
    if engine == "dask":
        from iom_scrape.batch.dask import run_dask

        if progress is not None:  # counts all inputs: parts know what they hold
            _count_in_background(refs, options.source, set(), progress)
        summary, journals = run_dask(
            refs,
            target,
            options,
            scheduler=scheduler,
            partitions=partitions,
            workers=workers,
            progress=progress,
        )
    else:
        summary, journals = run_local(refs, target, options, workers=workers, progress=progress)
    finish_outputs(summary, journals, options)
    summary.seconds = round(time.monotonic() - started, 3)
    summary.pages_per_second = round(summary.processed / max(summary.seconds, 1e-9), 1)
    return summary


def run_local(
    refs: Sequence[InputRef],
    target: Path,
    options: BatchOptions,
    *,
    workers: int | None = None,
    progress: ProgressListener | None = None,
) -> tuple[BatchSummary, list[Path]]:
    """The local engine over ``refs``, appending to the JSONL file ``target``."""
    if target.is_dir():
        raise BatchUsageError(f"--out {target} is a directory; the local engine writes a file")
    state = load_output(target)
    if progress is not None:
        _count_in_background(refs, options.source, state.done, progress)
    stats = SourceStats()
    tally = state.tally
    processed = 0
    engine = LocalEngine(
        workers=(os.cpu_count() or 1) if workers is None else workers,
        timeout=options.timeout,
        max_bytes=options.source.max_bytes,
    )
    with JsonlJournal(target) as journal:

        def emit(outcome: Outcome) -> None:
            nonlocal processed
            journal.write(outcome.line)
            tally.add(outcome)
            processed += 1
            if progress is not None:
                progress.advance()

        tasks = iter_tasks(refs, options.source, SeenIds(previous=state.done), stats)
        engine.run(tasks, emit)
    summary = BatchSummary(
        inputs=stats.inputs,
        skipped=stats.skipped,
        ignored=stats.ignored,
        processed=processed,
        output_repairs=dict(sorted(state.repairs.items())),
    )
    tally.fill(summary)
    return summary, [target]


def finish_outputs(summary: BatchSummary, journals: list[Path], options: BatchOptions) -> None:
    """Flag duplicates, then derive CSV, Parquet and per-article files from the journals."""
    if options.dedupe:
        summary.duplicates = flag_duplicates(journals)
    if options.csv_path is not None:
        write_csv(journals, options.csv_path)
    if options.parquet_path is not None:
        write_parquet(journals, options.parquet_path)
    if options.export_dir is not None:
        export_articles(journals, options.export_dir, options.export_format)


def _count_in_background(
    refs: Sequence[InputRef], options: SourceOptions, done: set[str], progress: ProgressListener
) -> None:
    """Give the progress bar its total without delaying the first record."""

    def count() -> None:
        progress.set_total(count_pending_inputs(refs, options, done))

    threading.Thread(target=count, name="iom-scrape-count", daemon=True).start()


def _check_options(
    options: BatchOptions, engine: str, workers: int | None, scheduler: str | None
) -> None:
    if engine not in ("local", "dask"):
        raise BatchUsageError(f"unknown engine {engine!r} (local or dask)")
    if scheduler is not None and engine != "dask":
        raise BatchUsageError("--scheduler needs --engine dask")
    if workers is not None and workers < 0:
        raise BatchUsageError("--workers must be 0 or more")
    if options.export_format not in ("markdown", "html"):
        raise BatchUsageError(f"unknown export format {options.export_format!r}")
    if options.parquet_path is not None and not parquet_available():
        raise BatchUsageError("Parquet output needs pyarrow: pip install 'iom_scrape[parquet]'")


def _check_inputs(refs: Sequence[InputRef]) -> None:
    if not refs:
        raise BatchUsageError("no inputs: name files, folders, globs or URLs")
    if any(ref.kind == "url" for ref in refs) and not fetcher_available():
        raise BatchUsageError("URL inputs need the fetcher, which this build lacks")


def _path(value: str | os.PathLike[str] | None) -> Path | None:
    return None if value is None else Path(value)
