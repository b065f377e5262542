"""Lines of an inline run: splitting at ``<br>``, paragraph ends, captions, leak signs.

A run is the inline text between two block boundaries of the page; ``<br>`` stays
in it as :data:`LINE_BREAK`. These helpers decide where a run's lines join into
one paragraph and where a new paragraph starts, without looking at the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iom_scrape.parse.blocks import link_context
from iom_scrape.parse.lead_in import LEAD_IN_INITIALS, is_contact_lead_in
from iom_scrape.parse.lines import ends_sentence, find_credit, strip_invisibles
from iom_scrape.repair.leaks import LeakRepairResult, SourceLine, find_leaked_markup

LINE_BREAK = "\x0b"
"""Stands for a ``<br>`` inside a run (a control character no page text contains)."""

# Zero-width and soft-hyphen characters crawls leave in text: they disappear (all
# whitespace, Word's NBSP runs included, collapses to one space in `collapse`).
# A run holding leaked tag remains as text: attribute runs, quoted paths, `">`.
LEAK_SIGN = re.compile(r'">|="|\bsrc=|/jahia/webdav/|mailto:|javascript:|px solid|-moz-')
# The one sign of LEAK_SIGN that is no plain substring.
SRC_ATTRIBUTE = re.compile(r"\bsrc=")
# A line that starts anew (after a sentence end, see parse.lines.ends_sentence).
STARTS_ANEW = re.compile(r"^[\"“«„'‘(¿¡A-ZÀ-Ý0-9]")
CAPTION_MAX = 400
BOLD_HEADING_MAX = 120
SHORT_TEXT = 64
"""Below this length ``isprintable`` is cheaper than nine substring tests."""


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
    """Whitespace runs (NBSP too) to one space, none at the ends.

    Most text is words between single spaces and source newlines: once the newlines
    are spaces, no double space and no other whitespace character show there is
    nothing to squeeze but the ends, without splitting the text into a list of words.

    >>> squeeze_spaces(" IOM\\nand\\u00a0 China "), squeeze_spaces("IOM\\nand China ")
    ('IOM and China', 'IOM and China')
    """
    spaced = text.replace("\n", " ")
    if "  " in spaced or _has_other_spaces(spaced):
        return " ".join(text.split())
    return spaced.strip(" ")


def _has_other_spaces(text: str) -> bool:
    """Might ``text`` hold whitespace other than the space (NBSP, a tab...)?

    ``isprintable`` is false for every whitespace character but the space (and for
    other invisible ones), but it looks each character up in the Unicode tables: on
    a long ASCII text a substring test for each of the nine ASCII ones is cheaper.
    """
    if len(text) < SHORT_TEXT or not text.isascii():
        return not text.isprintable()
    return (
        "\t" in text
        or "\r" in text
        or "\x0b" in text
        or "\x0c" in text
        or "\x1c" in text
        or "\x1d" in text
        or "\x1e" in text
        or "\x1f" in text
        or "\n" in text
    )


def shows_leak(raw: str) -> bool:
    """LEAK_SIGN's answer from substring tests; only ``src=`` needs the pattern's ``\\b``.

    Each sign is tested behind one of its characters: a one-character search is
    several times cheaper than a longer one on non-ASCII text, and the pattern
    itself costs a microsecond or more per run, even on one with a leak.
    """
    return (
        ("=" in raw and ('="' in raw or ("src=" in raw and SRC_ATTRIBUTE.search(raw) is not None)))
        or (">" in raw and '">' in raw)
        or ("/" in raw and "/jahia/webdav/" in raw)
        or (":" in raw and ("mailto:" in raw or "javascript:" in raw))
        or ("x" in raw and "px solid" in raw)
        or ("-" in raw and "-moz-" in raw)
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
    groups = [[lines[0]]]
    captions = [looks_like_caption(line.text) for line in lines]
    for index in range(1, len(lines)):
        if breaks_before(lines[index - 1], lines[index], captions[index - 1], captions[index]):
            groups.append([lines[index]])
        else:
            groups[-1].append(lines[index])
    return groups


def breaks_before(previous: Line, line: Line, previous_caption: bool, caption: bool) -> bool:
    """Does ``line`` start a new paragraph after ``previous`` in the same run?

    ``previous_caption`` and ``caption`` say whether each looks like a caption.
    """
    if line.boundary == "blank" or starts_contact(line.text):
        return True
    if line.boundary == "wrap":
        return False
    if caption or previous_caption:
        return True
    return ends_sentence(previous.text) and bool(STARTS_ANEW.match(line.text))


def starts_contact(text: str) -> bool:
    """:func:`is_contact_lead_in` behind a test of the first letter (lines are stripped)."""
    return text[:1] in LEAD_IN_INITIALS and is_contact_lead_in(text)


def looks_like_caption(text: str) -> bool:
    return len(text) <= CAPTION_MAX and find_credit(text) is not None


def repair_run(raw: str, first: int | None) -> tuple[list[Line], LeakRepairResult]:
    """The shared leak repair on a run's lines (the run starts on input line ``first``).

    The kept lines come back as Lines whose boundary says what separated them: a
    source newline ("wrap"), an empty line ("blank") or removed markup ("gap"). The
    repairs stay unvalidated in the result's ``found``: the caller validates a page's
    repairs together.
    """
    base = first or 1
    source: list[SourceLine] = []
    blank_before: set[int] = set()
    raw = strip_invisibles(raw).replace("\u00a0", " ").replace(LINE_BREAK, "\n")
    for offset, text in enumerate(raw.split("\n")):
        text = text.strip()
        if text:
            source.append(SourceLine(base + offset, text))
        else:
            blank_before.add(base + offset + 1)
    result = find_leaked_markup(source)
    lines: list[Line] = []
    previous: int | None = None
    for kept in result.lines:
        boundary = "wrap"
        if previous is not None and kept.number - previous > 1:
            boundary = "blank" if kept.number in blank_before else "gap"
        # (the repair only cuts and rejoins the lines: no invisible character came back)
        lines.append(Line(squeeze_spaces(kept.text), kept.number, boundary))
        previous = kept.number
    return lines, result


def leaked_links(result: LeakRepairResult) -> list[tuple[str, str, str]]:
    """The leaked anchors' (address, text, context) of a repaired run, text collapsed as its
    lines are."""
    return [(href, collapse(text), link_context(before)) for href, text, before in result.links()]


def is_bold_heading(text: str, bold_chars: int) -> bool:
    """``<p><strong>Background</strong></p>``: Word's fake heading (``bold_chars`` of it bold)."""
    if not bold_chars:
        return False
    visible = len(text) - text.count(" ")
    return (
        0 < visible <= BOLD_HEADING_MAX
        and bold_chars >= visible
        and not text.endswith((".", ",", ";"))
    )


def emphasis_in(
    text: str, spans: list[tuple[str, str, str]], *, heading: bool
) -> tuple[tuple[str, str, str], ...]:
    """The run's emphasis spans in this paragraph, consumed in order, as the body keeps them.

    A span over the whole paragraph is no inline emphasis: it is Word's fake heading
    or a ``<b>`` that broken markup never closed, so the body drops it (as it does
    any emphasis inside a heading).

    >>> emphasis_in("IOM says hi.", [("strong", "IOM", ""), ("em", "IOM says hi.", "")],
    ...             heading=False)
    (('strong', 'IOM', ''),)
    """
    found: list[tuple[str, str, str]] = []
    while spans and spans[0][1] in text:
        entry = spans.pop(0)
        if not heading and entry[1] != text:
            found.append(entry)
    return tuple(found)


def links_in(text: str, links: list[tuple[str, str, str]]) -> tuple[tuple[str, str, str], ...]:
    """The run's (href, link text, context) whose text is in this paragraph, consumed in order."""
    found: list[tuple[str, str, str]] = []
    while links and links[0][1] in text:
        found.append(links.pop(0))
    return tuple(found)
