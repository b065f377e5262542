"""The page's UTF-8 is made once and reused: every stage given it answers as from the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from iom_scrape.errors import BinaryInput, EmptyInput
from iom_scrape.parse.html import parse_decoded_html
from iom_scrape.parse.html_word import strip_word_fallbacks
from iom_scrape.repair.encoding import (
    BINARY_CONTROL_SHARE,
    BINARY_SAMPLE,
    CONTROL_BYTES,
    REPLACEMENT_RUN,
    decode_source,
    reject_unusable,
)
from iom_scrape.repair.mojibake import repair_mojibake

FIXTURES = sorted((Path(__file__).parents[2] / "fixtures" / "html").glob("*.html"))
CHARSETS = [
    b"",
    b'<meta charset="utf-8">',
    b'<meta charset="iso-8859-1">',
    b'<meta charset="koi8-r">',
]
PIECES = [
    b"a", b" ", b"\n", b"\x00", b"\x01", b"\x1f", b"\t", b"\xc3\xa9", b"\xe9", b"\x93", b"\x81",
    b"\xe2\x80\x99", b"\xc3\xa2\xe2\x82\xac\xe2\x84\xa2", b"\xef\xbf\xbd" * 8, b"\xed\xa0\x80",
    b"<![if !supportLists]>", b"<p>", b"\xef\xbb\xbf",
]  # fmt: skip

# "[if" without "<![if" (a conditional comment) takes the gate past its second test.
FALLBACK_PIECES = [
    "<![if !supportLists]>",
    "<![IF x]>",
    "<![endif]>",
    "<!--[if gte mso 9]>",
    "[",
    "if",
    "·",
    "’",
]


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")


def _rejects_as_text(text: str) -> type[Exception] | None:
    """The check as it read the str: the sample's characters, its controls counted in UTF-8."""
    if not text or text.isspace():
        return EmptyInput
    sample = text[:BINARY_SAMPLE]
    data = _utf8(sample)
    controls = len(data) - len(data.translate(None, CONTROL_BYTES))
    if (
        REPLACEMENT_RUN in sample
        or "\x00" in sample
        or controls > len(sample) * BINARY_CONTROL_SHARE
    ):
        return BinaryInput
    return None


def _rejects(text: str, encoded: bytes | None) -> type[Exception] | None:
    try:
        reject_unusable(text, encoded=encoded)
    except (EmptyInput, BinaryInput) as exc:
        return type(exc)
    return None


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(CHARSETS),
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.sampled_from([0, 1, BINARY_SAMPLE - 3, BINARY_SAMPLE + 5]),
)
def test_the_decoded_text_carries_its_own_utf8(
    charset: bytes, pieces: list[bytes], pad: int
) -> None:
    data = charset + b"x" * pad + b"".join(pieces)
    try:
        decoded = decode_source(data)
    except (EmptyInput, BinaryInput):
        return
    assert decoded.encoded == _utf8(decoded.text)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", " ", "\n", "\x00", "\x07", "\x1f", "é", "’", "\ufffd" * 8, "\ud800"])
    ),
    st.sampled_from([0, BINARY_SAMPLE - 2, BINARY_SAMPLE, BINARY_SAMPLE + 3]),
    st.sampled_from(["a", "\x01", "é"]),
)
def test_the_binary_check_on_utf8_is_the_check_on_text(
    pieces: list[str], pad: int, filler: str
) -> None:
    text = filler * pad + "".join(pieces)
    expected = _rejects_as_text(text)
    assert _rejects(text, _utf8(text)) is expected
    assert _rejects(text, None) is expected


@pytest.mark.parametrize("filler", ["a", "é", "’"])
def test_controls_and_replacements_past_the_sample_do_not_count(filler: str) -> None:
    head = filler * BINARY_SAMPLE
    for tail in ["\x00", "\x01" * 1000, "\ufffd" * 8]:
        text = head + tail
        assert _rejects(text, _utf8(text)) is None
        assert _rejects(tail + head, _utf8(tail + head)) is BinaryInput


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FALLBACK_PIECES)))
def test_word_fallbacks_found_in_the_utf8_are_the_ones_in_the_text(pieces: list[str]) -> None:
    source = "<p>" + "".join(pieces) + "</p>"
    assert strip_word_fallbacks(source, _utf8(source)) == strip_word_fallbacks(source)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "\n", "é", "’", "Ã©", "â€™", "\ud800"])))
def test_mojibake_found_in_the_given_utf8_is_found_in_the_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert repair_mojibake(text, _utf8(text)) == repair_mojibake(text)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.stem)
def test_a_page_parsed_with_its_utf8_is_the_page_parsed_from_text(path: Path) -> None:
    decoded = decode_source(path.read_bytes())
    with_bytes = parse_decoded_html(decoded.text, encoded=decoded.encoded)
    from_text = parse_decoded_html(decoded.text)
    assert with_bytes == from_text


CYRILLIC = "Привет мир".encode("cp1251")


@pytest.mark.parametrize(
    ("data", "encoding", "detail"),
    [
        # no complete UTF-8 sequence, no run of high bytes: Western, nothing counted
        (b"<p>caf\xe9 \x93x\x94</p>", "windows-1252", "Western text (detector)"),
        # a UTF-8 sequence among more windows-1252 bytes: counted, still Western
        (b"<p>caf\xc3\xa9 \xe9\xe9 \xe8 \xe0 \x93x\x94</p>", "windows-1252", "Western text"),
        # most high bytes in UTF-8 sequences: the mixed page
        (b"<p>caf\xc3\xa9 \xc3\xa8 \xe9</p>", "utf-8", "mixed UTF-8/windows-1252"),
        # runs of high bytes: the detector is asked
        (b"<p>" + CYRILLIC * 20 + b"</p>", None, "charset-normalizer"),
    ],
)
def test_the_undeclared_detector_counts_high_bytes_only_when_it_needs_them(
    data: bytes, encoding: str | None, detail: str
) -> None:
    decoded = decode_source(data)
    if encoding is None:  # whichever single-byte code page the detector prefers
        assert decoded.encoding not in ("windows-1252", "utf-8")
    else:
        assert decoded.encoding == encoding
    assert detail in " ".join(repair.detail for repair in decoded.repairs)


def test_pages_decoded_the_same_way_share_frozen_repairs_in_lists_of_their_own() -> None:
    first = decode_source(b'<meta charset="iso-8859-1"><p>caf\xc3\xa9</p>')
    second = decode_source(b'<meta charset="iso-8859-1"><p>na\xc3\xafve</p>')
    other = decode_source(b'<meta charset="latin1"><p>caf\xc3\xa9</p>')
    assert first.repairs == second.repairs
    assert all(a is b for a, b in zip(first.repairs, second.repairs, strict=True))
    assert first.repairs is not second.repairs
    assert other.repairs[0].detail == "latin1 from <meta> charset -> windows-1252"
    assert first.repairs[0].detail == "iso-8859-1 from <meta> charset -> windows-1252"
    with pytest.raises(ValidationError):
        first.repairs[0].detail = "changed"  # type: ignore[misc]
