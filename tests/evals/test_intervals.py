"""Bootstrap intervals: seeded, paired, and sane at the edges."""

from __future__ import annotations

import pytest

from app.evals.intervals import bootstrap, paired_difference, percentiles


def test_the_same_values_and_seed_give_the_same_interval() -> None:
    values = [1.0, 0.0, 1.0, 1.0, 0.5, 0.0, 1.0, 0.25]
    first, second = bootstrap(values), bootstrap(values)
    assert first == second
    assert first.mean == pytest.approx(4.75 / 8)
    assert first.low < first.mean < first.high
    assert first.low >= 0.0 and first.high <= 1.0


def test_constant_values_have_no_spread() -> None:
    interval = bootstrap([0.75] * 20)
    assert (interval.mean, interval.low, interval.high) == (0.75, 0.75, 0.75)
    assert bootstrap([0.3]).as_dict() == pytest.approx({"mean": 0.3, "low": 0.3, "high": 0.3})
    with pytest.raises(ValueError, match="no values"):
        bootstrap([])


def test_paired_difference() -> None:
    fast = [1.0, 0.5, 0.0, 1.0]
    assert paired_difference(fast, fast).as_dict() == {"mean": 0.0, "low": 0.0, "high": 0.0}
    better = [1.0, 1.0, 0.0, 1.0]  # one query gains 0.5: a mean of +0.125
    difference = paired_difference(fast, better)
    assert difference.mean == pytest.approx(0.125)
    assert difference.low >= 0.0 and difference.high <= 0.5
    with pytest.raises(ValueError, match="same queries"):
        paired_difference(fast, better[:2])


def test_percentiles() -> None:
    found = percentiles([float(v) for v in range(1, 101)])
    assert found == pytest.approx({"p50": 50.5, "p90": 90.1, "p95": 95.05, "p99": 99.01})
    assert percentiles([]) == {}
