"""Small tree helpers shared by the HTML stages, on plain ``lxml.etree`` elements.

The parser builds plain etree elements, not ``lxml.html.HtmlElement``: those look
their class up in Python for every element touched, which costs more than the
whole walk. The two conveniences we need from ``lxml.html`` are here instead.
"""

from __future__ import annotations

from typing import TypeAlias

from lxml import etree

Element: TypeAlias = etree._Element
"""A node of the parsed page."""

_STRING_VALUE = etree.XPath("string()", smart_strings=False)


def text_of(element: Element) -> str:
    """All text inside ``element`` (its XPath string value).

    An element without children holds nothing but its ``text``: no XPath call then.
    """
    if not len(element):
        return element.text or ""
    value = _STRING_VALUE(element)
    return value if isinstance(value, str) else ""


def first_child(element: Element, tag: str) -> Element | None:
    """The first child ``tag`` of ``element``: ``find(tag)`` without ElementPath's setup.

    A plain loop: the wanted child is among the first few (``<head>``, ``<title>``).
    """
    for child in element:
        if child.tag == tag:
            return child
    return None


def source_line(element: Element) -> int | None:
    """The 1-based input line where ``element`` starts, when libxml2 knows it."""
    line: object = element.sourceline
    return line if isinstance(line, int) else None


def drop_tree(element: Element) -> None:
    """Remove ``element`` and its subtree but keep the text that followed it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
