"""Direct speech in body paragraphs -> Quote records with their speakers.

Handles the attribution shapes of press briefing notes (jahia-notes §3.4):
``"…," says NAME, ROLE.``, title before name, attribution before the quote,
``he adds`` resolved to the previous speaker, surname-only later mentions,
quotes over several paragraphs (opening mark on each, closing on the last),
French « » with ``déclare``/``a déclaré``, Spanish ``dijo``/``afirmó``. A quote
nobody can be attributed to keeps ``speaker=None``: never a guessed name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from iom_scrape.models import Quote
from iom_scrape.parse.alternation import by_initial

OPENING = '"“«„'
ANY_OPENING = re.compile('["“«„]')
CLOSING = {'"': '"', "“": "”", "«": "»", "„": "“"}
_VERBS = (
    r"says|said|adds|added|explains|explained|notes|noted|warns|warned|emphasi[sz]es|"
    r"emphasi[sz]ed|stresses|stressed|remarks|remarked|continues|continued|concludes|concluded|"
    r"recalls|recalled|declares|declared|insists|insisted|observes|observed|points out|"
    r"pointed out|underlines|underlined|highlights|highlighted|urges|urged|states|stated|"
    r"comments|commented|acknowledges|acknowledged|admits|admitted|asks|asked|told \w+|tells \w+|"
    r"according to|"
    r"a déclaré|déclare|a dit|dit|a ajouté|ajoute|a expliqué|explique|a souligné|souligne|"
    r"a indiqué|indique|a affirmé|affirme|a précisé|précise|selon|"
    r"dijo|afirmó|afirma|explicó|explica|señaló|señala|indicó|indica|agregó|añadió|añade|"
    r"informó|declaró|manifestó|aseguró|expresó|destacó|subrayó|según"
)

_VERB_ALTERNATION = by_initial(_VERBS.split("|"))
"""The verbs grouped by initial: a position where no verb starts fails quickly."""
# After the closing mark: `, says Name, role.` / `said IOM's Name.` / `he adds.`
VERB_FIRST = re.compile(
    rf"^[\s,:;–—-]*(?P<verb>{_VERB_ALTERNATION})\b[\s,]*(?P<who>[^.!?;\"“”«»]*)", re.I
)
SUBJECT_FIRST = re.compile(
    rf"^[\s,:;–—-]*(?P<who>[^.!?;\"“”«»]{{1,80}}?)\s*,?\s+(?P<verb>{_VERB_ALTERNATION})\b",
    re.IGNORECASE,
)
# Before the opening mark: `Name, IOM's Chief of Mission, explains, "` / `Name said: "`.
# Matched on the clause before the mark, from its end: the verb first, then who.
VERB_AT_END = re.compile(rf"(?:^|\s)(?P<verb>{_VERB_ALTERNATION})[\s,:]*$", re.IGNORECASE)
CLAUSE_START = re.compile(r"[.!?\"“”«»]\s*")
# French inversion: `ajoute-t-elle`, `a-t-il déclaré`, `précise-t-il`.
INVERTED_PRONOUN = re.compile(r"^[\s,]*\w+(?:-t)?-(?:il|elle|ils|elles)\b", re.IGNORECASE)
PRONOUNS = frozenset({"he", "she", "they", "il", "elle", "ils", "elles", "él", "ella", "ellos"})
TITLE_WORDS = frozenset(
    [
        "director",
        "general",
        "deputy",
        "chief",
        "head",
        "of",
        "mission",
        "representative",
        "regional",
        "coordinator",
        "officer",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "minister",
        "ambassador",
        "president",
        "secretary",
        "acting",
        "senior",
        "programme",
        "program",
        "project",
        "manager",
        "dr",
        "dr.",
        "mr",
        "mr.",
        "ms",
        "ms.",
        "mrs",
        "mrs.",
        "prof",
        "dg",
        "ddg",
        "specialist",
        "adviser",
        "advisor",
        "expert",
        "doctor",
        "commissioner",
        "governor",
        "mayor",
        "directeur",
        "directrice",
        "général",
        "générale",
        "chef",
        "porte-parole",
        "ministre",
        "représentant",
        "director",
        "directora",
        "jefe",
        "jefa",
        "portavoz",
        "ministro",
        "representante",
        "coordinador",
        "coordinadora",
        "le",
        "la",
        "el",
        "the",
        "iom's",
        "oim",
        "iom",
        "un",
    ]
)
# Words of organisations and departments that stand next to names in titles
# ("IOM Director of Migration Health Davide Mosca"): never part of a name.
ORG_WORDS = frozenset(
    """iom iom's oim l'oim un unhcr unicef who wfp ministry government office mission
    organization de del la le of the migration health emergency emergencies operations
    affairs division department unit programme program services support policy research
    relations management protection assistance resettlement affairs country regional
    national international counter trafficking displacement tracking matrix""".split()
)
NAME_WORD = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’-]+)?$|^[A-Z]\.$")
PLACE_PREPOSITIONS = frozenset({"in", "for", "at", "to", "of", "en", "au", "aux", "du", "à"})
# The article a title is introduced with: "le chef de mission" -> "chef de mission".
LEADING_ARTICLE = re.compile(r"^(?:le|la|l['’]|el|the)\s*(?=\w)", re.IGNORECASE)
MIN_UNATTRIBUTED_WORDS = 6
ATTRIBUTION_WINDOW = 300
"""Characters around a quote read for its attribution (keeps long pages linear)."""
QuoteFields = dict[str, Any]
"""A Quote's fields: the Article validates all its records in one call."""
_QUOTE_LIST: TypeAdapter[list[Quote]] = TypeAdapter(list[Quote])


@dataclass(slots=True)
class _Span:
    paragraph: int
    text: str
    after: str
    before: str


class Attribution(NamedTuple):
    """Who said it, as read from the attribution clause (a tuple: quick to build)."""

    speaker: str | None
    role: str | None
    pronoun: bool = False


_Parts = tuple[str | None, str]
"""(speaker, role) as read from the words; the role is cleaned (and "" made None) once."""


def extract_quotes(paragraphs: list[str]) -> list[Quote]:
    """Quotes of the body, in order, with pronouns and surnames resolved."""
    return _QUOTE_LIST.validate_python(quote_records(paragraphs))


def quote_records(paragraphs: list[str]) -> list[QuoteFields]:
    """The fields of each Quote, validated later with the rest of the Article."""
    quotes: list[QuoteFields] = []
    for span in _quote_spans(paragraphs):
        attribution = _attribution_of(span)
        if attribution is None and len(span.text.split()) < MIN_UNATTRIBUTED_WORDS:
            continue
        quotes.append(_resolve(span, attribution, quotes))
    return quotes


def _resolve(
    span: _Span, attribution: Attribution | None, earlier: list[QuoteFields]
) -> QuoteFields:
    speaker, role = (attribution.speaker, attribution.role) if attribution else (None, None)
    known = [quote["speaker"] for quote in earlier if quote["speaker"]]
    if attribution and attribution.pronoun:
        speaker = known[-1] if known else None
    elif speaker and " " not in speaker:
        speaker = next((s for s in reversed(known) if s.split()[-1] == speaker), speaker)
    text = span.text.strip().rstrip(",").strip()
    return {"text": text, "speaker": speaker, "role": role, "paragraph": span.paragraph}


def _quote_spans(paragraphs: list[str]) -> list[_Span]:
    """Quoted stretches; a paragraph that opens a quote and never closes it continues."""
    spans: list[_Span] = []
    pending: _Span | None = None
    for index, paragraph in enumerate(paragraphs):
        position = 0
        if pending is not None:
            opened = paragraph.lstrip()
            if opened[:1] in OPENING:
                position = paragraph.index(opened[0]) + 1
                close = _find_close(paragraph, position, opened[0])
                if close < 0:
                    pending.text += "\n" + paragraph[position:].strip()
                    continue
                pending.text += "\n" + paragraph[position:close].strip()
                pending.after = paragraph[close + 1 : close + 1 + ATTRIBUTION_WINDOW]
                position = close + 1
            spans.append(pending)
            pending = None
        if not _has_mark(paragraph):
            continue  # no mark, no span: most paragraphs
        spans_here, pending = _spans_in(paragraph, index, position)
        spans += spans_here
    if pending is not None:
        spans.append(pending)
    return spans


def _spans_in(paragraph: str, index: int, start: int) -> tuple[list[_Span], _Span | None]:
    spans: list[_Span] = []
    position = start
    while True:
        open_at = _find_open(paragraph, position)
        if open_at < 0:
            return spans, None
        mark = paragraph[open_at]
        close = _find_close(paragraph, open_at + 1, mark)
        before = paragraph[max(position, open_at - ATTRIBUTION_WINDOW) : open_at]
        if close < 0:
            unclosed = _Span(index, paragraph[open_at + 1 :].strip(), "", before)
            return spans, unclosed if open_at == _first_text(paragraph) else None
        after = paragraph[close + 1 : close + 1 + ATTRIBUTION_WINDOW]
        spans.append(_Span(index, paragraph[open_at + 1 : close], after, before))
        position = close + 1


def _first_text(paragraph: str) -> int:
    return len(paragraph) - len(paragraph.lstrip())


def _has_mark(text: str) -> bool:
    """Any opening mark in ``text``: four substring tests cost a tenth of a regex scan."""
    return '"' in text or "“" in text or "«" in text or "„" in text


def _find_open(text: str, start: int) -> int:
    """The next opening mark not glued to a word before it."""
    while (match := ANY_OPENING.search(text, start)) is not None:
        at = match.start()
        if at == 0 or not text[at - 1].isalnum():
            return at
        start = at + 1
    return -1


def _find_close(text: str, start: int, mark: str) -> int:
    closing = CLOSING[mark]
    if mark != '"':
        return text.find(closing, start)
    # A straight closing quote: the first '"' not followed by a letter or digit.
    at = text.find('"', start)
    while at >= 0 and text[at + 1 : at + 2].isalnum():
        at = text.find('"', at + 1)
    return at


def _attribution_of(span: _Span) -> Attribution | None:
    after = span.after.partition(". ")[0]
    if "-" in after and INVERTED_PRONOUN.match(after):
        return Attribution(None, None, pronoun=True)
    if after.strip():
        for pattern in (VERB_FIRST, SUBJECT_FIRST):
            match = pattern.match(after)
            if match and match.group("who").strip():
                return read_attribution(match.group("who"), match.group("verb"))
    return _attribution_before(span.before.rstrip())


def _attribution_before(clause: str) -> Attribution | None:
    """``Name, IOM's Chief of Mission, explains, "``: the verb ends the clause."""
    if not clause:
        return None  # a quote that opens its paragraph: no clause to search
    verb = VERB_AT_END.search(clause[-40:])
    if verb is None:
        return None
    head = clause[: len(clause) - len(clause[-40:]) + verb.start()]
    starts = list(CLAUSE_START.finditer(head))
    who = head[starts[-1].end() :] if starts else head
    who = who.strip(" ,")
    return read_attribution(who, verb.group("verb")) if 2 <= len(who) <= 160 else None


def read_attribution(who: str, verb: str = "says") -> Attribution | None:
    """Split ``who`` ("Thomas Sinkovits, head of IOM's China Liaison Office") into parts.

    >>> read_attribution("Thomas Sinkovits, head of IOM's China Liaison Office")
    Attribution(speaker='Thomas Sinkovits', role="head of IOM's China Liaison Office", pronoun=False)
    >>> read_attribution("Director General Zhang Mingliang from the Ministry of Civil Affairs")
    Attribution(speaker='Zhang Mingliang', role='Director General from the Ministry of Civil Affairs', pronoun=False)
    >>> read_attribution("IOM's acting Chief of Mission in Yangon Andrew Bruce").speaker
    'Andrew Bruce'
    """
    who = " ".join(who.split()).strip(" ,:")
    if not who:
        return None
    if who.partition(" ")[0].lower() in PRONOUNS:
        return Attribution(None, None, pronoun=True)
    if "," in who:  # then two chunks at least: who neither starts nor ends with a comma
        speaker, role = _from_chunks([chunk.strip() for chunk in who.split(",") if chunk.strip()])
    else:
        speaker, role = _from_phrase(who)
    return Attribution(speaker, _clean_role(role))


def _clean_role(role: str | None) -> str | None:
    """Drop the article a title was introduced with: "le chef de mission" -> "chef de mission"."""
    if not role:
        return None
    role = role.strip(" ,")
    return (LEADING_ARTICLE.sub("", role) if role[:1] in "lLeEtT" else role) or None


def _from_chunks(chunks: list[str]) -> _Parts:
    first = _name_in(chunks[0])
    if first and first[1] == "":
        return first[0], ", ".join(chunks[1:])
    last = _name_in(chunks[-1])
    if last and last[1] == "":
        return last[0], ", ".join(chunks[:-1])
    return _from_found(first, chunks[0], extra_role=", ".join(chunks[1:]))


def _from_phrase(phrase: str) -> _Parts:
    return _from_found(_name_in(phrase), phrase)


def _from_found(found: tuple[str, str] | None, phrase: str, extra_role: str = "") -> _Parts:
    if not found:
        return None, ", ".join(part for part in (phrase, extra_role) if part)
    name, role = found
    return name, ", ".join(part for part in (role, extra_role) if part)


def _name_in(phrase: str) -> tuple[str, str] | None:
    """(name, rest-as-role) from a phrase with a title before or after the name."""
    tokens = phrase.split()
    lead = _leading_name(tokens)
    if lead:
        start, end = lead
        role = " ".join(tokens[:start] + tokens[end:])
        return " ".join(tokens[start:end]), role
    trail = _trailing_name(tokens)
    if trail is not None:
        return " ".join(tokens[trail:]), " ".join(tokens[:trail])
    return None


def _leading_name(tokens: list[str]) -> tuple[int, int] | None:
    start = 0
    while start < len(tokens) and tokens[start].lower().strip(",") in TITLE_WORDS:
        start += 1  # a title word
    end = start
    while end < len(tokens) and _is_name_word(tokens[end]):
        end += 1
    if end - start >= 2 or (end - start == 1 and end == len(tokens) and start > 0):
        return start, end
    if end - start == 1 and start == 0 and len(tokens) == 1:
        return start, end
    return None


def _trailing_name(tokens: list[str]) -> int | None:
    start = len(tokens)
    while start > 0 and _is_name_word(tokens[start - 1]):
        start -= 1
    length = len(tokens) - start
    if length == 0:
        return None
    if length >= 3 and start > 0 and tokens[start - 1].lower() in PLACE_PREPOSITIONS:
        start += 1  # "in Yangon Andrew Bruce": the first word is the place
    return start if len(tokens) - start >= 1 else None


def _is_name_word(token: str) -> bool:
    """A word of a person's name: capitalised, not a title, not an organisation.

    A possessive ("Dhaka's", "IOM's") belongs to the role: "IOM Dhaka's Rina Sen Gupta".
    """
    first = token[:1]
    if not ("A" <= first <= "Z" or "À" <= first <= "Ý") or token.endswith(("'s", "’s")):
        return False  # the capital NAME_WORD wants, checked without the regex
    folded = token.lower()
    return (
        NAME_WORD.match(token) is not None
        and folded not in ORG_WORDS
        and folded.strip(",") not in TITLE_WORDS
    )
