"""`harmonize refresh`: download the current lists from their official publishers.

Each source's refresh rule (`harmonize.ingest.registry.RefreshRule`, in its folder under
`loaders/`) names its publishers' official addresses and the module whose `fetch(ctx)` finds
the current (or an `as_of`) version there and downloads it through the `Context` handed to it;
a source whose publisher serves only the version in force says so (`no_as_of`), and `--as-of`
fails for it with that reason. Discovery pages are read for links only (`Context.links`); their
layouts were modelled without network access from the publishers' public URL schemes, so a
change on their side shows as a clear "no link" failure.

Publishers' addresses can be overridden (tests point every publisher at a local server that
serves fixtures in the same URL layouts): `base_urls={"ecfr": "http://127.0.0.1:8080", ...}`,
or the environment variable `HARMONIZE_PUBLISHERS_BASE`, either one base for every publisher
(`http://127.0.0.1:8080`) or `name=url` pairs separated by commas. Absolute links found on a
publisher's page that point at its official host are rebased the same way.

Transport (`Fetcher`, urllib only): an honest User-Agent naming the tool, a timeout per request,
bounded retries with exponential backoff on network errors, time-outs, truncated or interrupted
transfers, HTTP 5xx, 408 and 429 (no retry on other 4xx or on a wrong format), gzip bodies
(`Content-Encoding: gzip`, or a gzip file served as is) decompressed with a size limit, a size
limit on the body, the declared length checked, and the content type and the bytes checked
before anything is kept: `%PDF-` … `%%EOF` for PDF, a zip holding `word/document.xml` for DOCX,
a well-formed XML document with the expected root for XML (no entities, no network), an HTML
document for HTML, JSON for JSON.

Storing is atomic per source: the files are downloaded into a temporary folder of the store,
verified, parsed by the source's loader and imported through `store.import_source` (which
replaces the manifest atomically); only then is the manifest record completed with the
retrieval facts (URL, retrieved-at, HTTP Date, ETag, Last-Modified, sha256, version date of the
legal text, companion files) and the version kept in the history (`history.adopt_current`). A
failed or interrupted refresh leaves the previous snapshot as it was; one source failing does
not stop the others.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import json
import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from http.client import HTTPException, IncompleteRead
from pathlib import Path
from typing import Any, cast

from lxml import etree

from harmonize import __version__
from harmonize.ingest import store
from harmonize.ingest.registry import RefreshRule, Registry, require
from harmonize.ingest.safexml import html_parser, xml_parser
from harmonize.ingest.store import ProgressFn

ENV_BASE = "HARMONIZE_PUBLISHERS_BASE"
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


# -- addresses ----------------------------------------------------------------------------------

def publisher_bases(official: Mapping[str, str], overrides: dict[str, str] | None = None,
                    environ: dict[str, str] | None = None) -> dict[str, str]:
    """The base URL of each publisher: the `official` ones (the sources' refresh rules), then
    HARMONIZE_PUBLISHERS_BASE, then `overrides` (a key "*" sets every publisher)."""
    bases = dict(official)
    env = (environ if environ is not None else os.environ).get(ENV_BASE, "").strip()
    pairs: dict[str, str] = {}
    if env:
        if "=" in env:
            for part in env.split(","):
                name, _, url = part.partition("=")
                if name.strip() and url.strip():
                    pairs[name.strip()] = url.strip()
        else:
            pairs["*"] = env
    pairs.update(overrides or {})
    if "*" in pairs:
        bases = dict.fromkeys(bases, pairs.pop("*"))
    unknown = sorted(set(pairs) - set(bases))
    if unknown:
        raise ValueError(f"unknown publisher(s) {', '.join(unknown)}; known: "
                         f"{', '.join(sorted(bases))}")
    bases.update(pairs)
    return {name: url.rstrip("/") for name, url in bases.items()}


def rebase(url: str, bases: Mapping[str, str], official: Mapping[str, str]) -> str:
    """An absolute link to an official host, moved to the configured base of that publisher."""
    for name, home in official.items():
        if url.startswith(home + "/") or url == home:
            return bases[name] + url[len(home):]
    return url


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


# -- what a source's fetch step is handed and returns ------------------------------------------

@dataclass
class Download:
    """A verified file for one source: the main file and the companions stored beside it."""

    main: Fetched
    companions: list[Fetched] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # discovery pages read on the way


@dataclass
class Context:
    """What a fetch step works with: checked downloads into the source's staging folder, the
    publishers' base URLs in use, and the date asked for (None: the current version)."""

    fetcher: Fetcher
    bases: dict[str, str]
    folder: Path  # staging folder of this source
    as_of: str | None
    official: Mapping[str, str] = field(default_factory=dict)  # to rebase links found on pages

    def get(self, url: str, expect: str, name: str, root_tags: tuple[str, ...] = ()) -> Fetched:
        return self.fetcher.get(url, expect, self.folder / _safe_name(name), root_tags)

    def page(self, url: str, expect: str = "html") -> str:
        fetched = self.get(url, expect, f".page-{hashlib.sha256(url.encode()).hexdigest()[:12]}")
        try:
            return fetched.path.read_bytes().decode("utf-8", "replace")
        finally:
            fetched.path.unlink(missing_ok=True)

    def links(self, url: str) -> list[tuple[str, str]]:
        """(absolute URL, link text) of every <a href> on the HTML page at `url`, rebased."""
        return _links(self.page(url), url, self.bases, self.official)


def _safe_name(name: str) -> str:
    name = urllib.parse.unquote(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^A-Za-z0-9._ ()-]", "_", name).strip(" .") or "download"
    return name[:150]


def _links(html: str, page_url: str, bases: Mapping[str, str],
           official: Mapping[str, str]) -> list[tuple[str, str]]:
    """(absolute URL, link text) of every <a href> on a page, rebased."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html, parser=html_parser())
    except (etree.ParserError, ValueError):
        return []
    out = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        out.append((rebase(urllib.parse.urljoin(page_url, href), bases, official),
                    " ".join(anchor.text_content().split())))
    return out


# -- refresh ------------------------------------------------------------------------------------

@dataclass
class RefreshOutcome:
    """What happened to one source."""

    source_id: str
    status: str  # "refreshed", "unchanged", "failed"
    message: str = ""
    url: str = ""
    version: str = ""
    sha256: str = ""
    seconds: float = 0.0
    lists: list[dict[str, Any]] = field(default_factory=list)
    retries: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def refresh(sources: list[str] | None = None, as_of: str | None = None,
            base_urls: dict[str, str] | None = None, progress: ProgressFn | None = None,
            root: Path | None = None, fetcher: Fetcher | None = None,
            keep_history: bool = True, *, registry: Registry,
            report: Callable[[RefreshOutcome], None] | None = None) -> list[RefreshOutcome]:
    """Download each source (default: every source with a plan) from its publisher, check,
    parse it with its reader in `registry` and import it; one source failing does not stop the
    others."""
    require(registry, "refresh.refresh")
    if as_of is not None:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise ValueError(f"--as-of {as_of!r} is not a YYYY-MM-DD date") from None
    bases = publisher_bases(registry.publishers(), base_urls)
    base = root or store.home()
    wanted = list(sources or registry.refreshable())
    outcomes: list[RefreshOutcome] = []
    client = fetcher or Fetcher()
    for index, source_id in enumerate(wanted):
        if progress:
            progress(source_id, index, len(wanted))
        client.start_source()
        outcomes.append(refresh_source(source_id, as_of, bases, base, client,
                                       keep_history, registry=registry))
        if report:  # a line per source as it ends, not all at the end
            report(outcomes[-1])
    if progress:
        progress("done", len(wanted), len(wanted))
    return outcomes


def refresh_source(source_id: str, as_of: str | None, bases: dict[str, str], base: Path,
                   fetcher: Fetcher, keep_history: bool = True, *,
                   registry: Registry) -> RefreshOutcome:
    known = require(registry, "refresh.refresh_source").get(source_id)
    started = time.perf_counter()
    rule = known.refresh if known is not None else None
    if rule is None:
        return RefreshOutcome(source_id, "failed", f"no publisher known for {source_id!r} "
                              f"(known: {', '.join(registry.refreshable())})")
    if as_of and rule.no_as_of:
        return RefreshOutcome(source_id, "failed", f"{rule.no_as_of}: --as-of is not supported "
                              "(import a dated folder for an older version)")
    log_start = len(fetcher.log)
    work = base / ".refresh"
    work.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=work, prefix=f"{source_id}."))
    folder = staging / source_id
    folder.mkdir()
    try:
        try:
            download = _fetch_step(rule)(Context(fetcher, bases, folder, as_of,
                                                 registry.publishers()))
        except RefreshError as error:
            return RefreshOutcome(source_id, "failed", str(error), seconds=_since(started),
                                  retries=fetcher.log[log_start:])
        extras = staging / "companions"
        extras.mkdir()
        for companion in download.companions:  # kept out of the folder the loader reads
            target = extras / companion.path.name.removesuffix(".companion")
            os.replace(companion.path, target)
            companion.path = target
        before = store.read_manifest(base)["sources"].get(source_id)
        outcome = store.import_source(source_id, folder, base, registry=registry)
        if outcome.status == "failed":
            return RefreshOutcome(source_id, "failed", f"downloaded from {download.main.url} "
                                  f"but not imported: {outcome.message}", download.main.url,
                                  seconds=_since(started), retries=fetcher.log[log_start:])
        record = _record_retrieval(source_id, base, download, as_of)
        version = max((lst["version"] for lst in record["lists"]), default="")
        unchanged = bool(before) and before.get("sha256") == record["sha256"]
        message = f"{download.main.path.name} ({download.main.size} bytes)"
        if keep_history:
            try:
                from harmonize.ingest import history

                history.adopt_current(source_id, base, {"retrieval": record["retrieval"]},
                                      registry=registry)
            except Exception as error:  # the current snapshot is in place; say what is missing
                message += f"; not kept in the history: {type(error).__name__}: {error}"
        return RefreshOutcome(source_id, "unchanged" if unchanged else "refreshed", message,
                              download.main.url, version, record["sha256"], _since(started),
                              outcome.lists, fetcher.log[log_start:])
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _record_retrieval(source_id: str, base: Path, download: Download,
                      as_of: str | None) -> dict[str, Any]:
    """Complete the manifest record with the retrieval facts and the companion files (stored
    beside the raw file); the manifest is replaced atomically."""
    manifest = store.read_manifest(base)
    record = manifest["sources"][source_id]
    raw_dir = (base / record["raw_file"]).parent
    companions = []
    for companion in download.companions:
        target = raw_dir / companion.path.name
        if not target.is_file():
            store.atomic_write_bytes(target, companion.path.read_bytes())
        companions.append(companion.facts())
    record["origin"] = download.main.url
    record["retrieval"] = {
        **download.main.facts(),
        "version": max((lst["version"] for lst in record["lists"]), default=""),
        "as_of": as_of, "pages": download.pages, "user_agent": USER_AGENT,
    }
    record["companions"] = companions
    store.write_manifest(manifest, base)
    return dict(record)


def _fetch_step(rule: RefreshRule) -> Callable[[Context], Download]:
    """The source's fetch function, imported only when the source is refreshed."""
    step = getattr(importlib.import_module(rule.fetch), "fetch", None)
    if not callable(step):
        raise TypeError(f"{rule.fetch}: a fetch module needs fetch(ctx)")
    return cast(Callable[[Context], Download], step)


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)
