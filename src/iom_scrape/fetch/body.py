"""Bounded body decoding: gzip, deflate and brotli without decompression bombs.

A 50 KB gzip body can inflate to gigabytes. The body is therefore read raw and
inflated chunk by chunk with an output ceiling, so memory never grows past
``max_bytes`` (plus one chunk) whatever the compression ratio.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import brotli

from iom_scrape.errors import BodyTooLarge

CHUNK_LIMIT = 64 * 1024
"""Most bytes one decompression step may produce before we check the total."""
GZIP_WBITS = 16 + zlib.MAX_WBITS
ZLIB_WBITS = zlib.MAX_WBITS
RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


class Decoder(Protocol):
    """One content-coding: takes raw bytes, returns at most ``limit`` bytes per step."""

    def decode(self, data: bytes, limit: int) -> bytes: ...


class IdentityDecoder:
    """``Content-Encoding: identity`` (or none, or one we do not know)."""

    def decode(self, data: bytes, limit: int) -> bytes:
        """Pass bytes through unchanged."""
        return data


class ZlibDecoder:
    """gzip and deflate; "deflate" is sent zlib-wrapped or raw, so the first byte decides."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._inflater: zlib._Decompress | None = None
        self._pending = b""

    def _start(self, data: bytes) -> zlib._Decompress:
        if self._coding == "gzip":
            return zlib.decompressobj(GZIP_WBITS)
        # RFC 1950 header: compression method 8, and a 16-bit check that is a multiple of 31.
        zlib_wrapped = (
            len(data) >= 2 and (data[0] & 0x0F) == 8 and (data[0] << 8 | data[1]) % 31 == 0
        )
        return zlib.decompressobj(ZLIB_WBITS if zlib_wrapped else RAW_DEFLATE_WBITS)

    def decode(self, data: bytes, limit: int) -> bytes:
        """Inflate at most ``limit`` bytes now; the rest of the input waits its turn."""
        if self._inflater is None:
            self._inflater = self._start(data)
        source = self._pending + data
        output = self._inflater.decompress(source, limit)
        self._pending = self._inflater.unconsumed_tail
        return output


class BrotliDecoder:
    """``br``: the brotli package's output limit keeps each step bounded."""

    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()
        self._pending = b""

    def decode(self, data: bytes, limit: int) -> bytes:
        """Decompress at most about ``limit`` bytes; new input waits until brotli takes more."""
        self._pending += data
        if self._decompressor.can_accept_more_data():
            chunk, self._pending = self._pending, b""
            return bytes(self._decompressor.process(chunk, output_buffer_limit=limit))
        return bytes(self._decompressor.process(b"", output_buffer_limit=limit))


def decoder_for(coding: str) -> Decoder:
    """The decoder of one content-coding token."""
    token = coding.strip().lower()
    if token in ("gzip", "x-gzip", "deflate"):
        return ZlibDecoder("deflate" if token == "deflate" else "gzip")
    if token == "br":
        return BrotliDecoder()
    return IdentityDecoder()


class BoundedBody:
    """Collects a streamed body, undoing its content-codings, never past ``max_bytes``."""

    def __init__(self, url: str, content_encoding: str, max_bytes: int) -> None:
        codings = [c for c in content_encoding.split(",") if c.strip()]
        # Codings are listed in the order applied, so they are undone in reverse.
        self._decoders = [decoder_for(c) for c in reversed(codings)]
        self._url = url
        self._max_bytes = max_bytes
        self._raw_size = 0
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, raw: bytes) -> None:
        """Take the next raw chunk; raises BodyTooLarge as soon as a bound is passed."""
        self._raw_size += len(raw)
        if self._raw_size > self._max_bytes:
            self._too_large("the body on the wire")
        self._drain(raw)

    def finish(self) -> bytes:
        """Flush the decoders and return the whole body."""
        self._drain(b"")
        return b"".join(self._parts)

    def _drain(self, raw: bytes) -> None:
        """Decode until the decoders have nothing more to give for the input so far."""
        data = raw
        while True:
            output = self._step(data)
            data = b""
            if not output:
                return
            self._size += len(output)
            if self._size > self._max_bytes:
                self._too_large("the decompressed body")
            self._parts.append(output)

    def _step(self, data: bytes) -> bytes:
        """Push ``data`` through every decoder, each producing at most one bounded chunk."""
        for decoder in self._decoders:
            data = decoder.decode(data, CHUNK_LIMIT)
        return data

    def _too_large(self, what: str) -> None:
        raise BodyTooLarge(
            f"{what} is larger than max_bytes={self._max_bytes}",
            url=self._url,
            cause=f"{what} exceeded {self._max_bytes} bytes",
        )
