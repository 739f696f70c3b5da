"""`harmonize refresh`: download the current lists from their official publishers.

One plan per source says where the publisher serves its text and how to find the current (or an
`as_of`) version:

- `us-ccl` (XML): eCFR versioner, `/api/versioner/v1/titles` (latest issue date of title 15,
  or `as_of`), then `/api/versioner/v1/full/{date}/title-15.xml?part=774`; parts 738, 740 and
  744 are stored beside it (companion files).
- `eu-annex-i` (HTML): EUR-Lex, the consolidated versions of CELEX 32021R0821 named on
  `/legal-content/EN/ALL/?uri=CELEX:32021R0821` (the latest, or the latest on or before
  `as_of`), then `/legal-content/EN/TXT/HTML/?uri=CELEX:02021R0821-YYYYMMDD`.
- `wassenaar` (PDF): the "Control Lists" page `/control-lists/`, the list PDF it links
  (`/app/uploads/YYYY/MM/…List-of-Dual-Use…pdf`; newest, or newest uploaded by `as_of`).
- `au-dsgl` (DOCX): legislation.gov.au `/F2024L01024/latest/downloads` (or
  `/F2024L01024/asat/{date}/downloads`), the Word rendition linked there.
- `no-list-ii` (PDF): lovdata `/dokument/SF/forskrift/2013-06-19-718`, the list II PDF linked.
- `uk-sel` (PDF): the GOV.UK publication page of the consolidated list, its PDF attachment
  (on assets.publishing.service.gov.uk).
- `ca-ecl` (XML): Justice Canada `/eng/XML/SOR-89-202.xml` (current consolidation only).

The discovery pages (Wassenaar, legislation.gov.au, lovdata, GOV.UK, the EUR-Lex "ALL" page)
are read for links only; their layouts were modelled without network access from the
publishers' public URL schemes, so a change on their side shows as a clear "no link" failure.

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
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from http.client import HTTPException, IncompleteRead
from pathlib import Path
from typing import Any

from lxml import etree

from harmonize import __version__
from harmonize.ingest import store
from harmonize.ingest.registry import Registry, require
from harmonize.ingest.store import ProgressFn

ENV_BASE = "HARMONIZE_PUBLISHERS_BASE"
USER_AGENT = (f"harmonize/{__version__} (Export Control Harmonization Dashboard; refresh of "
              "official export control lists; python-urllib)")
DEFAULT_BASES: dict[str, str] = {
    "ecfr": "https://www.ecfr.gov",
    "eurlex": "https://eur-lex.europa.eu",
    "wassenaar": "https://www.wassenaar.org",
    "legislation-au": "https://www.legislation.gov.au",
    "lovdata": "https://lovdata.no",
    "govuk": "https://www.gov.uk",
    "govuk-assets": "https://assets.publishing.service.gov.uk",
    "justice-ca": "https://laws-lois.justice.gc.ca",
}
MAX_BYTES = 200 * 1024 * 1024  # no official list comes near this (the largest PDF is ~4 MB)
CHUNK = 64 * 1024
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")

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

def publisher_bases(overrides: dict[str, str] | None = None,
                    environ: dict[str, str] | None = None) -> dict[str, str]:
    """The base URL of each publisher: the official ones, then HARMONIZE_PUBLISHERS_BASE,
    then `overrides` (a key "*" sets every publisher)."""
    bases = dict(DEFAULT_BASES)
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


def rebase(url: str, bases: dict[str, str]) -> str:
    """An absolute link to an official host, moved to the configured base of that publisher."""
    for name, official in DEFAULT_BASES.items():
        if url.startswith(official + "/") or url == official:
            return bases[name] + url[len(official):]
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


@dataclass
class Fetcher:
    """Bounded, checked HTTP GETs (see the module doc)."""

    timeout: float = 30.0
    retries: int = 3  # attempts after the first
    backoff: float = 1.0  # seconds before the first retry; doubles, capped at max_backoff
    max_backoff: float = 16.0
    max_bytes: int = MAX_BYTES
    sleep: Callable[[float], None] = time.sleep
    log: list[str] = field(default_factory=list)

    def get(self, url: str, expect: str, dest: Path, root_tags: tuple[str, ...] = ()) -> Fetched:
        """Download `url` to `dest` (a new file), checked as `expect`; RefreshError otherwise."""
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme not in ("http", "https"):
            raise RefreshError(f"{url}: only http(s) URLs are fetched")
        attempt = 0
        while True:
            attempt += 1
            try:
                fetched = self._once(url, expect, dest, attempt)
                check_format(fetched.path, expect, url, root_tags)
                return fetched
            except RefreshError as error:
                dest.unlink(missing_ok=True)
                if not error.retry or attempt > self.retries:
                    suffix = f" (after {attempt} attempts)" if attempt > 1 else ""
                    raise RefreshError(f"{error}{suffix}") from None
                wait = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
                self.log.append(f"retry {attempt} of {url} in {wait:.1f}s: {error}")
                self.sleep(wait)

    def _once(self, url: str, expect: str, dest: Path, attempt: int) -> Fetched:
        request = urllib.request.Request(url, headers={
            "User-Agent": USER_AGENT, "Accept": ACCEPT.get(expect, "*/*"),
            "Accept-Encoding": "gzip",
        })
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
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
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False)
        try:
            root = etree.parse(str(path), parser).getroot()
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


# -- plans: where each publisher serves the text ------------------------------------------------

@dataclass
class Download:
    """A verified file for one source: the main file and the companions stored beside it."""

    main: Fetched
    companions: list[Fetched] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # discovery pages read on the way


@dataclass
class Context:
    fetcher: Fetcher
    bases: dict[str, str]
    folder: Path  # staging folder of this source
    as_of: str | None

    def get(self, url: str, expect: str, name: str, root_tags: tuple[str, ...] = ()) -> Fetched:
        return self.fetcher.get(url, expect, self.folder / _safe_name(name), root_tags)

    def page(self, url: str, expect: str = "html") -> str:
        fetched = self.get(url, expect, f".page-{hashlib.sha256(url.encode()).hexdigest()[:12]}")
        try:
            return fetched.path.read_bytes().decode("utf-8", "replace")
        finally:
            fetched.path.unlink(missing_ok=True)


def _safe_name(name: str) -> str:
    name = urllib.parse.unquote(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^A-Za-z0-9._ ()-]", "_", name).strip(" .") or "download"
    return name[:150]


def _links(html: str, page_url: str, bases: dict[str, str]) -> list[tuple[str, str]]:
    """(absolute URL, link text) of every <a href> on a page, rebased."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    out = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        out.append((rebase(urllib.parse.urljoin(page_url, href), bases),
                    " ".join(anchor.text_content().split())))
    return out


def _us_ccl(ctx: Context) -> Download:
    base = f"{ctx.bases['ecfr']}/api/versioner/v1"
    pages = []
    if ctx.as_of:
        issue = ctx.as_of
    else:
        url = f"{base}/titles"
        pages.append(url)
        try:
            titles = json.loads(ctx.page(url, "json"))
            title = next(t for t in titles["titles"] if int(t.get("number", 0)) == 15)
        except (KeyError, TypeError, ValueError, StopIteration) as error:
            raise RefreshError(f"{url}: no title 15 in the titles list ({error})") from None
        issue = str(title.get("latest_issue_date") or title.get("up_to_date_as_of") or "")
        if not ISO.match(issue):
            raise RefreshError(f"{url}: title 15 has no latest_issue_date ({issue!r})")
    main = ctx.get(f"{base}/full/{issue}/title-15.xml?part=774", "xml",
                   f"title-15-{issue}.xml", ("DIV5", "ECFR", "DIV1", "DIV9"))
    companions = [ctx.get(f"{base}/full/{issue}/title-15.xml?part={part}", "xml",
                          f"title-15-part-{part}-{issue}.xml.companion",
                          ("DIV5", "ECFR", "DIV1"))
                  for part in ("738", "740", "744")]
    return Download(main, companions, pages)


CONSOLIDATED = re.compile(r"0\s?2021R0821-(\d{4})(\d{2})(\d{2})")


def _eu_annex_i(ctx: Context) -> Download:
    eurlex = ctx.bases["eurlex"]
    url = f"{eurlex}/legal-content/EN/ALL/?uri=CELEX:32021R0821"
    found = sorted({f"{m[1]}-{m[2]}-{m[3]}" for m in CONSOLIDATED.finditer(ctx.page(url))})
    dates = [d for d in found if not ctx.as_of or d <= ctx.as_of]
    if not dates:
        raise RefreshError(f"{url}: no consolidated version of 32021R0821"
                           + (f" on or before {ctx.as_of}" if ctx.as_of else ""))
    chosen = dates[-1].replace("-", "")
    text_url = f"{eurlex}/legal-content/EN/TXT/HTML/?uri=CELEX:02021R0821-{chosen}"
    return Download(ctx.get(text_url, "html", f"02021R0821-{chosen}.html"), [], [url])


UPLOAD_DATE = re.compile(r"/uploads/(\d{4})/(\d{2})/")


def _wassenaar(ctx: Context) -> Download:
    url = f"{ctx.bases['wassenaar']}/control-lists/"
    links = [(href, text) for href, text in _links(ctx.page(url), url, ctx.bases)
             if href.lower().split("?")[0].endswith(".pdf")
             and re.search(r"list.of.dual.use|dual-use.*munitions|wa-list", href + " " + text,
                           re.I)]
    dated = []
    for href, _ in links:
        m = UPLOAD_DATE.search(href)
        when = f"{m[1]}-{m[2]}-01" if m else ""
        if ctx.as_of and (not when or when > ctx.as_of):
            continue
        dated.append((when, href))
    if not dated:
        raise RefreshError(f"{url}: no link to the list PDF"
                           + (f" uploaded on or before {ctx.as_of}" if ctx.as_of else ""))
    href = max(dated)[1]
    return Download(ctx.get(href, "pdf", urllib.parse.urlsplit(href).path), [], [url])


def _au_dsgl(ctx: Context) -> Download:
    point = f"asat/{ctx.as_of}" if ctx.as_of else "latest"
    url = f"{ctx.bases['legislation-au']}/F2024L01024/{point}/downloads"
    links = [href for href, text in _links(ctx.page(url), url, ctx.bases)
             if href.lower().split("?")[0].endswith(".docx") or re.search(r"\bword\b", text, re.I)
             or href.rstrip("/").lower().endswith("/word")]
    if not links:
        raise RefreshError(f"{url}: no Word (.docx) rendition linked")
    return Download(ctx.get(links[0], "docx", "F2024L01024.docx"), [], [url])


def _no_list_ii(ctx: Context) -> Download:
    if ctx.as_of:
        raise RefreshError("lovdata serves the list in force only: --as-of is not supported "
                           "(import a dated folder for an older version)")
    url = f"{ctx.bases['lovdata']}/dokument/SF/forskrift/2013-06-19-718"
    pattern = re.compile(r"(list[\s_-]*ii\b|appendix[\s_-]*2|vedlegg[\s_-]*2|liste[\s_-]*ii)",
                         re.I)
    links = [href for href, text in _links(ctx.page(url), url, ctx.bases)
             if href.lower().split("?")[0].endswith(".pdf") and pattern.search(href + " " + text)]
    english = [h for h in links if re.search(r"english|/en/|appendix|list", h, re.I)]
    chosen = (english or links)[:1]
    if not chosen:
        raise RefreshError(f"{url}: no link to the list II PDF")
    return Download(ctx.get(chosen[0], "pdf", urllib.parse.urlsplit(chosen[0]).path), [], [url])


UK_PAGE = ("/government/publications/uk-strategic-export-control-lists-the-consolidated-list-of-"
           "strategic-military-and-dual-use-items-that-require-export-authorisation")


def _uk_sel(ctx: Context) -> Download:
    if ctx.as_of:
        raise RefreshError("GOV.UK serves the current consolidated list only: --as-of is not "
                           "supported (import a dated folder for an older version)")
    url = f"{ctx.bases['govuk']}{UK_PAGE}"
    links = [href for href, text in _links(ctx.page(url), url, ctx.bases)
             if href.lower().split("?")[0].endswith(".pdf")
             and re.search(r"control.list|export.control", href + " " + text, re.I)]
    if not links:
        raise RefreshError(f"{url}: no PDF attachment of the control list")
    return Download(ctx.get(links[0], "pdf", urllib.parse.urlsplit(links[0]).path), [], [url])


def _ca_ecl(ctx: Context) -> Download:
    if ctx.as_of:
        raise RefreshError("Justice Canada serves the current consolidation as XML only: "
                           "--as-of is not supported (import a dated folder instead)")
    url = f"{ctx.bases['justice-ca']}/eng/XML/SOR-89-202.xml"
    return Download(ctx.get(url, "xml", "SOR-89-202.xml", ("Regulation",)))


Plan = Callable[[Context], Download]
PLANS: dict[str, Plan] = {
    "us-ccl": _us_ccl,
    "eu-annex-i": _eu_annex_i,
    "wassenaar": _wassenaar,
    "au-dsgl": _au_dsgl,
    "no-list-ii": _no_list_ii,
    "uk-sel": _uk_sel,
    "ca-ecl": _ca_ecl,
}


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
            keep_history: bool = True, *, registry: Registry) -> list[RefreshOutcome]:
    """Download each source (default: every source with a plan) from its publisher, check,
    parse it with its reader in `registry` and import it; one source failing does not stop the
    others."""
    require(registry, "refresh.refresh")
    if as_of is not None:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise ValueError(f"--as-of {as_of!r} is not a YYYY-MM-DD date") from None
    bases = publisher_bases(base_urls)
    base = root or store.home()
    wanted = list(sources or PLANS)
    outcomes: list[RefreshOutcome] = []
    for index, source_id in enumerate(wanted):
        if progress:
            progress(source_id, index, len(wanted))
        outcomes.append(refresh_source(source_id, as_of, bases, base, fetcher or Fetcher(),
                                       keep_history, registry=registry))
    if progress:
        progress("done", len(wanted), len(wanted))
    return outcomes


def refresh_source(source_id: str, as_of: str | None, bases: dict[str, str], base: Path,
                   fetcher: Fetcher, keep_history: bool = True, *,
                   registry: Registry) -> RefreshOutcome:
    require(registry, "refresh.refresh_source")
    started = time.perf_counter()
    plan = PLANS.get(source_id)
    if plan is None:
        return RefreshOutcome(source_id, "failed", f"no publisher known for {source_id!r} "
                              f"(known: {', '.join(PLANS)})")
    log_start = len(fetcher.log)
    work = base / ".refresh"
    work.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=work, prefix=f"{source_id}."))
    folder = staging / source_id
    folder.mkdir()
    try:
        try:
            download = plan(Context(fetcher, bases, folder, as_of))
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


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)
