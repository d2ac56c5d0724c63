"""Issue 19: a trailing report footer (END OF REPORT - 1630 RECORDS) is reported, not loaded as
a data row, in every command that reads tables (convert, merge, summarise...)."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import run_cli, run_toex
from toexcli.io import TableInput

DATA = "name,phone\nAna Popescu,07700 900123\nBo Li,07700 900124\n"


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("footer", ["END OF REPORT - 2 RECORDS,", "Total records: 2", "*** end of data ***,",
                                    '"2 rows",', "Report generated on 03/12/2026 by ACME,"])
def test_convert_leaves_out_footer(tmp_path, footer):
    src = tmp_path / "r.csv"
    src.write_text(DATA + footer + "\n", encoding="utf-8")
    r = run_cli(["convert", src])
    assert r.exit_code == 0, r.stderr
    assert [x["name"] for x in rows(r.stdout)] == ["Ana Popescu", "Bo Li"]
    assert "footer left out" in r.stderr and "row 3" in r.stderr


def test_stated_count_is_checked(tmp_path):
    src = tmp_path / "r.csv"
    src.write_text(DATA + "END OF REPORT - 1630 RECORDS,\n", encoding="utf-8")
    r = run_cli(["convert", src])
    assert "states 1,630, and 2 data rows were read (they DIFFER)" in r.stderr


@pytest.mark.parametrize("last", ["Cy Jones,", "Total,07700 900125", "Dee,total 3"])
def test_tampered_not_a_footer_stays(tmp_path, last):
    # one filled cell that is no footer text, or a footer-like word with a second cell: data
    src = tmp_path / "r.csv"
    src.write_text(DATA + last + "\n", encoding="utf-8")
    r = run_cli(["convert", src])
    assert len(rows(r.stdout)) == 3 and "footer" not in r.stderr


def test_footer_in_the_middle_stays(tmp_path):
    src = tmp_path / "r.csv"
    src.write_text("name,phone\nAna,1\nTotal records: 1,\nBo,2\n", encoding="utf-8")
    assert len(TableInput(str(src)).read()) == 3


def test_library_reports_footers(tmp_path):
    src = tmp_path / "r.csv"
    src.write_text(DATA + "END OF REPORT - 2 RECORDS,\n\n", encoding="utf-8")
    t = TableInput(str(src))
    df = t.read()
    assert len(df) == 2 and t.rows_read == 2
    assert t.footers == [(str(src), 3, "END OF REPORT - 2 RECORDS")]
    assert len(TableInput(str(src), footers=False).read()) == 3


def test_merge_and_summarise_do_not_load_the_footer(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text(DATA + "END OF REPORT - 2 RECORDS,\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("name,phone\nCy Jones,07700 900125\n", encoding="utf-8")
    r = run_cli(["merge", "stack", a, b])
    assert r.exit_code == 0, r.stderr
    assert [x["name"] for x in rows(r.stdout)] == ["Ana Popescu", "Bo Li", "Cy Jones"]
    p = run_toex(["summarise", a, "--kind", "table"])
    assert p.returncode == 0, p.stderr.decode()
    out = p.stdout.decode()
    assert "END OF REPORT" not in out and "2 rows" in out
    assert b"footer left out" in p.stderr


def test_footer_in_a_workbook(tmp_path):
    import xlsxwriter

    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    for i, row in enumerate([["name", "phone"], ["Ana", "07700 900123"], ["END OF REPORT - 1 RECORDS"]]):
        ws.write_row(i, 0, row)
    wb.close()
    r = run_cli(["convert", path])
    assert r.exit_code == 0, r.stderr
    assert [x["name"] for x in rows(r.stdout)] == ["Ana"]
