"""Records -> JSON, JSON Schema and one-line summaries."""

from __future__ import annotations

import json
from typing import Any

from iom_scrape.models import RECORD_ADAPTER, Article, ErrorRecord


def record_json(record: Article | ErrorRecord, *, indent: int | None = None) -> str:
    """The record as JSON, the contract users build on."""
    return record.model_dump_json(indent=indent)


def record_schema() -> dict[str, Any]:
    """JSON Schema of any output record (Article or ErrorRecord, by ``kind``)."""
    return RECORD_ADAPTER.json_schema(mode="serialization")


def record_schema_json() -> str:
    """The committed form of the schema (sorted keys, stable indentation)."""
    return json.dumps(record_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def summary_line(record: Article | ErrorRecord) -> str:
    """One line per record: what `make run` prints.

    >>> summary_line(Article(title="T", paragraphs=["a"]))
    'T | date: - | paragraphs 1, quotes 0, images 0, contacts 0, repairs 0'
    """
    if isinstance(record, ErrorRecord):
        return f"ERROR {record.error_type} ({record.stage}): {record.message}"
    date = record.published.isoformat() if record.published else "-"
    return (
        f"{record.title[:70]} | date: {date} | paragraphs {len(record.paragraphs)}, "
        f"quotes {len(record.quotes)}, images {len(record.images)}, "
        f"contacts {len(record.contacts)}, repairs {len(record.repairs)}"
    )


def article_text(article: Article) -> str:
    """A readable rendering for `iom-scrape parse --format text`."""
    lines = [article.title, "=" * min(len(article.title), 78)]
    if article.published:
        lines.append(f"Published: {article.published} (from {article.published_source})")
    if article.dateline:
        lines.append(f"Dateline: {article.dateline}")
    lines += ["", *[p + "\n" for p in article.paragraphs]]
    lines += [f'Quote: "{q.text[:60]}…" — {q.speaker or "unattributed"}' for q in article.quotes]
    lines += [f"Image: {i.url}  {i.caption or ''}" for i in article.images]
    for contact in article.contacts:
        phones = ", ".join(p.e164 or p.raw for p in contact.phones)
        emails = ", ".join(contact.emails) or ("(address lost)" if contact.email_lost else "")
        lines.append(
            f"Contact: {contact.name or '-'} | {contact.office or '-'} | {phones} | {emails}"
        )
    lines.append(f"Repairs: {len(article.repairs)}; warnings: {len(article.warnings)}")
    return "\n".join(lines)
