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


def run_measured(cmd: list[str], stdin=None) -> tuple[float, float, float]:
    """Run a command; return (wall seconds, CPU seconds, peak RSS MiB) of that process alone."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


NAIVE = r"""
import sys, time, random
import pandas as pd, phonenumbers
path, sample = sys.argv[1], int(sys.argv[2])
clock = time.process_time if sys.argv[3] == "cpu" else time.perf_counter
t0 = clock()
df = pd.read_csv(path, dtype=str, keep_default_na=False)
t_read = clock() - t0

def naive(v):
    try:
        n = phonenumbers.parse(v, "GB")
    except phonenumbers.NumberParseException:
        return ("", False)
    return (phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164),
            phonenumbers.is_valid_number(n))

rows = len(df)
part = df if sample >= rows else df.sample(n=sample, random_state=1)
t0 = clock()
for col in ("caller", "callee"):
    res = part[col].apply(naive)
    part = part.assign(**{col + "_e164": res.str[0], col + "_valid": res.str[1]})
t_apply = (clock() - t0) * rows / len(part)
t0 = clock()
part.to_csv("/dev/null", index=False)
t_write = (clock() - t0) * rows / len(part)
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
        return min(r[0] for r in results), min(r[1] for r in results), max(r[2] for r in results)

    conv_t, conv_c, conv_m = best([TOEX, "-q", "convert", str(path), "-o", str(out), "--force"])
    norm_t, norm_c, norm_m = best([TOEX, "-q", "phones", "normalise", str(path), "-c", "caller",
                                   "-c", "callee", "-o", str(out), "--force"])

    def naive(clock):
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", NAIVE, str(path), str(args.naive_sample),
                                 clock], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(proc.stderr.read().decode())
        parts = list(map(float, proc.stdout.read().split()))
        return parts, usage.ru_maxrss / 1024, time.perf_counter() - t0

    (t_read, t_apply, t_write, n_sample), naive_m, naive_wall = naive("wall")
    naive_t = t_read + t_apply + t_write
    naive_c = sum(naive("cpu")[0][:3])
    scaled = n_sample < args.rows
    out.unlink(missing_ok=True)

    print()
    print(f"{'step':<46}{'wall s':>9}{'CPU s':>9}{'peak MiB':>10}")
    print(f"{'toex convert (the I/O floor)':<46}{conv_t:>9.2f}{conv_c:>9.2f}{conv_m:>10.0f}")
    print(f"{'toex phones normalise -c caller -c callee':<46}{norm_t:>9.2f}{norm_c:>9.2f}{norm_m:>10.0f}")
    label = "naive pandas .apply(phonenumbers.parse)"
    print(f"{label + (' [scaled]' if scaled else ''):<46}{naive_t:>9.2f}{naive_c:>9.2f}{naive_m:>10.0f}")
    if scaled:
        print(f"  naive: read_csv {t_read:.2f}s on the full file; apply {t_apply:.2f}s and to_csv "
              f"{t_write:.2f}s timed on a random {int(n_sample):,}-row subsample and scaled "
              f"x{args.rows / n_sample:.1f} to {args.rows:,} rows (a full run would take about "
              f"{naive_t:.0f}s; this measurement took {naive_wall:.1f}s)")
    print()
    r_naive, r_conv = naive_t / norm_t, norm_t / conv_t
    c_naive, c_conv = naive_c / norm_c, norm_c / conv_c
    print(f"speed-up over naive .apply:  {r_naive:.1f}x wall, {c_naive:.1f}x CPU   (target >= 10x: "
          f"{'met' if r_naive >= 10 else 'NOT met'})")
    print(f"time vs toex convert:        {r_conv:.2f}x wall, {c_conv:.2f}x CPU  (target <= 2x: "
          f"{'met' if r_conv <= 2 else 'NOT met'})")
    print(f"peak memory of normalise:    {norm_m:.0f} MiB RSS (convert {conv_m:.0f} MiB); batches "
          "of 131,072 rows are streamed, so it does not grow with the file")
    os.sync()
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        print(f"note: load average {load:.1f} on {os.cpu_count()} CPUs during this run: wall "
              "times are inflated by other work; the CPU ratios are the steadier figure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
