"""The exception tree of iom_scrape.

Every error the library raises on purpose derives from :class:`IomScrapeError`
and carries the *stage* it happened in and the *source* (URL, path or record
id) it concerns, so the batch runner turns any of them into an ``ErrorRecord``
without an ``isinstance`` chain::

    IomScrapeError
    ├── InputError                  stage "parse": the input cannot become an Article
    │   ├── EmptyInput              nothing but whitespace
    │   ├── BinaryInput             not text (NUL bytes, mostly control characters)
    │   ├── UnsupportedInput        a kind of input this build cannot parse
    │   ├── NoContent               neither a title nor a body survived cleaning
    │   └── InputTimeout            cleaning one batch input took longer than its limit
    ├── ReadError                   stage "read": a batch input could not be read
    │                               (corrupt gzip, bad JSONL line, truncated WARC)
    └── FetchError                  stage "fetch": carries ``url`` and ``cause``
        ├── FetchTimeout
        ├── FetchConnectError
        ├── FetchStatusError        (``status``)
        │   └── RateLimited         (``retry_after``)
        ├── RedirectLoop
        ├── TooManyRedirects
        ├── BodyTooLarge
        ├── TruncatedBody           the connection closed before the announced body
        ├── InvalidUrl              no host, malformed
        ├── RobotsDisallowed
        ├── UnsupportedScheme
        ├── OfflineCacheMiss
        └── ArchiveNotFound

A repair is not an error: it is a ``Repair`` on the record.
"""

from __future__ import annotations


class IomScrapeError(Exception):
    """Root of every error iom_scrape raises on purpose."""

    stage: str = "parse"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.message} ({self.source})" if self.source else self.message


class InputError(IomScrapeError):
    """The input cannot be turned into an Article."""

    stage = "parse"


class EmptyInput(InputError):
    """The input is empty or only whitespace."""


class BinaryInput(InputError):
    """The input is binary data, not a page."""


class UnsupportedInput(InputError):
    """A kind of input this build does not parse."""


class NoContent(InputError):
    """Neither a title nor any body text survived cleaning."""


class ReadError(IomScrapeError):
    """A batch input could not be read (corrupt archive, bad JSON line, ...)."""

    stage = "read"


class FetchError(IomScrapeError):
    """Retrieving a URL failed; ``url`` names it and ``cause`` says why."""

    stage = "fetch"

    def __init__(self, message: str, *, url: str, cause: str | None = None) -> None:
        super().__init__(message, source=url)
        self.url = url
        self.cause = cause


class FetchTimeout(FetchError):
    """Connecting or reading took longer than the configured timeout."""


class FetchConnectError(FetchError):
    """The host could not be reached."""


class FetchStatusError(FetchError):
    """The server answered with an error status after all retries."""

    def __init__(self, message: str, *, url: str, status: int, cause: str | None = None) -> None:
        super().__init__(message, url=url, cause=cause)
        self.status = status


class RateLimited(FetchStatusError):
    """The server kept answering 429 (or 503 with Retry-After)."""

    def __init__(
        self, message: str, *, url: str, retry_after: float | None = None, cause: str | None = None
    ) -> None:
        super().__init__(message, url=url, status=429, cause=cause)
        self.retry_after = retry_after


class RedirectLoop(FetchError):
    """A redirect chain came back to a URL it had already visited."""


class TooManyRedirects(FetchError):
    """A redirect chain was longer than ``max_redirects``."""


class BodyTooLarge(FetchError):
    """The body (after decompression) exceeded ``max_bytes``."""


class RobotsDisallowed(FetchError):
    """robots.txt of the host disallows this URL for our user agent."""


class UnsupportedScheme(FetchError):
    """Only http and https are fetched (local files need an explicit option)."""


class OfflineCacheMiss(FetchError):
    """Offline mode and the URL is not in the cache."""


class ArchiveNotFound(FetchError):
    """The Wayback Machine holds no capture of the URL."""


class TruncatedBody(FetchError):
    """The connection closed before the body the server announced had arrived."""


class InvalidUrl(FetchError):
    """The URL cannot be requested at all (no host, malformed)."""


class InputTimeout(InputError):
    """Cleaning one input took longer than the batch's per-input time limit."""
