"""The contact block -> Contact records.

Blocks come blank-line separated or inline, with several people, a phone shared
by all of them, Email before Tel, addresses lost to markup (jahia-notes §3.3).
The block is read as a stream of labelled fields (Tel, Mobile, Fax, E-mail) and
free text (names, offices); a new name starts a new contact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import TypeAdapter

from iom_scrape.extract.phones import PhoneFields, phone_fields
from iom_scrape.models import Contact, PhoneKind
from iom_scrape.parse.alternation import behind_initial
from iom_scrape.parse.blocks import Block
from iom_scrape.parse.lead_in import CONTACT_LEAD_IN

# Field labels, longest first; the value runs to the next label.
LABEL_WORDS = (
    r"e-?mail", "courriel", r"correo(?:\s+electr[oó]nico)?", r"t[ée]l[ée]phone", r"tel[ée]fono",
    "phone", "tel", r"t[ée]l", r"mob(?:ile)?", r"cell(?:ular)?", "celular", r"m[óo]vil",
    "portable", "gsm", "fax",
)  # fmt: skip
LABEL_INITIALS = "cefgmptCEFGMPT"
"""Every character a label starts with under re.IGNORECASE, as a plain class: the engine
skips to the positions where one occurs instead of trying the pattern at each."""
LABEL = re.compile(
    rf"(?P<label>[{LABEL_INITIALS}](?<![\w@.].)(?i:{behind_initial(LABEL_WORDS)}))"
    r"(?i:\b\.?\s*(?::\s*)?)"
)
"""A label not glued to a word, an address or a dot before it (the lookbehind reads the
character before the initial); the words grouped by initial, each group after its own."""
MOBILE_LABELS = ("mob", "cell", "celular", "movil", "móvil", "portable", "gsm")
EMAIL_LABELS = ("mail", "courriel", "correo")
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_IN_TEXT = re.compile(r"(?:\+\s?|00\s?)\d[\d\s().\-/]{6,}\d(?:,?\s*ext\.?\s*\d+)?", re.I)
# "Name at IOM Beijing", "Name, IOM Kabul", "IOM Nepal", "OIM Niger".
OFFICE = re.compile(r"^(?:at\s+|à\s+l['’]|en\s+la\s+)?(?:IOM|OIM|UN|International Organization)\b")
OFFICE_INITIALS = "aàeIOU"
"""What an OFFICE match starts with (the pattern is case-sensitive): names skip the regex."""
NAME_AND_OFFICE = re.compile(
    r"^(?P<name>.+?)(?:\s*,\s*|\s+(?:at|à|de|en)\s+(?:l['’])?)(?P<office>(?:IOM|OIM)\b.*)$"
)
HONORIFIC = re.compile(r"^(?:dr|mr|mrs|ms|mme|m|sr|sra|prof)\.?\s+", re.IGNORECASE)
# What an honorific can start with, case-folded as the regex folds it (long s included).
HONORIFIC_INITIALS = "dDmMsSpPſ"
NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-Ý][\w'’.-]*|de|da|del|van|von|der|le|la|al|bin|dos|y)$")
# What may follow the lead-in before the first name: "with", a colon, a comma.
AFTER_LEAD_IN = re.compile(r"^\s*(?:with|con|a|avec)?\s*[:,.]?\s*")
LEAD_IN_ENDINGS = ("", ":", ",", ".")
"""What a lead-in alone on its line leaves, spaces stripped: all of it AFTER_LEAD_IN's."""
# "at IOM Kabul" -> "IOM Kabul".
OFFICE_PREPOSITION = re.compile(r"^(?:at|à|en)\s+")
OFFICE_PREPOSITION_INITIALS = "aàe"
"""What OFFICE_PREPOSITION starts with (it is case-sensitive): "IOM Kabul" skips the regex."""
DIGIT = re.compile(r"\d")
# Names carry no digits and no addresses.
NOT_IN_NAMES = re.compile(r"\d|@")
MAX_NAME_TOKENS = 6
# A line that cannot end a contact entry: it stops on "at IOM", a comma, "and"...
WRAPPED_WORDS = tuple("IOM OIM at à de of and et y con contact contacter".split())
WRAPPED_MARKS = (",", "–", "-")
WRAPPED_AFTER = re.compile(rf"(?:\b(?:{'|'.join(WRAPPED_WORDS)})|[{''.join(WRAPPED_MARKS)}])$")
WRAPPED_ENDINGS = tuple(end + nl for end in (*WRAPPED_WORDS, *WRAPPED_MARKS) for nl in ("", "\n"))
"""What a line WRAPPED_AFTER matches ends with (``$`` allows a final newline): one
``endswith`` call spares the regex most lines."""
WRAPPED_ENDINGS_BY_LAST = {
    last: tuple(ending for ending in WRAPPED_ENDINGS if ending[-1] == last)
    for last in {ending[-1] for ending in WRAPPED_ENDINGS}
}
"""WRAPPED_ENDINGS by their last character: a line is tested against the two or three
endings that can end it, and most lines end on a character none of them ends with."""
WRAPPED_AFTER_TAIL = 12
"""WRAPPED_AFTER reads at most "contacter", the character before it and a final newline:
searching this many closing characters gives its answer without a scan of the line."""
FREE_TEXT_NOISE = re.compile(r"^(?:and|or|et|y|o|please contact|contact)$", re.IGNORECASE)
FREE_TEXT_NOISE_MAX = len("please contact")
FREE_TEXT_NOISE_INITIALS = "aAoOeEyYpPcC"
"""What a FREE_TEXT_NOISE word can start with under re.IGNORECASE: names and offices
mostly start otherwise and skip the regex."""
ContactFields = dict[str, Any]
"""A Contact's fields: the Article validates all its records in one call."""
_CONTACT_LIST: TypeAdapter[list[Contact]] = TypeAdapter(list[Contact])


@dataclass(slots=True)
class _Draft:
    name: str | None = None
    office: str | None = None
    phones: list[PhoneFields] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    email_lost: bool = False
    phone_after_email: bool = False

    def is_empty(self) -> bool:
        return not (self.name or self.office or self.phones or self.emails or self.email_lost)

    def to_record(self) -> ContactFields:
        return {
            "name": self.name,
            "office": self.office,
            "phones": self.phones,
            "emails": list(dict.fromkeys(self.emails)),
            "email_lost": self.email_lost,
        }


@dataclass(slots=True)
class _Reader:
    drafts: list[_Draft] = field(default_factory=lambda: [_Draft()])
    awaiting_email: bool = False

    @property
    def current(self) -> _Draft:
        return self.drafts[-1]


def contact_records(blocks: list[Block]) -> list[ContactFields]:
    """The fields of each Contact, validated later with the rest of the Article."""
    contacts: list[ContactFields] = []
    for block in blocks:
        if block.kind == "contact":
            contacts += _block_records(block.lines or (block.text,))
    return contacts


def parse_contact_block(lines: tuple[str, ...]) -> list[Contact]:
    """Read a contact block, lead-in line first."""
    return _CONTACT_LIST.validate_python(_block_records(lines))


def _block_records(lines: tuple[str, ...]) -> list[ContactFields]:
    reader = _Reader()
    for index, line in enumerate(unwrap_contact_lines(lines)):
        _read_line(reader, _strip_lead_in(line) if index == 0 else line)  # lines come stripped
    if reader.awaiting_email:
        reader.current.email_lost = True
    drafts = [draft for draft in reader.drafts if not draft.is_empty()]
    _share_trailing_phone(drafts)
    return [draft.to_record() for draft in drafts]


def unwrap_contact_lines(lines: tuple[str, ...]) -> list[str]:
    """Rejoin an inline contact sentence that a hard wrap cut ("at IOM" / "Guyana, Tel: ...").

    >>> unwrap_contact_lines(("please contact Ana Ruiz at IOM", "Guyana, Tel: +592 226 4832"))
    ['please contact Ana Ruiz at IOM Guyana, Tel: +592 226 4832']
    """
    joined: list[str] = []
    for line in map(str.strip, lines):
        # Most lines end on a character no wrapped ending ends with: no call to _is_cut.
        if joined and line and joined[-1][-1:] in WRAPPED_ENDINGS_BY_LAST and _is_cut(joined[-1]):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _is_cut(line: str) -> bool:
    """``WRAPPED_AFTER`` on the line's end, after an ``endswith`` gate."""
    tail = line[-WRAPPED_AFTER_TAIL:]
    endings = WRAPPED_ENDINGS_BY_LAST.get(tail[-1:])
    return endings is not None and tail.endswith(endings) and WRAPPED_AFTER.search(tail) is not None


def _strip_lead_in(line: str) -> str:
    match = CONTACT_LEAD_IN.match(line)
    rest = line[match.end() :] if match else line
    if rest.strip() in LEAD_IN_ENDINGS:
        return ""  # "please contact:" ends the line: no name after it
    return AFTER_LEAD_IN.sub("", rest)


def _read_line(reader: _Reader, text: str) -> None:
    if not text:
        return  # a lead-in alone on its line, a blank line: nothing to read
    # [free text, label, value, label, value, ...]: each value runs to the next label.
    parts = LABEL.split(text)
    if parts[0]:  # a line that opens on its label has no free text
        _read_free_text(reader, parts[0])
    for label_at in range(1, len(parts), 2):
        _read_field(reader, parts[label_at], parts[label_at + 1])


def _read_free_text(reader: _Reader, text: str) -> None:
    text = text.strip().strip(",;.").strip()
    if not text or (
        len(text) <= FREE_TEXT_NOISE_MAX
        and text[0] in FREE_TEXT_NOISE_INITIALS
        and FREE_TEXT_NOISE.match(text)
    ):
        return
    emails = EMAIL.findall(text) if "@" in text else None
    if emails:
        _add_emails(reader, emails)
        return
    phone = PHONE_IN_TEXT.search(text) if "+" in text or "00" in text else None
    if phone and len(phone.group()) > len(text) / 2:
        reader.current.phones.append(phone_fields(phone.group()))
        return
    _read_name_or_office(reader, text)


def _read_name_or_office(reader: _Reader, text: str) -> None:
    if reader.awaiting_email:
        reader.current.email_lost = True
        reader.awaiting_email = False
    # The office opens after a name and a separator: "IOM Kabul" alone skips the regex.
    both = NAME_AND_OFFICE.match(text) if _office_after_name(text) else None
    if both and _looks_like_name(both.group("name")):
        _start_contact(reader, _clean_name(both.group("name")))
        reader.current.office = both.group("office").strip(" .,")
    elif _is_office(text):
        reader.current.office = _without_preposition(text).strip(" .,")
    elif _is_name(name := _without_honorific(text), office_read=name == text):
        _start_contact(reader, _clean_name(text))  # no honorific: _is_office read the name


def _office_after_name(text: str) -> bool:
    """Where NAME_AND_OFFICE could match: "IOM" or "OIM" after a name and a separator.

    >>> _office_after_name("Ana Ruiz, IOM Lima"), _office_after_name("IOM Lima")
    (True, False)
    """
    return text.find("IOM", 2) >= 0 or text.find("OIM", 2) >= 0


def _without_preposition(office: str) -> str:
    """``OFFICE_PREPOSITION`` removed, behind a test of the first character.

    >>> _without_preposition("at IOM Kabul"), _without_preposition("IOM Kabul")
    ('IOM Kabul', 'IOM Kabul')
    """
    if office[:1] in OFFICE_PREPOSITION_INITIALS:
        return OFFICE_PREPOSITION.sub("", office)
    return office


def _start_contact(reader: _Reader, name: str) -> None:
    if not reader.current.is_empty():
        reader.drafts.append(_Draft())
    reader.current.name = name


def _read_field(reader: _Reader, label: str, value: str) -> None:
    kind = _field_kind(label)
    if kind == "email":
        emails = EMAIL.findall(value) if "@" in value else None
        if emails:
            _add_emails(reader, emails)
        else:
            reader.awaiting_email = True
        return
    value = value.strip().strip(",;")
    if DIGIT.search(value):
        reader.current.phones.append(phone_fields(value, kind=kind))
        current = reader.current
        current.phone_after_email = bool(
            current.emails or current.email_lost or reader.awaiting_email
        )


def _add_emails(reader: _Reader, emails: list[str]) -> None:
    reader.current.emails += [email.rstrip(".") for email in emails]
    reader.awaiting_email = False


@lru_cache(maxsize=256)
def _field_kind(label: str) -> PhoneKind | Literal["email"]:
    """What a label announces. Cached: labels are a small closed set ("Tel", "E-mail")."""
    folded = label.lower()
    if any(word in folded for word in EMAIL_LABELS):
        return "email"
    if folded.startswith("fax"):
        return "fax"
    if any(folded.startswith(word) or word in folded for word in MOBILE_LABELS):
        return "mobile"
    return "tel"


def _share_trailing_phone(drafts: list[_Draft]) -> None:
    """One phone after all names (jahia-notes §3.3 #8) belongs to every contact."""
    if len(drafts) < 2 or not drafts[-1].phone_after_email:
        return
    if any(draft.phones for draft in drafts[:-1]):
        return
    for draft in drafts[:-1]:
        draft.phones = list(drafts[-1].phones)


def _looks_like_name(text: str) -> bool:
    """A person's name: a few capitalised words, no digits, not an office.

    >>> _looks_like_name("Kieran Best"), _looks_like_name("IOM Beijing")
    (True, False)
    """
    return _is_name(_without_honorific(text.strip()))


def _is_name(text: str, *, office_read: bool = False) -> bool:
    """:func:`_looks_like_name` of a stripped text without its honorific; ``office_read``:
    the caller found no office at the start of this very text."""
    tokens = text.split()
    if not 1 <= len(tokens) <= MAX_NAME_TOKENS or NOT_IN_NAMES.search(text):
        return False
    if not office_read and _is_office(text):
        return False
    return all(map(NAME_TOKEN.match, tokens)) and tokens[0][0].isupper()


def _is_office(text: str) -> bool:
    """``OFFICE`` at the start of ``text``, behind a test of its first character."""
    return text[:1] in OFFICE_INITIALS and OFFICE.match(text) is not None


def _clean_name(text: str) -> str:
    return _without_honorific(text.strip().strip(",.;")).strip()


def _without_honorific(text: str) -> str:
    """``HONORIFIC`` removed; most names start with no letter it could match.

    >>> _without_honorific("Dr. Omar Said"), _without_honorific("Ana Ruiz")
    ('Omar Said', 'Ana Ruiz')
    """
    return HONORIFIC.sub("", text) if text[:1] in HONORIFIC_INITIALS else text
