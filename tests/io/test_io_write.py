"""Writing: formats, atomic writes, no overwriting, Excel safety, processing history."""

import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_cli, run_toex
from toexcli.errors import UsageError
from toexcli.io import TableInput, TableWriter, read_table, write_table
from toexcli.io.history import HISTORY_KEY


@pytest.fixture
def csv_in(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("phone,amount,note\n07700900123,£12.50,=HYPERLINK(\"x\")\n0012345678,-3.00,@SUM(A1)\n",
                 encoding="utf-8")
    return p


@pytest.mark.parametrize("ext", ["csv", "tsv", "parquet", "arrow", "jsonl", "xlsx"])
def test_round_trip_every_format(tmp_path, csv_in, ext):
    out = tmp_path / f"out.{ext}"
    r = run_cli(["convert", str(csv_in), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    back = read_table(str(out))
    assert back["phone"].tolist() == ["07700900123", "0012345678"]
    assert back["amount"].tolist() == ["£12.50", "-3.00"]
    assert back["_source"].tolist() == [str(csv_in)] * 2
    assert back["_row"].tolist() == [1, 2]


def test_refuses_to_overwrite_without_force(tmp_path, csv_in):
    out = tmp_path / "o.csv"
    out.write_text("keep me")
    r = run_cli(["convert", str(csv_in), "-o", str(out)])
    assert r.exit_code == 2 and "already exists" in r.stderr and "--force" in r.stderr
    assert out.read_text() == "keep me"
    assert run_cli(["convert", str(csv_in), "-o", str(out), "--force"]).exit_code == 0
    assert out.read_text().startswith('"phone"')


def test_refuses_to_overwrite_an_input(tmp_path, csv_in):
    r = run_cli(["convert", str(csv_in), "-o", str(csv_in)])
    assert r.exit_code == 2 and "is also an input" in r.stderr


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    out = tmp_path / "x.parquet"
    with pytest.raises(RuntimeError):
        with TableWriter(str(out)) as w:
            w.write(pa.table({"a": ["1"]}))
            raise RuntimeError("boom")
    assert os.listdir(tmp_path) == []


def test_excel_safe_neutralises_formulas_not_numbers(tmp_path, csv_in):
    out = tmp_path / "safe.csv"
    r = run_cli(["convert", str(csv_in), "-o", str(out), "--excel-safe"])
    assert r.exit_code == 0
    back = read_table(str(out))
    assert back["note"].tolist() == ["'=HYPERLINK(\"x\")", "'@SUM(A1)"]
    assert back["amount"].tolist() == ["£12.50", "-3.00"]
    assert "2 cells" in r.stderr


def test_unknown_output_format(tmp_path, csv_in):
    r = run_cli(["convert", str(csv_in), "-o", str(tmp_path / "x.docx")])
    assert r.exit_code == 2 and "--to" in r.stderr
    r = run_cli(["convert", str(csv_in), "--to", "pdf"])
    assert r.exit_code == 2 and "unknown output format" in r.stderr


def test_history_appended_per_step(tmp_path, csv_in):
    a, b = tmp_path / "a.parquet", tmp_path / "b.arrow"
    assert run_cli(["convert", str(csv_in), "-o", str(a)]).exit_code == 0
    assert run_toex(["convert", str(a), "-o", str(b)]).returncode == 0  # a real command line
    steps = TableInput(str(b)).history
    assert [s["rows_out"] for s in steps] == [2, 2]
    assert steps[0]["inputs"][0]["name"] == str(csv_in)
    import hashlib

    assert steps[0]["inputs"][0]["sha256"] == hashlib.sha256(csv_in.read_bytes()).hexdigest()
    assert steps[1]["command"].startswith("toex convert")
    meta = pq.ParquetFile(a).metadata.metadata
    assert json.loads(meta[HISTORY_KEY])[0]["rows_in"] == 2


def test_write_table_dataframe_and_decimal(tmp_path):
    import decimal

    import pandas as pd

    df = pd.DataFrame({"amount": [decimal.Decimal("-12.50"), decimal.Decimal("3")], "who": ["A", None]})
    out = tmp_path / "d.csv"
    write_table(df, str(out))
    assert out.read_text().splitlines()[1:] == ['-12.50,"A"', "3.00,"]


def test_binary_to_terminal_refused():
    class Tty:
        buffer = None

        def isatty(self):
            return True

    with pytest.raises(UsageError, match="terminal"):
        TableWriter(None, to="parquet", stdout=Tty())


def test_inspect_json(tmp_path, csv_in):
    r = run_cli(["inspect", str(csv_in), "--json"])
    report = json.loads(r.stdout)
    assert report["rows"] == 2
    cols = {c["name"]: c for c in report["columns"]}
    assert cols["phone"]["distinct"] == 2 and cols["phone"]["non_empty"] == 2
    assert report["sources"][0]["encoding"] == "utf-8" and report["sources"][0]["delimiter"] == ","
    r = run_cli(["inspect", str(csv_in)])
    assert r.exit_code == 0 and "phone" in r.stdout and "2 rows" in r.stdout
