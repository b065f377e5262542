"""A small on-disk HTTP cache with ETag/Last-Modified revalidation.

Why not hishel: it caches at the transport level, keyed on the request it
sees, and stores the raw (compressed) stream. We need entries keyed on the
URL *asked* (before redirects), holding the bounded, decompressed body, plus
Wayback look-up answers, and an offline mode that serves any stored entry
however stale. That is about a hundred lines here, and every rule is visible.

Layout: ``<cache_dir>/<2 hex>/<sha256>.json`` (metadata) next to ``.body``
(the bytes). Both are written to a temporary file and renamed into place, so a
crash never leaves a half entry that reads as valid.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from iom_scrape.fetch.page import PageHeaders

# One directive of Cache-Control: `max-age=60`, `no-store`, `s-maxage="30"`.
CACHE_DIRECTIVE = re.compile(r"""([a-z-]+)\s*(?:=\s*"?([^",]*)"?)?""", re.IGNORECASE)


class CacheEntry(BaseModel):
    """What is stored for one asked URL (the body lives in its own file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    redirects: tuple[str, ...] = ()
    fetched_at: str
    archived_at: str | None = None
    stored_at: float
    """Wall-clock seconds (epoch) of storing or of the last successful revalidation."""


def cache_directives(headers: Mapping[str, str]) -> dict[str, str]:
    """Cache-Control as a dict of lower-cased directives.

    >>> cache_directives({"Cache-Control": 'public, max-age=60, no-cache'})
    {'public': '', 'max-age': '60', 'no-cache': ''}
    """
    value = PageHeaders(headers).get("Cache-Control", "")
    return {m.group(1).lower(): m.group(2) or "" for m in CACHE_DIRECTIVE.finditer(value)}


def is_storable(headers: Mapping[str, str]) -> bool:
    """A response may be stored unless it says ``no-store``."""
    return "no-store" not in cache_directives(headers)


def _expires_epoch(headers: Mapping[str, str]) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(
            PageHeaders(headers).get("Expires", "")
        ).timestamp()
    except (TypeError, ValueError):
        return None


def is_fresh(entry: CacheEntry, *, now: float, ttl: float | None) -> bool:
    """Can the entry be served without asking the server? (ttl, max-age, Expires)."""
    age = now - entry.stored_at
    if ttl is not None:
        return age < ttl
    headers = PageHeaders(entry.headers)
    directives = cache_directives(headers)
    if "no-cache" in directives or "no-store" in directives:
        return False
    max_age = directives.get("max-age", "")
    if max_age.isdigit():
        return age < int(max_age)
    expires = _expires_epoch(headers)
    return expires is not None and now < expires


def validators(entry: CacheEntry) -> dict[str, str]:
    """Conditional request headers that let the server answer 304."""
    stored = PageHeaders(entry.headers)
    headers: dict[str, str] = {}
    if etag := stored.get("ETag"):
        headers["If-None-Match"] = etag
    if modified := stored.get("Last-Modified"):
        headers["If-Modified-Since"] = modified
    return headers


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class PageCache:
    """Pages and small JSON notes (Wayback look-ups) stored under a directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _path(self, key: str, suffix: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.directory / digest[:2] / f"{digest}{suffix}"

    def load(self, key: str) -> tuple[CacheEntry, bytes] | None:
        """The stored entry and body of ``key``; None when missing or unreadable."""
        try:
            entry = CacheEntry.model_validate_json(self._path(key, ".json").read_bytes())
            return entry, self._path(key, ".body").read_bytes()
        except (OSError, ValidationError):
            return None

    def store(self, key: str, entry: CacheEntry, content: bytes) -> None:
        """Store an entry: the body first, so metadata never points at a missing body."""
        _write_atomic(self._path(key, ".body"), content)
        _write_atomic(self._path(key, ".json"), entry.model_dump_json().encode("utf-8"))

    def touch(self, key: str, entry: CacheEntry, headers: Mapping[str, str]) -> CacheEntry:
        """Record a 304: the entry is fresh again, with the validators the server resent."""
        merged = PageHeaders(entry.headers)
        merged.update(
            PageHeaders({k: v for k, v in headers.items() if k.lower() != "content-length"})
        )
        updated = entry.model_copy(update={"headers": dict(merged), "stored_at": time.time()})
        _write_atomic(self._path(key, ".json"), updated.model_dump_json().encode("utf-8"))
        return updated

    def load_note(self, key: str) -> dict[str, Any] | None:
        """A small JSON note (e.g. a Wayback look-up answer); None when missing."""
        try:
            note = json.loads(self._path(key, ".note").read_bytes())
        except (OSError, ValueError):
            return None
        return note if isinstance(note, dict) else None

    def store_note(self, key: str, note: dict[str, Any]) -> None:
        """Store a small JSON note."""
        _write_atomic(self._path(key, ".note"), json.dumps(note).encode("utf-8"))
