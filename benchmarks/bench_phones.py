#!/usr/bin/env python3
"""Benchmark ``toex phones normalise`` against (a) a naive pandas ``.apply(phonenumbers.parse)``
and (b) ``toex convert`` of the same file (the I/O floor), measured in the same run.

    .venv/bin/python benchmarks/bench_phones.py               # 1,000,000 rows, 20,000 distinct
    .venv/bin/python benchmarks/bench_phones.py --rows 20000  # quick

The data (fictional: Ofcom drama ranges, in mixed messy formats) is generated into
benchmarks/data/ (git-ignored) and reused when it is already there. The naive baseline parses
every row; when that would take long it is timed on a random subsample of ``--naive-sample``
rows and scaled to the full file (the output says so). Peak memory is each process's maximum
resident set size (``ru_maxrss``); the naive baseline runs in its own process too.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent
TOEX = str(BIN / "toex") if (BIN / "toex").exists() else "toex"

FORMATS = [
    lambda a, b: f"0{a}{b}",                 # 07700900123
    lambda a, b: f"0{a} {b}",                # 07700 900123
    lambda a, b: f"+44 {a} {b}",             # +44 7700 900123
    lambda a, b: f"44{a}{b}",                # 447700900123
    lambda a, b: f"{a}{b}",                  # 7700900123 (Excel ate the 0)
    lambda a, b: f"+44 (0){a} {b}",          # +44 (0)7700 900123
    lambda a, b: f"0044{a}{b}",              # 00447700900123
    lambda a, b: f"{a}{b}.0",                # 7700900123.0
    lambda a, b: f"'0{a}{b}",                # '07700900123
    lambda a, b: f"0{a}-{b[:3]}-{b[3:]}",    # 07700-900-123
    lambda a, b: f"tel:+44{a}{b}",
    lambda a, b: f"Mob: 0{a} {b}",
]
RANGES = [("7700", "900{:03d}"), ("2079", "460{:03d}"), ("1134", "960{:03d}"),
          ("1614", "960{:03d}"), ("1632", "960{:03d}"), ("8081", "570{:03d}"),
          ("1214", "960{:03d}"), ("1514", "960{:03d}")]
JUNK = ["Withheld", "Private Number", "Unknown", "", "N/A", "999", "7.7009E+09", "07700900170/07700900171"]


def make_data(rows: int, distinct: int, seed: int = 7) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"phones_{rows}_{distinct}.csv"
    if path.exists():
        return path
    rng = random.Random(seed)
    values: set[str] = set(JUNK)
    while len(values) < distinct:
        a, pattern = rng.choice(RANGES)
        b = pattern.format(rng.randrange(1000))
        a, b = (a[:4], b) if a == "7700" else (a[:4], b)
        values.add(rng.choice(FORMATS)(a, b))
    pool = sorted(values)
    weights = [1.0 / (i + 10) for i in range(len(pool))]   # real data: a few numbers dominate
    rng.shuffle(pool)
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write("date,time,caller,callee,type,duration\n")
        chunk = 100_000
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            callers = rng.choices(pool, weights, k=n)
            callees = rng.choices(pool, weights, k=n)
            lines = []
            for i in range(n):
                c, d = callers[i], callees[i]
                c = f'"{c}"' if ("," in c or '"' in c) else c
                d = f'"{d}"' if ("," in d or '"' in d) else d
                lines.append(f"{1 + i % 28:02d}/01/2024,{i % 24:02d}:{i % 60:02d},{c},{d},"
                             f"{'Voice' if i % 3 else 'SMS'},{i % 600}\n")
            fh.write("".join(lines))
    tmp.rename(path)
    return path


def run_measured(cmd: list[str], stdin=None) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS MiB) of that process alone."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return elapsed, usage.ru_maxrss / 1024


NAIVE = r"""
import sys, time, random
import pandas as pd, phonenumbers
path, sample = sys.argv[1], int(sys.argv[2])
t0 = time.perf_counter()
df = pd.read_csv(path, dtype=str, keep_default_na=False)
t_read = time.perf_counter() - t0

def naive(v):
    try:
        n = phonenumbers.parse(v, "GB")
    except phonenumbers.NumberParseException:
        return ("", False)
    return (phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164),
            phonenumbers.is_valid_number(n))

rows = len(df)
part = df if sample >= rows else df.sample(n=sample, random_state=1)
t0 = time.perf_counter()
for col in ("caller", "callee"):
    res = part[col].apply(naive)
    part = part.assign(**{col + "_e164": res.str[0], col + "_valid": res.str[1]})
t_apply = (time.perf_counter() - t0) * rows / len(part)
t0 = time.perf_counter()
part.to_csv("/dev/null", index=False)
t_write = (time.perf_counter() - t0) * rows / len(part)
print(t_read, t_apply, t_write, len(part))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--distinct", type=int, default=20_000)
    ap.add_argument("--naive-sample", type=int, default=100_000,
                    help="time the naive baseline on this many rows and scale (default 100,000)")
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs for the toex commands")
    args = ap.parse_args()
    distinct = min(args.distinct, max(len(JUNK) + 1, args.rows // 2))

    t0 = time.perf_counter()
    path = make_data(args.rows, distinct)
    print(f"data: {path.relative_to(ROOT)} ({args.rows:,} rows x 2 phone columns, {distinct:,} "
          f"distinct messy values; made/reused in {time.perf_counter() - t0:.1f}s, "
          f"{path.stat().st_size / 2**20:.0f} MiB)")
    out = DATA / "bench_phones_out.csv"

    def best(cmd):
        results = [run_measured(cmd) for _ in range(max(1, args.repeat))]
        return min(r[0] for r in results), max(r[1] for r in results)

    conv_t, conv_m = best([TOEX, "-q", "convert", str(path), "-o", str(out), "--force"])
    norm_t, norm_m = best([TOEX, "-q", "phones", "normalise", str(path), "-c", "caller", "-c",
                           "callee", "-o", str(out), "--force"])
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", NAIVE, str(path), str(args.naive_sample)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    naive_wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(proc.stderr.read().decode())
    t_read, t_apply, t_write, n_sample = map(float, proc.stdout.read().split())
    naive_t = t_read + t_apply + t_write
    naive_m = usage.ru_maxrss / 1024
    scaled = n_sample < args.rows
    out.unlink(missing_ok=True)

    print()
    print(f"{'step':<44}{'seconds':>10}{'peak MiB':>10}")
    print(f"{'toex convert (I/O floor)':<44}{conv_t:>10.2f}{conv_m:>10.0f}")
    print(f"{'toex phones normalise -c caller -c callee':<44}{norm_t:>10.2f}{norm_m:>10.0f}")
    label = "naive pandas .apply(phonenumbers.parse)"
    print(f"{label + (' [scaled]' if scaled else ''):<44}{naive_t:>10.2f}{naive_m:>10.0f}")
    if scaled:
        print(f"  naive: read_csv {t_read:.2f}s (full file); apply {t_apply:.2f}s and to_csv "
              f"{t_write:.2f}s timed on a random {int(n_sample):,}-row subsample and scaled x"
              f"{args.rows / n_sample:.1f} to {args.rows:,} rows (the full run would take about "
              f"{naive_t:.0f}s; this run took {naive_wall:.1f}s)")
    print()
    r_naive, r_conv = naive_t / norm_t, norm_t / conv_t
    print(f"speed-up over naive .apply:  {r_naive:.1f}x   (target >= 10x: "
          f"{'met' if r_naive >= 10 else 'NOT met'})")
    print(f"time vs toex convert:        {r_conv:.2f}x  (target <= 2x: "
          f"{'met' if r_conv <= 2 else 'NOT met'})")
    print(f"peak memory of normalise:    {norm_m:.0f} MiB (convert {conv_m:.0f} MiB; streamed in "
          "batches, so it stays flat as the file grows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
