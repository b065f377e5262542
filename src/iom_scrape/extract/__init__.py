"""Blocks -> Article: the shared extractors for every kind of input.

``assemble`` is the only place fields are put together; the text-dump and HTML
parsers both end here, so one quote, contact, image and date extractor serves all.
"""

from __future__ import annotations

from iom_scrape.errors import NoContent
from iom_scrape.extract.body import (
    body_blocks,
    extract_dateline,
    extract_links,
    extract_title,
    paragraphs_of,
)
from iom_scrape.extract.contacts import extract_contacts
from iom_scrape.extract.dates import extract_published
from iom_scrape.extract.images import DEFAULT_BASE, extract_images
from iom_scrape.extract.language import detect_language
from iom_scrape.extract.quotes import extract_quotes
from iom_scrape.models import Article
from iom_scrape.parse.blocks import Block, ParsedDocument

__all__ = ["assemble"]


def assemble(document: ParsedDocument, *, url: str | None = None) -> tuple[Article, list[Block]]:
    """Build the Article (without rendered bodies) and return its body blocks too."""
    base_url = document.hints.base_url or url or DEFAULT_BASE
    body = body_blocks(document)
    paragraphs = paragraphs_of(body)
    has_title = any(b.kind in ("title", "heading") for b in document.blocks) or document.hints.title
    if not paragraphs and not has_title:
        raise NoContent("no title and no body survived cleaning", source=url)
    images = extract_images(body, base_url=base_url)
    published = extract_published(document, paragraphs[0] if paragraphs else None, images)
    article = Article(
        source_url=url,
        title=extract_title(document),
        published=published.date,
        published_source=published.source,
        language=detect_language(" ".join(paragraphs), document.hints.language),
        dateline=extract_dateline(document),
        paragraphs=paragraphs,
        quotes=extract_quotes(paragraphs),
        images=images,
        contacts=extract_contacts(document.blocks),
        links=extract_links(body, base_url=base_url),
        repairs=document.repairs,
        warnings=[*document.warnings, *published.warnings],
    )
    return article, body
