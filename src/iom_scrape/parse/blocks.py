"""Blocks: the flat, source-positioned units every extractor works on.

Both the text-dump parser and the HTML parser produce a :class:`ParsedDocument`;
``extract/`` never sees raw HTML or raw text, which is how one quote, contact,
image and date extractor serves every kind of input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from iom_scrape.models import Repair

LINK_CONTEXT_CHARS = 12
"""How much of the text before a link (spaces left out) tells its occurrence apart."""

BlockKind = Literal[
    "title",  # the headline (at most one; the extractor falls back to hints)
    "heading",  # a sub-heading inside the body (h2-h4)
    "paragraph",  # body prose, already unwrapped into one line
    "list-item",  # an item of a body list
    "image",  # an image: ``src`` (as found), ``alt``, ``caption``
    "contact",  # the contact block: ``lines`` keeps its lines, lead-in first
    "date",  # a line that only states a date (page header, "Posted on ...")
]


@dataclass(slots=True)
class Block:
    """One unit of a page, with the 1-based input line it starts on.

    Treated as immutable once a parser has added it (changed only through
    ``dataclasses.replace``) but not declared frozen: a frozen dataclass takes three
    times as long to build, and parsers build one per paragraph.
    """

    kind: BlockKind
    text: str
    line: int | None = None
    src: str | None = None
    alt: str | None = None
    caption: str | None = None
    lines: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    """(href as found, link text) pairs inside a paragraph or list item."""
    link_context: tuple[str, ...] = ()
    """For each link, the text just before it in the page (:func:`link_context`): the
    occurrence of a link text that appears more than once which the link is."""
    level: int = 0
    """A heading's level in the page (1-6 for ``h1``-``h6``); 0 for a bold line or a dump."""
    ordered: bool = False
    """A list item of a numbered list (``<ol>``)."""
    quoted: bool = False
    """Inside a ``<blockquote>``."""
    emphasis: tuple[tuple[str, str], ...] = ()
    """("strong" or "em", text) spans inside a paragraph or list item, in order."""
    emphasis_context: tuple[str, ...] = ()
    """For each span, the text just before it in the page, as ``link_context``."""


@dataclass(slots=True)
class PageHints:
    """What the container of the body says about it (HTML head, URL, headers)."""

    title: str | None = None
    """A fallback title, e.g. ``<title>`` minus the site suffix."""
    published: dt.date | None = None
    published_source: Literal["page", "meta", "url"] | None = None
    language: str | None = None
    """``<html lang>`` or the ``lang/xx`` of a Jahia URL."""
    base_url: str | None = None
    """Where relative URLs resolve (``<base href>`` or the page URL)."""


@dataclass(slots=True)
class ParsedDocument:
    """The output of a parser: blocks plus what was repaired on the way."""

    blocks: list[Block]
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    hints: PageHints = field(default_factory=PageHints)
    source_kind: Literal["text", "html"] = "text"
    """Which parser made it: a date Block from HTML page structure counts as "page"."""


def link_context(before: str) -> str:
    """The last few characters before a link, spaces left out (so any wrapping reads alike).

    >>> link_context("is published on the\\n IOM")
    'shedontheIOM'
    """
    return "".join(before.split())[-LINK_CONTEXT_CHARS:]
