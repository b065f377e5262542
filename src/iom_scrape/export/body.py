"""The article body as clean HTML and Markdown for a new CMS.

Both are rendered from the final body Blocks (paragraph, heading, list-item,
image), never from the page's own markup, so nothing of the old page survives
but text, links and images. The HTML is safe twice over. By construction: the
renderer writes only the tags and attributes of a minimal allow-list, every text
and attribute value escaped as an HTML serialiser escapes it, and only http,
https and mailto URLs that the sanitiser's own URL parser accepts. Then by the
sanitiser: the markup goes through nh3 (ammonia) with that allow-list, so
whatever the input, no script, no event handler and no ``javascript:`` URL comes
out. The tests check both: nh3 changes nothing in any body we render (a property
test), and a list of XSS vectors never survives. The Markdown escapes markup
characters and drops links whose scheme is not http, https or mailto.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from urllib.parse import quote, urljoin, urlsplit

import nh3

from iom_scrape.extract.images import resolve_image_url
from iom_scrape.parse.blocks import Block

# The allow-list the renderer keeps to (the tests hold its output to nh3 with it).
ALLOWED_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "img", "strong", "em"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Characters that start Markdown syntax anywhere in a line, as a translate table (one
# C pass) that backslashes them, plus ``<`` as an entity.
MARKDOWN_ESCAPES = {ord(c): "\\" + c for c in "\\`*_[]|"} | {ord("<"): "&lt;"}
# ...and at the start of a line: headings, quotes, list bullets, ordered lists.
MARKDOWN_LINE_START = re.compile(r"^(#|>|[-+](?=\s)|\d+(?=[.)]\s))")
# An ampersand that a Markdown renderer would read as the start of an entity.
MARKDOWN_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
MARKDOWN_EMPHASIS = {"strong": "**", "em": "*"}
# Body headings: h2 (the title is the new page's h1) down to h4, as the allow-list says.
MIN_HEADING = 2
MAX_HEADING = 4
# Control characters and whitespace a URL must not carry into an attribute.
URL_STRIP = re.compile(r"[\x00-\x20\x7f]+")


def render_body_html(blocks: Sequence[Block], *, base_url: str) -> str:
    """Minimal safe HTML of the body blocks, links and images made absolute.

    >>> render_body_html([Block(kind="paragraph", text="See IOM now.",
    ...                         links=(("/about", "IOM"),))], base_url="https://www.iom.int/")
    '<p>See <a href="https://www.iom.int/about">IOM</a> now.</p>'
    """
    parts: list[str] = []
    open_list: str | None = None
    quoted = False
    top = top_heading_level(blocks)
    for block in blocks:
        list_tag = ("ol" if block.ordered else "ul") if block.kind == "list-item" else None
        if open_list is not None and (list_tag != open_list or block.quoted != quoted):
            parts.append(f"</{open_list}>")
            open_list = None
        if block.quoted != quoted:
            parts.append("<blockquote>" if block.quoted else "</blockquote>")
            quoted = block.quoted
        if list_tag is not None and open_list is None:
            parts.append(f"<{list_tag}>")
            open_list = list_tag
        parts.append(_block_html(block, base_url, top))
    if open_list is not None:
        parts.append(f"</{open_list}>")
    if quoted:
        parts.append("</blockquote>")
    return sanitise_html("".join(parts))


def top_heading_level(blocks: Sequence[Block]) -> int:
    """The page level of the body's highest heading: it is rendered as ``h2``.

    The title is the new page's ``h1``, so body headings start at ``h2`` whatever
    tag the old page used, and keep their depth below it (down to ``h4``).
    """
    levels = [block.level for block in blocks if block.kind == "heading" and block.level]
    return min(levels) if levels else 1


def heading_level(block: Block, top: int) -> int:
    """2 for a top heading (and a bold line), one more per level below it, at most 4.

    >>> heading_level(Block(kind="heading", text="A", level=3), 3), heading_level(
    ...     Block(kind="heading", text="B", level=5), 3)
    (2, 4)
    """
    if not block.level:
        return MIN_HEADING
    return min(MAX_HEADING, MIN_HEADING + block.level - top)


def sanitise_html(markup: str) -> str:
    """nh3 with the body allow-list: tags, attributes and URL schemes outside it go."""
    cleaned: str = BODY_CLEANER.clean(markup)
    return cleaned


def render_body_markdown(blocks: Sequence[Block], *, base_url: str) -> str:
    """The body as Markdown: paragraphs, ``##`` headings, ``-`` lists, images.

    >>> render_body_markdown([Block(kind="heading", text="Background"),
    ...                       Block(kind="list-item", text="*one*")], base_url="https://x.org")
    '## Background\\n\\n- \\\\*one\\\\*\\n'
    """
    chunks: list[str] = []
    top = top_heading_level(blocks)
    previous: Block | None = None
    number = 0
    for block in blocks:
        rendered = _block_markdown(block, base_url, top)
        if not rendered:
            continue
        same_list = _continues_list(previous, block)
        if block.kind == "list-item":
            number = number + 1 if same_list else 1
            rendered = (f"{number}. " if block.ordered else "- ") + rendered
        if block.quoted:
            rendered = "\n".join(f"> {line}" if line else ">" for line in rendered.split("\n"))
        if same_list:
            chunks[-1] += "\n" + rendered
        elif previous is not None and previous.quoted and block.quoted:
            chunks[-1] += "\n>\n" + rendered  # one quotation, not one per paragraph
        else:
            chunks.append(rendered)
        previous = block
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _continues_list(previous: Block | None, block: Block) -> bool:
    """Is ``block`` the next item of the list ``previous`` is in?"""
    return (
        previous is not None
        and block.kind == "list-item"
        and previous.kind == "list-item"
        and previous.ordered == block.ordered
        and previous.quoted == block.quoted
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
        url = urljoin(base_url, href)
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES and _sanitiser_accepts(url) else None


# Built once: nh3 compiles the allow-list into its cleaner, so each page only cleans.
BODY_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(SAFE_SCHEMES),
    link_rel=None,
    strip_comments=True,
)
# Only asked whether a URL survives: its parser is the WHATWG one of the Rust `url` crate.
URL_PROBE = nh3.Cleaner(
    tags={"a"}, attributes={"a": {"href"}}, url_schemes=set(SAFE_SCHEMES), link_rel=None
)


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


def _block_html(block: Block, base_url: str, top: int) -> str:
    if block.kind == "paragraph":
        return f"<p>{_linked_html(block, base_url)}</p>"
    if block.kind == "heading":
        level = heading_level(block, top)
        return f"<h{level}>{escape_text(block.text)}</h{level}>"
    if block.kind == "list-item":
        return f"<li>{_linked_html(block, base_url)}</li>"
    if block.kind == "image":
        return _image_html(block, base_url)
    return ""


def _linked_html(block: Block, base_url: str) -> str:
    """Escaped text with each link's text in ``<a href>`` and emphasis in strong/em."""
    if not block.links and not block.emphasis:
        return escape_text(block.text)
    parts: list[str] = []
    for piece, url, mark in inline_segments(block, base_url):
        html_piece = escape_text(piece)
        if url is not None:
            html_piece = f'<a href="{escape_attribute(url)}">{html_piece}</a>'
        parts.append(f"<{mark}>{html_piece}</{mark}>" if mark else html_piece)
    return "".join(parts)


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
    marks = _placed_spans(block.text, block.emphasis, bounds)
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
    text: str, spans: Sequence[tuple[str, str]], bounds: list[tuple[int, int, str | None]]
) -> list[tuple[int, int, str]]:
    """Where each span is, in order, kept if it lies inside plain text or is a whole link."""
    placed: list[tuple[int, int, str]] = []
    cursor = 0
    for kind, span in spans:
        start = text.find(span, cursor) if span else -1
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


def link_segments(block: Block, base_url: str) -> Iterator[tuple[str, str | None]]:
    """The block's text cut into (text, None) and (link text, absolute URL) pieces.

    Both renderers walk the same pieces, so a link is found the same way in each.
    """
    text = block.text
    position = 0
    for href, link_text in block.links:
        url = absolute_url(href, base_url)
        start = text.find(link_text, position) if link_text else -1
        if url is None or start < 0:
            continue
        yield text[position:start], None
        yield link_text, url
        position = start + len(link_text)
    yield text[position:], None


def _image_url(block: Block, base_url: str) -> str | None:
    """The same absolute URL as the record's Image (legacy hosts folded to www.iom.int)."""
    url = absolute_url(block.src or "", base_url)
    return resolve_image_url(url, base_url) if url is not None else None


def _image_html(block: Block, base_url: str) -> str:
    url = _image_url(block, base_url)
    if url is None or url.startswith("mailto:"):
        return ""
    alt = escape_attribute(block.alt or "")
    figure = f'<p><img src="{escape_attribute(url)}" alt="{alt}"></p>'
    if block.caption:
        figure += f"<p><em>{escape_text(block.caption)}</em></p>"
    return figure


def _block_markdown(block: Block, base_url: str, top: int) -> str:
    """A block's Markdown; a list item's marker is added by the caller, who numbers it."""
    if block.kind == "paragraph":
        return _escape_line_start(_linked_markdown(block, base_url))
    if block.kind == "heading":
        return "#" * heading_level(block, top) + " " + _escape_inline(block.text)
    if block.kind == "list-item":
        return _linked_markdown(block, base_url)
    if block.kind == "image":
        return _image_markdown(block, base_url)
    return ""


def _linked_markdown(block: Block, base_url: str) -> str:
    if not block.links and not block.emphasis:
        return _escape_inline(block.text)
    parts: list[str] = []
    for piece, url, mark in inline_segments(block, base_url):
        markdown = _escape_inline(piece)
        if url is not None:
            markdown = f"[{markdown}]({_markdown_url(url)})"
        parts.append(
            f"{MARKDOWN_EMPHASIS[mark]}{markdown}{MARKDOWN_EMPHASIS[mark]}" if mark else markdown
        )
    return "".join(parts)


def _image_markdown(block: Block, base_url: str) -> str:
    url = _image_url(block, base_url)
    if url is None or url.startswith("mailto:"):
        return ""
    image = f"![{_escape_inline(block.alt or '')}]({_markdown_url(url)})"
    if block.caption:
        image += f"\n\n*{_escape_inline(block.caption)}*"
    return image


def _escape_inline(text: str) -> str:
    """Backslash Markdown syntax; ``<`` and ``&`` as entities so no raw HTML passes.

    >>> _escape_inline("a *b* <i> &amp; [c]")
    'a \\\\*b\\\\* &lt;i> &amp;amp; \\\\[c\\\\]'
    """
    if "&" in text:
        text = MARKDOWN_ENTITY.sub("&amp;", text)
    return text.translate(MARKDOWN_ESCAPES) if _has_markdown_syntax(text) else text


def _has_markdown_syntax(text: str) -> bool:
    """Any character of ``MARKDOWN_ESCAPES`` in ``text``: eight substring tests cost a
    quarter of a regex scan, and most paragraphs have none.

    >>> _has_markdown_syntax("IOM said"), _has_markdown_syntax("a_b")
    (False, True)
    """
    return (
        "\\" in text
        or "`" in text
        or "*" in text
        or "_" in text
        or "[" in text
        or "]" in text
        or "|" in text
        or "<" in text
    )


def _escape_line_start(text: str) -> str:
    """A backslash before a heading, quote, bullet or number that opens the line.

    >>> _escape_line_start("# one"), _escape_line_start("12. two"), _escape_line_start("IOM")
    ('\\\\# one', '\\\\12. two', 'IOM')
    """
    first = text[:1]
    if first not in "#>-+" and not first.isdecimal():
        return text  # no syntax can open the line: the regex is not run
    return "\\" + text if MARKDOWN_LINE_START.match(text) else text


def _markdown_url(url: str) -> str:
    """Brackets and spaces percent-encoded so the URL cannot end the link early."""
    return quote(url, safe=":/?#@!$&'*+,;=%~.-_")
