"""toex sql: DuckDB over toex inputs (views by file stem or NAME=PATH), output like every command."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_cli, run_toex
from toexcli.io import read_table
from toexcli.sql import SqlSession, default_memory_limit


@pytest.fixture
def calls(tmp_path):
    p = tmp_path / "calls.csv"
    p.write_text("Caller,Callee,Seconds\n07700900001,07700900002,60\n07700900001,07700900003,5\n"
                 "07700900002,07700900001,0120\n")
    return p


def test_group_by_over_a_csv_view(calls):
    r = run_cli(["sql", "SELECT Caller, count(*) AS n FROM calls GROUP BY Caller ORDER BY Caller",
                 str(calls)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ['"Caller","n"', '"07700900001",2', '"07700900002",1']


def test_text_columns_stay_text_with_provenance(calls):
    r = run_cli(["sql", "SELECT Seconds, _source, _row FROM c WHERE _row = 3", f"c={calls}"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[1] == f'"0120","{calls}",3'


def test_parquet_glob_is_queried_in_place_with_types(tmp_path):
    d = tmp_path / "calls"
    d.mkdir()
    for i in range(3):
        pq.write_table(pa.table({"handset": ["07700900001", "07700900002"],
                                 "secs": pa.array([i, 10], pa.int64())}), d / f"part{i}.parquet")
    out = tmp_path / "top.parquet"
    r = run_cli(["sql", f"SELECT handset, sum(secs) AS total, count(*) AS n "
                 f"FROM read_parquet('{d}/*.parquet') GROUP BY ALL ORDER BY handset", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    got = pq.read_table(out)
    assert got.column("handset").to_pylist() == ["07700900001", "07700900002"]
    assert got.column("total").to_pylist() == [3, 30]
    # as a view: provenance from the file name and row number
    r = run_cli(["sql", "SELECT _source, _row FROM calls WHERE secs = 2", f"{d}/*.parquet"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[1] == f'"{d}/part2.parquet",1'


def test_a_case_store_gives_a_view_per_table(tmp_path, calls):
    store = tmp_path / "case.duckdb"
    assert run_cli(["convert", str(calls), "-o", str(store)]).exit_code == 0
    (tmp_path / "people.csv").write_text("phone,name\n07700900002,Bea Example\n")
    assert run_cli(["convert", str(tmp_path / "people.csv"), "-o", str(store)]).exit_code == 0
    r = run_cli(["sql", "SELECT p.name, count(*) AS n FROM calls c JOIN people p ON c.Callee = p.phone "
                 "GROUP BY p.name", str(store)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[1] == '"Bea Example",1'
    # the result can go back into the store
    r = run_cli(["sql", "SELECT * FROM people", f"{store}:people", "-o", str(store), "--table", "p2"])
    assert r.exit_code == 0, r.stderr
    assert read_table(f"{store}:p2")["name"].tolist() == ["Bea Example"]


def test_sql_errors_are_one_line(calls):
    for query, code, words in [("SELEC 1", 2, "syntax error"),
                               ("SELECT * FROM nope", 2, "no table or view 'nope'; the views are: calls"),
                               ("SELECT zz FROM calls", 2, '"zz" not found'),
                               ("SELECT CAST(Caller AS INT) + CAST('x' AS INT) FROM calls", 1,
                                "Conversion Error"),
                               ("CREATE TABLE t (a INT)", 2, "returns no table"),
                               ("", 2, "empty")]:
        r = run_toex(["sql", query, str(calls)])
        err = r.stderr.decode()
        assert r.returncode == code, (query, err)
        assert len(err.strip().splitlines()) == 1 and words in err, (query, err)
        assert "Traceback" not in err


def test_two_inputs_with_one_stem_must_be_named(tmp_path, calls):
    other = tmp_path / "sub"
    other.mkdir()
    (other / "calls.csv").write_text("a\n1\n")
    r = run_cli(["sql", "SELECT 1", str(calls), str(other / "calls.csv")])
    assert r.exit_code == 2 and "both be the view 'calls'" in r.stderr
    r = run_cli(["sql", "SELECT count(*) AS n FROM c2", str(calls), f"c2={other / 'calls.csv'}"])
    assert r.exit_code == 0 and r.stdout.splitlines()[1] == "1"


def test_stdin_is_the_view_stdin(calls):
    r = run_toex(["sql", "SELECT count(*) AS n FROM stdin", "-"], input=calls.read_bytes())
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().splitlines() == ['"n"', "3"]


def test_memory_limit_and_temp_dir(tmp_path, calls):
    assert default_memory_limit().endswith(("MB", "GB"))
    with SqlSession(memory_limit="300MB", temp_dir=str(tmp_path)) as s:
        s.add(str(calls))
        assert s.con.execute("SELECT current_setting('memory_limit')").fetchone()[0].startswith("286")
        assert s.con.execute("SELECT current_setting('temp_directory')").fetchone()[0] == str(tmp_path)
    r = run_cli(["sql", "SELECT 1", "--memory-limit", "lots"])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1


def test_global_read_options_fit_per_input(tmp_path, calls):
    three = tmp_path / "three.csv"
    three.write_text("Three UK export\nCaller,Callee\n07700900005,07700900006\n")
    r = run_cli(["sql", "SELECT (SELECT count(*) FROM calls) AS a, (SELECT count(*) FROM three) AS b",
                 str(calls), str(three), "--skip", "1"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[1] == "3,1" and "three.csv only" in r.stderr
    r = run_cli(["sql", "SELECT 1", str(calls), f"{three}#skip=1", "--sheet", "x"])
    assert r.exit_code == 2 and "fits none" in r.stderr


def test_parquet_binary_and_nested_columns_come_out_as_text(tmp_path):
    """Issue 21: a Parquet binary column with non-UTF-8 bytes, queried in place, stopped toex sql
    with ArrowInvalid (Invalid UTF8 payload). Binary is written as hex (stderr says so), nested
    values as JSON text, as every toex reader does."""
    f = tmp_path / "typed.parquet"
    pq.write_table(pa.table({"id": ["1", "2"], "blob": pa.array([b"\xff\xfe\x00abc", b"ok"], pa.binary()),
                             "nested": pa.array([{"a": [1, 2]}, None])}), f)
    r = run_cli(["sql", "SELECT id, blob, nested FROM t ORDER BY id", f"t={f}"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ['"id","blob","nested"', '"1","fffe00616263","{""a"": [1, 2]}"',
                                     '"2","6f6b",']
    assert "column 'blob' holds binary data: written as hexadecimal text" in r.stderr
    # a BLOB made by the query itself, through a real process, into Parquet
    out = tmp_path / "out.parquet"
    p = run_toex(["sql", "SELECT '\\xFF'::BLOB AS b, [1, 2] AS l", "-o", out])
    assert p.returncode == 0, p.stderr
    assert pq.read_table(out).to_pylist() == [{"b": "ff", "l": "[1, 2]"}]


def test_binary_columns_with_the_same_name_both_come_out_as_hex():
    """A result may name two columns alike; the hex conversion picked them by name and stopped
    with pyarrow's KeyError ('Field "x" exists 2 times in schema')."""
    r = run_cli(["sql", "SELECT 'ab'::BLOB AS x, 'cd'::BLOB AS x, 1 AS n"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ['"x","x","n"', '"6162","6364",1']


def test_a_bad_input_read_by_toex_is_one_line_without_duckdbs_traceback(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text('id,text\n1,"a\n2,b\n')
    r = run_cli(["sql", "SELECT * FROM t", f"t={f}"])
    assert r.exit_code == 1
    assert "a quote opened on this line is never closed" in r.stderr
    assert "Traceback" not in r.stderr and "Python exception" not in r.stderr
