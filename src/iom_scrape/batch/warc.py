"""WARC and ARC archives as batch inputs: one task per page response, nothing lost silently.

warcio reads the records; this module decides which are pages (2xx responses
of HTML or text, not requests, images or redirects), gives each its
WARC-Record-ID as ``source_id`` (``path#offset`` in ARC files, which have no
ids), keeps its HTTP headers for decoding, and notices what warcio lets pass
without a word: a record cut short (fewer bytes than its Content-Length), a
gzipped archive that ends inside a record, a file that is not an archive at
all (warcio reads any five-word line as an ARC header).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from iom_scrape.batch.records import FailedInput, HeaderMap, PagePayload, Task

if TYPE_CHECKING:
    from iom_scrape.batch.sources import SourceOptions, SourceStats

PAGE_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
"""WARC responses of these types are pages; images, CSS, PDFs are ignored."""
READ_CHUNK = 1 << 16


def iter_warc_tasks(
    path: str, options: SourceOptions, stats: SourceStats, *, read_payload: bool = True
) -> Iterator[Task]:
    """One task per page response of a WARC (or ARC), plain or gzipped.

    ``source_id`` is the WARC-Record-ID; the HTTP headers travel with the bytes
    for decoding and the target URI becomes the URL. A truncated record, or an
    archive that breaks, gives a ``FailedInput`` and ends the file. Without
    ``read_payload`` only the ids are right (for counting).
    """
    from warcio.archiveiterator import ArchiveIterator

    offset = 0
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            records = ArchiveIterator(handle)
            for record in records:
                offset = records.offset
                problem = _malformed(record)
                if problem is not None:
                    message = f"not a WARC record at byte {offset}: {problem}"
                    yield FailedInput(f"{path}#{offset}", "read", "ReadError", message)
                    return
                fallback = f"{path}#{offset}"
                task = warc_record_task(record, options, fallback, read_payload=read_payload)
                if task is None:
                    stats.ignored += 1
                    continue
                yield task
            offset = records.offset
            if _has_unread_tail(handle, offset, size):
                yield _truncated_archive(path, offset)
    except Exception as exc:  # warcio raises many kinds: each ends this archive only
        yield FailedInput(
            f"{path}#{offset}", "read", "ReadError", f"unreadable WARC at byte {offset}: {exc}"
        )


def _malformed(record: Any) -> str | None:
    """Why a record warcio parsed is not one (warcio reads any 5-word line as an ARC header)."""
    headers = record.rec_headers
    if record.format == "warc":
        if not headers.get_header("WARC-Record-ID"):
            return "no WARC-Record-ID"
        length = headers.get_header("Content-Length") or ""
        return None if length.isdigit() else "no Content-Length (a header block cut short)"
    uri, length = headers.get_header("uri") or "", headers.get_header("length") or ""
    if length.isdigit() and ("://" in uri or uri.startswith("filedesc:")):
        return None
    return f"bad ARC header (uri {uri[:60]!r}, length {length[:20]!r})"


def is_page_record(record: Any) -> bool:
    """A 2xx response of HTML or text: requests, metadata, images, redirects are not inputs."""
    if record.rec_type not in ("response", "resource"):
        return False
    headers = record.http_headers
    status = headers.get_statuscode() if headers is not None else "200"
    content_type = (headers.get_header("Content-Type") if headers is not None else None) or ""
    return str(status).startswith("2") and _is_page_type(content_type)


def record_id(record: Any, fallback: str) -> str:
    """The WARC-Record-ID, or ``fallback`` (``path#offset``) in an ARC file, which has none."""
    return str(record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>") or fallback


def warc_record_task(
    record: Any, options: SourceOptions, fallback_id: str, *, read_payload: bool = True
) -> Task | None:
    """The page of a WARC response record; None when the record is not a page.

    A response cut short is reported even when it does not look like a page:
    the cut may have taken the headers that said it was one.
    """
    if record.rec_type not in ("response", "resource"):
        _drain(record)
        return None
    source_id = record_id(record, fallback_id)
    url = record.rec_headers.get_header("WARC-Target-URI") or record.rec_headers.get_header("uri")
    page = is_page_record(record)
    content = b""
    if page and read_payload:
        try:
            content = record.content_stream().read(options.max_bytes + 1)
        except Exception as exc:  # broken chunking or content-encoding of this record only
            _drain(record)
            message = f"unreadable WARC payload: {exc}"
            return FailedInput(source_id, "read", "ReadError", message, url)
    missing = _drain(record)
    if missing:
        message = f"truncated WARC record: {missing} bytes missing"
        return FailedInput(source_id, "read", "ReadError", message, url)
    if not page:
        return None
    if len(content) > options.max_bytes:
        return FailedInput(source_id, "read", "ReadError", "page too large", url)
    headers = record.http_headers
    http = HeaderMap(tuple((str(k), str(v)) for k, v in headers.headers)) if headers else None
    return PagePayload(source_id=source_id, content=content, url=url, headers=http)


def _is_page_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return not media or media in PAGE_CONTENT_TYPES


def _drain(record: Any) -> int:
    """Read the rest of a record's block; return how many promised bytes never came."""
    raw = record.raw_stream
    while raw.read(READ_CHUNK):
        pass
    return int(getattr(raw, "limit", 0))


def _has_unread_tail(handle: IO[bytes], offset: int, size: int) -> bool:
    """A gzipped WARC cut inside a record ends the iteration silently: look for the rest."""
    if offset >= size:
        return False
    handle.seek(offset)
    return bool(handle.read(READ_CHUNK).strip())


def _truncated_archive(path: str, offset: int) -> FailedInput:
    return FailedInput(
        f"{path}#{offset}", "read", "ReadError", f"truncated WARC record at byte {offset}"
    )
