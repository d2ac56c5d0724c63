#!/usr/bin/env python3
"""Benchmark ``toex summarise`` on generated call records against ``toex convert`` reading the
same file in the same run.

    python benchmarks/bench_summarise.py              # 5,000,000 records
    python benchmarks/bench_summarise.py --rows 200000

The data is a provider-style CDR (target, A/B parties, day-first times, types, durations):
20 targets, one of which moves to a new number on day 90 (a planted handset swap), and 14,900
contacts written in four spellings (07700..., 447700..., +44 7700 ..., 7700...), with some
withheld and unknown parties. Both commands run as real processes. The script prints CPU time
(user + system, all threads: the fair measure on a shared machine) and wall time, each the best
of ``--repeat`` alternating runs, peak memory (max RSS), the ratio summarise / convert (issue
20's goal on the all-contacts shape: <= 2x CPU) and the replacement candidates found.

Each command first runs once untimed with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE``
unset), as an installed tool has it: otherwise every timed run would also compile toexcli's own
modules from source (~0.2 s, more for summarise than for convert, which imports fewer).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

REPO = Path(__file__).resolve().parent.parent
TOEX = shutil.which("toex", path=os.path.dirname(sys.executable)) or shutil.which("toex") or "toex"


def generate(path: Path, rows: int, seed: int = 8, shape: str = "skewed") -> None:
    """Write ``rows`` CDR records in chunks (bounded memory). ``shape="all-contacts"``: every
    contact is called by every target (uniform), the worst case for the handset-replacement
    search over shared contacts."""
    rng = np.random.default_rng(seed)
    targets = np.array([f"447700900{i:03d}" for i in range(20)])
    # 14,900 contacts from 15 Ofcom drama ranges, each written in four spellings
    ranges = ["07700 900", "020 7946 ", "0113 496 ", "0114 496 ", "0116 496 ", "0117 496 ",
              "0118 496 ", "0121 496 ", "0131 496 ", "0141 496 ", "0151 496 ", "0161 496 ",
              "0191 498 ", "028 9018 ", "029 2018 "]
    contacts = []
    for prefix in ranges:
        # 07700 900000-900099 are kept for the targets
        for n in range(100 if prefix.startswith("07700") else 0, 1000):
            national = prefix + (f"{n:03d}" if prefix.startswith("07700") else f"{n:04d}")
            digits = national.replace(" ", "")
            contacts.append([digits, "44" + digits[1:], "+44 " + national[1:], digits[1:]])
    spellings = pa.array([s for c in contacts for s in c] + ["Withheld", "Unknown", ""])
    n_spell = len(spellings) - 3
    start = np.datetime64("2024-01-01T00:00:00", "s").astype(np.int64)
    span = 180 * 86400
    header = True
    written = 0
    with open(path, "wb") as f:
        while written < rows:
            n = min(1_000_000, rows - written)
            t = rng.integers(0, len(targets), n)
            # each target has its own favourite contacts (a Zipf-like skew)
            if shape == "all-contacts":
                c = rng.integers(0, len(contacts), n)
            else:
                c = (t * 997 + rng.zipf(1.3, n)) % len(contacts)
            spell = c * 4 + rng.integers(0, 4, n)
            spell = np.where(rng.random(n) < 0.02, n_spell + rng.integers(0, 3, n), spell)
            outgoing = rng.random(n) < 0.5
            other = spellings.take(pa.array(spell))
            secs = start + rng.integers(0, span, n)
            # the planted swap: target 19 moves to a new number (...020) after day 90
            tnum = np.where((t == 19) & (secs >= start + 90 * 86400), "447700900020", targets[t])
            target = pa.array(tnum)
            a = pc.if_else(pa.array(outgoing), target, other)
            b = pc.if_else(pa.array(outgoing), other, target)
            when = pc.strftime(pa.array(secs.astype("datetime64[s]")), format="%d/%m/%Y %H:%M:%S")
            is_sms = rng.random(n) < 0.4
            kind = pc.if_else(pa.array(is_sms), pa.scalar("SMS"), pa.scalar("Voice"))
            d = np.where(is_sms, 0, rng.integers(0, 1800, n))
            dur = pa.array([f"00:{m:02d}:{s:02d}" for m in range(30) for s in range(60)]).take(pa.array(d))
            table = pa.table({
                "Target Number": target,
                "Record ID": pa.array(np.char.add("R", (np.arange(n) + written).astype(str))),
                "Event Type": kind,
                "Direction": pc.if_else(pa.array(outgoing), pa.scalar("Outgoing"), pa.scalar("Incoming")),
                "A Number": a, "B Number": b, "Start Date/Time": when, "Duration": dur,
            })
            pacsv.write_csv(table, f, pacsv.WriteOptions(include_header=header, quoting_style="needed"))
            header = False
            written += n


def _env() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(args: list[str]) -> tuple[float, float, float]:
    """Run a command in a small wrapper process that reports the command's own peak RSS and CPU
    time (user + system, all threads); returns (wall seconds, peak RSS in MB, CPU seconds).
    CPU time is the fair comparison on a shared machine: wall time grows with other load."""
    wrapper = ("import resource,subprocess,sys,json;"
               "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
               "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
               "print(json.dumps([r.returncode,u.ru_maxrss,u.ru_utime+u.ru_stime,"
               "r.stderr.decode()[-2000:]]))")
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True,
                         env=_env())
    wall = time.perf_counter() - t0
    code, rss_kb, cpu, err = json.loads(res.stdout)
    if code != 0:
        sys.exit(f"{' '.join(args)} failed ({code}): {err}")
    return wall, rss_kb / 1024, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[5_000_000],
                    help="one or more sizes (e.g. --rows 1000000 5000000)")
    ap.add_argument("--shape", choices=("skewed", "all-contacts"), default="all-contacts",
                    help="skewed: each target has favourite contacts; all-contacts: every contact "
                         "is called by every target (issue 20's worst case)")
    ap.add_argument("--keep", action="store_true", help="keep the generated file in benchmarks/data")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each command; the best counts")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; shape {args.shape}")
    for rows in args.rows:
        run_size(rows, args)


def run_size(rows: int, args) -> None:
    folder = REPO / "benchmarks" / "data" if args.keep else Path(tempfile.mkdtemp(prefix="bench_summarise_"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / f"cdr_{args.shape}_{rows}.csv"
    try:
        if not data.exists():
            t0 = time.perf_counter()
            generate(data, rows, shape=args.shape)
            print(f"generated {rows:,} records ({data.stat().st_size / 1e6:,.0f} MB) "
                  f"in {time.perf_counter() - t0:.1f}s")
        out = folder / "converted.parquet"
        summ_json = folder / "summary.json"
        conv_cmd = [TOEX, "--quiet", "convert", str(data), "-o", str(out), "--force"]
        summ_cmd = [sys.executable, "-c", "import sys;from toexcli.cli import run;sys.argv[0]='toex';"
                    f"sys.stdout=open({str(summ_json)!r},'w');run()", "--quiet", "summarise", str(data),
                    "--json"]
        # untimed, on 2,000 records: every module's bytecode cached, as an installed tool has it
        warm = folder / "warm.csv"
        generate(warm, 2_000, shape=args.shape)
        for cmd in (conv_cmd, summ_cmd):
            subprocess.run([c if c != str(data) else str(warm) for c in cmd],
                           stdout=subprocess.DEVNULL, env=_env(), check=True)
        warm.unlink()
        conv_runs, summ_runs = [], []
        for _ in range(args.repeat):  # alternate, and keep each command's best (a shared machine)
            conv_runs.append(timed(conv_cmd))
            summ_runs.append(timed(summ_cmd))
        conv_t, conv_mb, conv_cpu = min(conv_runs, key=lambda r: r[2])
        summ_t, summ_mb, summ_cpu = min(summ_runs, key=lambda r: r[2])
        print("runs (wall s): convert " + ", ".join(f"{r[0]:.2f}" for r in conv_runs)
              + "; summarise " + ", ".join(f"{r[0]:.2f}" for r in summ_runs))
        report = json.loads(summ_json.read_text())
        print(f"toex convert   {conv_t:7.2f}s wall {conv_cpu:7.2f}s cpu  peak {conv_mb:7.0f} MB")
        print(f"toex summarise {summ_t:7.2f}s wall {summ_cpu:7.2f}s cpu  peak {summ_mb:7.0f} MB  "
              f"({report['records']:,} records, {len(report['handsets'])} handsets, "
              f"{sum(h['distinct_contacts'] for h in report['handsets']):,} handset-contact pairs)")
        swaps = [(c["old"], c["new"], c["jaccard"]) for c in report["replacement_candidates"]]
        print(f"replacement candidates: {swaps[:3]} (planted: +447700900019 -> +447700900020)")
        print(f"ratio summarise / convert at {rows:,} rows: {summ_cpu / conv_cpu:.2f}x cpu, "
              f"{summ_t / conv_t:.2f}x wall (issue 20's goal on the all-contacts shape: <= 2x)")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
