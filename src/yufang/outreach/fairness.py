"""Judges' scores made comparable, without Django.

A lenient judge and a strict one would otherwise decide a contest by which entries each
happened to score. Each judge's totals are turned into z-scores over the entries that judge
scored in the contest: z = (total - the judge's mean) / the judge's standard deviation
(population). A judge who gave every entry the same total (deviation 0) contributes 0 to each.
An entry's result is the mean of its judges' z-scores; a recused judge does not score it, so
the mean is over the judges who did. Ties keep the lower entry number first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from statistics import fmean, pstdev

Row = tuple[int, int, Decimal]  # (judge id, entry id, total)


def normalised(scores: Iterable[Row]) -> dict[int, float]:
    """Entry id -> the mean of its judges' z-scores."""
    by_judge: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for judge, entry, total in scores:
        by_judge[judge].append((entry, float(total)))
    per_entry: dict[int, list[float]] = defaultdict(list)
    for rows in by_judge.values():
        values = [v for _e, v in rows]
        mean = fmean(values)
        sd = pstdev(values) if len(values) > 1 else 0.0
        for entry, value in rows:
            per_entry[entry].append((value - mean) / sd if sd > 0 else 0.0)
    return {entry: fmean(zs) for entry, zs in per_entry.items()}


def ranking(results: dict[int, float]) -> list[int]:
    return sorted(results, key=lambda entry: (-results[entry], entry))
