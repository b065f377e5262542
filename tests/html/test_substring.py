"""The page-source substring test answers exactly what ``in`` answers, for every needle length."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iom_scrape.substring import SHORT_NEEDLE_MAX, contains

# Regex metacharacters among the bytes: the literal must be escaped, never a pattern.
ALPHABET = st.sampled_from(
    [b"a", b"m", b"s", b"o", b"[", b"]", b".", b"*", b"&", b"#", b"\\", b"\n"]
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(ALPHABET, max_size=40).map(b"".join),
    st.lists(ALPHABET, min_size=1, max_size=SHORT_NEEDLE_MAX + 2).map(b"".join),
)
def test_contains_is_in(source: bytes, needle: bytes) -> None:
    assert contains(source, needle) is (needle in source)


def test_a_short_needle_is_found_at_either_end_and_across_lines() -> None:
    for needle in (b"&#", b"[if", b"mso", b"<o:p", b"<xml>", b"<time"):
        assert contains(needle + b"\nx", needle)
        assert contains(b"x\n" + needle, needle)
        assert not contains(b"x\n" + needle[:-1], needle)
