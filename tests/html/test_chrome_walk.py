"""The chrome stage walks its scope once: each later step sees the tree the earlier ones left."""

from __future__ import annotations

from lxml import etree

from iom_scrape.parse import html_chrome
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
