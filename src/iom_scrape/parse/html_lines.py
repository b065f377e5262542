"""Lines of an inline run: splitting at ``<br>``, paragraph ends, captions, leak signs.

A run is the inline text between two block boundaries of the page; ``<br>`` stays
in it as :data:`LINE_BREAK`. These helpers decide where a run's lines join into
one paragraph and where a new paragraph starts, without looking at the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iom_scrape.parse.lead_in import is_contact_lead_in
from iom_scrape.parse.lines import ends_sentence, find_credit, strip_invisibles

LINE_BREAK = "\x0b"
"""Stands for a ``<br>`` inside a run (a control character no page text contains)."""

# Zero-width and soft-hyphen characters crawls leave in text: they disappear (all
# whitespace, Word's NBSP runs included, collapses to one space in `collapse`).
# A run holding leaked tag remains as text: attribute runs, quoted paths, `">`.
LEAK_SIGN = re.compile(r'">|="|\bsrc=|/jahia/webdav/|mailto:|javascript:|px solid|-moz-')
# What LEAK_SIGN needs to match, each behind one of its characters: a one-character
# search is several times cheaper than a longer one on non-ASCII text.
LEAK_HINTS = (
    ("=", "="), (">", '">'), ("/", "/jahia/webdav/"), (":", "mailto:"), (":", "javascript:"),
    ("x", "px solid"), ("-", "-moz-"),
)  # fmt: skip
# A line that starts anew (after a sentence end, see parse.lines.ends_sentence).
STARTS_ANEW = re.compile(r"^[\"“«„'‘(¿¡A-ZÀ-Ý0-9]")
CAPTION_MAX = 400


@dataclass(slots=True)
class Line:
    """One line of a run: its text, input line, and what separated it from the last."""

    text: str
    number: int | None
    boundary: str  # "wrap" (source newline), "br", "blank" (empty line), "gap" (leak removed)


def collapse(text: str) -> str:
    """One line of text: whitespace runs (NBSP too) to one space, invisibles removed.

    >>> collapse("  IOM\\u00a0\\u00a0 and\\n China\\u200b ")
    'IOM and China'
    """
    return squeeze_spaces(strip_invisibles(text))


def squeeze_spaces(text: str) -> str:
    """Whitespace runs (NBSP too) to one space, none at the ends."""
    return " ".join(text.split())


def shows_leak(raw: str) -> bool:
    """Substring tests first (cheap on clean text), then the precise pattern."""
    return (
        any(char in raw and sign in raw for char, sign in LEAK_HINTS)
        and LEAK_SIGN.search(raw) is not None
    )


def split_lines(raw: str, first: int | None) -> list[Line]:
    """A run's ``<br>``-separated lines; an empty line marks a paragraph end."""
    raw = strip_invisibles(raw)
    if LINE_BREAK not in raw:
        text = squeeze_spaces(raw)
        return [Line(text, first, "br")] if text else []
    lines: list[Line] = []
    number = first
    blank = False
    for segment in raw.split(LINE_BREAK):
        text = squeeze_spaces(segment)
        if text:
            lines.append(Line(text, number, "blank" if blank else "br"))
            blank = False
        elif lines:
            blank = True
        if number is not None:
            number += segment.count("\n")
    return lines


def group_paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Consecutive lines joined into paragraphs (most runs hold one line: one group)."""
    if len(lines) < 2:
        return [lines] if lines else []
    groups: list[list[Line]] = []
    for line in lines:
        if groups and not breaks_before(groups[-1][-1], line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def breaks_before(previous: Line, line: Line) -> bool:
    """Does ``line`` start a new paragraph after ``previous`` in the same run?"""
    if line.boundary == "blank" or is_contact_lead_in(line.text):
        return True
    if line.boundary == "wrap":
        return False
    if looks_like_caption(line.text) or looks_like_caption(previous.text):
        return True
    return ends_sentence(previous.text) and bool(STARTS_ANEW.match(line.text))


def looks_like_caption(text: str) -> bool:
    return len(text) <= CAPTION_MAX and find_credit(text) is not None
