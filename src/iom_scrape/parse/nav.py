"""Strip the new site's navigation menus and section headers from a text dump.

The menus changed over time and differ by language and subdomain, so they are
matched label by label (jahia-notes §4.1), not as one fixed block: a header
line is navigation when it is a known label, a label printed twice, a ``-``
line, a short ``- item`` line, an upper-case label glued to its blurb, or a
"presence since" sentence. The article starts after the last such line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from iom_scrape.repair.leaks import SourceLine

NAV_LABELS = frozenset(
    {
        # A / D: English global and country subdomains
        "who we are",
        "our work",
        "what we do",
        "partnerships",
        "highlights",
        "where we work",
        "take action",
        "work with us",
        "get involved",
        "data and research",
        "data and resources",
        "2030 agenda",
        "about",
        "iom global",
        "cross-cutting (global)",
        "about iom",
        "news",
        "global",
        "local",
        "official statements",
        "press room",
        "media centre",
        "home",
        # B: French
        "qui sommes nous",
        "qui sommes-nous",
        "structure",
        "structure organisationnelle",
        "directrice generale",
        "directeur general",
        "bureau du chef de cabinet",
        "notre travail",
        "ce que nous faisons",
        "partenariats",
        "points forts",
        "ou travaillons-nous",
        "ou travaillons nous",
        "agir",
        "travailler avec nous",
        "engagez-vous",
        "donnees et recherche",
        "communique",
        "actualites",
        # C / E: Spanish
        "quienes somos",
        "sobre nosotros",
        "nuestro trabajo",
        "que hacemos",
        "partenariados",
        "alianzas",
        "donde operamos",
        "actua",
        "trabaje con nosotros",
        "participe",
        "datos e investigacion",
        "datos y recursos",
        "oim global",
        "comunicado",
        "noticias",
    }
)

# `WHO WE AREThe International ...`: an upper-case or title label glued to its blurb.
GLUED_BLURB = re.compile(
    r"^(?:WHO WE ARE|Who [Ww]e [Aa]re|Our Work|OUR WORK|Qui sommes[ -]nous|QUI SOMMES[ -]NOUS|"
    r"Notre travail|NOTRE TRAVAIL|Qui[ée]nes [Ss]omos|QUI[ÉE]NES SOMOS|Nuestro [Tt]rabajo|"
    r"NUESTRO TRABAJO)(?=[A-ZÀ-Ý«\"“])"
)
GLUED_BLURB_INITIALS = frozenset("WOQN")
# Country pages add "IOM has had a presence in <Country> since <year>."
PRESENCE_SENTENCE = re.compile(
    r"^(?:IOM|OIM)\b.{0,80}\b(?:presence|présence|presencia)\b.{0,60}\b(?:since|depuis|desde)\b",
    re.IGNORECASE,
)
# A menu label: a short capitalised phrase (what a label printed twice looks like).
LABEL_SHAPE = re.compile(r"^[A-ZÀ-Ý0-9][\w ’'()&,-]{0,59}$")
DASH_MARKS = frozenset("-–•")
DASH_ONLY = re.compile(r"^[-–•]\s*$")
DASH_ITEM = re.compile(r"^[-–•]\s+\S")
# Labels that close the menu: the article title follows them.
MENU_END_LABELS = frozenset(
    {"2030 agenda", "data and resources", "take action", "datos y recursos"}
)
# Lines syndicated copies and newsletters put around the title (jahia-notes §3.1, §4.1 G):
# ReliefWeb / digest "IOM Press Briefing Notes ...", APO datelines, digest table rows,
# newsdesk banners, and caption credits that slid above the title.
PAGE_HEADER = re.compile(
    r"^(?:IOM\s+Press\s+Briefing\s+Notes?\b.*"
    r"|.*/\s*African Press Organi[sz]ation\s*\(APO\)\s*/.*"
    r"|\|.*\|"
    r"|main banner|unable to see images\?.*|comments/questions:.*|read (?:more|on)"
    r"|(?:©|\(c\))\s*(?:IOM|OIM)\b[^.]{0,60}"
    r"|(?:file\s+)?photo:\s*(?:IOM|OIM)\b[^.]{0,60}"
    r"|(?:language|categorie|categories|press release type)\s*:?\s*\w+"
    r")$",
    re.IGNORECASE,
)
HEADER_WINDOW = 120
DASH_ITEM_MAX = 80
LOOKAHEAD = 3


@dataclass(slots=True)
class NavSplit:
    """The header lines judged navigation, and the index where the article begins."""

    nav: list[SourceLine]
    body_start: int


def fold_label(text: str) -> str:
    """Lower-case, accent-free, dash-free form of a menu label.

    >>> fold_label("- Où travaillons-nous")
    'ou travaillons-nous'
    """
    text = text.strip().lstrip("-–• ").strip()
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def split_navigation(lines: list[SourceLine]) -> NavSplit:
    """Find where the menu block at the top of a dump ends."""
    last_nav = -1
    previous = ""
    index = 0
    limit = min(len(lines), HEADER_WINDOW)
    while index < limit:
        text = lines[index].text.strip()
        if not text or _is_nav_line(text, previous):
            if text:
                last_nav = index
            previous = text or previous
            index += 1
            continue
        ahead = _next_nav_within(lines, index, limit)
        if ahead is None or _title_follows_menu_end(lines, last_nav):
            break
        last_nav = ahead
        previous = lines[ahead].text.strip()
        index = ahead + 1
    return NavSplit(
        nav=[ln for ln in lines[: last_nav + 1] if ln.text.strip()], body_start=last_nav + 1
    )


def is_page_header_line(text: str) -> bool:
    """A syndication header, newsletter banner or stray credit near the title.

    >>> is_page_header_line("GENEVA, Switzerland, March 4, 2011/African Press Organization (APO)/")
    True
    >>> is_page_header_line("IOM Helps Returnees Restart Farming")
    False
    """
    return PAGE_HEADER.match(text.strip()) is not None


def _is_nav_line(text: str, previous: str) -> bool:
    """Each pattern runs only on lines whose first characters it could match."""
    first = text[:1]
    if first in DASH_MARKS and (
        DASH_ONLY.match(text) or (DASH_ITEM.match(text) and len(text) <= DASH_ITEM_MAX)
    ):
        return True
    if fold_label(text) in NAV_LABELS:
        return True
    if first in GLUED_BLURB_INITIALS and GLUED_BLURB.match(text):
        return True
    if text[:3].upper() in ("IOM", "OIM") and PRESENCE_SENTENCE.match(text):
        return True
    return bool(previous) and text == previous and LABEL_SHAPE.match(text) is not None


def _next_nav_within(lines: list[SourceLine], index: int, limit: int) -> int | None:
    """A non-nav line between nav lines is part of the menu (an unknown new label)."""
    previous = lines[index].text.strip()
    for ahead in range(index + 1, min(index + 1 + LOOKAHEAD, limit)):
        text = lines[ahead].text.strip()
        if text and _is_nav_line(text, previous) and not DASH_ONLY.match(text):
            return ahead if len(lines[index].text.strip()) <= DASH_ITEM_MAX else None
        previous = text or previous
    return None


def _title_follows_menu_end(lines: list[SourceLine], last_nav: int) -> bool:
    """After `- 2030 Agenda` the next line is the title, whatever follows it."""
    return last_nav >= 0 and fold_label(lines[last_nav].text) in MENU_END_LABELS
