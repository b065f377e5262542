"""iom_scrape: turn damaged legacy IOM (Jahia CMS) pages into clean, validated records.

>>> import iom_scrape
>>> article = iom_scrape.parse("A Title\\nSome body text that is long enough.")
>>> article.title
'A Title'
"""

from __future__ import annotations

from iom_scrape.errors import (
    BinaryInput,
    EmptyInput,
    FetchError,
    InputError,
    IomScrapeError,
    NoContent,
    ReadError,
    UnsupportedInput,
)
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
    "Article",
    "BinaryInput",
    "Contact",
    "EmptyInput",
    "ErrorRecord",
    "FetchError",
    "Image",
    "InputError",
    "IomScrapeError",
    "Link",
    "NoContent",
    "Phone",
    "Quote",
    "RECORD_ADAPTER",
    "ReadError",
    "Record",
    "Repair",
    "SCHEMA_VERSION",
    "UnsupportedInput",
    "__version__",
    "parse",
    "parse_text",
]
