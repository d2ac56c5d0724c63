"""Case store outputs and inputs: -o case.duckdb / case.sqlite, --table, --replace, toex_history."""

import datetime as dt
import json
import sqlite3
from decimal import Decimal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_cli, run_toex
from toexcli.errors import DataError
from toexcli.io import TableInput, TableWriter, read_table


def typed_parquet(path):
    london = dt.timezone(dt.timedelta(hours=1))
    table = pa.table({
        "phone": pa.array(["07700900123", "0012345678", None]),
        "amount": pa.array([Decimal("12.50"), Decimal("-0.01"), None], pa.decimal128(12, 2)),
        "start": pa.array([dt.datetime(2024, 3, 31, 0, 30, tzinfo=dt.timezone.utc),
                           dt.datetime(2024, 3, 31, 3, 0, tzinfo=london), None],
                          pa.timestamp("us", tz="Europe/London")),
        "day": pa.array([dt.date(2024, 3, 31), dt.date(1999, 12, 31), None]),
        "seconds": pa.array([60, None, 0], pa.int64()),
        "ok": pa.array([True, False, None]),
        "_source": pa.array(["a.csv"] * 3),
        "_row": pa.array([1, 2, 3], pa.int64()),
    })
    pq.write_table(table, path)
    return table


@pytest.mark.parametrize("ext", ["duckdb", "sqlite", "db"])
def test_round_trip_keeps_types_and_leading_zeros(tmp_path, ext):
    src = tmp_path / "typed.parquet"
    want = typed_parquet(src)
    store = tmp_path / f"case.{ext}"
    r = run_cli(["convert", str(src), "-o", str(store), "--table", "calls"])
    assert r.exit_code == 0, r.stderr
    assert f"case.{ext}:calls" in r.stderr
    back = pq.read_table(_via_parquet(tmp_path, f"{store}:calls"))
    assert back.schema.remove_metadata().equals(want.schema.remove_metadata()), back.schema
    assert back.to_pylist() == want.to_pylist()


def _via_parquet(tmp_path, spec):
    out = tmp_path / "back.parquet"
    r = run_cli(["convert", spec, "-o", str(out), "--force"])
    assert r.exit_code == 0, r.stderr
    return out


def test_duckdb_column_types_are_native(tmp_path):
    src = tmp_path / "typed.parquet"
    typed_parquet(src)
    store = tmp_path / "case.duckdb"
    assert run_cli(["convert", str(src), "-o", str(store), "--table", "calls"]).exit_code == 0
    con = duckdb.connect(str(store), read_only=True)
    types = dict((r[0], r[1]) for r in con.execute("DESCRIBE calls").fetchall())
    assert types["amount"] == "DECIMAL(12,2)"
    assert types["start"] == "TIMESTAMP WITH TIME ZONE"
    assert types["phone"] == "VARCHAR" and types["day"] == "DATE"
    assert con.execute("SELECT phone FROM calls WHERE _row = 2").fetchone()[0] == "0012345678"


def test_sqlite_holds_exact_text_under_declared_types(tmp_path):
    src = tmp_path / "typed.parquet"
    typed_parquet(src)
    store = tmp_path / "case.sqlite"
    assert run_cli(["convert", str(src), "-o", str(store), "--table", "calls"]).exit_code == 0
    con = sqlite3.connect(store)
    decl = {r[1]: r[2] for r in con.execute("PRAGMA table_info(calls)")}
    assert decl["amount"] == "DECIMAL(12,2)" and decl["start"] == "TIMESTAMPTZ"
    row = con.execute("SELECT phone, amount, start, day FROM calls WHERE _row = 1").fetchone()
    assert row == ("07700900123", 12.5, "2024-03-31T00:30:00+00:00", "2024-03-31")


def test_sqlite_long_decimals_are_exact(tmp_path):
    src = tmp_path / "long.parquet"
    pq.write_table(pa.table({"v": pa.array([Decimal("123456789012345678.12")], pa.decimal128(20, 2))}), src)
    store = tmp_path / "case.sqlite"
    assert run_cli(["convert", str(src), "-o", f"{store}:t"]).exit_code == 0
    assert sqlite3.connect(store).execute("SELECT v FROM t").fetchone()[0] == "123456789012345678.12"
    back = pq.read_table(_via_parquet(tmp_path, f"{store}:t"))
    assert back.column("v").to_pylist() == [Decimal("123456789012345678.12")]


def test_default_table_is_the_input_stem_for_convert_and_natural_for_bank(tmp_path):
    csv = tmp_path / "Three Returns.csv"
    csv.write_text("a\n1\n")
    store = tmp_path / "case.duckdb"
    assert run_cli(["convert", str(csv), "-o", str(store)]).exit_code == 0
    (tmp_path / "statement.csv").write_text("Date,Description,Amount\n01/03/2024,CARD,-1.00\n")
    r = run_cli(["bank", "parse", str(tmp_path / "statement.csv"), "-o", str(store),
                 "--map", "date=Date,amount=Amount,description=Description"])
    assert r.exit_code == 0, r.stderr
    con = duckdb.connect(str(store), read_only=True)
    names = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert {"Three_Returns", "transactions", "toex_history"} <= names
    assert con.execute("SELECT kind FROM toex_tables WHERE table_name='transactions'").fetchone()[0] \
        == "transactions"


def test_append_then_replace_and_history(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("phone\n07700900001\n07700900002\n")
    store = tmp_path / "case.duckdb"
    for extra in ([], [], ["--replace"]):
        r = run_cli(["convert", str(csv), "-o", f"{store}:calls", *extra])
        assert r.exit_code == 0, r.stderr
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT count(*) FROM calls").fetchone()[0] == 2
    hist = con.execute("SELECT step, table_name, mode, command, input_sha256, rows_in, rows_out "
                       "FROM toex_history ORDER BY step").fetchall()
    assert [h[2] for h in hist] == ["create", "append", "replace"]
    assert all(h[1] == "calls" and h[5] == 2 and h[6] == 2 for h in hist)
    assert hist[0][4] and len(hist[0][4]) == 64
    assert hist[2][3].split(" ")[0] == "toex"  # under a bare `python -m pytest` argv is only the program
    con.close()
    # a table read from the store carries its history on into a Parquet file
    out = tmp_path / "out.parquet"
    assert run_cli(["convert", f"{store}:calls", "-o", str(out)]).exit_code == 0
    steps = json.loads(pq.read_schema(out).metadata[b"toex.history"])
    assert [(s.get("table"), s.get("mode")) for s in steps] == [("calls", "replace"), (None, None)]


def test_append_with_new_column_is_refused(tmp_path):
    store = tmp_path / "case.sqlite"
    (tmp_path / "a.csv").write_text("phone\n1\n")
    (tmp_path / "b.csv").write_text("phone,extra\n1,2\n")
    assert run_cli(["convert", str(tmp_path / "a.csv"), "-o", f"{store}:t"]).exit_code == 0
    r = run_cli(["convert", str(tmp_path / "b.csv"), "-o", f"{store}:t"])
    assert r.exit_code == 1 and "no column(s) extra" in r.stderr and "--replace" in r.stderr
    assert read_table(f"{store}:t")["phone"].tolist() == ["1"]


@pytest.mark.parametrize("ext", ["duckdb", "sqlite"])
@pytest.mark.parametrize("replace", [True, False])
def test_interrupted_write_leaves_the_old_table(tmp_path, ext, replace):
    store = tmp_path / f"case.{ext}"
    old = pa.table({"phone": ["07700900001"], "_source": ["x"], "_row": [1]})
    with TableWriter(f"{store}:calls") as w:
        w.write(old)

    class Interrupted(KeyboardInterrupt):
        pass

    with pytest.raises(Interrupted):
        with TableWriter(f"{store}:calls", replace=replace) as w:
            w.write(pa.table({"phone": ["07700900999"] * 1000, "_source": ["y"] * 1000,
                              "_row": list(range(1000))}))
            raise Interrupted()
    back = read_table(f"{store}:calls")
    assert back["phone"].tolist() == ["07700900001"]
    names = _tables(store, ext)
    assert not any(n.startswith("__toex") for n in names)


def _tables(store, ext):
    if ext == "duckdb":
        con = duckdb.connect(str(store), read_only=True)
        names = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
        con.close()
        return names
    return [r[0] for r in sqlite3.connect(store).execute("SELECT name FROM sqlite_master")]


def test_killed_process_leaves_the_old_table(tmp_path):
    """A real process killed mid-write (SIGKILL: no clean-up at all) leaves the old table."""
    import os
    import signal
    import subprocess
    import sys
    import time

    store = tmp_path / "case.duckdb"
    with TableWriter(f"{store}:calls") as w:
        w.write(pa.table({"phone": ["07700900001"]}))
    code = ("import pyarrow as pa, time\nfrom toexcli.io import TableWriter\n"
            f"w = TableWriter({str(store) + ':calls'!r}, replace=True)\n"
            "w.write(pa.table({'phone': ['x'] * 50000}))\nprint('written', flush=True)\ntime.sleep(30)\n")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "written"
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    time.sleep(0.1)
    assert read_table(f"{store}:calls")["phone"].tolist() == ["07700900001"]


def test_store_input_errors_are_one_line(tmp_path):
    store = tmp_path / "case.duckdb"
    (tmp_path / "a.csv").write_text("x\n1\n")
    (tmp_path / "b.csv").write_text("x\n1\n")
    run_cli(["convert", str(tmp_path / "a.csv"), "-o", str(store)])
    assert run_cli(["convert", str(store)]).exit_code == 0  # its only table
    run_cli(["convert", str(tmp_path / "b.csv"), "-o", str(store)])
    r = run_cli(["convert", str(store)])
    assert r.exit_code == 2 and "holds 2 tables (a, b)" in r.stderr
    r = run_cli(["convert", f"{store}:nope"])
    assert r.exit_code == 2 and "no table 'nope'" in r.stderr
    r = run_cli(["convert", str(tmp_path / "missing.duckdb:t")])
    assert r.exit_code == 2 and "no such file" in r.stderr
    r = run_cli(["convert", str(tmp_path / "a.csv"), "--table", "x"])
    assert r.exit_code == 2 and "only to a database output" in r.stderr
    r = run_cli(["convert", str(tmp_path / "a.csv"), "-o", str(store), "--table", "toex_history"])
    assert r.exit_code == 2 and "bookkeeping" in r.stderr
    r = run_cli(["convert", str(tmp_path / "a.csv"), "-o", str(store), "--table", "1bad"])
    assert r.exit_code == 2


def test_inspect_lists_tables_and_relationships(tmp_path):
    store = tmp_path / "case.duckdb"
    (tmp_path / "calls.csv").write_text("handset_e164,other_e164\n+447700900001,+447700900002\n")
    (tmp_path / "people.csv").write_text("name,phone_e164\nAda Example,+447700900002\n")
    run_cli(["convert", str(tmp_path / "calls.csv"), "-o", str(store)])
    run_cli(["convert", str(tmp_path / "people.csv"), "-o", str(store)])
    r = run_cli(["inspect", str(store), "--json"])
    assert r.exit_code == 0, r.stderr
    report = json.loads(r.stdout)
    assert [t["table"] for t in report["tables"]] == ["calls", "people"]
    rel = [(x["from"], x["to"]) for x in report["relationships"]]
    assert ("calls.other_e164", "people.phone_e164") in rel
    assert ("calls.handset_e164", "people.phone_e164") not in rel  # no shared value
    r = run_cli(["inspect", str(store)])
    assert "calls.other_e164 = people.phone_e164" in r.stdout


def test_same_store_as_input_and_output(tmp_path):
    store = tmp_path / "case.duckdb"
    (tmp_path / "a.csv").write_text("phone\n07700900001\n")
    run_cli(["convert", str(tmp_path / "a.csv"), "-o", str(store)])
    r = run_toex(["phones", "normalise", "-c", "phone", f"{store}:a", "-o", str(store), "--table", "b"])
    assert r.returncode == 0, r.stderr
    assert read_table(f"{store}:b")["phone_e164"].tolist() == ["+447700900001"]


def test_pipe_into_a_store(tmp_path):
    store = tmp_path / "case.sqlite"
    r = run_toex(["convert", "-", "-o", f"{store}:piped"], input="a,b\n001,2\n")
    assert r.returncode == 0, r.stderr
    assert read_table(f"{store}:piped")["a"].tolist() == ["001"]


def test_store_open_problems_are_one_line(tmp_path):
    store = tmp_path / "case.duckdb"
    (tmp_path / "a.csv").write_text("x\n1\n")
    assert run_cli(["convert", str(tmp_path / "a.csv"), "-o", str(store)]).exit_code == 0
    # a command that reads original files itself is told a table is not one
    for cmd in (["bank", "parse"], ["calls", "parse"], ["messages", "parse"]):
        r = run_cli([*cmd, f"{store}:a"])
        assert r.exit_code == 2 and "reads the original files" in r.stderr, (cmd, r.stderr)
    # another program holds the file
    holder = duckdb.connect(str(store))
    try:
        r = run_toex(["convert", str(tmp_path / "a.csv"), "-o", f"{store}:b"])
        err = r.stderr.decode()
        assert r.returncode == 2 and "is open in another program" in err and len(err.splitlines()) == 1
    finally:
        holder.close()
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database")
    r = run_cli(["convert", f"{bad}:t"])
    assert r.exit_code == 1 and "is not a DuckDB database" in r.stderr
    r = run_cli(["convert", str(tmp_path / "a.csv"), "-o", str(tmp_path / "bad.sqlite")])
    assert r.exit_code == 0  # a new SQLite file is created
    (tmp_path / "junk.sqlite").write_text("junk " * 100)
    r = run_cli(["convert", str(tmp_path / "a.csv"), "-o", str(tmp_path / "junk.sqlite")])
    assert r.exit_code == 1 and "not a readable SQLite file" in r.stderr
