"""Word alternations for case-insensitive patterns, grouped so that the engine can skip them.

``re`` tries the branches of an alternation one by one, and under ``re.IGNORECASE`` it
cannot reject a branch by its first character before entering it: a position where no
word starts costs one attempt per word. Grouped by initial letter (``s(?:ays|aid)|
a(?:dds|dded)``) it costs one attempt per letter, a third to a fifth as much for the
verb, month and weekday lists.
"""

from __future__ import annotations

from collections.abc import Iterable


def by_initial(alternatives: Iterable[str]) -> str:
    """``alternatives`` (regex branches, each opening on a plain letter) grouped by that letter.

    Matches exactly as the flat alternation: within a group the order is kept, and the
    groups' letters are such that no character matches two of them under IGNORECASE
    (tests/text/test_extractor_gates.py checks the lists it is used on), so at any
    position the branches that can match are tried in the same order.

    >>> by_initial(["says", "adds", "said", "Added"])
    's(?:ays|aid)|a(?:dds|dded)'
    """
    return "|".join(f"{initial}(?:{rests})" for initial, rests in _by_initial(alternatives))


def behind_initial(alternatives: Iterable[str]) -> str:
    """``alternatives`` grouped as by :func:`by_initial`, for a pattern that has consumed the
    initial already (with a plain character class, which lets the engine skip to the
    positions where one occurs): each group checks its letter behind.

    >>> behind_initial(["says", "adds", "said"])
    '(?<=s)(?:ays|aid)|(?<=a)(?:dds)'
    """
    return "|".join(f"(?<={initial})(?:{rests})" for initial, rests in _by_initial(alternatives))


def _by_initial(alternatives: Iterable[str]) -> list[tuple[str, str]]:
    """(initial, the rests' alternation) in the order the initials first occur."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        groups.setdefault(alternative[0].lower(), []).append(alternative[1:])
    return [(initial, "|".join(rests)) for initial, rests in groups.items()]
