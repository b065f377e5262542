"""Language of the body: English, French or Spanish, from the text itself.

The page's own declaration (``<html lang>``, ``lang/xx`` in the URL) is a hint;
the words decide when there are enough of them, since migrated pages often
declare the template's language rather than the body's.
"""

from __future__ import annotations

from collections import Counter

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
MIN_EVIDENCE = 8
SAMPLE_CHARS = 1500
"""The opening of the body is evidence enough; reading all of it costs time."""


def detect_language(text: str, hint: str | None = None) -> Language:
    """The most likely of en/fr/es.

    >>> detect_language("Le Directeur général de l'OIM a déclaré que les migrants sont")
    'fr'
    """
    counts = Counter(text[:SAMPLE_CHARS].lower().split())
    scores = {lang: sum(counts[w] for w in stop) for lang, stop in STOPWORDS.items()}
    best: Language = max(scores, key=lambda lang: scores[lang])
    hinted = _hinted(hint)
    if scores[best] < MIN_EVIDENCE and hinted:
        return hinted
    return best if scores[best] else (hinted or "en")


def _hinted(hint: str | None) -> Language | None:
    code = (hint or "").strip().lower()[:2]
    return code if code in ("en", "fr", "es") else None  # type: ignore[return-value]
