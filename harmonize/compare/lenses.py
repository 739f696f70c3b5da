"""Technology lenses (surveillance, AI): which paragraphs each lens covers, and why.

The lenses are data, reviewed by people: `datasets/lenses.toml`. Each lens names code
prefixes (`5A001.j` tags 5A001.j and every paragraph below it) and sweep keywords. Tagging is
by code only, so an analyst can see exactly why a paragraph is in a lens; the keywords drive a
check (`keyword_sweep`) that no relevant paragraph is left untagged without a recorded reason.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from harmonize.paths import datasets_dir

DATASETS = datasets_dir()


class LensError(ValueError):
    """The lens file is malformed (names the file and the lens)."""


@dataclass(frozen=True)
class Lens:
    id: str
    name: str
    parent: str  # "" for a top-level lens
    description: str
    codes: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Exclusion:
    """A keyword hit reviewed and left out of every lens, with the reason."""

    code: str  # prefix, as in lens codes
    keyword: str  # "" = any keyword
    reason: str


@dataclass(frozen=True)
class LensBook:
    lenses: tuple[Lens, ...]
    exclusions: tuple[Exclusion, ...]

    def by_id(self) -> dict[str, Lens]:
        return {lens.id: lens for lens in self.lenses}

    def family(self, lens_id: str) -> list[Lens]:
        """A lens and every lens below it."""
        return [x for x in self.lenses if x.id == lens_id or x.id.startswith(lens_id + ".")]


def load_lenses(path: Path | None = None) -> LensBook:
    target = path or DATASETS / "lenses.toml"
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LensError(f"{target}: {error}") from error
    lenses = []
    for index, raw in enumerate(data.get("lens", [])):
        where = f"{target}: lens #{index + 1} ({raw.get('id', '?')})"
        for key in ("id", "name"):
            if not raw.get(key):
                raise LensError(f"{where}: missing {key}")
        lenses.append(Lens(
            id=raw["id"], name=raw["name"], parent=raw.get("parent", ""),
            description=raw.get("description", ""),
            codes=tuple(raw.get("codes", [])), keywords=tuple(raw.get("keywords", [])),
        ))
    ids = [lens.id for lens in lenses]
    if len(ids) != len(set(ids)):
        raise LensError(f"{target}: duplicate lens ids")
    for lens in lenses:
        if lens.parent and lens.parent not in ids:
            raise LensError(f"{target}: lens {lens.id}: unknown parent {lens.parent}")
    exclusions = tuple(
        Exclusion(code=r["code"], keyword=r.get("keyword", ""), reason=r["reason"])
        for r in data.get("reviewed_untagged", [])
    )
    for ex in exclusions:
        if not ex.reason.strip():
            raise LensError(f"{target}: reviewed_untagged {ex.code}: reason required")
    return LensBook(tuple(lenses), exclusions)


def _under(code: str, prefix: str) -> bool:
    return code == prefix or code.startswith(prefix + ".")


def tag(codes: pd.Series, book: LensBook) -> pd.DataFrame:
    """(lens, canonical, reason) for every code a lens names, directly or as a paragraph below.

    A code tagged by a sub-lens is tagged by its parents too (reason says through which)."""
    unique = sorted(set(codes))
    records = []
    by_entry: dict[str, list[str]] = {}
    for code in unique:
        by_entry.setdefault(code.split(".")[0], []).append(code)
    for lens in book.lenses:
        for prefix in lens.codes:
            for code in by_entry.get(prefix.split(".")[0], []):
                if _under(code, prefix):
                    records.append((lens.id, code, f"code {prefix} named by lens {lens.id}"))
    tagged = pd.DataFrame(records, columns=["lens", "canonical", "reason"])
    parents = {lens.id: lens.parent for lens in book.lenses}
    lifted = []
    for lens_id, code, reason in records:
        parent = parents.get(lens_id, "")
        while parent:
            lifted.append((parent, code, f"{reason} (sub-lens of {parent})"))
            parent = parents.get(parent, "")
    out = pd.concat([tagged, pd.DataFrame(lifted, columns=tagged.columns)], ignore_index=True)
    return out.drop_duplicates(["lens", "canonical"], keep="first").reset_index(drop=True)


def keyword_sweep(frame: pd.DataFrame, book: LensBook) -> pd.DataFrame:
    """Paragraphs whose text hits a lens keyword: tagged (and by which lens), reviewed and left
    out (with the reason), or `untagged` with no reason - the last must be empty."""
    keyed = frame[frame["kind"].isin(["entry", "paragraph"])]
    tags = tag(keyed["canonical"], book)
    tagged = set(tags["canonical"])
    records = []
    keywords = sorted({k for lens in book.lenses for k in lens.keywords})
    if not keywords:
        return pd.DataFrame(columns=["canonical", "source_id", "keyword", "verdict", "reason"])
    # Prefix match ("intercept" finds "intercepted"); keywords are chosen so that this is safe.
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in keywords) + r")", re.I)
    for canonical, source_id, text in zip(keyed["canonical"].astype(str),
                                          keyed["source_id"].astype(str),
                                          keyed["text"].astype(str), strict=True):
        match = pattern.search(text)
        if not match:
            continue
        keyword = match.group(1).lower()
        if canonical in tagged:
            verdict, reason = "tagged", ""
        else:
            excluded = next((e for e in book.exclusions if _excludes(e, canonical, keyword)),
                            None)
            verdict = "reviewed" if excluded else "untagged"
            reason = excluded.reason if excluded else ""
        records.append((canonical, source_id, keyword, verdict, reason))
    return pd.DataFrame(records, columns=["canonical", "source_id", "keyword", "verdict", "reason"])


def _excludes(exclusion: Exclusion, canonical: str, keyword: str) -> bool:
    """An exclusion names a code prefix (`6A203` and below) or a family (`ML*`: every code
    that starts so), optionally for one keyword only."""
    if exclusion.keyword and exclusion.keyword.lower() != keyword:
        return False
    if exclusion.code.endswith("*"):
        return canonical.startswith(exclusion.code[:-1])
    return _under(canonical, exclusion.code)


def unknown_codes(frame: pd.DataFrame, book: LensBook) -> list[tuple[str, str]]:
    """(lens, code) pairs naming a code that no loaded list holds."""
    known = set(frame["canonical"])
    return [(lens.id, code) for lens in book.lenses for code in lens.codes if code not in known]
