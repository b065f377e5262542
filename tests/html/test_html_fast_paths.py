"""Gates and fast paths of the source stage find exactly what the slow scans they skip find."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iom_scrape.repair.encoding import (
    MOJIBAKE,
    _has_utf8_sequence,
    _may_hold_mojibake,
    _utf8_bytes,
    repair_mojibake,
)
from iom_scrape.repair.entities import repair_entities

LEADS = [chr(code) for code in range(0xC0, 0x100)]
FOLLOWERS = [chr(code) for code in range(0x20, 0x250)] + list("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ←\ud800")


@pytest.mark.parametrize("lead", LEADS)
def test_the_mojibake_byte_gate_agrees_with_the_text_pattern(lead: str) -> None:
    for follower in FOLLOWERS:
        text = f"x{lead}{follower}y"
        assert _may_hold_mojibake(text) is (MOJIBAKE.search(text) is not None), repr(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "\n", *LEADS[:8], "é", "©", "’", "€"])))
def test_the_mojibake_gate_never_hides_a_match(text: str) -> None:
    assert _may_hold_mojibake(text) is (MOJIBAKE.search(text) is not None)


def test_mojibake_behind_accented_prose_is_still_repaired() -> None:
    broken = "l’OIM".encode().decode("cp1252")
    fixed, repairs = repair_mojibake(f"Genève été\n{broken}")
    assert fixed == "Genève été\nl’OIM"
    assert [r.line for r in repairs] == [2]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=60).map(lambda t: t.encode("utf-8", "replace")))
def test_utf8_sequence_test_agrees_with_the_byte_count(data: bytes) -> None:
    assert _has_utf8_sequence(data) is (_utf8_bytes(data)[1] > 0)


@pytest.mark.parametrize(
    ("source", "repaired"),
    [
        # the escaped tag comes first: the double escaping after it is still undone
        ('&lt;b&gt; and &amp;quot;x&amp;quot;', '<b> and &quot;x&quot;'),
        # `foo` is no entity: the engine backs off to the escaped `&amp;` before it
        ("<p>&amp;amp;foo;</p>", "<p>&amp;foo;</p>"),
        # a double escape that makes an escaped tag: both repairs, in order
        ("<p>&amp;lt;br&amp;gt;</p>", "<p><br></p>"),
    ],
)
def test_each_entity_repair_runs_when_its_trigger_is_anywhere(source: str, repaired: str) -> None:
    assert repair_entities(source)[0] == repaired


def test_an_escaped_tag_without_its_end_in_reach_stays_text() -> None:
    source = "<p>&lt;img " + "a" * 700 + "&gt;</p>"
    assert repair_entities(source) == (source, [])
