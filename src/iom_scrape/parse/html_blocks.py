"""Walk the article container and emit Blocks: paragraphs, headings, images, contact.

One iterative pass (over child iterators kept on a list, so a deep tree cannot
overflow the stack) collects inline text into runs and flushes a run at every
block-level element. A run becomes paragraphs (split at ``<br><br>``, or at a ``<br>`` after a
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
from typing import TypeAlias

from iom_scrape.models import PendingRepair, Repair, repairs_from
from iom_scrape.parse.blocks import LINK_CONTEXT_CHARS, Block, BlockKind, link_context
from iom_scrape.parse.dates import DATE_LINE_MAX, HAS_YEAR
from iom_scrape.parse.html_content import ContentChoice
from iom_scrape.parse.html_hints import DateEvidence, read_date_line
from iom_scrape.parse.html_images import (
    attach_captions,
    attribute_caption,
    dedupe_images,
    figure_caption,
    is_tiny,
    lifted_image_blocks,
)
from iom_scrape.parse.html_lines import (
    LINE_BREAK,
    Line,
    collapse,
    emphasis_in,
    group_paragraphs,
    is_bold_heading,
    leaked_links,
    links_in,
    repair_run,
    shows_leak,
    split_lines,
    squeeze_spaces,
    starts_contact,
)
from iom_scrape.parse.html_tree import Element, source_line
from iom_scrape.parse.lead_in import LEAD_IN_INITIALS, is_contact_lead_in
from iom_scrape.parse.lines import strip_invisibles
from iom_scrape.repair.leaks import is_interface_graphic

BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tbody",
     "thead", "tfoot", "tr", "td", "th", "caption", "blockquote", "pre", "section", "article",
     "header", "footer", "aside", "main", "dl", "dt", "dd", "figure", "figcaption", "center",
     "address", "hr", "fieldset", "legend", "body", "html", "hgroup", "details", "summary"}
)  # fmt: skip
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LIST_ITEMS = frozenset({"li", "dd", "dt"})
BOLD = frozenset({"b", "strong"})
EMPHASIS = {"b": "strong", "strong": "strong", "i": "em", "em": "em"}
"""Inline emphasis the clean body keeps, by the tag the page used."""
INLINE_ENDS = frozenset(EMPHASIS) | {"a"}
"""Inline elements whose end matters: a link's text is complete, an emphasis ends."""
INLINE_ACTIONS = INLINE_ENDS | {"br", "img"}
"""Inline elements the walk acts on; any other (span, font, u...) only holds text."""
Link: TypeAlias = tuple[str, str, str]
"""(href as found, link text, :func:`link_context` of the text before it)."""
Emphasis: TypeAlias = tuple[str, str, str]
"""("strong" or "em", the emphasised text, :func:`link_context` of the text before it)."""
SAFE_LINK = re.compile(r"^(?:https?:|mailto:|/|\.|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)
CONTEXT_PIECES = 4
"""Pieces joined at a time when the text before a link or span is read backwards."""


@dataclass(slots=True)
class _Run:
    """Inline text collected since the last block boundary."""

    pieces: list[str] = field(default_factory=list)
    line: int | None = None
    links: list[Link] = field(default_factory=list)
    open_links: list[tuple[str, int]] = field(default_factory=list)
    emphasis: list[Emphasis] = field(default_factory=list)
    open_emphasis: list[tuple[str, int]] = field(default_factory=list)
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
        self.found: list[PendingRepair] = []
        """The walk's repairs as (kind, detail, line): validated in one call when it ends."""
        self.blocks: list[Block] = []
        self.has_images = False
        self.caption_hints: set[int] = set()
        self.contact: list[str] = []
        self.contact_line: int | None = None
        self.dates: list[tuple[str, dt.date]] = []
        self.run = _Run()
        self.contexts: list[Element] = []
        self.bold_depth = 0
        self.quote_depth = 0
        self.emphasis: list[Emphasis] = []
        """The emphasis spans of the run being emitted, consumed by its paragraphs."""
        self.figure_caption: str | None = None

    def build(self) -> list[Block]:
        """Blocks of the container in document order, the contact block last."""
        self._walk(self.choice.container)
        for sibling in self.choice.trailing:
            self._end_run()
            self._walk(sibling)
        self._end_run()
        if self.found:
            self.repairs += repairs_from(self.found)
        blocks = (
            dedupe_images(attach_captions(self.blocks, self.caption_hints, self.repairs))
            if self.has_images
            else list(self.blocks)
        )
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
        """Block elements bound runs; of the inline ones only links, bold, br and img act.

        Depth first, the open elements kept on a list (a deep tree cannot overflow the
        stack); an element without children starts and ends in one step. The hot loop
        of the stage: text is gathered here, not in a method, and this costs about half
        of what ``iterwalk``'s events do. An element's first child is ``element[0]`` and
        the one after it ``getnext()`` (the walk changes no tree): an lxml child iterator
        costs several of those steps to set up, once per element with children.
        """
        exclude = self.choice.exclude
        run = self.run  # one run object for the whole build: its lists are reused
        pieces = run.pieces
        contexts = self.contexts
        open_elements: list[tuple[Element, str]] = []
        element = container
        while True:
            tag = element.tag
            skipped = element in exclude or not isinstance(tag, str)
            if not skipped:
                if tag in BLOCK_TAGS:
                    if run.line is None and not run.images and not run.open_links:
                        pieces.clear()  # what _end_run does with whitespace, without the call
                    else:
                        self._end_run()
                    contexts.append(element)
                    if tag == "figure":
                        self.figure_caption = figure_caption(element, exclude)
                    elif tag == "blockquote":
                        self.quote_depth += 1
                elif tag in INLINE_ACTIONS:
                    self._open_inline(element, tag)
                text = element.text  # each read decodes the node's text anew: read once
                if text:
                    if run.line is None and not text.isspace():
                        run.line = source_line(element)
                    pieces.append(text)
                    if self.bold_depth:
                        run.bold_chars += len(text) - text.count(" ") - text.count("\n")
                if len(element):
                    open_elements.append((element, tag))
                    element = element[0]
                    continue
            while True:  # ``element`` ends; then its next sibling starts, or its parent ends
                if not skipped:
                    if tag in BLOCK_TAGS:
                        if run.line is None and not run.images and not run.open_links:
                            pieces.clear()
                        else:
                            self._end_run()
                        contexts.pop()  # (pushed at its start)
                        if tag == "figure":
                            self.figure_caption = None
                        elif tag == "blockquote":
                            self.quote_depth -= 1
                    elif tag in INLINE_ENDS:
                        self._close_inline(tag)
                    if element is container:
                        return
                    text = element.tail
                elif element is container:
                    return
                else:  # iterwalk showed neither a comment nor its tail (the parser drops both)
                    text = element.tail if isinstance(tag, str) else None
                if text:
                    if run.line is None and not text.isspace():
                        run.line = source_line(element)
                    pieces.append(text)
                    if self.bold_depth:
                        run.bold_chars += len(text) - text.count(" ") - text.count("\n")
                following = element.getnext()
                if following is not None:
                    element = following
                    break
                element, tag = open_elements.pop()
                skipped = False

    def _open_inline(self, element: Element, tag: str) -> None:
        if tag == "br":
            self.run.pieces.append(LINE_BREAK)
        elif tag == "img":
            self._image(element)
        elif tag == "a":
            self.run.open_links.append((element.get("href") or "", len(self.run.pieces)))
        else:
            self.run.open_emphasis.append((EMPHASIS[tag], len(self.run.pieces)))
            if tag in BOLD:
                self.bold_depth += 1

    def _close_inline(self, tag: str) -> None:
        if tag == "a":
            self._close_link()
            return
        self._close_emphasis(EMPHASIS[tag])
        if tag in BOLD:
            self.bold_depth = max(0, self.bold_depth - 1)

    def _close_emphasis(self, kind: str) -> None:
        """The innermost open span of this kind ends: its text is what the run gathered since."""
        opened = self.run.open_emphasis
        for index in range(len(opened) - 1, -1, -1):
            if opened[index][0] == kind:
                start = opened.pop(index)[1]
                text = self._text_since(start)
                if text:
                    self.run.emphasis.append((kind, text, self._context_before(start)))
                return

    def _text_since(self, piece: int) -> str:
        """The run's text from its ``piece``-th piece on, as one collapsed line: a link's
        or an emphasis span's text when it closes."""
        return collapse("".join(self.run.pieces[piece:]).replace(LINE_BREAK, " "))

    def _context_before(self, piece: int) -> str:
        """:func:`link_context` of the run's text before its ``piece``-th piece.

        Only the last pieces are joined: as many as hold the context's characters.
        """
        pieces = self.run.pieces
        start = piece
        context = ""
        while start > 0 and len(context) < LINK_CONTEXT_CHARS:
            start = max(0, start - CONTEXT_PIECES)
            context = link_context("".join(pieces[start:piece]).replace(LINE_BREAK, " "))
        return context

    def _close_link(self) -> None:
        if not self.run.open_links:
            return
        href, start = self.run.open_links.pop()
        text = self._text_since(start)
        href = href.strip()
        if href.lower().startswith("mailto:") and "@" not in text:
            address = href[7:].split("?", 1)[0].strip()
            if address:
                self.run.pieces.append(f" {address}")
                text = address
        if text and href and not href.startswith("#") and SAFE_LINK.match(href):
            self.run.links.append((href, text, self._context_before(start)))

    def _image(self, element: Element) -> None:
        src = (element.get("src") or element.get("data-src") or "").strip()
        if not src or src.lower().startswith(("data:", "javascript:")):
            return
        if is_interface_graphic(src) or is_tiny(element):
            self.found.append(("page-chrome", f"interface image {src[:80]}", source_line(element)))
            return
        caption = self.figure_caption or attribute_caption(element)
        alt = collapse(element.get("alt") or "") or None
        self.run.images.append(
            Block(
                kind="image", text="", line=source_line(element), src=src, alt=alt, caption=caption
            )
        )

    # -- turning a run into blocks -------------------------------------------

    def _end_run(self) -> None:
        """A block boundary: the run becomes blocks; one of only whitespace is dropped.

        (Only its text is dropped: links, bold count and images stay with the next run.)
        """
        run = self.run
        if run.line is None and not run.images and not run.open_links:
            run.pieces.clear()
            return
        while run.open_links:  # a link left open by broken markup ends with its block
            self._close_link()
        while run.open_emphasis:  # so does an unclosed <b> (it does not run on in the body)
            self._close_emphasis(run.open_emphasis[-1][0])
        self.emphasis = run.emphasis
        if run.emphasis:
            run.emphasis = []
        raw = "".join(run.pieces)
        number, links, images, bold = run.line, run.links, run.images, run.bold_chars
        run.pieces.clear()
        run.line = None
        run.bold_chars = 0
        if links:
            run.links = []
        if images:
            run.images = []
        if shows_leak(raw):
            lines, result = repair_run(raw, number)
            self.found += result.found
            links = links + leaked_links(result)
            self._emit_lines(lines, links, images + lifted_image_blocks(result.images), bold)
        elif LINE_BREAK in raw:
            self._emit_lines(split_lines(raw, number), links, images, bold)
        else:  # most runs: one line, no Line objects, no grouping
            text = squeeze_spaces(strip_invisibles(raw))
            if (
                len(text) <= DATE_LINE_MAX  # (an empty run too)
                or text[0] in LEAD_IN_INITIALS
                or links
                or self.emphasis
                or images
                or bold
                or self.contact
            ):
                self._emit_line(text, number, links, images, bold)
            else:  # prose: no date, contact, link or bold-heading test can apply
                kind, in_caption = self._context_kind()
                if in_caption:
                    self.caption_hints.add(len(self.blocks))
                block = Block(kind, text, number)
                if kind != "paragraph" or self.quote_depth:
                    self._shape(block)
                self.blocks.append(block)

    def _emit_line(
        self, text: str, number: int | None, links: list[Link], images: list[Block], bold: int
    ) -> None:
        """:meth:`_emit_lines` for a run of one line (no ``<br>``, no leak)."""
        if self.contact:  # everything after the lead-in belongs to the contact block
            if text:
                self._add_contact(text, number)
            return
        if images:
            self._add_images(images)
        if not text:
            return
        if text[0] in LEAD_IN_INITIALS and is_contact_lead_in(text):  # (starts_contact)
            self.contact_line = number
            self._add_contact(text, number)
            return
        kind, in_caption = self._context_kind()
        self._paragraph(text, number, kind, in_caption, links, bold)

    def _emit_lines(
        self, lines: list[Line], links: list[Link], images: list[Block], bold: int
    ) -> None:
        """A run's lines become paragraphs, or go to the contact block from its lead-in on."""
        if self.contact:
            self._extend_contact(lines)
            return
        if images:
            self._add_images(images)
        if lines and starts_contact(lines[0].text):  # all of it is contact: no grouping
            self.contact_line = lines[0].number
            self._extend_contact(lines)
            return
        kind, in_caption = self._context_kind()
        groups = group_paragraphs(lines)
        if len(groups) > 1:
            bold = 0  # only a run of one paragraph can be a bold heading
        for index, group in enumerate(groups):
            if self.contact:
                self._extend_contact(group)
                continue
            first = group[0]
            if starts_contact(first.text):
                self.contact_line = first.number
                self._extend_contact(group + [line for g in groups[index + 1 :] for line in g])
                return
            text = first.text if len(group) == 1 else " ".join([line.text for line in group])
            self._paragraph(text, first.number, kind, in_caption, links, bold)

    def _paragraph(
        self,
        text: str,
        number: int | None,
        kind: BlockKind,
        in_caption: bool,
        links: list[Link],
        bold: int,
    ) -> None:
        """One paragraph of a run: a date line, a (bold) heading, a list item or prose."""
        if len(text.strip()) <= DATE_LINE_MAX and self._is_date_line(text, number):
            return  # (a longer line is prose: the date reader says so too)
        if kind == "paragraph" and bold and is_bold_heading(text, bold):
            kind = "heading"
        if in_caption:
            self.caption_hints.add(len(self.blocks))
        block = Block(kind, text, number)  # (keywords cost time)
        if links:
            found = links_in(text, links)
            block.links = tuple([(href, link_text) for href, link_text, _ in found])
            block.link_context = tuple([context for *_, context in found])
        if self.emphasis:
            spans = emphasis_in(text, self.emphasis, heading=kind == "heading")
            block.emphasis = tuple([(span_kind, span) for span_kind, span, _ in spans])
            block.emphasis_context = tuple([context for *_, context in spans])
        if kind != "paragraph" or self.quote_depth:
            self._shape(block)
        self.blocks.append(block)

    def _shape(self, block: Block) -> None:
        """Give a new block the structure the renderers keep: a heading's level, a
        numbered list, a blockquote around it."""
        if block.kind != "paragraph":
            context = self.contexts[-1] if self.contexts else None
            tag = context.tag if context is not None else ""
            if block.kind == "heading" and tag in HEADINGS:
                block.level = int(tag[1])
            elif block.kind == "list-item" and tag == "li":
                parent = context.getparent() if context is not None else None
                block.ordered = parent is not None and parent.tag == "ol"
        if self.quote_depth:
            block.quoted = True

    def _add_images(self, images: list[Block]) -> None:
        self.blocks += images
        self.has_images = True

    def _context_kind(self) -> tuple[BlockKind, bool]:
        """What a run in the innermost block element becomes, and whether it is a caption."""
        if not self.contexts:
            return "paragraph", False
        context = self.contexts[-1]
        tag = context.tag
        if tag in HEADINGS:
            kind: BlockKind = "heading"
        elif tag in LIST_ITEMS:
            kind = "list-item"
        else:
            kind = "paragraph"
        classes = context.get("class")
        if classes is None:
            return kind, False
        if kind == "paragraph" and classes.startswith("MsoListParagraph"):
            kind = "list-item"  # a Word bullet paragraph (its bullet glyph was removed)
        return kind, "caption" in classes.lower()

    def _is_date_line(self, text: str, number: int | None) -> bool:
        """A line that only states a date is not prose: keep it as a date Block."""
        if HAS_YEAR.search(text) is None:
            return False
        read = read_date_line(text, self.evidence, self.warnings)
        if read is None:
            return False
        found, resolved = read
        if resolved is not None:
            if found is not None and not found.ambiguous:  # else the page hint alone
                self.blocks.append(Block(kind="date", text=text, line=number))
            self.dates.append((text, resolved))
        return True

    def _extend_contact(self, lines: list[Line]) -> None:
        for line in lines:
            if line.text:
                self._add_contact(line.text, line.number)

    def _add_contact(self, text: str, number: int | None) -> None:
        if self.contact_line is None:
            self.contact_line = number
        self.contact.append(text)
