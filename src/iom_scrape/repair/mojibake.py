"""Mojibake repair: UTF-8 text that was once read as windows-1252 (``Ã©``, ``â€™``).

Found line by line on the text's UTF-8 bytes, fixed with ftfy only where found, so
a mixed page keeps its good lines. ``repair.encoding`` calls it after every decode.
"""

from __future__ import annotations

import re

import ftfy

from iom_scrape.errors import InputTimeout
from iom_scrape.models import Repair

# A UTF-8 lead byte read as windows-1252 (Â..ô) followed by a continuation byte read
# the same way (C1/cp1252 punctuation or NBSP..¿): the signature of mojibake. Only a
# gate: ftfy decides whether the segment really is mojibake.
MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030"
    "\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161"
    "\u203a\u0153\u017e\u0178]"
)
# MOJIBAKE on the text's UTF-8 bytes: the lead (Â..ô is C3 82..C3 B4) then the UTF-8
# of each continuation character. 0xC3 is never a continuation byte, so a match starts
# on a character and finds exactly what MOJIBAKE finds, but the literal first byte lets
# the engine skip to each C3 instead of trying the character class at every position.
MOJIBAKE_UTF8 = re.compile(
    rb"\xc3[\x82-\xb4](?:\xc2[\x80-\xbf]|\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]|\xc6\x92"
    rb"|\xcb[\x86\x9c]|\xe2\x80[\x93\x94\x98\x99\x9a\x9c\x9d\x9e\xa0\xa1\xa2\xa6\xb0\xb9\xba]"
    rb"|\xe2\x82\xac|\xe2\x84\xa2)"
)
MAX_MOJIBAKE_LINE = 20000


def repair_mojibake(text: str, encoded: bytes | None = None) -> tuple[str, list[Repair]]:
    """Fix UTF-8-read-as-windows-1252 segments line by line, only where detected.

    Clean text is returned unchanged (one scan of its bytes); a line is changed only
    when ftfy finds a consistent re-decoding, so a mixed page keeps its good lines.
    ``encoded``, the text's UTF-8 if the caller has it, spares encoding it again.

    >>> repair_mojibake("Caf\\u00e9 ok\\nIOM\\u00e2\\u20ac\\u2122s \\u00c3\\u00a9t\\u00c3\\u00a9")[0]
    'Café ok\\nIOM’s été'
    """
    suspects = _mojibake_lines(text, encoded)
    if not suspects:
        return text, []
    lines = text.split("\n")
    changed: list[int] = []
    examples: list[str] = []
    for index in suspects:
        line = lines[index]
        if len(line) > MAX_MOJIBAKE_LINE:
            continue
        fixed = _fix_line(line)
        if fixed != line:
            lines[index] = fixed
            changed.append(index + 1)
            if len(examples) < 2:
                examples.append(_first_difference(line, fixed))
    if not changed:
        return text, []
    detail = f"{len(changed)} line(s) of UTF-8 read as windows-1252 repaired: " + "; ".join(
        examples
    )
    return "\n".join(lines), [Repair(kind="mojibake", detail=detail[:200], line=changed[0])]


def _mojibake_lines(text: str, encoded: bytes | None = None) -> list[int]:
    """The 0-based indexes of the lines ``MOJIBAKE`` matches in, found on the UTF-8 bytes.

    Text without any of U+00C0..U+00FF has no C3 byte (one memchr); accented prose
    (``é`` is C3 A9, then ASCII) fails at the byte after each lead (see MOJIBAKE_UTF8).
    No match holds a newline, so a match's line is the newlines before it.

    >>> _mojibake_lines("caf\u00e9"), _mojibake_lines("ok\\nIOM\u00e2\u20ac\u2122s \u00c3\u00a9")
    ([], [1])
    """
    if text.isascii():
        return []
    if encoded is None:
        encoded = text.encode("utf-8", errors="surrogatepass")
    if b"\xc3" not in encoded:
        return []
    indexes: list[int] = []
    line, counted = 0, 0
    for match in MOJIBAKE_UTF8.finditer(encoded):
        start = match.start()
        line, counted = line + encoded.count(b"\n", counted, start), start
        if not indexes or indexes[-1] != line:
            indexes.append(line)
    return indexes


def _fix_line(line: str) -> str:
    try:
        fixed: str = ftfy.fix_encoding(line)
    except InputTimeout:
        raise  # the batch's time limit struck in here: not a failure of ftfy
    except Exception:  # ftfy is a heuristic; a failure leaves the line as it was
        return line
    return fixed


def _first_difference(before: str, after: str) -> str:
    match = MOJIBAKE.search(before)
    start = match.start() if match else 0
    return f"{before[start : start + 12]!r} -> {after[start : start + 6]!r}"
