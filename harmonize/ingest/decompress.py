"""Bounded decompression: every gzip a loader inflates stops at an absolute size and a ratio.

A 2 MB gzip of zeros inflates to gigabytes; `gunzip_bounded` inflates in chunks and stops as
soon as either limit is passed, so memory never holds more than the limit."""

from __future__ import annotations

import zlib

GZIP_MAGIC = b"\x1f\x8b"
MAX_INFLATED_BYTES = 256 * 1024 * 1024  # the eCFR's Part 774 XML is about 10 MB
MAX_RATIO = 200  # inflated / compressed; official XML compresses about 10:1
CHUNK = 1 << 20


class DecompressionError(ValueError):
    """A compressed stream is corrupt or inflates past a limit (the message says which)."""


def is_gzip(data: bytes) -> bool:
    return data[:2] == GZIP_MAGIC


def gunzip_bounded(data: bytes, limit: int = MAX_INFLATED_BYTES,
                   ratio: int = MAX_RATIO) -> bytes:
    """The inflated bytes of a gzip stream, or DecompressionError once the output passes
    `limit` bytes or `ratio` times the compressed size (whichever is smaller)."""
    cap = min(limit, max(len(data), 1) * ratio)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    size = 0
    pending = data
    try:
        while pending and not inflater.eof:
            block = inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
            size += len(block)
            if size > cap:
                raise DecompressionError(
                    f"gzip inflates past {cap} bytes ({len(data)} compressed; limits: "
                    f"{limit} bytes, ratio {ratio}:1): a decompression bomb?")
            parts.append(block)
    except zlib.error as error:
        raise DecompressionError(f"corrupt gzip: {error}") from None
    if not inflater.eof:
        raise DecompressionError("corrupt gzip: the stream ends early")
    return b"".join(parts)
