"""``--dedupe``: flag articles whose body text was already seen, keeping the most complete copy.

The same IOM item survives under several URLs (iom.int and www, the nav and the
"News / Global" dump variants, /node/<nid> and slug URLs, syndicated copies),
and the copies differ in line breaks, blank lines and sometimes lost
line-final words (``jahia-notes.md`` sections 4.2 and 6.16). So copies are
matched on *normalised* body text, and near-identical text counts: each body
becomes a bottom-k sketch of its word 3-grams, and two bodies whose estimated
Jaccard similarity reaches :data:`SIMILARITY` are one item.

Copies are ranked by completeness: first how many of date, dateline, images,
contacts and quotes the cleaner found (a copy whose leaks were cut mid-line
keeps its debris as extra "words" but loses its date or image), then the most
words (the copy that did not lose line-final words), then ``source_id``. The
best one is kept untouched and every other copy gets
``"duplicate-of: <kept source_id>"`` in ``Article.warnings``. The ranking is
over the whole output, so it runs once at the end of a batch, as an atomic
rewrite of the lines whose flag changes; running it again changes nothing. It
holds about half a kilobyte per article in memory.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iom_scrape.batch.records import DUPLICATE_PREFIX
from iom_scrape.models import Article

# Words of the body: runs of letters and digits (punctuation, quote marks and
# line breaks are what differs between copies, so they are not compared).
WORD = re.compile(r"\w+")
SHINGLE_WORDS = 3
SKETCH_SIZE = 64
"""Hashes kept per body: the estimate's error is about 0.06 at 0.7 similarity."""
INDEX_KEYS = 4
"""Smallest hashes used to find candidate copies (identical sketch heads = same text)."""
SIMILARITY = 0.7
"""Estimated Jaccard similarity of 3-gram sets from which two bodies are one item."""
MIN_WORDS = 5
"""Bodies shorter than this are not compared (title-only pages are not duplicates)."""

Rank = tuple[int, int, int, int, int, int]


@dataclass(frozen=True, slots=True)
class BodyCopy:
    """One article as dedupe sees it."""

    source_id: str
    rank: Rank
    sketch: tuple[int, ...]


def normalised_words(paragraphs: Iterable[str]) -> list[str]:
    """The body as compared: NFKC, case-folded words without punctuation.

    >>> normalised_words(["“Hello,” she SAID —", "then-left."])
    ['hello', 'she', 'said', 'then', 'left']
    """
    text = unicodedata.normalize("NFKC", " ".join(paragraphs)).casefold()
    return WORD.findall(text)


def body_sketch(words: Sequence[str]) -> tuple[int, ...]:
    """The smallest :data:`SKETCH_SIZE` hashes of the body's word 3-grams, sorted.

    >>> body_sketch(normalised_words(["A b, c d."])) == body_sketch("a b c d".split())
    True
    >>> len(body_sketch("one two three four".split()))
    2
    """
    shingles = {
        zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8"))
        for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    }
    return tuple(heapq.nsmallest(SKETCH_SIZE, shingles))


def estimated_similarity(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """Jaccard similarity of two bodies' 3-gram sets, estimated from their sketches.

    >>> estimated_similarity((1, 2, 3, 4), (1, 2, 3, 4)), estimated_similarity((1, 2), (3, 4))
    (1.0, 0.0)
    """
    both = set(first) & set(second)
    union = heapq.nsmallest(SKETCH_SIZE, set(first) | set(second))
    return sum(1 for value in union if value in both) / len(union) if union else 0.0


def completeness(record: dict[str, Any], words: int) -> Rank:
    """How complete a copy is: fields found, then body words, then counts.

    >>> completeness({"published": "2011-06-14", "images": [{}], "quotes": []}, 200)
    (2, 200, 1, 0, 0, 1)
    """
    images = len(record.get("images") or ())
    contacts = len(record.get("contacts") or ())
    quotes = len(record.get("quotes") or ())
    dated = int(record.get("published") is not None)
    placed = int(bool(record.get("dateline")))
    found = dated + placed + int(images > 0) + int(contacts > 0) + int(quotes > 0)
    return (found, words, images, contacts, quotes, dated)


def body_copy(record: dict[str, Any]) -> BodyCopy | None:
    """The dedupe view of an article record; None when its body is too short to compare."""
    words = normalised_words(record.get("paragraphs") or ())
    if len(words) < MIN_WORDS:
        return None
    return BodyCopy(str(record["source_id"]), completeness(record, len(words)), body_sketch(words))


def find_duplicates(copies: Iterable[BodyCopy]) -> dict[str, str]:
    """Map each duplicate's ``source_id`` to the ``source_id`` of the copy kept.

    The most complete copy of a group is met first, so it becomes the group's
    representative and the result does not depend on the order of the input.
    """
    ordered = sorted(copies, key=lambda c: (tuple(-v for v in c.rank), c.source_id))
    kept: list[BodyCopy] = []
    index: dict[int, list[int]] = {}
    duplicate_of: dict[str, str] = {}
    for copy in ordered:
        match = _best_match(copy, kept, index)
        if match is not None:
            duplicate_of[copy.source_id] = match.source_id
            continue
        for value in copy.sketch[:INDEX_KEYS]:
            index.setdefault(value, []).append(len(kept))
        kept.append(copy)
    return duplicate_of


def _best_match(
    copy: BodyCopy, kept: list[BodyCopy], index: dict[int, list[int]]
) -> BodyCopy | None:
    candidates = {i for value in copy.sketch[:INDEX_KEYS] for i in index.get(value, ())}
    for position in sorted(candidates):
        if estimated_similarity(copy.sketch, kept[position].sketch) >= SIMILARITY:
            return kept[position]
    return None


def flag_duplicates(paths: Sequence[Path]) -> int:
    """Flag duplicates across the journal files in place; returns how many articles are flagged."""
    copies: list[BodyCopy] = []
    flagged: dict[str, str] = {}
    for path in paths:
        for record in _records(path):
            if record.get("kind") != "article":
                continue
            current = _current_flag(record)
            if current is not None:
                flagged[str(record["source_id"])] = current
            copy = body_copy(record)
            if copy is not None:
                copies.append(copy)
    wanted = find_duplicates(copies)
    changed = {sid for sid in wanted.keys() | flagged.keys() if wanted.get(sid) != flagged.get(sid)}
    if changed:
        for path in paths:
            _rewrite_flags(path, changed, wanted)
    return len(wanted)


def _records(path: Path) -> Iterable[dict[str, Any]]:
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _current_flag(record: dict[str, Any]) -> str | None:
    for warning in record.get("warnings") or ():
        if str(warning).startswith(DUPLICATE_PREFIX):
            return str(warning)[len(DUPLICATE_PREFIX) :]
    return None


def _rewrite_flags(path: Path, changed: set[str], wanted: dict[str, str]) -> None:
    temporary = path.with_name(path.name + ".dedupe")
    touched = False
    with path.open("rb") as source, temporary.open("wb") as out:
        for line in source:
            source_id = json.loads(line).get("source_id") if line.strip() else None
            if source_id in changed:
                line = _with_flag(line, wanted.get(source_id)).encode("utf-8") + b"\n"
                touched = True
            out.write(line)
        out.flush()
        os.fsync(out.fileno())
    if touched:
        os.replace(temporary, path)
    else:
        temporary.unlink()


def _with_flag(line: bytes, kept: str | None) -> str:
    """The article line with its duplicate flag set to ``kept`` (or removed)."""
    article = Article.model_validate_json(line)
    warnings = [w for w in article.warnings if not w.startswith(DUPLICATE_PREFIX)]
    if kept is not None:
        warnings.append(DUPLICATE_PREFIX + kept)
    return article.model_copy(update={"warnings": warnings}).model_dump_json()
