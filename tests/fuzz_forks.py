"""Run many `toex` command lines as real processes without paying Python's start-up for each.

    python tests/fuzz_forks.py JOBS.json [PARALLEL]  ->  JSON list on stdout, one result per job

JOBS.json is a list of argument lists (what follows `toex`). This driver imports toex and its
heavy libraries once, then forks one child per job: the child is a real process that runs the
`toex` entry point (``toexcli.cli.run``) with its own stdin (/dev/null), stdout and stderr, and
leaves the way `toex` leaves, so a native crash (a signal, exit 134) shows as it would from the
shell. Only the imports are shared; no command has run in this driver before it forks (no
pyarrow or DuckDB thread exists yet), so no half-held lock is inherited.

Each result: ``{"code": exit code or -signal, "stdout": ..., "stderr": ...}``. A child that
runs longer than TIMEOUT seconds is killed by SIGALRM (reported as -14).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading

TIMEOUT = 60
PARALLEL = 2


def _preload() -> None:
    """Import every toex module and the libraries they load lazily (importing starts no thread)."""
    import importlib
    import pkgutil

    import pandas  # noqa: F401
    import pyarrow  # noqa: F401
    import pyarrow.csv  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import toexcli

    # What commands load on first use: typer's option converters (pydantic, whose first adapter
    # scans every installed package's entry points), DuckDB, the IBAN and phone libraries...
    for name in ("typer._adapters", "typer._click.decorators", "pydantic", "duckdb", "schwifty",
                 "pycountry", "rstr", "phonenumbers", "python_calamine", "pyarrow.pandas_compat",
                 "importlib.metadata"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    try:
        import pydantic

        pydantic.TypeAdapter(int).validate_python(1)
    except Exception:
        pass
    for info in pkgutil.walk_packages(toexcli.__path__, "toexcli."):
        if ".vendor" in info.name:
            continue
        try:
            importlib.import_module(info.name)
        except Exception:  # an optional extra that is not installed: the child will say so
            pass


def _child(args, out: int, err: int) -> None:
    """In the forked child: become `toex ARGS` and never return."""
    try:
        import signal

        signal.alarm(TIMEOUT)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.argv = ["toex", *args]
        from toexcli.cli import run

        run()  # leaves through os._exit
        os._exit(0)
    except SystemExit as exc:  # as Python would end a real process
        os._exit(exc.code if isinstance(exc.code, int) else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)


def run_all(jobs: list[list[str]]) -> list[dict]:
    _preload()
    assert threading.active_count() == 1, "a thread is running in the driver: forking is unsafe"
    import gc

    gc.freeze()  # children would otherwise copy every page the collector touches
    results: list[dict | None] = [None] * len(jobs)
    running: dict[int, tuple] = {}  # pid -> (job index, stdout file, stderr file)
    next_job = 0
    while next_job < len(jobs) or running:
        while next_job < len(jobs) and len(running) < PARALLEL:
            out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _child(jobs[next_job], out.fileno(), err.fileno())
            running[pid] = (next_job, out, err)
            next_job += 1
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        i, out, err = running.pop(pid)
        with out, err:
            out.seek(0)
            err.seek(0)
            results[i] = {"code": os.waitstatus_to_exitcode(status),
                          "cpu": usage.ru_utime + usage.ru_stime,
                          "stdout": out.read().decode("utf-8", "replace"),
                          "stderr": err.read().decode("utf-8", "replace")}
    return results  # type: ignore[return-value]


if __name__ == "__main__":
    if len(sys.argv) > 2:
        PARALLEL = max(1, int(sys.argv[2]))
    with open(sys.argv[1], encoding="utf-8") as fh:
        jobs = json.load(fh)
    json.dump(run_all(jobs), sys.stdout)
