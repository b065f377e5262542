"""A block's inline pieces for the renderers: links made absolute and safe, emphasis
spans placed, text and attribute values escaped as an HTML serialiser escapes them.

``export.body`` renders the HTML and the Markdown from the one token run of
:func:`inline_tokens`, so a link or an emphasis is placed the same way in both.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import TypeAlias
from urllib.parse import urlsplit

import nh3

from iom_scrape.extract.body import join_url
from iom_scrape.parse.blocks import Block, link_context

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
Token: TypeAlias = tuple[str, str, str | None]
"""("text", the text, None), ("open" or "close", "a"/"strong"/"em", a link's URL or None)."""
Range: TypeAlias = tuple[int, int, str, str | None, int]
"""(start, end, "a"/"strong"/"em", a link's URL, rank): of two on the same text, the
lower rank is outside."""
Resolver: TypeAlias = Callable[[str, str], str | None]
"""(href, base URL) -> the absolute URL a body keeps, or None: :func:`absolute_url`."""
# Control characters and whitespace a URL must not carry into an attribute.
URL_STRIP = re.compile(r"[\x00-\x20\x7f]+")
# Only asked whether a URL survives: its parser is the WHATWG one of the Rust `url` crate.
URL_PROBE = nh3.Cleaner(
    tags={"a"}, attributes={"a": {"href"}}, url_schemes=set(SAFE_SCHEMES), link_rel=None
)
# An http(s) URL on a host of plain ASCII labels that ends in a letter label (no IPv4
# reading, no punycode to check, no port), the rest printable ASCII: the WHATWG parser
# accepts every such URL, so the sanitiser need not be asked (most links and images).
PLAIN_URL = re.compile(
    r"https?://(?:(?!xn--)[a-z0-9-]+\.)+(?!xn--)[a-z]+(?:[/?#][!-~]*)?", re.ASCII | re.IGNORECASE
)


def absolute_url(href: str, base_url: str) -> str | None:
    """``href`` resolved on ``base_url``; None unless it is http(s) or mailto.

    >>> absolute_url("/jahia/webdav/a.jpg", "https://www.iom.int/news/x")
    'https://www.iom.int/jahia/webdav/a.jpg'
    >>> absolute_url(" JaVaScRiPt:alert(1)", "https://www.iom.int/") is None
    True
    """
    url = candidate_url(href, base_url)
    return url if url is not None and _sanitiser_accepts(url) else None


def candidate_url(href: str, base_url: str) -> str | None:
    """``href`` resolved on ``base_url`` if it is http(s) or mailto: :func:`absolute_url`
    before the sanitiser's verdict (which a caller may ask for several URLs at once).

    >>> candidate_url("http://", "https://x.org/"), absolute_url("http://", "https://x.org/")
    ('http://', None)
    """
    href = URL_STRIP.sub("", html.unescape(href))
    if not href:
        return None
    try:
        url = join_url(base_url, href)
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES else None


def _sanitiser_accepts(url: str) -> bool:
    """A URL a sanitiser would drop ("http://", a bad port or host) is no URL to keep.

    >>> _sanitiser_accepts("https://www.iom.int/a.jpg"), _sanitiser_accepts("http://")
    (True, False)
    """
    if PLAIN_URL.fullmatch(url) is not None:
        return True
    probe = url_probe(url)
    return bool(URL_PROBE.clean(probe) == probe)


def url_probe(url: str) -> str:
    """The markup the sanitiser keeps unchanged exactly when it accepts ``url``."""
    return f'<a href="{escape_attribute(url)}"></a>'


def escape_text(text: str) -> str:
    """Text as an HTML serialiser writes it (WHATWG "escaping a string", as html5ever and
    nh3 do): ``& < >`` and no-break space escaped; NUL dropped, CR and CRLF read as LF.

    >>> escape_text('a < b & "c"\u00a0d')
    'a &lt; b &amp; "c"&nbsp;d'
    """
    if "\x00" in text or "\r" in text:  # (rare: no call for the rest)
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


def inline_tokens(block: Block, base_url: str, resolve: Resolver = absolute_url) -> list[Token]:
    """The block's text as a flat run of tokens: text, and the opening and closing of
    each link and strong/em span, properly nested. Both renderers write the same run.

    Links are placed first (:func:`placed_links`, ``resolve`` making them absolute); an
    emphasis span is kept where it nests with them and with the spans kept before it:
    around a link, inside a link's text, around or inside another span. A span that
    crosses an edge is left out: its text stays, plain. Where a link and spans cover the
    same text, the spans are outside the link, and the span that closed last (the outer
    tag of the page) is outermost.

    >>> inline_tokens(Block(kind="paragraph", text="a big deal", emphasis=(("em", "big"),
    ...     ("strong", "a big deal"))), "https://x.org")  # doctest: +NORMALIZE_WHITESPACE
    [('open', 'strong', None), ('text', 'a ', None), ('open', 'em', None), ('text', 'big', None),
     ('close', 'em', None), ('text', ' deal', None), ('close', 'strong', None)]
    """
    text = block.text
    links = placed_links(block, base_url, resolve)
    if not block.emphasis:  # most blocks: links side by side, nothing to nest
        return _link_tokens(text, links)
    ranges: list[Range] = [(start, end, "a", url, 0) for start, end, url in links]
    spans = _placed_spans(text, block.emphasis, block.emphasis_context, links)
    ranges += [(start, end, kind, None, -1 - order) for start, end, kind, order in spans]
    ranges.sort(key=lambda r: (r[0], -r[1], r[4]))  # outer first
    tokens: list[Token] = []
    open_ranges: list[Range] = []
    position = 0
    for mark in ranges:
        while open_ranges and open_ranges[-1][1] <= mark[0]:
            position = _close(tokens, text, position, open_ranges.pop())
        _text(tokens, text, position, mark[0])
        tokens.append(("open", mark[2], mark[3]))
        open_ranges.append(mark)
        position = mark[0]
    while open_ranges:
        position = _close(tokens, text, position, open_ranges.pop())
    _text(tokens, text, position, len(text))
    return tokens


def _link_tokens(text: str, links: list[tuple[int, int, str]]) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    for start, end, url in links:
        _text(tokens, text, position, start)
        tokens += (("open", "a", url), ("text", text[start:end], None), ("close", "a", url))
        position = end
    _text(tokens, text, position, len(text))
    return tokens


def _close(tokens: list[Token], text: str, position: int, mark: Range) -> int:
    _text(tokens, text, position, mark[1])
    tokens.append(("close", mark[2], mark[3]))
    return mark[1]


def _text(tokens: list[Token], text: str, start: int, end: int) -> None:
    if end > start:
        tokens.append(("text", text[start:end], None))


def placed_links(
    block: Block, base_url: str, resolve: Resolver = absolute_url
) -> list[tuple[int, int, str]]:
    """(start, end, absolute URL) of each link in the block's text, in order.

    Both renderers read the same places, so a link is found the same way in each.
    """
    text = block.text
    placed: list[tuple[int, int, str]] = []
    position = 0
    contexts = block.link_context
    for index, (href, link_text) in enumerate(block.links):
        url = resolve(href, base_url)
        start = text.find(link_text, position) if link_text else -1
        if start >= 0 and index < len(contexts) and contexts[index]:
            start = _occurrence_after(text, link_text, start, contexts[index])
        if url is None or start < 0:
            continue
        placed.append((start, start + len(link_text), url))
        position = start + len(link_text)
    return placed


def _occurrence_after(text: str, link_text: str, first: int, context: str) -> int:
    """Where a link (or emphasis span) is among the occurrences of its text from ``first``
    on: the one the page's text before it (``context``) ends right before; else the first.

    >>> _occurrence_after("IOM says see the IOM site", "IOM", 0, "seethe")
    17
    """
    if text.find(link_text, first + 1) < 0:
        return first  # the only occurrence left
    start = first
    while start >= 0:
        if link_context(text[max(0, start - 3 * len(context)) : start]).endswith(context):
            return start
        start = text.find(link_text, start + 1)
    return first


def _placed_spans(
    text: str,
    spans: Sequence[tuple[str, str]],
    contexts: Sequence[str],
    links: list[tuple[int, int, str]],
) -> list[tuple[int, int, str, int]]:
    """(start, end, kind, order) of each emphasis span kept: where the page had it (its
    context), else the first occurrence after the spans before it, else the first at all
    (an outer span closes after the spans inside it); kept if it nests with the rest."""
    placed: list[tuple[int, int, str, int]] = []
    edges = [(start, end) for start, end, _ in links]
    cursor = 0
    for order, (kind, span) in enumerate(spans):
        if not span:
            continue
        first = text.find(span)
        if first < 0:
            continue
        if order < len(contexts) and contexts[order]:
            start = _occurrence_after(text, span, first, contexts[order])
        else:
            start = text.find(span, cursor)
            start = first if start < 0 else start
        end = start + len(span)
        if any(start == s and end == e and kind == k for s, e, k, _ in placed):
            continue
        if all(_nests(start, end, s, e) for s, e in edges):
            placed.append((start, end, kind, order))
            edges.append((start, end))
            cursor = max(cursor, end)
    return placed


def _nests(start: int, end: int, other_start: int, other_end: int) -> bool:
    """Two ranges that are apart, or one inside the other (no edge crossed)."""
    return (
        end <= other_start
        or start >= other_end
        or (start <= other_start and other_end <= end)
        or (other_start <= start and end <= other_end)
    )
