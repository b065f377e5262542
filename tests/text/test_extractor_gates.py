"""The cheap gates in front of the extractors' and the renderer's regexes: the slow path still runs
whenever the gate's condition is present (each case takes the path its gate guards)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin

import pytest

from iom_scrape.export.body import render_body_html, render_body_markdown
from iom_scrape.export.inline import escape_text
from iom_scrape.extract import contacts, quotes
from iom_scrape.extract.body import link_records, split_dateline
from iom_scrape.extract.contacts import parse_contact_block, unwrap_contact_lines
from iom_scrape.extract.images import extract_images, pbn_photo_date
from iom_scrape.extract.language import STOPWORDS, _stopword_scores
from iom_scrape.extract.phones import parse_phone
from iom_scrape.extract.quotes import extract_quotes
from iom_scrape.parse import dates
from iom_scrape.parse.blocks import Block
from iom_scrape.parse.lines import CREDIT_START
from tests.conftest import FIXTURES


@pytest.mark.parametrize(
    ("raw", "e164", "extension"),
    [
        ("+33 1 23 45 67 89 poste 12", "+33123456789", "12"),  # "t" of an extension word
        ("+41 22 717 9111 INT. 4", "+41227179111", "4"),
        ("+41 22 717 9111 ınt 4", "+41227179111", "4"),  # dotless i: the regex folds it
        ("+41 22 717 9111 x12", None, None),  # "x" glued to the digits is no extension
        ("+254 (0) 20 422 1000", "+254204221000", None),  # "(" -> trunk zero dropped
        ("0041 22 717 9111", "+41227179111", None),  # "00" -> "+"
        ("+  41 22 717 9111", "+41227179111", None),  # "+" then spaces
        ("+\u00a041 22 717 9111", "+41227179111", None),  # any whitespace after the "+"
        ("+41 22 717 9111 / 12", "+41227179111", "12"),  # "/" -> alternative endings
    ],
)
def test_phone_rewrites_still_apply(raw: str, e164: str | None, extension: str | None) -> None:
    phone = parse_phone(raw)
    assert (phone.e164, phone.extension) == (e164, extension)


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        ("Ana Ruiz at", True),
        ("Ana Ruiz at\n", True),  # ``$`` allows a final newline
        ("Ana Ruiz, IOM Lima,", True),
        ("Ana Ruiz, IOM Lima, Peru -", True),
        ("Ana Ruiz IOM", True),
        ("Ana Ruiz y", True),
        ("Ana Ruiz", False),
        ("Ana Ruiz hat", False),  # ends like "at", not on a word boundary
        ("", False),
    ],
)
def test_cut_lines_found_by_their_last_character(line: str, cut: bool) -> None:
    assert contacts._is_cut(line) is cut


def test_free_text_noise_initials_cover_every_case_folding() -> None:
    every_character = "".join(map(chr, range(0x110000)))
    starts = re.findall("[aoeypc]", every_character, re.IGNORECASE)
    assert sorted(starts) == sorted(contacts.FREE_TEXT_NOISE_INITIALS)


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (("Ask the office to contacter", "Ana Ruiz"), ["Ask the office to contacter Ana Ruiz"]),
        (("This line is long and ends in OIM", "Dakar"), ["This line is long and ends in OIM Dakar"]),
        (("Ana Ruiz, IOM Lima, Peru –", "Tel: 1"), ["Ana Ruiz, IOM Lima, Peru – Tel: 1"]),
        (("Please write to Ana Ruiz,", "IOM Lima"), ["Please write to Ana Ruiz, IOM Lima"]),
        (("This line is long and then recontact", "Ana Ruiz"),
         ["This line is long and then recontact", "Ana Ruiz"]),  # no word boundary
    ],
)  # fmt: skip
def test_wrapped_lines_read_from_their_end(lines: tuple[str, ...], joined: list[str]) -> None:
    assert unwrap_contact_lines(lines) == joined


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (  # "00" number and a bare address as free text
            ("For more information please contact:", "Ana Ruiz at IOM Lima", "0051 1 633 0000",
             "aruiz@iom.int"),
            [("Ana Ruiz", "IOM Lima", [("+5116330000", "tel")], ["aruiz@iom.int"], False)],
        ),
        (  # label kinds
            ("For more information please contact:", "Ana Ruiz", "Mobile: +51 1 633 0000",
             "Fax: +51 1 633 0001", "Courriel : aruiz@iom.int"),
            [("Ana Ruiz", None, [("+5116330000", "mobile"), ("+5116330001", "fax")],
              ["aruiz@iom.int"], False)],
        ),
        (  # noise words alone on their lines, each behind its initial
            ("For more information please contact:", "Ana Ruiz", "and", "Please Contact", "Or",
             "Bo Lee", "Tel: +51 1 633 0000"),
            [("Ana Ruiz", None, [], [], False), ("Bo Lee", None, [("+5116330000", "tel")], [], False)],
        ),
        (
            ("For more information please contact:", "Ana Ruiz, OIM Lima", "Cell. +51 1 633 0000",
             "Correo electrónico: aruiz@IOM.INT"),
            [("Ana Ruiz", "OIM Lima", [("+5116330000", "mobile")], ["aruiz@iom.int"], False)],
        ),
    ],
)  # fmt: skip
def test_contact_fields_behind_gates(
    lines: tuple[str, ...], expected: list[tuple[object, ...]]
) -> None:
    assert _contact_summary(lines) == expected


def _contact_summary(lines: tuple[str, ...]) -> list[tuple[object, ...]]:
    """Each contact of the block as (name, office, [(e164, kind)], emails, email_lost)."""
    return [
        (c.name, c.office, [(p.e164, p.kind) for p in c.phones], c.emails, c.email_lost)
        for c in parse_contact_block(lines)
    ]


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (["„Wir handeln jetzt und wir handeln schnell“, sagte Ana Ruiz heute."],
         [("Wir handeln jetzt und wir handeln schnell", None, None, 0)]),
        (['"We act"now, and fast, and with more words here," said Ana Ruiz.'],  # glued mark
         [('We act"now, and fast, and with more words here', "Ana Ruiz", None, 0)]),
        (["No marks here.", "Still none, says Ana Ruiz.", '"We act now," says Ana Ruiz.'],
         [("We act now", "Ana Ruiz", None, 2)]),
        (['"We act now," ajoute-t-elle.'], [("We act now", None, None, 0)]),
        (['"We act now," says IOM Chief of Mission in Lima Ana Ruiz.',
          '"Yes," says the director general.'],  # article dropped from the role
         [("We act now", "Ana Ruiz", "IOM Chief of Mission in Lima", 0),
          ("Yes", None, "director general", 1)]),
    ],
)  # fmt: skip
def test_quotes_behind_gates(
    paragraphs: list[str], expected: list[tuple[str, str | None, str | None, int]]
) -> None:
    got = [(q.text, q.speaker, q.role, q.paragraph) for q in extract_quotes(paragraphs)]
    assert got == expected


@pytest.mark.parametrize("char", list("\\`*_[]|<"))
def test_each_markdown_character_still_escaped(char: str) -> None:
    block = Block(kind="paragraph", text=f"a {char} b")
    escaped = "&lt;" if char == "<" else "\\" + char
    assert render_body_markdown([block], base_url="https://www.iom.int/") == f"a {escaped} b\n"


@pytest.mark.parametrize(
    ("char", "escaped"), [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\xa0", "&nbsp;")]
)
def test_each_html_character_still_escaped(char: str, escaped: str) -> None:
    assert escape_text(f"a{char}b") == f"a{escaped}b"


def test_duplicate_images_merge_into_the_first() -> None:
    blocks = [
        Block(kind="image", text="", src="/a/cn20110315_1.jpg", alt="A"),
        Block(
            kind="image", text="", src=" /a/cn20110315_1.jpg", caption="Camp. © IOM 2011", alt="B"
        ),
    ]
    (image,) = extract_images(blocks, base_url=None)
    assert (image.url, image.caption, image.credit, image.alt, image.country) == (
        "https://www.iom.int/a/cn20110315_1.jpg",
        "Camp.",
        "© IOM 2011",
        "A",
        "CN",
    )


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("cn20110315_1.jpg", (dt.date(2011, 3, 15), "CN")),  # no slash: anchored at the start
        ("a/b/CN20110315_12.JPEG?x=1", (dt.date(2011, 3, 15), "CN")),
        ("a/bcn20110315_1.jpg", (None, None)),  # the code must open the segment
        ("cn20110315_1.jpg/", (None, None)),
        ("ab/cd20110315_1.png/ef20120101_1.gif", (dt.date(2012, 1, 1), "EF")),  # last one
    ],
)
def test_pbn_name_read_from_the_last_segment(
    src: str, expected: tuple[dt.date | None, str | None]
) -> None:
    assert pbn_photo_date(src) == expected


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Port-au-Prince, Haiti - IOM said", "Port-au-Prince, Haiti"),
        ("San José De Costa — IOM said", "San José De Costa"),  # four words: the most
        ("San José De Costa Rica — IOM said", None),
        ("Geneva\n–\tIOM said", "Geneva"),  # any whitespace around the dash
        ("Kabul   -   IOM", "Kabul"),
        ("Geneva -IOM said", None),
        ("Geneva - ", None),
    ],
)
def test_dateline_dash_found_among_the_first_words(text: str, place: str | None) -> None:
    assert split_dateline(text)[0] == place


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("# one", "\\# one\n"),
        ("> two", "\\> two\n"),
        ("- three", "\\- three\n"),
        ("+ four", "\\+ four\n"),
        ("5. five", "\\5. five\n"),
        ("٣) six", "\\٣) six\n"),  # any decimal digit, as the regex's \d
        ("-seven", "-seven\n"),
        ("IOM", "IOM\n"),
    ],
)
def test_line_start_syntax_still_escaped(text: str, markdown: str) -> None:
    block = Block(kind="paragraph", text=text)
    assert render_body_markdown([block], base_url="https://www.iom.int/") == markdown


@pytest.mark.parametrize(
    "sample",
    [
        "",
        "que la que y el The THE the,",  # shared words count for each of their languages
        "Le directeur a déclaré que les migrants et les réfugiés sont ÉTÉ là",
        "El director dijo que los migrantes y las familias en la frontera",
        " ".join(["que"] * 400),  # every word a hit: no count spills into the next
    ],
)
def test_packed_stopword_counts_are_one_count_per_language(sample: str) -> None:
    words = sample.lower().split()
    expected = {language: sum(w in stop for w in words) for language, stop in STOPWORDS.items()}
    assert _stopword_scores(sample) == expected


@pytest.mark.parametrize(
    ("href", "url"),
    [
        ("../a/b.pdf", "https://www.iom.int/news/a/b.pdf"),
        ("/x?a=1&amp;b=2", "https://www.iom.int/x?a=1&b=2"),  # the renderer joins it unescaped
        ("https://example.org/./c", "https://example.org/./c"),  # absolute: kept as written
    ],
)
def test_one_cached_join_for_link_records_and_renderers(href: str, url: str) -> None:
    base = "https://www.iom.int/news/2009/"
    block = Block(kind="paragraph", text="See the page.", links=((href, "the page"),))
    (record,) = link_records([block], base_url=base)
    assert record["url"] == urljoin(base, href)
    assert f'<a href="{url.replace("&", "&amp;")}">' in render_body_html([block], base_url=base)
    assert f"[the page]({url})" in render_body_markdown([block], base_url=base)


FLAT_WEEKDAY = (  # the weekday pattern as written before the grouping
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo),?\s+"
)


def _flat_patterns() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """Each pattern with a grouped alternation beside the same pattern over the flat list."""
    flat_month = "(?P<month>" + "|".join(dates.MONTH_NAMES) + r")\.?"
    pairs = [(quotes._VERB_ALTERNATION, quotes._VERBS)]
    pairs += [(dates._MONTH, flat_month), (dates._WEEKDAY, FLAT_WEEKDAY)]
    grouped_patterns = (quotes.VERB_FIRST, quotes.SUBJECT_FIRST, quotes.VERB_AT_END)
    grouped_patterns += (dates.DAY_MONTH_YEAR, dates.MONTH_DAY_YEAR)
    flat_patterns = []
    for pattern in grouped_patterns:
        source = pattern.pattern
        for grouped, flat in pairs:
            source = source.replace(grouped, flat)
        assert source != pattern.pattern
        flat_patterns.append(re.compile(source, pattern.flags))
    return list(zip(grouped_patterns, flat_patterns, strict=True))


GROUPED_SAMPLES = [
    *(f", {verb} Ana Ruiz." for verb in quotes._VERBS.split("|")),
    *(f"Ana Ruiz {verb.upper()}" for verb in quotes._VERBS.split("|")),
    " Ana Ruiz, IOM's head of mission, Added.",
    ", a dit Ana Ruiz, a déclaré Marc.",  # "a dit" and "a déclaré": the first one wins
    " said Ana, adds Marc",
    " ſays Ana Ruiz",  # long s: re.IGNORECASE reads it as "s"
    " İnsists Ana, ınsisted Marc",  # dotted and dotless i
    " AdDed, added Ana Ruiz",
    " The next sentence has no verb of attribution at all, only words.",
    "told them Ana Ruiz, tells us",
    "",
    *(f"Tuesday, 14 {month} 2011 and {month.upper()}. 17, 2012" for month in dates.MONTH_NAMES),
    *(f"{day}, 4 de marzo de 2011; Sept. 4, 2011" for day in dates.WEEKDAY_NAMES[7:]),
    "GENEVA, Switzerland, March 4, 2011/African Press Organization (APO)/",
    "Posted on Fri. June-17-2011, Saturdays 5 May 2012, Mon 3 Sep 2010, Sept 3 2010",
    "ſeptember 4, 2011, Thurſday 5 May 2011, ſun. 6 June 2010",  # long s
    "le 4 avril 2008, le 1er décembre 2009, 2 Décembre 2009, Dec 25 2010",
]


def _fixture_lines() -> list[str]:
    return [
        line
        for path in sorted(FIXTURES.glob("text/*.txt"))
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    ]


@pytest.mark.parametrize("text", [*GROUPED_SAMPLES, "\n".join(_fixture_lines())])
def test_alternations_grouped_by_initial_match_as_the_flat_lists(text: str) -> None:
    for grouped, flat in _flat_patterns():
        assert [(m.span(), m.groupdict()) for m in grouped.finditer(text)] == [
            (m.span(), m.groupdict()) for m in flat.finditer(text)
        ]
        for got, expected in ((grouped.match(text), flat.match(text)),):
            assert (got and (got.span(), got.groupdict())) == (
                expected and (expected.span(), expected.groupdict())
            )


@pytest.mark.parametrize(
    "words",
    [quotes._VERBS.split("|"), dates.MONTH_NAMES, dates.WEEKDAY_NAMES, list(contacts.LABEL_WORDS)],
)
def test_no_character_matches_two_initials(words: list[str]) -> None:
    every_character = "".join(map(chr, range(0x110000)))
    initials = {word[0].lower() for word in words}
    matched = [re.findall(initial, every_character, re.IGNORECASE) for initial in initials]
    assert sum(map(len, matched)) == len(set().union(*matched))


def test_credit_lookahead_admits_every_character_a_credit_starts_with() -> None:
    every_character = "".join(map(chr, range(0x110000)))
    starts = re.findall(r"\(|\s|©|c|f|p", every_character, re.IGNORECASE)
    admitted = re.findall(r"[(\s©cfp]", every_character, re.IGNORECASE)
    assert starts == admitted


PLAIN_CREDIT_START = re.compile(  # CREDIT_START as written before its fast form
    r"\(?\s*(?:©|\(c\)\s|copyright\b|(?:file\s+)?photo(?:graph)?s?\s*(?:credit)?\s*(?::|by\b)|"
    r"cr[ée]dit\s+photo|fotos?\s*:|foto\s+de\b)",
    re.IGNORECASE,
)
CREDIT_SAMPLES = [
    "Camp (Photo by A. Ruiz)",
    "Camp  Photo: IOM/Ana Ruiz",  # the match starts at the spaces before the word
    "Camp. © IOM 2011 (Photo by X)",
    "Camp (c) IOM, Copyright IOM, File Photo: IOM, Crédit photo OIM, Foto: OIM, foto de OIM",
    "PHOTOGRAPHS CREDIT: IOM, fotos : OIM, Credit photo OIM",
    "A photograph of the camp, no credit; photos by the team",
    "\u00a0\t(\u2003Photo by X)",  # other whitespace
    "File  photos by X; file foto: Y; (c) 2010; (C)\tZ; ( © IOM; (c)x",
    "Copyrights, crédit  PHOTO, credits photo, Fotos: X, FOTO DE Y, fotografia, fiLe PhOtO:",
]


@pytest.mark.parametrize(
    "text", [*CREDIT_SAMPLES, *(line for line in _fixture_lines() if "hoto" in line.lower())]
)
def test_credit_found_where_the_plain_pattern_finds_it(text: str) -> None:
    assert [m.span() for m in CREDIT_START.finditer(text)] == [
        m.span() for m in PLAIN_CREDIT_START.finditer(text)
    ]


PLAIN_LABEL = re.compile(  # contacts.LABEL as written before the character class and groups
    r"(?=[cefgmpt])(?<![\w@.])(?P<label>e-?mail|courriel|correo(?:\s+electr[oó]nico)?|"
    r"t[ée]l[ée]phone|tel[ée]fono|phone|tel|t[ée]l|mob(?:ile)?|cell(?:ular)?|celular|"
    r"m[óo]vil|portable|gsm|fax)\b\.?\s*(?::\s*)?",
    re.IGNORECASE,
)
LABEL_SAMPLES = [
    *(f"Ana Ruiz, {word}: +41 22 717 9111" for word in ("e-mail", "Email", "COURRIEL", "Tél.")),
    "Tel/Fax +41 22; Mob. 079, Cell: 1, celular 2, Móvil 3, MOVIL 4, Portable 5, GSM 6",
    "Correo  Electrónico: a@b.org, Teléfono 1, TÉLÉPHONE 2, telephone 3, Phone 4",
    "x.tel 1, @fax 2, atel 3, _tel 4, 1tel 5, Telford, faxes, emails, gſm 7, emaİl, emaıl",
    "tel",
    "",
]


@pytest.mark.parametrize("text", [*LABEL_SAMPLES, "\n".join(_fixture_lines())])
def test_label_classes_match_as_the_plain_pattern(text: str) -> None:
    assert [(m.span(), m.groupdict()) for m in contacts.LABEL.finditer(text)] == [
        (m.span(), m.groupdict()) for m in PLAIN_LABEL.finditer(text)
    ]


def test_label_initials_cover_every_case_folding() -> None:
    every_character = "".join(map(chr, range(0x110000)))
    starts = re.findall("[cefgmpt]", every_character, re.IGNORECASE)
    assert sorted(starts) == sorted(contacts.LABEL_INITIALS)


@pytest.mark.parametrize(
    "text",
    ["at IOM Kabul", "à l'OIM Dakar", "en la OIM Lima", "IOM Kabul", "OIM Niger", "UN House",
     "International Organization for Migration", "atIOM", "Ana Ruiz", "ÍOM", ""],
)  # fmt: skip
def test_office_tests_behind_their_first_character(text: str) -> None:
    assert contacts._is_office(text) is (contacts.OFFICE.match(text) is not None)
    assert contacts._without_preposition(text) == contacts.OFFICE_PREPOSITION.sub("", text)


@pytest.mark.parametrize(
    "line",
    ["For more information please contact:", "For more information, please contact :",
     "For more information please contact ,", "For more information please contact .",
     "For more information please contact: Ana Ruiz", "For more information, please contact with",
     "Contacts:", "Media contacts: :", "Ana Ruiz, IOM Lima"],
)  # fmt: skip
def test_lead_in_rest_read_as_the_pattern_reads_it(line: str) -> None:
    match = contacts.CONTACT_LEAD_IN.match(line)
    rest = line[match.end() :] if match else line
    assert contacts._strip_lead_in(line) == contacts.AFTER_LEAD_IN.sub("", rest)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (("For more information please contact:", "Dr. IOM Kabul", "Tel: +41 22 717 9111"),
         [(None, None, [("+41227179111", "tel")], [], False)]),  # an office once "Dr." is off
        (("For more information please contact :", "Mr. Ana Ruiz", "at IOM Lima", "Email:"),
         [("Ana Ruiz", "IOM Lima", [], [], True)]),
        (("Please contact with Ana Ruiz, IOM Lima. Tel. +51 1 633 0000, Cell.", "en la OIM Lima"),
         [(None, "la OIM Lima", [("+5116330000", "tel")], [], False)]),
    ],
)  # fmt: skip
def test_names_and_offices_behind_gates(
    lines: tuple[str, ...], expected: list[tuple[object, ...]]
) -> None:
    assert _contact_summary(lines) == expected
