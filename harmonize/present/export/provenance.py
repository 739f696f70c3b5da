"""Where each exported fact comes from: the lists in scope, whether the copy read is official
or derived, its caveats, and live links a person can open to the version compared.

Facts the manifest does not carry (human-readable addresses of a version, which copies are
third-party conversions and what they lack) are data in `datasets/sources.toml`; coverage and
the age of a version are worked out from the manifest here.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

import pandas as pd

from harmonize.paths import dataset

_PAGE = re.compile(r"^p\.\s*(\d+)")
_MACHINE_READABLE = re.compile(r"(?i)(/api/|\.(xml|json)(\?|#|$))")
# A list older than this at the newest list compared is flagged: later amendments are missing.
STALE_DAYS = 365


class Link(NamedTuple):
    url: str
    label: str


@dataclass(frozen=True)
class LinkRule:
    list_id: str
    url_pattern: str
    version: str
    url: str
    label: str


@dataclass(frozen=True)
class CopyRule:
    source: str
    files: tuple[str, ...]
    kind: str
    made_from: str
    caveats: tuple[str, ...]


@dataclass(frozen=True)
class SourceFacts:
    links: tuple[LinkRule, ...]
    copies: tuple[CopyRule, ...]


def load_facts(path: Path | None = None) -> SourceFacts:
    """`datasets/sources.toml` (read once per file version)."""
    target = path or dataset("sources.toml")
    stamp = target.stat().st_mtime if target.is_file() else 0.0
    return _load(str(target), stamp)


@functools.lru_cache(maxsize=4)
def _load(path: str, stamp: float) -> SourceFacts:
    if not stamp:
        return SourceFacts((), ())
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        links = tuple(LinkRule(str(r["list"]), str(r.get("url_pattern", "")),
                               str(r.get("version", "")), str(r["url"]), str(r["label"]))
                      for r in data.get("link", []))
        copies = tuple(CopyRule(str(r["source"]), tuple(r["files"]), str(r["kind"]),
                                str(r.get("made_from", "")), tuple(r.get("caveats", [])))
                       for r in data.get("copy", []))
        for rule in links:
            re.compile(rule.url_pattern)
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, re.error) as error:
        raise ValueError(f"{path}: {type(error).__name__}: {error}") from error
    return SourceFacts(links, copies)


# -- links ------------------------------------------------------------------------------------


def page_of(location: Any) -> int | None:
    """The page number of a row's place in its file ("p. 292 (4)" -> 292), where it is one."""
    match = _PAGE.match(location) if isinstance(location, str) else None
    return int(match.group(1)) if match else None


def _fill(template: str, version: str) -> str:
    return template.replace("{version}", version).replace("{version_compact}",
                                                          version.replace("-", ""))


def _usable(url: str) -> bool:
    """A live address a person can read: http(s), no unfilled placeholder, not an API or a
    raw XML/JSON file."""
    return (url.startswith(("https://", "http://")) and "{" not in url and "}" not in url
            and not _MACHINE_READABLE.search(url))


def version_link(lst: dict[str, Any], source: dict[str, Any], facts: SourceFacts,
                 as_of: bool = False) -> Link | None:
    """The page of the version compared, else the publisher's page of the list (labelled so
    when it may show another version), else nothing."""
    version = str(lst.get("version", ""))
    recorded = str(lst.get("url") or "")
    for rule in facts.links:
        if rule.list_id != lst["id"] or (rule.version and rule.version != version):
            continue
        if rule.url_pattern and not re.search(rule.url_pattern, recorded):
            continue
        url = _fill(rule.url, version)
        if _usable(url):
            return Link(url, _fill(rule.label, version))
    for url in (recorded, str(source.get("url") or "")):
        if _usable(url):
            if as_of:  # the recorded address is the current list's: say so
                return Link(url, f"{lst['list_name']}: the publisher's page (it may show a "
                                 f"version later than {version})")
            pdf = PurePosixPath(url.split("?")[0]).suffix.lower() == ".pdf"
            return Link(url, f"{lst['list_name']}: the publisher's {'PDF' if pdf else 'page'}")
    return None


def row_link(base: Link | None, location: Any, as_of: bool = False) -> Link | None:
    """A row's link: the version's page, at the row's page where the address is a PDF."""
    if base is None:
        return None
    page = page_of(location)
    if page is None:
        return base
    pdf = PurePosixPath(base.url.split("#")[0].split("?")[0]).suffix.lower() == ".pdf"
    if pdf and not as_of:
        return Link(f"{base.url.split('#')[0]}#page={page}", f"{base.label}, page {page}")
    return Link(base.url, f"{base.label} (page {page} of the file read)")


# -- copies -----------------------------------------------------------------------------------


def copy_rule(source: dict[str, Any], facts: SourceFacts) -> CopyRule | None:
    name = PurePosixPath(str(source.get("raw_file") or source.get("origin") or "")).name
    for rule in facts.copies:
        if rule.source == source.get("id") and any(fnmatch.fnmatch(name, p) for p in rule.files):
            return rule
    return None


def coverage_caveat(lst: dict[str, Any]) -> str:
    """What the copy lacks, from the manifest's `detailed_categories`."""
    detailed = lst.get("detailed_categories")
    if detailed is None:
        return ""
    if not detailed:
        return "This copy holds no paragraph text of the dual-use categories: not detailed."
    return ("Paragraph text only for categories " + ", ".join(map(str, detailed))
            + "; elsewhere not detailed (silence there is not absence).")


def age_caveat(version: str, newest: str) -> str:
    try:
        days = (date.fromisoformat(newest) - date.fromisoformat(version)).days
    except ValueError:
        return ""
    if days < STALE_DAYS:
        return ""
    return (f"Version of {version}: {days / 365.25:.1f} years older than the newest list "
            f"compared ({newest}); amendments made since are not in it.")


# -- the lists in scope -----------------------------------------------------------------------

SOURCE_COLUMNS = ["list", "jurisdiction", "list name", "role", "version", "copy", "caveats",
                  "where to read it", "link", "citation", "publisher", "licence", "file read",
                  "sha256", "imported at"]


def sources_frame(manifest: dict[str, Any], roles: dict[str, str],
                  facts: SourceFacts) -> pd.DataFrame:
    """One row per list in scope (`roles`: list id -> "compared", "reference", …): its
    version, whether the copy is official or derived, caveats, and a link to that version."""
    as_of = bool(manifest.get("as_of"))
    records = []
    chosen = [(src, lst) for sid in sorted(manifest["sources"])
              for src in [manifest["sources"][sid]] for lst in src["lists"] if lst["id"] in roles]
    newest = max((str(lst["version"]) for _, lst in chosen), default="")
    for src, lst in chosen:
        rule = copy_rule(src, facts)
        caveats = [*(rule.caveats if rule else ()), coverage_caveat(lst),
                   age_caveat(str(lst["version"]), newest)]
        link = version_link(lst, src, facts, as_of)
        copy = (f"{rule.kind}: {rule.made_from}" if rule and rule.made_from
                else rule.kind if rule else "not stated")
        records.append({
            "list": lst["id"], "jurisdiction": lst["jurisdiction"],
            "list name": lst["list_name"], "role": roles[lst["id"]],
            "version": lst["version"], "copy": copy,
            "caveats": " ".join(c for c in caveats if c),
            "where to read it": link.label if link else "",
            "link": link.url if link else "", "citation": lst["citation"],
            "publisher": src.get("publisher", ""), "licence": src.get("licence", ""),
            "file read": PurePosixPath(str(src.get("raw_file", ""))).name,
            "sha256": src.get("sha256", ""), "imported at": src.get("imported_at", ""),
        })
    return pd.DataFrame(records, columns=SOURCE_COLUMNS)


def list_links(manifest: dict[str, Any], facts: SourceFacts) -> dict[str, Link]:
    """List id -> the link of the version compared (lists without one left out)."""
    as_of = bool(manifest.get("as_of"))
    out = {}
    for sid in manifest["sources"]:
        src = manifest["sources"][sid]
        for lst in src["lists"]:
            link = version_link(lst, src, facts, as_of)
            if link is not None:
                out[str(lst["id"])] = link
    return out
