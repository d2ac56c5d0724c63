"""Benchmark: `toex calls parse` of a large network return vs `toex convert` of the same file.

    .venv/bin/python benchmarks/bench_calls.py [--rows 200000] [--repeat 2]

Writes a fictional return (target, A/B parties in national form, MOC/MTC/SMS codes, separate
day-first date and time columns in UK local time, seconds, cells, IMEI, IMSI; 2,000 distinct
contacts; a spring clock change inside) to benchmarks/data/, then runs, in the same run and as
real processes writing Parquet:
  * baseline: toex convert FILE -o out.parquet (read every cell as text, write it), and
  * toex calls parse FILE -o out.parquet: layout recognition, E.164 numbers, the time model
    (UTC, tz_status, DST checks), durations, codes, the standard call table.
Prints both wall and CPU times (user + system, best of --repeat), the ratios, and each
process's peak memory (max RSS). The goal is a CPU ratio within 2x: on a shared machine CPU
time is the steadier figure (wall time waits for the other jobs). The measured figures for
200,000, 1,000,000 and 5,000,000 rows (the last measured once) are in the README (calls section).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TOEX = os.path.join(os.path.dirname(sys.executable), "toex")


def make_return(path: str, rows: int) -> None:
    import datetime as dt

    rnd = random.Random(13)
    target = "07700900648"
    contacts = [f"07700900{k:03d}" for k in range(1000)] + [f"0207946{k:04d}" for k in range(1000)]
    codes = ["MOC", "MTC", "SMS MO", "SMS MT", "MOC", "MTC", "GPRS"]
    start = dt.datetime(2025, 3, 1)
    step = max(1, int(60 * 24 * 3600 / max(rows, 1)))  # spread over ~two months
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("Target Number,Call Type,A Number,B Number,Call Date,Call Time,Duration,"
                 "First Cell,Last Cell,IMEI,IMSI\n")
        t = start
        buf = []
        for i in range(rows):
            t += dt.timedelta(seconds=rnd.randrange(1, 2 * step + 1))
            code = codes[rnd.randrange(len(codes))]
            other = contacts[rnd.randrange(len(contacts))]
            if code == "GPRS":
                a, b = target, ""
            elif code in ("MOC", "SMS MO"):
                a, b = target, other
            else:
                a, b = other, target
            dur = 0 if code.startswith("SMS") else rnd.randrange(0, 900)
            buf.append(f"{target},{code},{a},{b},{t:%d/%m/%Y},{t:%H:%M:%S},{dur},"
                       f"MN{rnd.randrange(5000):04d}-{rnd.randrange(1, 4)},MN{rnd.randrange(5000):04d}-1,"
                       f"356938114029771,234940613380271\n")
            if len(buf) >= 100_000:
                fh.write("".join(buf))
                buf = []
        fh.write("".join(buf))


def measured(args: list[str], repeat: int) -> tuple[float, float, float]:
    """Best wall time and best CPU time (user + system; steadier on a shared machine) of
    ``repeat`` runs, and the largest peak RSS (from wait4's rusage)."""
    best, cpu, peak = float("inf"), float("inf"), 0.0
    for _ in range(repeat):
        t = time.perf_counter()
        p = subprocess.Popen([TOEX, "--quiet", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            sys.exit(f"toex {' '.join(args)} failed: {p.stderr.read().decode()[-500:]}")
        best = min(best, wall)
        cpu = min(cpu, usage.ru_utime + usage.ru_stime)
        peak = max(peak, usage.ru_maxrss / 1024)  # KB on Linux
    return best, cpu, peak


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    folder = os.path.join(HERE, "data")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"calls_return_{args.rows}.csv")
    if not os.path.exists(path):
        make_return(path, args.rows)
    size = os.path.getsize(path) / 1e6
    out_c = os.path.join(folder, "bench_convert.parquet")
    out_p = os.path.join(folder, "bench_calls.parquet")
    base, base_cpu, base_mem = measured(["convert", path, "-o", out_c, "--force"], args.repeat)
    ours, ours_cpu, ours_mem = measured(["calls", "parse", path, "-o", out_p, "--force"], args.repeat)
    print(f"{args.rows:,} call rows ({size:.0f} MB CSV), best of {args.repeat}")
    print(f"  toex convert      wall {base:7.2f} s  cpu {base_cpu:7.2f} s  peak {base_mem:7.0f} MB")
    print(f"  toex calls parse  wall {ours:7.2f} s  cpu {ours_cpu:7.2f} s  peak {ours_mem:7.0f} MB")
    print(f"  ratio wall {ours / base:.2f}x, cpu {ours_cpu / base_cpu:.2f}x (goal <= 2x); "
          f"{args.rows / ours:,.0f} rows/s")
    for f in (out_c, out_p):
        if os.path.exists(f):
            os.remove(f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
