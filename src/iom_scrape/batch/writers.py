"""Where batch records go: the JSONL journal, and CSV, Parquet and per-article files from it.

The JSONL output is the journal of the run: each record is appended with one
``write()`` on an ``O_APPEND`` descriptor, so a record is either wholly in the
file or (after a kill mid-write) a torn last line that resume cuts off. It
needs no buffer flush because there is no buffer. CSV, Parquet and the
``--export-dir`` files are derived from the journal at the end of the run
(after ``--dedupe`` has flagged duplicates), each written to a temporary file
and renamed into place, so they are never half-written either.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TextIO

from iom_scrape.batch.records import DUPLICATE_PREFIX

ExportFormat = Literal["markdown", "html"]

CSV_FIELDS = (
    "kind",
    "source_id",
    "source_url",
    "canonical_url",
    "title",
    "published",
    "published_source",
    "language",
    "dateline",
    "paragraph_count",
    "quote_count",
    "image_count",
    "contact_count",
    "repair_count",
    "speakers",
    "image_urls",
    "contact_names",
    "contact_emails",
    "contact_phones",
    "warnings",
    "text",
    "stage",
    "error_type",
    "message",
)
"""Columns of the CSV output: the main fields of both record kinds, flattened."""

LIST_SEPARATOR = " | "
PARQUET_BATCH_ROWS = 1000

# Anything but ASCII letters and digits becomes one hyphen in an export file name.
SLUG_JUNK = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 60


class JsonlJournal:
    """Append-only JSONL output: one atomic ``write()`` per record."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, line: str) -> None:
        """Append one record line (without its newline)."""
        data = memoryview((line + "\n").encode("utf-8"))
        while data:
            written = os.write(self._fd, data)
            data = data[written:]

    def close(self) -> None:
        """Make the records durable and release the file."""
        if self._fd >= 0:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> JsonlJournal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def iter_record_dicts(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Every record of the journal files, as plain dicts (fast; they were validated on write)."""
    for path in paths:
        with path.open("rb") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


def is_duplicate(record: dict[str, Any]) -> bool:
    """True for an article ``--dedupe`` flagged as a copy of another."""
    return any(str(w).startswith(DUPLICATE_PREFIX) for w in record.get("warnings") or ())


# -- CSV and Parquet ----------------------------------------------------------------


def flatten_record(record: dict[str, Any]) -> dict[str, str | int | None]:
    """The CSV row of a record: main fields, counts, and lists joined by `` | ``.

    >>> row = flatten_record({"kind": "error", "source_id": "a.txt", "stage": "read",
    ...                       "error_type": "ReadError", "message": "corrupt gzip"})
    >>> row["stage"], row["title"]
    ('read', None)
    """
    row: dict[str, str | int | None] = {name: record.get(name) for name in CSV_FIELDS}
    if record.get("kind") != "article":
        return row
    contacts = record.get("contacts") or []
    row.update(
        paragraph_count=len(record.get("paragraphs") or []),
        quote_count=len(record.get("quotes") or []),
        image_count=len(record.get("images") or []),
        contact_count=len(contacts),
        repair_count=len(record.get("repairs") or []),
        speakers=_joined(q.get("speaker") for q in record.get("quotes") or []),
        image_urls=_joined(i.get("url") for i in record.get("images") or []),
        contact_names=_joined(c.get("name") for c in contacts),
        contact_emails=_joined(e for c in contacts for e in c.get("emails") or []),
        contact_phones=_joined(
            p.get("e164") or p.get("raw") for c in contacts for p in c.get("phones") or []
        ),
        warnings=_joined(record.get("warnings") or []),
        text="\n\n".join(record.get("paragraphs") or []),
    )
    return row


def _joined(values: Iterable[Any]) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values if v)


def write_csv(paths: Iterable[Path], target: Path) -> int:
    """Write every record as a flattened CSV row; returns the number of rows."""
    rows = 0
    with _atomic_file(target) as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for record in iter_record_dicts(paths):
            writer.writerow(flatten_record(record))
            rows += 1
    return rows


def parquet_available() -> bool:
    """True when pyarrow (the ``parquet`` extra) is installed."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def write_parquet(paths: Iterable[Path], target: Path) -> int:
    """Write the flattened rows as Parquet (needs pyarrow), in row groups: flat memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [(name, pa.int64() if name.endswith("_count") else pa.string()) for name in CSV_FIELDS]
    )
    rows = 0
    temporary = target.with_name(target.name + ".tmp")
    target.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(str(temporary), schema) as writer:
        batch: list[dict[str, str | int | None]] = []
        for record in iter_record_dicts(paths):
            batch.append(flatten_record(record))
            if len(batch) >= PARQUET_BATCH_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                rows, batch = rows + len(batch), []
        if batch or rows == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            rows += len(batch)
    os.replace(temporary, target)
    return rows


# -- one file per article -------------------------------------------------------------


def export_articles(paths: Iterable[Path], directory: Path, fmt: ExportFormat) -> int:
    """One Markdown or HTML file per article (duplicates left out), for a CMS import."""
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    for record in iter_record_dicts(paths):
        if record.get("kind") != "article" or is_duplicate(record):
            continue
        suffix = ".md" if fmt == "markdown" else ".html"
        body = article_markdown(record) if fmt == "markdown" else article_html(record)
        target = directory / (export_name(record) + suffix)
        with _atomic_file(target) as handle:
            handle.write(body)
        written += 1
    return written


def export_name(record: dict[str, Any]) -> str:
    """A stable, unique file name: the title's slug plus a hash of the ``source_id``.

    >>> export_name({"title": "Haïti : l'OIM & la Croix-Rouge", "source_id": "a.txt"})[:-11]
    'haiti-l-oim-la-croix-rouge'
    """
    title = unicodedata.normalize("NFKD", str(record.get("title") or ""))
    ascii_title = title.encode("ascii", "ignore").decode("ascii").lower()
    slug = SLUG_JUNK.sub("-", ascii_title).strip("-")[:SLUG_MAX]
    digest = hashlib.sha1(str(record.get("source_id")).encode("utf-8")).hexdigest()[:10]
    return f"{slug.rstrip('-') or 'article'}-{digest}"


def article_markdown(record: dict[str, Any]) -> str:
    """Markdown with a front matter a CMS importer reads (JSON strings are valid YAML)."""
    meta = {
        key: record.get(key)
        for key in ("title", "published", "language", "source_url", "source_id", "dateline")
        if record.get(key) is not None
    }
    front = "\n".join(
        f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()
    )
    body = record.get("body_markdown") or "\n\n".join(record.get("paragraphs") or [])
    return f"---\n{front}\n---\n\n# {record.get('title')}\n\n{body.strip()}\n"


def article_html(record: dict[str, Any]) -> str:
    """A minimal HTML document: the sanitised ``body_html``, else escaped paragraphs."""
    title = html.escape(str(record.get("title") or ""))
    body = record.get("body_html") or "\n".join(
        f"<p>{html.escape(p)}</p>" for p in record.get("paragraphs") or []
    )
    language = html.escape(str(record.get("language") or "en"))
    metas = "".join(
        f'<meta name="{name}" content="{html.escape(str(record[key]))}">\n'
        for name, key in (("source-url", "source_url"), ("published", "published"))
        if record.get(key)
    )
    return (
        f'<!doctype html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n{metas}</head>\n<body>\n<h1>{title}</h1>\n"
        f"{body}\n</body>\n</html>\n"
    )


@contextmanager
def _atomic_file(target: Path) -> Iterator[TextIO]:
    """Write to ``<name>.tmp`` and rename it over the target on success only."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            yield handle
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, target)
