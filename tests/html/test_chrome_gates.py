"""Gates and fast paths of the chrome stage find exactly what the scans they replace find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iom_scrape.parse.html_word import (
    WORD_RESIDUE,
    WORD_RESIDUE_LIMIT,
    _word_residue_found,
    note_word_residue,
)

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
