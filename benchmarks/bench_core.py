"""Scoring-core and UDF throughput (prints figures; not a test).

    python benchmarks/bench_core.py [--rows 100000] [--udf-rows 10000]

Targets (issue 2): the vectorised core scores ≥ 500,000 person-month rows/s; one UDF call costs
≤ 50 µs of Python time (Excel calls them cell by cell).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import udfs
from xlpy.core.entries import Kind
from xlpy.core.kpi import score_kpi
from xlpy.core.monthly import score_monthly
from xlpy.core.scheme_entries import kpi_entries, monthly_entries, tech_entries
from xlpy.core.tech import score_tech
from xlpy.rules import default_rules


def month_m(rows: int, rng: np.random.Generator) -> pd.DataFrame:
    rules = default_rules()
    data = {}
    for e in monthly_entries(rules):
        if e.kind is Kind.COUNT:
            data[e.column] = rng.poisson(0.3, rows)
        elif e.kind is Kind.RATING:
            data[e.column] = rng.choice(np.array(e.choices[:4], dtype=object), rows)
        else:
            data[e.column] = rng.choice(np.array(["否"] * 99 + ["是"], dtype=object), rows)
    return pd.DataFrame(data)


def month_k(rows: int, rng: np.random.Generator) -> pd.DataFrame:
    data = {}
    for e in kpi_entries(default_rules()):
        if e.kind is Kind.AMOUNT:
            data[e.column] = rng.integers(0, 60, rows).astype(float)
        else:
            data[e.column] = np.where(rng.random(rows) < 0.05, np.nan, rng.integers(1, 6, rows))
    return pd.DataFrame(data)


def month_t(rows: int, rng: np.random.Generator) -> pd.DataFrame:
    words = np.array(["优秀", "良好", "合格", "不合格", "A", "B"], dtype=object)
    return pd.DataFrame({e.column: rng.choice(words, rows) for e in tech_entries(default_rules())})


def best_of(repeats: int, fn) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--udf-rows", type=int, default=10_000)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    n = args.rows
    print(f"vectorised core, {n:,} rows each (best of 3):")
    for name, frame, score in (
        ("M monthly", month_m(n, rng), score_monthly),
        ("K kpi", month_k(n, rng), score_kpi),
        ("T tech (TECH_SCORE rows)", month_t(n, rng), score_tech),
    ):
        seconds = best_of(3, lambda score=score, frame=frame: score(frame))
        print(f"  {name:<26} {seconds * 1000:8.1f} ms  {n / seconds:12,.0f} rows/s")

    m = args.udf_rows
    t_rows = month_t(m, rng)
    sizes = (("ability", 5), ("attitude", 4), ("business", 4))
    dims = [
        [[r[f"{d}.{i}"] for i in range(1, k + 1)] for d, k in sizes]
        for r in t_rows.to_dict("records")
    ]
    m_rows = month_m(m, rng)
    counts = m_rows[["M05.unclear_account", "M05.transport_damage"]].to_numpy().tolist()
    print(f"per-row Python loop over the UDFs, {m:,} calls each (best of 3):")
    calls = {
        "TECH_SCORE(3 ranges)": lambda: [udfs.tech_score(*d) for d in dims],
        "ITEM_SCORE(10, c1, 5, c2, 1)": lambda: [
            udfs.item_score(10, a, 5, b, 1) for a, b in counts
        ],
        "GRADE_LEVEL(score, 85)": lambda: [udfs.grade_level(x % 85, 85) for x in range(m)],
        "TARGET_SCORE(actual, 50)": lambda: [udfs.target_score(x % 60, 50) for x in range(m)],
        "BEHAVIOR_SCORE(4, 5)": lambda: [udfs.behavior_score(4, 5) for _ in range(m)],
    }
    for name, loop in calls.items():
        seconds = best_of(3, loop)
        print(f"  {name:<30} {seconds / m * 1e6:6.1f} µs/call  {m / seconds:10,.0f} rows/s")


if __name__ == "__main__":
    main()
