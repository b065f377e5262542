"""Turn what the user names (files, folders, globs, URL lists) into a stream of inputs.

An *input* is one page: a page file, one line of a JSONL export, one response
record of a WARC, or one URL. Each gets a stable ``source_id`` (the path, the
path plus ``#line``, the WARC-Record-ID, the URL) so a rerun recognises what is
already done. Containers are read lazily, one record at a time, so an archive
of any size streams through in flat memory; a container that breaks mid-way
yields a ``FailedInput`` for the record it broke on and stops, never an
exception.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Literal, cast

from iom_scrape.batch.records import FailedInput, HeaderMap, PageFile, PagePayload, Task
from iom_scrape.batch.warc import iter_warc_tasks
from iom_scrape.errors import ReadError

if TYPE_CHECKING:
    from iom_scrape.fetch.options import ArchiveMode

InputKind = Literal["page", "jsonl", "warc", "url"]

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".arc")
GZIP_MAGIC = b"\x1f\x8b"
GLOB_CHARS = frozenset("*?[")
URL_SCHEMES = ("http://", "https://")

DEFAULT_TEXT_FIELDS = ("html", "content", "text", "body", "raw")
"""JSONL fields tried in order for the page when ``text_field`` is not set."""

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""A single page larger than this (after gunzip) is refused: no decompression bomb."""


class BatchUsageError(ValueError):
    """The batch was asked for something impossible (no such input, bad option): exit 2."""


@dataclass(frozen=True, slots=True)
class InputRef:
    """One thing the user named, resolved: a page file, a container, or a URL."""

    kind: InputKind
    location: str


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """How containers are read; picklable, so Dask workers read them the same way."""

    text_field: str | None = None
    """JSONL field holding the page (HTML or text dump); None tries ``DEFAULT_TEXT_FIELDS``."""
    url_field: str = "url"
    """JSONL field holding the page URL."""
    max_bytes: int = DEFAULT_MAX_BYTES
    """Largest page accepted, after decompression."""
    fetch: tuple[tuple[str, Any], ...] = ()
    """Keyword arguments of the ``Fetcher`` that fetches URL inputs (politeness, cache, ...)."""
    archive: ArchiveMode = "never"
    """Whether URL inputs come from the Wayback Machine: never, auto (when gone) or only."""
    timestamp: str | None = None
    """The capture time wanted from the archive (e.g. "2010" or "20100315")."""


@dataclass(slots=True)
class SourceStats:
    """What the stream saw besides tasks: skipped (already done) and ignored records."""

    inputs: int = 0
    skipped: int = 0
    ignored: int = 0


@dataclass(slots=True)
class SeenIds:
    """Ids done in an earlier run plus ids handed out in this one: each input once."""

    previous: Collection[str] = frozenset()
    current: set[str] = field(default_factory=set)

    def claim(self, source_id: str) -> bool:
        """True the first time an id is seen (not done before, not twice in this run)."""
        if source_id in self.previous or source_id in self.current:
            return False
        self.current.add(source_id)
        return True


# -- naming inputs ----------------------------------------------------------------


def classify_path(path: str) -> InputKind | None:
    """Say what a file holds from its name (a ``.gz`` suffix is looked through).

    >>> classify_path("crawl/part-1.warc.gz"), classify_path("a/b.HTM"), classify_path("x.pdf")
    ('warc', 'page', None)
    """
    name = path.lower().removesuffix(".gz")
    if name.endswith(PAGE_SUFFIXES):
        return "page"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    return None


def expand_inputs(
    inputs: Iterable[str], *, urls_file: str | None = None, exclude: Iterable[str] = ()
) -> list[InputRef]:
    """Resolve files, folders (recursive), globs and URLs into input refs, each once.

    A name that matches nothing is a usage error: a typo must not pass as an
    empty archive. ``exclude`` names the run's own outputs (files or folders),
    so an output kept inside the archive folder is never read as an input.
    """
    excluded = tuple(os.path.realpath(path) for path in exclude)
    refs: list[InputRef] = []
    seen: set[str] = set()
    for name in inputs:
        for ref in _expand_one(name):
            key = ref.location if ref.kind == "url" else os.path.realpath(ref.location)
            if key not in seen and not _is_under(key, excluded):
                seen.add(key)
                refs.append(ref)
    if urls_file is not None:
        for url in read_url_list(urls_file):
            if url not in seen:
                seen.add(url)
                refs.append(InputRef("url", url))
    return refs


def _is_under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root + os.sep) for root in roots)


def read_url_list(path: str) -> list[str]:
    """URLs of a list file: one per line; blank lines and ``#`` comments skipped."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = [line.strip() for line in handle]
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchUsageError(f"cannot read the URL list {path}: {exc}") from exc
    return [line for line in lines if line and not line.startswith("#")]


def _expand_one(name: str) -> Iterator[InputRef]:
    if name.startswith(URL_SCHEMES):
        yield InputRef("url", name)
        return
    if os.path.exists(name):
        yield from _expand_path(name, explicit=True)
        return
    if GLOB_CHARS.intersection(name):
        matches = sorted(glob.glob(name, recursive=True))
        if matches:
            for match in matches:
                yield from _expand_path(match, explicit=False)
            return
    raise BatchUsageError(f"no such input: {name}")


def _expand_path(path: str, *, explicit: bool) -> Iterator[InputRef]:
    path = os.path.normpath(path)
    if not os.path.isdir(path):
        kind = classify_path(path)
        if kind is not None or explicit:
            yield InputRef(kind or "page", path)
        return
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        for file_name in sorted(files):
            kind = classify_path(file_name)
            if kind is not None:
                yield InputRef(kind, os.path.join(folder, file_name))


# -- reading inputs ---------------------------------------------------------------


def iter_tasks(
    refs: Iterable[InputRef],
    options: SourceOptions,
    seen: SeenIds,
    stats: SourceStats,
    *,
    fetch_urls: Callable[[list[str], SourceOptions], Iterator[Task]] | None = None,
) -> Iterator[Task]:
    """Stream the tasks of all inputs not yet done, counting skipped and ignored ones.

    URLs are gathered and fetched together at the end (the fetcher works best
    on many URLs at once); ``fetch_urls`` defaults to :func:`fetch_url_tasks`.
    """
    urls: list[str] = []
    for ref in refs:
        if ref.kind == "url":
            stats.inputs += 1
            if seen.claim(ref.location):
                urls.append(ref.location)
            else:
                stats.skipped += 1
            continue
        for task in _container_tasks(ref, options, stats):
            stats.inputs += 1
            if seen.claim(task.source_id):
                yield task
            else:
                stats.skipped += 1
    if urls:
        yield from (fetch_urls or fetch_url_tasks)(urls, options)


def _container_tasks(ref: InputRef, options: SourceOptions, stats: SourceStats) -> Iterator[Task]:
    if ref.kind == "page":
        return iter((PageFile(source_id=ref.location, path=ref.location),))
    if ref.kind == "jsonl":
        return iter_jsonl_tasks(ref.location, options)
    return iter_warc_tasks(ref.location, options, stats)


def read_page_file(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a page file, gunzipped when it is gzip (by name or by magic bytes).

    Raises ``ReadError`` for an unreadable file, a corrupt gzip, or a page past
    ``max_bytes``.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ReadError(f"cannot read the file: {exc}", source=path) from exc
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(data, path, max_bytes)
    elif path.lower().endswith(".gz"):
        raise ReadError("not a gzip file (no gzip header)", source=path)
    if len(data) > max_bytes:
        raise ReadError(f"page larger than {max_bytes} bytes", source=path)
    return data


def _gunzip(data: bytes, path: str, max_bytes: int) -> bytes:
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise ReadError(f"corrupt gzip: {exc}", source=path) from exc
    if len(out) <= max_bytes and not decompressor.eof:
        raise ReadError("corrupt gzip: the stream ends before its end marker", source=path)
    return out


def _open_maybe_gzip(path: str) -> IO[bytes]:
    handle = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    magic = handle.read(2)
    handle.seek(0)
    if magic == GZIP_MAGIC:
        return cast(IO[bytes], gzip.GzipFile(fileobj=handle, mode="rb"))
    if path.lower().endswith(".gz"):
        handle.close()
        raise ReadError("not a gzip file (no gzip header)", source=path)
    return handle


# -- JSONL ------------------------------------------------------------------------


def iter_jsonl_tasks(path: str, options: SourceOptions) -> Iterator[Task]:
    """One task per non-blank line of a JSONL export: ``source_id`` is ``path#line``."""
    line_no = 0
    try:
        with _open_maybe_gzip(path) as handle:
            for line_no, line in enumerate(handle, start=1):
                if line.strip():
                    yield jsonl_line_task(line, f"{path}#{line_no}", options)
    except (OSError, EOFError, zlib.error, ReadError) as exc:
        message = exc.message if isinstance(exc, ReadError) else f"corrupt or unreadable: {exc}"
        yield FailedInput(f"{path}#{line_no + 1}", "read", "ReadError", message)


def jsonl_line_task(line: bytes, source_id: str, options: SourceOptions) -> Task:
    """The page of one JSONL line, or a ``FailedInput`` saying why there is none."""
    try:
        record: Any = json.loads(line)
    except ValueError as exc:
        return FailedInput(source_id, "read", "ReadError", f"line is not JSON: {exc}")
    if not isinstance(record, dict):
        return FailedInput(source_id, "read", "ReadError", "line is not a JSON object")
    url = record.get(options.url_field)
    url = url if isinstance(url, str) and url else None
    fields = (options.text_field,) if options.text_field else DEFAULT_TEXT_FIELDS
    for name in fields:
        value = record.get(name)
        if isinstance(value, str):
            return PagePayload(source_id=source_id, content=value, url=url)
    wanted = " or ".join(repr(name) for name in fields)
    return FailedInput(source_id, "read", "ReadError", f"no text field {wanted}", url)


# -- URLs -------------------------------------------------------------------------


def fetcher_available() -> bool:
    """True when this build has the fetcher that URL inputs need."""
    try:
        from iom_scrape.fetch import Fetcher  # noqa: F401
    except ImportError:
        return False
    return True


def fetch_url_tasks(urls: list[str], options: SourceOptions) -> Iterator[Task]:
    """Fetch URLs with the library's fetcher, one task per URL as each completes."""
    from iom_scrape.fetch import Fetcher

    with Fetcher(**dict(options.fetch)) as fetcher:
        for item in fetcher.fetch_many(urls, archive=options.archive, timestamp=options.timestamp):
            yield fetched_task(item)


def fetched_task(item: Any) -> Task:
    """A fetched ``Page`` becomes a payload; a ``FetchFailure`` becomes a failed input."""
    asked = str(item.url)
    if not hasattr(item, "content"):
        error = getattr(item, "error", None)
        stage = str(getattr(error, "stage", "fetch"))
        error_type = str(getattr(item, "error_type", None) or type(error or item).__name__)
        message = str(getattr(item, "message", None) or error or item)
        return FailedInput(asked, stage, error_type, message, asked)
    final_url = getattr(item, "final_url", None) or asked
    headers = HeaderMap(tuple((str(k), str(v)) for k, v in dict(item.headers).items()))
    return PagePayload(source_id=asked, content=item.content, url=final_url, headers=headers)


def count_pending_inputs(
    refs: Iterable[InputRef], options: SourceOptions, previous: Collection[str]
) -> int:
    """How many inputs a run will clean, for the progress bar's total and ETA.

    Reads JSONL lines and WARC headers (not payloads), so it is cheap next to
    cleaning; it runs beside the batch in a thread.
    """
    seen = SeenIds(previous=previous)
    stats = SourceStats()
    pending = 0
    for ref in refs:
        ids = [ref.location] if ref.kind in ("url", "page") else _container_ids(ref, options, stats)
        pending += sum(1 for source_id in ids if seen.claim(source_id))
    return pending


def _container_ids(ref: InputRef, options: SourceOptions, stats: SourceStats) -> Iterator[str]:
    if ref.kind == "jsonl":
        return _jsonl_ids(ref.location)
    tasks = iter_warc_tasks(ref.location, options, stats, read_payload=False)
    return (task.source_id for task in tasks)


def _jsonl_ids(path: str) -> Iterator[str]:
    line_no = 0
    try:
        with _open_maybe_gzip(path) as handle:
            for line_no, line in enumerate(handle, start=1):
                if line.strip():
                    yield f"{path}#{line_no}"
    except (OSError, EOFError, zlib.error, ReadError):
        yield f"{path}#{line_no + 1}"
