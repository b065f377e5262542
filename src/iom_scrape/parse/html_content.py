"""Find the article inside a page: known templates first, then text density.

Jahia's press-release container (an ``h4`` title, ``span.pressRealeseDate``, a
body ``div``; jahia-notes §2.2) and the new Drupal site's ``field--name-body``
are recognised directly. Any other layout (syndicated copies, country sites)
goes to a detector in the spirit of readability: paragraph-like elements score
by length and commas, the score flows to their parent and grandparent, and the
best container wins after a penalty for link density (menus are all links).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from iom_scrape.models import Repair
from iom_scrape.parse.html_tree import Element, source_line, text_of

# Class names of Jahia's press-release template (the date class is misspelt in it).
# Matched anywhere in the class attribute, as substrings, with one search each.
JAHIA_DATE_CLASS = re.compile("pressRealeseDate|pressReleaseDate")
JAHIA_EXTRA_CLASS = re.compile("pressRealeseCategory|pressReleaseCategory|returnPressList|download")
JAHIA_EXTRA_TAGS = frozenset({"div", "span", "a", "p"})
# The date class in the lower-cased page source, both spellings in one scan: the engine
# runs to the literal prefix they share and reads the rest only there.
JAHIA_DATE_SOURCE = re.compile(rb"pressre(?:alese|lease)date")
# The new site's article body (Drupal 8+ and Drupal 7 class names) and its headline.
DRUPAL_BODY_CLASSES = frozenset({"field--name-body", "field-name-body"})
DRUPAL_BODY_SOURCE = re.compile(rb"field--?name-body")  # both, as JAHIA_DATE_SOURCE
DRUPAL_TITLE_CLASSES = ("page-title", "title")
# Class names other CMSes give the article body (syndicated copies).
SEMANTIC_BODY_CLASS = re.compile("entry-content|post-content|article-body|story-body")
PARAGRAPH_LIKE = ("p", "pre", "td", "blockquote", "div", "li", "dd")
BLOCK_CHILDREN = frozenset(
    {"p", "div", "table", "ul", "ol", "dl", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5",
     "h6", "section", "article", "form", "hr", "center"}
)  # fmt: skip
TRAILING_TAGS = frozenset({"p", "div", "ul", "ol", "blockquote", "h2", "h3", "h5"})
TRAILING_MAX_LINK_DENSITY = 0.5
MIN_PARAGRAPH_CHARS = 25
TOP_CANDIDATES = 5
SEMANTIC_BONUS = 1.5
WORD = re.compile(r"\w+")
TITLE_MATCH = 0.5
HEADLINE_TAGS = ("h1", "h2", "h3", "h4")
# How far before the content a headline of an unknown template may sit (h4, date span, body).
OPENING_SIBLINGS = 3


@dataclass(slots=True)
class ContentChoice:
    """The element holding the article body and what to leave out of it."""

    container: Element
    template: str
    """jahia-press-release, drupal-body, semantic, density or whole-page."""
    title: Element | None = None
    date: Element | None = None
    exclude: set[Element] = field(default_factory=set)
    repairs: list[Repair] = field(default_factory=list)
    trailing: list[Element] = field(default_factory=list)
    """Siblings after the container that still belong to the article (stray end tags)."""
    held: list[Element] = field(init=False, repr=False, compare=False)
    """The container's elements, held while the choice lives: lxml makes a Python object
    for each element a walk reaches and frees it when the walk moves on, so each later
    walk (chrome, blocks) would make them all again. The chrome stage reads their tags."""

    def __post_init__(self) -> None:
        self.held = list(self.container.iter())


def element_text(element: Element) -> str:
    """``text_of``, read directly from an element without children (most paragraphs).

    >>> from lxml import etree
    >>> element_text(etree.fromstring("<p>plain</p>")), element_text(etree.fromstring("<p>a<b>b</b></p>"))
    ('plain', 'ab')
    """
    if len(element):
        return text_of(element)
    return element.text or ""


def _jahia_date_span(root: Element) -> Element | None:
    """The first span with the template's date class (the page has one)."""
    for span in root.iter("span"):
        classes = span.get("class")
        if classes and JAHIA_DATE_CLASS.search(classes):
            return span
    return None


def _first_drupal_body(root: Element) -> Element | None:
    """The first div, section or article with a body class: the walk stops there, and
    only a class attribute that holds "name-body" is split into its classes."""
    for element in root.iter("div", "section", "article"):
        classes = element.get("class")
        if classes and "name-body" in classes and DRUPAL_BODY_CLASSES.intersection(classes.split()):
            return element
    return None


def _has_class(element: Element, names: tuple[str, ...]) -> bool:
    classes = element.get("class") or ""
    return bool(classes) and any(name in classes for name in names)


def template_content(root: Element, lowered: bytes) -> ContentChoice | None:
    """The article container of a known template (Jahia press release, new-site body).

    ``lowered`` (the page source as lower-cased UTF-8) spares the tree search elsewhere.
    """
    if _is_jahia_press_release(lowered):
        choice = _jahia_press_release(root)
        if choice is not None:
            return choice
    return _drupal_body(root) if _is_drupal_body(lowered) else None


def density_content(root: Element) -> ContentChoice:
    """The container with the most prose and fewest links, for pages of unknown layout."""
    return _by_density(root)


def finish_content(choice: ContentChoice, root: Element, title_hint: str | None) -> None:
    """Settle the headline element (closing it if it ran over the body) and leave it out."""
    if choice.title is None:
        choice.title = _headline(root, choice.container, title_hint)
    if choice.title is None:
        return
    if close_runaway_heading(choice.title, stop=choice.exclude):
        choice.repairs.append(
            Repair(
                kind="unclosed-tag",
                detail=f"<{choice.title.tag}> closed before the body",
                line=source_line(choice.title),
            )
        )
    choice.exclude.add(choice.title)


def close_runaway_heading(heading: Element, *, stop: set[Element]) -> bool:
    """An unclosed ``<h4>`` swallows the body: move what follows its text out after it.

    Everything from the first block-level child (or an element of ``stop``, such as
    the date span) on becomes the heading's following siblings, in order.
    """
    if not len(heading):  # the usual heading: text only
        return False
    children = list(heading)
    cut = next(
        (
            index
            for index, child in enumerate(children)
            if isinstance(child.tag, str) and (child.tag in BLOCK_CHILDREN or child in stop)
        ),
        None,
    )
    if cut is None:
        return False
    anchor = heading
    for child in children[cut:]:
        anchor.addnext(child)
        anchor = child
    return True


def _is_jahia_press_release(lowered: bytes) -> bool:
    return JAHIA_DATE_SOURCE.search(lowered) is not None


def _is_drupal_body(lowered: bytes) -> bool:
    return DRUPAL_BODY_SOURCE.search(lowered) is not None


def _jahia_press_release(root: Element) -> ContentChoice | None:
    date = _jahia_date_span(root)
    if date is None:
        return None
    for ancestor in date.iterancestors():
        heading = next(ancestor.iterdescendants("h4"), None)
        if heading is None:
            heading = next(ancestor.iterdescendants("h1", "h2", "h3"), None)
        if heading is not None:
            choice = ContentChoice(ancestor, "jahia-press-release", heading, date)
            extras = _jahia_extras(choice.held)
            choice.exclude = {date, *extras}
            if not extras:  # the template's end markers are missing: closed too early?
                choice.trailing = _trailing_prose(ancestor)
            return choice
    return None


def _jahia_extras(elements: list[Element]) -> set[Element]:
    """The template's category line, "back to list" link and downloads, left out of the body.

    ``elements`` are the container's (``ContentChoice.held``): no second walk of it.
    """
    return {
        element
        for element in elements
        if element.tag in JAHIA_EXTRA_TAGS
        and (classes := element.get("class"))
        and _is_extra_class(classes)
    }


@functools.lru_cache(maxsize=1024)
def _is_extra_class(classes: str) -> bool:
    """A class attribute of the template's extras; Word's bodies repeat theirs on every paragraph."""
    return JAHIA_EXTRA_CLASS.search(classes) is not None


def _trailing_prose(container: Element) -> list[Element]:
    """Prose siblings after a container that stray end tags closed before the body ended."""
    trailing: list[Element] = []
    for sibling in container.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag not in TRAILING_TAGS:
            break
        if _link_density(sibling) > TRAILING_MAX_LINK_DENSITY:
            break
        trailing.append(sibling)
    return trailing


def _drupal_body(root: Element) -> ContentChoice | None:
    body = _first_drupal_body(root)
    if body is None:
        return None
    title = next((h1 for h1 in root.iter("h1") if _has_class(h1, DRUPAL_TITLE_CLASSES)), None)
    return ContentChoice(body, "drupal-body", title)


def _by_density(root: Element) -> ContentChoice:
    scores = _paragraph_scores(root)
    if not scores:
        body = root.find("body")
        return ContentChoice(body if body is not None else root, "whole-page")
    for element in scores:  # every scored element is in the page: the tree needs no walk
        if _is_semantic_body(element):
            scores[element] *= SEMANTIC_BONUS
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:TOP_CANDIDATES]
    return ContentChoice(_least_linked(ranked), "density")


def _least_linked(ranked: list[tuple[Element, float]]) -> Element:
    """The first candidate with the best score after the link-density penalty.

    ``ranked`` comes best score first and the penalty only lowers a score: once the
    best so far reaches the next score, no candidate after it is measured.
    """
    linked: dict[Element, int] = {}  # the candidates nest: each link's text is measured once
    best, best_value = ranked[0][0], -1.0
    for element, score in ranked:
        if score <= best_value:
            break
        value = score * (1.0 - _link_density(element, linked))
        if value > best_value:
            best, best_value = element, value
    return best


def _is_semantic_body(element: Element) -> bool:
    classes = element.get("class")
    if classes and SEMANTIC_BODY_CLASS.search(classes):
        return True
    return element.get("itemprop") == "articleBody"


def _paragraph_scores(root: Element) -> dict[Element, float]:
    """Readability's scoring: each paragraph gives its score to parent and grandparent."""
    scores: dict[Element, float] = {}
    for element in root.iter(*PARAGRAPH_LIKE):
        tag = element.tag
        text = _own_text(element, tag)
        if len(text) < MIN_PARAGRAPH_CHARS:
            continue
        score = 1.0 + text.count(",") + min(len(text) / 100.0, 3.0)
        if tag in ("td", "div"):
            scores[element] = scores.get(element, 0.0) + score
        parent = element.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0.0) + score
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0.0) + score / 2.0
    return scores


def _own_text(element: Element, tag: str) -> str:
    """Text of an element without its block-level children (a td's or div's own prose)."""
    if tag in ("p", "pre", "li", "dd", "blockquote"):
        return element_text(element)
    parts = [element.text or ""]
    for child in element:
        child_tag = child.tag
        if isinstance(child_tag, str) and child_tag not in BLOCK_CHILDREN:
            parts.append(element_text(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _link_density(element: Element, linked: dict[Element, int] | None = None) -> float:
    """The share of the element's text inside links; ``linked`` keeps each link's length."""
    total = len(element_text(element))
    if not total:
        return 1.0
    if linked is None:
        linked = {}
    length = 0
    for anchor in element.iter("a"):
        size = linked.get(anchor)
        if size is None:
            size = linked[anchor] = len(element_text(anchor))
        length += size
    return min(length / total, 1.0)


def _headline(root: Element, container: Element, title_hint: str | None) -> Element | None:
    """The heading that names the article.

    The one matching <title>, else an h1/h2 in the content, else the first h1, else a
    heading of any level that opens the content (the h4 of an unknown template).
    """
    headings = [h for h in root.iter(*HEADLINE_TAGS) if element_text(h).strip()]
    if not headings:
        return None
    if title_hint:
        wanted = set(WORD.findall(title_hint.lower()))
        overlaps = [_overlap(wanted, element_text(h)) for h in headings]
        best = max(range(len(headings)), key=overlaps.__getitem__)
        if overlaps[best] >= TITLE_MATCH:
            return headings[best]
    inside = [h for h in headings if h.tag in ("h1", "h2") and _within(h, container)]
    if inside:
        return inside[0]
    first_h1 = next((h for h in headings if h.tag == "h1"), None)
    return first_h1 if first_h1 is not None else _opening_heading(container)


def _opening_heading(container: Element) -> Element | None:
    """A heading right before the content (h4, date, body) or holding its first text."""
    for sibling in itertools.islice(container.itersiblings(preceding=True), OPENING_SIBLINGS):
        if sibling.tag in HEADLINE_TAGS and element_text(sibling).strip():
            return sibling
    first = next(
        (
            element
            for element in container.iter()
            if isinstance(element.tag, str) and element.text and element.text.strip()
        ),
        None,
    )
    while first is not None and first is not container:
        if first.tag in HEADLINE_TAGS:
            return first
        first = first.getparent()
    return None


def _overlap(wanted: set[str], text: str) -> float:
    words = set(WORD.findall(text.lower()))
    if not wanted or not words:
        return 0.0
    return len(wanted & words) / max(len(wanted), len(words))


def _within(element: Element, container: Element) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())
