"""Image blocks of the HTML walk: captions from attributes and figures, spacers, duplicates."""

from __future__ import annotations

from iom_scrape.models import Repair
from iom_scrape.parse.blocks import Block
from iom_scrape.parse.html_lines import collapse, looks_like_caption
from iom_scrape.parse.html_tree import Element, text_of
from iom_scrape.repair.leaks import LiftedImage

TINY_IMAGE = 3


def with_caption(block: Block, caption: str) -> Block:
    return Block(
        kind=block.kind,
        text=block.text,
        line=block.line,
        src=block.src,
        alt=block.alt,
        caption=caption or None,
    )


def attribute_caption(element: Element) -> str | None:
    """A long ``title`` attribute on a Jahia image was its caption (the seed's image)."""
    title = collapse(element.get("title") or "")
    return title or None


def figure_caption(figure: Element, exclude: set[Element]) -> str | None:
    caption = next(figure.iter("figcaption"), None)
    if caption is None:
        return None
    exclude.add(caption)
    return collapse(text_of(caption)) or None


def is_tiny(element: Element) -> bool:
    """Spacers and tracking pixels: a declared width or height of a few pixels."""
    for name in ("width", "height"):
        value = (element.get(name) or "").strip().rstrip("px")
        if value.isdigit() and int(value) <= TINY_IMAGE:
            return True
    return False


def dedupe_images(blocks: list[Block]) -> list[Block]:
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
                kept[index] = Block(
                    kind="image",
                    text="",
                    line=first.line,
                    src=first.src,
                    alt=first.alt or block.alt,
                    caption=first.caption or block.caption,
                )
            continue
        seen[block.src] = len(kept)
        kept.append(block)
    return kept


def lifted_image_blocks(images: list[LiftedImage]) -> list[Block]:
    """Image Blocks for the paths the leak repair lifted out of a run."""
    return [
        Block(kind="image", text="", line=image.line, src=image.src, caption=image.caption)
        for image in images
    ]


def attach_captions(blocks: list[Block], hints: set[int], repairs: list[Repair]) -> list[Block]:
    """A credit or caption paragraph right after an image is that image's caption.

    ``hints`` holds the indexes of paragraphs inside caption-classed elements. Only
    the blocks after images are looked at (a caption is never itself an image, so
    no two images compete for one paragraph).
    """
    kept = list(blocks)
    lifted: set[int] = set()
    for index in [i for i, block in enumerate(blocks) if block.kind == "image"]:
        following = index + 1
        if following < len(blocks) and _is_caption(blocks[following], following in hints):
            image, caption = blocks[index], blocks[following]
            kept[index] = with_caption(image, " ".join(filter(None, (image.caption, caption.text))))
            repairs.append(
                Repair(kind="caption-lifted", detail=caption.text[:80], line=caption.line)
            )
            lifted.add(following)
    if lifted:
        kept = [block for i, block in enumerate(kept) if i not in lifted]
    return kept


def _is_caption(block: Block, hinted: bool) -> bool:
    """Is ``block`` (right after an image) that image's caption?"""
    return block.kind == "paragraph" and (hinted or looks_like_caption(block.text))
