"""Unusable input gets a typed error; deep, huge or random pages finish without crashing."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iom_scrape.errors import BinaryInput, EmptyInput, InputError, NoContent
from iom_scrape.parse.html import parse_html_document
from iom_scrape.pipeline import parse

PARAGRAPH = (
    "<p>IOM teams registered {n} displaced families in the district this week, and "
    "distributed blankets, jerry cans and hygiene kits to those living in schools.</p>\n"
)


@pytest.mark.parametrize(
    ("source", "error"),
    [
        (b"", EmptyInput),
        (b"   \n\t  ", EmptyInput),
        ("", EmptyInput),
        (b"\x00\x01\x02\x03<html>\x00\x00\x00<p>x</p>" * 50, BinaryInput),
        (b"<html><head></head><body></body></html>", NoContent),
        (b"<html><body><script>var a = 1;</script><!-- nothing --></body></html>", NoContent),
    ],
)
def test_unusable_input_raises_a_typed_error(source: str | bytes, error: type) -> None:
    with pytest.raises(error):
        parse_html_document(source)


def test_a_hundred_thousand_nested_divs_finish() -> None:
    depth = 100_000
    page = (
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + PARAGRAPH.format(n=1)
        + "</div>" * depth
        + PARAGRAPH.format(n=2)
        + "</body></html>"
    )
    document = parse_html_document(page)
    texts = [block.text for block in document.blocks if block.kind == "paragraph"]
    assert any("registered 1 displaced" in text for text in texts)
    assert any("registered 2 displaced" in text for text in texts)
    assert "deep-nesting" in {repair.kind for repair in document.repairs}


def test_the_reused_parser_forgets_a_deep_page() -> None:
    deep = "<html><body>" + "<div>" * 1000 + PARAGRAPH.format(n=1) + "</div>" * 1000
    assert "deep-nesting" in {repair.kind for repair in parse_html_document(deep).repairs}
    shallow = parse_html_document("<html><body>" + PARAGRAPH.format(n=2) + "</body></html>")
    assert "deep-nesting" not in {repair.kind for repair in shallow.repairs}


def test_pages_parse_alike_in_threads() -> None:
    pages = [f"<html><body><div>{PARAGRAPH.format(n=n)}</div></body></html>" for n in range(40)]
    expected = [parse_html_document(page).blocks for page in pages]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda page: parse_html_document(page).blocks, pages)) == expected


def test_a_five_megabyte_page_finishes() -> None:
    body = "".join(PARAGRAPH.format(n=n) for n in range(32_000))
    page = f"<html><head><title>Big</title></head><body><div id='main'>{body}</div></body></html>"
    assert len(page) > 5_000_000
    article = parse(page.encode("utf-8"))
    assert len(article.paragraphs) == 32_000


def test_a_five_megabyte_leaky_paragraph_finishes() -> None:
    leak = 'alt="" border="0" src=\n"/jahia/webdav/shared/a.jpg">\nText "quoted" ="x" src=\n'
    page = f"<html><body><h1>Leaks</h1><p>{leak * 66_000}</p></body></html>"
    assert len(page) > 5_000_000
    document = parse_html_document(page)
    assert document.blocks


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            ["<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<br>", "<td>", "<table>", "<h4>",
             "<a href='x'>", "</a>", "<img src='/a.jpg'>", "&amp;", "&lt;img src=x&gt;", "src=\n",
             '"/jahia/webdav/a.jpg">', "For more information please contact:", "<!--", "-->",
             "<script>", "</script>", "IOM helps migrants, says Jane Doe, IOM's chief.", "\x00",
             "<span class='pressRealeseDate'>04/05/2009</span>", "é", "Ã©", "\u2028"]
        ),
        max_size=60,
    )
)  # fmt: skip
def test_random_markup_never_raises_anything_but_input_errors(pieces: list[str]) -> None:
    page = "<html><body>" + "".join(pieces)
    for source in (page, page.encode("utf-8")):
        with contextlib.suppress(InputError):
            parse(source)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4000))
def test_random_bytes_never_raise_anything_but_input_errors(data: bytes) -> None:
    with contextlib.suppress(InputError):
        parse_html_document(b"<html><body><p>" + data)
