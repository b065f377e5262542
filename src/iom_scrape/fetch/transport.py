"""One attempt at one URL: stream the response, bound it, and name what went wrong.

This is the boundary with httpx: every httpx exception becomes a typed
:class:`~iom_scrape.errors.FetchError` here (``raise ... from exc``), and the
body is read raw and decoded by :class:`BoundedBody` so neither a huge body
nor a compression bomb can exhaust memory.
"""

from __future__ import annotations

import asyncio
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from iom_scrape.errors import (
    BodyTooLarge,
    FetchConnectError,
    FetchError,
    FetchStatusError,
    FetchTimeout,
    InvalidUrl,
    TruncatedBody,
    UnsupportedScheme,
)
from iom_scrape.fetch.body import BoundedBody
from iom_scrape.fetch.page import PageHeaders

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NOT_MODIFIED = 304


@dataclass(frozen=True, slots=True)
class Response:
    """The parts of an HTTP answer the fetcher uses, body already bounded and decoded."""

    url: str
    status: int
    headers: PageHeaders
    content: bytes


def _headers_of(response: httpx.Response) -> PageHeaders:
    merged: dict[str, str] = {}
    for name, value in response.headers.multi_items():
        merged[name] = f"{merged[name]}, {value}" if name in merged else value
    return PageHeaders(merged)


def _declared_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


async def read_bounded(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """Read and decompress a streamed body, aborting as soon as it passes ``max_bytes``."""
    declared = _declared_length(response)
    if declared is not None and declared > max_bytes:
        raise BodyTooLarge(
            f"the server announced {declared} bytes, more than max_bytes={max_bytes}",
            url=url,
            cause=f"Content-Length {declared} > {max_bytes}",
        )
    body = BoundedBody(url, response.headers.get("content-encoding", ""), max_bytes)
    async for chunk in response.aiter_raw():
        body.feed(chunk)
    return body.finish()


def _transport_error(url: str, exc: Exception, *, body_started: bool) -> FetchError:
    """Name an httpx (or timeout) failure by what it means for the caller."""
    cause = f"{type(exc).__name__}: {exc}".rstrip(": ")
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return FetchTimeout(f"timed out ({type(exc).__name__})", url=url, cause=cause)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return UnsupportedScheme("only http and https URLs are fetched", url=url, cause=cause)
    if isinstance(exc, httpx.InvalidURL):
        return InvalidUrl("the URL cannot be requested", url=url, cause=cause)
    if body_started and isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return TruncatedBody(
            "the connection closed before the body was complete", url=url, cause=cause
        )
    return FetchConnectError("could not get an answer from the host", url=url, cause=cause)


async def send_once(
    client: httpx.AsyncClient,
    url: str,
    *,
    headers: dict[str, str],
    max_bytes: int,
    total_timeout: float,
) -> Response:
    """GET ``url`` once, without following redirects; httpx errors become FetchErrors."""
    body_started = False
    try:
        async with asyncio.timeout(total_timeout):
            async with client.stream("GET", url, headers=headers) as response:
                body_started = True
                content = await read_bounded(response, url, max_bytes)
                return Response(url, response.status_code, _headers_of(response), content)
    except (TimeoutError, httpx.HTTPError, httpx.InvalidURL) as exc:
        raise _transport_error(url, exc, body_started=body_started) from exc


def local_path(url: str) -> Path:
    """The filesystem path of a ``file://`` URL."""
    return Path(unquote(urlsplit(url).path))


def read_local_file(url: str, max_bytes: int) -> Response:
    """Read a ``file://`` URL with the same size limit as the network (explicit option only)."""
    path = local_path(url)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BodyTooLarge(f"the file is larger than max_bytes={max_bytes}", url=url)
        content = path.read_bytes()
    except FileNotFoundError as exc:
        raise FetchStatusError("no such file", url=url, status=404, cause=str(exc)) from exc
    except (IsADirectoryError, PermissionError) as exc:
        raise FetchStatusError("cannot read the file", url=url, status=403, cause=str(exc)) from exc
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Response(url, 200, PageHeaders({"Content-Type": content_type}), content)
