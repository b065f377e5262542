"""The cheap gates of the run helpers decide as the slow paths they stand in front of."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iom_scrape.parse.html_lines import LEAK_SIGN, shows_leak, squeeze_spaces, starts_contact
from iom_scrape.parse.lead_in import is_contact_lead_in
from iom_scrape.parse.lines import (
    CREDIT_START,
    CREDIT_WORDS,
    INVISIBLES,
    find_credit,
    strip_invisibles,
)

# Text made of the characters the gates look at: every kind of whitespace, quotes,
# tag remains, credit words, lead-in initials.
PIECES = st.sampled_from(
    [" ", "  ", "\n", "\t", "\r", "\x0b", "\x1c", "\x85", "\u00a0", "\u2009", "\u3000",
     "\u2028", "IOM", "é", "’", '"', ">", "=", "src=", "/jahia/webdav/", "mailto:",
     "javascript:", "px solid", "-moz-", "-", ":", "x", "_", "a", "src", "©", "(c)", "Photo", "FOTO",
     "crédit photo", "Copyright", "For more information, please contact", "for", "P",
     "\u200b", "\u00ad", "\ufeff", "\u200c", "\u200d", "\u2060"]
)  # fmt: skip
TEXT = st.lists(PIECES, max_size=30).map("".join) | st.text(max_size=40)


@given(TEXT)
def test_squeeze_spaces_is_split_and_join(text: str) -> None:
    assert squeeze_spaces(text) == " ".join(text.split())


@given(TEXT)
def test_strip_invisibles_is_the_pattern(text: str) -> None:
    assert strip_invisibles(text) == INVISIBLES.sub("", text)


@given(TEXT)
def test_the_leak_gate_never_hides_a_leak_sign(text: str) -> None:
    assert shows_leak(text) == (LEAK_SIGN.search(text) is not None)


@given(TEXT)
def test_find_credit_gate_is_the_credit_words(text: str) -> None:
    match = CREDIT_START.search(text)
    gated = any(word in text.lower() for word in CREDIT_WORDS) and match is not None
    assert find_credit(text) == (match.start() if gated and match else None)


@given(TEXT)
def test_starts_contact_is_the_lead_in_test_on_stripped_lines(text: str) -> None:
    line = text.strip()
    assert starts_contact(line) == is_contact_lead_in(line)


@pytest.mark.parametrize(
    ("text", "squeezed"),
    [
        ("IOM\nand China", "IOM and China"),  # fast path: newlines only
        ("IOM\n  and China ", "IOM and China"),  # double space: the slow path
        ("IOM\u00a0and\tChina", "IOM and China"),  # other whitespace: the slow path
        ("IOM and China " * 8 + "\t", ("IOM and China " * 8).strip()),  # long ASCII, a tab
        ("IOM and China\n" * 8, ("IOM and China " * 8).strip()),  # long ASCII, fast path
    ],
)
def test_squeeze_spaces_paths(text: str, squeezed: str) -> None:
    assert squeeze_spaces(text) == squeezed
