"""Search every list's paragraphs and notes, and the measures register, in an analyst's words.

Two ways to match, each result saying which one found it (`why`):

- concepts (`datasets/vocabulary.toml`, reviewed): an everyday term in the query ("spyware",
  "IMSI catcher", "GPU") brings the codes that control that thing and the rows using the lists'
  own wording for it ("intrusion software"), with the concept's reason;
- words: ranked full text (TF-IDF over word stems and word pairs, cosine similarity).

Built once per loaded snapshot (`SearchIndex.build`), a query then costs a sparse product.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from harmonize.codes import canonical_code
from harmonize.compare.lenses import LensBook, tag
from harmonize.paths import dataset

REGISTER = "measures"  # the `source` of results from the measures register
CONCEPT_CODE_SCORE = 3.0  # a row under a code the concept names
CONCEPT_PHRASE_SCORE = 2.0  # a row using the lists' wording for the concept
MIN_SIMILARITY = 0.05  # below this cosine a row shares only a common word with the query
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class VocabularyError(ValueError):
    """The vocabulary file is malformed: names the file and the concept."""


@dataclass(frozen=True)
class Concept:
    id: str
    terms: tuple[str, ...]
    phrases: tuple[str, ...]
    codes: tuple[str, ...]
    measures: tuple[str, ...]
    reason: str


def load_vocabulary(path: Path | None = None) -> list[Concept]:
    source = path or dataset("vocabulary.toml")
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise VocabularyError(f"{source}: {error}") from error
    concepts = []
    for number, raw in enumerate(data.get("concept", []), start=1):
        missing = [k for k in ("id", "terms", "reason") if not raw.get(k)]
        if missing:
            raise VocabularyError(f"{source}: concept {number}: missing {', '.join(missing)}")
        concepts.append(Concept(
            str(raw["id"]), tuple(t.lower() for t in raw["terms"]),
            tuple(p.lower() for p in raw.get("phrases", [])),
            tuple(raw.get("codes", [])), tuple(raw.get("measures", [])), str(raw["reason"])))
    return concepts


def stem(word: str) -> str:
    """A light English stem, enough to let "cameras" find "camera" and "intercepting"
    find "intercept"; never shorter than four letters."""
    for suffix in ("ing", "ers", "es", "er", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """The stems of a text's words, without one-letter tokens and English stop words."""
    return [stem(w) for w in _WORD.findall(text.lower())
            if len(w) > 1 and w not in ENGLISH_STOP_WORDS]


def _contains_term(query: str, term: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", query) is not None


def concepts_in(query: str, vocabulary: Iterable[Concept]) -> list[tuple[Concept, str]]:
    """The concepts whose term (or own wording) the query uses, with the term matched."""
    lowered = " ".join(query.lower().split())
    found = []
    for concept in vocabulary:
        term = next((t for t in (*concept.terms, *concept.phrases)
                     if _contains_term(lowered, t)), None)
        if term:
            found.append((concept, term))
    return found


def _under(canonical: str, prefix: str) -> bool:
    return canonical == prefix or canonical.startswith(prefix + ".")


@dataclass
class SearchIndex:
    """The documents (one per list row, one per register measure) and their TF-IDF matrix."""

    docs: pd.DataFrame  # source, canonical, kind, text, label
    vectorizer: TfidfVectorizer
    matrix: object  # scipy sparse, rows aligned with docs
    vocabulary: list[Concept] = field(default_factory=list)
    lowered: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))

    @classmethod
    def build(cls, frame: pd.DataFrame, measures: pd.DataFrame | None = None,
              vocabulary: list[Concept] | None = None) -> SearchIndex:
        rows = frame[frame["text"].astype(str).str.strip() != ""]
        docs = pd.DataFrame({
            "source": rows["source_id"].astype(str).to_numpy(),
            "canonical": rows["canonical"].astype(str).to_numpy(),
            "kind": rows["kind"].astype(str).to_numpy(),
            "text": rows["text"].astype(str).to_numpy(),
        })
        if measures is not None and len(measures):
            register = pd.DataFrame({
                "source": REGISTER, "canonical": measures["id"].astype(str).to_numpy(),
                "kind": "measure",
                "text": (measures["title"].astype(str) + ". " + measures["summary"].astype(str)
                         ).to_numpy(),
                "codes": measures["codes"].to_numpy(),
            })
            docs = pd.concat([docs, register], ignore_index=True)
        vectorizer = TfidfVectorizer(analyzer=words, ngram_range=(1, 1), sublinear_tf=True,
                                     dtype=np.float32)
        matrix = vectorizer.fit_transform(docs["text"])
        return cls(docs, vectorizer, matrix,
                   vocabulary if vocabulary is not None else load_vocabulary(),
                   docs["text"].str.lower())

    def search(self, query: str, *, lens_codes: set[str] | None = None,
               limit: int = 50) -> list[dict[str, object]]:
        """Ranked results for a query: {source, canonical, score, why, text}."""
        query = " ".join(query.split())
        if not query:
            return []
        scores = np.zeros(len(self.docs), dtype=np.float64)
        why: dict[int, list[str]] = {}
        self._by_concepts(query, scores, why)
        self._by_code(query, scores, why)
        self._by_words(query, scores, why)
        order = np.argsort(-scores, kind="stable")
        results: list[dict[str, object]] = []
        for position in order:
            if scores[position] <= 0 or len(results) >= limit:
                break
            doc = self.docs.iloc[int(position)]
            if lens_codes is not None and doc["source"] != REGISTER and \
                    doc["canonical"] not in lens_codes:
                continue
            results.append({"source": doc["source"], "canonical": doc["canonical"],
                            "kind": doc["kind"], "score": round(float(scores[position]), 3),
                            "why": "; ".join(why[int(position)]), "text": doc["text"]})
        return results

    def _by_concepts(self, query: str, scores: np.ndarray, why: dict[int, list[str]]) -> None:
        canonical = self.docs["canonical"]
        kinds: list[str] = self.docs["kind"].tolist()
        codes: list[str] = canonical.tolist()
        text = self.lowered
        for concept, term in concepts_in(query, self.vocabulary):
            for code in concept.codes:
                for i in self._rows_under(code):
                    # the entry or paragraph itself ranks above its notes, shallow above deep
                    bonus = 0.2 if kinds[i] in ("entry", "paragraph") else 0.0
                    scores[i] += CONCEPT_CODE_SCORE + bonus - 0.01 * codes[i].count(".")
                    why.setdefault(i, []).append(
                        f"concept '{term}' -> {code} ({concept.id}): {concept.reason}")
            for phrase in concept.phrases:
                for hit in np.flatnonzero(text.str.contains(phrase, regex=False)).tolist():
                    scores[hit] += CONCEPT_PHRASE_SCORE
                    why.setdefault(hit, []).append(
                        f"concept '{term}' -> wording \"{phrase}\" ({concept.id})")
            register = self.docs["source"] == REGISTER
            for hit in np.flatnonzero(register & canonical.isin(concept.measures)).tolist():
                scores[hit] += CONCEPT_CODE_SCORE
                why.setdefault(hit, []).append(
                    f"concept '{term}' -> register measure ({concept.id})")

    def _by_code(self, query: str, scores: np.ndarray, why: dict[int, list[str]]) -> None:
        """A query that is a code in any publisher's style finds that code and below."""
        code = canonical_code(query)
        if not code:
            return
        codes: list[str] = self.docs["canonical"].tolist()
        for i in self._rows_under(code):
            scores[i] += CONCEPT_CODE_SCORE + (1.0 if codes[i] == code else 0.0)
            why.setdefault(i, []).append(f"code {code}")

    def _rows_under(self, code: str) -> list[int]:
        """Positions of the rows of `code` and of every paragraph below it."""
        canonical = self.docs["canonical"]
        return [int(i) for i in np.flatnonzero((canonical == code)
                                               | canonical.str.startswith(code + "."))]

    def _by_words(self, query: str, scores: np.ndarray, why: dict[int, list[str]]) -> None:
        vector = self.vectorizer.transform([query])
        if vector.nnz == 0:
            return
        matrix = self.matrix
        similarity = np.asarray((matrix @ vector.T).todense()).ravel()
        names = self.vectorizer.get_feature_names_out()
        wanted = set(vector.indices.tolist())
        for i in np.flatnonzero(similarity > MIN_SIMILARITY):
            scores[i] += float(similarity[i])
            row = matrix.indices[matrix.indptr[i]:matrix.indptr[i + 1]]  # type: ignore[attr-defined]
            present = sorted(str(names[c]) for c in row if c in wanted)
            why.setdefault(int(i), []).append(f"words: {', '.join(present)}")


def lens_codes(codes: Iterable[str], book: LensBook, lens: str) -> set[str]:
    """The canonical codes a lens tags among `codes` (its sub-lenses' codes included)."""
    tags = tag(pd.Series(list(codes)), book)
    return set(tags.loc[tags["lens"] == lens, "canonical"].astype(str))


def unknown_codes(vocabulary: Iterable[Concept], codes: Iterable[str],
                  measure_ids: Iterable[str]) -> list[str]:
    """Codes and measures the vocabulary names that no loaded list or register row holds."""
    held, known = set(codes), set(measure_ids)
    problems = []
    for concept in vocabulary:
        problems += [f"{concept.id}: code {c} is in no loaded list" for c in concept.codes
                     if not any(_under(h, c) for h in held if h.startswith(c))]
        problems += [f"{concept.id}: measure {m} is not in the register" for m in concept.measures
                     if m not in known]
    return problems
