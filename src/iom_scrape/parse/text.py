"""Text dump -> Blocks: strip navigation, repair leaked markup, undo hard wraps.

The dumps come from the new site's text export of migrated legacy bodies: a
menu on top, the title, the hard-wrapped body (with or without blank lines
between paragraphs) and the contact block at the end (jahia-notes §4, §5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from iom_scrape.models import Repair, repairs_of
from iom_scrape.parse.blocks import Block, BlockKind, ParsedDocument, link_context
from iom_scrape.parse.dates import find_date, parse_date_line
from iom_scrape.parse.lead_in import LEAD_IN_INITIALS, is_contact_lead_in
from iom_scrape.parse.lines import ends_sentence, strip_invisibles
from iom_scrape.parse.nav import is_page_header_line, split_navigation
from iom_scrape.repair.archive import unwrap_archive_urls
from iom_scrape.repair.leaks import LiftedImage, SourceLine, repair_leaked_markup

# A line opening direct speech or a list item starts a new paragraph after a sentence end.
OPENS_QUOTE = re.compile(r"^[\"“«„]")
BULLET = re.compile(r"^[-–•*]\s+")
BULLET_MARKS = frozenset("-–•*")
SPACE_RUN = re.compile(r"\s{2,}")
# Lines longer than this were never hard-wrapped (captions, unwrapped paragraphs).
UNWRAPPED_LINE = 100
MIN_BLANK_SEPARATIONS = 2
HEADER_LOOKAHEAD = 6


def parse_text_dump(text: str) -> ParsedDocument:
    """Turn a damaged text dump into Blocks with their input line numbers."""
    text, repairs = unwrap_archive_urls(text)
    lines = _source_lines(text)
    split = split_navigation(lines)
    repairs += repairs_of("nav-boilerplate", ((ln.text[:80], ln.number) for ln in split.nav))
    leak = repair_leaked_markup(lines[split.body_start :])
    repairs += leak.repairs
    body = _drop_repeated_lines(leak.lines, repairs)
    blocks = _blocks_from_lines(body, leak.images, repairs)
    return ParsedDocument(blocks=blocks, repairs=_in_line_order(repairs), source_kind="text")


def _source_lines(text: str) -> list[SourceLine]:
    text = strip_invisibles(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\t", " ")
    return [SourceLine(i, line.strip()) for i, line in enumerate(text.split("\n"), start=1)]


def _drop_repeated_lines(lines: list[SourceLine], repairs: list[Repair]) -> list[SourceLine]:
    """A crawl that printed a line twice in a row: keep one copy."""
    kept: list[SourceLine] = []
    previous = ""
    for line in lines:
        text = line.text
        if text and text == previous and len(text) > 3:
            repairs.append(Repair(kind="duplicate-line", detail=text[:80], line=line.number))
            continue
        previous = text or previous
        kept.append(line)
    return kept


def _blocks_from_lines(
    lines: list[SourceLine], images: list[LiftedImage], repairs: list[Repair]
) -> list[Block]:
    header, content = _take_header_lines(_trim_blank(lines), repairs)
    if not content:
        return header + [_image_block(image) for image in images]
    title, rest = content[0], content[1:]
    after_title, rest = _take_header_lines(rest, repairs)
    blocks = [Block(kind="title", text=title.text, line=title.number), *header, *after_title]
    body, contact = _split_contact(_trim_blank(rest))
    blocks += _merge_by_line(_paragraph_blocks(body, repairs), [_image_block(i) for i in images])
    if contact:
        blocks.append(_contact_block(contact))
    return blocks


def _take_header_lines(
    lines: list[SourceLine], repairs: list[Repair]
) -> tuple[list[Block], list[SourceLine]]:
    """Header lines around the title: dated ones become date Blocks, the rest go."""
    dates: list[Block] = []
    index = 0
    while index < min(len(lines), HEADER_LOOKAHEAD):
        line = lines[index]
        is_header = bool(line.text) and is_page_header_line(line.text)
        if line.text and not is_header and parse_date_line(line.text) is None:
            break
        if line.text and find_date(line.text):
            dates.append(Block(kind="date", text=line.text, line=line.number))
        if is_header:
            repairs.append(
                Repair(kind="syndication-header", detail=line.text[:80], line=line.number)
            )
        index += 1
    return dates, lines[index:]


def _split_contact(lines: list[SourceLine]) -> tuple[list[SourceLine], list[SourceLine]]:
    for index, line in enumerate(lines):
        if line.text[:1] in LEAD_IN_INITIALS and is_contact_lead_in(line.text):
            return lines[:index], lines[index:]
    return lines, []


def _contact_block(lines: list[SourceLine]) -> Block:
    kept = tuple(line.text for line in lines if line.text)
    return Block(kind="contact", text=" ".join(kept), line=lines[0].number, lines=kept)


def _paragraph_blocks(lines: list[SourceLine], repairs: list[Repair]) -> list[Block]:
    blocks: list[Block] = []
    joined: list[tuple[str, int | None]] = []
    for group in _paragraph_groups(lines):
        text = " ".join([line.text for line in group])
        kind: BlockKind = "paragraph"
        if text[:1] in BULLET_MARKS and BULLET.match(text):
            kind, text = "list-item", BULLET.sub("", text)
        if len(group) > 1:
            joined.append((f"joined {len(group)} lines", group[0].number))
        text = SPACE_RUN.sub(" ", text) if "  " in text else text
        block = Block(kind=kind, text=text, line=group[0].number)
        if any(line.link for line in group):
            _add_leaked_links(block, group)
        blocks.append(block)
    repairs += repairs_of("hard-wrap", joined)
    return blocks


def _add_leaked_links(block: Block, group: list[SourceLine]) -> None:
    """The paragraph's lines that are a leaked anchor's text become its links."""
    links: list[tuple[str, str]] = []
    contexts: list[str] = []
    for index, line in enumerate(group):
        if line.link:
            links.append((line.link, SPACE_RUN.sub(" ", line.text)))
            contexts.append(link_context(" ".join([kept.text for kept in group[:index]])))
    block.links, block.link_context = tuple(links), tuple(contexts)


def _paragraph_groups(lines: list[SourceLine]) -> list[list[SourceLine]]:
    """Group wrapped lines into paragraphs, deciding each line end from evidence."""
    blank_mode = _separates_paragraphs_by_blank_lines(lines)
    width = _wrap_width(lines)
    groups: list[list[SourceLine]] = []
    current: list[SourceLine] = []
    for index, line in enumerate(lines):
        if not line.text:
            if current:
                groups.append(current)
            current = []
            continue
        current.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (
            following
            and following.text
            and _ends_paragraph(line.text, following.text, width, blank_mode)
        ):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _ends_paragraph(line: str, following: str, width: int, blank_mode: bool) -> bool:
    """Would a wrapper have broken here, or is this the end of a paragraph?

    >>> _ends_paragraph("from all over the country.", "The training, made", 67, False)
    True
    >>> _ends_paragraph("will bring together shelter managers from all over the", "country.", 67, False)
    False
    """
    if following[:1] in BULLET_MARKS and BULLET.match(following):
        return True
    if blank_mode:
        return False
    if len(line) > UNWRAPPED_LINE:
        return True
    if not ends_sentence(line):
        return False
    space = following.find(" ")
    next_word_length = space if space >= 0 else len(following)
    fits = len(line) + 1 + next_word_length <= width
    return fits or OPENS_QUOTE.match(following) is not None or len(following) > UNWRAPPED_LINE


def _separates_paragraphs_by_blank_lines(lines: list[SourceLine]) -> bool:
    """Blank-line dumps mark every paragraph end; single-newline dumps never do."""
    texts = [line.text for line in lines]
    first_text = next((i for i, text in enumerate(texts) if text), len(texts))
    separations = sum(1 for previous, text in pairwise(texts[first_text:]) if not previous and text)
    return separations >= MIN_BLANK_SEPARATIONS


def _wrap_width(lines: Iterable[SourceLine]) -> int:
    """The dump's wrap column: the longest line that was itself wrapped."""
    lengths = [len(line.text) for line in lines]
    return max(filter(UNWRAPPED_LINE.__ge__, lengths), default=0) or UNWRAPPED_LINE


def _merge_by_line(paragraphs: list[Block], images: list[Block]) -> list[Block]:
    merged = paragraphs + images
    return sorted(merged, key=lambda block: block.line or 0)


def _image_block(image: LiftedImage) -> Block:
    return Block(kind="image", text="", line=image.line, src=image.src, caption=image.caption)


def _trim_blank(lines: list[SourceLine]) -> list[SourceLine]:
    start = next((i for i, line in enumerate(lines) if line.text), len(lines))
    end = len(lines)
    while end > start and not lines[end - 1].text:
        end -= 1
    return lines[start:end]


def _in_line_order(repairs: list[Repair]) -> list[Repair]:
    return sorted(repairs, key=lambda repair: repair.line or 0)
