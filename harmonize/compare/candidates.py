"""Candidate counterparts for national controls, ranked by text similarity (TF-IDF).

A candidate is a lead for a reviewer, never an alignment: alignment comes only from the same
canonical code or from a reviewed mapping in `datasets/crosswalk.csv`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def entry_documents(frame: pd.DataFrame, sources: dict[str, str]) -> pd.DataFrame:
    """One document per (source, entry): the heading and every paragraph text of the entry.

    `sources` maps list id -> compared source id."""
    rows = frame[frame["kind"].isin(["entry", "paragraph"]) & frame["source_id"].isin(sources)]
    rows = rows.assign(source=rows["source_id"].map(sources))
    docs = rows.groupby(["source", "entry"], sort=False)["text"].agg(" ".join).reset_index()
    return docs


def rank_candidates(docs: pd.DataFrame, targets: list[tuple[str, str]], top: int = 5,
                    min_score: float = 0.05) -> pd.DataFrame:
    """For each (source, entry) in `targets`, the `top` most similar entries of other sources,
    with the score and the terms that weigh most in the match (the reason)."""
    columns = ["for_source", "for_entry", "source", "canonical", "score", "reason"]
    if docs.empty or not targets:
        return pd.DataFrame(columns=columns)
    # scikit-learn is imported here: it costs a second at start-up and most commands never rank.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True,
                                 min_df=1, token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]{2,}\b")
    matrix = vectorizer.fit_transform(docs["text"])
    terms = np.array(vectorizer.get_feature_names_out())
    index = {(s, e): i for i, (s, e) in enumerate(zip(docs["source"], docs["entry"], strict=True))}
    records = []
    for source, entry in targets:
        i = index.get((source, entry))
        if i is None:
            continue
        scores = linear_kernel(matrix[i], matrix).ravel()
        scores[(docs["source"] == source).to_numpy()] = -1.0  # other lists only
        for j in np.argsort(-scores)[:top]:
            if scores[j] < min_score:
                break
            shared = matrix[i].multiply(matrix[j]).toarray().ravel()
            best = terms[np.argsort(-shared)[:4]][shared[np.argsort(-shared)[:4]] > 0]
            records.append((source, entry, docs.at[j, "source"], docs.at[j, "entry"],
                            round(float(scores[j]), 4), "shared terms: " + ", ".join(best)))
    return pd.DataFrame(records, columns=columns)
