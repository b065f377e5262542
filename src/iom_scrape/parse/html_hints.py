"""What a page's head and URL say about its body: title, date, language, base URL.

These are fallbacks and context for the extractors (``PageHints``): the title
from ``<title>`` minus the site name, a publication date from meta tags, the
language from ``<html lang>`` or the ``lang/xx`` of a Jahia URL, and where
relative URLs resolve. A numeric date whose day/month order the page cannot
settle becomes a warning, never a silent guess.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin

from iom_scrape.fetch.canonical import site_url
from iom_scrape.parse.blocks import PageHints
from iom_scrape.parse.dates import (
    NUMERIC_DATE,
    FoundDate,
    date_line_dates,
    find_date,
)
from iom_scrape.parse.html_tree import Element, first_child, text_of

# Separators between a headline and the site name in <title>: a spaced `|–—:«»·-`,
# or `::`. Captured, so that a split keeps them (segments at even, separators at odd
# indexes). Each branch starts with one plain `\s` or `:`, so the engine can skip
# to the positions where a separator may start.
TITLE_SEPARATOR = re.compile(r"(\s\s*(?:[|–—:«»·-]\s+|::\s*)|::\s*)")
# What a <title> segment says when it names the site or section, not the article.
SITE_SEGMENT = re.compile(
    r"^(?:iom|oim|un\s+migration|onu\s+migra(?:tion|ci[oó]n)|"
    r"international\s+organi[sz]ation\s+for\s+migration|"
    r"organisation\s+internationale\s+pour\s+les\s+migrations|"
    r"organizaci[oó]n\s+internacional\s+para\s+las\s+migraciones|"
    r"press\s+briefing\s+notes?|press\s+releases?|news(?:desk|\s*room)?|media\s+cent(?:re|er)|"
    r"press\s+room|home|welcome|communiqu[ée]s?(?:\s+de\s+presse)?|notes?\s+d['’]information|"
    r"comunicados?(?:\s+de\s+prensa)?|noticias|nouvelles|actualit[ée]s|reliefweb|"
    r"official\s+statements?|[\s,&/-])+$",
    re.IGNORECASE,
)
# Meta names that state when a page was published (not modified).
PUBLISHED_META = frozenset(
    {
        "article:published_time", "og:published_time", "datepublished", "date", "dc.date",
        "dc.date.issued", "dc.date.created", "dcterms.date", "dcterms.issued",
        "dcterms.created", "pubdate", "publishdate", "publish-date", "publish_date",
        "publication_date", "sailthru.date", "parsely-pub-date", "citation_publication_date",
        "citation_date", "originalpublicationdate",
    }
)  # fmt: skip
# `lang/fr` in a Jahia path, `?lang=fr`, or the new site's `/fr/news/...`.
URL_LANGUAGE = re.compile(
    r"/lang/([a-z]{2})(?:[/?#;]|$)|[?&;]lang=([a-z]{2})\b|^https?://[^/]+/([a-z]{2})/",
    re.IGNORECASE,
)
LANGUAGE_TAG = re.compile(r"^\s*([A-Za-z]{2,3})\b")
# NUMERIC_DATE for a page of ASCII text, where ASCII classes are the Unicode ones
# (``str.isascii`` is a flag test): the scan of the whole page takes 40% less time.
NUMERIC_DATE_ASCII = re.compile(NUMERIC_DATE.pattern, re.ASCII)


class DateEvidence:
    """Whether the page writes numeric dates day first, read (lazily) from dates that show it."""

    __slots__ = ("_day_first", "_decided", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._decided = False
        self._day_first: bool | None = None

    @property
    def day_first(self) -> bool | None:
        """True/False when some date can only be read one way; None when nothing tells."""
        if not self._decided:
            self._day_first = _numeric_order(self._text)
            self._decided = True
        return self._day_first


def read_page_hints(
    root: Element, *, url: str | None, warnings: list[str], evidence: DateEvidence
) -> PageHints:
    """Title, meta date, language and base URL from the head, ``<html>`` and the URL.

    An archived page's URL is read as the URL it replays: its ``lang/xx`` and its site.
    """
    url = site_url(url) if url else None
    head = first_child(root, "head")
    title, base, metas = _read_head(head) if head is not None else (None, None, {})
    hints = PageHints(
        title=title_from_head(text_of(title)) if title is not None else None,
        language=_language_hint(root, metas, url),
        base_url=_base_url(base, url),
    )
    published = _meta_date(metas, warnings, evidence)
    if published is not None:
        hints.published, hints.published_source = published, "meta"
    return hints


def numeric_order(text: str) -> DateEvidence:
    """Decide day/month order from numeric dates that can only be read one way.

    >>> numeric_order("Posted 04/05/2009 ... updated 25/06/2009").day_first
    True
    >>> numeric_order("04/05/2009").day_first is None
    True
    """
    return DateEvidence(text)


def _numeric_order(text: str) -> bool | None:
    day_first = month_first = False
    pattern = NUMERIC_DATE_ASCII if text.isascii() else NUMERIC_DATE
    for match in pattern.finditer(text):
        a, b = int(match["a"]), int(match["b"])
        day_first |= a > 12 >= b
        month_first |= b > 12 >= a
    return day_first if day_first != month_first else None


def resolve_date(text: str, evidence: DateEvidence, warnings: list[str]) -> dt.date | None:
    """A date from ``text``; an undecidable day/month order is a warning and None."""
    return _resolved(text, find_date(text), evidence, warnings)[1]


def read_date_line(
    text: str, evidence: DateEvidence, warnings: list[str]
) -> tuple[FoundDate | None, dt.date | None] | None:
    """None unless ``parse_date_line`` takes ``text`` for a date line; else ``find_date(text)``
    and what :func:`resolve_date` makes of it.

    A caller that needs all three (a date line? is its date ambiguous? which date?) has
    the line's date read once (``date_line_dates``).

    >>> found, date = read_date_line("Posted: 04/05/2009", numeric_order(""), [])
    >>> found.ambiguous, date, read_date_line("On 14 June 2011 the ship left.", numeric_order(""), [])
    (True, None, None)
    """
    dates = date_line_dates(text)
    if dates is None:
        return None
    return _resolved(text, dates[1], evidence, warnings)


def _resolved(
    text: str, found: FoundDate | None, evidence: DateEvidence, warnings: list[str]
) -> tuple[FoundDate | None, dt.date | None]:
    """``found`` (``find_date(text)``) and its date, an ambiguous one read in the page's order."""
    if found is None or not found.ambiguous:
        return found, found.date if found is not None else None
    return found, _resolve_ambiguous(text, found, evidence, warnings)


def _resolve_ambiguous(
    text: str, found: FoundDate, evidence: DateEvidence, warnings: list[str]
) -> dt.date | None:
    """An ambiguous date read in the order the page shows elsewhere; else a warning."""
    order = evidence.day_first
    if order is None:
        warnings.append(
            f"ambiguous date {text[found.start : found.end]!r}: the page does not show "
            "whether day or month comes first; not used as the publication date"
        )
        return None
    resolved = find_date(text, day_first=order)
    return resolved.date if resolved is not None else None


def title_from_head(text: str) -> str | None:
    """``<title>`` text without the site name and section around the headline.

    >>> title_from_head("IOM - Press Briefing Notes - IOM and China Work Together")
    'IOM and China Work Together'
    >>> title_from_head("Zimbabwe - IOM Helps | International Organization for Migration")
    'Zimbabwe - IOM Helps'
    """
    text = " ".join(text.split())
    if not text:
        return None
    parts = TITLE_SEPARATOR.split(text)
    kept = [index for index in range(0, len(parts), 2) if not SITE_SEGMENT.match(parts[index])]
    if not kept:
        return None
    return "".join(parts[kept[0] : kept[-1] + 1]).strip() or None


def _read_head(head: Element) -> tuple[Element | None, Element | None, dict[str, str]]:
    """The first ``<title>`` and ``<base>`` children of ``<head>``, and its meta values.

    One pass over the children; only a child that has children of its own (a
    ``<noscript>``) is searched for nested metas, in document order.
    """
    title = base = None
    values: dict[str, str] = {}
    for child in head:
        tag = child.tag
        if tag == "meta":
            _add_meta_value(child, values)
        elif tag == "title":
            title = title if title is not None else child
        elif tag == "base":
            base = base if base is not None else child
        if len(child):
            for meta in child.iterdescendants("meta"):
                _add_meta_value(meta, values)
    return title, base, values


def _add_meta_value(meta: Element, values: dict[str, str]) -> None:
    """The first ``content`` for each (lower-cased) name, property, itemprop or http-equiv."""
    name = meta.get("name") or meta.get("property") or meta.get("itemprop")
    name = name or meta.get("http-equiv")
    content = meta.get("content")
    if name and content:
        values.setdefault(name.strip().lower(), content.strip())


def _meta_date(
    metas: dict[str, str], warnings: list[str], evidence: DateEvidence
) -> dt.date | None:
    for name, content in metas.items():
        if name in PUBLISHED_META:
            found = resolve_date(content, evidence, warnings)
            if found is not None:
                return found
    return None


def _language_hint(root: Element, metas: dict[str, str], url: str | None) -> str | None:
    for value in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        root.get("xml:lang"),
        metas.get("content-language"),
        metas.get("language"),
        metas.get("dc.language"),
    ):
        match = LANGUAGE_TAG.match(value) if value else None
        if match:
            return match.group(1).lower()
    return language_from_url(url)


def language_from_url(url: str | None) -> str | None:
    """The language a Jahia (``/lang/fr/``) or new-site (``/fr/news/``) URL names.

    >>> language_from_url("http://www.iom.int/jahia/Jahia/pbnAF/cache/offonce/lang/fr?entryId=1")
    'fr'
    """
    match = URL_LANGUAGE.search(url or "")
    if not match:
        return None
    return next(group for group in match.groups() if group).lower()


def _base_url(base: Element | None, url: str | None) -> str | None:
    href = (base.get("href") or "").strip() if base is not None else ""
    if href and not href.lower().startswith(("javascript:", "data:")):
        return urljoin(url, href) if url else href
    return url
