"""HTML page -> Blocks: decode, repair, parse with recovery, strip chrome, find the article.

One tolerant entry point for every page the old Jahia site served, the Wayback
Machine archived or the new site re-published. The stages, each in its module:

- ``repair.encoding`` / ``repair.entities``: bytes to text, mojibake, escaped entities;
- ``repair.archive``: Wayback Machine replay addresses back to the original URLs;
- lxml with recovery (a tree deeper than libxml2's limit is flattened and parsed again);
- ``html_hints``: ``<title>``, meta dates, language, ``<base href>``;
- ``html_chrome``: navigation, boxes, footers; ``html_word``: Word paste residue;
- ``html_content``: the Jahia press-release template, the new site's body, else density;
- ``html_blocks``: the container walked into Blocks for the shared extractors, with
  ``html_lines`` (a run's lines and paragraph ends), ``html_images`` (captions,
  spacers, duplicates) and ``html_tree`` (plain-etree helpers).

Inside a known template only the container is cleaned (the layout around it is
never read); a page of unknown layout is cleaned whole before the density search.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Mapping

from lxml import etree

from iom_scrape.errors import NoContent
from iom_scrape.models import Repair
from iom_scrape.parse.blocks import Block, PageHints, ParsedDocument
from iom_scrape.parse.dates import FoundDate, find_date
from iom_scrape.parse.html_blocks import BlockBuilder
from iom_scrape.parse.html_chrome import SourceMentions, remove_chrome
from iom_scrape.parse.html_content import (
    ContentChoice,
    density_content,
    finish_content,
    template_content,
)
from iom_scrape.parse.html_hints import (
    DateEvidence,
    numeric_order,
    read_date_line,
    read_page_hints,
)
from iom_scrape.parse.html_lines import collapse
from iom_scrape.parse.html_tree import Element, source_line, text_of
from iom_scrape.parse.html_word import note_word_residue, strip_word_fallbacks
from iom_scrape.repair.archive import unwrap_archive_urls
from iom_scrape.repair.encoding import decode_source, reject_unusable
from iom_scrape.repair.entities import repair_entities
from iom_scrape.substring import contains

# An XML declaration: lxml refuses str input that carries one.
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
# Tags that nest without limit in generated pages; removed when libxml2's depth
# limit was hit, so the text inside is parsed instead of dropped.
NESTING_TAGS = re.compile(
    r"</?(?:div|span|font|section|article|center|table|tbody|thead|tr|td|th|blockquote|"
    r"ul|ol|li|dl|dd|dt|b|i|em|strong|u|small|big|label)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)
# Where UTF-8 encodes a lone surrogate ("surrogatepass"): such text is parsed as str.
ENCODED_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")
DATE_ELEMENT_MAX = 80
# A page up to this long is listed for the chrome stage (``_short_page_elements``).
SHORT_PAGE_BYTES = 2048
HEADLINE_SIBLINGS = 3


def parse_html_document(
    source: str | bytes,
    *,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> ParsedDocument:
    """Parse a legacy IOM page into Blocks, page hints, repairs and warnings.

    Raises EmptyInput, BinaryInput or NoContent (all ``InputError``) for unusable input.
    """
    text, encoded, repairs = _page_text(source, headers=headers, url=url)
    document = parse_decoded_html(text, url=url, encoded=encoded)
    document.repairs[:0] = repairs
    return document


def parse_decoded_html(
    text: str, *, url: str | None = None, encoded: bytes | None = None
) -> ParsedDocument:
    """Like :func:`parse_html_document`, for text ``decode_source`` already decoded and checked.

    ``encoded`` is the text's UTF-8 when the decoder made it (``DecodedText.encoded``).
    """
    text, encoded, repairs = _repaired_source(text, encoded)
    root = _parse_tree(text, encoded, repairs, url)
    warnings: list[str] = []
    evidence = numeric_order(text)
    hints = read_page_hints(root, url=url, warnings=warnings, evidence=evidence)
    lowered = encoded.lower()
    repairs += note_word_residue(lowered)
    choice = _content(root, lowered, repairs)
    finish_content(choice, root, hints.title)
    repairs += choice.repairs
    builder = BlockBuilder(choice, evidence=evidence, warnings=warnings, repairs=repairs)
    body = builder.build()
    head = _head_blocks(root, lowered, choice, hints, evidence, warnings, builder.dates)
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


def _repaired_source(text: str, encoded: bytes | None) -> tuple[str, bytes, list[Repair]]:
    """Entities, archive URLs, Word fallbacks repaired; the UTF-8 re-made only after a change."""
    repaired, repairs = repair_entities(text)
    repaired, unwrapped = unwrap_archive_urls(repaired)
    repairs += unwrapped
    if encoded is None or repaired is not text:
        encoded = repaired.encode("utf-8", errors="surrogatepass")
    stripped = strip_word_fallbacks(repaired, encoded)
    if stripped is not repaired:
        encoded = stripped.encode("utf-8", errors="surrogatepass")
    return stripped, encoded, repairs


def _page_text(
    source: str | bytes, *, headers: Mapping[str, str] | None, url: str | None
) -> tuple[str, bytes | None, list[Repair]]:
    """Bytes are decoded here; text is taken as already decoded (``parse`` decodes once)."""
    if isinstance(source, bytes):
        decoded = decode_source(source, headers=headers, url=url)
        return decoded.text, decoded.encoded, decoded.repairs
    reject_unusable(source, url=url)
    return source, None, []


def _parse_tree(text: str, encoded: bytes, repairs: list[Repair], url: str | None) -> Element:
    """lxml with recovery; a tree past libxml2's depth limit is flattened and re-parsed.

    The page goes in as its UTF-8 ``encoded`` form when that is valid UTF-8: libxml2
    reads UTF-8 natively, while a str reaches it as Latin-1 or UTF-16 to convert.
    """
    declaration = XML_DECLARATION.match(text)
    if declaration is not None:
        text = text[declaration.end() :]
        encoded = encoded[len(declaration.group().encode("utf-8", errors="surrogatepass")) :]
    source: str | bytes = text if _has_surrogates(encoded) else encoded
    root, too_deep = _lxml_parse(source, url)
    if too_deep:
        flat = NESTING_TAGS.sub(" ", text)
        repairs.append(
            Repair(kind="deep-nesting", detail="nesting past the parser's depth limit flattened")
        )
        root, _ = _lxml_parse(flat, url)
    return root


def _content(root: Element, lowered: bytes, repairs: list[Repair]) -> ContentChoice:
    """The article container; chrome is removed inside a known template, else everywhere."""
    choice = template_content(root, lowered)
    source = SourceMentions(lowered)
    if choice is None:
        repairs += remove_chrome(root, source, (), elements=_short_page_elements(root, lowered))
        return density_content(root)
    repairs.append(
        Repair(
            kind="page-chrome",
            detail=f"page layout around the {choice.template} container dropped",
            line=source_line(choice.container),
        )
    )
    protected = [choice.container, *choice.exclude]
    repairs += remove_chrome(choice.container, source, protected, elements=choice.held)
    for scope in choice.trailing:  # a few paragraphs: their tags spare the strips' matchers
        repairs += remove_chrome(scope, source, protected, elements=list(scope.iter()))
    if choice.trailing:  # a trailing element that is chrome itself was dropped whole
        choice.trailing = [
            element for element in choice.trailing if element.getparent() is not None
        ]
    return choice


def _short_page_elements(root: Element, lowered: bytes) -> list[Element] | None:
    """``root``'s elements when the page is short, else None (``remove_chrome`` walks it).

    A short page has few elements: listing them lets the chrome stage skip a strip
    whose tags are absent, and costs less than the tag matchers the strips build.
    """
    return list(root.iter()) if len(lowered) <= SHORT_PAGE_BYTES else None


def _has_surrogates(encoded: bytes) -> bool:
    return b"\xed" in encoded and ENCODED_SURROGATE.search(encoded) is not None


_PARSERS = threading.local()


def _html_parser() -> etree.HTMLParser:
    """This thread's parser: lxml parsers are reusable but not shareable between threads.

    Nothing looks elements up by ID, so libxml2 keeps no ID table (``collect_ids``).
    """
    parser: etree.HTMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(
            recover=True,
            remove_comments=True,
            remove_pis=True,
            no_network=True,
            encoding="utf-8",
            collect_ids=False,
        )
        _PARSERS.parser = parser
    return parser


def _lxml_parse(source: str | bytes, url: str | None) -> tuple[Element, bool]:
    """``source`` as a tree, and whether libxml2 stopped at its depth limit."""
    parser = _html_parser()
    try:
        root = etree.fromstring(source, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise NoContent(f"the page has no parsable content ({exc})", source=url) from exc
    if root is None:
        raise NoContent("the page has no parsable content", source=url)
    too_deep = any(
        "depth" in entry.message.lower() for entry in parser.error_log if entry.level >= 2
    )
    return root, too_deep


def _head_blocks(
    root: Element,
    lowered: bytes,
    choice: ContentChoice,
    hints: PageHints,
    evidence: DateEvidence,
    warnings: list[str],
    body_dates: list[tuple[str, dt.date]],
) -> list[Block]:
    """The title Block, then the page-structure date (Jahia span, <time>, .date elements)."""
    blocks: list[Block] = []
    if choice.title is not None:
        title = collapse(text_of(choice.title))
        if title:
            blocks.append(Block(kind="title", text=title, line=source_line(choice.title)))
    structure = _jahia_date(choice)
    if structure is not None:
        printed, date = structure
        if not date.ambiguous:  # else the hint alone: the template fixes dd/MM
            line = source_line(choice.date) if choice.date is not None else None
            blocks.append(Block(kind="date", text=printed, line=line))
        hints.published, hints.published_source = date.date, "page"
        return blocks
    if hints.published is not None:
        return blocks
    found = _date_element(root, lowered, choice, evidence, warnings)
    if found is not None:
        text, published, ambiguous = found
        if not ambiguous:
            blocks.append(Block(kind="date", text=text))
        hints.published, hints.published_source = published, "page"
    elif body_dates:
        hints.published, hints.published_source = body_dates[0][1], "page"
    return blocks


def _jahia_date(choice: ContentChoice) -> tuple[str, FoundDate] | None:
    """The press-release date span prints dd/MM/yyyy: its order is known, never a guess."""
    if choice.date is None:
        return None
    text = collapse(text_of(choice.date))
    found = find_date(text, day_first=True)
    return (text, found) if found is not None else None


def _date_element(
    root: Element,
    lowered: bytes,
    choice: ContentChoice,
    evidence: DateEvidence,
    warnings: list[str],
) -> tuple[str, dt.date, bool] | None:
    """A ``<time datetime>``, a ``.date`` element or a date line right under the headline.

    The date comes with the text that states it and whether its day/month order was
    a guess (an ISO ``datetime`` never is).
    """
    for element in [*_date_elements(root, lowered), *_under_headline(choice)]:
        if element.tag == "time":
            found = find_date(element.get("datetime") or "")
            if found is not None and not found.ambiguous:
                return found.date.isoformat(), found.date, False
            continue
        if _within(element, choice.container):
            continue  # the walk saw it as a date line
        text = collapse(text_of(element))
        if len(text) <= DATE_ELEMENT_MAX:
            read = read_date_line(text, evidence, warnings)
            if read is not None:
                found, resolved = read
                if resolved is not None and found is not None:
                    return text, resolved, found.ambiguous
                return None
    return None


def _date_elements(root: Element, lowered: bytes) -> list[Element]:
    """``<time datetime>`` and elements whose class or id says "date" (not "updated").

    ``lowered`` is the page source the tree was parsed from, ASCII-lowered. Without a
    ``date``, a ``<time`` or a numeric character reference (``&#100;ate``; no named one
    gives d, a, t or e) in it, no attribute can say "date" (``str.lower`` makes ASCII
    letters only of ASCII letters, ``İ`` and ``K``): nothing to look at.
    """
    if not (contains(lowered, b"date") or contains(lowered, b"<time") or contains(lowered, b"&#")):
        return []
    found: list[Element] = []
    for element in root.iter(etree.Element):
        if element.tag == "time" and element.get("datetime"):
            found.append(element)
            continue
        classes, ident = element.get("class"), element.get("id")
        if not classes and not ident:
            continue
        names = f"{classes or ''} {ident or ''}".lower()
        if "date" in names and "update" not in names and "modif" not in names:
            found.append(element)
    return found


def _under_headline(choice: ContentChoice) -> list[Element]:
    """The few elements after the headline: where a blog or CMS prints the post date."""
    if choice.title is None:
        return []
    return [s for _, s in zip(range(HEADLINE_SIBLINGS), choice.title.itersiblings(), strict=False)]


def _within(element: Element, container: Element) -> bool:
    return element is container or any(a is container for a in element.iterancestors())
