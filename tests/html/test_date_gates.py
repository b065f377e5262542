"""The date readers' fast paths give what the full reads give."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iom_scrape.parse.dates import (
    DATE_LINE_LABEL,
    NUMERIC_DATE,
    date_line_dates,
    find_date,
    parse_date_line,
)
from iom_scrape.parse.html_hints import (
    NUMERIC_DATE_ASCII,
    numeric_order,
    read_date_line,
    resolve_date,
)

TEXTS = [
    "Posted: 04/05/2009",
    "04/05/2009",
    "25/06/2009",
    "Posted on Fri. June-17-2011",
    "Tuesday, 14 June 2011",
    "fecha: 3 de marzo de 2010",
    "Date: 2011-06-14",
    "publié le 4 avril 2008",
    "On 14 June 2011 the ship left.",
    "no date here",
    "",
]
PAGES = ["", "updated 25/06/2009", "06/25/2009"]


LINES = [
    *TEXTS,
    " Tuesday, 14 June 2011 ",  # space to strip: find_date reads the text again
    "publié le4/5/2009",  # the label's letter before the digit: no date in the whole text
    "Date:04/05/2009",
    "Monday, March 17th, 2008",
]


@pytest.mark.parametrize("text", LINES)
@pytest.mark.parametrize("page", PAGES)
def test_read_date_line_is_parse_date_line_find_date_and_resolve_date(text: str, page: str) -> None:
    expected_warnings: list[str] = []
    expected = None
    if parse_date_line(text) is not None:
        expected = (find_date(text), resolve_date(text, numeric_order(page), expected_warnings))
    warnings: list[str] = []
    assert read_date_line(text, numeric_order(page), warnings) == expected
    assert warnings == expected_warnings


# Every label the line reader takes off, in several cases, and what may join it to a date.
LABELS = [
    "", "Posted", "posted on", "POSTED ON:", "Published", "published on:", "Date:",
    "date publish:", "Publié le", "publicado el", "Date de publication :", "Fecha", "fecha:",
    "Poſted", "P", "Datum:",
]  # fmt: skip
JOINS = ["", " ", "  ", "\n", ": ", "\u00a0", "-", ",", "_", "é"]
DATES = [
    "04/05/2009", "4.5.2009", "25/06/2009", "2011-06-14", "14 June 2011", "Monday, March 17th, 2008",
    "Fri. June-17-2011", "mon 4 mars 2009", "sept 4, 2009", "3 de marzo de 2010", "31/31/2009",
    "2009", "June 2011", "4 2009", "sun 2009-01-02", "2011-06-14.", ", 14 June 2011",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from([" ", ""]),
    st.sampled_from(LABELS),
    st.sampled_from(JOINS),
    st.sampled_from(DATES),
    st.sampled_from(["", " ", " .", "x"]),
)
def test_the_date_line_dates_are_parse_date_line_and_find_date(
    before: str, label: str, join: str, date: str, after: str
) -> None:
    text = f"{before}{label}{join}{date}{after}"
    line = parse_date_line(text)
    expected = None if line is None else (line, find_date(text))
    assert date_line_dates(text) == expected


def test_a_label_run_into_the_date_has_the_whole_text_read_again() -> None:
    """The label's letter makes the date no date in the whole text: the second read counts."""
    text = "publié le4/5/2009"
    dates = date_line_dates(text)
    assert dates is not None and dates[1] is None and find_date(text) is None
    assert read_date_line(text, numeric_order(""), []) == (None, None)


@pytest.mark.parametrize("text", [*TEXTS, " Posted 04/05/2009 ", "Fecha 2009-01-02", "P 1/2/2003"])
def test_parse_date_line_label_gate(text: str) -> None:
    rest = DATE_LINE_LABEL.sub("", text.strip(), count=1)
    found = find_date(rest)
    if found is None or rest[: found.start].strip(" ,.-") or rest[found.end :].strip(" ,.-"):
        found = None
    assert parse_date_line(text) == (found if len(text.strip()) <= 60 else None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789/. a_-\n")), max_size=40))
def test_ascii_numeric_scan_matches_the_unicode_one(text: str) -> None:
    expected = [m.groupdict() | {"at": m.span()} for m in NUMERIC_DATE.finditer(text)]
    found = [m.groupdict() | {"at": m.span()} for m in NUMERIC_DATE_ASCII.finditer(text)]
    assert found == expected


@pytest.mark.parametrize(
    ("page", "day_first"),
    [
        ("updated 25/06/2009", True),
        ("updated 06/25/2009", False),
        ("updated é25/06/2009 and 06/25/2009", False),  # a letter before: not a date
        ("updated ٢٥/06/2009", True),  # Arabic-Indic digits are digits too
        ("04/05/2009", None),
    ],
)
def test_numeric_order_on_ascii_and_other_pages(page: str, day_first: bool | None) -> None:
    assert numeric_order(page).day_first is day_first
