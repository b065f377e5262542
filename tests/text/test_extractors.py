"""Tables of real shapes for each shared extractor (jahia-notes §3.3, §3.4, §5)."""

from __future__ import annotations

import datetime as dt

import pytest

from iom_scrape.extract.body import split_dateline
from iom_scrape.extract.contacts import parse_contact_block
from iom_scrape.extract.images import pbn_photo_date, resolve_image_url, split_credit
from iom_scrape.extract.phones import parse_phone
from iom_scrape.extract.quotes import extract_quotes
from iom_scrape.parse.dates import find_date, parse_date_line
from iom_scrape.repair.leaks import SourceLine, repair_leaked_markup


@pytest.mark.parametrize(
    ("raw", "e164", "extension"),
    [
        ("+86 10 8532 5303, Ext. 203", "+861085325303", "203"),
        ("+977-1-442-6250", "+97714426250", None),
        ("00 41 79 285 43 66", "+41792854366", None),
        ("+ 93 (0) 799 123 456", "+93799123456", None),
        ("+ 63.02.8823.09.90", "+63288230990", None),
        ("+254 20 422 1000 174/167", "+254204221000", "174/167"),
        ("12", None, None),
    ],
)
def test_phone_shapes(raw: str, e164: str | None, extension: str | None) -> None:
    phone = parse_phone(raw)
    assert (phone.e164, phone.extension) == (e164, extension)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (  # own lines, mailto debris already repaired, Email on the next line
            ("For more information please contact:", "Ana Ruiz", "IOM Quito",
             "Tel: +593 2 225 3948", "E-mail:", "aruiz@iom.int"),
            [("Ana Ruiz", "IOM Quito", ["+59322253948"], ["aruiz@iom.int"], False)],
        ),
        (  # two contacts, lost addresses, one phone shared at the end
            ("For more information please contact:", "Maria Santos", "E-mail:", "Jose Reyes",
             "E-mail:", "Tel. + 63.02.8823.09.90"),
            [("Maria Santos", None, ["+63288230990"], [], True),
             ("Jose Reyes", None, ["+63288230990"], [], True)],
        ),
        (  # inline, wrapped after "at IOM", trailing full stop on the address
            ("For further information please contact Ana Ruiz at IOM",
             "Guyana, Tel: +592 226 4832. Email: aruiz@iom.int."),
            [("Ana Ruiz", "IOM Guyana", ["+5922264832"], ["aruiz@iom.int"], False)],
        ),
        (  # Email before Tel, no colon on the lead-in, honorific dropped
            ("For more information, please contact", "Dr. Omar Said", "IOM Somalia",
             "Email: osaid@iom.int", "Tel. +254 722 123 456"),
            [("Omar Said", "IOM Somalia", ["+254722123456"], ["osaid@iom.int"], False)],
        ),
    ],
)  # fmt: skip
def test_contact_block_shapes(lines: tuple[str, ...], expected: list[tuple[object, ...]]) -> None:
    contacts = parse_contact_block(lines)
    got = [(c.name, c.office, [p.e164 for p in c.phones], c.emails, c.email_lost) for c in contacts]
    assert got == expected


@pytest.mark.parametrize(
    ("paragraphs", "speakers"),
    [
        (['"We act now," says Ana Ruiz, IOM\'s Chief of Mission in Peru.', '"And fast," he adds.'],
         ["Ana Ruiz", "Ana Ruiz"]),
        (['"We act," said IOM Regional Representative in Dakar Ana Ruiz.'], ["Ana Ruiz"]),
        (['Ana Ruiz, IOM\'s Chief of Mission in Peru, explains, "We act now and we act fast."'],
         ["Ana Ruiz"]),
        (['"One," says IOM\'s Ana Ruiz.', '"Two," says IOM\'s Ruiz.'], ["Ana Ruiz", "Ana Ruiz"]),
        (['« Nous agissons », a déclaré Jean Dupont, chef de mission de l\'OIM au Mali.'],
         ["Jean Dupont"]),
        (['"Actuamos ya," dijo Ana Ruiz, jefa de misión de la OIM.'], ["Ana Ruiz"]),
        (['"First part of a long statement that goes on',
          '"and ends in the second paragraph," said Ana Ruiz.'], ["Ana Ruiz"]),
        (['"Nobody can tell who said this long sentence about migration," it read.'], [None]),
        (['The so-called "safe houses" were closed.'], []),
    ],
)  # fmt: skip
def test_quote_attribution_shapes(paragraphs: list[str], speakers: list[str | None]) -> None:
    assert [q.speaker for q in extract_quotes(paragraphs)] == speakers


def test_multi_paragraph_quote_is_one_quote_joined_by_newline() -> None:
    (quote,) = extract_quotes(['"First part', '"second part," said Ana Ruiz.'])
    assert (quote.text, quote.paragraph) == ("First part\nsecond part", 0)


@pytest.mark.parametrize(
    ("text", "date", "ambiguous"),
    [
        ("Tuesday, 14 June 2011", dt.date(2011, 6, 14), False),
        ("Posted on Fri. June-17-2011", dt.date(2011, 6, 17), False),
        ("le 4 avril 2008", dt.date(2008, 4, 4), False),
        ("15 de marzo de 2011", dt.date(2011, 3, 15), False),
        ("15/03/2011", dt.date(2011, 3, 15), False),
        ("04/05/2009", dt.date(2009, 5, 4), True),
        ("12 March 1953", dt.date(1953, 3, 12), False),
    ],
)
def test_date_shapes(text: str, date: dt.date, ambiguous: bool) -> None:
    found = find_date(text)
    assert found is not None and (found.date, found.ambiguous) == (date, ambiguous)


def test_a_sentence_with_a_date_is_not_a_date_line() -> None:
    assert parse_date_line("On 14 June 2011 the first flight left Tripoli.") is None


@pytest.mark.parametrize(
    ("text", "place"),
    [("Nepal - IOM began", "Nepal"), ("Geneva – IOM said", "Geneva"), ("Malí – La OIM", "Malí"),
     ("IOM - the agency", None), ("The camp - once empty", None)],
)  # fmt: skip
def test_datelines(text: str, place: str | None) -> None:
    assert split_dateline(text)[0] == place


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Families at the camp. © IOM 2011", ("Families at the camp.", "© IOM 2011")),
        ("Families (Photo: IOM/Ana Ruiz 2015)", ("Families", "Photo: IOM/Ana Ruiz 2015")),
        ("© IOM 2014 (Photo by Ana Ruiz)", (None, "© IOM 2014 (Photo by Ana Ruiz)")),
        ("No credit here", ("No credit here", None)),
    ],
)
def test_credit_split(caption: str, expected: tuple[str | None, str | None]) -> None:
    assert split_credit(caption) == expected


def test_image_urls_and_pbn_dates() -> None:
    assert resolve_image_url("/jahia/webdav/a.jpg", "http://example.org/news/x") == (
        "http://example.org/jahia/webdav/a.jpg"
    )
    assert pbn_photo_date("ph20131112_3.JPG") == (dt.date(2013, 11, 12), "PH")
    assert pbn_photo_date("ph20131399_3.jpg") == (None, None)


@pytest.mark.parametrize(
    ("lines", "kept", "kinds"),
    [
        (['E-mail: "mailto:a@iom.int">a@iom.int'], ["E-mail: a@iom.int"], {"mailto-fragment"}),
        (['width="185">"We are here," she said.'], ['"We are here," she said.'], {"attribute-run"}),
        (['"/jahia/Jahia/pakistan" target="_blank" title="">IOM', "Pakistan"], ["IOM", "Pakistan"],
         {"anchor-remains"}),
        (['"javascript:openWindow(\'\',810,638)"', 'title="">Photo Gallery'], [],
         {"javascript-handler", "sidebar-box"}),
        (['The report by', '"" target="_blank" title=', '"">UNHCR', 'was published.'],
         ["The report by", "UNHCR", "was published."], {"attribute-run"}),
        (['"BORDER-BOTTOM: rgb(51,102,204) 1px solid; FLOAT: right;">Related', "Links"], [],
         {"style-debris", "sidebar-box"}),
    ],
)  # fmt: skip
def test_leaked_markup_shapes(lines: list[str], kept: list[str], kinds: set[str]) -> None:
    result = repair_leaked_markup([SourceLine(i, t) for i, t in enumerate(lines, 1)])
    assert [line.text for line in result.lines] == kept
    assert kinds <= {repair.kind for repair in result.repairs}
