"""Pages from the Wayback Machine: replay addresses back to the original URLs, toolbar dropped.

A migration needs the legacy site's own URLs (the identities its files and pages are
known by), whether the page came as a raw ``id_`` replay from the fetcher or saved
with the archive's toolbar and every link rewritten into the archive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import iom_scrape
from iom_scrape.fetch.canonical import canonical_url, original_url
from iom_scrape.repair.archive import unwrap_archive_urls

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "html" / "wayback-toolbar-replay.html"
ORIGINAL = "http://www.iom.int/jahia/Jahia/media/press-briefing-notes/pbnAF/lang/en/pid/2431"
REPLAY = f"https://web.archive.org/web/20090320101500id_/{ORIGINAL}"
PHOTO = "/jahia/webdav/shared/shared/mainsite/media/photos/pbn/na20090320_1.jpg"
PROSE = (
    "IOM teams delivered shelter kits and hygiene supplies to 3,000 families cut off by "
    "the floods in the northern province this week, and more convoys are on their way."
)


@pytest.mark.parametrize(
    ("address", "original"),
    [
        (REPLAY, ORIGINAL),
        ("https://web.archive.org/web/2009im_/http://www.iom.int/a.jpg", "http://www.iom.int/a.jpg"),
        ("//web.archive.org/web/20090320101500/https://iom.int/x?y=1", "https://iom.int/x?y=1"),
        ("/web/20090320101500/http://www.iom.int/jahia/Jahia/pbnAF", "http://www.iom.int/jahia/Jahia/pbnAF"),
        ("/web/20090320101500im_/http:/www.iom.int/a.jpg", "http://www.iom.int/a.jpg"),
        ("/web/2009/www.iom.int/jahia/Jahia/pbnAF", "http://www.iom.int/jahia/Jahia/pbnAF"),
        ("http://127.0.0.1:8080/web/2010id_/http://127.0.0.1:9/p", "http://127.0.0.1:9/p"),
    ],
)  # fmt: skip
def test_a_replay_address_gives_the_url_it_replays(address: str, original: str) -> None:
    assert original_url(address) == original


@pytest.mark.parametrize(
    "url",
    [
        "https://www.iom.int/jahia/Jahia/pbnAF",
        "https://www.iom.int/web/2009/news",  # a live path that only looks like one
        "https://web.archive.org/web/2009*/http://www.iom.int/",  # the capture list
        "https://web.archive.org/web/",
        "/web/20090320101500/",
    ],
)
def test_other_urls_are_no_replay_addresses(url: str) -> None:
    assert original_url(url) is None


def test_the_canonical_url_of_a_replay_is_the_original_page() -> None:
    assert canonical_url(REPLAY) == canonical_url(ORIGINAL)
    assert canonical_url(REPLAY).startswith("https://www.iom.int/jahia/Jahia/")


def test_only_attribute_values_are_unwrapped_and_the_repair_counts_them() -> None:
    source = (
        "<p>The old page is at https://web.archive.org/web/2009/http://www.iom.int/p.</p>\n"
        '<p><img src="/web/2009im_/http://www.iom.int/a.jpg"> <a href=/web/2009/http://iom.int/b>b</a>'
        ' <a href="https://web.archive.org/web/2009*/http://iom.int/">captures</a></p>'
    )
    fixed, repairs = unwrap_archive_urls(source)
    assert fixed == (
        "<p>The old page is at https://web.archive.org/web/2009/http://www.iom.int/p.</p>\n"
        '<p><img src="http://www.iom.int/a.jpg"> <a href=http://iom.int/b>b</a>'
        ' <a href="https://web.archive.org/web/2009*/http://iom.int/">captures</a></p>'
    )
    assert [(r.kind, r.line) for r in repairs] == [("archive-url", 2)]
    assert repairs[0].detail.startswith("2 Wayback Machine replay addresses")


def test_a_page_without_replay_addresses_is_left_alone() -> None:
    source = '<p><a href="/web/2009-report.pdf">report</a> of the web/2009 review</p>'
    assert unwrap_archive_urls(source) == (source, [])


def test_the_language_of_an_archived_new_site_page_comes_from_the_url_it_replays() -> None:
    page = b"<html><body><article><h1>Haiti</h1><p>OIM Haiti 2010.</p></article></body></html>"
    article = iom_scrape.parse(
        page, url="https://web.archive.org/web/2016/https://www.iom.int/fr/news/x"
    )
    assert article.language == "fr"


def test_a_raw_replay_resolves_its_links_and_images_on_the_original_site() -> None:
    page = (
        "<html><head><title>IOM</title></head><body><div class=pressRelease>"
        "<h4>Flood Relief Reaches Villages</h4><span class=pressRealeseDate>16/05/2008</span>"
        f'<div><p>{PROSE}</p><p><img src="{PHOTO}" alt="Kits"></p>'
        '<p>See the <a href="/jahia/Jahia/appeals">appeal page</a> for details.</p></div></div>'
        "</body></html>"
    ).encode()
    article = iom_scrape.parse(page, url=REPLAY)
    assert article.source_url == REPLAY  # where the bytes came from
    assert article.canonical_url == canonical_url(ORIGINAL)
    assert article.images[0].url == f"https://www.iom.int{PHOTO}"
    assert [link.url for link in article.links] == ["http://www.iom.int/jahia/Jahia/appeals"]
    assert "web.archive.org" not in article.body_html + article.body_markdown


def test_a_saved_toolbar_replay_of_an_unknown_layout_drops_the_toolbar() -> None:
    page = FIXTURE.read_bytes().replace(b"pressRe", b"story")  # no template marks
    article = iom_scrape.parse(page)
    text = " ".join(article.paragraphs)
    assert article.title.startswith("Floods in Northern Namibia")
    assert article.paragraphs[0].startswith("IOM has moved 1,200 families")
    for toolbar_text in ("Wayback Machine", "captures", "About this capture", "Close"):
        assert toolbar_text not in text
    chrome = [r.detail for r in article.repairs if r.kind == "page-chrome"]
    assert any("wm-ipp-base" in detail for detail in chrome)
    assert article.images[0].url == f"https://www.iom.int{PHOTO}"


def test_a_text_dump_of_a_replay_lifts_the_leaked_image_with_its_original_url() -> None:
    dump = (
        "Flood Relief Reaches Villages\n\n"
        f'src=\n"/web/20090320101500im_/http://www.iom.int{PHOTO}">\n\n{PROSE}\n'
    )
    article = iom_scrape.parse_text(dump)
    assert [image.url for image in article.images] == [f"https://www.iom.int{PHOTO}"]
    assert "archive-url" in {repair.kind for repair in article.repairs}
