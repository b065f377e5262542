"""iom_scrape: turn damaged legacy IOM (Jahia CMS) pages into clean, validated records.

>>> import iom_scrape
>>> article = iom_scrape.parse("A Title\\nSome body text that is long enough.")
>>> article.title
'A Title'
"""

from __future__ import annotations

from iom_scrape.batch import BatchSummary, run_batch
from iom_scrape.errors import (
    ArchiveNotFound,
    BinaryInput,
    BodyTooLarge,
    EmptyInput,
    FetchConnectError,
    FetchError,
    FetchStatusError,
    FetchTimeout,
    InputError,
    InputTimeout,
    InvalidUrl,
    IomScrapeError,
    NoContent,
    OfflineCacheMiss,
    RateLimited,
    ReadError,
    RedirectLoop,
    RobotsDisallowed,
    TooManyRedirects,
    TruncatedBody,
    UnsupportedInput,
    UnsupportedScheme,
)
from iom_scrape.fetch import AsyncFetcher, Fetcher, FetchFailure, FetchOptions, Page, canonical_url
from iom_scrape.models import (
    RECORD_ADAPTER,
    SCHEMA_VERSION,
    Article,
    Contact,
    ErrorRecord,
    Image,
    Link,
    Phone,
    Quote,
    Record,
    Repair,
)
from iom_scrape.pipeline import parse, parse_text

__version__ = "0.1.0"

__all__ = [
    "ArchiveNotFound",
    "Article",
    "AsyncFetcher",
    "BatchSummary",
    "BinaryInput",
    "BodyTooLarge",
    "Contact",
    "EmptyInput",
    "ErrorRecord",
    "FetchConnectError",
    "FetchError",
    "FetchFailure",
    "FetchOptions",
    "FetchStatusError",
    "FetchTimeout",
    "Fetcher",
    "Image",
    "InputError",
    "InputTimeout",
    "InvalidUrl",
    "IomScrapeError",
    "Link",
    "NoContent",
    "OfflineCacheMiss",
    "Page",
    "Phone",
    "Quote",
    "RECORD_ADAPTER",
    "RateLimited",
    "ReadError",
    "Record",
    "RedirectLoop",
    "Repair",
    "RobotsDisallowed",
    "SCHEMA_VERSION",
    "TooManyRedirects",
    "TruncatedBody",
    "UnsupportedInput",
    "UnsupportedScheme",
    "__version__",
    "canonical_url",
    "parse",
    "parse_text",
    "run_batch",
]
