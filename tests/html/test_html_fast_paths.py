"""Gates and fast paths of the source stage find exactly what the slow scans they skip find."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from iom_scrape.fetch.canonical import original_url
from iom_scrape.parse.dates import find_date
from iom_scrape.parse.html import SHORT_PAGE_BYTES, _date_elements
from iom_scrape.parse.html_hints import numeric_order, read_page_hints
from iom_scrape.parse.html_tree import Element
from iom_scrape.pipeline import SNIFF_CHARS, looks_like_html, parse
from iom_scrape.repair.archive import archived_values, unwrap_archive_urls
from iom_scrape.repair.encoding import (
    _C1_ERRORS,
    _decode_windows_1252,
    _has_utf8_sequence,
    _utf8_bytes,
)
from iom_scrape.repair.entities import repair_entities
from iom_scrape.repair.mojibake import MAX_MOJIBAKE_LINE, MOJIBAKE, _mojibake_lines, repair_mojibake

LEADS = [chr(code) for code in range(0xC0, 0x100)]
FOLLOWERS = [chr(code) for code in range(0x20, 0x250)] + list("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ←\ud800")


@pytest.mark.parametrize("lead", LEADS)
def test_the_mojibake_byte_gate_agrees_with_the_text_pattern(lead: str) -> None:
    for follower in FOLLOWERS:
        text = f"x{lead}{follower}y"
        assert bool(_mojibake_lines(text)) is (MOJIBAKE.search(text) is not None), repr(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "\n", *LEADS[:8], "é", "©", "’", "€"])))
def test_the_mojibake_lines_are_the_lines_the_pattern_matches(text: str) -> None:
    expected = [i for i, line in enumerate(text.split("\n")) if MOJIBAKE.search(line)]
    assert _mojibake_lines(text) == expected


def test_mojibake_behind_accented_prose_is_still_repaired() -> None:
    broken = "l’OIM".encode().decode("cp1252")
    fixed, repairs = repair_mojibake(f"Genève été\n{broken}")
    assert fixed == "Genève été\nl’OIM"
    assert [r.line for r in repairs] == [2]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=60).map(lambda t: t.encode("utf-8", "replace")))
def test_utf8_sequence_test_agrees_with_the_byte_count(data: bytes) -> None:
    assert _has_utf8_sequence(data) is (_utf8_bytes(data)[1] > 0)


@pytest.mark.parametrize(
    ("source", "repaired"),
    [
        # the escaped tag comes first: the double escaping after it is still undone
        ("&lt;b&gt; and &amp;quot;x&amp;quot;", "<b> and &quot;x&quot;"),
        # `foo` is no entity: the engine backs off to the escaped `&amp;` before it
        ("<p>&amp;amp;foo;</p>", "<p>&amp;foo;</p>"),
        # a double escape that makes an escaped tag: both repairs, in order
        ("<p>&amp;lt;br&amp;gt;</p>", "<p><br></p>"),
    ],
)
def test_each_entity_repair_runs_when_its_trigger_is_anywhere(source: str, repaired: str) -> None:
    assert repair_entities(source)[0] == repaired


def test_an_escaped_tag_without_its_end_in_reach_stays_text() -> None:
    source = "<p>&lt;img " + "a" * 700 + "&gt;</p>"
    assert repair_entities(source) == (source, [])


def _walk_date_elements(root: Element) -> list[Element]:
    """The plain walk ``_date_elements`` replaced: every element, two attributes each."""
    found: list[Element] = []
    for element in root.iter(etree.Element):
        if element.tag == "time" and element.get("datetime"):
            found.append(element)
            continue
        names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if "date" in names and "update" not in names and "modif" not in names:
            found.append(element)
    return found


@pytest.mark.parametrize(
    "body",
    [
        '<p class="postDate">x</p><span id="DATE">y</span><time datetime="2011-03-15">z</time>',
        '<div class="date lastUpdated">x</div><p id="pubdate" class="entry">y</p>',
        '<p class="&#100;ate">x</p><time datetime="">y</time><TIME DATETIME="2011">z</TIME>',
        '<div class="post"><p class="meta" id="post-date">x</p></div><p class="modified-date">y</p>',
        "<p>no date here</p><time>2011</time>",
        "<p>nothing</p>",
    ],
)
def test_date_elements_are_the_ones_a_full_walk_finds(body: str) -> None:
    encoded = f"<html><body>{body}</body></html>".encode()
    root = etree.fromstring(encoded, etree.HTMLParser())
    assert _date_elements(root, encoded.lower()) == _walk_date_elements(root)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Tuesday, 15 March 2011", "Tuesday, 15 March 2011"),
        ("Posted on Fri. June-17-2011 by IOM", "Fri. June-17-2011"),
        ("In 2011 IOM said on 4 avril 2008 that", "4 avril 2008"),
        ("15 March 2011, not March 16, 2011", "15 March 2011"),
        ("March 16, 2011 or 15 March 2011", "March 16, 2011"),
        ("2011-03-15 and 15 March 2011", "2011-03-15"),
        ("Report 12/03/2011 (15 March 2011)", "12/03/2011"),
        ("on 15 de marzo de 2011", "15 de marzo de 2011"),
        ("item 4/5/20111, then 2011-02-30 and 1.2.2011", "1.2.2011"),
    ],
)
def test_the_first_date_of_any_shape_is_found(text: str, shown: str) -> None:
    found = find_date(text)
    assert found is not None
    assert text[found.start : found.end] == shown


@pytest.mark.parametrize(
    "text",
    ["In 2011, IOM helped 3,000 migrants", "Room 2011 - floor 3", "a15/03/2011", "12.05.20111"],
)
def test_text_without_a_date_shape_has_no_date(text: str) -> None:
    assert find_date(text) is None


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("09/12/2008", True, (dt.date(2008, 12, 9), True)),
        ("09/12/2008", False, (dt.date(2008, 9, 12), True)),
        ("25.06.2009", False, (dt.date(2009, 6, 25), False)),
        ("31/02/2011", True, None),
        ("2009-09-02", True, (dt.date(2009, 9, 2), False)),
        ("2009-13-02", True, None),
    ],
)
def test_a_text_that_is_only_a_date_is_read_like_any_other(
    text: str, day_first: bool, expected: tuple[dt.date, bool] | None
) -> None:
    found = find_date(text, day_first=day_first)
    assert (None if found is None else (found.date, found.ambiguous)) == expected
    assert found is None or (found.start, found.end) == (0, len(text))


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<html><p>x", True),
        ("<p>one tag only", False),
        ("x" * (SNIFF_CHARS - 5) + "<p>a<p>b", False),  # the second tag is past the sniff
        ("<P>a</P><DIV>", True),
    ],
)
def test_two_real_tags_in_the_sniffed_head_make_html(text: str, html: bool) -> None:
    assert looks_like_html(text) is html


def test_head_hints_come_from_the_head_children_and_every_meta() -> None:
    page = (
        b"<html><head><noscript><meta name='date' content='2011-03-15'></noscript>"
        b"<meta name='Date' content='2012-01-01'><link rel=x><title> IOM - First </title>"
        b"<title>Second</title><base href='http://a.example/x/'></head><body><p>x</p></body></html>"
    )
    root = etree.fromstring(page, etree.HTMLParser())
    hints = read_page_hints(root, url=None, warnings=[], evidence=numeric_order(""))
    assert (hints.title, hints.base_url, hints.published) == (
        "First",
        "http://a.example/x/",
        dt.date(2011, 3, 15),
    )


def test_only_the_lines_with_mojibake_are_repaired_and_long_ones_are_left() -> None:
    broken = "l’OIM".encode().decode("cp1252")
    long_line = "x" * MAX_MOJIBAKE_LINE + broken
    text = f"{broken}\nGenève\n{long_line}\nok {broken}"
    fixed, repairs = repair_mojibake(text)
    assert fixed == f"l’OIM\nGenève\n{long_line}\nok l’OIM"
    assert [(r.kind, r.line) for r in repairs] == [("mojibake", 1)]
    assert repairs[0].detail.startswith("2 line(s)")


def test_windows_1252_is_decoded_as_the_codec_does_with_c1_controls() -> None:
    data = bytes(range(256))
    assert _decode_windows_1252(data) == data.decode("cp1252", errors=_C1_ERRORS)
    assert _decode_windows_1252(b"\x81\x93x\x94") == "\x81“x”"


# ``ARCHIVED_VALUE`` as it was before its run went lazy, tried at every position.
GREEDY_ARCHIVED_VALUE = re.compile(
    r"""(?P<lead>=\s*["']?)(?P<address>[^\s"'<>=]*/web/\d[^\s"'<>]+)""", re.IGNORECASE
)
ARCHIVE_PIECES = [
    "=", " ", '"', "'", "/web/", "/WEB/", "/Web/", "1", "2009", "im_/", "http://", "www.iom.int",
    "/", "<", ">", "a", "\n", "?x=1", "&", "web", "\t", "\u0663", "=/web/2009/http://iom.int/",
]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        '<a href="/web/2009/http://a.org/x=/web/2010/http://b.org/">',  # "=" inside the address
        "<a href=/web/2009/x /web/2010/y>",  # the first value is one, the second is prose
        "<a href=/web/x/web/2009/y>",  # only the second "/web/" is followed by a digit
        "<a href=\"/WEB/2009/http://a.org/\"> <img src = '/web/7'>",  # any case; no tail
        "<a href=x/web/2009/a/web/2010/b=c>",  # two "/web/" in one value
    ],
)
def test_archived_values_are_the_matches_a_scan_of_every_position_finds(source: str) -> None:
    expected = [match.span() for match in GREEDY_ARCHIVED_VALUE.finditer(source)]
    assert [match.span() for match in archived_values(source)] == expected


def _values(matches: list[re.Match[str]]) -> list[tuple[tuple[int, int], str | None, str | None]]:
    return [(match.span(), match.group("lead"), match.group("address")) for match in matches]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(ARCHIVE_PIECES), max_size=25).map("".join))
def test_archived_values_agree_with_the_full_scan_on_any_text(source: str) -> None:
    expected = _values(list(GREEDY_ARCHIVED_VALUE.finditer(source)))
    assert _values(archived_values(source)) == expected


def _unwrapped_by_original_url(source: str) -> str:
    """The unwrapping as it was: each value's address handed to ``original_url``."""
    pieces, copied = [], 0
    for match in GREEDY_ARCHIVED_VALUE.finditer(source):
        url = original_url(match.group("address"))
        if url is not None:
            pieces += [source[copied : match.start("address")], url]
            copied = match.end()
    return "".join([*pieces, source[copied:]])


REPLAY_PIECES = [
    "=", " ", '"', "'", "<", ">", "\n", "/", "//", "web.archive.org", "/web/", "/WEB/", "2009",
    "20090320101500", "im_", "id_", "x_", "http:", "HTTPS:", "ſ", "\u212a", "www", ".iom", ".int",
    ":80", "-", "?", "#", "a=b", "&", "*", "\u0663", "=/web/2009/http://iom.int/",
]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        '<a href="//web.archive.org/web/2009im_/HTTPS://www.iom.int:80/a?b=1#c">',
        "<a href=/web/2009/www.iom.int/x> <a href='/web/2009/' > <a href=\"//a=b/web/2009/iom.int\">",
        '<a href="http://x.org/web/2009*/http://www.iom.int/">',  # the capture list stays
        '<a href=//h"/web/2009/http://iom.int/>',  # the host ends at the quote: no value
    ],
)
def test_replay_values_unwrap_as_original_url_reads_their_addresses(source: str) -> None:
    assert unwrap_archive_urls(source)[0] == _unwrapped_by_original_url(source)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(REPLAY_PIECES), max_size=30).map("".join))
def test_replay_values_unwrap_as_original_url_reads_them_on_any_text(source: str) -> None:
    assert unwrap_archive_urls(source)[0] == _unwrapped_by_original_url(source)


@pytest.mark.parametrize(
    "inside",
    [
        "<p>Hello world, this is a sentence.</p>",
        "<p>Hello world, <script>alert('x')</script>this is a sentence.</p>",
        "<p>Hello <font face='Arial'>world</font>, this is a sentence.</p><style>p {}</style>",
    ],
)
def test_a_short_page_listed_for_the_strips_is_cleaned_as_a_long_one(inside: str) -> None:
    page = f"<html><head><title>IOM - x</title></head><body>{inside}</body></html>"
    padding = "<!--" + "x" * SHORT_PAGE_BYTES + "-->"
    short, long = page.encode(), page.replace("<body>", f"<body>{padding}").encode()
    assert len(short) <= SHORT_PAGE_BYTES < len(long)
    assert parse(short).model_dump() == parse(long).model_dump()
    assert "alert" not in parse(short).body_html
