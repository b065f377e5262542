"""Entities escaped twice and markup escaped into text are repaired before parsing."""

from __future__ import annotations

import pytest

from iom_scrape.pipeline import parse
from iom_scrape.repair.entities import repair_entities


@pytest.mark.parametrize(
    ("source", "repaired"),
    [
        ("<p>&amp;quot;Hi&amp;quot;</p>", "<p>&quot;Hi&quot;</p>"),
        ("<p>a&amp;nbsp;b</p>", "<p>a&nbsp;b</p>"),
        ("<p>IOM&amp;#8217;s</p>", "<p>IOM&#8217;s</p>"),
        ("<p>Qu&amp;amp;eacute;bec</p>", "<p>Qu&eacute;bec</p>"),
        ("<p>&amp;#x2019;</p>", "<p>&#x2019;</p>"),
    ],
)
def test_double_escaped_entities_are_single_escaped(source: str, repaired: str) -> None:
    fixed, repairs = repair_entities(source)
    assert fixed == repaired
    assert [r.kind for r in repairs] == ["double-escaped-entity"]


@pytest.mark.parametrize(
    "source",
    [
        '<a href="/x?a=1&amp;b=2">q</a>',  # a query string, not an entity
        "<p>R&amp;D and AT&amp;T</p>",
        "<p>&amp;notanentity;</p>",
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",  # escaped script stays text
    ],
)
def test_legitimate_escapes_are_left_alone(source: str) -> None:
    assert repair_entities(source) == (source, [])


def test_escaped_image_becomes_a_real_tag() -> None:
    source = "<p>Text &lt;img src=&quot;/a/b.jpg&quot; alt=&quot;A camp&quot; /&gt; more</p>"
    fixed, repairs = repair_entities(source)
    assert fixed == '<p>Text <img src="/a/b.jpg" alt="A camp" /> more</p>'
    assert [r.kind for r in repairs] == ["escaped-markup"]


def test_escaped_markup_inside_an_attribute_is_left_alone() -> None:
    source = '<img alt="&lt;b&gt;bold&lt;/b&gt;" src="/x.jpg">'
    assert repair_entities(source) == (source, [])


def test_an_escaped_image_in_a_page_becomes_an_image_and_leaves_the_text() -> None:
    page = (
        "<html><head><title>x</title></head><body><div id='content'><h1>IOM Builds Shelters</h1>"
        "<p>IOM has built 300 transitional shelters in the district this month, officials said."
        " &lt;img src=&quot;/jahia/webdav/shared/shared/mainsite/media/photos/pbn/"
        "ht20100119_2.jpg&quot;&gt; The work continues.</p></div></body></html>"
    )
    article = parse(page)
    assert [image.url for image in article.images] == [
        "https://www.iom.int/jahia/webdav/shared/shared/mainsite/media/photos/pbn/ht20100119_2.jpg"
    ]
    assert all("&lt;" not in p and "<img" not in p for p in article.paragraphs)
