"""BlockBuilder's shortcut for a run of plain prose leaves every other kind of run alone."""

from __future__ import annotations

import pytest

from iom_scrape.parse.blocks import Block
from iom_scrape.parse.html import parse_html_document

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
