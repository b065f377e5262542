"""Line-level facts both parsers share: invisible characters and sentence ends."""

from __future__ import annotations

import re

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Zero-width characters, BOMs and soft hyphens that crawls leave inside text.
INVISIBLES = re.compile(f"[{_INVISIBLE_CHARS}]")
INVISIBLE_TABLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
"""For ``str.translate``: faster than the regex on short runs."""
# A paragraph may end on sentence punctuation, maybe inside a closing quote or
# bracket; a closing quote alone ends one too (`... trafficking,"` at a line end).
SENTENCE_MARKS = frozenset(".!?:;")
CLOSING_QUOTES = frozenset('"”»')


def ends_sentence(line: str) -> bool:
    """Sentence punctuation at the end, maybe inside a closing quote or bracket.

    >>> ends_sentence('he adds.'), ends_sentence('trafficking,"'), ends_sentence('(PRM)')
    (True, True, False)
    """
    last = line[-1:]
    if last in SENTENCE_MARKS or last in CLOSING_QUOTES:
        return bool(last)
    return last in "’)" and line[-2:-1] in SENTENCE_MARKS and len(line) > 1
