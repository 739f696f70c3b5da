"""The matcher on the real lists (../shared/sources) against the labelled pairs of
tests/data/party_pairs.csv (judged by reading both records), without the reviewed decisions:
precision >= 98 %, recall >= 90 %. Also: the Positive Technologies case, the cross-check of
the derived US copy and the party lenses on the real lists."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from harmonize.compare import parties as pm
from harmonize.compare import parties_lenses, parties_query
from harmonize.ingest import parties_store, store
from loaders.party_lists import readers

LABELS = Path(__file__).resolve().parent / "data" / "party_pairs.csv"
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def real_parties(shared_sources: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Path, parties_query.Parties]:
    root = tmp_path_factory.mktemp("party-store")
    outcomes = parties_store.import_party_dir(shared_sources, readers(), root)
    if not outcomes:
        pytest.skip(f"no party folders in {shared_sources}")
    assert all(o.status == "imported" for o in outcomes), [o.message for o in outcomes]
    no_review = pd.DataFrame(columns=list(pm.DECISION_COLUMNS))
    return root, parties_query.assemble(
        pm.match(parties_store.load_party_records(root), no_review))


def test_precision_and_recall_on_the_labelled_pairs(real_parties) -> None:  # type: ignore[no-untyped-def]
    _, result = real_parties
    labels = parties_query.read_labels(LABELS)
    assert len(labels) >= 100
    party_of = dict(zip(result.listings["record_id"], result.listings["party_id"], strict=True))
    scores = parties_query.evaluate(party_of, labels)
    print(f"precision {scores.precision:.3f} recall {scores.recall:.3f} "
          f"(tp {scores.true_positives} fp {scores.false_positives} "
          f"fn {scores.false_negatives} tn {scores.true_negatives})", *scores.errors, sep="\n")
    assert not scores.missing, f"labelled records not loaded: {scores.missing[:5]}"
    assert scores.precision >= 0.98
    assert scores.recall >= 0.90


def test_positive_technologies_is_listed_on_both_sides(real_parties) -> None:  # type: ignore[no-untyped-def]
    _, result = real_parties
    found = parties_query.search(result.table, "Positive Technologies")
    party = found[found["listings"] == found["listings"].max()].iloc[0]
    listings = result.listings[result.listings["party_id"] == party["party_id"]]
    citations = " ".join(listings["citation"])
    assert "86 FR 60760" in citations and "86 FR 37903" in citations
    assert "Positive Group PJSC" in set(listings["name"])
    assert party["jurisdictions"] == ["US", "EU"]


def test_cross_check_and_counts(real_parties) -> None:  # type: ignore[no-untyped-def]
    root, result = real_parties
    manifest = store.read_manifest(root)
    check = manifest["parties"]["us-entity-list"]["cross_check"]["lists"]
    entity = check["us-entity-list"]
    assert entity["copy_entries"] == 3409
    # Rows with a citation of their own in the XML against the copy's stated count.
    assert abs(entity["original_entries"] - entity["copy_entries"]) <= 5
    assert entity["names_in_both"] >= 0.97 * entity["copy_entries"]
    assert check["us-meu-list"]["counts_agree"] and check["us-mieu"]["counts_agree"]
    assert manifest["parties"]["us-ear-744"]["unplaced"] == 0
    eu = result.listings[result.listings["list_id"] == "eu-32014R0833"]
    assert (eu["measure"] == "Export control").sum() == 921  # Annex IV end users


def test_every_lens_member_is_found(real_parties) -> None:  # type: ignore[no-untyped-def]
    _, result = real_parties
    lenses = parties_lenses.load_party_lenses()
    tags = parties_lenses.tag_parties(result.table, result.listings, lenses)
    assert parties_lenses.unmatched_members(tags, lenses) == []
