"""Benchmark: `toex bank parse` on a large statement vs plain pandas.read_csv of the same file.

    .venv/bin/python benchmarks/bench_bank.py [--rows 200000] [--layout lloyds|monzo]

Writes a fictional statement (running balance, separate debit/credit columns, newest first) to
benchmarks/data/, then times, in the same run:
  * baseline: pandas.read_csv(path) (default C engine, types inferred), and
  * toexcli.bank.parse_statements([path]): layout detection, exact amounts, dates, categories,
    counterparties, the running-balance check of every row, and the output table.
Prints both times and the ratio (target: within 3x).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

PAYEES = ["PRETEND CAFE CD 1234", "EXAMPLE ENERGY CO", "ACME WIDGETS LTD SALARY", "J BLOGGS RENT",
          "IMAGINARY ONLINE STORE CD 1234", "CASH NOTEMACHINE FICTIONTOWN", "NOT A REAL GYM",
          "PRETEND BUS CO CD 1234", "MADE UP MARKET CD 1234", "TRANSFER TO 87654321"]
TYPES = ["DEB", "DD", "FPI", "FPO", "DEB", "CPT", "SO", "DEB", "DEB", "TFR"]


def make_lloyds(path: str, rows: int) -> None:
    import datetime as dt

    rnd = random.Random(7)
    day = dt.date(2015, 1, 1)
    balance = 100_000_00
    lines = []
    for i in range(rows):
        k = rnd.randrange(len(PAYEES))
        pennies = rnd.randrange(1, 250_000)
        credit = TYPES[k] == "FPI"
        balance += pennies if credit else -pennies
        if i % 60 == 0:
            day += dt.timedelta(days=1)
        amt = f"{pennies // 100}.{pennies % 100:02d}"
        bal = f"{balance / 100:.2f}" if balance >= 0 else f"-{-balance / 100:.2f}"
        desc = f"{PAYEES[k]} {rnd.randrange(10**6):06d}" if rnd.random() < 0.5 else PAYEES[k]
        lines.append(f"{day:%d/%m/%Y},{TYPES[k]},'12-34-56,12345678,{desc},"
                     f"{'' if credit else amt},{amt if credit else ''},{bal}")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,"
                 "Debit Amount,Credit Amount,Balance,\n")
        fh.write("\n".join(reversed(lines)) + "\n")  # newest first, like the bank


def best_of(fn, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU time (CPU time is steadier on a busy machine)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import pandas as pd

    from toexcli.bank import parse_statements

    folder = os.path.join(HERE, "data")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"bank_lloyds_{args.rows}.csv")
    if not os.path.exists(path):
        make_lloyds(path, args.rows)
    size = os.path.getsize(path) / 1e6

    base, base_cpu = best_of(lambda: pd.read_csv(path), args.repeat)
    text, text_cpu = best_of(lambda: pd.read_csv(path, dtype=str, keep_default_na=False), args.repeat)
    df, reports = parse_statements([path])
    ours, ours_cpu = best_of(lambda: parse_statements([path]), args.repeat)
    rep = reports[0]
    assert rep["transactions"] == args.rows, rep["transactions"]
    assert rep["balance_breaks"] == [], rep["balance_breaks"][:5]
    print(f"statement: {args.rows:,} rows, {size:.1f} MB ({path})")
    print(f"pandas.read_csv:      {base:.3f} s wall, {base_cpu:.3f} s CPU")
    print(f"pandas.read_csv(dtype=str, keep_default_na=False) (every cell as text, as toex must): "
          f"{text:.3f} s wall, {text_cpu:.3f} s CPU")
    print(f"toex bank parse:      {ours:.3f} s wall, {ours_cpu:.3f} s CPU  ({args.rows / ours:,.0f} rows/s; "
          f"layout detected, exact amounts, dates, categories, counterparties, "
          f"{rep['balances'][0]['rows_checked']:,} balances checked)")
    print(f"ratio: {ours / base:.2f}x read_csv wall, {ours_cpu / base_cpu:.2f}x CPU (target <= 3x); "
          f"{ours / text:.2f}x the read-as-text baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
