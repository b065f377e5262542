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

from iom_scrape.models import Repair
from iom_scrape.parse.blocks import Block, BlockKind
from iom_scrape.parse.dates import DATE_LINE_MAX, find_date, parse_date_line
from iom_scrape.parse.html_content import ContentChoice
from iom_scrape.parse.html_hints import DateEvidence, resolve_date
from iom_scrape.parse.html_images import (
    attribute_caption,
    dedupe_images,
    figure_caption,
    is_tiny,
    with_caption,
)
from iom_scrape.parse.html_lines import (
    LINE_BREAK,
    Line,
    collapse,
    group_paragraphs,
    looks_like_caption,
    shows_leak,
    split_lines,
)
from iom_scrape.parse.html_tree import Element, source_line
from iom_scrape.parse.lead_in import is_contact_lead_in
from iom_scrape.parse.lines import strip_invisibles
from iom_scrape.repair.leaks import SourceLine, is_interface_graphic, repair_leaked_markup

BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tbody",
     "thead", "tfoot", "tr", "td", "th", "caption", "blockquote", "pre", "section", "article",
     "header", "footer", "aside", "main", "dl", "dt", "dd", "figure", "figcaption", "center",
     "address", "hr", "fieldset", "legend", "body", "html", "hgroup", "details", "summary"}
)  # fmt: skip
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BOLD = frozenset({"b", "strong"})
INLINE_ENDS = BOLD | {"a"}
"""Inline elements whose end matters: a link's text is complete, bold ends."""
INLINE_ACTIONS = INLINE_ENDS | {"br", "img"}
"""Inline elements the walk acts on; any other (span, font, em...) only holds text."""
BOLD_HEADING_MAX = 120
SAFE_LINK = re.compile(r"^(?:https?:|mailto:|/|\.|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)


@dataclass(slots=True)
class _Run:
    """Inline text collected since the last block boundary."""

    pieces: list[str] = field(default_factory=list)
    line: int | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    open_links: list[tuple[str, int]] = field(default_factory=list)
    bold_chars: int = 0
    images: list[Block] = field(default_factory=list)


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
        self.has_images = False
        self.caption_hints: set[int] = set()
        self.contact: list[str] = []
        self.contact_line: int | None = None
        self.dates: list[tuple[str, dt.date]] = []
        self.run = _Run()
        self.contexts: list[Element] = []
        self.bold_depth = 0
        self.figure_caption: str | None = None

    def build(self) -> list[Block]:
        """Blocks of the container in document order, the contact block last."""
        self._walk(self.choice.container)
        for sibling in self.choice.trailing:
            self._flush()
            self._walk(sibling)
        self._flush()
        blocks = dedupe_images(self._attach_captions()) if self.has_images else list(self.blocks)
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

    def _walk(self, container: Element) -> None:
        """Block elements bound runs; of the inline ones only links, bold, br and img act."""
        exclude = self.choice.exclude
        walker = etree.iterwalk(container, events=("start", "end"))
        for event, element in walker:
            tag = element.tag
            if event == "start":
                if element in exclude or not isinstance(tag, str):
                    walker.skip_subtree()
                    continue
                if tag in BLOCK_TAGS:
                    self._flush()
                    self.contexts.append(element)
                    if tag == "figure":
                        self.figure_caption = figure_caption(element, exclude)
                elif tag in INLINE_ACTIONS:
                    self._open_inline(element, tag)
                text = element.text  # each read decodes the node's text anew: read once
                if text:
                    self._add(text, element)
                continue
            if tag in BLOCK_TAGS:
                if element not in exclude:
                    self._close_block(tag)
            elif tag in INLINE_ENDS and element not in exclude:
                self._close_inline(tag)
            tail = element.tail
            if tail and element is not container:
                self._add(tail, element)

    def _open_inline(self, element: Element, tag: str) -> None:
        if tag == "br":
            self.run.pieces.append(LINE_BREAK)
        elif tag == "img":
            self._image(element)
        elif tag == "a":
            self.run.open_links.append((element.get("href") or "", len(self.run.pieces)))
        else:
            self.bold_depth += 1

    def _close_block(self, tag: str) -> None:
        self._flush()
        if self.contexts:
            self.contexts.pop()
        if tag == "figure":
            self.figure_caption = None

    def _close_inline(self, tag: str) -> None:
        if tag == "a":
            self._close_link()
        else:
            self.bold_depth = max(0, self.bold_depth - 1)

    def _add(self, text: str, element: Element) -> None:
        run = self.run
        if run.line is None and not text.isspace():
            run.line = source_line(element)
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

    def _image(self, element: Element) -> None:
        src = (element.get("src") or element.get("data-src") or "").strip()
        if not src or src.lower().startswith(("data:", "javascript:")):
            return
        if is_interface_graphic(src) or is_tiny(element):
            self.repairs.append(
                Repair(
                    kind="page-chrome",
                    detail=f"interface image {src[:80]}",
                    line=source_line(element),
                )
            )
            return
        caption = self.figure_caption or attribute_caption(element)
        alt = collapse(element.get("alt") or "") or None
        self.run.images.append(
            Block(
                kind="image", text="", line=source_line(element), src=src, alt=alt, caption=caption
            )
        )

    # -- turning a run into blocks -------------------------------------------

    def _flush(self) -> None:
        if self.run.line is None and not self.run.images and not self.run.open_links:
            self.run.pieces.clear()  # only whitespace since the last boundary
            return
        run, self.run = self.run, _Run()
        while run.open_links:  # a link left open by broken markup ends with its block
            self.run = run
            self._close_link()
            self.run = _Run()
        raw = "".join(run.pieces)
        if shows_leak(raw):
            lines, images = self._repair_leaks(raw, run.line)
            run.images += images
        else:
            lines = split_lines(raw, run.line)
        if self.contact:  # everything after the lead-in belongs to the contact block
            self._extend_contact(lines)
            return
        if run.images:
            self.blocks += run.images
            self.has_images = True
        self._emit_paragraphs(lines, run)

    def _repair_leaks(self, raw: str, first: int | None) -> tuple[list[Line], list[Block]]:
        """Shared leak repair on the run's lines; lifted images become image Blocks."""
        base = first or 1
        source: list[SourceLine] = []
        blank_before: set[int] = set()
        for offset, text in enumerate(raw.replace(LINE_BREAK, "\n").split("\n")):
            text = strip_invisibles(text).replace("\u00a0", " ")
            if text.strip():
                source.append(SourceLine(base + offset, text.strip()))
            else:
                blank_before.add(base + offset + 1)
        result = repair_leaked_markup(source)
        self.repairs += result.repairs
        lines: list[Line] = []
        previous: int | None = None
        for kept in result.lines:
            boundary = "wrap"
            if previous is not None and kept.number - previous > 1:
                boundary = "blank" if kept.number in blank_before else "gap"
            lines.append(Line(collapse(kept.text), kept.number, boundary))
            previous = kept.number
        images = [
            Block(kind="image", text="", line=image.line, src=image.src, caption=image.caption)
            for image in result.images
        ]
        return lines, images

    def _emit_paragraphs(self, lines: list[Line], run: _Run) -> None:
        context = self.contexts[-1] if self.contexts else None
        classes = (context.get("class") or "") if context is not None else ""
        kind = _kind_of(context, classes)
        in_caption = "caption" in classes.lower()
        groups = group_paragraphs(lines)
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
            text = first.text if len(group) == 1 else " ".join([line.text for line in group])
            if len(text.strip()) <= DATE_LINE_MAX and self._is_date_line(text, first.number):
                continue  # (a longer line is prose: the date reader says so too)
            block_kind = kind
            if kind == "paragraph" and len(groups) == 1 and _is_bold_heading(text, run):
                block_kind = "heading"
            found = _links_in(text, links) if links else ()
            block = Block(kind=block_kind, text=text, line=first.number, links=found)
            if in_caption:
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

    def _extend_contact(self, lines: list[Line]) -> None:
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
            if self._captions(block, following, index + 1):
                assert following is not None
                caption = " ".join(filter(None, (block.caption, following.text)))
                block = with_caption(block, caption)
                self.repairs.append(
                    Repair(kind="caption-lifted", detail=following.text[:80], line=following.line)
                )
                skip = True
            blocks.append(block)
        return blocks

    def _captions(self, block: Block, following: Block | None, index: int) -> bool:
        """Is ``following`` (at ``index``) the caption of the image ``block``?"""
        if block.kind != "image" or following is None or following.kind != "paragraph":
            return False
        return index in self.caption_hints or looks_like_caption(following.text)


def _kind_of(context: Element | None, classes: str) -> BlockKind:
    """What a run inside ``context`` (with class attribute ``classes``) becomes."""
    if context is None:
        return "paragraph"
    if context.tag in HEADINGS:
        return "heading"
    if context.tag in ("li", "dd", "dt"):
        return "list-item"
    if classes.startswith("MsoListParagraph"):
        return "list-item"  # a Word bullet paragraph (its bullet glyph was removed)
    return "paragraph"


def _is_bold_heading(text: str, run: _Run) -> bool:
    """``<p><strong>Background</strong></p>``: Word's fake heading."""
    if not run.bold_chars:
        return False
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
