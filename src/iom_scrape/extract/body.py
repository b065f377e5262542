"""Title, dateline, body paragraphs and links from Blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urljoin

from iom_scrape.errors import NoContent
from iom_scrape.parse.blocks import Block, ParsedDocument

BODY_KINDS = frozenset({"paragraph", "list-item", "heading", "image"})
TEXT_KINDS = frozenset({"paragraph", "list-item"})
# "Nepal - ", "Geneva – ", "Port-au-Prince, Haiti - ", "Malí – ": a place, a spaced dash.
DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][\w'’.À-ÿ-]*(?:(?:\s|,\s)[A-ZÀ-Ý][\w'’.À-ÿ-]*){0,3})\s+[-–—]\s+(?=\S)"
)
NOT_PLACES = frozenset({"IOM", "OIM", "UN", "Update", "Note", "Editor"})
DATELINE_MAX_WORDS = 4
DATELINE_DASHES = frozenset({"-", "–", "—"})
"""DATELINE's dash is a word of its own among the first five (the place has at most
four): most first paragraphs have none there and skip the regex, which costs several
microseconds when it runs after the parser has taken the cache."""


def extract_title(document: ParsedDocument) -> str:
    """The headline: the title block, else the page's own title, else the first heading."""
    for kind in ("title", "heading"):
        block = next((b for b in document.blocks if b.kind == kind and b.text.strip()), None)
        if block and (kind == "title" or not document.hints.title):
            return block.text.strip()
    if document.hints.title:
        return document.hints.title.strip()
    raise NoContent("no title and no body survived cleaning")


@dataclass(slots=True)
class BodyParts:
    """The article body: its blocks (dateline cut), paragraph texts and the dateline."""

    blocks: list[Block]
    paragraphs: list[str]
    dateline: str | None


def body_parts(document: ParsedDocument) -> BodyParts:
    """The body blocks in order, the dateline cut from the first paragraph (read once,
    for the Article's ``dateline`` too), and the paragraph texts."""
    blocks = [block for block in document.blocks if block.kind in BODY_KINDS]
    dateline = None
    for index, block in enumerate(blocks):
        if block.kind in TEXT_KINDS:
            dateline, text = split_dateline(block.text)
            if dateline:
                blocks[index] = replace(block, text=text)
            break
    paragraphs = [block.text for block in blocks if block.kind in TEXT_KINDS and block.text.strip()]
    return BodyParts(blocks, paragraphs, dateline)


def has_title_block(document: ParsedDocument) -> bool:
    """A title or heading block (even a blank one), or a title from the page's head."""
    return bool(document.hints.title) or any(
        block.kind in ("title", "heading") for block in document.blocks
    )


def split_dateline(text: str) -> tuple[str | None, str]:
    """("Geneva", rest) for "Geneva – IOM said ..."; (None, text) otherwise.

    >>> split_dateline("Nepal - IOM today began")
    ('Nepal', 'IOM today began')
    >>> split_dateline("IOM - the agency")
    (None, 'IOM - the agency')
    """
    if DATELINE_DASHES.isdisjoint(text.split(None, DATELINE_MAX_WORDS + 1)[1:-1]):
        return None, text  # no dash standing alone after one to four words
    match = DATELINE.match(text)
    if match is None or match.group("place") in NOT_PLACES:
        return None, text
    return match.group("place"), text[match.end() :]


def link_records(blocks: list[Block], *, base_url: str) -> list[dict[str, str]]:
    """In-body links with absolute URLs, first occurrence of each kept (as Link fields)."""
    links: dict[tuple[str, str], dict[str, str]] = {}
    for block in blocks:
        for href, text in block.links:
            href = href.strip()
            if href.lower().startswith(("javascript:", "mailto:", "#")):
                continue
            url = join_url(base_url, href)
            links.setdefault((url, text), {"url": url, "text": text.strip()})
    return list(links.values())


@lru_cache(maxsize=4096)
def join_url(base_url: str, href: str) -> str:
    """``urljoin``, cached: the link and image records and the rendered bodies resolve
    the same hrefs on the same base, and ``urljoin`` runs some twenty Python calls."""
    return urljoin(base_url, href)
