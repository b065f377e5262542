"""The Dask engine: the same cleaning, partitioned over a cluster, writing JSONL part files.

Inputs are named on the client and split into partitions by a hash of their
location, so an input always lands in the same partition and part file, run
after run (the partition count is pinned in ``_batch.json``). Each partition
reads its own files and containers on the worker (workers must see the same
paths: a shared file system or object store mount), cleans them with the very
function the local engine uses, and appends to ``part-NNNNN.jsonl`` with the
same journal, torn-line repair and resume as the local output. The records
are therefore the local engine's, input for input.

Dask runs tasks in worker threads, where the per-input SIGALRM limit cannot
fire: there ``timeout`` is kept by a watchdog thread per worker process
(``batch.deadlines``), which stops a page that keeps the parser busy in Python.
A thread blocked in a system call (a path that never answers) is bounded by the
cluster's own task timeouts.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iom_scrape.batch.resume import load_output
from iom_scrape.batch.sources import (
    DEFAULT_MAX_BYTES,
    BatchUsageError,
    InputRef,
    SeenIds,
    SourceOptions,
    SourceStats,
    expand_inputs,
    iter_tasks,
)
from iom_scrape.batch.summary import BatchSummary, RecordTally
from iom_scrape.batch.work import clean_input
from iom_scrape.batch.writers import JsonlJournal

if TYPE_CHECKING:
    from iom_scrape.batch.run import BatchOptions, ProgressListener

MANIFEST = "_batch.json"
PART_GLOB = "part-*.jsonl"
PARTITIONS_PER_THREAD = 4
"""Default partitions per worker thread: enough to balance uneven partitions."""
DEFAULT_PARTITIONS = 16

Group = tuple[int, tuple[InputRef, ...]]
"""A partition: its index and the inputs hashed into it."""


@dataclass(slots=True)
class PartReport:
    """What one partition did, sent back to the client for the summary."""

    index: int
    inputs: int = 0
    skipped: int = 0
    ignored: int = 0
    processed: int = 0
    tally: RecordTally = field(default_factory=RecordTally)
    repairs: dict[str, int] = field(default_factory=dict)


def part_path(directory: Path, index: int) -> Path:
    """The part file of partition ``index``."""
    return directory / f"part-{index:05d}.jsonl"


def partition_inputs(refs: Sequence[InputRef], partitions: int) -> list[Group]:
    """Split inputs into partitions by a stable hash of their location (empty ones dropped).

    >>> refs = [InputRef("page", f"{n}.txt") for n in range(100)]
    >>> sorted(len(group) for _, group in partition_inputs(refs, 4))
    [14, 20, 31, 35]
    """
    groups: list[list[InputRef]] = [[] for _ in range(partitions)]
    for ref in refs:
        digest = hashlib.blake2b(ref.location.encode("utf-8"), digest_size=8).digest()
        groups[int.from_bytes(digest, "big") % partitions].append(ref)
    return [(index, tuple(group)) for index, group in enumerate(groups) if group]


def to_dask_bag(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    urls_file: str | os.PathLike[str] | None = None,
    partitions: int = DEFAULT_PARTITIONS,
    text_field: str | None = None,
    url_field: str = "url",
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | None = 60.0,
) -> Any:
    """A ``dask.bag.Bag`` of record JSON lines, one per input, cleaned where the bag runs.

    ``timeout`` is the per-input time limit in seconds (None for none), as in ``run_batch``.

    ``bag.map(iom_scrape.RECORD_ADAPTER.validate_json)`` gives the records;
    ``bag.to_textfiles("out/*.jsonl")`` writes them (without resume: for that
    use ``run_batch(..., engine="dask")``).
    """
    from dask.bag import from_sequence

    names = [os.fspath(name) for name in inputs]
    refs = expand_inputs(names, urls_file=os.fspath(urls_file) if urls_file else None)
    groups = partition_inputs(refs, max(1, min(partitions, len(refs))))
    source = SourceOptions(text_field=text_field, url_field=url_field, max_bytes=max_bytes)
    bag = from_sequence(groups, npartitions=max(1, len(groups)))  # type: ignore[no-untyped-call]
    return bag.map_partitions(_clean_groups, source, timeout)


def _clean_groups(
    groups: Iterable[Group], source: SourceOptions, timeout: float | None
) -> list[str]:
    """The record lines of one bag partition (a list: a partition must pickle)."""
    return [
        clean_input(task, timeout=timeout, max_bytes=source.max_bytes).line
        for _, refs in groups
        for task in iter_tasks(refs, source, SeenIds(), SourceStats())
    ]


def write_parts(groups: Iterable[Group], directory: str, options: BatchOptions) -> list[PartReport]:
    """Clean the partitions of one bag partition into their part files (runs on a worker)."""
    return [write_part(index, refs, Path(directory), options) for index, refs in groups]


def write_part(
    index: int, refs: Sequence[InputRef], directory: Path, options: BatchOptions
) -> PartReport:
    """Clean one partition, resuming its part file, exactly as the local engine would."""
    path = part_path(directory, index)
    state = load_output(path)
    stats = SourceStats()
    report = PartReport(index=index, tally=state.tally, repairs=dict(state.repairs))
    with JsonlJournal(path) as journal:
        for task in iter_tasks(refs, options.source, SeenIds(previous=state.done), stats):
            outcome = clean_input(task, timeout=options.timeout, max_bytes=options.source.max_bytes)
            journal.write(outcome.line)
            report.tally.add(outcome)
            report.processed += 1
    report.inputs, report.skipped, report.ignored = stats.inputs, stats.skipped, stats.ignored
    return report


def run_dask(
    refs: Sequence[InputRef],
    directory: Path,
    options: BatchOptions,
    *,
    scheduler: str | None = None,
    partitions: int | None = None,
    workers: int | None = None,
    progress: ProgressListener | None = None,
) -> tuple[BatchSummary, list[Path]]:
    """Run the batch on Dask: the cluster at ``scheduler``, else local processes."""
    try:
        from dask.bag import from_sequence
    except ImportError as exc:
        raise BatchUsageError("the Dask engine needs: pip install 'iom_scrape[dask]'") from exc
    if directory.exists() and not directory.is_dir():
        raise BatchUsageError(f"--out {directory} is a file; the Dask engine writes a directory")
    directory.mkdir(parents=True, exist_ok=True)
    client = _connect(scheduler)
    try:
        count = _pinned_partitions(directory, partitions, _default_partitions(client, workers))
        groups = partition_inputs(refs, count)
        bag = from_sequence(groups, npartitions=max(1, len(groups)))  # type: ignore[no-untyped-call]
        parts = bag.map_partitions(write_parts, str(directory), options)
        reports = _compute(parts, client, workers, progress)
    finally:
        if client is not None:
            client.close()
    journals = sorted(directory.glob(PART_GLOB))
    return _summarise(reports), journals


def _connect(scheduler: str | None) -> Any:
    if scheduler is None:
        return None
    from distributed import Client

    try:
        return Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise BatchUsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


def _default_partitions(client: Any, workers: int | None) -> int:
    if client is not None:
        threads: int = sum(client.nthreads().values())
        return max(1, threads) * PARTITIONS_PER_THREAD
    return (workers or os.cpu_count() or 1) * PARTITIONS_PER_THREAD


def _pinned_partitions(directory: Path, asked: int | None, default: int) -> int:
    """The partition count of this output: fixed by its first run, so inputs keep their part."""
    manifest = directory / MANIFEST
    if manifest.exists():
        pinned = int(json.loads(manifest.read_text(encoding="utf-8"))["partitions"])
        if asked is not None and asked != pinned:
            message = f"{directory} was written with {pinned} partitions, not {asked}"
            raise BatchUsageError(message)
        return pinned
    count = asked or default
    temporary = manifest.with_name(MANIFEST + ".tmp")
    temporary.write_text(json.dumps({"partitions": count}) + "\n", encoding="utf-8")
    os.replace(temporary, manifest)
    return count


def _compute(
    parts: Any, client: Any, workers: int | None, progress: ProgressListener | None
) -> list[PartReport]:
    if client is None:
        result: list[PartReport] = parts.compute(
            scheduler="processes", num_workers=workers or os.cpu_count() or 1
        )
        if progress is not None:
            progress.advance(sum(report.inputs for report in result))
        return result
    from distributed import as_completed

    reports: list[PartReport] = []
    futures = client.compute(parts.to_delayed())
    for future in as_completed(futures):  # type: ignore[no-untyped-call]
        finished: list[PartReport] = future.result()
        reports.extend(finished)
        if progress is not None:
            progress.advance(sum(report.inputs for report in finished))
    return reports


def _summarise(reports: Iterable[PartReport]) -> BatchSummary:
    summary = BatchSummary()
    tally = RecordTally()
    repairs: dict[str, int] = {}
    for report in sorted(reports, key=lambda r: r.index):
        summary.inputs += report.inputs
        summary.skipped += report.skipped
        summary.ignored += report.ignored
        summary.processed += report.processed
        tally.merge(report.tally)
        for kind, number in report.repairs.items():
            repairs[kind] = repairs.get(kind, 0) + number
    tally.fill(summary)
    summary.output_repairs = dict(sorted(repairs.items()))
    return summary
