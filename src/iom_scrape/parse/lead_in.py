"""Where the contact block starts: the "For more information, please contact" family.

Shared by the text and HTML parsers so both cut the body at the same place
(jahia-notes §3.3, §3.5). Matching is case-insensitive and tolerant of double
spaces, missing commas and colons, and accents.
"""

from __future__ import annotations

import re

# EN: "For more/further information[,] please contact[:]" and inline
# "please contact <Name> at IOM <office>"; FR: "Pour plus d'informations / de plus
# amples informations, veuillez contacter"; ES: "Para mayor/más información, por favor
# contactar a / sírvase contactar con / póngase en contacto con".
CONTACT_LEAD_IN = re.compile(
    r"^\s*(?:"
    r"for\s+(?:more|further|additional)\s+(?:information|info|details)\b[\s,]*(?:please\s+)?"
    r"(?:contact|call|e-?mail)"
    r"|pour\s+(?:plus|de\s+plus\s+amples)\s+(?:d['’]\s*)?informations?\b[\s,]*"
    r"(?:veuillez\s+)?(?:contacter|vous\s+adresser|s['’]adresser)"
    r"|para\s+(?:mayor|m[aá]s)\s+informaci[oó]n\b[\s,]*(?:por\s+favor\s+)?"
    r"(?:contactar|s[ií]rvase\s+contactar|p[oó]ngase\s+en\s+contacto|comun[ií]quese)"
    r"|media\s+contacts?\s*:|press\s+contacts?\s*:|contacts?\s*:\s*$"
    r")",
    re.IGNORECASE,
)

LEAD_IN_STARTS = ("for", "pour", "para", "media", "press", "contact")
"""First words of every lead-in above: a cheap test before the pattern."""
LEAD_IN_INITIALS = frozenset(word[0] for word in LEAD_IN_STARTS) | frozenset(
    word[0].upper() for word in LEAD_IN_STARTS
)
"""First letters of a stripped lead-in line: the cheapest test of all."""


def is_contact_lead_in(text: str) -> bool:
    """True when a line opens the contact block.

    >>> is_contact_lead_in("For more  information please contact:")
    True
    >>> is_contact_lead_in("Pour plus d'informations, veuillez contacter :")
    True
    >>> is_contact_lead_in("For more than a decade IOM has worked")
    False
    """
    head = text.lstrip()[:8].lower()
    return head.startswith(LEAD_IN_STARTS) and CONTACT_LEAD_IN.match(text) is not None
