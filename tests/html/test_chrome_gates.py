"""Gates and fast paths of the chrome stage find exactly what the scans they replace find."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from iom_scrape.parse import html_chrome
from iom_scrape.parse.html_content import _is_drupal_body, _is_jahia_press_release
from iom_scrape.parse.html_word import (
    WORD_RESIDUE,
    WORD_RESIDUE_LIMIT,
    _word_residue_found,
    note_word_residue,
)
from iom_scrape.pipeline import parse
from iom_scrape.substring import contains

PIECES = [
    b"class=", b'class="', b"mso", b"-", b"<o:p", b"<!--[if", b"<![if", b"<xml>", b"x", b" ",
    b"<", b"[if", b"[", b"c", b'"', b"m", b"so-", b"lass=mso",
]  # fmt: skip


def _by_pattern(lowered: bytes) -> list[str]:
    return sorted({m.group(0).decode() for m in WORD_RESIDUE.finditer(lowered, 0, 200000)})


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_word_residue_literals_find_what_the_pattern_finds(pieces: list[bytes]) -> None:
    lowered = b"".join(pieces)
    assert _word_residue_found(lowered) == _by_pattern(lowered)


def test_word_residue_past_the_limit_is_not_read() -> None:
    for pad in range(WORD_RESIDUE_LIMIT - 12, WORD_RESIDUE_LIMIT + 2):
        lowered = b"a" * pad + b"mso-x<xml>"
        assert _word_residue_found(lowered) == _by_pattern(lowered)


def test_word_residue_behind_a_bracket_is_noted() -> None:
    assert note_word_residue(b"<p>[1]</p>") == []
    (repair,) = note_word_residue(b"<p>x</p><!--[if gte mso 9]>")
    assert repair.detail == "Word paste residue removed: <!--[if"


BODY = (
    "<p>IOM has opened a migrant resource centre in the capital, offering advice on "
    "contracts, recruitment fees and rights abroad to people planning to work overseas.</p>"
)
# A press release closed before its body ended: the prose after the container is a
# second chrome scope, and each scope has a box title and a "last updated" line.
TWO_SCOPES = (
    "<html><body><div class='pressRelease'><h4>IOM Opens a Centre</h4>"
    "<span class='pressRealeseDate'>04/05/2009</span>"
    f"<div>{BODY}<div align='right'><b>Related Links</b><a href='/x'>Migration news</a></div>"
    "<p>Last updated: 05/05/2009</p></div></div>"
    f"{BODY}<p>Last updated: 06/05/2009</p>"
    "<div align='right'><b>Related Links</b><a href='/y'>Other news</a></div>"
    "</body></html>"
)


def test_each_chrome_scope_is_cleaned_with_the_source_searched_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    searched: list[bytes] = []

    def counting(source: bytes, needle: bytes) -> bool:
        searched.append(needle)
        return contains(source, needle)

    monkeypatch.setattr(html_chrome, "contains", counting)
    article = parse(TWO_SCOPES)
    kinds = [(r.kind, r.detail) for r in article.repairs if r.kind != "page-chrome"]
    assert kinds == [
        ("sidebar-box", "Related Links"),
        ("last-updated", "<p> Last updated: 05/05/2009"),
        ("last-updated", "<p> Last updated: 06/05/2009"),
        ("sidebar-box", "Related Links"),
    ]
    assert searched.count(b"related link") == 1
    assert searched.count(b"updated") == 1


def test_a_trailing_element_that_is_chrome_itself_leaves_the_body() -> None:
    # after the container, a "Last updated" line and a box stand as elements of their own
    article = parse(TWO_SCOPES)
    assert article.paragraphs == [BODY[3:-4], BODY[3:-4]]
    assert "Last updated" not in article.body_markdown
    assert "Related Links" not in article.body_html
    assert article.links == []


def test_a_trailing_paragraph_with_a_script_and_a_font_is_still_stripped() -> None:
    # the trailing scope's tags are known: its strips run only for the tags it holds
    scripted = TWO_SCOPES.replace(
        f"{BODY}<p>Last updated",
        f"<p>{BODY[3:-4]}<script>x()</script><font>!</font></p><p>Last updated",
    )
    article = parse(scripted)
    assert article.paragraphs == [BODY[3:-4], BODY[3:-4] + "!"]
    assert "x()" not in article.body_markdown


TEMPLATE_PIECES = [
    b"pressre", b"pressrealesedate", b"pressreleasedate", b"alese", b"lease", b"date", b"x",
    b"field-", b"field--name-body", b"field-name-body", b"name-body", b"-", b"field", b"<",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TEMPLATE_PIECES), max_size=10))
def test_template_source_gates_are_the_substring_tests(pieces: list[bytes]) -> None:
    lowered = b"".join(pieces)
    assert _is_jahia_press_release(lowered) is (
        b"pressrealesedate" in lowered or b"pressreleasedate" in lowered
    )
    assert _is_drupal_body(lowered) is (
        b"field--name-body" in lowered or b"field-name-body" in lowered
    )


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, b"<!--", b"<!", b"--[if", b"<xml", b"o:p"]), max_size=14))
def test_the_word_residue_gate_lets_every_residue_through(pieces: list[bytes]) -> None:
    lowered = b"".join(pieces)
    found = _by_pattern(lowered)
    expected = [f"Word paste residue removed: {', '.join(found)}"] if found else []
    assert [repair.detail for repair in note_word_residue(lowered)] == expected


@pytest.mark.parametrize(
    "inside",
    [
        "<p>plain</p>",
        "<p>a <script>x()</script>b</p>",
        "<p>a <font face='Arial'>b</font> c</p>",
        "<p class='MsoNormal'>a<o:p></o:p></p><form><input>d</form>",
        "<p>a <font>b<noscript>c</noscript></font></p><style>p {}</style>",
    ],
)
def test_the_strips_skipped_for_absent_tags_leave_what_both_strips_leave(inside: str) -> None:
    def cleaned(*, held: bool) -> bytes:
        root = etree.fromstring(f"<div>{inside}</div>", etree.HTMLParser())
        scope = root.find(".//div")
        elements = list(scope.iter()) if held else None
        html_chrome.remove_chrome(scope, html_chrome.SourceMentions(b""), [], elements=elements)
        return etree.tostring(scope)

    assert cleaned(held=True) == cleaned(held=False)
