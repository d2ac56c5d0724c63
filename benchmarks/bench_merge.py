#!/usr/bin/env python3
"""Benchmark ``toex merge resolve`` (three identifier columns - phone, e-mail, IMEI - plus name
and date of birth) at one or more sizes: CPU time and peak memory of the real command
(Parquet in, Parquet out), beside ``toex convert`` of the same file (reading and writing every
row once: the floor for any command that streams) and, at one size, Splink 4 on DuckDB
deduplicating the same data, all measured in the same run.

    .venv/bin/python benchmarks/bench_merge.py                                  # 100,000 rows
    .venv/bin/python benchmarks/bench_merge.py --rows 1000000 2000000 5000000 --splink-rows 1000000
    .venv/bin/python benchmarks/bench_merge.py --rows 10000000 --splink-rows 0  # the 4 GiB goal

Each measurement runs in its own child process, so its peak memory (max RSS) is its own. The
data is fictional (``toexcli.merge.synthetic.benchmark_rows``: rows/4 people, drama-range
phone numbers, example.org e-mail), generated into benchmarks/data/ (git-ignored) once.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

RESOLVE_ARGS = ["--id", "phone:phone", "--id", "email:email", "--id", "imei:imei", "--name", "name",
                "--dob", "dob"]


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


def _toex(args: list[str]) -> None:
    from toexcli.cli import app

    try:
        app(args, prog_name="toex", standalone_mode=False)
    except SystemExit as exc:  # pragma: no cover - a failed command
        if exc.code:
            raise


def worker(kind: str, path: str) -> dict:
    t0, c0 = time.perf_counter(), _cpu()
    info: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-merge-") as tmp:
        out = os.path.join(tmp, "out.parquet")
        if kind == "convert":
            _toex(["convert", path, "-o", out])
        elif kind == "resolve":
            _toex(["merge", "resolve", path, *RESOLVE_ARGS, "-o", out])
        elif kind == "splink":
            info = splink_dedupe(path)
        info["output_mb"] = os.path.getsize(out) / 2**20 if os.path.exists(out) else 0
    return {"kind": kind, "seconds": time.perf_counter() - t0, "cpu": _cpu() - c0, "peak_mb": _peak_mb(), **info}


def splink_dedupe(path: str) -> dict:
    """Splink 4/5 on DuckDB doing the same job: deduplicate on phone, e-mail, IMEI, name and date
    of birth (keys normalised the simple way first), blocking on each identifier and on the
    date of birth, model trained on the data, clustered at match probability 0.9."""
    import logging

    import numpy as np
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    df = pd.read_parquet(path)
    n = len(df)
    blank = lambda s: s.where(s.str.len() > 0)  # noqa: E731
    digits = df["phone"].str.replace(r"\D", "", regex=True).str[-10:]
    data = pd.DataFrame({
        "unique_id": np.arange(n),
        "name": blank(df["name"].str.lower().str.replace(r"[^a-z ]", "", regex=True).str.split()
                      .map(lambda t: " ".join(sorted(t)))),
        "dob": blank(pd.to_datetime(df["dob"], dayfirst=True, errors="coerce", format="mixed")
                     .dt.strftime("%Y-%m-%d").fillna("")),
        "phone": blank(digits.where(digits != "7000000000", "")),
        "email": blank(df["email"].str.strip().str.lower()),
        "imei": blank(df["imei"].str.slice(0, 14)),
    })
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.NameComparison("name"), cl.DateOfBirthComparison("dob", input_is_string=True),
                     cl.ExactMatch("phone"), cl.ExactMatch("email"), cl.ExactMatch("imei")],
        blocking_rules_to_generate_predictions=[block_on("phone"), block_on("email"), block_on("imei"),
                                                block_on("dob")],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(DuckDBAPI().register(data), settings, log_level=logging.ERROR)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("email"))
    pred = linker.inference.predict(threshold_match_probability=0.9)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.9).as_pandas_dataframe()
    try:
        pairs = int(pred.as_duckdbpyrelation().count("*").fetchone()[0])
    except Exception:  # pragma: no cover - another Splink version
        pairs = len(pred.as_pandas_dataframe())
    return {"entities": int(clusters["cluster_id"].nunique()), "pairs": pairs}


def run_child(kind: str, path: str) -> dict:
    r = subprocess.run([sys.executable, __file__, "--worker", kind, "--data", path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr[-4000:])
        raise SystemExit(f"{kind} failed on {path}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def data_file(n: int) -> str:
    folder = os.path.join(HERE, "data")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"merge_{n}.parquet")
    if not os.path.exists(path):
        t = time.perf_counter()
        generate(n, path)
        print(f"generated {n:,} fictional rows in {time.perf_counter() - t:.1f}s -> {path}", flush=True)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000], help="sizes to measure")
    ap.add_argument("--splink-rows", type=int, default=None,
                    help="size at which to run Splink on DuckDB too (default: the smallest size up to "
                         "1,000,000; 0 = never)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.data)))
        return
    sizes = sorted(set(args.rows))
    splink_at = args.splink_rows if args.splink_rows is not None else \
        next((n for n in sizes if n <= 1_000_000), 0)
    print(f"toex merge resolve, {' + '.join(RESOLVE_ARGS[1::2])}; {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          "cpu = user + system seconds of the process", flush=True)
    print(f"{'rows':>12} {'resolve cpu':>12} {'peak MiB':>9} {'MiB/M rows':>10} {'convert cpu':>12} "
          f"{'peak MiB':>9} {'resolve/convert cpu':>20}", flush=True)
    results = {}
    for n in sizes:
        path = data_file(n)
        conv = run_child("convert", path)
        res = run_child("resolve", path)
        results[n] = res
        print(f"{n:>12,} {res['cpu']:>11.1f}s {res['peak_mb']:>9.0f} {res['peak_mb'] / (n / 1e6):>10.0f} "
              f"{conv['cpu']:>11.1f}s {conv['peak_mb']:>9.0f} {res['cpu'] / conv['cpu']:>19.1f}x", flush=True)
    if len(sizes) > 1:
        a, b = sizes[0], sizes[-1]
        grow = (results[b]["peak_mb"] - results[a]["peak_mb"]) / ((b - a) / 1e6)
        print(f"peak memory grows {grow:.0f} MiB per million rows from {a:,} to {b:,} rows", flush=True)
    if splink_at:
        path = data_file(splink_at)
        res = results.get(splink_at) or run_child("resolve", path)
        spl = run_child("splink", path)
        print(f"Splink {__import__('importlib.metadata').metadata.version('splink')} on DuckDB at {splink_at:,} rows: "
              f"cpu {spl['cpu']:.1f}s (wall {spl['seconds']:.0f}s), peak {spl['peak_mb']:.0f} MiB, "
              f"{spl['pairs']:,} pairs over 0.9, {spl['entities']:,} entities")
        print(f"ratio Splink / toex resolve at {splink_at:,} rows: {spl['cpu'] / res['cpu']:.1f}x cpu time, "
              f"{spl['peak_mb'] / res['peak_mb']:.1f}x peak memory")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"note: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: other programs were "
              "running, so wall times are inflated; cpu times are the fairer comparison")


if __name__ == "__main__":
    main()
