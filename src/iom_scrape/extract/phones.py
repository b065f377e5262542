"""Phone strings of contact blocks -> E.164 plus extension, with ``phonenumbers``.

Legacy blocks write numbers every way (jahia-notes §3.3, §6.14): ``+ 93 (0) 7..``,
``00 41 79 ...``, hyphen and dotted groups, ``Ext. 203``, and ``174/167`` lists.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import phonenumbers

from iom_scrape.models import Phone, PhoneKind

# "Ext. 203", "ext 12", "x203", "poste 12", "int. 4": an explicit extension.
EXTENSION = re.compile(
    r"[,;]?\s*\b(?:ext(?:ension)?|poste|int|anexo|x)\b\.?\s*:?\s*(\d{1,6})\s*$", re.IGNORECASE
)
# "... 4444 174/167": alternative endings after a slash.
SLASH_ENDINGS = re.compile(r"\s(\d{2,5})((?:\s*/\s*\d{2,5})+)\s*$")
TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")
INTERNATIONAL_00 = re.compile(r"^00\s*")
PLUS_SPACE = re.compile(r"^\+\s+")
NOT_DIALABLE = re.compile(r"[^\d+]")
DIGIT_RUN = re.compile(r"\d+")
MIN_DIGITS = 6
PhoneFields = dict[str, Any]
"""A Phone's fields: the Article validates all its records in one call."""


def parse_phone(raw: str, *, kind: PhoneKind = "tel", region: str | None = None) -> Phone:
    """Normalise one phone string.

    >>> parse_phone("+86 10 8532 5303, Ext. 203").model_dump()
    {'raw': '+86 10 8532 5303, Ext. 203', 'e164': '+861085325303', 'extension': '203', 'kind': 'tel'}
    >>> parse_phone("00 41 79 285 43 66").e164
    '+41792854366'
    """
    return Phone.model_validate(phone_fields(raw, kind=kind, region=region))


def phone_fields(raw: str, *, kind: PhoneKind = "tel", region: str | None = None) -> PhoneFields:
    """The fields of a Phone, validated later with the rest of the Article."""
    raw = raw.strip().rstrip(".,;")
    number, extension = _split_extension(raw)
    number = _normalise_prefix(number)
    slash = SLASH_ENDINGS.search(number) if "/" in number else None
    if slash and extension is None:
        e164, extension = _slash_list(number, slash, region)
    else:
        e164 = to_e164(number, region)
    return {"raw": raw, "e164": e164, "extension": extension, "kind": kind}


def to_e164(number: str, region: str | None = None) -> str | None:
    """E.164 form, or None when the digits do not make a possible number."""
    dialable = NOT_DIALABLE.sub("", number)
    if len(dialable.lstrip("+")) < MIN_DIGITS:
        return None
    return _dialable_to_e164(dialable, region)


@lru_cache(maxsize=4096)
def _dialable_to_e164(dialable: str, region: str | None) -> str | None:
    """Cached: an archive repeats a few hundred office numbers on thousands of pages,
    and libphonenumber takes ~20 µs per parse."""
    try:
        parsed = phonenumbers.parse(dialable, region if not dialable.startswith("+") else None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def is_valid_e164(number: str) -> bool:
    """True when libphonenumber knows the number as valid."""
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(number, None)))
    except phonenumbers.NumberParseException:
        return False


def _split_extension(raw: str) -> tuple[str, str | None]:
    folded = raw.lower()
    # Each extension word has a "t" or an "x": most numbers skip the search.
    match = EXTENSION.search(raw) if "t" in folded or "x" in folded else None
    if match is None:
        return raw, None
    return raw[: match.start()].strip(), match.group(1)


def _normalise_prefix(number: str) -> str:
    """``+ 93 (0) 7..`` and ``00 41 ..`` as ``+93 7..`` and ``+41 ..``; each rewrite only
    where its first character occurs."""
    if "(" in number:
        number = TRUNK_ZERO.sub(" ", number)
    number = number.strip()
    if number.startswith("00"):
        number = INTERNATIONAL_00.sub("+", number)
    if number.startswith("+") and number[1:2].isspace():  # what PLUS_SPACE needs
        return PLUS_SPACE.sub("+", number)
    return number


def _slash_list(number: str, slash: re.Match[str], region: str | None) -> tuple[str | None, str]:
    """``+254 20 4444 174/167``: the main number plus its alternative endings.

    When the digits before the first ending already make a valid number, the
    endings are extensions ("174/167"); otherwise the first ending completes the
    number and the others are the alternatives.
    """
    main = number[: slash.start()]
    endings = [slash.group(1), *DIGIT_RUN.findall(slash.group(2))]
    short = to_e164(main, region)
    if short and is_valid_e164(short):
        return short, "/".join(endings)
    return to_e164(main + slash.group(1), region), "/".join(endings[1:])
