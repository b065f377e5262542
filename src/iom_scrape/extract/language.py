"""Language of the body: English, French or Spanish, from the text itself.

The page's own declaration (``<html lang>``, ``lang/xx`` in the URL) is a hint;
the words decide when there are enough of them, since migrated pages often
declare the template's language rather than the body's.
"""

from __future__ import annotations

from iom_scrape.models import Language

STOPWORDS: dict[Language, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "is",
            "for",
            "with",
            "that",
            "on",
            "was",
            "by",
            "from",
            "has",
            "have",
            "are",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "des",
            "et",
            "du",
            "une",
            "est",
            "pour",
            "dans",
            "au",
            "aux",
            "que",
            "qui",
            "sur",
            "avec",
            "été",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "los",
            "las",
            "del",
            "y",
            "una",
            "es",
            "para",
            "en",
            "con",
            "que",
            "por",
            "su",
            "se",
            "al",
            "fue",
            "han",
        ]
    ),
}
COUNT_BITS = 16
"""Bits of one language's count in a packed score: a sample has fewer words than 2**16."""
COUNT_MASK = (1 << COUNT_BITS) - 1
SCORE_SHIFTS: dict[Language, int] = {
    language: index * COUNT_BITS for index, language in enumerate(STOPWORDS)
}
STOPWORD_WEIGHTS: dict[str, int] = {
    word: sum(1 << shift for language, shift in SCORE_SHIFTS.items() if word in STOPWORDS[language])
    for word in frozenset().union(*STOPWORDS.values())
}
"""A stopword -> one in the count of each language it belongs to ("que" is fr and es),
packed in one integer so the scores of all languages are one sum."""
MIN_EVIDENCE = 8
SAMPLE_CHARS = 1000
"""The opening of the body is evidence enough; reading all of it costs time."""


def detect_language(text: str, hint: str | None = None) -> Language:
    """The most likely of en/fr/es.

    >>> detect_language("Le Directeur général de l'OIM a déclaré que les migrants sont")
    'fr'
    """
    scores = _stopword_scores(text[:SAMPLE_CHARS])
    best: Language = max(scores, key=scores.__getitem__)
    if scores[best] >= MIN_EVIDENCE:
        return best  # the words decide; the hint is not read
    hinted = _hinted(hint)
    if hinted:
        return hinted
    return best if scores[best] else "en"


def _stopword_scores(sample: str) -> dict[Language, int]:
    """Stopwords of each language in ``sample``.

    Each word is looked up and the packed weights summed in C (``map``, ``sum``):
    no Python loop runs per word or per hit.
    """
    packed = sum(filter(None, map(STOPWORD_WEIGHTS.get, sample.lower().split())))
    return {language: (packed >> shift) & COUNT_MASK for language, shift in SCORE_SHIFTS.items()}


def _hinted(hint: str | None) -> Language | None:
    code = (hint or "").strip().lower()[:2]
    return code if code in ("en", "fr", "es") else None  # type: ignore[return-value]
