"""MS Word paste residue in a page source: fallbacks removed before the parse, residue noted.

Word pastes add ``<xml>`` blocks, conditional comments, ``<o:p>`` and ``mso-``
styles (jahia-notes §2.3). The parser and the chrome walk drop them; this module
removes the downlevel-revealed fallbacks the parser would show as text, and
names what was found in one Repair. Both read the source, not the tree.
"""

from __future__ import annotations

import re

from iom_scrape.models import Repair
from iom_scrape.substring import contains

# Word paste residue that shows the body came from MS Word (jahia-notes §2.3).
WORD_RESIDUE = re.compile(rb"class=\"?mso|<o:p|mso-|<!--\[if|<!\[if|<xml>")
# Each WORD_RESIDUE alternative contains "mso" or is one of these tags: a source without
# either has no match. Two scans: the tags' alternation runs to each "<" (a literal
# prefix) and reads on only there, where the whole pattern tries every position.
WORD_RESIDUE_TAGS = re.compile(rb"<(?:o:p|xml>|!--\[if|!\[if)")
# What WORD_RESIDUE can match, as literals. No match of it can overlap another's start
# (each "<" and "c" opens its alternative), so each is found exactly where it is a
# substring, except "mso-" right after the "class=mso" it ends.
WORD_RESIDUE_LITERALS = (b"class=mso", b'class="mso', b"<o:p", b"<!--[if", b"<![if", b"<xml>")
WORD_RESIDUE_LIMIT = 200000
# Word's downlevel-revealed fallbacks: the bullet glyph of a list paragraph and the
# <br> of a line break, both drawn again by the markup around them.
WORD_FALLBACK = re.compile(
    r"<!\[if\s+!support(?:Lists|LineBreakNewLine)\]>.{0,600}?<!\[endif\]>",
    re.IGNORECASE | re.DOTALL,
)


def strip_word_fallbacks(source: str, encoded: bytes | None = None) -> str:
    """Remove Word's list bullets and break fallbacks before parsing.

    ``encoded`` is the source's UTF-8 if the caller has it.

    >>> strip_word_fallbacks('<p><![if !supportLists]><span>·</span><![endif]>Item</p>')
    '<p>Item</p>'
    """
    return WORD_FALLBACK.sub("", source) if _opens_fallback(source, encoded) else source


def _opens_fallback(source: str, encoded: bytes | None) -> bool:
    """Whether the source holds a fallback's opening ``<![if``.

    Searched in the UTF-8, when there is one (a str of curly quotes, two bytes a
    character, is searched slowly): a memchr for "[", then "[if", a compiled literal
    that runs from one rare "[" to the next where "<![if" would stop at every tag,
    and only then the opening itself.
    """
    if encoded is None:
        return "<![if" in source
    return b"[" in encoded and contains(encoded, b"[if") and b"<![if" in encoded


def note_word_residue(lowered: bytes) -> list[Repair]:
    """One Repair naming the MS Word residue in the source (dropped by the parse and walk)."""
    if not _has_word_residue_stem(lowered):
        return []
    found = _word_residue_found(lowered)
    if not found:
        return []
    detail = "Word paste residue removed: " + ", ".join(found)
    return [Repair(kind="editor-residue", detail=detail[:200])]


def _has_word_residue_stem(lowered: bytes) -> bool:
    """The source holds "mso" or one of WORD_RESIDUE_TAGS."""
    return contains(lowered, b"mso") or WORD_RESIDUE_TAGS.search(lowered) is not None


def _word_residue_found(lowered: bytes) -> list[str]:
    """The distinct WORD_RESIDUE matches in the first 200,000 bytes, sorted, by substring search.

    >>> _word_residue_found(b'<p class="msonormal" style="mso-bidi:x"><o:p></o:p>')
    ['<o:p', 'class="mso', 'mso-']
    """
    found = [
        word.decode()
        for word in WORD_RESIDUE_LITERALS
        if lowered.find(word, 0, WORD_RESIDUE_LIMIT) != -1
    ]
    if _free_mso_dash(lowered):
        found.append("mso-")
    return sorted(found)


def _free_mso_dash(lowered: bytes) -> bool:
    """An "mso-" that is not the end of a ``class=mso`` match (which consumes its "mso")."""
    at = lowered.find(b"mso-", 0, WORD_RESIDUE_LIMIT)
    while at != -1:
        if not lowered.endswith((b"class=", b'class="'), 0, at):
            return True
        at = lowered.find(b"mso-", at + 1, WORD_RESIDUE_LIMIT)
    return False
