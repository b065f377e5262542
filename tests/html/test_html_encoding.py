"""The decoder: each step of the order, WHATWG labels, mojibake, mixed pages, never raising."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iom_scrape.repair.encoding import decode_bytes, whatwg_encoding
from iom_scrape.repair.mojibake import repair_mojibake

BODY = "<p>“IOM’s café in Genève – open”</p>"
CP1252_BODY = BODY.encode("cp1252")
UTF8_BODY = BODY.encode("utf-8")


def _page(meta: str, body: bytes) -> bytes:
    return b"<html><head>" + meta.encode("ascii") + b"<title>t</title></head><body>" + body


@pytest.mark.parametrize(
    ("data", "encoding", "step"),
    [
        (codecs.BOM_UTF8 + UTF8_BODY, "utf-8", "bom"),
        (codecs.BOM_UTF16_LE + BODY.encode("utf-16-le"), "utf-16-le", "bom"),
        (codecs.BOM_UTF16_BE + BODY.encode("utf-16-be"), "utf-16-be", "bom"),
    ],
)
def test_a_byte_order_mark_wins_over_everything(data: bytes, encoding: str, step: str) -> None:
    decoded = decode_bytes(data, headers={"Content-Type": "text/html; charset=iso-8859-1"})
    assert (decoded.text, decoded.encoding, decoded.declared_by) == (BODY, encoding, step)


def test_http_charset_comes_before_meta() -> None:
    data = _page('<meta charset="utf-8">', CP1252_BODY)
    decoded = decode_bytes(data, headers={"content-type": 'text/html; charset="windows-1252"'})
    assert decoded.declared_by == "http"
    assert BODY in decoded.text


def test_wayback_original_header_comes_before_the_archive_header() -> None:
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "X-Archive-Orig-Content-Type": "text/html; charset=ISO-8859-1",
    }
    decoded = decode_bytes(_page("", CP1252_BODY), headers=headers)
    assert decoded.declared_by == "wayback"
    assert BODY in decoded.text


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
        "<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=latin1'>",
    ],
)
def test_meta_declarations_are_read(meta: str) -> None:
    decoded = decode_bytes(_page(meta, CP1252_BODY))
    assert decoded.declared_by == "meta"
    assert decoded.encoding == "windows-1252"
    assert BODY in decoded.text


def test_xml_declaration_is_read_when_nothing_else_declares() -> None:
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<html><body>' + CP1252_BODY
    decoded = decode_bytes(data)
    assert decoded.declared_by == "xml"
    assert BODY in decoded.text


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (_page("", UTF8_BODY), "utf-8"),
        (_page("", CP1252_BODY), "windows-1252"),
        (_page("", b"<p>plain ascii</p>"), "windows-1252"),
    ],
)
def test_undeclared_pages_go_to_the_detector(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.declared_by == "detector"
    assert decoded.encoding == encoding
    assert "café" in decoded.text or "plain ascii" in decoded.text


def test_detector_reads_a_cyrillic_single_byte_page() -> None:
    text = "Международная организация по миграции помогает мигрантам вернуться домой."
    decoded = decode_bytes(_page("", f"<p>{text}</p>".encode("cp1251")))
    assert text in decoded.text


def test_unknown_label_falls_through_to_the_detector() -> None:
    decoded = decode_bytes(_page('<meta charset="x-no-such-charset">', UTF8_BODY))
    assert decoded.encoding == "utf-8"
    assert any("unknown charset label" in r.detail for r in decoded.repairs)


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("iso-8859-1", "windows-1252"),
        ("ISO_8859-1:1987", "windows-1252"),
        ("latin1", "windows-1252"),
        ("us-ascii", "windows-1252"),
        ("ascii", "windows-1252"),
        ("cp1252", "windows-1252"),
        ("utf8", "utf-8"),
        ("unicode-1-1-utf-8", "utf-8"),
        ("gb2312", "gb18030"),
        ("shift_jis", "cp932"),
        ("latin5", "cp1254"),
        ("no-such-label", None),
    ],
)
def test_labels_map_as_whatwg_says(label: str, codec: str | None) -> None:
    assert whatwg_encoding(label) == codec


def test_smart_quotes_in_a_latin1_declared_page_are_curly() -> None:
    decoded = decode_bytes(_page('<meta charset="iso-8859-1">', b"<p>\x93Hi\x94 \x96 \x85</p>"))
    assert "<p>“Hi” – …</p>" in decoded.text
    assert not any(0x80 <= ord(ch) <= 0x9F for ch in decoded.text)


def test_the_five_undefined_windows_1252_bytes_do_not_raise() -> None:
    decoded = decode_bytes(_page('<meta charset="windows-1252">', b"<p>\x81\x8d\x8f\x90\x9d</p>"))
    assert "\x81\x8d\x8f\x90\x9d" in decoded.text


def test_utf8_declared_as_latin1_is_read_as_utf8() -> None:
    decoded = decode_bytes(_page('<meta charset="iso-8859-1">', UTF8_BODY))
    assert BODY in decoded.text
    assert "mojibake" in {r.kind for r in decoded.repairs}


def test_mixed_page_is_decoded_per_segment() -> None:
    template = "<div>Où travaillons-nous – © IOM</div>".encode()
    data = _page('<meta charset="utf-8">', template + CP1252_BODY + template)
    decoded = decode_bytes(data)
    assert decoded.text.count("Où travaillons-nous – © IOM") == 2
    assert BODY in decoded.text
    assert "\ufffd" not in decoded.text
    assert "mojibake" in {r.kind for r in decoded.repairs}


def test_text_mojibake_is_repaired_only_where_found() -> None:
    clean = "Genève – l’OIM"
    broken = clean.encode("utf-8").decode("cp1252")
    fixed, repairs = repair_mojibake(f"{clean}\n{broken}\n{clean}")
    assert fixed == f"{clean}\n{clean}\n{clean}"
    assert [(r.kind, r.line) for r in repairs] == [("mojibake", 2)]


@pytest.mark.parametrize("clean", ["Café Ãs a name", "Genève", "IOM’s “quotes”", "plain"])
def test_clean_text_is_left_alone(clean: str) -> None:
    assert repair_mojibake(clean) == (clean, [])


def test_every_decode_records_its_path() -> None:
    for data in (_page("", UTF8_BODY), _page('<meta charset="latin1">', CP1252_BODY)):
        kinds = [r.kind for r in decode_bytes(data).repairs]
        assert "encoding" in kinds


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=3000), label=st.sampled_from([None, "utf-8", "latin1", "bogus"]))
def test_decoding_never_raises(data: bytes, label: str | None) -> None:
    headers = {"Content-Type": f"text/html; charset={label}"} if label else None
    decoded = decode_bytes(data, headers=headers)
    assert isinstance(decoded.text, str)
