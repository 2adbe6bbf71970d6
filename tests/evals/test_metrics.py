"""Ranking metrics against values computed by hand (trec_eval's definitions)."""

from __future__ import annotations

import math

import pytest

from app.evals.metrics import (
    is_scorable,
    mrr_at,
    ndcg_at,
    query_metrics,
    rank_hits,
    recall_at,
)

LOG2_3 = math.log2(3)  # the discount of rank 2; rank 1's is log2(2) = 1, rank 3's log2(4) = 2


def test_ndcg_with_graded_qrels() -> None:
    qrels = {"a": 2, "b": 1, "c": 0}
    # DCG = 0/1 + 1/log2(3) + 2/2 = 1.6309; ideal = 2/1 + 1/log2(3) = 2.6309.
    assert ndcg_at(["x", "b", "a"], qrels, 5) == pytest.approx(1.6309298 / 2.6309298)
    assert ndcg_at(["x", "b", "a"], qrels, 5) == pytest.approx(0.619906, abs=1e-6)
    assert ndcg_at(["a", "b"], qrels, 5) == 1.0
    # Swapping the grades costs: DCG = 1/1 + 2/log2(3) = 2.2619; ideal 2.6309.
    assert ndcg_at(["b", "a"], qrels, 5) == pytest.approx((1 + 2 / LOG2_3) / (2 + 1 / LOG2_3))
    assert ndcg_at(["b", "a"], qrels, 5) == pytest.approx(0.859719, abs=1e-6)


def test_ndcg_cutoff_truncates_the_ideal_ranking_too() -> None:
    qrels = {"a": 3, "b": 2, "c": 1}
    # At k=1 the ideal holds only the grade-3 page: 2/3.
    assert ndcg_at(["b", "a", "c"], qrels, 1) == pytest.approx(2 / 3)
    # A relevant page past the cutoff counts for nothing.
    assert ndcg_at(["x", "y", "a"], qrels, 2) == 0.0
    # A grade of 0 or less is not relevant, in the ranking or in the ideal.
    assert ndcg_at(["n", "a"], {"a": 1, "n": -1}, 5) == pytest.approx(1 / LOG2_3)


def test_ties_are_broken_by_corpus_id_whatever_the_order_received() -> None:
    hits = [("b", 0.5), ("a", 0.5), ("c", 0.9), ("a", 0.1)]
    assert rank_hits(hits) == ["c", "a", "b"]
    assert rank_hits(list(reversed(hits))) == ["c", "a", "b"]
    qrels = {"b": 1}
    ranking = rank_hits(hits)
    # The relevant page is third after the tie-break: DCG = 1/log2(4) = 0.5, ideal 1.
    assert ndcg_at(ranking, qrels, 5) == 0.5
    assert mrr_at(ranking, qrels, 10) == pytest.approx(1 / 3)
    assert recall_at(ranking, qrels, 1) == 0.0
    assert recall_at(ranking, qrels, 5) == 1.0


def test_recall_counts_relevant_pages_found_in_the_first_k() -> None:
    qrels = {"a": 1, "b": 2, "c": 0}
    ranking = ["a", "x", "y", "z", "w", "b"]
    assert recall_at(ranking, qrels, 1) == 1 / 2
    assert recall_at(ranking, qrels, 5) == 1 / 2
    assert recall_at(ranking, qrels, 10) == 1.0
    assert recall_at(ranking, {"c": 0}, 10) == 0.0


def test_mrr_is_the_reciprocal_rank_of_the_first_relevant_page_within_k() -> None:
    qrels = {"r": 1}
    assert mrr_at(["r"], qrels, 10) == 1.0
    assert mrr_at(["x", "y", "r"], qrels, 10) == pytest.approx(1 / 3)
    assert mrr_at([*"abcdefghij", "r"], qrels, 10) == 0.0  # rank 11


def test_query_metrics_and_scorable_queries() -> None:
    qrels = {"a": 1, "b": 1}
    metrics = query_metrics(["x", "a", "y", "z", "w", "v", "b"], qrels)
    # DCG@5 = 1/log2(3); ideal = 1 + 1/log2(3). DCG@10 adds 1/log2(8) = 1/3.
    assert metrics["ndcg@5"] == pytest.approx((1 / LOG2_3) / (1 + 1 / LOG2_3))
    assert metrics["ndcg@10"] == pytest.approx((1 / LOG2_3 + 1 / 3) / (1 + 1 / LOG2_3))
    assert metrics["recall@1"] == 0.0
    assert metrics["recall@5"] == 0.5
    assert metrics["recall@10"] == 1.0
    assert metrics["mrr@10"] == 0.5
    assert is_scorable(qrels)
    assert not is_scorable({"a": 0})
    assert not is_scorable({})
