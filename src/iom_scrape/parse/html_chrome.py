"""Remove site chrome and editor residue from a parsed page before content is sought.

Jahia pages wrap the article in a table layout with a header, left navigation,
footer and floated boxes ("Related Links", "Make a Donation"); the new site adds
menus; Word pastes add ``<xml>`` blocks, conditional comments and ``<o:p>``
(jahia-notes §2.2, §2.3). Chrome is found by tag, by class/id token and by the
label of a box, and dropped with its subtree (keeping the text that follows it).
Elements that hold the article (``protected``) are never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

from iom_scrape.models import Repair

# Never content: code, embedded objects, form controls, menus, editor data islands.
DROP_TAGS = (
    "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
    "select", "button", "input", "textarea", "option", "svg", "canvas", "template", "nav",
    "xml", "link", "map", "area",
)  # fmt: skip
# Page-level furniture by HTML5 tag (a <header> holding the headline is kept).
CHROME_TAGS = frozenset({"footer", "aside", "header", "menu"})
# A class or id token of site furniture: menus, navigation, header/footer, boxes,
# sharing tools, Jahia layout parts (logotop, headerPart2, InsetB/C, box2..box4).
CHROME_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_])*(?:nav|navi|navigation|navbar|menu|menus|mainmenu|topmenu|leftnav|"
    r"leftmenu|submenu|sidenav|breadcrumbs?|sidebar|footer|header|masthead|banner|copyright|"
    r"social|share|sharing|sharethis|addthis|toolbar|search|searchbox|login|cookies?|"
    r"subscribe|newsletter|related|donate|donation|logotop|headerpart2|insetb|insetc|"
    r"box[234](?:style\d*)?|skip|languages?|language-switcher|tags|pager|pagination|"
    r"comments?|commentlist|respond|widgets?|widget-area|sharedaddy|postmetadata|"
    r"jp-relatedposts|secondary|tools|utility|topbar|bottombar)"
    r"(?:[-_][a-z0-9]+)*$"
)
# Hidden by the template: Jahia's `h1.hide` site name, screen-reader-only text.
HIDDEN_TOKEN = frozenset({"hide", "hidden", "visually-hidden", "sr-only", "element-invisible"})
DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Titles of the floated boxes inside Jahia bodies (jahia-notes §3.2.6, §5.1).
BOX_LABEL = re.compile(
    r"^\s*(?:related\s+links?|related\s+documents?|related\s+stories|related\s+news|"
    r"make\s+a\s+donation|donate\s+now!?|photo\s+gallery|situation\s+reports?|"
    r"liens\s+connexes|faire\s+un\s+don|enlaces\s+relacionados|haga\s+una\s+donaci[oó]n|"
    r"follow\s+us)\s*:?\s*$",
    re.IGNORECASE,
)
BOX_LABEL_IN_SOURCE = re.compile(
    r">\s*(?:related\s+(?:links?|documents?|stories|news)|make\s+a\s+donation|donate\s+now|"
    r"photo\s+gallery|situation\s+reports?|liens\s+connexes|faire\s+un\s+don|"
    r"enlaces\s+relacionados|haga\s+una\s+donaci|follow\s+us)",
    re.IGNORECASE,
)
# Elements that can be chrome by their attributes or HTML5 tag.
MARKED_ELEMENTS = "//*[@id or @class or @style or @hidden]|//footer|//aside|//header|//menu"
BOX_TAGS = frozenset({"div", "table", "aside", "section", "dl", "ul", "td"})
BOX_MAX_CHARS = 1500
# "Last updated" / "Page last modified" footers: a date that is not the publication date.
LAST_UPDATED = re.compile(
    r"^\s*(?:page\s+)?(?:last\s+(?:updated|modified|revised)|updated\s*:|modified\s*:|"
    r"derni[eè]re\s+mise\s+[àa]\s+jour|mis\s+[àa]\s+jour\s+le|[úu]ltima\s+actualizaci[oó]n|"
    r"actualizado\s*:)",
    re.IGNORECASE,
)
LAST_UPDATED_IN_SOURCE = re.compile(
    r"last\s+(?:updated|modified|revised)|updated\s*:|mise\s+[àa]\s+jour|actualizaci|actualizado",
    re.IGNORECASE,
)
LAST_UPDATED_MAX_CHARS = 160
# Word paste residue that shows the body came from MS Word (jahia-notes §2.3).
WORD_RESIDUE = re.compile(r"class=\"?Mso|<o:p|mso-|<!--\[if|<!\[if|<xml>", re.IGNORECASE)
# Word's downlevel-revealed fallbacks: the bullet glyph of a list paragraph and the
# <br> of a line break, both drawn again by the markup around them.
WORD_FALLBACK = re.compile(
    r"<!\[if\s+!support(?:Lists|LineBreakNewLine)\]>.{0,600}?<!\[endif\]>",
    re.IGNORECASE | re.DOTALL,
)
SNIPPET = 60


def strip_word_fallbacks(source: str) -> str:
    """Remove Word's list bullets and break fallbacks before parsing.

    >>> strip_word_fallbacks('<p><![if !supportLists]><span>·</span><![endif]>Item</p>')
    '<p>Item</p>'
    """
    return WORD_FALLBACK.sub("", source) if "<![if" in source else source


def remove_chrome(
    root: HtmlElement, source: str, protected: Iterable[HtmlElement]
) -> list[Repair]:
    """Drop everything that is not the article; return what was dropped as Repairs."""
    repairs: list[Repair] = []
    _note_word_residue(source, repairs)
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    etree.strip_tags(root, "form", "font", "o:p")
    keep = _ancestors_of(protected)
    _drop_marked(root, keep, repairs)
    if BOX_LABEL_IN_SOURCE.search(source):
        _drop_boxes(root, keep, repairs)
    if LAST_UPDATED_IN_SOURCE.search(source):
        _drop_last_updated(root, keep, repairs)
    return repairs


def _ancestors_of(elements: Iterable[HtmlElement]) -> set[HtmlElement]:
    keep: set[HtmlElement] = set()
    for element in elements:
        keep.add(element)
        keep.update(element.iterancestors())
    return keep


def _note_word_residue(source: str, repairs: list[Repair]) -> None:
    found = sorted({m.group(0).lower() for m in WORD_RESIDUE.finditer(source, 0, 200000)})
    if found:
        detail = "Word paste residue removed: " + ", ".join(found)
        repairs.append(Repair(kind="editor-residue", detail=detail[:200]))


def _drop_marked(root: HtmlElement, keep: set[HtmlElement], repairs: list[Repair]) -> None:
    """One pass over elements with attributes: hidden ones and chrome by class/id token."""
    dropped: set[HtmlElement] = set()
    for element in root.xpath(MARKED_ELEMENTS):
        if element in keep or element.tag in ("html", "body") or _inside(element, dropped):
            continue
        if _is_hidden(element):
            _drop(element, "hidden-element", repairs)
            dropped.add(element)
        elif (element.tag in CHROME_TAGS or _has_chrome_token(element)) and not (
            _is_headline_header(element)
        ):
            _drop(element, "page-chrome", repairs)
            dropped.add(element)


def _inside(element: HtmlElement, dropped: set[HtmlElement]) -> bool:
    return bool(dropped) and any(ancestor in dropped for ancestor in element.iterancestors())


def _is_hidden(element: HtmlElement) -> bool:
    if element.get("hidden") is not None:
        return True
    if HIDDEN_TOKEN.intersection((element.get("class") or "").lower().split()):
        return True
    style = element.get("style")
    return bool(style) and ("none" in style or "hidden" in style) and bool(
        DISPLAY_NONE.search(style)
    )


def _has_chrome_token(element: HtmlElement) -> bool:
    names = f"{element.get('id') or ''} {element.get('class') or ''}".lower().split()
    return any(CHROME_TOKEN.match(name) for name in names)


def _is_headline_header(element: HtmlElement) -> bool:
    """A <header> (or .header) that holds the page's h1 is the article head, not chrome."""
    names = f"{element.get('id') or ''} {element.get('class') or ''}".lower()
    return "header" in (element.tag + names) and element.find(".//h1") is not None


def _drop_boxes(root: HtmlElement, keep: set[HtmlElement], repairs: list[Repair]) -> None:
    labels = [
        element
        for element in root.iter("h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "p", "th",
                                 "td", "div", "a", "dt", "legend")  # fmt: skip
        if element.text and BOX_LABEL.match(element.text) and len(element) <= 1
    ]
    for label in labels:
        if label.getparent() is None or _detached(label, root):
            continue
        box = _box_around(label, keep)
        _drop(box, "sidebar-box", repairs, detail=(label.text or "").strip())


def _box_around(label: HtmlElement, keep: set[HtmlElement]) -> HtmlElement:
    """The floated box around a box title, else the nearest small element with attributes."""
    nearest: HtmlElement | None = None
    for ancestor in label.iterancestors():
        if ancestor in keep or ancestor.tag in ("body", "html"):
            break
        if len(ancestor.text_content()) > BOX_MAX_CHARS:
            break
        if _is_floated_box(ancestor):
            return ancestor
        if nearest is None and ancestor.tag in BOX_TAGS and ancestor.attrib:
            nearest = ancestor
    return nearest if nearest is not None else label


def _is_floated_box(element: HtmlElement) -> bool:
    """Jahia boxes float right (``align``, ``FLOAT: right``) or carry a box class."""
    if (element.get("align") or "").lower() in ("right", "left"):
        return True
    if "float" in (element.get("style") or "").lower():
        return True
    return "box" in (element.get("class") or "").lower()


def _drop_last_updated(root: HtmlElement, keep: set[HtmlElement], repairs: list[Repair]) -> None:
    for element in root.iter("p", "div", "span", "td", "small", "em", "i", "li", "font"):
        if element in keep or _detached(element, root):
            continue
        text = element.text_content()
        if len(text) <= LAST_UPDATED_MAX_CHARS and LAST_UPDATED.match(text):
            _drop(element, "last-updated", repairs)


def _detached(element: HtmlElement, root: HtmlElement) -> bool:
    """Dropped earlier with an ancestor (iteration lists were taken before dropping)."""
    top = element
    for top in element.iterancestors():
        pass
    return top is not root and element is not root


def _drop(
    element: HtmlElement, kind: str, repairs: list[Repair], *, detail: str | None = None
) -> None:
    if element.getparent() is None:
        return
    if detail is None:
        names = f"{element.get('id') or ''} {element.get('class') or ''}".strip()
        text = " ".join(element.text_content().split())[:SNIPPET]
        detail = f"<{element.tag}{' ' + names if names else ''}> {text}".strip()
    repairs.append(Repair(kind=kind, detail=detail[:120], line=element.sourceline))
    element.drop_tree()
