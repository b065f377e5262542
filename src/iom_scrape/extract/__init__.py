"""Blocks -> Article: the shared extractors for every kind of input.

``article_fields`` is the only place fields are put together; the text-dump and
HTML parsers both end here, so one quote, contact, image and date extractor serves all.
"""

from __future__ import annotations

from typing import Any

from iom_scrape.errors import NoContent
from iom_scrape.extract.body import body_parts, extract_title, has_title_block, link_records
from iom_scrape.extract.contacts import contact_records
from iom_scrape.extract.dates import extract_published
from iom_scrape.extract.images import DEFAULT_BASE, image_records
from iom_scrape.extract.language import detect_language
from iom_scrape.extract.quotes import quote_records
from iom_scrape.fetch.canonical import site_url
from iom_scrape.parse.blocks import Block, ParsedDocument

__all__ = ["article_fields", "page_base_url"]


def page_base_url(document: ParsedDocument, url: str | None) -> str:
    """Where the page's relative links and images resolve: ``<base href>``, its URL, iom.int.

    A page fetched from the Wayback Machine resolves on the URL the capture replays:
    its own paths (``/jahia/webdav/...``) are the site's, not the archive's.
    """
    return document.hints.base_url or (site_url(url) if url else DEFAULT_BASE)


def article_fields(
    document: ParsedDocument, *, url: str | None = None
) -> tuple[dict[str, Any], list[Block]]:
    """The Article's fields, nested records as plain dicts, and the body blocks.

    The caller adds the rendered bodies and validates everything in one pydantic
    call: one validation of the whole tree costs less than a model per record
    plus a copy of the Article.
    """
    base_url = page_base_url(document, url)
    body = body_parts(document)
    paragraphs = body.paragraphs
    if not paragraphs and not has_title_block(document):
        raise NoContent("no title and no body survived cleaning", source=url)
    images = image_records(body.blocks, base_url=base_url)
    published = extract_published(document, paragraphs[0] if paragraphs else None, images)
    fields = {
        "source_url": url,
        "title": extract_title(document),
        "published": published.date,
        "published_source": published.source,
        "language": detect_language(" ".join(paragraphs), document.hints.language),
        "dateline": body.dateline,
        "paragraphs": paragraphs,
        "quotes": quote_records(paragraphs),
        "images": images,
        "contacts": contact_records(document.blocks),
        "links": link_records(body.blocks, base_url=base_url),
        "repairs": document.repairs,
        "warnings": [*document.warnings, *published.warnings],
    }
    return fields, body.blocks
