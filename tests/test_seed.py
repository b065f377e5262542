"""The real seed page end to end: the golden expectations of the foundation issue."""

from __future__ import annotations

import datetime as dt

import pytest

import iom_scrape
from iom_scrape.models import Article

NAV_WORDS = (
    "Who we are",
    "WHO WE ARE",
    "Our Work",
    "What We Do",
    "Partnerships",
    "Highlights",
    "Where we work",
    "Take Action",
    "Work with us",
    "Get involved",
    "2030 Agenda",
)
DEBRIS = ("src=", '">', "mailto:", "jahia/webdav")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Article:
    return iom_scrape.parse(seed_text)


def test_title(seed: Article) -> None:
    assert seed.title == "IOM and China Work to Protect, Assist Victims of Trafficking"


def test_no_navigation_or_debris_in_any_text(seed: Article) -> None:
    texts = [seed.title, *seed.paragraphs, *(q.text for q in seed.quotes)]
    for word in (*NAV_WORDS, *DEBRIS):
        assert not any(word in text for text in texts), word


def test_paragraphs(seed: Article) -> None:
    assert len(seed.paragraphs) == 9
    assert seed.paragraphs[0].startswith(
        "IOM and the Chinese Ministry of Civil Affairs will today co-host"
    )
    assert seed.paragraphs[-1].endswith("administers 1,400 shelters nationally.")
    assert not any(p.startswith("IOM Beijing counter-trafficking") for p in seed.paragraphs)


def test_one_image_with_caption_and_date(seed: Article) -> None:
    (image,) = seed.images
    assert image.url == (
        "https://www.iom.int/jahia/webdav/shared/shared/mainsite/media/photos/pbn/cn20110315_1.jpg"
    )
    assert image.caption and image.caption.startswith(
        "IOM Beijing counter-trafficking training (15-17 March)"
    )
    assert (image.date, image.country) == (dt.date(2011, 3, 15), "CN")


def test_published_from_image_file_name(seed: Article) -> None:
    assert (seed.published, seed.published_source) == (dt.date(2011, 3, 15), "image-filename")


def test_quotes_and_speakers(seed: Article) -> None:
    assert [(q.speaker, q.paragraph) for q in seed.quotes] == [
        ("Thomas Sinkovits", 4),
        ("Thomas Sinkovits", 5),
        ("Zhang Mingliang", 7),
    ]
    assert seed.quotes[0].role == "head of IOM's China Liaison Office"
    assert seed.quotes[0].text.startswith("Physical abuse, sexual assault")
    assert not seed.quotes[0].text.endswith(('"', ","))


def test_contact(seed: Article) -> None:
    (contact,) = seed.contacts
    assert (contact.name, contact.office) == ("Kieran Best", "IOM Beijing")
    (phone,) = contact.phones
    assert (phone.e164, phone.extension, phone.kind) == ("+861085325303", "203", "tel")
    assert contact.emails == ["kgormanbest@iom.int"]
    assert not contact.email_lost


def test_every_repair_is_recorded_with_its_line(seed: Article) -> None:
    kinds = {r.kind for r in seed.repairs}
    assert {
        "nav-boilerplate",
        "stray-src",
        "mailto-fragment",
        "caption-lifted",
        "hard-wrap",
    } <= kinds
    assert all(r.line is not None and r.line >= 1 for r in seed.repairs)
    mailto = next(r for r in seed.repairs if r.kind == "mailto-fragment")
    assert mailto.line == 76


def test_same_record_from_bytes_and_str(seed: Article, seed_text: str) -> None:
    from_bytes = iom_scrape.parse(seed_text.encode("utf-8"))
    assert [r.kind for r in from_bytes.repairs][:1] == ["encoding"]  # bytes say how they decoded
    assert from_bytes.model_copy(update={"repairs": from_bytes.repairs[1:]}) == seed
    assert iom_scrape.parse_text(seed_text) == seed
