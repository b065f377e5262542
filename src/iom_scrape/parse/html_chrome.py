"""Remove site chrome and editor residue from a parsed page before content is sought.

Jahia pages wrap the article in a table layout with a header, left navigation,
footer and floated boxes ("Related Links", "Make a Donation"); the new site adds
menus; Word pastes add ``<xml>`` blocks, conditional comments and ``<o:p>``
(jahia-notes §2.2, §2.3). Chrome is found by tag, by class/id token and by the
label of a box, and dropped with its subtree (keeping the text that follows it).
Elements that hold the article (``protected``) are never dropped.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

from lxml import etree

from iom_scrape.models import Repair
from iom_scrape.parse.html_tree import Element, drop_tree, source_line, text_of

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
# Lower-case words that must be in the source before the tree is searched for boxes.
BOX_WORDS = (
    b"related link", b"related doc", b"related stor", b"related news", b"make a donation",
    b"donate now", b"photo gallery", b"situation report", b"liens connexes", b"faire un don",
    b"enlaces relacionados", b"haga una donaci", b"follow us",
)  # fmt: skip
# Elements that print a box title ("<h3><span>Related Links</span></h3>", "<b>...</b>").
BOX_LABEL_TAGS = ("h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "p", "th", "td", "div",
                  "a", "dt", "legend")  # fmt: skip
BOX_TAGS = frozenset({"div", "table", "aside", "section", "dl", "ul", "td"})
BOX_MAX_CHARS = 1500
# "Last updated" / "Page last modified" footers: a date that is not the publication date.
LAST_UPDATED = re.compile(
    r"^\s*(?:page\s+)?(?:last\s+(?:updated|modified|revised)|updated\s*:|modified\s*:|"
    r"derni[eè]re\s+mise\s+[àa]\s+jour|mis\s+[àa]\s+jour\s+le|[úu]ltima\s+actualizaci[oó]n|"
    r"actualizado\s*:)",
    re.IGNORECASE,
)
LAST_UPDATED_WORDS = (
    b"last updated", b"last modified", b"last revised", b"updated:", b"modified:",
    "mise à jour".encode(), b"mise a jour", b"actualizaci", b"actualizado",
)  # fmt: skip
LAST_UPDATED_MAX_CHARS = 160
# Word paste residue that shows the body came from MS Word (jahia-notes §2.3).
WORD_RESIDUE = re.compile(rb"class=\"?mso|<o:p|mso-|<!--\[if|<!\[if|<xml>")
WORD_MARKERS = (b"mso", b"<o:p", b"<!--[if", b"<![if", b"<xml")
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


def remove_chrome(root: Element, lowered: bytes, protected: Iterable[Element]) -> list[Repair]:
    """Drop everything under ``root`` that is not the article, as Repairs.

    ``lowered`` is the page source as lower-cased UTF-8: cheap substring tests decide
    which of the costlier tree searches a page needs at all.
    """
    repairs: list[Repair] = []
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    etree.strip_tags(root, "form", "font", "o:p")
    keep = _ancestors_of(protected)
    _drop_marked(root, keep, repairs)
    if any(word in lowered for word in BOX_WORDS):
        _drop_boxes(root, keep, repairs)
    if any(word in lowered for word in LAST_UPDATED_WORDS):
        _drop_last_updated(root, keep, repairs)
    return repairs


def _ancestors_of(elements: Iterable[Element]) -> set[Element]:
    keep: set[Element] = set()
    for element in elements:
        keep.add(element)
        keep.update(element.iterancestors())
    return keep


def note_word_residue(lowered: bytes) -> list[Repair]:
    """One Repair naming the MS Word residue in the source (dropped by the parse and walk)."""
    if not any(marker in lowered for marker in WORD_MARKERS):
        return []
    found = sorted({m.group(0).decode() for m in WORD_RESIDUE.finditer(lowered, 0, 200000)})
    if not found:
        return []
    detail = "Word paste residue removed: " + ", ".join(found)
    return [Repair(kind="editor-residue", detail=detail[:200])]


def _drop_marked(root: Element, keep: set[Element], repairs: list[Repair]) -> None:
    """One walk over the page: hidden elements and chrome by class/id token or tag.

    A dropped element's subtree is skipped, so nothing inside it is judged again.
    """
    doomed: list[tuple[Element, str]] = []
    walker = etree.iterwalk(root, events=("start",))
    for _, element in walker:
        if not element.attrib and element.tag not in CHROME_TAGS:
            continue
        if element in keep or element.tag in ("html", "body"):
            continue
        if _is_hidden(element):
            doomed.append((element, "hidden-element"))
        elif (element.tag in CHROME_TAGS or _has_chrome_token(element)) and not (
            _is_headline_header(element)
        ):
            doomed.append((element, "page-chrome"))
        else:
            continue
        walker.skip_subtree()
    for element, kind in doomed:
        _drop(element, kind, repairs)


def _is_hidden(element: Element) -> bool:
    if element.get("hidden") is not None:
        return True
    if HIDDEN_TOKEN.intersection((element.get("class") or "").lower().split()):
        return True
    style = element.get("style") or ""
    return ("none" in style or "hidden" in style) and DISPLAY_NONE.search(style) is not None


def _has_chrome_token(element: Element) -> bool:
    names = f"{element.get('id') or ''} {element.get('class') or ''}"
    return bool(names.strip()) and _names_chrome(names)


@functools.lru_cache(maxsize=4096)
def _names_chrome(names: str) -> bool:
    """Pages repeat the same class/id strings, so each is matched once."""
    return any(CHROME_TOKEN.match(name) for name in names.lower().split())


def _is_headline_header(element: Element) -> bool:
    """A <header> (or .header) that holds the page's h1 is the article head, not chrome."""
    names = f"{element.get('id') or ''} {element.get('class') or ''}".lower()
    return "header" in (element.tag + names) and next(element.iter("h1"), None) is not None


def _drop_boxes(root: Element, keep: set[Element], repairs: list[Repair]) -> None:
    labels = [
        element
        for element in root.iter(*BOX_LABEL_TAGS)
        if element.text and BOX_LABEL.match(element.text) and len(element) <= 1
    ]
    for label in labels:
        if label.getparent() is None or _detached(label, root):
            continue
        box = _box_around(label, keep)
        _drop(box, "sidebar-box", repairs, detail=(label.text or "").strip())


def _box_around(label: Element, keep: set[Element]) -> Element:
    """The floated box around a box title, else the nearest small element with attributes."""
    nearest: Element | None = None
    for ancestor in label.iterancestors():
        if ancestor in keep or ancestor.tag in ("body", "html"):
            break
        if len(text_of(ancestor)) > BOX_MAX_CHARS:
            break
        if _is_floated_box(ancestor):
            return ancestor
        if nearest is None and ancestor.tag in BOX_TAGS and ancestor.attrib:
            nearest = ancestor
    return nearest if nearest is not None else label


def _is_floated_box(element: Element) -> bool:
    """Jahia boxes float right (``align``, ``FLOAT: right``) or carry a box class."""
    if (element.get("align") or "").lower() in ("right", "left"):
        return True
    if "float" in (element.get("style") or "").lower():
        return True
    return "box" in (element.get("class") or "").lower()


def _drop_last_updated(root: Element, keep: set[Element], repairs: list[Repair]) -> None:
    for element in root.iter("p", "div", "span", "td", "small", "em", "i", "li", "font"):
        if element in keep or _detached(element, root):
            continue
        text = text_of(element)
        if len(text) <= LAST_UPDATED_MAX_CHARS and LAST_UPDATED.match(text):
            _drop(element, "last-updated", repairs)


def _detached(element: Element, root: Element) -> bool:
    """Dropped earlier with an ancestor (iteration lists were taken before dropping)."""
    return element is not root and all(ancestor is not root for ancestor in element.iterancestors())


def _drop(element: Element, kind: str, repairs: list[Repair], *, detail: str | None = None) -> None:
    if element.getparent() is None:
        return
    if detail is None:
        names = f"{element.get('id') or ''} {element.get('class') or ''}".strip()
        text = " ".join("".join(map(str, itertools.islice(element.itertext(), 8))).split())[
            :SNIPPET
        ]
        detail = f"<{element.tag}{' ' + names if names else ''}> {text}".strip()
    repairs.append(Repair(kind=kind, detail=detail[:120], line=source_line(element)))
    drop_tree(element)
