"""The shared leak repair's gates and batched repairs keep its results."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iom_scrape.repair.leaks import (
    JAVASCRIPT,
    SIDEBAR_INITIALS,
    SIDEBAR_WORDS,
    SourceLine,
    _may_hold_javascript,
    repair_leaked_markup,
)

# Pieces of the handlers JAVASCRIPT finds, their case variants, and the characters
# re.IGNORECASE folds to ASCII letters (long s, Kelvin sign, dotted and dotless i).
HANDLER_PIECES = st.sampled_from(
    ["javascript", "JavaScript", "java", "script", ":", "pageTracker", "PAGETRACKER", ".",
     "_trackPageview", "_", "window", "open", "openWindow", "(", "ſ", "\u212a", "\u0130",
     "\u0131", " ", '"', "=", "x"]
)  # fmt: skip


@pytest.mark.parametrize(
    ("lines", "kept"),
    [
        # one address after the mailto is read: the repeated-address scan is skipped
        (['E-mail: "mailto:a@iom.int">'], ["E-mail: a@iom.int"]),
        # two: the scan runs and keeps one copy of the repeated one
        (['Mail: a@iom.int "mailto:b@iom.int">b@iom.int'], ["Mail: a@iom.int b@iom.int"]),
        # prose before a tag cut at the line end is kept, the attribute run dropped
        (['See  the photo alt="" border="0" src='], ["See  the photo"]),
        (['the "quoted" words then alt="" src='], ['the "quoted" words then']),
        (['alt="" src='], []),
    ],
)
def test_leak_line_results(lines: list[str], kept: list[str]) -> None:
    result = repair_leaked_markup([SourceLine(i, t) for i, t in enumerate(lines, 1)])
    assert [line.text for line in result.lines] == kept


def test_repairs_keep_their_order_and_lines() -> None:
    lines = ['alt="" src=', '"/a/b.jpg">', "", '"A caption of the photo"', "Related Links"]
    result = repair_leaked_markup([SourceLine(i, t) for i, t in enumerate(lines, 1)])
    assert [(r.kind, r.line) for r in result.repairs] == [
        ("stray-src", 1),
        ("stray-src", 2),
        ("sidebar-box", 5),
        ("caption-lifted", 4),
    ]
    assert [(i.src, i.caption) for i in result.images] == [("/a/b.jpg", "A caption of the photo")]


def test_clean_lines_make_no_repairs() -> None:
    result = repair_leaked_markup([SourceLine(1, "  Plain text.  "), SourceLine(2, "")])
    assert [line.text for line in result.lines] == ["Plain text.", ""]
    assert result.repairs == []


@pytest.mark.parametrize(
    "rest",
    ["elated links", "inks", "ake a donation", "onate now!", "ow!", "hoto gallery",
     "ituation report", "esponse plan 2010", "elated", "ake", " donation"],
)  # fmt: skip
def test_sidebar_word_initials_cover_the_pattern(rest: str) -> None:
    for code in [*range(0x250), 0x17F, 0x212A, 0x130, 0x131]:
        if SIDEBAR_WORDS.match(chr(code) + rest):
            assert chr(code) in SIDEBAR_INITIALS, hex(code)


@given(st.lists(HANDLER_PIECES, max_size=12).map("".join))
def test_the_javascript_gate_never_hides_a_handler(text: str) -> None:
    if JAVASCRIPT.search(text) is not None:
        assert _may_hold_javascript(text)


@pytest.mark.parametrize(
    "handler",
    ["javascript:void(0)", "JavaScript:go()", "pageTracker._trackPageview('/x')",
     "window.open('x')", "openWindow('x')"],
)  # fmt: skip
def test_a_line_behind_the_javascript_gate_is_still_cut(handler: str) -> None:
    result = repair_leaked_markup([SourceLine(1, f'"#" onclick="{handler}">Read the appeal')])
    assert [line.text for line in result.lines] == ["Read the appeal"]
    assert [r.kind for r in result.repairs] == ["javascript-handler"]


@pytest.mark.parametrize(
    ("path", "kind", "images"),
    [("/a/photo.jpg", "stray-src", ["/a/photo.jpg"]), ("/a/appeal.pdf", "anchor-remains", [])],
)
def test_a_quoted_path_is_read_once_as_image_or_address(
    path: str, kind: str, images: list[str]
) -> None:
    result = repair_leaked_markup([SourceLine(1, f'"{path}" target="_blank">IOM appeal')])
    assert [r.kind for r in result.repairs] == [kind]
    assert [image.src for image in result.images] == images
    assert [line.link for line in result.lines] == [None if images else path]
