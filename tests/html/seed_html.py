"""Rebuild the seed text dump as the HTML the old Jahia site would have served.

The seed (``shared/seed/iom-china-trafficking.txt``) is real page text and stays out
of ``fixtures/``: the page is built at test time from the file. Paragraphs keep the
dump's hard wraps inside ``<p>`` (Tidy-wrapped stored HTML), the photo is an
``<img>`` whose ``title`` holds the caption (the attribute the dump leaked), and
the contact block uses ``<br>`` and a ``mailto:`` link.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

SEED = Path("/work/shared/seed/iom-china-trafficking.txt")
SEED_CANDIDATES = (
    SEED,
    Path(__file__).resolve().parents[3] / "shared/seed/iom-china-trafficking.txt",
)
# The first words of each body paragraph: where a new <p> starts in the wrapped dump.
PARAGRAPH_STARTS = (
    "IOM and the Chinese Ministry",
    "The training, made possible",
    "Building on a previous",
    "A direct response",
    '"Physical abuse',
    '"This training brings',
    "In recent years",
    '"This training, based',
    "The Ministry of Civil Affairs is",
)
LAST_NAV_LINE = "- 2030 Agenda"
QUOTED_PATH = re.compile(r'^"(/jahia/webdav/[^"]+)">$')


def seed_path() -> Path | None:
    """The seed file, wherever the shared folder sits; None when it is absent."""
    return next((path for path in SEED_CANDIDATES if path.is_file()), None)


def seed_as_jahia_html(seed_text: str) -> str:
    """The seed's article as a Jahia press-release page (table layout, nav, footer)."""
    lines = [line.rstrip() for line in seed_text.splitlines()]
    start = lines.index(LAST_NAV_LINE) + 1
    title, body = lines[start], lines[start + 1 :]
    contact_at = next(i for i, line in enumerate(body) if line.startswith("For more information"))
    paragraphs, caption, src = _paragraphs(body[:contact_at])
    contact = [line for line in body[contact_at:] if line.strip()]
    email = contact[-1].split('">', 1)[-1]
    contact_html = "<br />\n".join(html.escape(line) for line in contact[:-2])
    contact_html += f'<br />\nE-mail: <a href="mailto:{email}">{email}</a>'
    image = (
        f'<a href="{src}" target="_blank"><img border="0" hspace="5" align="right" alt=""\n'
        f'title="{html.escape(caption)}"\nsrc="{src}" /></a>'
    )
    body_html = "\n".join(
        f"<p>{html.escape(text)}</p>" + ("\n" + image if index == 1 else "")
        for index, text in enumerate(paragraphs)
    )
    return JAHIA_PAGE.format(title=html.escape(title), body=body_html, contact=contact_html)


def _paragraphs(lines: list[str]) -> tuple[list[str], str, str]:
    paragraphs: list[list[str]] = []
    caption = src = ""
    for line in lines:
        if line == "src=":
            continue
        path = QUOTED_PATH.match(line)
        if path:
            src = path.group(1)
            continue
        if line.startswith('"') and line.endswith('"') and len(line) > 100:
            caption = line.strip('"')
            continue
        if any(line.startswith(start) for start in PARAGRAPH_STARTS) or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line)
    return ["\n".join(p) for p in paragraphs], caption, src


JAHIA_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>IOM - International Organization for Migration - Press Briefing Notes</title>
<link rel="stylesheet" type="text/css" href="/jahia/templates/iom/css/main.css" />
<script type="text/javascript" src="/jahia/templates/iom/js/menu.js"></script>
</head>
<body>
<!--start bodywrapper-->
<div id="bodywrapper">
<div id="headerPart2"><h1 class="hide">International Organization for Migration</h1>
<div id="logotop"><a href="/jahia/Jahia/lang/en/pid/1"><img alt="IOM"
src="/jahia/webdav/site/myjahiasite/shared/shared/mainsite/graphics/interface/logo_iom.gif" /></a></div>
<ul id="topmenu"><li><a href="/jahia/Jahia/about-iom">About IOM</a></li>
<li><a href="/jahia/Jahia/media">Media Centre</a></li>
<li><a href="/jahia/Jahia/activities">Activities</a></li></ul>
</div>
<table width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td id="leftnav" width="180" valign="top">
<ul><li><a href="/jahia/Jahia/pbnAS">Press Briefing Notes</a></li>
<li><a href="/jahia/Jahia/pbnAF">Africa</a></li><li><a href="/jahia/Jahia/pbnAM">Americas</a></li>
<li><a href="/jahia/Jahia/pbnEU">Europe</a></li>
<li><a href="/jahia/Jahia/featureArticles">Feature Stories</a></li></ul>
</td>
<td id="containerdata" valign="top">
<!--start InsetA-->
<div class="pressRelease">
<h4>{title}</h4>
<span class="pressRealeseDate">15/03/2011</span>
<div class="pressReleaseBody">
{body}
<p>{contact}</p>
</div>
<span class="pressRealeseCategory">Press Briefing Notes</span>
<a class="returnPressList" href="/jahia/Jahia/pbnAS">Back to the list</a>
</div>
<!-- stop InsetA-->
</td></tr></table>
<div id="footer">Copyright &copy; 2011 International Organization for Migration |
<a href="/jahia/Jahia/privacy">Privacy</a></div>
</div>
<!--stop bodywrapper-->
</body>
</html>
"""
