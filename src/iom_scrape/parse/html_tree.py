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
    """All text inside ``element`` (its XPath string value)."""
    value = _STRING_VALUE(element)
    return value if isinstance(value, str) else ""


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
