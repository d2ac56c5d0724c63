"""Benchmark: `toex sql` group-by over call rows in Parquet against DuckDB's own Python API.

Generates N fictional call rows (default 2,000,000; the README quotes 20,000,000) as Parquet
files of 1M rows in a folder, then runs the same query, each in its own process so that peak
memory (max RSS) is measured separately:

  baseline:    python -c "duckdb.sql(COPY (query) TO out.csv)"   (DuckDB alone)
  toex glob:   toex sql "query over read_parquet('dir/*.parquet')" -o out.csv
  toex view:   toex sql "query over calls" dir/*.parquet -o out.csv  (view with _source/_row)

and prints the times, the ratios to the baseline (goal <= 1.3x) and the peak memories.

    python benchmarks/bench_sql.py [--rows N] [--repeat 2] [--keep]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PER_FILE = 1_000_000


def generate(folder: str, rows: int, seed: int = 7) -> None:
    """Call rows as toex writes them: text identifiers, an integer duration, _source/_row."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rnd = np.random.default_rng(seed)
    callers = pa.array([f"+447700900{i:03d}" for i in range(1000)])
    callees = pa.array([f"+441614960{i:03d}" for i in range(1000)])
    kinds = pa.array(["voice", "sms", "data"])
    done = 0
    part = 0
    while done < rows:
        n = min(PER_FILE, rows - done)
        start = np.datetime64("2024-01-01T00:00:00") + rnd.integers(0, 366 * 86400, n).astype("timedelta64[s]")
        table = pa.table({
            "handset": callers.take(pa.array(rnd.integers(0, 1000, n))),
            "other_party": callees.take(pa.array(rnd.integers(0, 1000, n))),
            "start_utc": pa.array(start.astype("datetime64[us]"), pa.timestamp("us", tz="UTC")),
            "event": kinds.take(pa.array(rnd.integers(0, 3, n))),
            "duration_s": pa.array(rnd.integers(0, 3600, n), pa.int64()),
            "_source": pa.array(np.full(n, f"return_{part}.csv")),
            "_row": pa.array(np.arange(1, n + 1), pa.int64()),
        })
        pq.write_table(table, os.path.join(folder, f"calls_{part:03d}.parquet"), row_group_size=1 << 18)
        done += n
        part += 1


QUERY = ("SELECT handset, count(*) AS events, sum(duration_s) AS seconds, "
         "count(DISTINCT other_party) AS contacts, min(start_utc) AS first_seen "
         "FROM {src} GROUP BY handset ORDER BY events DESC, handset")

BASELINE = ("import sys, duckdb; con = duckdb.connect(); "
            "con.execute(\"COPY (\" + sys.argv[1] + \") TO '\" + sys.argv[2] + \"' (HEADER)\")")


def _cells(lines):
    """The first four columns of a CSV result (timestamps are written differently)."""
    import csv

    return [row[:4] for row in csv.reader(lines)]


def run_measured(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def best(cmd, repeat):
    runs = [run_measured(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=2, help="best of N runs each")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args()
    toex = shutil.which("toex", path=os.path.dirname(sys.executable)) or shutil.which("toex")
    work = tempfile.mkdtemp(prefix="toex-bench-sql-")
    try:
        folder = os.path.join(work, "calls")
        os.mkdir(folder)
        t0 = time.perf_counter()
        # in a child: Linux keeps a process's peak RSS across fork+exec, so the measured
        # commands must not be forked from a parent that has held the generated tables
        subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {HERE!r}); "
                        f"import bench_sql; bench_sql.generate({folder!r}, {args.rows})"], check=True)
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        print(f"{args.rows:,} call rows in {len(os.listdir(folder))} Parquet files, {size / 2**20:.0f} MiB "
              f"(generated in {time.perf_counter() - t0:.1f} s)")
        glob = os.path.join(folder, "*.parquet")
        q_glob = QUERY.format(src=f"read_parquet('{glob}')")
        out = os.path.join(work, "out.csv")
        base_t, base_m = best([sys.executable, "-c", BASELINE, q_glob, out], args.repeat)
        expected = open(out, encoding="utf-8").read().splitlines()
        glob_t, glob_m = best([toex, "sql", q_glob, "-o", out, "--force"], args.repeat)
        got = open(out, encoding="utf-8").read().splitlines()
        view_t, view_m = best([toex, "sql", QUERY.format(src="calls"), glob, "-o", out, "--force"],
                              args.repeat)
        same = _cells(got) == _cells(expected)
        print(f"DuckDB Python API (baseline)  {base_t:6.2f} s   peak {base_m:6.0f} MiB")
        print(f"toex sql over read_parquet()  {glob_t:6.2f} s   peak {glob_m:6.0f} MiB   "
              f"ratio {glob_t / base_t:.2f}x (goal <= 1.3x)")
        print(f"toex sql over a view (stem)   {view_t:6.2f} s   peak {view_m:6.0f} MiB   "
              f"ratio {view_t / base_t:.2f}x")
        print(f"result rows: {len(got) - 1:,} (baseline {len(expected) - 1:,}); "
              + ("same handsets, counts and sums" if same else "MISMATCH"))
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
