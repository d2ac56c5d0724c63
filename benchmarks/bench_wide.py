"""Benchmark: wide tables (thousands of columns) through the pandas-based commands (issue 22).

    .venv/bin/python benchmarks/bench_wide.py [--columns 5000] [--no-cli]

Writes a fictional 2-row table with N columns to benchmarks/data/, then measures CPU time, in the
same run:
  * the shared pandas steps every column-adding command takes, against the way they were done
    before (a Series per column concatenated; ``pa.Table.from_pandas`` per column):
    ``insert_after`` (new columns beside the source column) and the writer's pandas -> Arrow step;
  * each command as a real process (phones normalise, crypto check, vehicles normalise, merge
    stack, summarise) against ``toex convert`` of the same file (pure Arrow: the floor).
Per-column costs at two widths show the growth is linear. CPU time (user+sys), so a loaded
machine still gives comparable ratios.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
TOEX = os.path.join(os.path.dirname(sys.executable), "toex")


def make(path: str, width: int) -> None:
    names = ["id", "text"] + [f"c{i}" for i in range(width - 2)]
    rows = [["1", "call 07700 900123 about AB12 CDE"] + [""] * (width - 2),
            ["2", "pay bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"] + ["x"] * (width - 2)]
    with open(path, "w") as fh:
        for r in [names, *rows]:
            fh.write(",".join(r) + "\n")


def cpu(fn, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def old_insert_after(df, additions):
    import pandas as pd

    pieces, pending = [], dict(additions)
    for i, col in enumerate(df.columns):
        pieces.append(df.iloc[:, i])
        if col in pending:
            for name, values in pending.pop(col).items():
                pieces.append(pd.Series(values, index=df.index, name=name))
    return pd.concat(pieces, axis=1)


def library(path: str) -> None:
    import pyarrow as pa

    from toexcli.frames import insert_after
    from toexcli.io import TableInput
    from toexcli.io.table import to_frame
    from toexcli.io.writers import to_batch

    batch = next(iter(TableInput([path]).batches()))
    df = to_frame(batch)
    new = {"text": {"text_a": ["a", "b"], "text_b": ["c", "d"], "text_c": ["e", "f"]}}
    t_old = cpu(lambda: old_insert_after(df, new))
    t_new = cpu(lambda: insert_after(df, new))
    print(f"  insert_after        before {t_old:7.3f} s   now {t_new:7.3f} s   x{t_old / t_new:6.1f}")
    out = insert_after(df, new)
    t_old = cpu(lambda: pa.Table.from_pandas(out, preserve_index=False))
    t_new = cpu(lambda: to_batch(out))
    print(f"  pandas -> Arrow     before {t_old:7.3f} s   now {t_new:7.3f} s   x{t_old / t_new:6.1f}")


def child_cpu(args) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run([TOEX, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"toex {' '.join(args)}: exit {r.returncode}: {r.stderr.decode()[-300:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def commands(path: str, width: int) -> dict:
    base = child_cpu(["convert", path])
    print(f"  toex convert (baseline)         {base:7.2f} s CPU")
    out = {}
    for args in (["phones", "normalise", path, "-c", "text"], ["crypto", "check", path, "-c", "text"],
                 ["vehicles", "normalise", path, "-c", "text"], ["merge", "stack", path],
                 ["summarise", path, "--json"]):
        t = child_cpu(args)
        out[" ".join(args[:2]) if args[0] != "summarise" else "summarise"] = t
        label = " ".join(a for a in args if a != path)
        print(f"  toex {label:<27}{t:7.2f} s CPU   x{t / base:5.1f} convert   "
              f"{1e6 * t / width:6.0f} µs/column")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--columns", type=int, default=5000)
    ap.add_argument("--no-cli", action="store_true", help="only the library steps")
    a = ap.parse_args()
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    results = {}
    for width in (a.columns // 4, a.columns):
        path = os.path.join(HERE, "data", f"wide_{width}.csv")
        make(path, width)
        print(f"{width:,} columns")
        library(path)
        if not a.no_cli:
            results[width] = commands(path, width)
    if len(results) == 2:
        small, big = sorted(results)
        print(f"growth {small:,} -> {big:,} columns (x{big / small:.0f}; linear = x{big / small:.0f}):")
        for k in results[big]:
            print(f"  {k:<20} x{results[big][k] / results[small][k]:.1f}")


if __name__ == "__main__":
    main()
