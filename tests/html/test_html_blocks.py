"""BlockBuilder's shortcut for a run of plain prose leaves every other kind of run alone."""

from __future__ import annotations

import pytest
from lxml import etree

from iom_scrape.models import Repair
from iom_scrape.parse.blocks import Block
from iom_scrape.parse.html import parse_html_document
from iom_scrape.parse.html_blocks import BlockBuilder
from iom_scrape.parse.html_content import ContentChoice
from iom_scrape.parse.html_hints import DateEvidence

PROSE = (
    "IOM has opened a migrant resource centre in the capital, offering advice on contracts, "
    "recruitment fees and rights abroad to people planning to work overseas."
)


def _body_blocks(body: str) -> list[Block]:
    page = (
        "<html><body><div id='main'><h1>IOM Opens a Centre in the Capital</h1>"
        f"{body}<p>{PROSE}</p></div></body></html>"
    )
    return [block for block in parse_html_document(page).blocks if block.kind != "title"]


@pytest.mark.parametrize(
    ("body", "kind", "text"),
    [
        (f"<p>{PROSE}</p>", "paragraph", PROSE),  # the shortcut
        (f"<li>{PROSE}</li>", "list-item", PROSE),  # the shortcut, kind from the context
        (f"<p class='MsoListParagraph'>{PROSE}</p>", "list-item", PROSE),
        ("<p><strong>Background</strong></p>", "heading", "Background"),  # bold, short
        ("<p>Posted on 15 March 2011</p>", "date", "Posted on 15 March 2011"),  # short
        (f"<p>{PROSE[:40]}<br>{PROSE[40:]}</p>", "paragraph", PROSE),  # a <br> run
    ],
)
def test_the_first_run_becomes(body: str, kind: str, text: str) -> None:
    first = _body_blocks(body)[0]
    assert (first.kind, first.text) == (kind, text)


def test_a_long_run_with_a_link_keeps_the_link() -> None:
    first = _body_blocks(f"<p>{PROSE} See <a href='/report'>the full report</a>.</p>")[0]
    assert first.links == (("/report", "the full report"),)


def test_a_long_lead_in_line_opens_the_contact_block() -> None:
    lead_in = "For more information please contact Jean Dupont at IOM Geneva, tel. +41 22 717 9111"
    blocks = _body_blocks(f"<p>{lead_in}</p>")
    assert blocks[-1].kind == "contact"
    assert blocks[-1].lines == (lead_in, PROSE)


def test_a_long_caption_paragraph_after_an_image_is_its_caption() -> None:
    body = f"<img src='/photo.jpg'><p class='caption'>{PROSE}</p>"
    image = _body_blocks(body)[0]
    assert (image.kind, image.caption) == ("image", PROSE)


def _build(markup: str, *, exclude: str | None = None) -> list[Block]:
    """BlockBuilder on ``<div id=c>`` of ``markup``, parsed with its comments kept."""
    root = etree.fromstring(markup, etree.HTMLParser(remove_comments=False))
    container = root.find(".//div[@id='c']")
    assert container is not None
    excluded = set(container.iter(exclude)) if exclude else set()
    choice = ContentChoice(container, "test", exclude=excluded)
    builder = BlockBuilder(choice, evidence=DateEvidence(""), warnings=[], repairs=[])
    return builder.build()


def test_an_excluded_element_keeps_its_tail_but_not_its_text() -> None:
    blocks = _build(
        f"<div id=c><p>{PROSE} <span>Left out.</span> {PROSE}</p></div>", exclude="span"
    )
    assert [block.text for block in blocks] == [f"{PROSE} {PROSE}"]


def test_a_comment_and_its_tail_stay_out_of_the_text() -> None:
    # (the page parser drops comments; the walk showed neither a comment nor its tail)
    blocks = _build(f"<div id=c><p>{PROSE}<!-- note -->tail</p></div>")
    assert [block.text for block in blocks] == [PROSE]


def test_a_deep_tree_is_walked_without_recursion() -> None:
    container = etree.Element("div")
    element = container
    for _ in range(5000):  # past Python's recursion limit (built, not parsed: libxml2 stops at 256)
        element = etree.SubElement(element, "span")
    etree.SubElement(element, "img", src="/deep.jpg")  # (built text has no source line: no run)
    builder = BlockBuilder(
        ContentChoice(container, "test"), evidence=DateEvidence(""), warnings=[], repairs=[]
    )
    assert [block.src for block in builder.build()] == ["/deep.jpg"]


CONTACT = ("For more information, please contact:", "Jean Dupont", "IOM Geneva")


@pytest.mark.parametrize(
    ("body", "first"),
    [  # a <br> run opening with the lead-in is all contact; one with it later, from there on
        ("<p>" + "<br>".join(CONTACT) + "</p>", "contact"),
        (f"<p>{PROSE}<br>" + "<br>".join(CONTACT) + "</p>", "paragraph"),
    ],
)
def test_a_lead_in_line_of_a_break_run_opens_the_contact_block(body: str, first: str) -> None:
    blocks = _body_blocks(body)
    assert blocks[0].kind == first
    assert blocks[-1].lines[:3] == CONTACT


def test_the_walk_validates_its_repairs_in_one_call_in_walk_order() -> None:
    """Leak repairs of two runs and an interface image between them keep the walk's order."""
    root = etree.fromstring(
        "<html><body><div id=c><p>alt='' src=\n\"/a/one.jpg\">\nFirst run.</p>"
        "<p><img src='/graphics/interface/icon.gif'> Text.</p>"
        '<p>E-mail: "mailto:a@iom.int">a@iom.int</p></div></body></html>',
        etree.HTMLParser(),
    )
    container = root.find(".//div[@id='c']")
    assert container is not None
    repairs: list[Repair] = [Repair(kind="earlier", detail="kept first")]
    builder = BlockBuilder(
        ContentChoice(container, "test"), evidence=DateEvidence(""), warnings=[], repairs=repairs
    )
    builder.build()
    assert [(r.kind, r.line) for r in repairs] == [
        ("earlier", None),
        ("stray-src", 1),
        ("stray-src", 2),
        ("page-chrome", 3),
        ("mailto-fragment", 3),
    ]
