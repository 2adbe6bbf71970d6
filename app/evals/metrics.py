"""Ranking metrics of one query: nDCG@k (graded), recall@k and MRR@k.

They follow trec_eval (which ViDoRe's figures come from, through pytrec_eval): the gain of a
page is its qrel grade, discounted by log2(rank + 1); a grade of 0 or less is not relevant;
the ideal ranking sorts the query's qrels by grade. Ties in score are broken by corpus-id, so
a ranking never depends on the order the service happened to store pages in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

Qrels = Mapping[str, float]  # corpus-id -> relevance grade, for one query

CUTOFFS = {"ndcg@5": 5, "ndcg@10": 10, "recall@1": 1, "recall@5": 5, "recall@10": 10, "mrr@10": 10}
METRICS = tuple(CUTOFFS)
DEPTH = max(CUTOFFS.values())  # the deepest rank any metric reads


def rank_hits(hits: Sequence[tuple[str, float]]) -> list[str]:
    """Corpus-ids best first: by score, then corpus-id for ties; a repeated id counts once."""
    ranking: list[str] = []
    seen: set[str] = set()
    for corpus_id, _ in sorted(hits, key=lambda hit: (-hit[1], hit[0])):
        if corpus_id not in seen:
            seen.add(corpus_id)
            ranking.append(corpus_id)
    return ranking


def _discount(index: int) -> float:
    return 1.0 / math.log2(index + 2)  # index 0 is rank 1


def ndcg_at(ranking: Sequence[str], qrels: Qrels, k: int) -> float:
    """Normalised discounted cumulative gain of the first `k` pages (0 when none is relevant)."""
    dcg = sum(max(qrels.get(page, 0.0), 0.0) * _discount(i) for i, page in enumerate(ranking[:k]))
    ideal_grades = sorted((grade for grade in qrels.values() if grade > 0), reverse=True)
    ideal = sum(grade * _discount(i) for i, grade in enumerate(ideal_grades[:k]))
    return dcg / ideal if ideal > 0 else 0.0


def recall_at(ranking: Sequence[str], qrels: Qrels, k: int) -> float:
    """Share of the query's relevant pages among the first `k`."""
    relevant = {page for page, grade in qrels.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def mrr_at(ranking: Sequence[str], qrels: Qrels, k: int) -> float:
    """1 / rank of the first relevant page within the first `k`, else 0."""
    for index, page in enumerate(ranking[:k]):
        if qrels.get(page, 0.0) > 0:
            return 1.0 / (index + 1)
    return 0.0


def is_scorable(qrels: Qrels) -> bool:
    """A query with no relevant page has no ideal ranking: it is left out of every mean."""
    return any(grade > 0 for grade in qrels.values())


def query_metrics(ranking: Sequence[str], qrels: Qrels) -> dict[str, float]:
    """Every metric of METRICS for one query."""
    functions = {"ndcg": ndcg_at, "recall": recall_at, "mrr": mrr_at}
    return {name: functions[name.split("@")[0]](ranking, qrels, k) for name, k in CUTOFFS.items()}
