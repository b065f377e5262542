"""No script, event handler or javascript: URL survives body_html, whatever the input."""

from __future__ import annotations

import re

import lxml.html
import pytest

from iom_scrape.export.body import render_body_html, render_body_markdown
from iom_scrape.parse.blocks import Block
from iom_scrape.pipeline import parse

BASE = "https://www.iom.int/"
# Payloads as they could reach a Block: as text, as a link href, as an image src/alt.
TEXT_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<!--<script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]
URL_VECTORS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)",
    "javascript&colon;alert(1)",
    "jav&#x09;ascript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    'x" onmouseover="alert(1)',
    '/ok.jpg" onerror="alert(1)',
    "livescript:alert(1)",
]
ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "img", "strong", "em"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
SAFE_URL = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
RAW_DANGER = re.compile(r"<\s*/?\s*(?:script|iframe|object|embed|svg|style)\b", re.I)


def assert_sanitised(html: str) -> None:
    """Only allowed tags and attributes, only http(s)/mailto URLs; text may say anything."""
    assert RAW_DANGER.search(html) is None, html
    if not html:
        return
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iterdescendants():
        assert element.tag in ALLOWED_TAGS, (element.tag, html)
        for name, value in element.attrib.items():
            assert name in ALLOWED_ATTRIBUTES.get(element.tag, set()), (name, html)
            if name in ("href", "src"):
                assert SAFE_URL.match(value), (value, html)


def _all_blocks(payload: str) -> list[Block]:
    return [
        Block(kind="paragraph", text=f"Before {payload} after", links=((payload, payload),)),
        Block(kind="heading", text=payload),
        Block(kind="list-item", text=payload, links=((payload, payload),)),
        Block(kind="image", text="", src=payload, alt=payload, caption=payload),
        Block(kind="paragraph", text="click here", links=((payload, "click here"),)),
        Block(kind="image", text="", src="/ok.jpg", alt=payload, caption=payload),
    ]


@pytest.mark.parametrize("payload", TEXT_VECTORS + URL_VECTORS)
def test_no_vector_survives_body_html(payload: str) -> None:
    assert_sanitised(render_body_html(_all_blocks(payload), base_url=BASE))


@pytest.mark.parametrize("payload", URL_VECTORS)
def test_unsafe_link_and_image_urls_are_dropped(payload: str) -> None:
    blocks = [
        Block(kind="paragraph", text="click here", links=((payload, "click here"),)),
        Block(kind="image", text="", src=payload),
    ]
    html = render_body_html(blocks, base_url=BASE)
    assert "<a " not in html or 'href="https://www.iom.int/' in html
    assert "<img" not in html or 'src="https://www.iom.int/' in html


@pytest.mark.parametrize("payload", TEXT_VECTORS + URL_VECTORS)
def test_markdown_carries_no_raw_html_or_script_link(payload: str) -> None:
    markdown = render_body_markdown(_all_blocks(payload), base_url=BASE)
    assert "<" not in markdown
    targets = re.findall(r"\]\(([^)]*)\)", markdown)
    assert all(SAFE_URL.match(target) for target in targets), targets


@pytest.mark.parametrize("payload", TEXT_VECTORS)
def test_vectors_inside_a_page_do_not_reach_body_html(payload: str) -> None:
    page = (
        "<html><head><title>Test page</title></head><body><div id='content'>"
        "<h1>IOM Opens a Centre</h1><p>IOM opened a centre for migrants in the capital today, "
        f"offering advice and medical checks.</p><p>{payload}</p>"
        f'<p>Read <a href="javascript:alert(1)" onclick="alert(1)">more</a> {payload}</p>'
        "</div></body></html>"
    )
    article = parse(page)
    assert "opened a centre" in article.body_html
    assert_sanitised(article.body_html)
    assert all(not link.url.lower().startswith("javascript") for link in article.links)
