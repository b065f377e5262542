"""Bytes -> text, never raising: BOM, HTTP charset, <meta>, detector, windows-1252.

Legacy Jahia pages were served as UTF-8 (6.0 defaults) or Latin-1 (4.x installs),
copied by crawlers and the Wayback Machine, and re-published by the new site, so a
declared charset is evidence, not truth (jahia-notes §2.1, §6.18). The decoder

1. honours a byte-order mark;
2. else takes the HTTP ``Content-Type`` charset (for a Wayback capture the original
   server's, ``X-Archive-Orig-Content-Type``);
3. else the ``<meta charset>`` / ``http-equiv`` declaration (then an XML declaration);
4. else a detector: valid UTF-8, a cheap Western-text check, then charset-normalizer;
5. else windows-1252.

Labels are mapped as the WHATWG Encoding Standard says, so ``iso-8859-1`` and
``ascii`` decode as windows-1252 and smart quotes survive. Bytes that contradict
the label are repaired: UTF-8 declared as Latin-1 is read as UTF-8, a UTF-8
template around a windows-1252 body is decoded per segment, and text-level
mojibake (``Ã©``, ``â€™``) is fixed line by line with ftfy, only where detected.
Every path taken is a :class:`~iom_scrape.models.Repair` ("encoding", "mojibake").
"""

from __future__ import annotations

import codecs
import encodings.cp1252
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from iom_scrape.errors import BinaryInput, EmptyInput, InputTimeout
from iom_scrape.models import Repair
from iom_scrape.repair.mojibake import repair_mojibake

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG Encoding Standard labels -> the Python codec that decodes like a browser.
# Latin-1 and ASCII labels are windows-1252 on the web: that is how C1 bytes become
# curly quotes instead of control characters.
_WHATWG_LABELS: dict[str, str] = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": "csisolatin2 iso-ir-101 iso-8859-2 iso8859-2 iso88592 iso_8859-2 "
    "iso_8859-2:1987 l2 latin2",
    "iso8859-3": "csisolatin3 iso-ir-109 iso-8859-3 iso8859-3 iso88593 iso_8859-3 "
    "iso_8859-3:1988 l3 latin3",
    "iso8859-4": "csisolatin4 iso-ir-110 iso-8859-4 iso8859-4 iso88594 iso_8859-4 "
    "iso_8859-4:1988 l4 latin4",
    "iso8859-5": "csisolatincyrillic cyrillic iso-ir-144 iso-8859-5 iso8859-5 iso88595 "
    "iso_8859-5 iso_8859-5:1988",
    "iso8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 "
    "iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 "
    "iso_8859-6:1987",
    "iso8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 "
    "iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 "
    "iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "windows-1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 "
    "iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii "
    "windows-1252 x-cp1252 x-user-defined",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 "
    "iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 "
    "x-gbk gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc-jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022-jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 "
    "ksc5601 ksc_5601 windows-949",
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
}
WHATWG_ENCODINGS: dict[str, str] = {
    label: codec for codec, labels in _WHATWG_LABELS.items() for label in labels.split()
}
"""Lower-cased WHATWG label -> Python codec name (``"iso-8859-1" -> "windows-1252"``)."""

# Single-byte encodings whose pages may really be UTF-8 (the mislabel the issue names).
WESTERN_SINGLE_BYTE = frozenset({"windows-1252", "iso8859-15"})
UTF16 = frozenset({"utf-16-be", "utf-16-le"})

# `charset=` inside a Content-Type value, quoted or not.
CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.IGNORECASE)
# <meta charset="x"> and <meta http-equiv="Content-Type" content="...; charset=x">, in
# bytes (ASCII-compatible); the attribute run is bounded so a stray `<meta` cannot scan far.
META_CHARSET = re.compile(
    rb"""<meta\b[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.IGNORECASE
)
# <?xml version="1.0" encoding="iso-8859-1"?> at the top of an XHTML page.
XML_DECLARATION = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["']"""
)
HEAD_END = re.compile(rb"</head\s*>|<body\b", re.IGNORECASE)
META_SCAN_LIMIT = 65536
# Three or more high bytes in a row (NBSP excluded: Word pastes runs of it): words of
# Cyrillic, Greek or Arabic in a single-byte code page, rare in Western prose. Every
# byte is mapped to "H" (high) or "." with ``bytes.translate``, so the common case, no
# run at all, is one substring test instead of a regex scan of the page.
HIGH_BYTE_MAP = bytes(
    ord("H") if byte >= 0x80 and byte != 0xA0 else ord(".") for byte in range(256)
)
HIGH_BYTE_RUN = re.compile(rb"H{3,}")
# The same test as a literal: the engine searches it faster than ``b"HHH" in mapped``.
HIGH_BYTE_RUN_GATE = re.compile(rb"HHH")
WESTERN_MAX_RUN_SHARE = 0.05
WESTERN_GUESS = ("windows-1252", "Western text (detector)")
MIXED_UTF8_SHARE = 0.5
REPAIR_CACHE = 512

_FALLBACK_ERRORS = "iom_scrape.cp1252_fallback"
_C1_ERRORS = "iom_scrape.c1_controls"
# The table Python's cp1252 codec decodes with: charmap_decode on it directly is
# that codec without the registry lookup and its Python-level decode method.
_CP1252_TABLE = encodings.cp1252.decoding_table


def _decode_windows_1252(data: bytes) -> str:
    """windows-1252 as WHATWG defines it: the five undefined bytes are C1 controls."""
    return codecs.charmap_decode(data, _C1_ERRORS, _CP1252_TABLE)[0]


def _c1_controls(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(b) for b in exc.object[exc.start : exc.end]), exc.end


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejects as windows-1252: a mixed page, segment by segment."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return _decode_windows_1252(exc.object[exc.start : exc.end]), exc.end


codecs.register_error(_C1_ERRORS, _c1_controls)
codecs.register_error(_FALLBACK_ERRORS, _cp1252_fallback)


@dataclass(slots=True)
class DecodedText:
    """Text plus the path taken to decode it."""

    text: str
    encoding: str
    repairs: list[Repair] = field(default_factory=list)
    declared_by: str | None = None
    """Which step chose ``encoding``: bom, http, wayback, meta, xml, detector, default."""
    encoded: bytes | None = None
    """``text`` as UTF-8 (lone surrogates passed), kept for the parser; None if not made."""


def whatwg_encoding(label: str) -> str | None:
    """The codec a browser uses for a charset label, or None for an unknown label.

    >>> whatwg_encoding(" ISO-8859-1 "), whatwg_encoding("latin1"), whatwg_encoding("bogus")
    ('windows-1252', 'windows-1252', None)
    """
    return WHATWG_ENCODINGS.get(label.strip().strip("\"'").lower())


# C0 controls other than tab, newlines and form feed: binary data is full of them.
# Counted on the UTF-8 bytes with ``bytes.translate`` (C speed, no regex scan).
CONTROL_BYTES = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0E, 0x20))
BINARY_SAMPLE = 4096
BINARY_CONTROL_SHARE = 0.1
# Eight replacement characters in a row: bytes that no decoding could read.
REPLACEMENT_RUN = "\ufffd" * 8
REPLACEMENT_RUN_UTF8 = REPLACEMENT_RUN.encode()


def decode_bytes(data: bytes, *, headers: Mapping[str, str] | None = None) -> DecodedText:
    """Decode page bytes the way a browser would, repairing what contradicts the label.

    >>> decode_bytes('caf\\u00e9'.encode('cp1252')).text
    'café'
    >>> decode_bytes(b'<meta charset="iso-8859-1"><p>\\x93Hi\\x94</p>').text
    '<meta charset="iso-8859-1"><p>“Hi”</p>'
    """
    try:
        result = _decode(data, headers)
    except InputTimeout:
        raise  # the batch's time limit struck in here: not a failure to decode
    except Exception as exc:  # never raise: the last resort is a lossless single-byte read
        result = DecodedText(
            data.decode("latin-1"),
            "iso-8859-1",
            [Repair(kind="encoding", detail=f"decoder failed ({type(exc).__name__}): latin-1")],
            "default",
        )
    return result


def decode_source(
    source: str | bytes, *, headers: Mapping[str, str] | None = None, url: str | None = None
) -> DecodedText:
    """Text of any input, decoded and mojibake-repaired once, or a typed error.

    Bytes go through :func:`decode_bytes`; text only through the mojibake repair.
    Raises EmptyInput or BinaryInput: the only errors of this stage.
    """
    if isinstance(source, bytes):
        if not source or source.isspace():  # what ``strip`` would empty, without a copy
            raise EmptyInput("the input is empty", source=url)
        decoded = decode_bytes(source, headers=headers)
    else:
        decoded = _finish(source, "str", "str", [])
    reject_unusable(decoded.text, url=url, encoded=decoded.encoded)
    return decoded


def reject_unusable(text: str, *, url: str | None = None, encoded: bytes | None = None) -> None:
    """Raise a typed error for empty or binary input instead of parsing noise.

    The sample is searched as UTF-8 (``encoded``, the text's, spares making it for
    an ASCII or short text): a NUL there is one memchr, while a str holding curly
    quotes is two bytes a character and its low bytes are full of zeros; the rare
    first byte of U+FFFD is one memchr before the search for a run of them.
    """
    if not text or text.isspace():
        raise EmptyInput("the input is empty", source=url)
    sample = _sample_bytes(text, encoded)
    if (
        (b"\xef" in sample and REPLACEMENT_RUN_UTF8 in sample)
        or b"\x00" in sample
        or _control_count(sample) > min(len(text), BINARY_SAMPLE) * BINARY_CONTROL_SHARE
    ):
        raise BinaryInput("the input is binary data, not a page", source=url)


def _sample_bytes(text: str, encoded: bytes | None) -> bytes:
    """The first BINARY_SAMPLE characters of ``text`` as UTF-8, cut from ``encoded`` if it can be.

    As many ASCII bytes are as many characters: a page whose head is ASCII (the
    markup before the first accented word) is cut, not encoded again.
    """
    if encoded is not None:
        if len(text) <= BINARY_SAMPLE:
            return encoded
        head = encoded[:BINARY_SAMPLE]
        if head.isascii():
            return head
    return text[:BINARY_SAMPLE].encode("utf-8", errors="surrogatepass")


def _control_count(sample: bytes) -> int:
    """C0 control characters in the UTF-8 ``sample`` (each is one byte in UTF-8)."""
    return len(sample) - len(sample.translate(None, CONTROL_BYTES))


def _decode(data: bytes, headers: Mapping[str, str] | None) -> DecodedText:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return _finish(text, encoding, "bom", [_encoding_repair(f"{encoding} from BOM")])
    label, step = _declared_label(data, headers)
    codec = whatwg_encoding(label) if label else None
    if label is None or codec is None:
        return _detect(data, unknown_label=label)
    if step in ("meta", "xml") and codec in UTF16:
        codec = "utf-8"  # WHATWG: a page that can declare itself in ASCII is not UTF-16
    return _decode_declared(data, codec, step, label)


def _declared_label(data: bytes, headers: Mapping[str, str] | None) -> tuple[str | None, str]:
    """The first charset label found, in order: Wayback original header, HTTP, meta, xml."""
    if headers:
        lowered = {name.lower(): value for name, value in headers.items()}
        for name, step in (("x-archive-orig-content-type", "wayback"), ("content-type", "http")):
            param = CHARSET_PARAM.search(lowered.get(name, ""))
            if param:
                return param.group(1), step
    label = meta_charset(data)
    if label:
        return label, "meta"
    declaration = XML_DECLARATION.match(data[:256])
    if declaration:
        return declaration.group(1).decode("ascii"), "xml"
    return None, "default"


def meta_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` in the page head declares.

    >>> meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    'ISO-8859-1'
    """
    head = data[:META_SCAN_LIMIT]
    end = HEAD_END.search(head)
    match = META_CHARSET.search(head, 0, end.start() if end else len(head))
    return match.group(1).decode("ascii") if match else None


def _decode_declared(data: bytes, encoding: str, step: str, label: str) -> DecodedText:
    where = {"wayback": "X-Archive-Orig-Content-Type", "http": "HTTP Content-Type"}.get(
        step, f"<{step}> declaration" if step == "xml" else "<meta> charset"
    )
    repairs = [_encoding_repair(f"{label} from {where} -> {encoding}")]
    if encoding == "utf-8":
        return _decode_utf8_declared(data, step, repairs)
    if encoding in WESTERN_SINGLE_BYTE and not data.isascii() and _has_utf8_sequence(data):
        return _decode_utf8_mislabelled(data, label, step, repairs)
    text = (
        _decode_windows_1252(data)
        if encoding == "windows-1252"
        else data.decode(encoding, errors="replace")
    )
    return _finish(text, encoding, step, repairs)


def _decode_utf8_declared(data: bytes, step: str, repairs: list[Repair]) -> DecodedText:
    try:
        return _finish(data.decode("utf-8"), "utf-8", step, repairs, data)
    except UnicodeDecodeError:
        pass
    mixed = _has_utf8_sequence(data)
    detail = (
        "declared utf-8 but mixed: UTF-8 segments kept, the others read as windows-1252"
        if mixed
        else "declared utf-8 but the bytes are not UTF-8: read as windows-1252"
    )
    repairs.append(_repair("mojibake", detail))
    return _finish(data.decode("utf-8", errors=_FALLBACK_ERRORS), "utf-8", step, repairs)


def _decode_utf8_mislabelled(
    data: bytes, label: str, step: str, repairs: list[Repair]
) -> DecodedText:
    """UTF-8 bytes behind a Latin-1 label: reading them as declared would make mojibake."""
    encoded: bytes | None = data
    try:
        text = data.decode("utf-8")
        detail = f"declared {label} but the bytes are UTF-8: read as UTF-8"
    except UnicodeDecodeError:
        text, encoded = data.decode("utf-8", errors=_FALLBACK_ERRORS), None
        detail = f"declared {label} but mixed: UTF-8 segments kept, the others as windows-1252"
    repairs.append(_repair("mojibake", detail))
    return _finish(text, "utf-8", step, repairs, encoded)


def _detect(data: bytes, *, unknown_label: str | None) -> DecodedText:
    repairs = []
    if unknown_label:
        repairs.append(_encoding_repair(f"unknown charset label {unknown_label[:40]!r} ignored"))
    if data.isascii():
        repairs.append(_encoding_repair("no declaration; ASCII only -> windows-1252"))
        return _finish(data.decode("ascii"), "windows-1252", "detector", repairs, data)
    try:
        text = data.decode("utf-8")
        repairs.append(_encoding_repair("no declaration; valid UTF-8 (detector)"))
        return _finish(text, "utf-8", "detector", repairs, data)
    except UnicodeDecodeError:
        pass
    if _has_utf8_sequence(data) and _mostly_utf8(data):
        repairs.append(_repair("mojibake", "no declaration; mixed UTF-8/windows-1252"))
        text = data.decode("utf-8", errors=_FALLBACK_ERRORS)
        return _finish(text, "utf-8", "detector", repairs)
    encoding, how = _detect_single_byte(data)
    repairs.append(_encoding_repair(f"no declaration; {how} -> {encoding}"))
    text = (
        _decode_windows_1252(data)
        if encoding == "windows-1252"
        else data.decode(encoding, errors="replace")
    )
    return _finish(text, encoding, "detector" if how != "default" else "default", repairs)


def _utf8_bytes(data: bytes) -> tuple[int, int]:
    """High bytes in ``data``, and how many of them form complete UTF-8 sequences.

    Counted with the C codecs (ignoring what does not decode), not a regex scan.

    >>> _utf8_bytes("é".encode() + b" \\xe9 ")
    (3, 2)
    """
    high = _high_bytes(data)
    valid = data.decode("utf-8", errors="ignore")
    return high, len(valid.encode("utf-8")) - (len(data) - high)


def _high_bytes(data: bytes) -> int:
    """The bytes >= 0x80 in ``data`` (``_utf8_bytes(data)[0]``)."""
    return len(data) - len(data.decode("ascii", errors="ignore"))


def _mostly_utf8(data: bytes) -> bool:
    """At least half the high bytes form complete UTF-8 sequences: a mixed page, not mojibake."""
    high, in_sequences = _utf8_bytes(data)
    return in_sequences >= high * MIXED_UTF8_SHARE


def _has_utf8_sequence(data: bytes) -> bool:
    """Whether ``data`` holds a complete multi-byte UTF-8 sequence (``_utf8_bytes(data)[1]``).

    The lenient decode keeps exactly the ASCII bytes and the valid sequences, so the
    result is non-ASCII only if a sequence survived: no counting needed.

    >>> _has_utf8_sequence(b"caf\\xc3\\xa9"), _has_utf8_sequence(b"caf\\xe9")
    (True, False)
    """
    return not data.decode("utf-8", errors="ignore").isascii()


def _detect_single_byte(data: bytes) -> tuple[str, str]:
    """Western prose (accents between ASCII letters) is windows-1252; else ask a detector.

    ``data`` is not ASCII (settled before), so without a run of high bytes it is
    Western whatever their number, which is counted only when there is a run.
    """
    mapped = data.translate(HIGH_BYTE_MAP)
    if HIGH_BYTE_RUN_GATE.search(mapped) is None:
        return WESTERN_GUESS
    in_runs = sum(map(len, HIGH_BYTE_RUN.findall(mapped)))
    high = _high_bytes(data)
    if high and in_runs <= high * WESTERN_MAX_RUN_SHARE:
        return WESTERN_GUESS
    return _charset_normalizer_guess(data)


def _charset_normalizer_guess(data: bytes) -> tuple[str, str]:
    """charset-normalizer's best guess, preferring windows-1252 when it fits as well."""
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return "windows-1252", "default"
    best = matches[0]
    for match in matches:
        if match.encoding == "cp1252" and match.percent_chaos <= best.percent_chaos + 1.0:
            return "windows-1252", "charset-normalizer"
    codec = whatwg_encoding(best.encoding.replace("_", "-")) or best.encoding
    return codec, "charset-normalizer"


def _finish(
    text: str, encoding: str, step: str, repairs: list[Repair], encoded: bytes | None = None
) -> DecodedText:
    """Repair mojibake; the text's UTF-8 is made once, for the repair, the checks and the parser.

    ``encoded`` is the text's UTF-8 when the caller has it: the input itself, when it
    was strict UTF-8 (or ASCII).
    """
    if encoded is None:
        encoded = text.encode("utf-8", errors="surrogatepass")
    fixed, mojibake_repairs = repair_mojibake(text, encoded)
    if fixed is not text:
        encoded = fixed.encode("utf-8", errors="surrogatepass")
    return DecodedText(fixed, encoding, repairs + mojibake_repairs, step, encoded)


def _encoding_repair(detail: str) -> Repair:
    return _repair("encoding", detail[:200])


@functools.lru_cache(maxsize=REPAIR_CACHE)
def _repair(kind: str, detail: str) -> Repair:
    """A Repair without a line, validated once per detail.

    The decoder's details repeat from page to page (the same label, the same path)
    and a Repair is frozen, so pages can share one.
    """
    return Repair(kind=kind, detail=detail)
