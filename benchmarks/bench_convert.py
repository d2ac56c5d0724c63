"""Benchmark: `toex convert` CSV -> Parquet against pyarrow's own read_csv + write_table.

Generates a CSV of fictional call records (default 1,000,000 rows), then runs, each in its own
process so peak memory (max RSS) is measured separately:
  baseline: pyarrow.csv.read_csv + pyarrow.parquet.write_table (types inferred, no provenance)
  toex:     toex convert FILE -o OUT.parquet (all text, _source/_row, history, atomic write)
and prints both times, the ratio (target <= 1.5x) and both peak memories.

    python benchmarks/bench_convert.py [--rows N] [--keep]
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def generate(path: str, rows: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    names = ["A Smith", "B Jones", "C Nowak", "D Nguyen", "E Hoxha", "F Popescu", "G Kazlauskas"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("date,time,caller,callee,type,duration,cell_id,subscriber,note\n")
        for i in range(rows):
            fh.write(
                f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/2024,"
                f"{rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d},"
                f"07700900{rnd.randint(0, 999):03d},0161496{rnd.randint(0, 999):04d},"
                f"{rnd.choice(('Voice', 'SMS', 'Data'))},{rnd.randint(0, 3600)},"
                f"0{rnd.randint(10000, 99999)},{rnd.choice(names)},\"row {i}, £{rnd.randint(1, 999)}\"\n"
            )


def run_measured(cmd: list[str]) -> tuple[float, float, float]:
    """Run cmd; return (wall seconds, peak RSS in MiB, CPU seconds) of that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


BASELINE = (
    "import sys, pyarrow.csv as c, pyarrow.parquet as p;"
    "p.write_table(c.read_csv(sys.argv[1]), sys.argv[2])"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=2, help="best of N runs each")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args()
    toex = shutil.which("toex", path=os.path.dirname(sys.executable)) or shutil.which("toex")
    work = tempfile.mkdtemp(prefix="toex-bench-")
    try:
        src = os.path.join(work, "calls.csv")
        t0 = time.perf_counter()
        generate(src, args.rows)
        size = os.path.getsize(src) / 1e6
        print(f"generated {args.rows:,} rows ({size:.0f} MB) in {time.perf_counter() - t0:.1f}s")
        base, ours = [], []
        for i in range(args.repeat):
            base.append(run_measured([sys.executable, "-c", BASELINE, src, os.path.join(work, f"b{i}.parquet")]))
            ours.append(run_measured([toex, "--quiet", "convert", src, "-o", os.path.join(work, f"t{i}.parquet")]))
        (bt, bm, bc), (tt, tm, tc) = min(base), min(ours)
        print(f"pyarrow read_csv + write_table : {bt:6.2f} s   cpu {bc:6.2f} s   peak {bm:7.0f} MiB")
        print(f"toex convert                   : {tt:6.2f} s   cpu {tc:6.2f} s   peak {tm:7.0f} MiB")
        print(f"ratio toex / pyarrow           : {tt / bt:6.2f}x wall, {tc / bc:.2f}x cpu  (target <= 1.5x)")
        print(f"memory toex / pyarrow          : {tm / bm:6.2f}x  (toex streams in batches)")
    finally:
        if args.keep:
            print(f"files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
