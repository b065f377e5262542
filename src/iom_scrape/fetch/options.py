"""The one options object shared by :class:`Fetcher` and :class:`AsyncFetcher`.

Every field is also a keyword argument of both fetchers, so
``Fetcher(max_retries=5)`` and ``Fetcher(FetchOptions(max_retries=5))`` are the
same thing. The defaults are polite: a migration run against one legacy host
should never look like an attack, and the Wayback Machine's look-up API bans
clients that ignore its limits.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ArchiveMode = Literal["auto", "only", "never"]
"""How ``fetch`` uses the Wayback Machine: as a fallback, exclusively, or not at all."""

DEFAULT_WAYBACK_URL = "https://web.archive.org"
ROBOTS_AGENT = "iom_scrape"
"""The product token robots.txt rules are matched against."""


def library_version() -> str:
    """The installed version, for the User-Agent (``0`` when run from a bare checkout)."""
    try:
        return metadata.version("iom_scrape")
    except metadata.PackageNotFoundError:  # pragma: no cover - editable installs have it
        return "0"


class FetchOptions(BaseModel):
    """Retries, politeness, limits, cache and archive settings of a fetcher."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    max_retries: int = Field(default=3, ge=0)
    """Retries after the first attempt (connection errors, timeouts, 5xx, 429)."""
    backoff: float = Field(default=0.5, ge=0)
    """Base delay in seconds; retry ``n`` waits ``backoff * 2**n`` plus jitter."""
    backoff_max: float = Field(default=30.0, ge=0)
    """Ceiling of one exponential backoff delay, in seconds."""
    jitter: float = Field(default=0.25, ge=0)
    """Up to this fraction is added at random to each delay, so clients spread out."""
    max_retry_after: float = Field(default=120.0, ge=0)
    """A ``Retry-After`` longer than this is not waited for: the fetch fails at once."""
    retry_budget: float = Field(default=300.0, gt=0)
    """Total seconds one URL may spend in attempts and waits before giving up."""
    timeout: float = Field(default=60.0, gt=0)
    """Total seconds for one attempt (connect, headers and the whole body)."""
    connect_timeout: float = Field(default=10.0, gt=0)
    """Seconds to establish a connection."""
    read_timeout: float = Field(default=30.0, gt=0)
    """Seconds of silence allowed while reading."""
    max_bytes: int = Field(default=20_000_000, gt=0)
    """Largest body accepted, after decompression; reading stops past it."""
    max_redirects: int = Field(default=10, ge=0)
    """Redirects followed before ``TooManyRedirects``."""
    concurrency: int = Field(default=16, ge=1)
    """Requests in flight at once across all hosts (and URLs ``fetch_many`` works on)."""
    per_host_concurrency: int = Field(default=4, ge=1)
    """Requests in flight at once to one host."""
    per_host_delay: float = Field(default=0.25, ge=0)
    """Minimum seconds between the starts of two requests to one host."""
    respect_robots: bool = True
    """Fetch robots.txt once per host and refuse disallowed URLs (``RobotsDisallowed``)."""
    user_agent: str | None = None
    """Full User-Agent; by default ``iom_scrape/<version> (+<contact>)``."""
    contact: str | None = None
    """Address (mail or URL) put in the default User-Agent so site owners can reach you."""
    cache_dir: Path | None = None
    """Directory of the on-disk HTTP cache; None disables caching."""
    cache_ttl: float | None = Field(default=None, ge=0)
    """Seconds a cached page is served without asking the server; None follows HTTP rules."""
    offline: bool = False
    """Read only the cache: no request leaves the machine (``OfflineCacheMiss`` on a miss)."""
    allow_local_files: bool = False
    """Accept ``file://`` URLs (read from disk with the same size limit)."""
    wayback_url: str = DEFAULT_WAYBACK_URL
    """Base address of the Wayback Machine (CDX, availability API and ``/web/`` pages)."""
    wayback_lookups_per_minute: float = Field(default=20.0, gt=0)
    """Look-ups (CDX or availability) allowed per minute: the archive bans clients past ~20."""
    wayback_backoff: float = Field(default=60.0, ge=0)
    """Seconds every look-up pauses after the archive answers 429 (doubling per retry)."""

    def agent_string(self) -> str:
        """The User-Agent header: names the library and, when set, the contact."""
        if self.user_agent:
            return self.user_agent
        base = f"{ROBOTS_AGENT}/{library_version()}"
        return f"{base} (+{self.contact})" if self.contact else base


def resolve_options(options: FetchOptions | None, overrides: dict[str, Any]) -> FetchOptions:
    """Merge keyword overrides into an options object, validating them like the model does."""
    base = options or FetchOptions()
    if not overrides:
        return base
    return FetchOptions.model_validate({**base.model_dump(), **overrides})
