"""A block's inline pieces for the renderers: links made absolute and safe, emphasis
spans placed, text and attribute values escaped as an HTML serialiser escapes them.

Both renderers (``export.body``) cut a block's text with :func:`inline_segments`, so
a link or an emphasis is found the same way in the HTML and in the Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

from iom_scrape.extract.body import join_url
from iom_scrape.parse.blocks import Block, link_context

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Control characters and whitespace a URL must not carry into an attribute.
URL_STRIP = re.compile(r"[\x00-\x20\x7f]+")
# Only asked whether a URL survives: its parser is the WHATWG one of the Rust `url` crate.
URL_PROBE = nh3.Cleaner(
    tags={"a"}, attributes={"a": {"href"}}, url_schemes=set(SAFE_SCHEMES), link_rel=None
)


@lru_cache(maxsize=4096)
def absolute_url(href: str, base_url: str) -> str | None:
    """``href`` resolved on ``base_url``; None unless it is http(s) or mailto.

    Cached: both renderers resolve the same links and images.

    >>> absolute_url("/jahia/webdav/a.jpg", "https://www.iom.int/news/x")
    'https://www.iom.int/jahia/webdav/a.jpg'
    >>> absolute_url(" JaVaScRiPt:alert(1)", "https://www.iom.int/") is None
    True
    """
    href = URL_STRIP.sub("", html.unescape(href))
    if not href:
        return None
    try:
        url = join_url(base_url, href)
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES and _sanitiser_accepts(url) else None


def _sanitiser_accepts(url: str) -> bool:
    """A URL a sanitiser would drop ("http://", a bad port or host) is no URL to keep.

    >>> _sanitiser_accepts("https://www.iom.int/a.jpg"), _sanitiser_accepts("http://")
    (True, False)
    """
    probe = f'<a href="{escape_attribute(url)}"></a>'
    return bool(URL_PROBE.clean(probe) == probe)


def escape_text(text: str) -> str:
    """Text as an HTML serialiser writes it (WHATWG "escaping a string", as html5ever and
    nh3 do): ``& < >`` and no-break space escaped; NUL dropped, CR and CRLF read as LF.

    >>> escape_text('a < b & "c"\u00a0d')
    'a &lt; b &amp; "c"&nbsp;d'
    """
    text = _as_parsed(text)
    if "&" not in text and "<" not in text and ">" not in text and "\xa0" not in text:
        return text  # most pieces: nothing to escape, no four replace calls
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\xa0", "&nbsp;")
    )


def escape_attribute(value: str) -> str:
    """An attribute value as nh3 writes it: ``& " < >`` and no-break space escaped.

    >>> escape_attribute('a "b" & <c>')
    'a &quot;b&quot; &amp; &lt;c&gt;'
    """
    return escape_text(value).replace('"', "&quot;")


def _as_parsed(text: str) -> str:
    """What an HTML parser would read back: no NUL, and LF for every line break."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def link_segments(block: Block, base_url: str) -> Iterator[tuple[str, str | None]]:
    """The block's text cut into (text, None) and (link text, absolute URL) pieces.

    Both renderers walk the same pieces, so a link is found the same way in each.
    """
    text = block.text
    position = 0
    contexts = block.link_context
    for index, (href, link_text) in enumerate(block.links):
        url = absolute_url(href, base_url)
        start = text.find(link_text, position) if link_text else -1
        if start >= 0 and index < len(contexts) and contexts[index]:
            start = _occurrence_after(text, link_text, start, contexts[index])
        if url is None or start < 0:
            continue
        yield text[position:start], None
        yield link_text, url
        position = start + len(link_text)
    yield text[position:], None


def _occurrence_after(text: str, link_text: str, first: int, context: str) -> int:
    """Where a link (or emphasis span) is among the occurrences of its text from ``first``
    on: the one the page's text before it (``context``) ends right before; else the first.

    >>> _occurrence_after("IOM says see the IOM site", "IOM", 0, "seethe")
    17
    """
    start = first
    while start >= 0:
        if link_context(text[max(0, start - 3 * len(context)) : start]).endswith(context):
            return start
        start = text.find(link_text, start + 1)
    return first


def inline_segments(block: Block, base_url: str) -> Iterator[tuple[str, str | None, str | None]]:
    """The block's text as (text, absolute link URL or None, "strong"/"em" or None) pieces.

    Links cut the text first (:func:`link_segments`); an emphasis span then marks a
    whole link or a stretch of the text between links. A span that straddles a
    link's edge is left out: its text stays, plain.
    """
    segments = list(link_segments(block, base_url))
    if not block.emphasis:
        for piece, url in segments:
            yield piece, url, None
        return
    bounds: list[tuple[int, int, str | None]] = []
    offset = 0
    for piece, url in segments:  # the pieces, joined, are the block's text
        bounds.append((offset, offset + len(piece), url))
        offset += len(piece)
    marks = _placed_spans(block.text, block.emphasis, block.emphasis_context, bounds)
    text = block.text
    for start, end, url in bounds:
        if url is not None:
            kind = next((k for s, e, k in marks if (s, e) == (start, end)), None)
            yield text[start:end], url, kind
            continue
        position = start
        for s, e, kind in marks:
            if start <= s and e <= end:
                yield text[position:s], None, None
                yield text[s:e], None, kind
                position = e
        yield text[position:end], None, None


def _placed_spans(
    text: str,
    spans: Sequence[tuple[str, str]],
    contexts: Sequence[str],
    bounds: list[tuple[int, int, str | None]],
) -> list[tuple[int, int, str]]:
    """Where each span is, in order, kept if it lies inside plain text or is a whole link."""
    placed: list[tuple[int, int, str]] = []
    cursor = 0
    for index, (kind, span) in enumerate(spans):
        start = text.find(span, cursor) if span else -1
        if start >= 0 and index < len(contexts) and contexts[index]:
            start = _occurrence_after(text, span, start, contexts[index])
        if start < 0:
            continue
        end = start + len(span)
        if any(
            (url is None and s <= start and end <= e)
            or (url is not None and (s, e) == (start, end))
            for s, e, url in bounds
        ):
            placed.append((start, end, kind))
            cursor = end
    return placed
