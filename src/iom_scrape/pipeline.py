"""The one entry point from raw input to an Article: decode, parse, extract, render.

``parse`` accepts text, bytes, or anything page-like (a fetched ``Page``), sniffs
whether it is HTML or a text dump, and hands the resulting Blocks to the shared
extractors. It raises only :class:`~iom_scrape.errors.InputError` subclasses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from iom_scrape.export.body import render_bodies
from iom_scrape.extract import article_fields, page_base_url
from iom_scrape.fetch.canonical import canonical_url
from iom_scrape.models import Article
from iom_scrape.parse.blocks import ParsedDocument
from iom_scrape.parse.html import parse_decoded_html
from iom_scrape.parse.text import parse_text_dump
from iom_scrape.repair.encoding import decode_source

# Real tags, not the `">` debris text dumps are full of: `<` + a tag name pages use.
HTML_TAG = re.compile(
    r"<(?:!doctype|!--|html|head|body|p|div|table|td|tr|br|span|a\s|img|h[1-6]|ul|li|meta|title)\b",
    re.IGNORECASE,
)
HTML_MIN_TAGS = 2
SNIFF_CHARS = 20000


@runtime_checkable
class PageLike(Protocol):
    """What ``parse`` needs of a fetched page (``iom_scrape.Page`` satisfies it)."""

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def final_url(self) -> str: ...


def parse(
    source: str | bytes | PageLike,
    *,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Article:
    """Turn a legacy page (HTML or text dump; text, bytes or a fetched Page) into an Article."""
    if not isinstance(source, str | bytes):
        return parse(source.content, url=url or source.final_url, headers=source.headers)
    decoded = decode_source(source, headers=headers, url=url)
    if looks_like_html(decoded.text):
        document = parse_decoded_html(decoded.text, url=url, encoded=decoded.encoded)
    else:
        document = parse_text_dump(decoded.text)
    document.repairs[:0] = decoded.repairs
    return build(document, url=url)


def parse_text(text: str, *, url: str | None = None) -> Article:
    """Clean a text dump of a legacy page (no HTML sniffing)."""
    decoded = decode_source(text, url=url)
    document = parse_text_dump(decoded.text)
    document.repairs[:0] = decoded.repairs
    return build(document, url=url)


def build(document: ParsedDocument, *, url: str | None) -> Article:
    """Extract the fields, render the clean bodies, and validate the Article once."""
    fields, body = article_fields(document, url=url)
    base_url = page_base_url(document, url)
    fields["canonical_url"] = canonical_url(url) if url else None
    fields["body_html"], fields["body_markdown"] = render_bodies(body, base_url=base_url)
    return Article.model_validate(fields)


def looks_like_html(text: str) -> bool:
    """Tell an HTML page from a text dump by counting real tags in its head.

    >>> looks_like_html('<html><body><p>Hi</p></body></html>')
    True
    >>> looks_like_html('src=\\n"/jahia/webdav/a.jpg">\\nText')
    False
    """
    position = 0
    for _ in range(HTML_MIN_TAGS):
        tag = HTML_TAG.search(text, position, SNIFF_CHARS)
        if tag is None:
            return False
        position = tag.end()
    return True
