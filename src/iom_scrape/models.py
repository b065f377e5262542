"""The records iom_scrape produces: their JSON is the contract users build on.

``Article`` and ``ErrorRecord`` share the ``kind`` discriminator so a JSONL file
of mixed records reads back with one ``TypeAdapter`` (:data:`RECORD_ADAPTER`).
Field names change only when an issue asks for it; the JSON Schema of
:data:`Record` is committed under ``schema/`` and a test compares it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter

SCHEMA_VERSION = "1.0"

Language = Literal["en", "fr", "es"]
PhoneKind = Literal["tel", "mobile", "fax"]
DateSource = Literal["page", "meta", "text", "url", "image-filename"]


def _normalise_email(value: str) -> str:
    """Addresses compare case-insensitively on the domain; keep the local part."""
    local, _, domain = value.strip().rpartition("@")
    if not local or not domain or "." not in domain:
        raise ValueError(f"not an e-mail address: {value!r}")
    return f"{local}@{domain.lower()}"


Email = Annotated[str, AfterValidator(_normalise_email)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Repair(_Record):
    """One fix the cleaner made, so a migration can be audited."""

    kind: str
    """What was fixed: "nav-boilerplate", "stray-src", "mailto-fragment", "attribute-run",
    "duplicate-line", "hard-wrap", "caption-lifted", "encoding", "mojibake", ..."""
    detail: str
    """What exactly was removed, kept or changed (shortened input text)."""
    line: int | None = None
    """1-based line in the input where the repair applies (None when not line-based)."""


class Phone(_Record):
    """A telephone number from a contact block."""

    raw: str
    """The number as written, e.g. "+86 10 8532 5303, Ext. 203"."""
    e164: str | None = None
    """The number in E.164 form, e.g. "+861085325303"; None when it cannot be parsed."""
    extension: str | None = None
    """Extension(s), e.g. "203", or "174/167" for a slash list."""
    kind: PhoneKind = "tel"
    """From the label: tel, mobile or fax."""


class Contact(_Record):
    """One person or office from the "For more information, please contact" block."""

    name: str | None = None
    """Person (or mailbox owner) as written, without honorific noise."""
    office: str | None = None
    """The office, e.g. "IOM Beijing"."""
    phones: list[Phone] = Field(default_factory=list)
    """Numbers of this contact (a phone shared by several contacts is on each)."""
    emails: list[Email] = Field(default_factory=list)
    """Addresses recovered from text or from leaked ``mailto:`` markup."""
    email_lost: bool = False
    """Markup debris shows an address once stood here but none survives."""


class Image(_Record):
    """An image of the article, with an absolute URL."""

    url: str
    """Absolute URL (relative paths resolved on the page URL or https://www.iom.int)."""
    src: str
    """The path as found in the page or the leaked markup."""
    caption: str | None = None
    """Caption text, without the credit."""
    credit: str | None = None
    """Photo credit, e.g. "© IOM 2011" or "Photo: IOM/Name"."""
    alt: str | None = None
    """The alt text, when the page kept one."""
    date: dt.date | None = None
    """Date encoded in a PBN photo file name (cn20110315_1.jpg -> 2011-03-15)."""
    country: str | None = None
    """Two-letter code from a PBN photo file name, upper-cased ("CN")."""


class Quote(_Record):
    """Direct speech in the body, with who said it."""

    text: str
    """The speech without quote marks (paragraphs of a long quote joined by a newline)."""
    speaker: str | None = None
    """Full name of the speaker; None when no one can be attributed (never a guess)."""
    role: str | None = None
    """The speaker's title or function as written, e.g. "head of IOM's China Liaison Office"."""
    paragraph: int
    """Index into ``Article.paragraphs`` of the paragraph where the quote starts."""


class Link(_Record):
    """A hyperlink inside the article body."""

    url: str
    """Absolute URL."""
    text: str
    """The link text."""


class Article(_Record):
    """A cleaned legacy page."""

    kind: Literal["article"] = "article"
    """Record discriminator."""
    schema_version: str = SCHEMA_VERSION
    """Version of this record's contract."""
    source_id: str | None = None
    """Stable id of the input in a batch (path, path#line, WARC record id)."""
    source_url: str | None = None
    """The page URL as given."""
    canonical_url: str | None = None
    """The Jahia-canonical form of ``source_url``."""
    title: str
    """Headline of the page."""
    published: dt.date | None = None
    """Publication date, when the page or its images give one."""
    published_source: DateSource | None = None
    """Where ``published`` came from: page, meta, text, url, image-filename."""
    language: Language = "en"
    """Language of the body."""
    dateline: str | None = None
    """Place line that opened the body ("Geneva"), removed from the first paragraph."""
    paragraphs: list[str] = Field(default_factory=list)
    """Body paragraphs, unwrapped; no title, navigation, captions or contact block."""
    quotes: list[Quote] = Field(default_factory=list)
    """Direct speech found in ``paragraphs``."""
    images: list[Image] = Field(default_factory=list)
    """Images of the article (duplicates merged)."""
    contacts: list[Contact] = Field(default_factory=list)
    """People and offices of the contact block."""
    links: list[Link] = Field(default_factory=list)
    """Hyperlinks of the body (HTML input)."""
    body_html: str = ""
    """The body as clean, sanitised, minimal HTML."""
    body_markdown: str = ""
    """The body as Markdown."""
    repairs: list[Repair] = Field(default_factory=list)
    """Every fix the cleaner made."""
    warnings: list[str] = Field(default_factory=list)
    """Doubts the cleaner did not resolve (e.g. an ambiguous day/month order)."""


class ErrorRecord(_Record):
    """Stands for an input that could not become an Article: nothing is lost silently."""

    kind: Literal["error"] = "error"
    """Record discriminator."""
    schema_version: str = SCHEMA_VERSION
    """Version of this record's contract."""
    source_id: str | None = None
    """Stable id of the input in a batch."""
    source_url: str | None = None
    """The page URL, when known."""
    stage: str
    """Where it failed: read, fetch, decode, parse, extract, ..."""
    error_type: str
    """The exception class name, e.g. "EmptyInput"."""
    message: str
    """Human-readable reason."""


Record = Annotated[Article | ErrorRecord, Field(discriminator="kind")]
"""Any line of a JSONL output file."""

RECORD_ADAPTER: TypeAdapter[Article | ErrorRecord] = TypeAdapter(Record)
"""Validates or dumps any record: ``RECORD_ADAPTER.validate_json(line)``."""

_REPAIR_LIST: TypeAdapter[list[Repair]] = TypeAdapter(list[Repair])


def repairs_of(kind: str, found: Iterable[tuple[str, int | None]]) -> list[Repair]:
    """Repairs of one kind from (detail, line) pairs, validated in one call.

    A dump's menu or its hard wraps make dozens of repairs; one list validation
    costs half as much as building each model on its own.

    >>> [r.line for r in repairs_of("hard-wrap", [("joined 2 lines", 4), ("joined 3 lines", 9)])]
    [4, 9]
    """
    return repairs_from((kind, detail, line) for detail, line in found)


PendingRepair = tuple[str, str, int | None]
"""A repair's (kind, detail, line), kept as a tuple until :func:`repairs_from` validates them."""


def repairs_from(found: Iterable[PendingRepair]) -> list[Repair]:
    """Repairs of any kinds from (kind, detail, line) triples, validated in one call.

    For a stage that collects its repairs as it goes and returns them together.

    >>> [r.kind for r in repairs_from([("stray-src", "src=", 3), ("caption-lifted", "A", 4)])]
    ['stray-src', 'caption-lifted']
    """
    return _REPAIR_LIST.validate_python(
        [{"kind": kind, "detail": detail, "line": line} for kind, detail, line in found]
    )
