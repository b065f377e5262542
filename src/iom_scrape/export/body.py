"""The article body as clean HTML and Markdown for a new CMS.

Both are rendered from the final body Blocks (paragraph, heading, list-item,
image), never from the page's own markup, so nothing of the old page survives
but text, links, images and the structure the Blocks carry: heading depth (h2-h4
below the title), numbered lists, quotations and inline strong/em (the pieces of
a block's text come from ``export.inline``). The HTML is safe twice over. By construction: the
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

import re
from collections.abc import Sequence
from urllib.parse import quote

import nh3

from iom_scrape.export.inline import (
    SAFE_SCHEMES,
    Resolver,
    Token,
    absolute_url,
    candidate_url,
    escape_attribute,
    escape_text,
    inline_tokens,
    url_probe,
)
from iom_scrape.extract.images import resolve_image_url
from iom_scrape.parse.blocks import Block

# The allow-list the renderer keeps to (the tests hold its output to nh3 with it).
ALLOWED_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "img", "strong", "em"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
# Characters that start Markdown syntax anywhere in a line, as a translate table (one
# C pass) that backslashes them, plus ``<`` as an entity.
MARKDOWN_ESCAPES = {ord(c): "\\" + c for c in "\\`*_[]|"} | {ord("<"): "&lt;"}
# ...and at the start of a line: headings, quotes, list bullets, ordered lists.
MARKDOWN_LINE_START = re.compile(r"^(#|>|[-+](?=\s)|\d+(?=[.)]\s))")
# An ampersand that a Markdown renderer would read as the start of an entity.
MARKDOWN_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
MARKDOWN_EMPHASIS = {"strong": "**", "em": "*"}
INLINE_KINDS = frozenset({"paragraph", "list-item"})
"""The blocks whose links and emphasis the bodies keep (a heading is plain text)."""
# Body headings: h2 (the title is the new page's h1) down to h4, as the allow-list says.
MIN_HEADING = 2
MAX_HEADING = 4


def render_body_html(blocks: Sequence[Block], *, base_url: str) -> str:
    """Minimal safe HTML of the body blocks, links and images made absolute
    (the HTML half of :func:`render_bodies`, which the pipeline calls).

    >>> render_body_html([Block(kind="paragraph", text="See IOM now.",
    ...                         links=(("/about", "IOM"),))], base_url="https://www.iom.int/")
    '<p>See <a href="https://www.iom.int/about">IOM</a> now.</p>'
    """
    return render_bodies(blocks, base_url=base_url)[0]


def render_bodies(blocks: Sequence[Block], *, base_url: str) -> tuple[str, str]:
    """The body as sanitised HTML and as Markdown, from one pass over the blocks.

    The two are always wanted together: one pass works out each block's inline
    tokens, image URL and heading level once for both.

    The sanitiser's verdicts on the link and image URLs (:func:`absolute_url`) come
    from the body's own sanitiser call, not one call per URL: the body is rendered
    as if it accepted each URL; a URL the body does not hold as written goes in
    front as its probe (:func:`url_probe`). If the sanitiser changes nothing, it
    accepted them all; else the body is rendered again with a verdict per URL.
    """
    candidates: dict[str, None] = {}

    def unjudged(href: str, base: str) -> str | None:
        url = candidate_url(href, base)
        if url is not None:
            candidates[url] = None
        return url

    html, markdown = _render(blocks, base_url, unjudged)
    markup = "".join([url_probe(url) for url in candidates if not _written(url, html)]) + html
    if BODY_CLEANER.clean(markup) == markup:
        return html, markdown
    html, markdown = _render(blocks, base_url, absolute_url)
    return sanitise_html(html), markdown


def _written(url: str, html: str) -> bool:
    """Is ``url`` the address of a link or an image in the rendered ``html``? There the
    sanitiser judges it as it would its probe (text holds no ``<``: these are tags)."""
    value = escape_attribute(url)
    return f'<a href="{value}">' in html or f'<img src="{value}" ' in html


def _render(blocks: Sequence[Block], base_url: str, resolve: Resolver) -> tuple[str, str]:
    """The body's HTML (not yet sanitised) and Markdown, ``resolve`` making URLs absolute."""
    html: list[str] = []
    markdown: list[str] = []
    open_list: str | None = None
    quoted = False
    previous: Block | None = None
    number = 0
    top = top_heading_level(blocks)
    for block in blocks:
        kind = block.kind
        tokens: list[Token] | None = None
        url: str | None = None
        if kind == "image":
            url = _image_url(block, base_url, resolve)
        elif (block.links or block.emphasis) and kind in INLINE_KINDS:
            tokens = inline_tokens(block, base_url, resolve)
        list_tag = ("ol" if block.ordered else "ul") if kind == "list-item" else None
        if open_list is not None and (list_tag != open_list or block.quoted != quoted):
            html.append(f"</{open_list}>")
            open_list = None
        if block.quoted != quoted:
            html.append("<blockquote>" if block.quoted else "</blockquote>")
            quoted = block.quoted
        if list_tag is not None and open_list is None:
            html.append(f"<{list_tag}>")
            open_list = list_tag
        html.append(_block_html(block, tokens, url, top))
        rendered = _block_markdown(block, tokens, url, top)
        if rendered:
            if kind == "list-item" or block.quoted:
                number = _add_markdown(markdown, rendered, block, previous, number)
            else:  # a paragraph, heading or image outside a quotation: a chunk of its own
                markdown.append(rendered)
            previous = block
    if open_list is not None:
        html.append(f"</{open_list}>")
    if quoted:
        html.append("</blockquote>")
    return "".join(html), ("\n\n".join(markdown) + "\n" if markdown else "")


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
    """The body as Markdown: paragraphs, ``##`` headings, ``-`` lists, images (the
    Markdown half of :func:`render_bodies`).

    >>> render_body_markdown([Block(kind="heading", text="Background"),
    ...                       Block(kind="list-item", text="*one*")], base_url="https://x.org")
    '## Background\\n\\n- \\\\*one\\\\*\\n'
    """
    return render_bodies(blocks, base_url=base_url)[1]


def _add_markdown(
    chunks: list[str], rendered: str, block: Block, previous: Block | None, number: int
) -> int:
    """Add a block's Markdown to the chunks: a list item numbered and joined to its list,
    a quoted block behind ``>``; returns the number of the list item (or ``number``)."""
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
    return number


def _continues_list(previous: Block | None, block: Block) -> bool:
    """Is ``block`` the next item of the list ``previous`` is in?"""
    return (
        previous is not None
        and block.kind == "list-item"
        and previous.kind == "list-item"
        and previous.ordered == block.ordered
        and previous.quoted == block.quoted
    )


# Built once: nh3 compiles the allow-list into its cleaner, so each page only cleans.
BODY_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(SAFE_SCHEMES),
    link_rel=None,
    strip_comments=True,
)


def _block_html(block: Block, tokens: list[Token] | None, url: str | None, top: int) -> str:
    """A block's HTML from its inline ``tokens`` (None: plain text) or image ``url``."""
    if block.kind == "paragraph":
        return f"<p>{escape_text(block.text) if tokens is None else _linked_html(tokens)}</p>"
    if block.kind == "heading":
        level = heading_level(block, top)
        return f"<h{level}>{escape_text(block.text)}</h{level}>"
    if block.kind == "list-item":
        return f"<li>{escape_text(block.text) if tokens is None else _linked_html(tokens)}</li>"
    if block.kind == "image":
        return _image_html(block, url)
    return ""


def _linked_html(tokens: list[Token]) -> str:
    """Escaped text with each link's text in ``<a href>`` and emphasis in strong/em."""
    parts: list[str] = []
    for token, value, url in tokens:
        if token == "text":
            parts.append(escape_text(value))
        elif token == "open":
            parts.append(f'<a href="{escape_attribute(url)}">' if url else f"<{value}>")
        else:
            parts.append(f"</{value}>")
    return "".join(parts)


def _image_url(block: Block, base_url: str, resolve: Resolver) -> str | None:
    """The same absolute URL as the record's Image (legacy hosts folded to www.iom.int);
    None for an image neither body keeps (no http(s) URL)."""
    url = resolve(block.src or "", base_url)
    if url is None or url.startswith("mailto:"):
        return None
    return resolve_image_url(url, base_url)


def _image_html(block: Block, url: str | None) -> str:
    if url is None:
        return ""
    alt = escape_attribute(block.alt or "")
    figure = f'<p><img src="{escape_attribute(url)}" alt="{alt}"></p>'
    if block.caption:
        figure += f"<p><em>{escape_text(block.caption)}</em></p>"
    return figure


def _block_markdown(block: Block, tokens: list[Token] | None, url: str | None, top: int) -> str:
    """A block's Markdown; a list item's marker is added by the caller, who numbers it."""
    if block.kind == "paragraph":
        return _escape_line_start(
            _escape_inline(block.text) if tokens is None else _linked_markdown(tokens)
        )
    if block.kind == "heading":
        return "#" * heading_level(block, top) + " " + _escape_inline(block.text)
    if block.kind == "list-item":
        return _escape_inline(block.text) if tokens is None else _linked_markdown(tokens)
    if block.kind == "image":
        return _image_markdown(block, url)
    return ""


def _linked_markdown(tokens: list[Token]) -> str:
    parts: list[str] = []
    for token, value, url in tokens:
        if token == "text":
            parts.append(_escape_inline(value))
        elif value == "a":
            parts.append("[" if token == "open" else f"]({_markdown_url(url or '')})")
        else:
            parts.append(MARKDOWN_EMPHASIS[value])
    return "".join(parts)


def _image_markdown(block: Block, url: str | None) -> str:
    if url is None:
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
