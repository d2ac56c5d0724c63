#!/usr/bin/env python3
"""Benchmark ``toex merge resolve`` on N rows (default 1,000,000) with three identifier columns
(phone, email, IMEI) plus name and date of birth, against a plain pandas self-merge on one key
measured in the same run.

    .venv/bin/python benchmarks/bench_merge.py               # 1,000,000 rows
    .venv/bin/python benchmarks/bench_merge.py --rows 100000

Each measurement runs in its own child process so its peak memory (max RSS) is its own. The data
is fictional (Ofcom drama-range phone numbers, example.org e-mail) and generated here, into
benchmarks/data/ (git-ignored). Prints time, peak memory, rows/s and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))


def generate(n_rows: int, path: str, seed: int = 42) -> None:
    from toexcli.merge.synthetic import benchmark_rows

    benchmark_rows(n_rows, seed).to_parquet(path, index=False)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _cpu() -> float:
    """CPU seconds of this process (all threads): unlike wall time, not inflated when other
    programs share the machine."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def worker(kind: str, path: str) -> dict:
    from toexcli.io import read_table

    df = read_table([path])
    base_mb = _peak_mb()
    t0 = time.perf_counter()
    c0 = _cpu()
    if kind == "baseline":
        # a plain self-merge on one key: what an analyst's pandas script does first
        left = df[["email", "_row"]]
        left = left[left["email"] != ""]
        out = left.merge(left, on="email")
        info = {"pairs": len(out)}
    else:
        from toexcli.merge import resolve

        res = resolve(df, ["phone:phone", "email:email", "imei:imei"], name="name", dob="dob")
        info = {k: v for k, v in res.stats.items() if isinstance(v, int)}
        info["entities_table_rows"] = len(res.entities()) if kind == "resolve+entities" else None
    seconds = time.perf_counter() - t0
    return {"kind": kind, "seconds": seconds, "cpu": _cpu() - c0, "peak_mb": _peak_mb(), "after_read_mb": base_mb,
            "rows": len(df), **info}


def run_child(kind: str, path: str) -> dict:
    r = subprocess.run([sys.executable, __file__, "--worker", kind, "--data", path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit(f"{kind} failed")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--entities", action="store_true", help="also time the --entities table")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.data)))
        return
    folder = os.path.join(HERE, "data")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"merge_{args.rows}.parquet")
    if not os.path.exists(path):
        t = time.perf_counter()
        generate(args.rows, path)
        print(f"generated {args.rows:,} fictional rows in {time.perf_counter() - t:.1f}s -> {path}")
    base = run_child("baseline", path)
    res = run_child("resolve+entities" if args.entities else "resolve", path)
    print(f"rows: {res['rows']:,}  identifier columns: phone, email, imei  (+ name, dob)  cores: {os.cpu_count()}")
    print(f"baseline  pandas self-merge on email: {base['seconds']:7.2f} s  (cpu {base['cpu']:6.2f} s)  "
          f"peak {base['peak_mb']:7.0f} MB  "
          f"({base['pairs']:,} pairs)")
    print(f"resolve   toex merge resolve:        {res['seconds']:7.2f} s  (cpu {res['cpu']:6.2f} s)  "
          f"peak {res['peak_mb']:7.0f} MB  "
          f"({res['entities']:,} entities, {res['identifier_links']:,} identifier links, "
          f"{res['name_links']:,} name links, {res['ignored_identifiers']:,} identifiers not used)")
    print(f"          {res['rows'] / res['seconds']:,.0f} rows/s; peak memory after reading the table: "
          f"{res['after_read_mb']:.0f} MB")
    if args.entities:
        print(f"          (including the --entities table: {res['entities_table_rows']:,} rows)")
    print(f"ratio resolve / baseline: {res['seconds'] / base['seconds']:.1f}x wall time, "
          f"{res['cpu'] / base['cpu']:.1f}x cpu time, {res['peak_mb'] / base['peak_mb']:.1f}x peak memory")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"note: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: other programs were "
              "running, so wall times are inflated; cpu times are the fairer comparison")


if __name__ == "__main__":
    main()
