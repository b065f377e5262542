"""A leaked anchor's address and the text after its ``">`` become a link (jahia-notes §5.3).

The text extractor cut each tag at its first line end, so an anchor survives as
``"<href>" target="_blank" title="">Link text``, or spread over two lines. The address
is there to keep: a migration wants the links of the body, as the HTML path gives them.
"""

from __future__ import annotations

import pytest

import iom_scrape
from iom_scrape.repair.leaks import SourceLine, repair_leaked_markup

TITLE = "IOM Opens a Migrant Resource Centre in the Capital"
LEAD = (
    "IOM has opened a migrant resource centre in the capital, offering advice on contracts,\n"
    "recruitment fees and rights abroad to people planning to work overseas."
)


def kept_links(*lines: str) -> list[tuple[str, str]]:
    result = repair_leaked_markup([SourceLine(n, text) for n, text in enumerate(lines, 1)])
    return [(href, text) for href, text, _ in result.links()]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (['"/jahia/webdav/a/appeal.pdf" target="_blank" title="">the appeal'],
         [("/jahia/webdav/a/appeal.pdf", "the appeal")]),
        (['"/jahia/Jahia/pakistan"', 'target="_blank" title="">IOM'],
         [("/jahia/Jahia/pakistan", "IOM")]),
        (['see "link-class" href="http://www.unodc.org/" target=', '"_blank" title="">UNODC'],
         [("http://www.unodc.org/", "UNODC")]),
        (['"http://www.unodc.org/" onclick="javascript: pageTracker._trackPageview(1);">UNODC'],
         [("http://www.unodc.org/", "UNODC")]),
    ],
)  # fmt: skip
def test_each_anchor_shape_keeps_its_address(
    lines: list[str], expected: list[tuple[str, str]]
) -> None:
    assert kept_links(*lines) == expected


@pytest.mark.parametrize(
    "lines",
    [
        ['"" target="_blank" title=', '"">Russian and Kazakh'],  # the address was lost
        ['"/jahia/webdav/a/photo.jpg">Families at the camp'],  # an image, not a link
        ['"javascript:openWindow(\'\',810,638)"', 'title="">Photo Gallery'],
        ['"/jahia/Jahia/pakistan"', "Some prose in between.", "More prose here.",
         'target="_blank" title="">IOM'],  # too far from its address to be its text
    ],
)  # fmt: skip
def test_no_link_without_an_address_that_goes_with_the_text(lines: list[str]) -> None:
    assert kept_links(*lines) == []


def test_a_text_dump_gets_the_links_placed_where_the_anchors_were() -> None:
    dump = (
        f"{TITLE}\n\n{LEAD}\nThe centre is run with the Ministry of Labour. IOM\n"
        "staff and volunteers from\n"
        '"/jahia/Jahia/iom-mrc" target="_blank" title="">IOM\n'
        "partner groups answer calls every day of the week.\n"
    )
    article = iom_scrape.parse_text(dump)
    assert [(link.url, link.text) for link in article.links] == [
        ("https://www.iom.int/jahia/Jahia/iom-mrc", "IOM")
    ]
    # the second "IOM" of the paragraph is the link, not the first
    assert 'volunteers from <a href="https://www.iom.int/jahia/Jahia/iom-mrc">IOM</a> partner' in (
        article.body_html
    )
    assert "volunteers from [IOM](https://www.iom.int/jahia/Jahia/iom-mrc) partner" in (
        article.body_markdown
    )
    assert "anchor-remains" in {repair.kind for repair in article.repairs}
