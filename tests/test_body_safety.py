"""body_html is safe by construction: the ammonia sanitiser (nh3) changes nothing in it.

nh3, with the renderer's allow-list, is the oracle: if any text, link or image
could smuggle markup, an attribute or a URL scheme past the renderer, cleaning
the output would change it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import iom_scrape
from iom_scrape.export.body import (
    BODY_CLEANER,
    _render,
    render_bodies,
    render_body_html,
    sanitise_html,
)
from iom_scrape.export.inline import (
    PLAIN_URL,
    URL_PROBE,
    _sanitiser_accepts,
    absolute_url,
    escape_attribute,
    escape_text,
    url_probe,
)
from iom_scrape.parse.blocks import Block

ROOT = Path(__file__).resolve().parent.parent
CLEANER = BODY_CLEANER  # nh3 with the renderer's allow-list
BASES = ["https://www.iom.int/jahia/Jahia/pbnAS/cache/offonce/lang/en/pid/1", "http://x.org/"]
NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "&amp; &lt;b&gt; &#106;",
    "a\u00a0b",
    "line\r\nbreak\rhere",
    "nul\x00byte",
    "<!-- comment -->",
    "]]><![CDATA[x",
    "'single' \"double\"",
]
HREFS = [
    "/jahia/webdav/shared/shared/mainsite/media/photos/pbn/cn20110315_1.jpg",
    "http://mnlintranettest:8091/jahia/webdav/a.gif",
    "mailto:kgormanbest@iom.int",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    '/ok.jpg" onerror="alert(1)',
    'https://x.org/a?b=1&c="2"&d=<e>',
    "https://x.org/a\u00a0b",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/x",
    "?q=1#frag",
    "http://a^b.org/",
    "https://x.org:99999/a.jpg",
]
texts = st.one_of(st.text(max_size=60), st.sampled_from(NASTY))
hrefs = st.one_of(st.text(max_size=40), st.sampled_from(HREFS))


@st.composite
def linked_blocks(draw: st.DrawFn) -> Block:
    """Text with a link and emphasis spans that may nest in it, straddle it or miss."""
    before, link_text, after = draw(texts), draw(texts), draw(texts)
    kind = draw(st.sampled_from(["paragraph", "list-item"]))
    text = before + link_text + after
    spans = draw(
        st.lists(
            st.tuples(st.sampled_from(["strong", "em"]), st.sampled_from([before, link_text, after])
                      | texts.map(lambda t: t[:5])),
            max_size=3,
        )
    )  # fmt: skip
    return Block(
        kind=kind,
        text=text,
        links=((draw(hrefs), link_text),),
        emphasis=tuple(spans),
        ordered=draw(st.booleans()),
        quoted=draw(st.booleans()),
    )


blocks = st.one_of(
    linked_blocks(),
    st.builds(
        Block,
        kind=st.sampled_from(["paragraph", "heading", "list-item"]),
        text=texts,
        level=st.integers(0, 6),
        ordered=st.booleans(),
        quoted=st.booleans(),
    ),
    st.builds(
        Block,
        kind=st.just("image"),
        text=st.just(""),
        src=hrefs,
        alt=st.one_of(st.none(), texts),
        caption=st.one_of(st.none(), texts),
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(blocks, max_size=8), st.sampled_from(BASES))
def test_sanitiser_changes_nothing_in_any_rendered_body(body: list[Block], base: str) -> None:
    html = render_body_html(body, base_url=base)
    assert CLEANER.clean(html) == html


def _judged_one_by_one(body: list[Block], base: str) -> tuple[str, str]:
    """The bodies with a sanitiser call per URL (the path taken once a URL is refused)."""
    html, markdown = _render(body, base, absolute_url)
    return sanitise_html(html), markdown


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(blocks, max_size=8), st.sampled_from(BASES))
def test_urls_judged_in_the_body_call_are_judged_as_one_by_one(
    body: list[Block], base: str
) -> None:
    assert render_bodies(body, base_url=base) == _judged_one_by_one(body, base)


@pytest.mark.parametrize("refused", ["http://a^b.org/", "https://x.org:99999/a.jpg"])
def test_a_refused_url_renders_the_body_again(refused: str) -> None:
    """The sanitiser refuses one URL (its link and image go) and accepts the other."""
    body = [
        Block(kind="paragraph", text="See IOM and UN.", links=(("/iom", "IOM"), (refused, "UN"))),
        Block(kind="image", text="", src=refused),
        Block(kind="image", text="", src="/a.jpg"),
    ]
    html, markdown = render_bodies(body, base_url=BASES[1])
    assert (html, markdown) == _judged_one_by_one(body, BASES[1])
    assert html == (
        '<p>See <a href="http://x.org/iom">IOM</a> and UN.</p>'
        '<p><img src="http://x.org/a.jpg" alt=""></p>'
    )


@given(texts)
def test_escaped_text_is_what_the_sanitiser_writes(text: str) -> None:
    """The sanitiser reads escaped text back as the text (NUL and CR aside) and writes it alike."""
    expected = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    assert CLEANER.clean(f"<p>{escape_text(text)}</p>") == f"<p>{escape_text(expected)}</p>"
    assert '"' not in escape_attribute(text)  # an attribute value cannot be closed early


PAGES = [
    path
    for path in sorted((ROOT / "fixtures").rglob("*.html"))
    + sorted((ROOT / "fixtures").rglob("*.txt"))
    if not path.name.startswith("error-")
]


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.name)
def test_fixture_bodies_are_already_clean(path: Path) -> None:
    article = iom_scrape.parse(path.read_bytes(), url=BASES[0])
    assert article.body_html
    assert CLEANER.clean(article.body_html) == article.body_html


def _probe_accepts(url: str) -> bool:
    """The sanitiser asked, as ``_sanitiser_accepts`` does for a URL its gate lets through."""
    probe = url_probe(url)
    return bool(URL_PROBE.clean(probe) == probe)


LABELS = [
    "www", "iom", "INT", "org", "xn--ls8h", "XN--a", "0x1", "1", "256", "-", "a-", "_", "é", "",
]  # fmt: skip
RESTS = [
    "", "/", "?", "#", ":80", ":99999", "@", "/a", "?b=1&c=2", "#top", '/"<>', "/%zz", "/\\",
    "/é", "/\u00a0", "/a b", "/~!$'()*+,;=",
]  # fmt: skip
URLS = st.builds(
    lambda scheme, labels, rest: scheme + ".".join(labels) + "".join(rest),
    st.sampled_from(["http://", "HTTPS://", "hTTp://", "ftp://", "http:/"]),
    st.lists(st.sampled_from(LABELS), min_size=1, max_size=4),
    st.lists(st.sampled_from(RESTS), max_size=3),
)


@pytest.mark.parametrize(
    "url",
    [
        "http://xn--a.org/x",  # a punycode label: the gate leaves it to the sanitiser
        "http://a.xn--org/",
        "http://www.iom.1/x",  # an IPv4 reading
        "http://www.iom.int:99999/x",  # a port
        "http://www.iom.int/\u00e9",  # not ASCII
    ],
)
def test_urls_the_plain_gate_leaves_are_still_asked_of_the_sanitiser(url: str) -> None:
    assert PLAIN_URL.fullmatch(url) is None
    assert _sanitiser_accepts(url) is _probe_accepts(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.iom.int",
        "HTTPS://WWW.IOM.INT/jahia/Jahia/pbnAF?ctnid=1&x=%zz#top",
        'http://0x1.-a-.org/\\"<>&amp;',
    ],
)
def test_plain_urls_are_the_ones_the_sanitiser_accepts(url: str) -> None:
    assert PLAIN_URL.fullmatch(url) is not None
    assert _probe_accepts(url)


@settings(max_examples=1000, deadline=None)
@given(URLS)
def test_the_plain_url_gate_agrees_with_the_sanitiser_on_any_url(url: str) -> None:
    if PLAIN_URL.fullmatch(url) is not None:
        assert _probe_accepts(url), url
    assert _sanitiser_accepts(url) is _probe_accepts(url)
