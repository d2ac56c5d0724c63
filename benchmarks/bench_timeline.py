#!/usr/bin/env python3
"""Benchmark: ``toex timeline`` against ``toex convert`` of the same inputs, same run, same files.

The inputs are the three kinds of a case in their standard shapes: a call table (as ``toex calls
parse`` writes it: ``start_utc`` ending in Z, 60 % of the events), a transaction table (``toex
bank parse``: date-only rows, 20 %) and raw ANPR reads (naive UK wall-clock minutes, 20 %).
``convert`` reads and writes every row and column (the floor for any command that reads the
files); ``timeline`` also reads every time through the time model, builds the summaries, pairs
two-ended calls, sorts the whole case by time and renders UTC and local ISO times. Both write
CSV. Peak memory (max RSS of each child process) is printed too.

    python benchmarks/bench_timeline.py                  # 300,000 events (quick)
    python benchmarks/bench_timeline.py --events 5000000 # the figure in the README
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

TOEX = shutil.which("toex", path=os.path.dirname(sys.executable)) or shutil.which("toex") or "toex"


def make_inputs(folder: Path, events: int, seed: int = 11) -> list[Path]:
    rng = np.random.default_rng(seed)
    n_calls, n_tx = int(events * 0.6), int(events * 0.2)
    n_anpr = events - n_calls - n_tx
    start = int(pd.Timestamp("2024-01-01", tz="UTC").value // 10**9)
    span = 365 * 86400
    handsets = np.array([f"+4477009{i:05d}" for i in range(200)])
    others = np.array([f"+4477009{i:05d}" for i in range(200, 5200)])

    secs = rng.integers(start, start + span, n_calls)
    stamps = pd.to_datetime(secs, unit="s")
    h = handsets[rng.integers(0, len(handsets), n_calls)]
    o = others[rng.integers(0, len(others), n_calls)]
    out = rng.random(n_calls) < 0.5
    calls = pd.DataFrame({
        "handset": h, "direction": np.where(out, "out", "in"),
        "event": rng.choice(np.array(["voice", "sms", "data"]), n_calls, p=[.55, .4, .05]),
        "a_party": np.where(out, h, o), "b_party": np.where(out, o, h), "other_party": o,
        "start_utc": stamps.strftime("%Y-%m-%dT%H:%M:%SZ"), "start_local": "",
        "tz_status": "declared", "duration_s": rng.integers(0, 1800, n_calls).astype(str),
        "imei": "356938035643809", "imsi": "234159990000501",
        "cell_first": np.char.add("CELL-", rng.integers(0, 900, n_calls).astype(str)),
        "cell_last": "", "duplicate_of": "", "format": "bench", "problem": "",
        "_source": "bench_calls.csv", "_row": np.arange(1, n_calls + 1)})
    days = pd.to_datetime(rng.integers(start, start + span, n_tx), unit="s").strftime("%Y-%m-%d")
    amount = np.round(rng.normal(0, 300, n_tx), 2)
    tx = pd.DataFrame({
        "account": np.char.add("30-99-50 4123", rng.integers(1000, 1100, n_tx).astype(str)),
        "date": days, "description": "FICTIONAL PAYEE", "amount": np.char.mod("%.2f", amount),
        "currency": "GBP", "balance": "", "type": "FPO", "category": "transfer",
        "counterparty": np.char.add("PAYEE ", rng.integers(0, 3000, n_tx).astype(str)),
        "reference": "", "fee": "", "format": "bench", "balance_ok": "", "duplicate_of": "",
        "problem": "", "_source": "bench_statement.csv", "_row": np.arange(1, n_tx + 1)})
    seen = pd.to_datetime(rng.integers(start, start + span, n_anpr), unit="s").strftime(
        "%Y-%m-%d %H:%M")
    letters = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ"))
    plates = np.char.add(np.char.add(letters[rng.integers(0, 23, n_anpr)],
                                     letters[rng.integers(0, 23, n_anpr)]),
                         np.char.add(rng.integers(10, 75, n_anpr).astype(str), " XYZ"))
    anpr = pd.DataFrame({"read_id": np.arange(n_anpr).astype(str),
                         "camera": np.char.add("A12 site ", rng.integers(0, 60, n_anpr).astype(str)),
                         "seen_at": seen, "plate": plates})
    paths = [folder / "bench_calls.csv", folder / "bench_tx.csv", folder / "bench_anpr.csv"]
    for df, p in zip((calls, tx, anpr), paths):
        df.to_csv(p, index=False)
    return paths


def measure(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one toex process."""
    code = ("import resource,subprocess,sys,time;t=time.perf_counter();"
            "p=subprocess.run(sys.argv[1:],capture_output=True);"
            "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "print(time.perf_counter()-t, r.ru_maxrss, r.ru_utime+r.ru_stime,"
            " p.returncode); sys.stderr.write(p.stderr.decode()[-2000:])")
    p = subprocess.run([sys.executable, "-c", code, TOEX, "-q", *args], capture_output=True,
                       text=True)
    took, rss, cpu, rc = p.stdout.split()
    if rc != "0":
        sys.exit(f"toex {' '.join(args)} failed: {p.stderr}")
    return float(took), float(cpu), int(rss) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=300_000)
    ap.add_argument("--keep", help="Keep the generated files in this folder.")
    a = ap.parse_args()
    folder = Path(a.keep or tempfile.mkdtemp(prefix="toex-bench-timeline-"))
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    paths = make_inputs(folder, a.events)
    size = sum(p.stat().st_size for p in paths) / 2**20
    print(f"inputs: {a.events:,} events in 3 files, {size:,.0f} MiB "
          f"(made in {time.perf_counter() - t:.1f} s)")
    ins = [str(p) for p in paths]
    conv = measure(["convert", *ins, "-o", str(folder / "convert.csv"), "--force"])
    tl = measure(["timeline", *ins, "-o", str(folder / "timeline.csv"), "--force"])
    rows = sum(1 for _ in open(folder / "timeline.csv", encoding="utf-8")) - 1
    for name, (wall, cpu, mem) in (("convert ", conv), ("timeline", tl)):
        print(f"toex {name}: wall {wall:7.2f} s  cpu {cpu:7.2f} s  peak {mem:7.0f} MiB")
    print(f"{rows:,} events written")
    print(f"ratio timeline / convert: wall {tl[0] / conv[0]:.2f}x, cpu {tl[1] / conv[1]:.2f}x "
          "(goal <= 3x; the machine is shared, so wall time includes waiting for a core)")
    if not a.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
