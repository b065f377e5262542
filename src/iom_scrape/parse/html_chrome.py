"""Remove site chrome and editor residue from a parsed page before content is sought.

Jahia pages wrap the article in a table layout with a header, left navigation,
footer and floated boxes ("Related Links", "Make a Donation"); the new site adds
menus; Word pastes add ``<xml>`` blocks, conditional comments and ``<o:p>``
(jahia-notes §2.2, §2.3; what Word leaves in the source is ``html_word``'s). Chrome
is found by tag, by class/id token and by the label of a box, and dropped with its
subtree (keeping the text that follows it).
Elements that hold the article (``protected``) are never dropped.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable, Sequence

from lxml import etree

from iom_scrape.models import PendingRepair, Repair, repairs_from
from iom_scrape.parse.html_tree import Element, drop_tree, source_line, text_of
from iom_scrape.substring import contains

# Never content: code, embedded objects, form controls, menus, editor data islands.
DROP_TAGS = (
    "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
    "select", "button", "input", "textarea", "option", "svg", "canvas", "template", "nav",
    "xml", "link", "map", "area",
)  # fmt: skip
DROP_TAG_SET = frozenset(DROP_TAGS)
# Formatting and wrappers whose content stays: the element goes, its text and children stay.
UNWRAP_TAGS = ("form", "font", "o:p")
# Page-level furniture by HTML5 tag (a <header> holding the headline is kept).
CHROME_TAGS = frozenset({"footer", "aside", "header", "menu"})
# A class or id token of site furniture: menus, navigation, header/footer, boxes,
# sharing tools, Jahia layout parts (logotop, headerPart2, InsetB/C, box2..box4), the
# Wayback Machine's toolbar (wm-ipp-base, wm-ipp) and donation banner (donato).
CHROME_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_])*(?:nav|navi|navigation|navbar|menu|menus|mainmenu|topmenu|leftnav|"
    r"leftmenu|submenu|sidenav|breadcrumbs?|sidebar|footer|header|masthead|banner|copyright|"
    r"social|share|sharing|sharethis|addthis|toolbar|search|searchbox|login|cookies?|"
    r"subscribe|newsletter|related|donate|donation|logotop|headerpart2|insetb|insetc|"
    r"box[234](?:style\d*)?|skip|languages?|language-switcher|tags|pager|pagination|"
    r"comments?|commentlist|respond|widgets?|widget-area|sharedaddy|postmetadata|"
    r"jp-relatedposts|secondary|tools|utility|topbar|bottombar|ipp|donato)"
    r"(?:[-_][a-z0-9]+)*$"
)
# The attributes that can mark an element hidden or as chrome: an element without any
# (and without a chrome tag) is passed over before any value is read.
MARK_ATTRIBUTES = frozenset({"hidden", "class", "style", "id"})
# Chrome by tag or name, unless it holds the h1 (a page header carrying the headline).
HEADLINE_HEADER = "headline-header"
# Hidden by the template: Jahia's `h1.hide` site name, screen-reader-only text.
HIDDEN_TOKEN = frozenset({"hide", "hidden", "visually-hidden", "sr-only", "element-invisible"})
DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Titles of the floated boxes inside Jahia bodies (jahia-notes §3.2.6, §5.1). The space
# is possessive: a title starts with a letter, so giving spaces back never helps.
BOX_LABEL = re.compile(
    r"^\s*+(?:related\s+links?|related\s+documents?|related\s+stories|related\s+news|"
    r"make\s+a\s+donation|donate\s+now!?|photo\s+gallery|situation\s+reports?|"
    r"liens\s+connexes|faire\s+un\s+don|enlaces\s+relacionados|haga\s+una\s+donaci[oó]n|"
    r"follow\s+us)\s*:?\s*$",
    re.IGNORECASE,
)
# Every character re.IGNORECASE lets a BOX_LABEL title start with (the long s folds to
# "s"). Most texts are prose that starts otherwise and skips the regex, whose case
# folding is slow.
BOX_LABEL_INITIALS = frozenset("DEFHLMPRSdefhlmprsſ")
# Lower-case words that must be in the source before the tree is searched for boxes.
BOX_WORDS = (
    b"related link", b"related doc", b"related stor", b"related news", b"make a donation",
    b"donate now", b"photo gallery", b"situation report", b"liens connexes", b"faire un don",
    b"enlaces relacionados", b"haga una donaci", b"follow us",
)  # fmt: skip
# Elements that print a box title ("<h3><span>Related Links</span></h3>", "<b>...</b>").
BOX_LABEL_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "p", "th", "td",
                            "div", "a", "dt", "legend"})  # fmt: skip
BOX_TAGS = frozenset({"div", "table", "aside", "section", "dl", "ul", "td"})
BOX_MAX_CHARS = 1500
# "Last updated" / "Page last modified" footers: a date that is not the publication date.
LAST_UPDATED = re.compile(
    r"^\s*+(?:page\s+)?(?:last\s+(?:updated|modified|revised)|updated\s*:|modified\s*:|"
    r"derni[eè]re\s+mise\s+[àa]\s+jour|mis\s+[àa]\s+jour\s+le|[úu]ltima\s+actualizaci[oó]n|"
    r"actualizado\s*:)",
    re.IGNORECASE,
)
# Every character re.IGNORECASE lets a LAST_UPDATED line start with (as BOX_LABEL_INITIALS).
LAST_UPDATED_INITIALS = frozenset("ADLMPUadlmpuÚú")
LAST_UPDATED_WORDS = (
    b"last updated", b"last modified", b"last revised", b"updated:", b"modified:",
    "mise à jour".encode(), b"mise a jour", "mis à jour".encode(), b"mis a jour", b"actualizaci",
    b"actualizado",
)  # fmt: skip
# Stems the words above contain: a source without any of them has none of the words,
# and five searches of the source are cheaper than eleven.
LAST_UPDATED_STEMS = (b"updated", b"modified", b"revised", b" jour", b"actualiz")
LAST_UPDATED_MAX_CHARS = 160
LAST_UPDATED_TAG_SET = frozenset({"p", "div", "span", "td", "small", "em", "i", "li", "font"})
SNIPPET = 60
SNIPPET_PIECES = 8
UNLIMITED = sys.maxsize


class SourceMentions:
    """What the page source mentions, for the chrome stage: each word list searched once a page.

    ``lowered`` is the page source as lower-cased UTF-8: cheap substring tests decide
    which of the costlier tree searches a page needs at all. A template page is
    cleaned scope by scope (its container, then trailing prose) and the source is the
    same for each, so each answer is kept once it is asked for.
    """

    def __init__(self, lowered: bytes) -> None:
        self.lowered = lowered

    @functools.cached_property
    def box_titles(self) -> bool:
        """A box title (BOX_WORDS) is in the source."""
        return any(contains(self.lowered, word) for word in BOX_WORDS)

    @functools.cached_property
    def last_updated(self) -> bool:
        """A "last updated" phrase (LAST_UPDATED_WORDS) is in the source."""
        return any(contains(self.lowered, stem) for stem in LAST_UPDATED_STEMS) and any(
            contains(self.lowered, word) for word in LAST_UPDATED_WORDS
        )


def remove_chrome(
    root: Element,
    source: SourceMentions,
    protected: Iterable[Element],
    *,
    elements: Sequence[Element] | None = None,
) -> list[Repair]:
    """Drop everything under ``root`` that is not the article, as Repairs.

    ``elements`` are all of ``root``'s elements, when the caller holds them. The tree
    is walked once (after the strips, if they changed it): each later step reads the
    list of elements still in the tree instead of walking it again. The repairs are
    collected as tuples and validated together.
    """
    found: list[PendingRepair] = []
    elements = _strip(root, elements)
    keep = _ancestors_of(protected, root)
    remaining = _drop_marked(elements, root, keep, found)
    labels = _box_labels(remaining)
    marked = len(found)
    if labels and source.box_titles:
        _drop_boxes(labels, root, keep, found)
    _drop_last_updated(remaining, root, keep, source, found, boxed=len(found) > marked)
    return repairs_from(found) if found else []


def _strip(root: Element, elements: Sequence[Element] | None) -> Sequence[Element]:
    """Drop the never-content tags and unwrap the formatting ones; ``root``'s elements after.

    Each strip builds lxml's matcher for its tags, which costs more than its walk of an
    article: when ``root``'s ``elements`` are known, a strip with none of its tags
    among them is skipped, and the elements stay as they were.
    """
    tags = None if elements is None else {element.tag for element in elements}
    stripped = False
    if tags is None or not DROP_TAG_SET.isdisjoint(tags):
        etree.strip_elements(root, *DROP_TAGS, with_tail=False)
        stripped = True
    if tags is None or not tags.isdisjoint(UNWRAP_TAGS):
        etree.strip_tags(root, *UNWRAP_TAGS)
        stripped = True
    if stripped or elements is None:
        return list(root.iter())
    return elements


def _ancestors_of(elements: Iterable[Element], root: Element) -> set[Element]:
    """The elements and their ancestors; a chain stops where an earlier one joined it.

    Every walk up from inside ``root`` stops at the first element kept: once ``root``
    is kept itself (the template's container), what is above it is never asked about.
    """
    keep: set[Element] = set()
    for element in elements:
        keep.add(element)
        if element is root:
            continue
        for ancestor in element.iterancestors():
            if ancestor in keep:
                break
            keep.add(ancestor)
    return keep


def _drop_marked(
    elements: Sequence[Element], root: Element, keep: set[Element], found: list[PendingRepair]
) -> list[Element]:
    """Hidden elements and chrome by class/id token or tag; the elements left after.

    ``elements`` are ``root``'s, in document order. A dropped element's subtree is
    skipped, so nothing inside it is judged again; what is left is what a walk of the
    tree finds after the drops.
    """
    doomed: list[tuple[Element, str]] = []
    remaining: list[Element] = []
    resume: Element | None = None
    for element in elements:
        if resume is not None:
            if element is not resume:
                continue
            resume = None
        tag = element.tag
        names = element.keys()
        if (
            (tag not in CHROME_TAGS and MARK_ATTRIBUTES.isdisjoint(names))
            or element in keep
            or tag in ("html", "body")
            or (kind := _mark_of(element, tag, names)) is None
        ):
            remaining.append(element)
            continue
        doomed.append((element, kind))
        if element is root:  # a scope that is chrome itself goes whole, its subtree as it is
            remaining = list(elements)
            break
        resume = _after_subtree(element, root)
        if resume is None:
            break
    for element, kind in doomed:
        _drop(element, kind, found)
    return remaining


def _after_subtree(element: Element, root: Element) -> Element | None:
    """The node a walk of ``root`` reaches right after ``element``'s subtree, if any."""
    node = element
    while node is not root:
        following = node.getnext()
        if following is not None:
            return following
        parent = node.getparent()
        if parent is None:
            break
        node = parent
    return None


def _mark_of(element: Element, tag: str, attributes: Sequence[str | bytes]) -> str | None:
    """The Repair kind for a hidden or chrome element, None for anything else.

    ``attributes`` (the element's attribute names) spares reading absent values.
    """
    ident = (element.get("id") or "") if "id" in attributes else ""
    classes = (element.get("class") or "") if "class" in attributes else ""
    verdict = _names_mark(tag, ident, classes)
    if (
        verdict == "hidden-element"
        or "hidden" in attributes
        or ("style" in attributes and _styled_hidden(element.get("style") or ""))
    ):
        return "hidden-element"
    if verdict == HEADLINE_HEADER and next(element.iter("h1"), None) is not None:
        return None  # a <header> (or .header) that holds the page's h1 is the article head
    return None if verdict is None else "page-chrome"


@functools.lru_cache(maxsize=4096)
def _names_mark(tag: str, ident: str, classes: str) -> str | None:
    """What a tag, id and class say: hidden, chrome, chrome unless it holds the h1, or nothing.

    Pages repeat the same triples, so each is judged once.
    """
    if HIDDEN_TOKEN.intersection(classes.lower().split()):
        return "hidden-element"
    names = f"{ident} {classes}".lower()
    if tag not in CHROME_TAGS and not any(CHROME_TOKEN.match(name) for name in names.split()):
        return None
    return HEADLINE_HEADER if "header" in tag + names else "page-chrome"


def _styled_hidden(style: str) -> bool:
    return ("none" in style or "hidden" in style) and DISPLAY_NONE.search(style) is not None


def _box_labels(elements: list[Element]) -> list[Element]:
    """The ``elements`` that print a box title."""
    return [
        element
        for element in elements
        if element.tag in BOX_LABEL_TAGS
        and (text := element.text)
        and text.lstrip()[:1] in BOX_LABEL_INITIALS
        and BOX_LABEL.match(text)
        and len(element) <= 1
    ]


def _drop_boxes(
    labels: list[Element], root: Element, keep: set[Element], found: list[PendingRepair]
) -> None:
    for label in labels:
        if label.getparent() is None or _detached(label, root):
            continue
        box = _box_around(label, keep)
        _drop(box, "sidebar-box", found, detail=(label.text or "").strip())


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


def _drop_last_updated(
    elements: list[Element],
    root: Element,
    keep: set[Element],
    source: SourceMentions,
    found: list[PendingRepair],
    *,
    boxed: bool,
) -> None:
    """Drop "last updated" lines; the source is searched for the words at the first one found.

    ``elements`` are ``root``'s before any box was dropped (``boxed``): an element
    listed is attached until something is dropped, so ``_detached`` (a walk up the
    ancestors) is needed only after that.
    """
    dropped = boxed
    for element in elements:
        if element.tag not in LAST_UPDATED_TAG_SET:
            continue
        if element in keep or (dropped and _detached(element, root)):
            continue
        if _initial(element) not in LAST_UPDATED_INITIALS:
            continue
        text = _text_within(element, LAST_UPDATED_MAX_CHARS)
        if text is None or not LAST_UPDATED.match(text):
            continue
        if not source.last_updated:
            return
        _drop(element, "last-updated", found)
        dropped = True


def _initial(element: Element) -> str:
    """The first non-space character of the element's text ("" if none), without building it.

    >>> _initial(etree.fromstring("<p> <b> </b>\\n Last</p>"))
    'L'
    """
    text = element.text
    if text is not None and (stripped := text.lstrip()):
        return stripped[0]
    for child in element:
        if isinstance(child.tag, str) and (initial := _initial(child)):
            return initial
        tail = child.tail
        if tail is not None and (stripped := tail.lstrip()):
            return stripped[0]
    return ""


def _text_within(element: Element, limit: int) -> str | None:
    """``element_text``, or None once it is past ``limit`` characters.

    A candidate line is often a container whose text runs long: it is read only
    until it is past the limit (lxml's XPath string value costs more than a few pieces).

    >>> _text_within(etree.fromstring("<p>a<b>b</b>c</p>"), 3), _text_within(etree.fromstring("<p>ab<b>cd</b></p>"), 3)
    ('abc', None)
    """
    if not len(element):
        text = element.text or ""
        return text if len(text) <= limit else None
    found: list[str] = []
    return "".join(found) if _collect_text(element, found, UNLIMITED, limit) >= 0 else None


def _detached(element: Element, root: Element) -> bool:
    """Dropped earlier with an ancestor (iteration lists were taken before dropping)."""
    return element is not root and all(ancestor is not root for ancestor in element.iterancestors())


def _drop(
    element: Element, kind: str, found: list[PendingRepair], *, detail: str | None = None
) -> None:
    if element.getparent() is None:
        return
    if detail is None:
        names = f"{element.get('id') or ''} {element.get('class') or ''}".strip()
        text = _snippet(element)
        detail = f"<{element.tag}{' ' + names if names else ''}> {text}".strip()
    found.append((kind, detail[:120], source_line(element)))
    drop_tree(element)


def _snippet(element: Element) -> str:
    """The first ``SNIPPET_PIECES`` strings of ``element.itertext()``, joined, their spaces
    collapsed, cut to ``SNIPPET`` characters.

    The strings are read until ``SNIPPET`` characters are in: once what is read
    collapses to ``SNIPPET`` characters, the strings after it cannot change those (a
    collapsed text starts with the collapsed text of any prefix). Text that collapses
    to less, whitespace mostly, is read again up to the piece limit alone.

    >>> _snippet(etree.fromstring("<p>a <b>b</b>\\n c<i>d</i>e</p>"))
    'a b cde'
    >>> len(_snippet(etree.fromstring("<p>" + "ab " * 40 + "</p>")))
    60
    """
    found: list[str] = []
    past_room = _collect_text(element, found, SNIPPET_PIECES, SNIPPET) < 0
    text = " ".join("".join(found).split())
    if past_room and len(text) < SNIPPET and len(found) < SNIPPET_PIECES:
        found.clear()
        _collect_text(element, found, SNIPPET_PIECES, UNLIMITED)
        text = " ".join("".join(found).split())
    return text[:SNIPPET]


def _collect_text(element: Element, found: list[str], pieces: int, room: int) -> int:
    """Text then each child's text and tail, in document order, into ``found`` until it
    holds ``pieces`` strings or more than ``room`` characters.

    The room left is returned: negative once the text is past it. A childless child
    is read here, without a call.
    """
    text = element.text
    if text is not None:
        found.append(text)
        room -= len(text)
        if room < 0 or len(found) == pieces:
            return room
    for child in element:
        if isinstance(child.tag, str):
            if len(child):
                room = _collect_text(child, found, pieces, room)
            elif (text := child.text) is not None:
                found.append(text)
                room -= len(text)
            if room < 0 or len(found) == pieces:
                return room
        tail = child.tail
        if tail is not None:
            found.append(tail)
            room -= len(tail)
            if room < 0 or len(found) == pieces:
                return room
    return room
