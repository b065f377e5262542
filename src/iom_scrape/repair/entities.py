"""Repair HTML entities that were escaped once too often, before the page is parsed.

Copies of legacy bodies went through more than one CMS: an editor that escaped
an already-escaped body left ``&amp;quot;`` and ``&amp;nbsp;`` (readers see
``&quot;``), and one that escaped the markup itself left ``&lt;img src="..."&gt;``
visible as text. Both are undone in the HTML source so the parser sees the
characters and the tags the author meant; an escaped image becomes a real
``<img>`` and so an Image. Only a small set of content tags is made real, so an
escaped ``&lt;script&gt;`` stays text.
"""

from __future__ import annotations

import html
import re
from html.entities import name2codepoint

from iom_scrape.models import Repair

_NAMED = "|".join(sorted((re.escape(name) for name in name2codepoint), key=len, reverse=True))
# `&amp;` (repeated: `&amp;amp;quot;`) in front of a real entity: the entity was
# escaped again. Only known entity names, so `&amp;b=2` in a query string is left.
# Every name is a letter and 1-7 letters or digits: the lookahead rejects `b=2`
# before the engine tries the 250 names one by one.
DOUBLE_ESCAPED = re.compile(
    rf"&(?:amp;)+(?P<entity>#[0-9]{{1,7}};|#[xX][0-9a-fA-F]{{1,6}};"
    rf"|(?=[A-Za-z][A-Za-z0-9]{{1,7}};)(?:{_NAMED});)"
)
# Either repair's trigger; one scan of the page finds whether any is there.
ESCAPE = re.compile(r"&(?:amp|lt);")
# An escaped tag of the kinds editors put in a body: `&lt;img src="..." alt=""&gt;`,
# `&lt;a href=&quot;...&quot;&gt;`, `&lt;/a&gt;`, `&lt;br /&gt;`. The attribute run
# cannot contain `<`, `>`, `&lt;` or `&gt;` and is bounded, so the scan stays linear;
# `&gt;` can only follow the whole run, so the run is taken possessively (no
# backtracking into it when no `&gt;` follows).
ESCAPED_TAG = re.compile(
    r"&lt;(?P<tag>/?(?:img|a|br|p|b|i|em|strong|u|span|div|ul|ol|li|h[2-6]|blockquote)\b)"
    r"(?P<attrs>(?:[^<>&]|&(?!lt;|gt;)){0,600}+)&gt;",
    re.IGNORECASE,
)
SNIPPET = 80


def repair_entities(source: str) -> tuple[str, list[Repair]]:
    """Undo double-escaped entities, then make escaped content tags real.

    >>> repair_entities('<p>&amp;quot;Hi&amp;quot; &lt;img src="/a.jpg"&gt;</p>')[0]
    '<p>&quot;Hi&quot; <img src="/a.jpg"></p>'
    """
    repairs: list[Repair] = []
    first = ESCAPE.search(source)
    if first is None:
        return source, repairs
    if first.group() == "&amp;" or source.find("&amp;", first.end()) >= 0:
        source = _undo_double_escaping(source, repairs)
    if "&lt;" in source:
        source = _unescape_markup(source, repairs)
    return source, repairs


def _undo_double_escaping(source: str, repairs: list[Repair]) -> str:
    first: list[int] = []
    count = 0

    def single(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if not first:
            first.append(match.start())
        return "&" + match.group("entity")

    fixed = DOUBLE_ESCAPED.sub(single, source)
    if count:
        example = DOUBLE_ESCAPED.search(source, first[0])
        shown = example.group(0) if example else ""
        repairs.append(
            Repair(
                kind="double-escaped-entity",
                detail=f"{count} double-escaped entit{'y' if count == 1 else 'ies'}, e.g. {shown}",
                line=_line_of(source, first[0]),
            )
        )
    return fixed


def _unescape_markup(source: str, repairs: list[Repair]) -> str:
    pieces: list[str] = []
    position = 0
    line, counted = 1, 0  # the line number at ``counted``, counted on as matches come
    for match in ESCAPED_TAG.finditer(source):
        start = match.start()
        if not _in_text(source, start):
            continue
        tag = "<" + match.group("tag") + html.unescape(match.group("attrs")) + ">"
        pieces += [source[position:start], tag]
        position = match.end()
        line, counted = line + source.count("\n", counted, start), start
        repairs.append(
            Repair(kind="escaped-markup", detail=f"made real: {tag[:SNIPPET]}", line=line)
        )
    if not pieces:
        return source
    pieces.append(source[position:])
    return "".join(pieces)


def _in_text(source: str, index: int) -> bool:
    """Outside a tag: the last ``<`` before ``index`` was closed by a ``>``."""
    return source.rfind("<", 0, index) <= source.rfind(">", 0, index)


def _line_of(source: str, index: int) -> int:
    return source.count("\n", 0, index) + 1
