"""Who is listed where: party records linked across lists, each link explained.

Names are normalised the way OpenSanctions' `rigour` does it: legal forms removed
(`remove_org_types`: "JSC", "Aktsionernoe Obshchestvo", "PJSC", "Co., Ltd."), names tokenised
(`tokenize_name`), and non-Latin scripts transliterated (`ascii_text`) when a record has no
Latin-script name (transliteration costs ~0.5 ms a name and almost every EU record in Cyrillic
also prints its Latin form). Candidate pairs share a rare token; `rapidfuzz`'s token-sort ratio
scores them. A link is made when the score reaches `THRESHOLD` and nothing speaks against it
(known countries that differ, a one-word or short name that is not identical, a person matched
on fewer than two name parts). `datasets/party_decisions.csv` holds reviewed pairs: confirmed
ones link whatever the score, rejected ones never link.

Records linked directly or through others form one party (connected components). Every link
carries its evidence: which name or alias of each record matched, the normalised forms, the
score and the rule (or the review) that made it.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from rapidfuzz import fuzz
from rigour.names import remove_org_types, tokenize_name
from rigour.text import ascii_text

from harmonize.paths import dataset

THRESHOLD = 92.0  # token-sort ratio from which two names are the same (tuned on the eval set)
PERSON_THRESHOLD = 97.0
MIN_KEY = 5  # characters a normalised name needs to be matched on at all
RARE = 60  # a token shared by more name forms than this does not make a candidate pair alone
STOPWORDS = frozenset(["the", "of", "and", "for", "de", "la", "du", "des", "el", "al"])
# Placeholders some lists print where a name in another script was an image.
PLACEHOLDERS = frozenset(["text of image"])
LEGAL_FORM_PENALTY = 20.0
COMMON = 25  # a word in more name forms than this is common ("research", "plant")
GENERIC = 5  # a normalised name shared by more records of one side than this links none
DECISIONS = dataset("party_decisions.csv")
DECISION_COLUMNS = ("left_id", "left_name", "right_id", "right_name", "decision", "reviewer",
                    "date", "reason")
SKIPPED_KINDS = ("vessel", "other")  # no counterpart on the end-user lists


class DecisionsError(ValueError):
    """The reviewed decisions file is malformed: names the file and line."""


@dataclass(frozen=True)
class NameForm:
    """One name or alias of one record, normalised."""

    row: int  # position of the record in the frame
    original: str
    key: str  # normalised: legal forms out, transliterated, tokens joined by spaces
    alias: bool
    # An alias that is the start of the record's own name ("Almaz-Antey" of "Almaz-Antey Air
    # Defense Concern Main System Design Bureau"): the group's short name, not this party's.
    weak: bool = False


@dataclass(frozen=True)
class Link:
    """Two records taken for one party, and why."""

    left: str  # record ids
    right: str
    left_name: str  # the name or alias of each that matched, as printed
    right_name: str
    left_key: str
    right_key: str
    score: float
    method: str  # "exact", "fuzzy", "reviewed"
    decision: str  # "auto" or "confirmed"
    reason: str = ""


# British and American spellings of words common in names ("Centre", "Organisation").
SPELLINGS = {"centre": "center", "organisation": "organization", "defence": "defense",
             "programme": "program", "aluminium": "aluminum"}
# Legal forms of two families that are different kinds of company: a joint-stock company and a
# limited-liability company of one name are two parties (OAO and OOO VO Technopromexport).
JOINT_STOCK = frozenset(["jsc", "ao", "oao", "ojsc", "zao", "cjsc", "pjsc", "pao"])
LIMITED_LIABILITY = frozenset(["llc", "ooo", "tov", "too"])


@lru_cache(maxsize=131072)
def normalise(name: str, transliterate: bool = True) -> str:
    """A name's comparison form: ASCII, case-folded, legal forms removed, British spellings
    made American, initials joined ("M. F." -> "mf"), tokens joined by spaces."""
    text = name if name.isascii() else _latin(name, transliterate)
    if not text:
        return ""
    tokens = [SPELLINGS.get(t, t) for t in tokenize_name(remove_org_types(text.casefold()))
              if t not in STOPWORDS]
    joined: list[str] = []
    for token in tokens:  # runs of single letters are initials: one token
        if len(token) == 1 and token.isalpha() and joined and len(joined[-1]) <= 2 \
                and joined[-1].isalpha() and joined[-1] not in STOPWORDS:
            joined[-1] += token
        else:
            joined.append(token)
    return " ".join(joined)


@lru_cache(maxsize=131072)
def legal_family(name: str) -> str:
    """'joint-stock', 'limited-liability' or '' for the legal form a name carries."""
    words = set(re.findall(r"[a-z]+", name.casefold()))
    long_forms = name.casefold()
    if words & JOINT_STOCK or "joint stock" in long_forms or "joint-stock" in long_forms \
            or "aktsionernoe" in long_forms:
        return "joint-stock"
    if words & LIMITED_LIABILITY or "limited liability" in long_forms \
            or "ogranichennoi" in long_forms:
        return "limited-liability"
    return ""


def is_latin(name: str) -> bool:
    """No letters beyond Latin (punctuation and typographic quotes do not count)."""
    return all(ord(c) < 0x250 or not c.isalpha() for c in name)


# Russian Cyrillic as the US lists romanise it (BGN/PCGN-like: "Aktsionernoe Obshchestvo",
# "Obedinenie"); a table is ~100 times faster than ICU's transliterator on 7,000 names.
CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i",
    "ї": "yi", "є": "ye", "ґ": "g", "ў": "u"})


def _latin(name: str, transliterate: bool) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name)
                       if not unicodedata.combining(c))
    if stripped.isascii():
        return stripped  # Latin with diacritics: "Bălți" -> "Balti"
    cyrillic = name.casefold().translate(CYRILLIC)
    if is_latin(cyrillic):
        return cyrillic
    return _transliterated(name) if transliterate else ""


@lru_cache(maxsize=65536)
def _transliterated(name: str) -> str:
    return str(ascii_text(name))


def name_forms(frame: pd.DataFrame) -> list[NameForm]:
    """Every name and alias of every record (and each without its brackets). Cyrillic is
    romanised by table; other scripts through rigour only for records without a Latin-script
    name (ICU costs ~0.5 ms a name)."""
    forms: list[NameForm] = []
    for row, (name, aliases, previous) in enumerate(
            zip(frame["name"], frame["aliases"], frame["previous_names"], strict=True)):
        names = [str(name), *map(str, aliases), *map(str, previous)]
        latin = any(is_latin(n) for n in names)
        own = normalise(str(name), transliterate=not latin).split()
        seen: set[str] = set()
        for index, original in enumerate(names):
            # "Name (ACRONYM)" is also compared without its bracket.
            bare = re.sub(r"\s*\([^)]*\)", " ", original)
            for text in dict.fromkeys([original, bare]):
                key = normalise(text, transliterate=not latin)
                if len(key.replace(" ", "")) >= MIN_KEY and key not in seen \
                        and key not in PLACEHOLDERS:
                    seen.add(key)
                    words = key.split()
                    # weak: the first few words of the record's own name ("Almaz-Antey" of
                    # "Almaz-Antey Air Defense Concern …"), under half of them.
                    forms.append(NameForm(row, original, key, index > 0,
                                          weak=index > 0 and 2 * len(words) < len(own)
                                          and own[:len(words)] == words))
    return forms


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Latin-script territory names, strong and weak ("Russian", "DPRK", "Burma"), from
    rigour's territory data -> code. rigour's own lookup first normalises every name in every
    script (~4 s here); the lists print countries in English, so Latin names suffice."""
    from rigour._core import territories_jsonl
    from rigour.data import iter_jsonl_text

    names: dict[str, str] = {}
    for data in iter_jsonl_text(territories_jsonl()):
        strong = [data.get("name"), data.get("full_name"), *data.get("names_strong", [])]
        for name in [*strong, *data.get("names_weak", [])]:
            if name and is_latin(str(name)):
                names.setdefault(_name_key(str(name)), str(data["code"]))
    return names


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _country_name(text: str) -> str:
    return _country_names().get(_name_key(text), "")


ALTERNATE = re.compile(r"alternate address(?:es)? (?:under|in) ([^).]+)", re.I)


@lru_cache(maxsize=8192)
def _territory(text: str) -> str:
    """The code of a country as a list prints it ("CHINA, PEOPLE'S REPUBLIC OF", "KOREA,
    NORTH", "Myanmar/Burma", "Russian"), or ''."""
    text = " ".join(text.split()).strip(" .,;()")
    if not text or len(text) > 60:
        return ""
    candidates = [text, *text.split("/")]
    if "," in text:
        head, _, tail = text.partition(",")
        candidates += [f"{tail.strip()} {head.strip()}", head]
    candidates += text.split(" ")[:1] + text.split(" ")[-1:]  # "CRIMEA REGION OF UKRAINE"
    return next((code for c in candidates if (code := _country_name(c))), "")


def record_countries(country: str, addresses: Sequence[str]) -> frozenset[str]:
    """ISO codes of the country a record names and of the countries its addresses end or
    start with ("…, Moscow, Russia", "Russian Federation (107241, Moscow …)")."""
    found = {_territory(country)} if country else set()
    for address in addresses:
        # "(See alternate addresses under Malta, Spain, and United Arab Emirates)": the list
        # itself places the entity in those countries too.
        for also in ALTERNATE.findall(str(address)):
            found.update(_territory(c) for c in re.split(r",\s*(?:and\s+)?|\s+and\s+", also))
        text = re.sub(r"\([^)]*\)", "", str(address)).strip(" .;")
        parts = [p for p in re.split(r",|;", text) if len(p.strip()) >= 4]
        if parts:  # addresses start or end with the country: a name lookup, no fuzzy search
            found.add(_country_name(re.sub(r"[\d-]+", "", parts[-1])))
            found.add(_country_name(parts[0]))
    return frozenset(code.split("-")[0] for code in found if code)


POSTCODE = re.compile(r"(?<![\d-])\d{6}(?![\d-])")


def postcodes(addresses: Sequence[str]) -> frozenset[str]:
    """Six-digit postcodes in a record's addresses (Russia, Belarus, China, India …)."""
    return frozenset(code for a in addresses for code in POSTCODE.findall(str(a)))


def countries_of(frame: pd.DataFrame) -> list[frozenset[str]]:
    return [record_countries(str(c), list(a))
            for c, a in zip(frame["country"], frame["addresses"], strict=True)]


def _token_index(forms: Sequence[NameForm]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for position, form in enumerate(forms):
        for token in set(form.key.split()):
            index[token].append(position)
    return index


def record_families(forms: Sequence[NameForm]) -> dict[int, frozenset[str]]:
    """Row -> the legal-form families its names carry (a record may print both)."""
    found: dict[int, set[str]] = defaultdict(set)
    for form in forms:
        family = legal_family(form.original)
        if family:
            found[form.row].add(family)
    return {row: frozenset(f) for row, f in found.items()}


def candidate_pairs(left: Sequence[NameForm], right: Sequence[NameForm]
                    ) -> dict[tuple[int, int], tuple[float, NameForm, NameForm]]:
    """(left row, right row) -> best (score, left form, right form) over forms sharing a
    token that is rare on the right (or, failing that, their rarest token). Records whose
    names carry only legal forms of different families (joint-stock / limited liability)
    lose LEGAL_FORM_PENALTY points."""
    left_families, right_families = record_families(left), record_families(right)
    index = _token_index(right)
    best: dict[tuple[int, int], tuple[float, NameForm, NameForm]] = {}
    for form in left:
        tokens = sorted(set(form.key.split()), key=lambda t: len(index.get(t, ())))
        rare = [t for t in tokens if 0 < len(index.get(t, ())) <= RARE] or tokens[:1]
        seen: set[int] = set()
        for token in rare:
            for position in index.get(token, ()):
                if position in seen:
                    continue
                seen.add(position)
                other = right[position]
                score = 100.0 if form.key == other.key else float(
                    fuzz.token_sort_ratio(form.key, other.key))
                mine, theirs = left_families.get(form.row), right_families.get(other.row)
                if mine and theirs and not mine & theirs:
                    score -= LEGAL_FORM_PENALTY  # "OAO X" and "OOO X": two companies
                pair = (form.row, other.row)
                if pair not in best or score > best[pair][0]:
                    best[pair] = (score, form, other)
    return best


def accept(score: float, left: NameForm, right: NameForm, left_countries: frozenset[str],
           right_countries: frozenset[str], right_kind: str,
           postcodes: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())) -> str:
    """'' when the pair may link automatically, else the reason it may not."""
    if score < THRESHOLD:
        return f"score {score:.0f} under {THRESHOLD:.0f}"
    if left.weak or right.weak:
        return "matched only on a short alias that is part of the record's own name"
    left_codes, right_codes = postcodes
    if len(left.key.split()) == 1 and left_codes and right_codes and not any(
            sum(x != y for x, y in zip(a, b, strict=True)) <= 2
            for a in left_codes for b in right_codes):  # one or two digits: a typo
        return (f"a one-word name whose addresses differ (postcodes "
                f"{', '.join(sorted(left_codes))} / {', '.join(sorted(right_codes))})")
    if left_countries and right_countries and not left_countries & right_countries:
        return (f"countries differ ({', '.join(sorted(left_countries))} / "
                f"{', '.join(sorted(right_countries))})")
    short = min(len(left.key.split()), len(right.key.split())) == 1
    if short and score < 100:
        return "a one-word name that is not identical"
    if score < 100:
        differ = _unmatched_tokens(left.key, right.key)
        if differ:
            return f"distinctive words differ ({differ})"
    if right_kind == "person" and (score < PERSON_THRESHOLD or short):
        return "a person: needs two name parts and a near-identical name"
    return ""


def _unmatched_tokens(left: str, right: str) -> str:
    """Words of either name with no close counterpart in the other ('121' vs '123', 'Sapfir'
    vs 'Pulsar'), as 'a / b'; '' when every word has one. Numbers must be equal."""
    a, b = left.split(), right.split()

    def close(word: str, other: str) -> bool:
        return fuzz.ratio(word, other) >= 85 or (
            min(len(word), len(other)) >= 4 and (word.startswith(other) or other.startswith(word)))

    def alone(words: list[str], others: list[str]) -> list[str]:
        return [w for w in words if w not in others and (
            any(c.isdigit() for c in w)
            or (len(w) > 2 and not any(close(w, o) for o in others if not o.isdigit())))]

    lonely_a, lonely_b = alone(a, b), alone(b, a)
    return f"{' '.join(lonely_a)} / {' '.join(lonely_b)}" if lonely_a or lonely_b else ""


def load_decisions(path: Path | None = None) -> pd.DataFrame:
    """Reviewed pairs: DecisionsError names the file and line of a bad row."""
    source = path or DECISIONS
    if not source.is_file():
        return pd.DataFrame(columns=list(DECISION_COLUMNS))
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != DECISION_COLUMNS:
            raise DecisionsError(f"{source}: line 1: header must be {','.join(DECISION_COLUMNS)}")
        rows = []
        for row in reader:
            if row["decision"] not in ("confirmed", "rejected") or not row["left_id"] \
                    or not row["right_id"] or not row["reviewer"] or not row["reason"]:
                raise DecisionsError(f"{source}: line {reader.line_num}: needs both ids, a "
                                     "decision (confirmed/rejected), a reviewer and a reason")
            rows.append(row)
    return pd.DataFrame(rows, columns=list(DECISION_COLUMNS))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


@dataclass
class Matching:
    """The links between records and the parties they make."""

    records: pd.DataFrame
    links: list[Link]
    near_misses: list[dict[str, Any]]  # candidate pairs not linked, with the reason
    stale_decisions: list[str]  # reviewed pairs naming a record no longer loaded


def match(records: pd.DataFrame, decisions: pd.DataFrame | None = None) -> Matching:
    """Link US records with EU records (and, exactly, records within one side)."""
    frame = records.reset_index(drop=True)
    decisions = load_decisions() if decisions is None else decisions
    ids = list(frame["record_id"])
    sides = list(frame["jurisdiction"])
    kinds = list(frame["kind"])
    forms = name_forms(frame)
    places = countries_of(frame)
    matchable = [f for f in forms if kinds[f.row] not in SKIPPED_KINDS]
    us = [f for f in matchable if sides[f.row] == "US"]
    eu = [f for f in matchable if sides[f.row] == "EU"]
    rejected = {_pair(a, b) for a, b, d in zip(decisions["left_id"], decisions["right_id"],
                                                decisions["decision"], strict=True)
                if d == "rejected"}
    links: list[Link] = []
    misses: list[dict[str, Any]] = []
    codes = [postcodes(a) for a in frame["addresses"]]
    for (left_row, right_row), (score, a, b) in candidate_pairs(us, eu).items():
        why = accept(score, a, b, places[left_row], places[right_row], kinds[right_row],
                     (codes[left_row], codes[right_row]))
        key = _pair(ids[left_row], ids[right_row])
        if not why and key not in rejected:
            links.append(_link(ids, a, b, score, "exact" if score == 100 else "fuzzy", "auto"))
        elif score >= 80:
            misses.append({"left": ids[left_row], "right": ids[right_row],
                           "left_name": a.original, "right_name": b.original,
                           "score": round(score, 1),
                           "why_not": why or "rejected by review"})
    links += _within_sides(frame, forms, places, ids, rejected)
    confirmed, stale = _confirmed(frame, decisions)
    linked = {_pair(link.left, link.right) for link in links}
    links += [c for c in confirmed if _pair(c.left, c.right) not in linked]
    return Matching(frame, links, misses, stale)


def _link(ids: Sequence[str], a: NameForm, b: NameForm, score: float, method: str,
          decision: str, reason: str = "") -> Link:
    return Link(ids[a.row], ids[b.row], a.original, b.original, a.key, b.key,
                round(score, 1), method, decision, reason)


def _within_sides(frame: pd.DataFrame, forms: Sequence[NameForm],
                  places: Sequence[frozenset[str]], ids: Sequence[str],
                  rejected: set[tuple[str, str]]) -> list[Link]:
    """Records of one side with the same normalised name (two lists, or two rows of one list
    under two countries): linked when their countries do not differ; persons need three name
    parts (a common two-part name is not enough)."""
    groups: dict[tuple[str, str], list[NameForm]] = defaultdict(list)
    kinds = list(frame["kind"])
    sides = list(frame["jurisdiction"])
    families = record_families(forms)
    frequency: dict[str, int] = defaultdict(int)
    for form in forms:
        for token in set(form.key.split()):
            frequency[token] += 1
    for form in forms:
        if kinds[form.row] in SKIPPED_KINDS or len(form.key.split()) < 2 or form.weak:
            continue
        if all(frequency[t] > COMMON for t in form.key.split()):
            continue  # only common words ("Research and Production Enterprise"): generic
        if kinds[form.row] == "person" and len(form.key.split()) < 3:
            continue
        groups[(sides[form.row], form.key)].append(form)
    links = []
    # Two aliases alone do not link records of one side: lists copy aliases by mistake (the
    # EU gives NPP Vostok the alias "… Enterprise 'Wave'" of NPP Volna).
    for members in groups.values():
        if len({m.row for m in members}) > GENERIC:
            continue  # a generic name ("Research Institute"), not one party
        first = members[0]
        for other in members[1:]:
            if other.row == first.row or _pair(ids[first.row], ids[other.row]) in rejected \
                    or (first.alias and other.alias):
                continue
            if places[first.row] and places[other.row] and \
                    not places[first.row] & places[other.row]:
                continue
            mine, theirs = families.get(first.row), families.get(other.row)
            if mine and theirs and not mine & theirs:
                continue  # "OAO X" and "OOO X"
            links.append(_link(ids, first, other, 100.0, "exact", "auto",
                               "same normalised name on one side"))
    return links


def _confirmed(frame: pd.DataFrame, decisions: pd.DataFrame) -> tuple[list[Link], list[str]]:
    position = {rid: i for i, rid in enumerate(frame["record_id"])}
    links, stale = [], []
    for row in decisions[decisions["decision"] == "confirmed"].to_dict(orient="records"):
        left_id, right_id = str(row["left_id"]), str(row["right_id"])
        if left_id not in position or right_id not in position:
            stale.append(f"{left_id} / {right_id}")
            continue
        left, right = frame.iloc[position[left_id]], frame.iloc[position[right_id]]
        links.append(Link(left_id, right_id, str(left["name"]), str(right["name"]),
                          normalise(str(left["name"])), normalise(str(right["name"])),
                          100.0, "reviewed", "confirmed",
                          f"{row['reviewer']}, {row['date']}: {row['reason']}"))
    return links, stale


def components(ids: Iterable[str], links: Iterable[Link]) -> dict[str, str]:
    """Record id -> party id (the smallest record id of its connected component)."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        if link.left in parent and link.right in parent:
            a, b = find(link.left), find(link.right)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {i: find(i) for i in parent}
