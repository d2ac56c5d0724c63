"""A 20,000-column table through the pandas-based commands (issue 22).

Every column stays, in order, with the derived columns right after the one they come from, and
every row stays. Speed is measured by benchmarks/bench_wide.py (no timed unit tests); these tests
only have to finish, which before the fix took ~100 s per command on a loaded machine.
"""

from __future__ import annotations

import csv
import io
import sys

import pytest
from conftest import run_cli, run_toex

WIDTH = 20_000


def _wide(path, width=WIDTH):
    names = ["id", "text"] + [f"c{i}" for i in range(width - 2)]
    rows = [["1", "call 07700 900123 about AB12 CDE"] + [""] * (width - 2),
            ["2", "pay bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"] + ["x"] * (width - 2)]
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(names)
        w.writerows(rows)
    return names


def _table(text):
    csv.field_size_limit(sys.maxsize)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    path = tmp_path_factory.mktemp("wide") / "wide.csv"
    return path, _wide(path)


@pytest.mark.parametrize("args,new", [
    (["phones", "normalise", "-c", "text"], "text_e164"),
    (["crypto", "check", "-c", "text"], "text_valid"),
    (["translate", "detect", "-c", "text"], "text_lang"),
])
def test_wide_table_keeps_every_column_in_order(wide, args, new):
    path, names = wide
    r = run_cli([*args[:-2], path, *args[-2:]])
    assert r.exit_code == 0, r.stderr
    header, rows = _table(r.stdout)
    assert len(rows) == 2
    known = set(names) | {"_source", "_row"}
    added = [h for h in header if h not in known]
    assert new in added, added
    # originals in their order, the new columns right after `text`, provenance last
    originals = [h for h in header if h in known and h not in ("_source", "_row")]
    assert originals == names
    at = header.index("text")
    assert header[at + 1: at + 1 + len(added)] == added
    assert header[-2:] == ["_source", "_row"]
    assert rows[1][header.index(f"c{WIDTH - 3}")] == "x"


def test_wide_table_stack_and_summarise(wide, tmp_path):
    path, names = wide
    r = run_cli(["merge", "stack", path])
    assert r.exit_code == 0, r.stderr
    header, rows = _table(r.stdout)
    assert header[:WIDTH] == names and len(rows) == 2
    # summarise profiles every column (~1 ms each): 2,000 columns keep the test short
    narrower = tmp_path / "wide2000.csv"
    names = _wide(narrower, 2_000)
    out = tmp_path / "profile.csv"
    r = run_cli(["summarise", narrower, "-o", out])
    assert r.exit_code == 0, r.stderr
    assert "+1,800 more" in r.stdout  # the terminal report shows the first 200 columns
    header, rows = _table(out.read_text())
    assert {row[header.index("column")] for row in rows} >= {"id", "text", names[-1]}


def test_wide_table_real_process_pipe(wide):
    path, names = wide
    first = run_toex(["crypto", "check", path, "-c", "text"], timeout=300)
    assert first.returncode == 0, first.stderr[-400:]
    second = run_toex(["merge", "stack", "-"], input=first.stdout, timeout=300)
    assert second.returncode == 0, second.stderr[-400:]
    header, rows = _table(second.stdout.decode())
    known = set(names)
    assert len(rows) == 2 and [h for h in header if h in known] == names
    assert "text_valid" in header


def test_insert_after_and_writer_keep_types_and_duplicates():
    import pandas as pd
    import pyarrow as pa

    from toexcli.frames import insert_after
    from toexcli.io.writers import to_batch

    df = pd.DataFrame({"a": pd.array(["x", None], dtype="str"), "n": [1.5, float("nan")],
                       "i": pd.array([1, None], dtype="Int64"),
                       "t": pd.to_datetime(["2024-01-01", None], utc=True), "o": [{"k": 1}, 2]})
    out = insert_after(df, {"a": {"a_up": ["X", None]}, "i": {"i2": pd.Series([2, 3])}})
    assert list(out.columns) == ["a", "a_up", "n", "i", "i2", "t", "o"]
    table = to_batch(out)
    assert table.schema.names == list(out.columns)
    assert table.column("n").null_count == 1 and pa.types.is_floating(table.column("n").type)
    assert table.column("i").type == pa.int64() and table.column("i").null_count == 1
    assert pa.types.is_timestamp(table.column("t").type)
    assert table.column("o").to_pylist() == ["{'k': 1}", "2"]  # mixed objects: their text
    dup = pd.DataFrame([["1", "2"]], columns=["a", "a"])
    assert to_batch(dup).schema.names == ["a", "a"]
