"""HTML page -> Blocks: decode, repair, parse with recovery, strip chrome, find the article.

One tolerant entry point for every page the old Jahia site served, the Wayback
Machine archived or the new site re-published. The stages, each in its module:

- ``repair.encoding`` / ``repair.entities``: bytes to text, mojibake, escaped entities;
- lxml with recovery (a tree deeper than libxml2's limit is flattened and parsed again);
- ``html_hints``: ``<title>``, meta dates, language, ``<base href>``;
- ``html_chrome``: navigation, boxes, footers, Word residue;
- ``html_content``: the Jahia press-release template, the new site's body, else density;
- ``html_blocks``: the container walked into Blocks for the shared extractors.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from iom_scrape.errors import BinaryInput, EmptyInput, NoContent
from iom_scrape.models import Repair
from iom_scrape.parse.blocks import Block, PageHints, ParsedDocument
from iom_scrape.parse.dates import find_date, parse_date_line
from iom_scrape.parse.html_blocks import BlockBuilder, collapse
from iom_scrape.parse.html_chrome import remove_chrome, strip_word_fallbacks
from iom_scrape.parse.html_content import ContentChoice, choose_content, content_anchors
from iom_scrape.parse.html_hints import DateEvidence, numeric_order, read_page_hints, resolve_date
from iom_scrape.repair.encoding import decode_bytes, repair_mojibake
from iom_scrape.repair.entities import repair_entities

# An XML declaration: lxml refuses str input that carries one.
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
# Tags that nest without limit in generated pages; removed when libxml2's depth
# limit was hit, so the text inside is parsed instead of dropped.
NESTING_TAGS = re.compile(
    r"</?(?:div|span|font|section|article|center|table|tbody|thead|tr|td|th|blockquote|"
    r"ul|ol|li|dl|dd|dt|b|i|em|strong|u|small|big|label)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)
# Date-bearing elements outside the article body (a WordPress entry-meta, a Drupal field).
DATE_ELEMENTS = (
    "//time[@datetime]|//*[(contains(@class,'date') or contains(@id,'date')) and"
    " not(contains(@class,'update')) and not(contains(@class,'modif'))]"
)
BINARY_SAMPLE = 4096
BINARY_CONTROL_SHARE = 0.1
DATE_ELEMENT_MAX = 80


def parse_html_document(
    source: str | bytes,
    *,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> ParsedDocument:
    """Parse a legacy IOM page into Blocks, page hints, repairs and warnings.

    Raises EmptyInput, BinaryInput or NoContent (all ``InputError``) for unusable input.
    """
    text, repairs = _decode(source, headers, url)
    text, entity_repairs = repair_entities(text)
    repairs += entity_repairs
    text = strip_word_fallbacks(text)
    root = _parse_tree(text, repairs, url)
    warnings: list[str] = []
    hints = read_page_hints(root, url=url, warnings=warnings, page_text=text)
    repairs += remove_chrome(root, text, content_anchors(root))
    choice = choose_content(root, hints.title)
    evidence = numeric_order(text)
    builder = BlockBuilder(choice, evidence=evidence, warnings=warnings, repairs=repairs)
    body = builder.build()
    head = _head_blocks(root, choice, hints, evidence, warnings, builder.dates)
    blocks = head + body
    if not any(block.text or block.kind == "image" for block in blocks) and not hints.title:
        raise NoContent("no title and no body text in the page", source=url)
    return ParsedDocument(
        blocks=blocks,
        repairs=repairs,
        warnings=list(dict.fromkeys(warnings)),
        hints=hints,
        source_kind="html",
    )


def _decode(
    source: str | bytes, headers: Mapping[str, str] | None, url: str | None
) -> tuple[str, list[Repair]]:
    if isinstance(source, bytes):
        if not source.strip():
            raise EmptyInput("the input is empty", source=url)
        decoded = decode_bytes(source, headers=headers)
        text, repairs = decoded.text, decoded.repairs
    else:
        text, repairs = repair_mojibake(source)
    if not text.strip():
        raise EmptyInput("the input is empty", source=url)
    sample = text[:BINARY_SAMPLE]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f")
    if "\x00" in sample or controls > len(sample) * BINARY_CONTROL_SHARE:
        raise BinaryInput("the input is binary data, not a page", source=url)
    return text, repairs


def _parse_tree(text: str, repairs: list[Repair], url: str | None) -> HtmlElement:
    """lxml with recovery; a tree past libxml2's depth limit is flattened and re-parsed."""
    text = XML_DECLARATION.sub("", text, count=1)
    root, too_deep = _lxml_parse(text, url)
    if too_deep:
        flat = NESTING_TAGS.sub(" ", text)
        repairs.append(
            Repair(kind="deep-nesting", detail="nesting past the parser's depth limit flattened")
        )
        root, _ = _lxml_parse(flat, url)
    return root


def _lxml_parse(text: str, url: str | None) -> tuple[HtmlElement, bool]:
    parser = lxml.html.HTMLParser(
        recover=True, remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise NoContent(f"the page has no parsable content ({exc})", source=url) from exc
    too_deep = any(
        "depth" in entry.message.lower() for entry in parser.error_log if entry.level >= 2
    )
    return root, too_deep


def _head_blocks(
    root: HtmlElement,
    choice: ContentChoice,
    hints: PageHints,
    evidence: DateEvidence,
    warnings: list[str],
    body_dates: list[tuple[str, dt.date]],
) -> list[Block]:
    """The title Block, then the page-structure date (Jahia span, <time>, .date elements)."""
    blocks: list[Block] = []
    if choice.title is not None:
        title = collapse(choice.title.text_content())
        if title:
            blocks.append(Block(kind="title", text=title, line=choice.title.sourceline))
    structure = _jahia_date(choice, warnings, evidence)
    if structure is not None:
        if not _ambiguous(structure[0]):  # else the hint alone: the template fixes dd/MM
            line = choice.date.sourceline if choice.date is not None else None
            blocks.append(Block(kind="date", text=structure[0], line=line))
        hints.published, hints.published_source = structure[1], "page"
        return blocks
    if hints.published is not None:
        return blocks
    found = _date_element(root, choice, evidence, warnings) or (
        body_dates[0] if body_dates else None
    )
    if found is not None:
        if (not body_dates or found is not body_dates[0]) and not _ambiguous(found[0]):
            blocks.append(Block(kind="date", text=found[0]))
        hints.published, hints.published_source = found[1], "page"
    return blocks


def _jahia_date(
    choice: ContentChoice, warnings: list[str], evidence: DateEvidence
) -> tuple[str, dt.date] | None:
    """The press-release date span prints dd/MM/yyyy: its order is known, never a guess."""
    if choice.date is None:
        return None
    text = collapse(choice.date.text_content())
    resolved = resolve_date(text, evidence, warnings, day_first=True)
    return (text, resolved) if resolved is not None else None


def _date_element(
    root: HtmlElement, choice: ContentChoice, evidence: DateEvidence, warnings: list[str]
) -> tuple[str, dt.date] | None:
    """A ``<time datetime>`` or a short ``.date`` element of the page (chrome is gone)."""
    for element in root.xpath(DATE_ELEMENTS):
        if element.tag == "time":
            found = find_date(element.get("datetime") or "")
            if found is not None and not found.ambiguous:
                return found.date.isoformat(), found.date
            continue
        if _within(element, choice.container):
            continue  # the walk saw it as a date line
        text = collapse(element.text_content())
        if len(text) <= DATE_ELEMENT_MAX and parse_date_line(text) is not None:
            resolved = resolve_date(text, evidence, warnings)
            if resolved is not None:
                return text, resolved
            return None
    return None


def _ambiguous(text: str) -> bool:
    """Would the shared date reader have to guess the day/month order of this text?"""
    found = find_date(text)
    return found is not None and found.ambiguous


def _within(element: HtmlElement, container: HtmlElement) -> bool:
    return element is container or any(a is container for a in element.iterancestors())
