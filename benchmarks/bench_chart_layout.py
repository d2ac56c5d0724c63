#!/usr/bin/env python3
"""Benchmark: toex chart's no-overlap pass (node + label footprints pushed apart, candidate pairs
from a sweep over x) against the same pushing over ALL pairs (the n-squared baseline), same run,
same starting layout, same push rule. Both must give the same positions with no overlapping
footprint; the script checks that, and prints the force layout's own time for scale.

    python benchmarks/bench_chart_layout.py --nodes 600
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toexcli.chart.layout import overlaps, separate, spring_layout  # noqa: E402


def all_pairs_separate(pos, sizes, labels):
    """The baseline: toex's own separate(), with its candidate pairs taken as every pair."""
    from toexcli.chart import layout

    def every_pair(cx, reach):
        i, j = np.triu_indices(len(cx), 1)
        return i, j

    saved = layout._pairs
    layout._pairs = every_pair
    try:
        return layout.separate(pos, sizes, labels=labels)
    finally:
        layout._pairs = saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=600)
    args = ap.parse_args()
    n = args.nodes
    rng = np.random.default_rng(5)
    s, t = rng.integers(0, n, 2 * n), rng.integers(0, n, 2 * n)
    sizes = rng.uniform(24, 72, n)
    labels = (rng.uniform(60, 180, n), np.full(n, 36.0))
    t0 = time.perf_counter()
    start = spring_layout(n, s, t)
    force = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = separate(start, sizes, labels=labels)
    sweep = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = all_pairs_separate(start, sizes, labels)
    naive = time.perf_counter() - t0
    assert np.allclose(np.sort(ours, 0), np.sort(base, 0)), "the two passes disagree"
    left_ours, left_base = len(overlaps(ours, sizes, labels=labels)), len(overlaps(base, sizes, labels=labels))
    print(f"{n} nodes: force layout {force:.2f} s; no-overlap pass {sweep:.2f} s (x sweep) vs "
          f"{naive:.2f} s (all pairs): {naive / sweep:.1f}x; overlaps left {left_ours} vs {left_base}")
    if left_ours:
        sys.exit("the sweep left overlapping footprints")


if __name__ == "__main__":
    main()
