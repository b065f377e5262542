"""The units of batch work: one input in (a ``Task``), one record out (an ``Outcome``).

Tasks are small frozen dataclasses so they pickle cheaply to worker processes
and Dask workers. A page file travels as its path (the worker reads it), a page
cut out of a container (JSONL line, WARC record, fetched URL) travels with its
bytes, and an input that already failed while its container was read travels
as a ``FailedInput``. Each carries the stable ``source_id`` that resume and
dedupe key on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from iom_scrape.errors import IomScrapeError
from iom_scrape.models import Article, ErrorRecord

DUPLICATE_PREFIX = "duplicate-of: "
"""Start of the ``Article.warnings`` entry that ``--dedupe`` adds to a duplicate."""


class HeaderMap(Mapping[str, str]):
    """HTTP headers of a WARC response: case-insensitive look-up, picklable.

    >>> HeaderMap((("Content-Type", "text/html"),))["content-type"]
    'text/html'
    """

    __slots__ = ("_items", "_lower")

    def __init__(self, items: tuple[tuple[str, str], ...]) -> None:
        self._items = items
        self._lower = {name.lower(): value for name, value in items}

    def __getitem__(self, name: str) -> str:
        return self._lower[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(dict(self._items))

    def __len__(self) -> int:
        return len(dict(self._items))

    def __reduce__(self) -> tuple[type[HeaderMap], tuple[tuple[tuple[str, str], ...]]]:
        return (HeaderMap, (self._items,))


@dataclass(frozen=True, slots=True)
class PageFile:
    """A file that holds one page (.html, .htm, .txt, maybe gzipped): read by the worker."""

    source_id: str
    path: str


@dataclass(frozen=True, slots=True)
class PagePayload:
    """A page already cut out of a container: a JSONL line, a WARC response, a fetched URL."""

    source_id: str
    content: bytes | str
    url: str | None = None
    headers: HeaderMap | None = None


@dataclass(frozen=True, slots=True)
class FailedInput:
    """An input that failed before parsing (bad JSON line, truncated WARC record, fetch error)."""

    source_id: str
    stage: str
    error_type: str
    message: str
    url: str | None = None


Task = PageFile | PagePayload | FailedInput


class Outcome(NamedTuple):
    """One record as the writer needs it: its JSON line plus what the summary counts."""

    source_id: str
    line: str
    """The record as one line of JSON, without the newline."""
    kind: str
    stage: str | None = None
    error_type: str | None = None
    repair_kinds: tuple[str, ...] = ()
    duplicate: bool = False


def article_outcome(article: Article) -> Outcome:
    """Serialise an Article once, in the worker, so the writer only moves bytes."""
    return Outcome(
        source_id=article.source_id or "",
        line=article.model_dump_json(),
        kind="article",
        repair_kinds=tuple(repair.kind for repair in article.repairs),
        duplicate=any(warning.startswith(DUPLICATE_PREFIX) for warning in article.warnings),
    )


def error_outcome(
    source_id: str, *, stage: str, error_type: str, message: str, url: str | None = None
) -> Outcome:
    """Build the ErrorRecord that stands for a failed input."""
    record = ErrorRecord(
        source_id=source_id, source_url=url, stage=stage, error_type=error_type, message=message
    )
    return Outcome(
        source_id=source_id,
        line=record.model_dump_json(),
        kind="error",
        stage=stage,
        error_type=error_type,
    )


def exception_outcome(source_id: str, exc: BaseException, *, url: str | None) -> Outcome:
    """Turn any exception into an ErrorRecord: ours carry their stage, others are "parse"."""
    if isinstance(exc, IomScrapeError):
        message, stage = exc.message, exc.stage
    else:
        message, stage = str(exc) or repr(exc), "parse"
    return error_outcome(
        source_id, stage=stage, error_type=type(exc).__name__, message=message, url=url
    )


def failed_input_outcome(task: FailedInput) -> Outcome:
    """The ErrorRecord of an input that failed while its container was read."""
    return error_outcome(
        task.source_id,
        stage=task.stage,
        error_type=task.error_type,
        message=task.message,
        url=task.url,
    )


def outcome_from_line(line: bytes | str) -> Outcome:
    """Read a written record back for resume and the summary (plain JSON: fast, no validation).

    Raises ``ValueError`` when the line is not a record (a torn or corrupt line).

    >>> line = '{"kind":"error","source_id":"a.txt","stage":"read","error_type":"ReadError"}'
    >>> outcome_from_line(line).stage
    'read'
    """
    data: Any = json.loads(line)
    if not isinstance(data, dict) or not isinstance(data.get("source_id"), str):
        raise ValueError("not a record line")
    text = line if isinstance(line, str) else line.decode("utf-8")
    if data.get("kind") == "article":
        return Outcome(
            source_id=data["source_id"],
            line=text,
            kind="article",
            repair_kinds=tuple(str(r.get("kind")) for r in data.get("repairs") or ()),
            duplicate=any(str(w).startswith(DUPLICATE_PREFIX) for w in data.get("warnings") or ()),
        )
    if data.get("kind") == "error":
        return Outcome(
            source_id=data["source_id"],
            line=text,
            kind="error",
            stage=data.get("stage"),
            error_type=data.get("error_type"),
        )
    raise ValueError(f"unknown record kind {data.get('kind')!r}")
