"""Shortcuts of the content stage choose exactly what the full computations choose."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from iom_scrape.parse.html_content import _drupal_body, _least_linked, _link_density

# (plain characters, linked characters) of a candidate, and its score
CANDIDATES = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40), st.sampled_from([1.0, 2.0, 2.5, 4.0, 9.0])),
    min_size=1,
    max_size=5,
)


@settings(max_examples=500, deadline=None)
@given(CANDIDATES)
def test_the_least_linked_candidate_is_the_first_best_of_all_measured(
    candidates: list[tuple[int, int, float]],
) -> None:
    ranked = []
    for plain, linked, score in candidates:
        element = etree.fromstring(f"<div>{'x' * plain}<a href='/'>{'y' * linked}</a></div>")
        ranked.append((element, score))
    ranked.sort(key=lambda item: item[1], reverse=True)
    everyone = max(ranked, key=lambda item: item[1] * (1.0 - _link_density(item[0])))[0]
    assert _least_linked(ranked) is everyone


def test_a_link_list_with_the_top_score_loses_to_the_prose_after_it() -> None:
    links = etree.fromstring("<ul><li><a href='/a'>a link, with, commas</a></li></ul>")
    prose = etree.fromstring("<div>plain prose <a href='/b'>one link</a></div>")
    assert _least_linked([(links, 9.0), (prose, 4.0)]) is prose


def test_a_class_that_only_holds_name_body_does_not_stop_the_drupal_body_walk() -> None:
    """ "field--name-body-summary" passes the substring gate; the class test still says no."""
    root = etree.fromstring(
        "<html><body><h1 class='page-title'>T</h1>"
        "<div class='field--name-body-summary'><p>summary</p></div>"
        "<section class='x  field-name-body'><p>body</p></section>"
        "<div class='field--name-body'><p>second</p></div></body></html>"
    )
    choice = _drupal_body(root)
    assert choice is not None
    assert choice.container.tag == "section"
    assert choice.title is not None and choice.title.text == "T"
