"""Line-level facts both parsers share: invisible characters and sentence ends."""

from __future__ import annotations

import re

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Zero-width characters, BOMs and soft hyphens that crawls leave inside text.
INVISIBLES = re.compile(f"[{_INVISIBLE_CHARS}]")


def strip_invisibles(text: str) -> str:
    """``text`` without zero-width characters, BOMs and soft hyphens.

    Most text has none: ``isascii`` and a substring test per character tell that at C
    speed, where a regex scan or ``str.translate`` (a dict lookup per character) would
    walk the whole text.

    >>> strip_invisibles("co\u00adoperation\u200b")
    'cooperation'
    """
    if text.isascii():
        return text
    if (  # _INVISIBLE_CHARS one by one: a generator over them costs more than the tests
        "\u200b" in text
        or "\u00ad" in text
        or "\ufeff" in text
        or "\u200c" in text
        or "\u200d" in text
        or "\u2060" in text
    ):
        return INVISIBLES.sub("", text)
    return text


# A paragraph may end on sentence punctuation, maybe inside a closing quote or
# bracket; a closing quote alone ends one too (`... trafficking,"` at a line end).
SENTENCE_MARKS = frozenset(".!?:;")
CLOSING_QUOTES = frozenset('"”»')


# Where a photo credit starts: "© IOM 2011", "(Photo by ...)", "Photo: IOM/Name",
# "File Photo:", "Photo credit:", "Crédit photo", "Foto:", "Foto de". The HTML parser
# uses it to spot caption lines, the image extractor to split credit from caption.
# Tried at every position of a caption, so written to fail fast: the lookahead names every
# character a credit can start with (the paren, a space before the word, the word's initial
# under IGNORECASE) and rejects the others in one test; the words are grouped by initial
# (one test per letter, the order kept within a letter); the spaces before the word are
# never given back (no word starts with one). Three times as fast as the plain alternation.
_PHOTO_BY = r"photo(?:graph)?s?\s*(?:credit)?\s*(?::|by\b)"
CREDIT_START = re.compile(
    r"(?=[(\s©cfp])\(?\s*+(?:©|\(c\)\s|c(?:opyright\b|r[ée]dit\s+photo)|"
    rf"f(?:ile\s+{_PHOTO_BY}|otos?\s*:|oto\s+de\b)|{_PHOTO_BY})",
    re.IGNORECASE,
)
CREDIT_WORDS = ("©", "(c)", "copyright", "photo", "foto")
"""Cheap gate: CREDIT_START runs only on text that contains one of these ("crédit photo"
contains "photo")."""


def find_credit(text: str) -> int | None:
    """Where a photo credit starts in ``text``, if it has one.

    >>> find_credit("© IOM 2007"), find_credit("Camp (Photo by A. Ruiz)"), find_credit("No credit")
    (0, 5, None)
    """
    folded = text.lower()
    if (  # CREDIT_WORDS, spelt out: a generator costs more than the five tests
        "photo" not in folded
        and "foto" not in folded
        and "©" not in folded
        and "(c)" not in folded
        and "copyright" not in folded
    ):
        return None
    match = CREDIT_START.search(text)
    return match.start() if match else None


def ends_sentence(line: str) -> bool:
    """Sentence punctuation at the end, maybe inside a closing quote or bracket.

    >>> ends_sentence('he adds.'), ends_sentence('trafficking,"'), ends_sentence('(PRM)')
    (True, True, False)
    """
    last = line[-1:]
    if last in SENTENCE_MARKS or last in CLOSING_QUOTES:
        return bool(last)
    return last in "’)" and line[-2:-1] in SENTENCE_MARKS and len(line) > 1
