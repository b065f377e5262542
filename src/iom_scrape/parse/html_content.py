"""Find the article inside a page: known templates first, then text density.

Jahia's press-release container (an ``h4`` title, ``span.pressRealeseDate``, a
body ``div``; jahia-notes §2.2) and the new Drupal site's ``field--name-body``
are recognised directly. Any other layout (syndicated copies, country sites)
goes to a detector in the spirit of readability: paragraph-like elements score
by length and commas, the score flows to their parent and grandparent, and the
best container wins after a penalty for link density (menus are all links).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

# Jahia's press-release date span (misspelt in the template) and its siblings.
JAHIA_DATE = "//span[contains(@class,'pressRealeseDate') or contains(@class,'pressReleaseDate')]"
JAHIA_EXTRAS = (
    ".//*[contains(@class,'pressRealeseCategory') or contains(@class,'pressReleaseCategory')"
    " or contains(@class,'returnPressList') or contains(@class,'download')]"
)
# The new site's article body and headline (Drupal 8+ and Drupal 7 class names).
DRUPAL_BODY = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' field--name-body ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' field-name-body ')]"
)
DRUPAL_TITLE = "//h1[contains(@class,'page-title') or contains(@class,'title')]"
# Semantic containers other CMSes give the article (syndicated copies).
SEMANTIC_BODY = (
    "//*[@itemprop='articleBody' or contains(@class,'entry-content') or"
    " contains(@class,'post-content') or contains(@class,'article-body') or"
    " contains(@class,'story-body')]"
)
PARAGRAPH_LIKE = ("p", "pre", "td", "blockquote", "div", "li", "dd")
BLOCK_CHILDREN = frozenset(
    {"p", "div", "table", "ul", "ol", "dl", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5",
     "h6", "section", "article", "form", "hr", "center"}
)  # fmt: skip
MIN_PARAGRAPH_CHARS = 25
TOP_CANDIDATES = 5
SEMANTIC_BONUS = 1.5
WORD = re.compile(r"\w+")
TITLE_MATCH = 0.5


@dataclass(slots=True)
class ContentChoice:
    """The element holding the article body and what to leave out of it."""

    container: HtmlElement
    template: str
    """jahia-press-release, drupal-body, semantic, density or whole-page."""
    title: HtmlElement | None = None
    date: HtmlElement | None = None
    exclude: set[HtmlElement] = field(default_factory=set)


def content_anchors(root: HtmlElement) -> list[HtmlElement]:
    """Elements chrome removal must keep: the known templates' date span and body."""
    return [*root.xpath(JAHIA_DATE), *root.xpath(DRUPAL_BODY)]


def choose_content(root: HtmlElement, title_hint: str | None) -> ContentChoice:
    """The article container of a cleaned page, with its headline element when known."""
    choice = _jahia_press_release(root) or _drupal_body(root) or _by_density(root)
    if choice.title is None:
        choice.title = _headline(root, choice.container, title_hint)
    if choice.title is not None:
        choice.exclude.add(choice.title)
    return choice


def _jahia_press_release(root: HtmlElement) -> ContentChoice | None:
    spans = root.xpath(JAHIA_DATE)
    if not spans:
        return None
    date = spans[0]
    for ancestor in date.iterancestors():
        heading = ancestor.find(".//h4")
        if heading is None:
            heading = next(ancestor.iter("h1", "h2", "h3"), None)
        if heading is not None:
            extras = set(ancestor.xpath(JAHIA_EXTRAS))
            return ContentChoice(
                ancestor, "jahia-press-release", heading, date, exclude={date, *extras}
            )
    return None


def _drupal_body(root: HtmlElement) -> ContentChoice | None:
    bodies = root.xpath(DRUPAL_BODY)
    if not bodies:
        return None
    titles = root.xpath(DRUPAL_TITLE)
    return ContentChoice(bodies[0], "drupal-body", titles[0] if titles else None)


def _by_density(root: HtmlElement) -> ContentChoice:
    body = root.find("body")
    fallback = body if body is not None else root
    scores = _paragraph_scores(root)
    for semantic in root.xpath(SEMANTIC_BODY):
        if semantic in scores:
            scores[semantic] *= SEMANTIC_BONUS
    if not scores:
        return ContentChoice(fallback, "whole-page")
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:TOP_CANDIDATES]
    best = max(ranked, key=lambda item: item[1] * (1.0 - _link_density(item[0])))[0]
    return ContentChoice(best, "density")


def _paragraph_scores(root: HtmlElement) -> dict[HtmlElement, float]:
    """Readability's scoring: each paragraph gives its score to parent and grandparent."""
    scores: dict[HtmlElement, float] = {}
    for element in root.iter(*PARAGRAPH_LIKE):
        text = _own_text(element)
        if len(text) < MIN_PARAGRAPH_CHARS:
            continue
        score = 1.0 + text.count(",") + min(len(text) / 100.0, 3.0)
        if element.tag in ("td", "div"):
            scores[element] = scores.get(element, 0.0) + score
        parent = element.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0.0) + score
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0.0) + score / 2.0
    return scores


def _own_text(element: HtmlElement) -> str:
    """Text of an element without its block-level children (a td's or div's own prose)."""
    if element.tag in ("p", "pre", "li", "dd", "blockquote"):
        return str(element.text_content())
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag not in BLOCK_CHILDREN:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _link_density(element: HtmlElement) -> float:
    total = len(element.text_content())
    if not total:
        return 1.0
    linked = sum(len(anchor.text_content()) for anchor in element.iter("a"))
    return min(linked / total, 1.0)


def _headline(
    root: HtmlElement, container: HtmlElement, title_hint: str | None
) -> HtmlElement | None:
    """The heading that names the article: the one matching <title>, else the first h1."""
    headings = [h for h in root.iter("h1", "h2", "h3", "h4") if h.text_content().strip()]
    if not headings:
        return None
    if title_hint:
        wanted = set(WORD.findall(title_hint.lower()))
        best = max(headings, key=lambda h: _overlap(wanted, h.text_content()))
        if _overlap(wanted, best.text_content()) >= TITLE_MATCH:
            return best
    inside = [h for h in headings if h.tag in ("h1", "h2") and _within(h, container)]
    if inside:
        return inside[0]
    first_h1 = next((h for h in headings if h.tag == "h1"), None)
    return first_h1


def _overlap(wanted: set[str], text: str) -> float:
    words = set(WORD.findall(text.lower()))
    if not wanted or not words:
        return 0.0
    return len(wanted & words) / max(len(wanted), len(words))


def _within(element: HtmlElement, container: HtmlElement) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())
