#!/usr/bin/env python3
"""Benchmark: toex chart's network build against a naive row-by-row baseline, same run, same data.

The data: call records between a few thousand fictional numbers (Ofcom drama ranges), each
written in several spellings (``07700 900123``, ``+447700900123``, ``07700900123``), with
day-first dates. ``build_network`` normalises each DISTINCT value once and aggregates with
pandas; the baseline normalises every cell with phonenumbers and aggregates in Python dicts.
Both must give the same links; the script checks that and prints the ratio.

    python benchmarks/bench_chart.py --rows 200000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_calls(rows: int, numbers: int, seed: int = 7):
    import pandas as pd

    rnd = random.Random(seed)
    pool = [f"{i:03d}" for i in range(1000)]
    mobiles = [f"07700900{d}" for d in pool]
    landlines = [f"01614960{d}" for d in pool] + [f"02079460{d}" for d in pool]
    base = (mobiles + landlines)[:numbers]

    def spell(n: str) -> str:
        k = rnd.random()
        if k < 0.4:
            return n
        if k < 0.7:
            return "+44" + n[1:]
        if k < 0.9:
            return n[:5] + " " + n[5:]
        return "+44 (0)" + n[1:5] + " " + n[5:]

    hubs = base[: max(1, numbers // 50)]
    callers, callees, dates = [], [], []
    for _ in range(rows):
        a = rnd.choice(hubs) if rnd.random() < 0.5 else rnd.choice(base)
        b = rnd.choice(base)
        if rnd.random() < 0.01:
            b = "Withheld"
        callers.append(spell(a))
        callees.append(b if b == "Withheld" else spell(b))
        dates.append(f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/2024 "
                     f"{rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}")
    df = pd.DataFrame({"Date": dates, "Caller": callers, "Callee": callees}, dtype="str")
    df["_source"] = "bench.csv"
    df["_row"] = range(1, rows + 1)
    return df


def naive(df):
    """Every cell parsed on its own; links counted in a dict; dates parsed per row."""
    import phonenumbers

    def norm(v):
        try:
            n = phonenumbers.parse(v, "GB")
        except phonenumbers.NumberParseException:
            return None
        return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)

    links = {}
    for a, b, d in zip(df["Caller"], df["Callee"], df["Date"]):
        na, nb = norm(a), norm(b)
        if not na or not nb:
            continue
        when = datetime.strptime(d, "%d/%m/%Y %H:%M")
        key = tuple(sorted((na, nb)))
        cnt, first, last = links.get(key, (0, when, when))
        links[key] = (cnt + 1, min(first, when), max(last, when))
    return links


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--numbers", type=int, default=3000)
    args = ap.parse_args()

    from toexcli.chart import build_network

    df = make_calls(args.rows, args.numbers)
    t0 = time.perf_counter()
    net = build_network(df, [("Caller", "Callee")], {"Caller": "phone", "Callee": "phone"}, date="Date")
    t_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = naive(df)
    t_naive = time.perf_counter() - t0

    got = {tuple(sorted((s.split(":", 1)[1], t.split(":", 1)[1]))): int(c)
           for s, t, c in zip(net.links["source"], net.links["target"], net.links["count"])}
    want = {k: v[0] for k, v in base.items()}
    same = got == want
    print(f"rows: {args.rows:,}  distinct numbers: {args.numbers:,}  nodes: {len(net.nodes):,}  "
          f"links: {len(net.links):,}")
    print(f"toex build_network: {t_fast:.2f} s   ({args.rows / t_fast:,.0f} rows/s)")
    print(f"naive per-row baseline: {t_naive:.2f} s   ({args.rows / t_naive:,.0f} rows/s)")
    print(f"ratio: {t_naive / t_fast:.1f}x faster; same links as the baseline: {same}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
