"""Publication date: from the page, its meta data, its text, then its photo names.

Migrated briefing notes lost their date line (jahia-notes §3.2), so the last
resort is the PBN photo file name, recorded as ``published_source="image-filename"``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from iom_scrape.extract.images import ImageFields
from iom_scrape.models import DateSource
from iom_scrape.parse.blocks import ParsedDocument
from iom_scrape.parse.dates import find_date, parse_date_line

LEAD_DATE_WINDOW = 60
"""A date this close to the start of the first paragraph is the item's date line."""


@dataclass(slots=True)
class PublishedDate:
    """The chosen date, where it came from, and doubts about it."""

    date: dt.date | None = None
    source: DateSource | None = None
    warnings: list[str] = field(default_factory=list)


def extract_published(
    document: ParsedDocument, first_paragraph: str | None, images: list[ImageFields]
) -> PublishedDate:
    """Pick the publication date by the order of trust."""
    from_blocks = _from_date_blocks(document)
    if from_blocks.date:
        return from_blocks
    if document.hints.published and document.hints.published_source:
        return PublishedDate(document.hints.published, document.hints.published_source)
    if first_paragraph:
        found = find_date(first_paragraph[: LEAD_DATE_WINDOW + 20])
        if found and found.start <= LEAD_DATE_WINDOW and not found.ambiguous:
            return PublishedDate(found.date, "text")
    dated = next((image["date"] for image in images if image["date"]), None)
    if dated:
        return PublishedDate(dated, "image-filename")
    return from_blocks


def _from_date_blocks(document: ParsedDocument) -> PublishedDate:
    source: DateSource = "page" if document.source_kind == "html" else "text"
    for block in document.blocks:
        if block.kind != "date":
            continue
        found = parse_date_line(block.text) or find_date(block.text)
        if found is None:
            continue
        warnings = (
            [f"ambiguous day/month order in date {block.text!r}: read as {found.date.isoformat()}"]
            if found.ambiguous
            else []
        )
        return PublishedDate(found.date, source, warnings)
    return PublishedDate()
