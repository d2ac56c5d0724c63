"""Benchmark `toex vehicles normalise`: generated ANPR reads (plates repeat, as real reads do).

Times, on the same column:

* ``normalise_values`` -- each distinct value parsed once, results mapped back by code;
* naive baseline       -- ``parse_vrm`` applied to every row (what a per-row ``apply`` does).

Prints rows/s for both and the speed-up. Usage:

    .venv/bin/python benchmarks/bench_vehicles.py               # 2,000,000 reads
    .venv/bin/python benchmarks/bench_vehicles.py --rows 100000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"
REGION = "ABCDEFGHKLMNOPRSVWY"


def plate(rng: random.Random) -> str:
    k = rng.random()
    if k < 0.85:
        p = (f"{rng.choice(REGION)}{rng.choice(LETTERS)}{rng.choice(['07', '12', '19', '21', '62', '70'])}"
             f"{''.join(rng.choice(LETTERS) for _ in range(3))}")
    elif k < 0.95:
        p = f"{rng.choice('ABCDEFGHJKLMNPRSTVWXY')}{rng.randrange(1, 1000)}{''.join(rng.choice(LETTERS) for _ in range(3))}"
    else:
        p = rng.choice(["", "UNREAD", "10 AM", "ABC 123D", "1234 AB"])
    # how reads arrive: spaced or not, sometimes lower case or hyphenated
    r = rng.random()
    if r < 0.4 and len(p) == 7:
        p = p[:4] + " " + p[4:]
    elif r < 0.5:
        p = p.lower()
    elif r < 0.55 and len(p) == 7:
        p = p[:4] + "-" + p[4:]
    return p


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--distinct", type=int, default=50_000, help="distinct vehicles (default 50,000)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import pandas as pd

    from toexcli.vehicles import normalise_values, parse_vrm

    rng = random.Random(args.seed)
    fleet = [plate(rng) for _ in range(args.distinct)]
    reads = pd.Series([rng.choice(fleet) for _ in range(args.rows)], dtype="str")
    print(f"{args.rows:,} ANPR reads of {reads.nunique():,} distinct values")

    t0 = time.perf_counter()
    fast = normalise_values(reads)
    t_fast = time.perf_counter() - t0
    print(f"  normalise_values            {t_fast:7.2f} s  {args.rows / t_fast:12,.0f} rows/s")

    t0 = time.perf_counter()
    naive = reads.map(lambda v: parse_vrm(v).vrm)
    t_naive = time.perf_counter() - t0
    print(f"  naive parse_vrm per row     {t_naive:7.2f} s  {args.rows / t_naive:12,.0f} rows/s")

    assert fast["vrm"].fillna("").tolist() == naive.fillna("").tolist(), "results differ"
    print(f"speed-up over the naive baseline: {t_naive / t_fast:.1f}x (same results)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
