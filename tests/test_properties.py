"""Invariants over any input: only documented errors, JSON round trip, termination."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import iom_scrape
from iom_scrape.errors import IomScrapeError
from iom_scrape.models import RECORD_ADAPTER
from iom_scrape.repair.leaks import SourceLine, repair_leaked_markup

# Pieces of real damage, so generated pages exercise the repair paths, not only noise.
FRAGMENTS = [
    "src=",
    '"/jahia/webdav/shared/shared/mainsite/media/photos/pbn/cn20110315_1.jpg">',
    '"mailto:a@iom.int">a@iom.int',
    '"">',
    'alt="" border="0" height="12" hspace="0" src=',
    '"BORDER-BOTTOM: rgb(51,102,204) 1px solid; FLOAT: right;">Related',
    "Links",
    "For more information please contact:",
    "Tel: +86 10 8532 5303, Ext. 203",
    "E-mail:",
    '"Quote opens here,',
    "he adds.",
    "« Une citation », a déclaré Jean Dupont.",
    "-",
    "Who we are",
    "- 2030 Agenda",
    "News",
    "Global",
    "",
    "Kieran Best",
    "IOM Beijing",
    "Geneva – IOM said today",
    "Tuesday, 14 June 2011",
    "04/05/2009",
    '"',
    "“",
    "»",
    "=",
]
lines = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=80))
pages = st.lists(lines, max_size=40).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages)
def test_parse_raises_only_documented_errors_and_round_trips(text: str) -> None:
    try:
        article = iom_scrape.parse(text)
    except IomScrapeError:
        return
    assert RECORD_ADAPTER.validate_json(article.model_dump_json()) == article


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_an_article_or_a_documented_error(data: bytes) -> None:
    with contextlib.suppress(IomScrapeError):
        iom_scrape.parse(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(lines, max_size=30))
def test_leak_repair_is_idempotent(texts: list[str]) -> None:
    once = repair_leaked_markup([SourceLine(i, t) for i, t in enumerate(texts, 1)]).lines
    twice = repair_leaked_markup(once).lines
    assert [line.text for line in twice] == [line.text for line in once]


ADVERSARIAL = {
    "quotes": "A title\n" + '"' * 1_000_000,
    "attribute-runs": "A title\n" + '="' * 500_000,
    "src-lines": "A title\n" + "src=\n" * 200_000,
    "one-long-line": "A title\n" + ('"x" ' * 250_000),
    "leak-mix": "A title\n" + ('alt="" src=\n"/a.jpg">"Quote, says\n' * 30_000),
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_megabyte_adversarial_input_finishes(name: str) -> None:
    article = iom_scrape.parse(ADVERSARIAL[name])
    assert article.title == "A title"
