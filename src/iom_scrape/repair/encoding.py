"""Bytes -> text, never raising: BOM, HTTP charset, <meta>, detector, windows-1252.

(The full decoder with mojibake repair is the HTML issue's; this is the floor.)
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field

from iom_scrape.models import Repair

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(slots=True)
class DecodedText:
    """Text plus the path taken to decode it."""

    text: str
    encoding: str
    repairs: list[Repair] = field(default_factory=list)


def decode_bytes(data: bytes, *, headers: Mapping[str, str] | None = None) -> DecodedText:
    """Decode page bytes: a BOM wins, then UTF-8 when valid, else windows-1252.

    >>> decode_bytes('caf\\u00e9'.encode('cp1252')).text
    'café'
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return DecodedText(data[len(bom) :].decode(encoding, errors="replace"), encoding)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return DecodedText(data.decode("cp1252", errors="replace"), "windows-1252")
