"""HTML page structure -> Blocks and hints: dates, language, contact lines, leaks, boxes."""

from __future__ import annotations

from iom_scrape.parse.html import parse_html_document
from iom_scrape.pipeline import parse

BODY = (
    "<p>IOM has opened a migrant resource centre in the capital, offering advice on "
    "contracts, recruitment fees and rights abroad to people planning to work overseas.</p>"
)


def _jahia(date: str, body: str = BODY) -> str:
    return (
        "<html><head><title>IOM - Press Briefing Notes</title></head><body><table><tr>"
        "<td id='leftnav'><a href='/a'>Africa</a> <a href='/b'>Asia</a></td><td>"
        "<div class='pressRelease'><h4>IOM Opens a Centre</h4>"
        f"<span class='pressRealeseDate'>{date}</span><div>{body}</div></div>"
        "</td></tr></table></body></html>"
    )


def test_the_jahia_date_span_is_day_first_by_template() -> None:
    article = parse(_jahia("04/05/2009"))
    assert (article.published, article.published_source) is not None
    assert article.published is not None and article.published.isoformat() == "2009-05-04"
    assert article.published_source == "page"
    assert article.warnings == []


def test_an_ambiguous_date_of_unknown_layout_is_a_warning_not_a_guess() -> None:
    page = (
        "<html><body><div id='main'><h1>IOM Opens a Centre</h1>"
        f"<p class='posted'>Posted: 04/05/2009</p>{BODY}</div></body></html>"
    )
    article = parse(page)
    assert article.published is None
    assert any("04/05/2009" in warning for warning in article.warnings)


def test_other_dates_of_the_page_decide_the_order() -> None:
    page = (
        "<html><body><div id='main'><h1>IOM Opens a Centre</h1>"
        f"<p>Posted: 04/05/2009</p>{BODY}<p>Report issued on 25/06/2009 in Geneva by the "
        "regional office, with figures for the whole region.</p></div></body></html>"
    )
    article = parse(page)
    assert article.published is not None and article.published.isoformat() == "2009-05-04"
    assert article.warnings == []


def test_last_updated_is_not_the_publication_date() -> None:
    page = (
        "<html><body><div id='main'><h1>IOM Opens a Centre</h1>"
        f"{BODY}<p>Last updated: 02/12/2011</p></div></body></html>"
    )
    article = parse(page)
    assert article.published is None
    assert all("Last updated" not in paragraph for paragraph in article.paragraphs)


def test_every_last_updated_line_goes_when_the_first_holds_another() -> None:
    # dropping the first (a <div> around a matching <p>) must not end the search
    page = (
        "<html><body><div id='main'><h1>IOM Opens a Centre</h1>"
        f"{BODY}<div><p>Last updated: 02/12/2011</p></div>{BODY}"
        "<p>Page last modified: 05/12/2011</p></div></body></html>"
    )
    article = parse(page)
    assert article.paragraphs == [BODY[3:-4], BODY[3:-4]]
    assert [r.kind for r in article.repairs].count("last-updated") == 2


def test_a_french_mis_a_jour_line_is_no_publication_date() -> None:
    page = (
        "<html lang='fr'><body><div id='main'><h1>L'OIM ouvre un centre</h1>"
        f"{BODY}<p>Mis à jour le 12/03/2010</p></div></body></html>"
    )
    article = parse(page.encode())
    assert article.published is None
    assert all("Mis à jour" not in paragraph for paragraph in article.paragraphs)


def test_language_comes_from_a_jahia_url_when_the_page_does_not_say() -> None:
    url = "http://www.iom.int/jahia/Jahia/pbnAF/cache/offonce/lang/fr?entryId=123"
    document = parse_html_document(_jahia("12/03/2010"), url=url)
    assert document.hints.language == "fr"
    assert document.hints.base_url == url


def test_html_lang_wins_over_the_url() -> None:
    page = _jahia("12/03/2010").replace("<html>", "<html lang='es-ES'>")
    document = parse_html_document(page, url="http://www.iom.int/jahia/Jahia/lang/fr/pid/1")
    assert document.hints.language == "es"


def test_title_hint_drops_the_site_name() -> None:
    page = _jahia("12/03/2010").replace(
        "<title>IOM - Press Briefing Notes</title>",
        "<title>IOM Opens a Centre | International Organization for Migration</title>",
    )
    assert parse_html_document(page).hints.title == "IOM Opens a Centre"


def test_an_unknown_template_with_an_h4_headline_before_the_body_keeps_its_title() -> None:
    # no template marks, no h1, a <title> that is only the site name: the h4 that opens
    # the content (before its date and body, as Jahia printed it) is the headline
    page = _jahia("12/03/2010").replace("pressRe", "story")
    article = parse(page)
    assert article.title == "IOM Opens a Centre"
    assert article.paragraphs == [BODY[3:-4]]


def test_a_heading_inside_the_prose_is_no_headline_of_an_unknown_template() -> None:
    page = _jahia("12/03/2010", body=f"{BODY}<h4>Background</h4>{BODY}").replace("pressRe", "x")
    page = page.replace("<h4>IOM Opens a Centre</h4>", "")
    article = parse(page.replace("<title>IOM - Press Briefing Notes</title>", "<title>T</title>"))
    assert article.title != "Background"


def test_contact_block_has_one_line_per_visual_line() -> None:
    body = (
        BODY + "<p>For further information, please contact:<br>Ana Silva<br>IOM Lisbon</p>"
        "<div>Tel: +351 21 324 2940<br>E-mail: <a href='mailto:asilva@iom.int'>Ana</a></div>"
    )
    document = parse_html_document(_jahia("12/03/2010", body))
    contact = [block for block in document.blocks if block.kind == "contact"]
    assert contact[0].lines == (
        "For further information, please contact:",
        "Ana Silva",
        "IOM Lisbon",
        "Tel: +351 21 324 2940",
        "E-mail: Ana asilva@iom.int",
    )
    assert [b.kind for b in document.blocks].count("paragraph") == 1


def test_leaked_markup_inside_a_paragraph_lifts_the_image() -> None:
    body = (
        BODY + '<p>alt="" border="0" src=\n"/jahia/webdav/shared/shared/mainsite/media/photos/pbn/'
        'ke20100706_1.jpg"&gt;\nFamilies wait at the border post near Moyale, officials '
        "said on Tuesday.</p>"
    )
    article = parse(_jahia("06/07/2010", body))
    assert [image.date and image.date.isoformat() for image in article.images] == ["2010-07-06"]
    assert article.paragraphs[-1] == (
        "Families wait at the border post near Moyale, officials said on Tuesday."
    )
    assert "stray-src" in {repair.kind for repair in article.repairs}


def test_a_box_floated_right_is_dropped_by_its_title() -> None:
    box = (
        "<table align='right'><tr><td><b>Related Links</b></td></tr><tr><td>"
        "<a href='/x.pdf'>Appeal 2010</a></td></tr></table>"
    )
    article = parse(_jahia("12/03/2010", box + BODY))
    assert all("Appeal 2010" not in p and "Related" not in p for p in article.paragraphs)
    assert "sidebar-box" in {repair.kind for repair in article.repairs}


def test_headings_and_lists_reach_body_html_and_markdown() -> None:
    body = BODY + "<h3>Background</h3><ul><li>First point;</li><li>Second point.</li></ul>"
    article = parse(_jahia("12/03/2010", body))
    assert "<h2>Background</h2><ul><li>First point;</li><li>Second point.</li></ul>" in (
        article.body_html
    )
    assert "## Background\n\n- First point;\n- Second point." in article.body_markdown


def test_a_break_after_a_sentence_end_starts_a_paragraph() -> None:
    body = (
        "<p>The first paragraph ends here.<br>The second one starts with a capital.<br>"
        "and this wrapped line<br>continues it.</p>"
    )
    document = parse_html_document(_jahia("12/03/2010", body))
    texts = [block.text for block in document.blocks if block.kind == "paragraph"]
    assert texts == [
        "The first paragraph ends here.",
        "The second one starts with a capital. and this wrapped line continues it.",
    ]
