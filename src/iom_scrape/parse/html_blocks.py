"""Walk the article container and emit Blocks: paragraphs, headings, images, contact.

One iterative pass (``lxml.etree.iterwalk``, so a deep tree cannot overflow the
stack) collects inline text into runs and flushes a run at every block-level
element. A run becomes paragraphs (split at ``<br><br>``, or at a ``<br>`` after a
sentence end), a heading (``h2``-``h6``, or a short all-bold line), a list item,
a date line, or, from the "For more information" lead-in to the end of the
container, the lines of the contact block. Runs that show leaked markup
(``src=`` + a quoted path as text, jahia-notes §5) go through the shared leak
repair first, which lifts the images they held.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

from iom_scrape.models import Repair
from iom_scrape.parse.blocks import Block, BlockKind
from iom_scrape.parse.dates import find_date, parse_date_line
from iom_scrape.parse.html_content import ContentChoice
from iom_scrape.parse.html_hints import DateEvidence, resolve_date
from iom_scrape.parse.lead_in import is_contact_lead_in
from iom_scrape.repair.leaks import INTERFACE_GRAPHIC, SourceLine, repair_leaked_markup

BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tbody",
     "thead", "tfoot", "tr", "td", "th", "caption", "blockquote", "pre", "section", "article",
     "header", "footer", "aside", "main", "dl", "dt", "dd", "figure", "figcaption", "center",
     "address", "hr", "fieldset", "legend", "body", "html", "hgroup", "details", "summary"}
)  # fmt: skip
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BOLD = frozenset({"b", "strong"})
LINE_BREAK = "\x0b"
"""Stands for a ``<br>`` inside a run (a control character no page text contains)."""

# Whitespace of every kind (NBSP runs from Word included) collapses to one space;
# zero-width and soft-hyphen characters disappear.
WHITESPACE = re.compile(r"[\s\u00a0]+")
INVISIBLES = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# A run holding leaked tag remains as text: attribute runs, quoted paths, `">`.
LEAK_SIGN = re.compile(r'">|="|\bsrc=|/jahia/webdav/|mailto:|javascript:|px solid|-moz-')
# Sentence end (maybe inside a closing quote or bracket) and a line that starts anew.
SENTENCE_END = re.compile(r"[.!?:;][\"”’»)]?$|[\"”»]$")
STARTS_ANEW = re.compile(r"^[\"“«„'‘(¿¡A-ZÀ-Ý0-9]")
# A photo credit or caption line ("© IOM 2011 (Photo by ...)", "Photo: IOM/Name").
CREDIT = re.compile(
    r"©|\(c\)\s*(?:iom|oim)\b|^\s*(?:file\s+)?photos?\s*(?:credit)?\s*:|\bphoto\s+by\b|"
    r"\bcr[ée]dit\s+photo|^\s*fotos?\s*:|\bfoto\s+de\b",
    re.IGNORECASE,
)
CAPTION_MAX = 400
BOLD_HEADING_MAX = 120
SAFE_LINK = re.compile(r"^(?:https?:|mailto:|/|\.|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)
TINY_IMAGE = 3


@dataclass(slots=True)
class _Run:
    """Inline text collected since the last block boundary."""

    pieces: list[str] = field(default_factory=list)
    line: int | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    open_links: list[tuple[str, int]] = field(default_factory=list)
    bold_chars: int = 0
    images: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class _Line:
    """One line of a run: its text, input line, and what separated it from the last."""

    text: str
    number: int | None
    boundary: str  # "wrap" (source newline), "br", "blank" (empty line), "gap" (leak removed)


class BlockBuilder:
    """Turns the chosen container into Blocks (title and date Blocks are added by the caller)."""

    def __init__(
        self,
        choice: ContentChoice,
        *,
        evidence: DateEvidence,
        warnings: list[str],
        repairs: list[Repair],
    ) -> None:
        self.choice = choice
        self.evidence = evidence
        self.warnings = warnings
        self.repairs = repairs
        self.blocks: list[Block] = []
        self.caption_hints: set[int] = set()
        self.contact: list[str] = []
        self.contact_line: int | None = None
        self.dates: list[tuple[str, dt.date]] = []
        self.run = _Run()
        self.contexts: list[HtmlElement] = []
        self.bold_depth = 0
        self.figure_caption: str | None = None

    def build(self) -> list[Block]:
        """Blocks of the container in document order, the contact block last."""
        self._walk(self.choice.container)
        self._flush()
        blocks = _dedupe_images(self._attach_captions())
        if self.contact:
            blocks.append(
                Block(
                    kind="contact",
                    text=" ".join(self.contact),
                    line=self.contact_line,
                    lines=tuple(self.contact),
                )
            )
        return blocks

    # -- the walk -------------------------------------------------------------

    def _walk(self, container: HtmlElement) -> None:
        exclude = self.choice.exclude
        walker = etree.iterwalk(container, events=("start", "end"))
        for event, element in walker:
            tag = element.tag
            if event == "start":
                if element in exclude or not isinstance(tag, str):
                    walker.skip_subtree()
                    continue
                self._open(element, tag)
                if element.text:
                    self._add(element.text, element)
                continue
            if isinstance(tag, str) and element not in exclude:
                self._close(element, tag)
            if element.tail and element is not container:
                self._add(element.tail, element)

    def _open(self, element: HtmlElement, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._flush()
            self.contexts.append(element)
            if tag == "figure":
                self.figure_caption = _figure_caption(element, self.choice.exclude)
        elif tag == "br":
            self.run.pieces.append(LINE_BREAK)
        elif tag == "img":
            self._image(element)
        elif tag == "a":
            self.run.open_links.append((element.get("href") or "", len(self.run.pieces)))
        elif tag in BOLD:
            self.bold_depth += 1

    def _close(self, element: HtmlElement, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._flush()
            if self.contexts:
                self.contexts.pop()
            if tag == "figure":
                self.figure_caption = None
        elif tag == "a":
            self._close_link()
        elif tag in BOLD:
            self.bold_depth = max(0, self.bold_depth - 1)

    def _add(self, text: str, element: HtmlElement) -> None:
        run = self.run
        if run.line is None and not text.isspace():
            run.line = element.sourceline
        run.pieces.append(text)
        if self.bold_depth:
            run.bold_chars += len(text) - text.count(" ") - text.count("\n")

    def _close_link(self) -> None:
        if not self.run.open_links:
            return
        href, start = self.run.open_links.pop()
        text = collapse("".join(self.run.pieces[start:]).replace(LINE_BREAK, " "))
        href = href.strip()
        if href.lower().startswith("mailto:") and "@" not in text:
            address = href[7:].split("?", 1)[0].strip()
            if address:
                self.run.pieces.append(f" {address}")
                text = address
        if text and href and not href.startswith("#") and SAFE_LINK.match(href):
            self.run.links.append((href, text))

    def _image(self, element: HtmlElement) -> None:
        src = (element.get("src") or element.get("data-src") or "").strip()
        if not src or src.lower().startswith(("data:", "javascript:")):
            return
        if INTERFACE_GRAPHIC.search(src) or _is_tiny(element):
            self.repairs.append(
                Repair(kind="page-chrome", detail=f"interface image {src[:80]}",
                       line=element.sourceline)  # fmt: skip
            )
            return
        caption = self.figure_caption or _attribute_caption(element)
        alt = collapse(element.get("alt") or "") or None
        self.run.images.append(
            Block(kind="image", text="", line=element.sourceline, src=src, alt=alt,
                  caption=caption)  # fmt: skip
        )

    # -- turning a run into blocks -------------------------------------------

    def _flush(self) -> None:
        run, self.run = self.run, _Run()
        while run.open_links:  # a link left open by broken markup ends with its block
            self.run = run
            self._close_link()
            self.run = _Run()
        raw = "".join(run.pieces)
        if LEAK_SIGN.search(raw):
            lines, images = self._repair_leaks(raw, run.line)
            run.images += images
        else:
            lines = _split_lines(raw, run.line)
        if self.contact:  # everything after the lead-in belongs to the contact block
            self._extend_contact(lines)
            return
        self.blocks += run.images
        self._emit_paragraphs(lines, run)

    def _repair_leaks(self, raw: str, first: int | None) -> tuple[list[_Line], list[Block]]:
        """Shared leak repair on the run's lines; lifted images become image Blocks."""
        base = first or 1
        source: list[SourceLine] = []
        blank_before: set[int] = set()
        for offset, text in enumerate(raw.replace(LINE_BREAK, "\n").split("\n")):
            text = INVISIBLES.sub("", text).replace("\u00a0", " ")
            if text.strip():
                source.append(SourceLine(base + offset, text.strip()))
            else:
                blank_before.add(base + offset + 1)
        result = repair_leaked_markup(source)
        self.repairs += result.repairs
        lines: list[_Line] = []
        previous: int | None = None
        for kept in result.lines:
            boundary = "wrap"
            if previous is not None and kept.number - previous > 1:
                boundary = "blank" if kept.number in blank_before else "gap"
            lines.append(_Line(collapse(kept.text), kept.number, boundary))
            previous = kept.number
        images = [
            Block(kind="image", text="", line=image.line, src=image.src, caption=image.caption)
            for image in result.images
        ]
        return lines, images

    def _emit_paragraphs(self, lines: list[_Line], run: _Run) -> None:
        context = self.contexts[-1] if self.contexts else None
        kind = _kind_of(context)
        groups = _group_paragraphs(lines)
        links = list(run.links)
        for index, group in enumerate(groups):
            if self.contact:
                self._extend_contact(group)
                continue
            first = group[0]
            if is_contact_lead_in(first.text):
                self.contact_line = first.number
                self._extend_contact(group + [line for g in groups[index + 1 :] for line in g])
                return
            text = " ".join(line.text for line in group)
            if self._is_date_line(text, first.number):
                continue
            block_kind = kind
            if kind == "paragraph" and len(groups) == 1 and _is_bold_heading(text, run):
                block_kind = "heading"
            block = Block(kind=block_kind, text=text, line=first.number,
                          links=_links_in(text, links))  # fmt: skip
            if context is not None and "caption" in (context.get("class") or "").lower():
                self.caption_hints.add(len(self.blocks))
            self.blocks.append(block)

    def _is_date_line(self, text: str, number: int | None) -> bool:
        """A line that only states a date is not prose: keep it as a date Block."""
        if parse_date_line(text) is None:
            return False
        resolved = resolve_date(text, self.evidence, self.warnings)
        if resolved is not None:
            found = find_date(text)
            if found is not None and not found.ambiguous:  # else the page hint alone
                self.blocks.append(Block(kind="date", text=text, line=number))
            self.dates.append((text, resolved))
        return True

    def _extend_contact(self, lines: list[_Line]) -> None:
        for line in lines:
            if line.text:
                if self.contact_line is None:
                    self.contact_line = line.number
                self.contact.append(line.text)

    # -- after the walk ------------------------------------------------------

    def _attach_captions(self) -> list[Block]:
        """A credit or caption paragraph right after an image is that image's caption."""
        blocks: list[Block] = []
        skip = False
        for index, block in enumerate(self.blocks):
            if skip:
                skip = False
                continue
            following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
            if block.kind == "image" and following is not None and following.kind == "paragraph":
                if (index + 1) in self.caption_hints or _looks_like_caption(following.text):
                    caption = " ".join(filter(None, (block.caption, following.text)))
                    block = _with_caption(block, caption)
                    self.repairs.append(Repair(kind="caption-lifted", detail=following.text[:80],
                                               line=following.line))  # fmt: skip
                    skip = True
            blocks.append(block)
        return blocks


def collapse(text: str) -> str:
    """One line of text: whitespace runs (NBSP too) to one space, invisibles removed.

    >>> collapse("  IOM\\u00a0\\u00a0 and\\n China\\u200b ")
    'IOM and China'
    """
    return WHITESPACE.sub(" ", INVISIBLES.sub("", text)).strip()


def _split_lines(raw: str, first: int | None) -> list[_Line]:
    """A run's ``<br>``-separated lines; an empty line marks a paragraph end."""
    if LINE_BREAK not in raw:
        text = collapse(raw)
        return [_Line(text, first, "br")] if text else []
    lines: list[_Line] = []
    number = first
    blank = False
    for segment in raw.split(LINE_BREAK):
        text = collapse(segment)
        if text:
            lines.append(_Line(text, number, "blank" if blank else "br"))
            blank = False
        elif lines:
            blank = True
        if number is not None:
            number += segment.count("\n")
    return lines


def _group_paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    groups: list[list[_Line]] = []
    for line in lines:
        if groups and not _breaks_before(groups[-1][-1], line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _breaks_before(previous: _Line, line: _Line) -> bool:
    """Does ``line`` start a new paragraph after ``previous`` in the same run?"""
    if line.boundary == "blank" or is_contact_lead_in(line.text):
        return True
    if line.boundary == "wrap":
        return False
    if _looks_like_caption(line.text) or _looks_like_caption(previous.text):
        return True
    return bool(SENTENCE_END.search(previous.text)) and bool(STARTS_ANEW.match(line.text))


def _kind_of(context: HtmlElement | None) -> BlockKind:
    if context is None:
        return "paragraph"
    if context.tag in HEADINGS:
        return "heading"
    if context.tag in ("li", "dd", "dt"):
        return "list-item"
    if (context.get("class") or "").startswith("MsoListParagraph"):
        return "list-item"  # a Word bullet paragraph (its bullet glyph was removed)
    return "paragraph"


def _is_bold_heading(text: str, run: _Run) -> bool:
    """``<p><strong>Background</strong></p>``: Word's fake heading."""
    visible = len(text) - text.count(" ")
    return (
        0 < visible <= BOLD_HEADING_MAX
        and run.bold_chars >= visible
        and not text.endswith((".", ",", ";"))
    )


def _links_in(text: str, links: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The run's links whose text is in this paragraph, consumed in order."""
    found: list[tuple[str, str]] = []
    while links and links[0][1] in text:
        found.append(links.pop(0))
    return tuple(found)


def _looks_like_caption(text: str) -> bool:
    return len(text) <= CAPTION_MAX and CREDIT.search(text) is not None


def _with_caption(block: Block, caption: str) -> Block:
    return Block(kind=block.kind, text=block.text, line=block.line, src=block.src, alt=block.alt,
                 caption=caption or None)  # fmt: skip


def _attribute_caption(element: HtmlElement) -> str | None:
    """A long ``title`` attribute on a Jahia image was its caption (the seed's image)."""
    title = collapse(element.get("title") or "")
    return title or None


def _figure_caption(figure: HtmlElement, exclude: set[HtmlElement]) -> str | None:
    caption = figure.find(".//figcaption")
    if caption is None:
        return None
    exclude.add(caption)
    return collapse(caption.text_content()) or None


def _is_tiny(element: HtmlElement) -> bool:
    """Spacers and tracking pixels: a declared width or height of a few pixels."""
    for name in ("width", "height"):
        value = (element.get(name) or "").strip().rstrip("px")
        if value.isdigit() and int(value) <= TINY_IMAGE:
            return True
    return False


def _dedupe_images(blocks: list[Block]) -> list[Block]:
    """The same picture twice (thumbnail link + image): keep the first, merge captions."""
    seen: dict[str, int] = {}
    kept: list[Block] = []
    for block in blocks:
        if block.kind != "image" or block.src is None:
            kept.append(block)
            continue
        if block.src in seen:
            index = seen[block.src]
            first = kept[index]
            if (first.caption is None and block.caption) or (first.alt is None and block.alt):
                kept[index] = Block(kind="image", text="", line=first.line, src=first.src,
                                    alt=first.alt or block.alt,
                                    caption=first.caption or block.caption)  # fmt: skip
            continue
        seen[block.src] = len(kept)
        kept.append(block)
    return kept
