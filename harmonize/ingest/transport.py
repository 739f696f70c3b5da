"""The transport of `harmonize refresh`: bounded, checked HTTP GETs (urllib only).

An honest User-Agent, a timeout per request, bounded retries with exponential backoff on
network errors, time-outs, truncated or interrupted transfers, HTTP 5xx, 408 and 429 (no retry
on other 4xx or on a wrong format), a deadline per source over all of it, gzip bodies inflated
with a size limit, a size limit on the body, the declared length checked, and the content type
and the bytes checked before anything is kept (see refresh.py for what is fetched)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPException, IncompleteRead
from pathlib import Path
from typing import Any

from lxml import etree

from harmonize import __version__
from harmonize.ingest import store
from harmonize.ingest.safexml import xml_parser

USER_AGENT = (f"harmonize/{__version__} (Export Control Harmonization Dashboard; refresh of "
              "official export control lists; python-urllib)")
MAX_BYTES = 200 * 1024 * 1024  # no official list comes near this (the largest PDF is ~4 MB)
CHUNK = 64 * 1024

ACCEPT = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xml": "application/xml, text/xml",
    "html": "text/html, application/xhtml+xml",
    "json": "application/json",
}
CONTENT_TYPES = {  # acceptable Content-Type values (main type only) per expected format
    "pdf": {"application/pdf", "application/x-pdf", "application/octet-stream",
            "binary/octet-stream"},
    "docx": {ACCEPT["docx"], "application/zip", "application/octet-stream",
             "binary/octet-stream", "application/msword"},
    "xml": {"application/xml", "text/xml", "application/octet-stream", "application/x-gzip",
            "application/gzip"},
    "html": {"text/html", "application/xhtml+xml"},
    "json": {"application/json", "text/json"},
}


class RefreshError(Exception):
    """A download or a check failed: the message names the URL and the reason."""

    def __init__(self, message: str, retry: bool = False) -> None:
        super().__init__(message)
        self.retry = retry


# -- transport ----------------------------------------------------------------------------------

@dataclass
class Fetched:
    """One verified download."""

    url: str
    path: Path
    sha256: str
    size: int
    content_type: str
    http_date: str
    etag: str
    last_modified: str
    retrieved_at: str
    attempts: int

    def facts(self) -> dict[str, Any]:
        return {"url": self.url, "file": self.path.name, "sha256": self.sha256, "size": self.size,
                "content_type": self.content_type, "http_date": self.http_date,
                "etag": self.etag, "last_modified": self.last_modified,
                "retrieved_at": self.retrieved_at}


# Defaults: a publisher that never answers costs at most SOURCE_DEADLINE seconds per source
# (the old 30 s x 4 attempts cost about 127 s a request); each can be set by the environment
# (HARMONIZE_REFRESH_TIMEOUT, _RETRIES, _DEADLINE) or the refresh command's options.
REQUEST_TIMEOUT = 15.0
RETRIES = 2
SOURCE_DEADLINE = 30.0


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    try:
        return float(value) if value.strip() else default
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a number") from None


def default_limits() -> tuple[float, int, float]:
    """(timeout per request, retries per request, deadline per source), from the environment
    or the defaults above."""
    return (_env_number("HARMONIZE_REFRESH_TIMEOUT", REQUEST_TIMEOUT),
            int(_env_number("HARMONIZE_REFRESH_RETRIES", RETRIES)),
            _env_number("HARMONIZE_REFRESH_DEADLINE", SOURCE_DEADLINE))


@dataclass
class Fetcher:
    """Bounded, checked HTTP GETs (see the module doc)."""

    timeout: float = REQUEST_TIMEOUT
    retries: int = RETRIES  # attempts after the first
    backoff: float = 1.0  # seconds before the first retry; doubles, capped at max_backoff
    max_backoff: float = 8.0
    max_bytes: int = MAX_BYTES
    sleep: Callable[[float], None] = time.sleep
    log: list[str] = field(default_factory=list)
    # Seconds one source may take in all (requests, retries, waits); `start_source` arms it.
    deadline: float = SOURCE_DEADLINE
    _ends_at: float = field(default=float("inf"), repr=False)

    def start_source(self) -> None:
        """Start the clock of one source's deadline."""
        self._ends_at = time.monotonic() + self.deadline

    def _left(self, url: str) -> float:
        """Seconds left before the source's deadline; RefreshError (no retry) once passed."""
        left = self._ends_at - time.monotonic()
        if left <= 0:
            raise RefreshError(f"{url}: gave up: the source took longer than its "
                               f"{self.deadline:g} s limit")
        return left

    def get(self, url: str, expect: str, dest: Path, root_tags: tuple[str, ...] = ()) -> Fetched:
        """Download `url` to `dest` (a new file), checked as `expect`; RefreshError otherwise."""
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme not in ("http", "https"):
            raise RefreshError(f"{url}: only http(s) URLs are fetched")
        attempt = 0
        while True:
            attempt += 1
            try:
                self._left(url)
                fetched = self._once(url, expect, dest, attempt)
                check_format(fetched.path, expect, url, root_tags)
                return fetched
            except RefreshError as error:
                dest.unlink(missing_ok=True)
                if not error.retry or attempt > self.retries:
                    suffix = f" (after {attempt} attempts)" if attempt > 1 else ""
                    raise RefreshError(f"{error}{suffix}") from None
                wait = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
                if wait >= self._ends_at - time.monotonic():
                    raise RefreshError(f"{error} (no time left for a retry within the "
                                       f"source's {self.deadline:g} s limit)") from None
                self.log.append(f"retry {attempt} of {url} in {wait:.1f}s: {error}")
                self.sleep(wait)

    def _once(self, url: str, expect: str, dest: Path, attempt: int) -> Fetched:
        request = urllib.request.Request(url, headers={
            "User-Agent": USER_AGENT, "Accept": ACCEPT.get(expect, "*/*"),
            "Accept-Encoding": "gzip",
        })
        try:
            timeout = min(self.timeout, self._left(url))
            response = urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            error.close()
            retry = error.code >= 500 or error.code in (408, 429)
            raise RefreshError(f"{url}: HTTP {error.code} {error.reason}", retry) from None
        except TimeoutError as error:
            raise RefreshError(f"{url}: timed out after {self.timeout:g} s", True) from error
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                raise RefreshError(f"{url}: timed out after {self.timeout:g} s", True) from None
            raise RefreshError(f"{url}: cannot connect: {reason}", True) from None
        except (HTTPException, OSError) as error:
            raise RefreshError(f"{url}: connection failed: {error}", True) from None
        with response:
            headers = response.headers
            content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
            allowed = CONTENT_TYPES.get(expect, set())
            if allowed and content_type not in allowed:
                raise RefreshError(f"{url}: content type {content_type or 'none'!r}, expected "
                                   f"{expect.upper()} ({', '.join(sorted(allowed))}); "
                                   "an error page?")
            declared = headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise RefreshError(f"{url}: {int(declared)} bytes is over the limit of "
                                   f"{self.max_bytes}")
            encoding = (headers.get("Content-Encoding") or "").strip().lower()
            size, digest = self._body(response, url, dest, encoding, declared)
            return Fetched(
                url=url, path=dest, sha256=digest, size=size, content_type=content_type,
                http_date=headers.get("Date", ""), etag=headers.get("ETag", ""),
                last_modified=headers.get("Last-Modified", ""), retrieved_at=store.now_iso(),
                attempts=attempt,
            )

    def _body(self, response: Any, url: str, dest: Path, encoding: str,
              declared: str | None) -> tuple[int, str]:
        """Stream the body to `dest` (gunzipped when the reply says gzip), with limits."""
        if encoding not in ("", "identity", "gzip", "x-gzip"):
            raise RefreshError(f"{url}: unsupported Content-Encoding {encoding!r}")
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if "gzip" in encoding else None
        received = written = 0
        digest = hashlib.sha256()
        try:
            with dest.open("xb") as out:
                while True:
                    try:
                        block = response.read(CHUNK)
                    except IncompleteRead as error:
                        raise RefreshError(
                            f"{url}: truncated body: the connection closed after "
                            f"{received + len(error.partial)} of {declared} bytes", True) from None
                    except TimeoutError:
                        raise RefreshError(f"{url}: timed out during the transfer after "
                                           f"{received} bytes", True) from None
                    except (HTTPException, OSError) as error:
                        raise RefreshError(f"{url}: transfer interrupted after {received} "
                                           f"bytes: {error}", True) from None
                    if not block:
                        break
                    received += len(block)
                    if received > self.max_bytes:
                        raise RefreshError(f"{url}: body over the limit of {self.max_bytes} bytes")
                    data = block if inflater is None else inflater.decompress(block, CHUNK * 64)
                    while inflater is not None and inflater.unconsumed_tail:
                        out.write(data)
                        digest.update(data)
                        written += len(data)
                        if written > self.max_bytes:
                            raise RefreshError(f"{url}: gzip body inflates past the limit of "
                                               f"{self.max_bytes} bytes")
                        data = inflater.decompress(inflater.unconsumed_tail, CHUNK * 64)
                    out.write(data)
                    digest.update(data)
                    written += len(data)
                    if written > self.max_bytes:
                        raise RefreshError(f"{url}: body inflates past the limit of "
                                           f"{self.max_bytes} bytes")
                if inflater is not None:
                    tail = inflater.flush()
                    out.write(tail)
                    digest.update(tail)
                    written += len(tail)
                    if not inflater.eof:
                        raise RefreshError(f"{url}: truncated gzip body ({received} bytes)", True)
        except zlib.error as error:
            raise RefreshError(f"{url}: corrupt gzip body: {error}", True) from None
        if declared and declared.isdigit() and received != int(declared):
            raise RefreshError(f"{url}: truncated body: {received} of {declared} bytes", True)
        if written == 0:
            raise RefreshError(f"{url}: empty body", True)
        return written, digest.hexdigest()


def _gunzip_in_place(path: Path, url: str, limit: int) -> None:
    """A gzip file served as is (no Content-Encoding): keep the decompressed bytes."""
    tmp = path.with_name(path.name + ".gunzip")
    try:
        with gzip.open(path, "rb") as src, tmp.open("wb") as out:
            total = 0
            while block := src.read(CHUNK):
                total += len(block)
                if total > limit:
                    raise RefreshError(f"{url}: gzip file inflates past {limit} bytes")
                out.write(block)
        os.replace(tmp, path)
    except (OSError, EOFError, zlib.error) as error:
        tmp.unlink(missing_ok=True)
        raise RefreshError(f"{url}: truncated or corrupt gzip file: {error}", True) from None


def check_format(path: Path, expect: str, url: str, root_tags: tuple[str, ...] = ()) -> None:
    """The downloaded bytes are what the publisher should serve (see the module doc)."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head[:2] == b"\x1f\x8b" and expect in ("xml", "html", "json"):
        _gunzip_in_place(path, url, MAX_BYTES)
        with path.open("rb") as handle:
            head = handle.read(4096)
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if expect == "pdf":
        if not head.startswith(b"%PDF-"):
            raise RefreshError(f"{url}: not a PDF (starts {head[:16]!r})")
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 2048))
            if b"%%EOF" not in handle.read():
                raise RefreshError(f"{url}: truncated PDF (no %%EOF at the end)", True)
    elif expect == "docx":
        if not head.startswith(b"PK\x03\x04"):
            raise RefreshError(f"{url}: not a DOCX (no zip signature; starts {head[:16]!r})")
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                bad = archive.testzip()
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise RefreshError(f"{url}: damaged DOCX (truncated?): {error}", True) from None
        if bad is not None:
            raise RefreshError(f"{url}: damaged DOCX member {bad}", True)
        if "word/document.xml" not in names:
            raise RefreshError(f"{url}: a zip file but not a Word document")
    elif expect == "xml":
        if not text_head.startswith(b"<"):
            raise RefreshError(f"{url}: not XML (starts {head[:16]!r})")
        try:
            root = etree.parse(str(path), xml_parser()).getroot()
        except etree.XMLSyntaxError as error:
            raise RefreshError(f"{url}: not well-formed XML (truncated?): {error}", True) \
                from None
        tag = etree.QName(root).localname
        if root_tags and tag not in root_tags:
            raise RefreshError(f"{url}: XML root <{tag}>, expected "
                               f"{' or '.join(f'<{t}>' for t in root_tags)}")
    elif expect == "html":
        lower = text_head[:4096].lower()
        if not (lower.startswith(b"<!doctype html") or b"<html" in lower):
            raise RefreshError(f"{url}: not an HTML page (starts {head[:16]!r})")
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 4096))
            if b"</html" not in handle.read().lower():
                raise RefreshError(f"{url}: truncated HTML (no </html> at the end)", True)
    elif expect == "json":
        try:
            json.loads(path.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise RefreshError(f"{url}: not JSON (truncated?): {error}", True) from None
