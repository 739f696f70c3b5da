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

import hashlib
import importlib
import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

from lxml import etree

from harmonize.ingest import store
from harmonize.ingest.registry import RefreshRule, Registry, require
from harmonize.ingest.safexml import html_parser
from harmonize.ingest.store import ProgressFn
from harmonize.ingest.transport import (  # noqa: F401  (refresh's interface)
    MAX_BYTES,
    REQUEST_TIMEOUT,
    RETRIES,
    SOURCE_DEADLINE,
    USER_AGENT,
    Fetched,
    Fetcher,
    RefreshError,
    check_format,
    default_limits,
)

ENV_BASE = "HARMONIZE_PUBLISHERS_BASE"
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
