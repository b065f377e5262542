"""Read the date shapes legacy IOM pages print, in English, French and Spanish.

Shared by the parsers (to spot a line that only states a date) and by the date
extractor. A numeric date whose day/month order cannot be told is returned with
``ambiguous=True``: the caller warns instead of guessing silently.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from iom_scrape.parse.alternation import by_initial

MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            start=1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
            start=1,
        )
    },
    "sept": 9,
    **{
        m: i
        for i, m in enumerate(
            [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            start=1,
        )
    },
    "fevrier": 2,
    "aout": 8,
    "decembre": 12,
    **{
        m: i
        for i, m in enumerate(
            [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ],
            start=1,
        )
    },
    "setiembre": 9,
}
MONTH_NAMES = sorted(MONTHS, key=len, reverse=True)
"""Longest first: "september" is tried before "sept" and "sep"."""
WEEKDAY_NAMES = (
    *(rf"{day}[a-z]*\.?" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    *"lundi mardi mercredi jeudi vendredi samedi dimanche".split(),
    *"lunes martes miércoles miercoles jueves viernes sábado sabado domingo".split(),
)
# Grouped by initial (parse/alternation.py): the named-month shapes are tried at every
# position of the text, and most positions start neither a weekday nor a month.
_MONTH = "(?P<month>" + by_initial(MONTH_NAMES) + r")\.?"
_WEEKDAY = "(?:" + by_initial(WEEKDAY_NAMES) + r"),?\s+"
# "15 March 2011", "15 mars 2011", "15 de marzo de 2011", "Tuesday, 15 March 2011"
DAY_MONTH_YEAR = re.compile(
    rf"(?:{_WEEKDAY})?(?P<day>\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?"
    r"(?P<year>\d{4})\b",
    re.IGNORECASE,
)
# "March 15, 2011", "Fri. June-17-2011", "June 17 2011"
MONTH_DAY_YEAR = re.compile(
    rf"(?:{_WEEKDAY})?{_MONTH}[\s-]+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?[\s-]+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
# What a date of each named-month shape must contain from its day on, with any word
# for the month: most text with letters and a year has neither, and these start
# with a digit, so the engine skips to the digits instead of trying the month and
# weekday names at every position. No match of the gate, no match of the shape.
DAY_MONTH_YEAR_GATE = re.compile(
    r"\d(?:st|nd|rd|th|er)?\s+(?:de\s+)?[^\W\d_]{3,}\.?\s+(?:de\s+)?\d{4}\b", re.IGNORECASE
)
MONTH_DAY_YEAR_GATE = re.compile(r"\d(?:st|nd|rd|th)?,?[\s-]+\d{4}\b", re.IGNORECASE)
# The leading `\b` of the two numeric shapes is written as a lookbehind after the
# first digit (a digit is a word character, so `\b` before it means "no word
# character before"): a pattern that starts with a digit lets the engine skip
# straight to the digits, which `\b` first prevents.
ISO_DATE = re.compile(r"(?P<year>\d(?<!\w\d)\d\d\d)-(?P<month>\d{2})-(?P<day>\d{2})\b")
# "15/03/2011", "03/15/2011", "15.03.2011": order decided from the values when possible.
NUMERIC_DATE = re.compile(r"(?P<a>\d(?<!\w\d)\d?)[/.](?P<b>\d{1,2})[/.](?P<year>\d{4})\b")
# A line whose whole content is a date, maybe behind a label like "Posted on".
DATE_LINE_LABEL = re.compile(
    r"^(?:posted(?:\s+on)?:?|published(?:\s+on)?:?|date(?:\s+publish)?:|publié le|publicado el|"
    r"date de publication\s*:|fecha:?)?\s*",
    re.IGNORECASE,
)
DATE_LINE_MAX = 60
# Every character re.IGNORECASE lets a DATE_LINE_LABEL label start with: a stripped line
# that starts otherwise has no label, and the substitution is skipped.
DATE_LINE_LABEL_INITIALS = frozenset("pPdDfF")
# Every shape above carries a four-digit year: a cheap gate before the big patterns
# (spelled out so that the pattern starts with a digit, as above).
HAS_YEAR = re.compile(r"\d\d\d\d")
HAS_LETTER = re.compile(r"[^\W\d_]")
# What the numeric shapes' lookbehind refuses before a date's first digit.
WORD_CHARACTER = re.compile(r"\w")
# A text that is nothing but a numeric or ISO date (a date span, a date Block read
# again by the extractor): the one possible match, read without the scans.
WHOLE_NUMERIC_DATE = re.compile(r"(?P<a>\d\d?)[/.](?P<b>\d\d?)[/.](?P<year>\d\d\d\d)")
WHOLE_ISO_DATE = re.compile(r"(?P<year>\d\d\d\d)-(?P<month>\d\d)-(?P<day>\d\d)")


class FoundDate(NamedTuple):
    """A date read from text, with where it stood and whether the order was a guess.

    A named tuple: immutable, and built in a third of a frozen dataclass's time.
    """

    date: dt.date
    start: int
    end: int
    ambiguous: bool = False


def find_date(text: str, *, day_first: bool = True) -> FoundDate | None:
    """The first well-formed date in ``text``.

    >>> find_date("GENEVA, Switzerland, March 15, 2011/APO/").date
    datetime.date(2011, 3, 15)
    >>> find_date("le 4 avril 2008").date
    datetime.date(2008, 4, 4)
    >>> find_date("04/05/2009").ambiguous
    True
    """
    whole = WHOLE_NUMERIC_DATE.fullmatch(text)
    if whole is not None:
        return _numeric_date(whole, day_first=day_first)
    whole = WHOLE_ISO_DATE.fullmatch(text)
    if whole is not None:
        return _iso_date(whole)
    if not HAS_YEAR.search(text):
        return None
    found = None
    if HAS_LETTER.search(text) is not None:  # "27/05/2011" names no month
        if DAY_MONTH_YEAR_GATE.search(text):
            found = _named_month(DAY_MONTH_YEAR, text)
        if (found is None or found.start) and MONTH_DAY_YEAR_GATE.search(text):
            found = _earlier(found, _named_month(MONTH_DAY_YEAR, text))
    if (found is None or found.start) and "-" in text:
        found = _earlier(found, _iso(text))
    if (found is None or found.start) and ("/" in text or "." in text):
        found = _earlier(found, _numeric(text, day_first=day_first))
    return found


def _earlier(found: FoundDate | None, other: FoundDate | None) -> FoundDate | None:
    """The date that starts first; on a tie the one found first (the shapes are ordered).

    A date found at 0 cannot be beaten, so ``find_date`` looks no further then.
    """
    if other is None or (found is not None and found.start <= other.start):
        return found
    return other


def parse_date_line(text: str) -> FoundDate | None:
    """A date when the line states nothing else ("Posted on Fri. June-17-2011").

    >>> parse_date_line("Tuesday, 14 June 2011").date
    datetime.date(2011, 6, 14)
    >>> parse_date_line("On 14 June 2011 the ship left.") is None
    True
    """
    read = _date_line(text)
    return read[0] if read is not None else None


def date_line_dates(text: str) -> tuple[FoundDate, FoundDate | None] | None:
    """``parse_date_line(text)`` and ``find_date(text)`` for a date line; None for other text.

    The date is read once: the label and spaces the line reader takes off hold no digit
    and no month or weekday name, so the whole text has the same date, moved by their
    length. Only a label that runs into the date (``publié le4/5/2009``: the numeric
    shapes want no word character before their digits) has the whole text read again.

    >>> line, found = date_line_dates("Posted: 04/05/2009")
    >>> (line.start, found.start), found == find_date("Posted: 04/05/2009")
    ((0, 8), True)
    """
    read = _date_line(text)
    if read is None:
        return None
    line, offset = read
    if not offset:
        return line, line
    if WORD_CHARACTER.match(text, offset - 1) is not None:
        return line, find_date(text)
    return line, FoundDate(line.date, line.start + offset, line.end + offset, line.ambiguous)


def _date_line(text: str) -> tuple[FoundDate, int] | None:
    """``parse_date_line``'s date, and where the part it was read from starts in ``text``."""
    stripped = text.strip()
    if len(stripped) > DATE_LINE_MAX:
        return None
    rest = (
        DATE_LINE_LABEL.sub("", stripped, count=1)
        if stripped[:1] in DATE_LINE_LABEL_INITIALS
        else stripped
    )
    found = find_date(rest)
    if found is None or rest[: found.start].strip(" ,.-") or rest[found.end :].strip(" ,.-"):
        return None
    return found, len(text) - len(text.lstrip()) + len(stripped) - len(rest)


def _named_month(pattern: re.Pattern[str], text: str) -> FoundDate | None:
    for match in pattern.finditer(text):
        month = MONTHS.get(match.group("month").lower().rstrip("."))
        built = _safe_date(int(match.group("year")), month, int(match.group("day")))
        if built:
            return FoundDate(built, match.start(), match.end())
    return None


def _iso(text: str) -> FoundDate | None:
    for match in ISO_DATE.finditer(text):
        found = _iso_date(match)
        if found is not None:
            return found
    return None


def _iso_date(match: re.Match[str]) -> FoundDate | None:
    built = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
    return FoundDate(built, match.start(), match.end()) if built else None


def _numeric(text: str, *, day_first: bool) -> FoundDate | None:
    for match in NUMERIC_DATE.finditer(text):
        found = _numeric_date(match, day_first=day_first)
        if found is not None:
            return found
    return None


def _numeric_date(match: re.Match[str], *, day_first: bool) -> FoundDate | None:
    a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
    day, month = (a, b) if day_first else (b, a)
    if month > 12 >= day:
        day, month = month, day
    built = _safe_date(year, month, day)
    if not built:
        return None
    return FoundDate(built, match.start(), match.end(), a != b and a <= 12 and b <= 12)


def _safe_date(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None or not 1 <= year <= 9999:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
