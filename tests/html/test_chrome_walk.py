"""The chrome stage walks its scope once: each later step sees the tree the earlier ones left."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from iom_scrape.parse import html_chrome
from iom_scrape.parse.html_tree import text_of
from iom_scrape.pipeline import parse

BODY = (
    "<p>IOM has opened a migrant resource centre in the capital, offering advice on "
    "contracts, recruitment fees and rights abroad to people planning to work overseas.</p>"
)
SOURCE = html_chrome.SourceMentions(b"related links, last updated")


def _cleaned(body: str) -> tuple[list[tuple[str, str]], str]:
    root = etree.fromstring(f"<html><body>{body}</body></html>", etree.HTMLParser())
    repairs = html_chrome.remove_chrome(root, SOURCE, ())
    return [(r.kind, r.detail) for r in repairs], etree.tostring(root, encoding=str)


def test_a_box_title_bared_by_a_chrome_drop_is_found() -> None:
    # the sharing span goes first; then the div's own text is the title of a box
    repairs, _ = _cleaned(
        "<div id='a'><p>Text of the article.</p><div align='right'>"
        "<span class='share'>x</span>Related Links<p>Last updated: 06/05/2009</p></div></div>"
    )
    assert repairs == [("page-chrome", "<span share> x"), ("sidebar-box", "Related Links")]


def test_a_last_updated_line_inside_a_dropped_box_is_not_judged_again() -> None:
    repairs, tree = _cleaned(
        "<div id='a'><p>Text of the article.</p><div align='right'><b>Related Links</b>"
        "<p>Last updated: 06/05/2009</p></div><p>Last updated: 07/05/2009</p></div>"
    )
    assert repairs == [
        ("sidebar-box", "Related Links"),
        ("last-updated", "<p> Last updated: 07/05/2009"),
    ]
    assert tree == '<html><body><div id="a"><p>Text of the article.</p></div></body></html>'


def test_the_strips_change_what_the_later_steps_see() -> None:
    # the script goes and the font is unwrapped: "Related links" joins the div's text
    repairs, tree = _cleaned(
        "<div><script>x</script><p>Last updated: 07/05/2009</p>"
        "<font>Related links</font><nav>n</nav></div>"
    )
    assert repairs == [("last-updated", "<div> Last updated: 07/05/2009Related links")]
    assert tree == "<html><body/></html>"


def test_a_trailing_scope_that_is_chrome_itself_is_still_cleaned_inside() -> None:
    page = (
        "<html><body><div class='pressRelease'><h4>IOM Opens a Centre</h4>"
        f"<span class='pressRealeseDate'>04/05/2009</span><div>{BODY}</div></div>"
        f"<div class='footer'>{BODY}<div align='right'><b>Related Links</b>"
        "<a href='/y'>Other news</a></div><p>Last updated: 06/05/2009</p></div></body></html>"
    )
    article = parse(page)
    assert [r.kind for r in article.repairs] == [
        "page-chrome",
        "page-chrome",
        "sidebar-box",
        "last-updated",
    ]
    assert article.paragraphs == [BODY[3:-4]]


# Pieces of a small HTML body: text of varied length, nested inline elements, a comment
# (whose text is not the element's), a childless element and whitespace.
TEXT_PIECES = [
    "a", "Last updated: 05/05/2009", "x" * 70, " ", "\n", "<b>", "</b>", "<i>b</i>",
    "<!-- a comment of some length -->", "<br>", "<span>", "</span>", "é",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TEXT_PIECES), max_size=12), st.integers(0, 200))
def test_the_text_read_within_a_limit_is_the_whole_text_or_none(
    pieces: list[str], limit: int
) -> None:
    # the candidate line is read piece by piece only as far as the limit; the whole text
    # (the XPath string value) is what it gives when that is within the limit
    root = etree.fromstring(f"<div><p>{''.join(pieces)}</p></div>", etree.HTMLParser())
    for element in root.iter():
        whole = text_of(element)
        within = html_chrome._text_within(element, limit)
        assert within == (whole if len(whole) <= limit else None)


SNIPPET_PIECES = [*TEXT_PIECES, " " * 50, "\n" + " " * 30 + "c", "<p>" + "y " * 20 + "</p>"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(SNIPPET_PIECES), max_size=16))
def test_the_drop_snippet_is_the_collapsed_start_of_its_first_strings(pieces: list[str]) -> None:
    # the snippet reads only until its characters are in; whitespace that collapses the
    # first characters read to less than a snippet makes it read again without a limit
    root = etree.fromstring(f"<div><p>{''.join(pieces)}</p></div>", etree.HTMLParser())
    for element in root.iter(etree.Element):
        first = "".join(itertools.islice(element.itertext(), html_chrome.SNIPPET_PIECES))
        expected = " ".join(first.split())[: html_chrome.SNIPPET]
        assert html_chrome._snippet(element) == expected


def test_a_whitespace_start_is_read_again_to_its_strings_limit() -> None:
    root = etree.fromstring(f"<p>{' ' * 70}a<b>b</b>c<b>d</b>e</p>", etree.HTMLParser())
    paragraph = root.find(".//p")
    assert paragraph is not None
    assert html_chrome._collect_text(paragraph, [], html_chrome.SNIPPET_PIECES, 60) < 0
    assert html_chrome._snippet(paragraph) == "abcde"


def test_a_long_container_with_a_last_updated_opening_is_not_a_line() -> None:
    # the container starts like a "last updated" line but its text runs past the limit
    repairs, tree = _cleaned(
        f"<div id='a'><p>Last updated: 05/05/2009</p>{BODY}</div><p>Last updated: 06/05/2009</p>"
    )
    assert repairs == [
        ("last-updated", "<p> Last updated: 05/05/2009"),
        ("last-updated", "<p> Last updated: 06/05/2009"),
    ]
    assert "IOM has opened" in tree


def test_a_box_in_the_container_stops_at_the_container_when_its_outside_floats() -> None:
    # the press release sits in a floated cell: the box around a title inside it is
    # found below the container, and the container's ancestors are never dropped
    page = (
        "<html><body><table><tr><td align='right'><div class='pressRelease'>"
        "<h4>IOM Opens a Centre</h4><span class='pressRealeseDate'>04/05/2009</span>"
        f"<div>{BODY}<div class='links'><b>Related Links</b><a href='/x'>More</a></div></div>"
        "<a class='returnPressList' href='/list'>Back</a></div></td></tr></table></body></html>"
    )
    article = parse(page)
    assert [(r.kind, r.detail) for r in article.repairs if r.kind == "sidebar-box"] == [
        ("sidebar-box", "Related Links")
    ]
    assert article.paragraphs == [BODY[3:-4]]


def test_the_template_extras_are_read_from_the_held_elements_by_tag_and_class() -> None:
    # a download paragraph is an extra; a list item of the same class is body text, and
    # the Word class repeated on every paragraph is judged once
    page = (
        "<html><body><div class='pressRelease'><h4>IOM Opens a Centre</h4>"
        "<span class='pressRealeseDate'>04/05/2009</span><div>"
        f"{BODY.replace('<p>', '<p class=MsoNormal>')}<p class=MsoNormal>Second paragraph.</p>"
        "<ul><li class='download'>A listed download</li></ul></div>"
        "<p class='download'>Download this press release</p></div></body></html>"
    )
    article = parse(page)
    assert article.paragraphs == [BODY[3:-4], "Second paragraph.", "A listed download"]
    assert "Download this press release" not in article.body_markdown
