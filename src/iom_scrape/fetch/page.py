"""What a fetch returns: :class:`Page` (the bytes and how they were obtained) and
:class:`FetchFailure` (what ``fetch_many`` yields instead of raising).

A page keeps its raw bytes: the repair stage decodes them with its own,
stronger decoder. ``Page.text`` is a convenience decoding that follows the
same order (BOM, archived original header, header, ``<meta>``, UTF-8,
windows-1252) without a detector, since fetch comes before repair.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, overload

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, computed_field

from iom_scrape.errors import FetchError, FetchStatusError, RateLimited

if TYPE_CHECKING:
    from iom_scrape.models import Article

_T = TypeVar("_T")

# `charset=` inside a Content-Type value, quoted or not: `text/html; charset="ISO-8859-1"`.
CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# `<meta charset=..>` or `<meta http-equiv="Content-Type" content="..; charset=..">`,
# searched only in the head of the page (as browsers do, the first 4 KB).
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
META_SCAN_BYTES = 4096
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels browsers decode as windows-1252 (WHATWG Encoding): Latin-1 pages of the
# Jahia 4 era contain cp1252 smart quotes in 0x80-0x9F.
WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}
)
# Headers that carry the charset, the archived original first: on a Wayback page
# `Content-Type` is the archive's, `X-Archive-Orig-Content-Type` the site's own.
CHARSET_HEADERS = ("X-Archive-Orig-Content-Type", "Content-Type")


def header_name(name: str) -> str:
    """The conventional spelling of a header name, so plain dict copies still read well.

    >>> header_name("x-archive-orig-content-type")
    'X-Archive-Orig-Content-Type'
    """
    return "-".join(part.capitalize() for part in name.split("-"))


class PageHeaders(dict[str, str]):
    """Response headers with conventional key spelling and case-insensitive look-up."""

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        super().__init__((header_name(k), v) for k, v in (items or {}).items())

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(header_name(key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(header_name(key))

    @overload
    def get(self, key: str, default: None = None, /) -> str | None: ...
    @overload
    def get(self, key: str, default: str, /) -> str: ...
    @overload
    def get(self, key: str, default: _T, /) -> str | _T: ...
    def get(self, key: str, default: Any = None, /) -> Any:
        """Look a header up whatever its case."""
        return super().get(header_name(key), default)


def _as_page_headers(value: dict[str, str]) -> dict[str, str]:
    return value if isinstance(value, PageHeaders) else PageHeaders(value)


def known_codec(label: str) -> str | None:
    """A charset label Python can decode, lower-cased; None when unknown.

    >>> known_codec("ISO-8859-1"), known_codec("x-made-up")
    ('iso-8859-1', None)
    """
    name = label.strip().lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def declared_charset(headers: Mapping[str, str], content: bytes) -> str | None:
    """The charset the server or the page declares (archived original header first)."""
    for name in CHARSET_HEADERS:
        match = CHARSET_PARAM.search(headers.get(name, "").encode("latin-1", "replace"))
        if match and (codec := known_codec(match.group(1).decode("ascii"))):
            return codec
    match = META_CHARSET.search(content[:META_SCAN_BYTES])
    if match:
        return known_codec(match.group(1).decode("ascii"))
    return None


def decode_page(content: bytes, headers: Mapping[str, str]) -> tuple[str, str]:
    """Decode page bytes without raising; returns the text and the encoding used.

    >>> decode_page("Genève".encode("latin-1"), {"Content-Type": "text/html; charset=iso-8859-1"})
    ('Genève', 'iso-8859-1')
    >>> decode_page("Genève".encode("latin-1"), {})
    ('Genève', 'windows-1252')
    """
    for bom, encoding in BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(encoding, errors="replace"), encoding
    declared = declared_charset(headers, content)
    if declared:
        codec = "cp1252" if declared in WINDOWS_1252_LABELS else declared
        return content.decode(codec, errors="replace"), declared
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace"), "windows-1252"


class Page(BaseModel):
    """A retrieved page: its bytes, headers and the story of how it was obtained."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        ser_json_bytes="base64",
        val_json_bytes="base64",
    )

    url: str
    """The URL asked for."""
    final_url: str
    """The URL the content came from, after redirects (a ``/web/<ts>id_/`` URL when archived)."""
    status: int
    """HTTP status of the final response (200 for a cached or local page)."""
    headers: Annotated[dict[str, str], AfterValidator(_as_page_headers)] = Field(
        default_factory=dict
    )
    """Response headers; look-up ignores case. Archived pages keep ``X-Archive-Orig-*``."""
    content: bytes
    """The body, decompressed, at most ``max_bytes`` long."""
    fetched_at: dt.datetime
    """When the content was retrieved or last revalidated (UTC)."""
    elapsed: float
    """Seconds this call took, waits and retries included."""
    redirects: tuple[str, ...] = ()
    """URLs redirected through, in order (the final URL not included)."""
    from_cache: bool = False
    """The content came from the on-disk cache (possibly after a 304 revalidation)."""
    archived_at: dt.datetime | None = None
    """Capture time of the Wayback snapshot; None for a live page."""

    @cached_property
    def _decoded(self) -> tuple[str, str]:
        """Decode once; a frozen page never changes its bytes."""
        return decode_page(self.content, self.headers)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def encoding(self) -> str:
        """The charset ``text`` was decoded with (declared, else utf-8 or windows-1252)."""
        return self._decoded[1]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        """The body as text (a quick decoding; ``parse`` uses the repair stage's decoder)."""
        return self._decoded[0]

    def parse(self) -> Article:
        """Turn this page into an Article: the same as ``iom_scrape.parse(page)``."""
        from iom_scrape.pipeline import parse  # fetch is an earlier stage than parse

        return parse(self)


class FetchFailure(BaseModel):
    """A URL ``fetch_many`` could not retrieve: yielded in its place, never raised."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, arbitrary_types_allowed=True
    )

    url: str
    """The URL asked for."""
    error_type: str
    """The exception class name, e.g. "FetchTimeout"."""
    message: str
    """Human-readable reason, with the cause."""
    status: int | None = None
    """HTTP status when the server answered with an error."""
    retry_after: float | None = None
    """Seconds the server asked us to wait (429), when it said."""
    error: FetchError = Field(exclude=True, repr=False)
    """The exception itself, to re-raise or hand to the batch runner."""

    @classmethod
    def from_error(cls, url: str, error: FetchError) -> FetchFailure:
        """Describe a failed fetch for the caller's records."""
        status = error.status if isinstance(error, FetchStatusError) else None
        retry_after = error.retry_after if isinstance(error, RateLimited) else None
        return cls(
            url=url,
            error_type=type(error).__name__,
            message=str(error),
            status=status,
            retry_after=retry_after,
            error=error,
        )
