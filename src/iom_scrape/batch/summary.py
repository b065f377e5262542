"""What a batch run did, as numbers a data team can check: the ``BatchSummary``.

The counts describe the *output* after the run (records written by earlier,
interrupted runs included), so a resumed run reports the whole archive, while
``processed``, ``seconds`` and ``pages_per_second`` describe this run only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from iom_scrape.batch.records import Outcome


class BatchSummary(BaseModel):
    """The end-of-run report of ``run_batch`` (also written by ``--summary FILE``)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    inputs: int = 0
    """Inputs found in this run (files, JSONL lines, WARC responses, URLs)."""
    skipped: int = 0
    """Inputs already in the output from an earlier run (resume), not cleaned again."""
    processed: int = 0
    """Inputs cleaned in this run."""
    ignored: int = 0
    """WARC records that are not pages (requests, images, redirects), not inputs."""
    articles: int = 0
    """Article records in the output."""
    errors: int = 0
    """ErrorRecords in the output: one per input that failed."""
    errors_by_stage: dict[str, dict[str, int]] = Field(default_factory=dict)
    """Errors counted by stage, then by error type: ``{"read": {"ReadError": 2}}``."""
    repairs_by_kind: dict[str, int] = Field(default_factory=dict)
    """Repairs the cleaner made, counted by ``Repair.kind`` over all articles."""
    duplicates: int = 0
    """Articles flagged ``duplicate-of: <source_id>`` by ``--dedupe``."""
    output_repairs: dict[str, int] = Field(default_factory=dict)
    """Fixes made to the output file itself on resume ("torn-line", "corrupt-line")."""
    seconds: float = 0.0
    """Wall time of this run."""
    pages_per_second: float = 0.0
    """``processed / seconds``."""

    @property
    def failed(self) -> bool:
        """True when some input became an ErrorRecord (exit code 1)."""
        return self.errors > 0


@dataclass(slots=True)
class RecordTally:
    """Running counts of the records in an output, fed one record at a time."""

    articles: int = 0
    errors: int = 0
    errors_by_stage: dict[str, Counter[str]] = field(default_factory=dict)
    repairs_by_kind: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one record (from a worker or read back from the output)."""
        if outcome.kind == "article":
            self.articles += 1
            self.repairs_by_kind.update(outcome.repair_kinds)
            self.duplicates += outcome.duplicate
            return
        self.errors += 1
        stage = outcome.stage or "unknown"
        self.errors_by_stage.setdefault(stage, Counter())[outcome.error_type or "unknown"] += 1

    def merge(self, other: RecordTally) -> None:
        """Add the counts of another tally (a Dask partition, an earlier run)."""
        self.articles += other.articles
        self.errors += other.errors
        for stage, types in other.errors_by_stage.items():
            self.errors_by_stage.setdefault(stage, Counter()).update(types)
        self.repairs_by_kind.update(other.repairs_by_kind)
        self.duplicates += other.duplicates

    def fill(self, summary: BatchSummary) -> None:
        """Copy the counts into a summary (sorted, so the JSON is stable)."""
        summary.articles = self.articles
        summary.errors = self.errors
        summary.errors_by_stage = {
            stage: dict(sorted(types.items()))
            for stage, types in sorted(self.errors_by_stage.items())
        }
        summary.repairs_by_kind = dict(sorted(self.repairs_by_kind.items()))
        summary.duplicates = self.duplicates


def summary_lines(summary: BatchSummary) -> list[str]:
    """The summary as the lines ``iom-scrape batch`` prints at the end.

    >>> summary_lines(BatchSummary(inputs=2, processed=2, articles=1, errors=1,
    ...     errors_by_stage={"read": {"ReadError": 1}}, seconds=0.5, pages_per_second=4.0))[1:3]
    ['articles 1, errors 1, duplicates 0', '  errors at read: ReadError 1']
    """
    lines = [
        f"inputs {summary.inputs} (processed {summary.processed}, already done "
        f"{summary.skipped}, ignored records {summary.ignored})",
        f"articles {summary.articles}, errors {summary.errors}, duplicates {summary.duplicates}",
    ]
    for stage, types in summary.errors_by_stage.items():
        counts = ", ".join(f"{name} {number}" for name, number in types.items())
        lines.append(f"  errors at {stage}: {counts}")
    if summary.repairs_by_kind:
        top = sorted(summary.repairs_by_kind.items(), key=lambda item: -item[1])
        lines.append("repairs: " + ", ".join(f"{kind} {number}" for kind, number in top))
    if summary.output_repairs:
        fixes = ", ".join(f"{kind} {number}" for kind, number in summary.output_repairs.items())
        lines.append(f"output repaired on resume: {fixes}")
    lines.append(f"{summary.seconds:.1f} s, {summary.pages_per_second:,.1f} pages/s")
    return lines
