"""Title, dateline, body paragraphs and links from Blocks."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urljoin

from iom_scrape.errors import NoContent
from iom_scrape.models import Link
from iom_scrape.parse.blocks import Block, ParsedDocument

BODY_KINDS = frozenset({"paragraph", "list-item", "heading", "image"})
TEXT_KINDS = frozenset({"paragraph", "list-item"})
# "Nepal - ", "Geneva – ", "Port-au-Prince, Haiti - ", "Malí – ": a place, a spaced dash.
DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][\w'’.À-ÿ-]*(?:(?:\s|,\s)[A-ZÀ-Ý][\w'’.À-ÿ-]*){0,3})\s+[-–—]\s+(?=\S)"
)
NOT_PLACES = frozenset({"IOM", "OIM", "UN", "Update", "Note", "Editor"})


def extract_title(document: ParsedDocument) -> str:
    """The headline: the title block, else the page's own title, else the first heading."""
    for kind in ("title", "heading"):
        block = next((b for b in document.blocks if b.kind == kind and b.text.strip()), None)
        if block and (kind == "title" or not document.hints.title):
            return block.text.strip()
    if document.hints.title:
        return document.hints.title.strip()
    raise NoContent("no title and no body survived cleaning")


def body_blocks(document: ParsedDocument) -> list[Block]:
    """The blocks of the article body, in order, the dateline cut from the first one."""
    blocks = [block for block in document.blocks if block.kind in BODY_KINDS]
    first = next((i for i, b in enumerate(blocks) if b.kind in TEXT_KINDS), None)
    if first is not None:
        place = split_dateline(blocks[first].text)[0]
        if place:
            text = blocks[first].text[DATELINE.match(blocks[first].text).end() :]  # type: ignore[union-attr]
            blocks[first] = replace(blocks[first], text=text)
    return blocks


def extract_dateline(document: ParsedDocument) -> str | None:
    """The place that opens the first paragraph, if any."""
    first = next((b for b in document.blocks if b.kind in TEXT_KINDS), None)
    return split_dateline(first.text)[0] if first else None


def split_dateline(text: str) -> tuple[str | None, str]:
    """("Geneva", rest) for "Geneva – IOM said ..."; (None, text) otherwise.

    >>> split_dateline("Nepal - IOM today began")
    ('Nepal', 'IOM today began')
    >>> split_dateline("IOM - the agency")
    (None, 'IOM - the agency')
    """
    match = DATELINE.match(text)
    if match is None or match.group("place") in NOT_PLACES:
        return None, text
    return match.group("place"), text[match.end() :]


def paragraphs_of(blocks: list[Block]) -> list[str]:
    """Body paragraph texts (list items count as paragraphs)."""
    return [block.text for block in blocks if block.kind in TEXT_KINDS and block.text.strip()]


def extract_links(blocks: list[Block], *, base_url: str) -> list[Link]:
    """In-body links with absolute URLs, first occurrence of each kept."""
    links: dict[tuple[str, str], Link] = {}
    for block in blocks:
        for href, text in block.links:
            if href.strip().lower().startswith(("javascript:", "mailto:", "#")):
                continue
            url = urljoin(base_url, href.strip())
            links.setdefault((url, text), Link(url=url, text=text.strip()))
    return list(links.values())
