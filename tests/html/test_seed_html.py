"""The seed page rebuilt as the HTML the old site served gives the text dump's record."""

from __future__ import annotations

import pytest

from iom_scrape.models import Article
from iom_scrape.pipeline import parse
from tests.html.seed_html import seed_as_jahia_html, seed_path

SEED = seed_path()
pytestmark = pytest.mark.skipif(
    SEED is None, reason="shared/seed/iom-china-trafficking.txt is absent (it is not copied here)"
)


@pytest.fixture(scope="module")
def records() -> tuple[Article, Article]:
    assert SEED is not None
    text = SEED.read_text(encoding="utf-8")
    html = seed_as_jahia_html(text)
    return parse(html.encode("utf-8")), parse(text)


@pytest.mark.parametrize("field", ["title", "paragraphs", "quotes", "images", "contacts"])
def test_html_gives_the_text_dump_fields(records: tuple[Article, Article], field: str) -> None:
    from_html, from_text = records
    assert getattr(from_html, field) == getattr(from_text, field)


def test_html_record_matches_the_golden_facts(records: tuple[Article, Article]) -> None:
    article = records[0]
    assert article.title == "IOM and China Work to Protect, Assist Victims of Trafficking"
    assert len(article.paragraphs) == 9
    assert [q.speaker for q in article.quotes] == [
        "Thomas Sinkovits", "Thomas Sinkovits", "Zhang Mingliang"
    ]  # fmt: skip
    assert article.contacts[0].emails == ["kgormanbest@iom.int"]
    assert article.published is not None and article.published.isoformat() == "2011-03-15"


def test_html_body_has_no_page_chrome(records: tuple[Article, Article]) -> None:
    body = records[0].body_html
    assert "Feature Stories" not in body and "Back to the list" not in body
    assert "Kieran Best" not in body
    assert body.startswith("<p>IOM and the Chinese Ministry of Civil Affairs will today co-host")
