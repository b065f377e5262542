"""The clean body keeps the page's structure: heading depth, numbered lists, quotations
and inline emphasis, within the allow-list (h2-h4, ul/ol, blockquote, strong/em)."""

from __future__ import annotations

import pytest

import iom_scrape
from iom_scrape.export.body import render_bodies, render_body_html, render_body_markdown
from iom_scrape.parse.blocks import Block

PROSE = "IOM staff registered the families who arrived at the transit centre on Monday."


def page(body: str) -> bytes:
    """A press release in the Jahia template around ``body``."""
    return f"""<html><head><meta charset="utf-8"><title>IOM - Press Briefing Notes</title></head>
<body><div class="pressRelease"><h4>IOM Registers Families at the Transit Centre</h4>
<span class="pressRealeseDate">02/03/2011</span>
<div class="pressReleaseBody"><p>{PROSE}</p>
{body}</div></div></body></html>""".encode()


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["h3", "h4"], ["h2", "h3"]),
        (["h4", "h5", "h6"], ["h2", "h3", "h4"]),
        (["h2", "h3", "h4", "h5", "h6"], ["h2", "h3", "h4", "h4", "h4"]),
        (["h5", "h3"], ["h4", "h2"]),
    ],
)
def test_headings_keep_their_depth_below_the_title(tags: list[str], expected: list[str]) -> None:
    body = "".join(f"<{tag}>Part {i}</{tag}><p>{PROSE}</p>" for i, tag in enumerate(tags))
    article = iom_scrape.parse(page(body))
    for i, tag in enumerate(expected):
        assert f"<{tag}>Part {i}</{tag}>" in article.body_html
        assert "#" * int(tag[1]) + f" Part {i}\n" in article.body_markdown


def test_a_bold_line_heading_is_a_top_heading() -> None:
    body = f"<h4>Details</h4><p>{PROSE}</p><p><strong>Background</strong></p><p>{PROSE}</p>"
    article = iom_scrape.parse(page(body))
    assert "<h2>Details</h2>" in article.body_html
    assert "<h2>Background</h2>" in article.body_html


def test_numbered_and_bulleted_lists_stay_apart() -> None:
    body = "<ol><li>Register</li><li>Screen</li></ol><ul><li>Tents</li><li>Water</li></ul>"
    article = iom_scrape.parse(page(body))
    assert "<ol><li>Register</li><li>Screen</li></ol><ul><li>Tents</li><li>Water</li></ul>" in (
        article.body_html
    )
    assert "1. Register\n2. Screen\n\n- Tents\n- Water\n" in article.body_markdown
    assert article.paragraphs[1:] == ["Register", "Screen", "Tents", "Water"]


def test_one_pass_renders_both_bodies_as_each_renderer_does() -> None:
    """``render_bodies`` (the pipeline's) works out a block's tokens and image URL once:
    a heading's link stays plain, a dropped image is gone from both, and the list items
    and quoted paragraphs after plain ones still take the Markdown's joining path."""
    blocks = [
        Block(kind="heading", text="See IOM", links=(("/about", "IOM"),)),
        Block(kind="paragraph", text="See IOM now.", links=(("/about", "IOM"),)),
        Block(kind="image", text="", src="mailto:a@b.org"),
        Block(kind="image", text="", src="/a.jpg", alt="A", caption="Camp"),
        Block(kind="list-item", text="one", ordered=True),
        Block(kind="list-item", text="two", ordered=True),
        Block(kind="paragraph", text="Quoted *a*.", quoted=True),
        Block(kind="paragraph", text="Quoted b.", quoted=True),
        Block(kind="date", text="2 March 2011"),
        Block(kind="paragraph", text="# After."),
    ]
    html, markdown = render_bodies(blocks, base_url="https://www.iom.int/")
    assert (
        html
        == render_body_html(blocks, base_url="https://www.iom.int/")
        == (
            '<h2>See IOM</h2><p>See <a href="https://www.iom.int/about">IOM</a> now.</p>'
            '<p><img src="https://www.iom.int/a.jpg" alt="A"></p><p><em>Camp</em></p>'
            "<ol><li>one</li><li>two</li></ol><blockquote><p>Quoted *a*.</p><p>Quoted b.</p>"
            "</blockquote><p># After.</p>"
        )
    )
    assert (
        markdown
        == render_body_markdown(blocks, base_url="https://www.iom.int/")
        == (
            "## See IOM\n\nSee [IOM](https://www.iom.int/about) now.\n\n"
            "![A](https://www.iom.int/a.jpg)\n\n*Camp*\n\n1. one\n2. two\n\n"
            "> Quoted \\*a\\*.\n>\n> Quoted b.\n\n\\# After.\n"
        )
    )


def test_a_quotation_keeps_its_paragraphs_and_lists_together() -> None:
    body = (
        '<blockquote><p>"We will stay as long as we are needed," says Ana Ruiz, IOM'
        " team leader.</p><ul><li>Shelter</li></ul></blockquote><p>After.</p>"
    )
    article = iom_scrape.parse(page(body))
    assert (
        '<blockquote><p>"We will stay as long as we are needed," says Ana Ruiz, IOM team leader.'
        "</p><ul><li>Shelter</li></ul></blockquote><p>After.</p>"
    ) in article.body_html
    assert '> "We will stay' in article.body_markdown
    assert ">\n> - Shelter\n\nAfter.\n" in article.body_markdown
    assert [quote.speaker for quote in article.quotes] == ["Ana Ruiz"]


def test_inline_emphasis_and_a_bold_link_are_kept() -> None:
    body = (
        '<p>Read the <i>Migration Report</i> and <b><a href="/report">the summary</a></b>'
        " before the <strong>Friday</strong> meeting.</p>"
    )
    article = iom_scrape.parse(page(body))
    assert (
        "<p>Read the <em>Migration Report</em> and <strong>"
        '<a href="https://www.iom.int/report">the summary</a></strong> before the '
        "<strong>Friday</strong> meeting.</p>"
    ) in article.body_html
    assert (
        "Read the *Migration Report* and **[the summary](https://www.iom.int/report)** before"
        " the **Friday** meeting." in article.body_markdown
    )
    assert article.paragraphs[1] == (
        "Read the Migration Report and the summary before the Friday meeting."
    )


def test_emphasis_over_a_whole_paragraph_is_dropped() -> None:
    """An unclosed <b> from broken markup would make the rest of the body bold."""
    body = f"<p><b>{PROSE}</b></p><p><i>{PROSE} Again.</i></p>"
    article = iom_scrape.parse(page(body))
    assert "<strong>" not in article.body_html
    assert "<em>" not in article.body_html


def test_a_span_across_a_link_edge_leaves_plain_text() -> None:
    block = Block(
        kind="paragraph",
        text="See the IOM report now.",
        links=(("/r", "IOM report"),),
        emphasis=(("strong", "the IOM"), ("em", "now")),
    )
    html = render_body_html([block], base_url="https://www.iom.int/")
    assert html == ('<p>See the <a href="https://www.iom.int/r">IOM report</a> <em>now</em>.</p>')
    assert render_body_markdown([block], base_url="https://www.iom.int/") == (
        "See the [IOM report](https://www.iom.int/r) *now*.\n"
    )


def test_markup_in_emphasised_text_is_escaped() -> None:
    block = Block(kind="paragraph", text="a <b>*x*</b> z", emphasis=(("em", "<b>*x*</b>"),))
    assert render_body_html([block], base_url="https://x.org/") == (
        "<p>a <em>&lt;b&gt;*x*&lt;/b&gt;</em> z</p>"
    )
    assert render_body_markdown([block], base_url="https://x.org/") == (
        "a *&lt;b>\\*x\\*&lt;/b>* z\n"
    )


def test_text_dumps_render_as_before() -> None:
    """A dump has no markup: its blocks carry no structure, so nothing new appears."""
    article = iom_scrape.parse_text(f"IOM Registers Families\n\n{PROSE}\n\n- one\n- two\n")
    for tag in ("<ol>", "<blockquote>", "<strong>", "<em>", "<h3>", "<h4>"):
        assert tag not in article.body_html


def test_a_link_whose_text_came_earlier_in_the_paragraph_is_placed_where_it_was() -> None:
    body = '<p>IOM says the appeal is published on the <a href="/appeal.pdf">IOM</a> website.</p>'
    article = iom_scrape.parse(page(body))
    expected = 'published on the <a href="https://www.iom.int/appeal.pdf">IOM</a> website.'
    assert expected in article.body_html
    assert "on the [IOM](https://www.iom.int/appeal.pdf) website." in article.body_markdown
    assert "<p>IOM says" in article.body_html


def test_an_emphasis_whose_text_came_earlier_in_the_paragraph_is_placed_where_it_was() -> None:
    article = iom_scrape.parse(page("<p>IOM says the kits were sent by <b>IOM</b> today.</p>"))
    assert "sent by <strong>IOM</strong> today." in article.body_html
    assert "<p>IOM says" in article.body_html


@pytest.mark.parametrize(
    ("paragraph", "html", "markdown"),
    [
        ("<p>It was a <b>very <i>big</i> deal</b> for them.</p>",
         "It was a <strong>very <em>big</em> deal</strong> for them.",
         "It was a **very *big* deal** for them."),
        ('<p>See <b>the <a href="/r.pdf">report</a> now</b> please.</p>',
         'See <strong>the <a href="https://www.iom.int/r.pdf">report</a> now</strong> please.',
         "See **the [report](https://www.iom.int/r.pdf) now** please."),
        ('<p>Read <a href="/r.pdf">the <b>full</b> report</a> today.</p>',
         'Read <a href="https://www.iom.int/r.pdf">the <strong>full</strong> report</a> today.',
         "Read [the **full** report](https://www.iom.int/r.pdf) today."),
        ('<p>Read <b><i><a href="/r.pdf">the report</a></i></b> today.</p>',
         'Read <strong><em><a href="https://www.iom.int/r.pdf">the report</a></em></strong> today.',
         "Read ***[the report](https://www.iom.int/r.pdf)*** today."),
    ],
)  # fmt: skip
def test_emphasis_nests_with_emphasis_and_links(paragraph: str, html: str, markdown: str) -> None:
    article = iom_scrape.parse(page(paragraph))
    assert f"<p>{html}</p>" in article.body_html
    assert f"\n\n{markdown}" in article.body_markdown
