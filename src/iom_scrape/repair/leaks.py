"""Remove HTML that leaked into text as continuation lines of multi-line tags.

The migrated legacy bodies were hard-wrapped HTML; the text extractor removed a
tag only up to the end of its first line, so attribute runs, quoted paths and
``">`` remains survive as text (jahia-notes §5). This module works line by line,
keeps the real text that follows a tag's final ``">``, lifts leaked image paths
as images (with the quoted caption next to them), keeps a leaked anchor's address
with the text after it as a link, recovers ``mailto:`` addresses and records every
change as a :class:`~iom_scrape.models.Repair`.

The text-dump parser and the HTML parser (for leaks inside ``<p>``) both use it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from iom_scrape.models import PendingRepair, Repair, repairs_from


@dataclass(slots=True)
class SourceLine:
    """One input line with its 1-based number."""

    number: int
    text: str
    """The line's text; the lines ``repair_leaked_markup`` returns are stripped."""
    from_markup: bool = False
    """The text is what followed a leaked tag's ``">`` (link text, box title)."""
    link: str | None = None
    """The address of the leaked anchor whose text this line is (as found, maybe relative).

    The anchor's text is what followed its ``">`` on this line: the extractor cut the
    rest of the line at ``</a>``, so a text that ran on past the wrap keeps only its start.
    """


@dataclass(frozen=True, slots=True)
class LiftedImage:
    """An image path recovered from leaked markup."""

    src: str
    line: int
    caption: str | None = None


@dataclass(slots=True)
class LeakRepairResult:
    """Clean lines, the images lifted out of them, and what was done."""

    lines: list[SourceLine] = field(default_factory=list)
    images: list[LiftedImage] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    box_lines: set[int] = field(default_factory=set)
    """Lines where a link-box icon stood: the link text after it is box furniture."""
    found: list[PendingRepair] = field(default_factory=list)
    """The repairs as (kind, detail, line) until the end: validated in one call (by
    :func:`repair_leaked_markup`, or by the caller of :func:`find_leaked_markup`)."""
    pending_link: tuple[str, int] | None = None
    """A leaked anchor's address whose text comes on a following line, and its line."""

    def links(self) -> list[tuple[str, str, str]]:
        """(address, text, the kept line before) of the leaked anchors, in line order.

        A leaked anchor's text starts its line, so the line before is what precedes it.
        """
        return [
            (line.link, line.text, self.lines[index - 1].text if index else "")
            for index, line in enumerate(self.lines)
            if line.link
        ]


# A line that ends inside a tag: `alt="" border="0" src=`, `... target=`, a bare `src=`.
OPEN_ATTRIBUTE_END = re.compile(r"(?:^|[\s\"])[A-Za-z-]{1,20}=\s*$")
# A line that starts with an attribute of an img/a/div tag (the cut fell mid-tag).
ATTRIBUTE_START = re.compile(
    r"^(?:alt|border|height|width|hspace|vspace|style|onclick|onmouseover|target|title|href|"
    r"class|align|name|id|rel|src)\s*=",
    re.IGNORECASE,
)
# An empty anchor end `"">` standing alone (the address of a mailto link is lost).
EMPTY_TAG_TAIL = re.compile(r'""\s*>\s*$')
# A mailto href, with or without the visible text after `">`.
MAILTO = re.compile(r'"?mailto:\s*([^"\s<>]+@[^"\s<>]+?)"(?:[^>"]*"[^>"]*")*[^>]*?(?:>|=\s*$)')
# Quoted path of a leaked src/href; group 1 is the path or URL.
QUOTED_PATH = re.compile(r'^"((?:https?://[^"\s]+|/[^"\s]*))"')
# An anchor's address inside a leaked attribute run (`"link-class" href="http://..." target=`).
LEAKED_HREF = re.compile(r'\bhref="((?:https?://[^"\s]+|/[^"\s]*))"', re.IGNORECASE)
# How many lines after its address a leaked anchor's text may start (`target=` lines between).
LINK_TEXT_WINDOW = 2
IMAGE_PATH = re.compile(r"\.(?:jpe?g|gif|png|bmp|tiff?)(?:[?#][^\"]*)?$", re.IGNORECASE)
# Site furniture, not article images: icons, buttons, link-box graphics.
INTERFACE_GRAPHIC = re.compile(
    r"/graphics/|/icons?(?:_buttons)?/|blue_link_box|follow_us_|spacer\.gif|/interface/",
    re.IGNORECASE,
)
# A quoted CSS declaration list opening a floated box: IE upper-case or Firefox -moz-.
STYLE_DEBRIS = re.compile(r'^"\s*-?[A-Za-z][A-Za-z-]{1,40}\s*:\s*[^"]{0,2000};[^"]{0,2000}"?>')
# The Manila intranet test server that leaked into published links (jahia-notes §1.4).
INTRANET_HOST = re.compile(r"^https?://mnlintranettest\b", re.IGNORECASE)
INTERFACE_WORDS = (
    "/graphics/",
    "/icon",
    "blue_link_box",
    "follow_us_",
    "spacer.gif",
    "/interface/",
)
"""Cheap gate: INTERFACE_GRAPHIC runs only on paths containing one of these."""
# Javascript handlers and analytics calls left from links.
JAVASCRIPT = re.compile(
    r"javascript:|pageTracker\._trackPageview|window\.open\(|openWindow\(", re.IGNORECASE
)
# Yahoo mail digest CSS (`#yiv1234 .titles {...}`) and table pipes.
DIGEST_CSS = re.compile(r"^#yiv\d+|^\s*\|[\s|]*$")
# Words of the floated link boxes that end up on lines of their own.
SIDEBAR_WORDS = re.compile(
    r"^(?:related\s+links?|related\s+documents?|links|make\s+a\s+donation|donate\s+now!?|now!|"
    r"photo\s+gallery|situation\s+report|response\s+plan(?:\s+\d{4})?|related|make|"
    r"a\s+donation)$",
    re.IGNORECASE,
)
# Every character re.IGNORECASE lets a SIDEBAR_WORDS line start with (the long s folds
# to "s"): a line that starts otherwise skips the regex, whose case folding is slow.
SIDEBAR_INITIALS = frozenset("ADLMNPRSadlmnprsſ")
# A caption in stray quotes: a whole line inside straight or curly quotes.
QUOTED_LINE = re.compile(r'^["“]([^"”]{8,})["”]$')
# `"mailto:a">a` becomes `a a` (or `aa`): the same address twice in a row.
REPEATED_ADDRESS = re.compile(r"(\S+@\S+?)\s*\1")
# A box label never ends like a clause or sentence.
ENDS_CLAUSE = re.compile(r"[.!?:;,\"”]$")
SIDEBAR_WORD_MAX = 24
# Line starts that only leaked markup has: a quoted path or URL, digest CSS, table pipes.
LEAK_LINE_STARTS = ('"/', '"http', "#yiv", "|")
CAPTION_WINDOW = 3
SIDEBAR_MAX_LINES = 14
SHORT_LINE = 45
SNIPPET = 80


def repair_leaked_markup(lines: Sequence[SourceLine]) -> LeakRepairResult:
    """Clean leaked markup from lines, lifting images and addresses out of it.

    >>> r = repair_leaked_markup([SourceLine(1, 'src='), SourceLine(2, '"/a/b.jpg">'),
    ...                           SourceLine(3, 'Text')])
    >>> [l.text for l in r.lines], [i.src for i in r.images]
    (['Text'], ['/a/b.jpg'])
    """
    result = find_leaked_markup(lines)
    if result.found:
        result.repairs = repairs_from(result.found)
    return result


def find_leaked_markup(lines: Sequence[SourceLine]) -> LeakRepairResult:
    """:func:`repair_leaked_markup` with the repairs left in ``found``, unvalidated: for a
    caller that repairs many runs of a page and validates all their repairs in one call."""
    result = LeakRepairResult()
    kept = result.lines
    for line in lines:  # the hot loop of the text path: clean lines take the short branch
        text = line.text.strip()
        if not (text and _has_leak_sign(text)):
            kept.append(
                line if text == line.text else SourceLine(line.number, text, line.from_markup)
            )
        elif (cleaned := _clean_leaky_text(line, text, result)) is not None:
            kept.append(cleaned)
    result.lines = _drop_sidebar_boxes(kept, result.found, result.box_lines)
    _lift_captions(result)
    return result


def _has_leak_sign(text: str) -> bool:
    """Cheap gate: most body lines have none of the signs of leaked markup."""
    return (
        "=" in text
        or '">' in text
        or text.startswith(LEAK_LINE_STARTS)
        or "mailto:" in text
        or "avascript" in text
    )


def _clean_leaky_text(line: SourceLine, text: str, result: LeakRepairResult) -> SourceLine | None:
    n = line.number
    if DIGEST_CSS.match(text):
        result.found.append(_repair("digest-css", text, n))
        return None
    if "mailto:" in text:
        return _recover_mailto(line, text, result)
    if STYLE_DEBRIS.match(text):
        return _keep_tail(line, text, "style-debris", result)
    path = QUOTED_PATH.match(text)
    if path:
        address = path.group(1)
        if IMAGE_PATH.search(address):
            _lift_image(address, n, result)
            return _keep_tail(line, text, "stray-src", result)
        _note_intranet_host(address, n, result)
        return _keep_tail(line, text, "anchor-remains", result, href=address)
    if _may_hold_javascript(text) and JAVASCRIPT.search(text):
        return _keep_tail(line, text, "javascript-handler", result)
    if text.lower().endswith("src=") and '">' not in text:
        return _keep_before_tag(line, text, result)
    if ATTRIBUTE_START.match(text) or (text.startswith('"') and '">' in text):
        return _keep_tail(line, text, "attribute-run" if "=" in text else "anchor-remains", result)
    if OPEN_ATTRIBUTE_END.search(text) and ('="' in text or len(text) < 12 or '"' in text):
        if (href := LEAKED_HREF.search(text)) is not None:
            result.pending_link = (href.group(1), n)
        return _keep_before_tag(line, text, result)
    if EMPTY_TAG_TAIL.search(text):
        result.found.append(_repair("mailto-fragment", "empty anchor end: address lost", n))
        return SourceLine(n, EMPTY_TAG_TAIL.sub("", text).rstrip(), line.from_markup)
    return line


def _may_hold_javascript(text: str) -> bool:
    """Cheap gate: each branch of JAVASCRIPT holds ``:``, ``_`` or ``(``, characters
    without case (IGNORECASE folds no other character to them)."""
    return ":" in text or "_" in text or "(" in text


def _keep_tail(
    line: SourceLine,
    text: str,
    kind: str,
    result: LeakRepairResult,
    *,
    href: str | None = None,
) -> SourceLine | None:
    """Drop everything up to a tag's final ``">`` and keep the real text after it.

    The text after an anchor's ``">`` is its link text: it keeps the anchor's address
    (``href``, or one left pending by the lines before).
    """
    tail = text[text.rfind('">') + 2 :].strip() if '">' in text else ""
    result.found.append(_repair(kind, text, line.number))
    if not tail:
        if href is not None and '">' not in text:
            result.pending_link = (href, line.number)  # its text follows on a later line
        return None
    if tail.startswith('"') and '">' not in tail and QUOTED_PATH.match(tail):
        return None
    if href is None and '">' in text:
        href = _pending_link(result, line.number)
    return SourceLine(line.number, tail, from_markup=True, link=href)


def _pending_link(result: LeakRepairResult, number: int) -> str | None:
    """The address a few lines up whose anchor text this line's ``">`` ends (taken once)."""
    pending, result.pending_link = result.pending_link, None
    if pending is None or number - pending[1] > LINK_TEXT_WINDOW:
        return None
    return pending[0]


def _keep_before_tag(line: SourceLine, text: str, result: LeakRepairResult) -> SourceLine | None:
    """A line ending inside a tag (``... src=``): keep prose before the tag, if any."""
    start = _tag_run_start(text)
    kind = "stray-src" if text.rstrip().lower().endswith("src=") else "attribute-run"
    result.found.append(_repair(kind, text, line.number))
    prose = text[:start].rstrip()
    return SourceLine(line.number, prose, line.from_markup) if prose else None


def _tag_run_start(text: str) -> int:
    """Where the run of ``name="value"`` attributes at the end of a line begins.

    The tokens are found from the end with ``str.rindex``: the last occurrence of a
    token before the one after it is that token (nothing but spaces lies between).

    >>> _tag_run_start('see the photo alt="" src=')
    14
    """
    start = len(text)
    for token in reversed(text.split()):
        if "=" in token or token.startswith('"') or token.endswith('"'):
            start = text.rindex(token, 0, start)
        else:
            break
    return start


def _recover_mailto(line: SourceLine, text: str, result: LeakRepairResult) -> SourceLine:
    """``E-mail: "mailto:a@iom.int">a@iom.int`` -> ``E-mail: a@iom.int``."""

    def one_address(match: re.Match[str]) -> str:
        return match.group(1).rstrip(".")

    cleaned = MAILTO.sub(one_address, text)
    cleaned = _drop_repeated_address(cleaned)
    result.found.append(_repair("mailto-fragment", text, line.number))
    return SourceLine(line.number, cleaned.strip(), line.from_markup)


def _drop_repeated_address(text: str) -> str:
    """After ``"mailto:a">a`` becomes ``aa``-like ``a a``, keep one copy.

    The repeated group holds an ``@``: with fewer than two in the text there is
    nothing to find, and the backtracking scan is skipped. Each match gives way to
    its group by a function: a ``\\1`` template is expanded in Python, at twice the cost.

    >>> _drop_repeated_address('E-mail: a@iom.inta@iom.int')
    'E-mail: a@iom.int'
    """
    if text.count("@") < 2:
        return text
    return REPEATED_ADDRESS.sub(_first_copy, text)


def _first_copy(match: re.Match[str]) -> str:
    return match.group(1)


def _note_intranet_host(path: str, number: int, result: LeakRepairResult) -> None:
    if INTRANET_HOST.search(path):
        result.found.append(_repair("intranet-host", path, number))


def _lift_image(path: str, number: int, result: LeakRepairResult) -> None:
    """A leaked image path (IMAGE_PATH matched it) becomes an image, unless it is site
    furniture or an image lifted before."""
    _note_intranet_host(path, number, result)
    if is_interface_graphic(path):
        result.found.append(_repair("attribute-run", f"interface graphic dropped: {path}", number))
        result.box_lines.add(number)
        return
    if any(image.src == path for image in result.images):
        result.found.append(_repair("duplicate-line", f"repeated image {path}", number))
        return
    result.images.append(LiftedImage(src=path, line=number))


def is_interface_graphic(path: str) -> bool:
    """An icon, button, spacer or link-box graphic of the site, not an article image."""
    folded = path.lower()
    for word in INTERFACE_WORDS:
        if word in folded:
            return INTERFACE_GRAPHIC.search(path) is not None
    return False


def _drop_sidebar_boxes(
    lines: list[SourceLine], found: list[PendingRepair], box_lines: set[int]
) -> list[SourceLine]:
    """Drop the words of floated link boxes ("Related Links", link labels, "Now!")."""
    kept: list[SourceLine] = []
    box_lines_left = 0
    for line in lines:
        text = line.text
        is_box_word = (
            len(text) <= SIDEBAR_WORD_MAX
            and text[:1] in SIDEBAR_INITIALS
            and SIDEBAR_WORDS.match(text) is not None
        )
        if is_box_word or (line.number in box_lines and line.from_markup):
            found.append(_repair("sidebar-box", text, line.number))
            box_lines_left = SIDEBAR_MAX_LINES
            continue
        if box_lines_left and _looks_like_box_label(line):
            found.append(_repair("sidebar-box", text, line.number))
            box_lines_left -= 1
            continue
        box_lines_left = 0
        kept.append(line)
    return kept


def _looks_like_box_label(line: SourceLine) -> bool:
    text = line.text
    return (
        bool(text)
        and len(text) <= SHORT_LINE
        and not ENDS_CLAUSE.search(text)
        and (line.from_markup or len(text.split()) <= 6)
    )


def _lift_captions(result: LeakRepairResult) -> None:
    """A whole line in stray quotes beside a lifted image is its caption, not prose."""
    if not result.images:
        return
    captions: dict[str, str] = {}
    drop: set[int] = set()
    for image in result.images:
        for index in _lines_near(result.lines, image.line):
            match = QUOTED_LINE.match(result.lines[index].text)
            if match and index not in drop:
                captions[image.src] = match.group(1).strip()
                drop.add(index)
                result.found.append(
                    _repair("caption-lifted", match.group(1), result.lines[index].number)
                )
                break
    result.lines = [line for i, line in enumerate(result.lines) if i not in drop]
    result.images = [LiftedImage(im.src, im.line, captions.get(im.src)) for im in result.images]


def _lines_near(lines: list[SourceLine], number: int) -> list[int]:
    """Indexes of the non-blank lines just before, then just after, input line ``number``.

    Lines are in input order, so the neighbours are found by bisection, not a scan.
    """
    before = bisect.bisect_left(lines, number, key=attrgetter("number"))
    after = bisect.bisect_right(lines, number, lo=before, key=attrgetter("number"))
    return _non_blank(lines, range(before - 1, -1, -1)) + _non_blank(
        lines, range(after, len(lines))
    )


def _non_blank(lines: list[SourceLine], indexes: range) -> list[int]:
    """The first ``CAPTION_WINDOW`` of ``indexes`` whose line has text."""
    found: list[int] = []
    for index in indexes:
        if lines[index].text:
            found.append(index)
            if len(found) == CAPTION_WINDOW:
                break
    return found


def _repair(kind: str, text: str, line: int | None) -> PendingRepair:
    """A repair whose detail is cut to a readable snippet of the input."""
    return kind, text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…", line
