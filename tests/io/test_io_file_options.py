"""Per-file read options (file.xlsx#sheet=Call Data, three.csv#skip=1) and global read options
that apply only to the inputs they fit."""

import pytest
import xlsxwriter

from conftest import run_cli, run_toex
from toexcli.io import read_table
from toexcli.io.options import split_file_options
from toexcli.errors import UsageError


@pytest.fixture
def returns(tmp_path):
    book = xlsxwriter.Workbook(tmp_path / "ee.xlsx")
    sheet = book.add_worksheet("Call Data")
    for i, row in enumerate([["Caller", "Callee"], ["07700900001", "07700900002"],
                             ["07700900003", "07700900004"]]):
        for j, v in enumerate(row):
            sheet.write_string(i, j, v)
    notes = book.add_worksheet("Notes")
    notes.write_string(0, 0, "note")
    notes.write_string(1, 0, "fictional")
    book.close()
    (tmp_path / "three.csv").write_text("Three UK call data export\nCaller,Callee\n07700900005,07700900006\n")
    (tmp_path / "vodafone.csv").write_text("Caller,Callee\n07700900007,07700900008\n")
    return tmp_path


def test_split_file_options():
    assert split_file_options("a.xlsx#sheet=Call Data&skip=2") == ("a.xlsx", {"sheet": "Call Data", "skip": 2})
    assert split_file_options("a.csv#delimiter=;&encoding=cp1252&header=no") == \
        ("a.csv", {"delimiter": ";", "encoding": "cp1252", "header": False})
    assert split_file_options("dump.dat#input-format=csv") == ("dump.dat", {"format": "csv"})
    assert split_file_options("plain.csv") == ("plain.csv", {})
    with pytest.raises(UsageError, match="unknown read option 'skp'"):
        split_file_options("a.csv#skp=1")
    with pytest.raises(UsageError, match="whole number"):
        split_file_options("a.csv#skip=one")


def test_global_skip_with_mixed_inputs_applies_only_where_it_fits(returns):
    """The issue's case: --skip 1 for three.csv's preamble must not eat ee.xlsx's header row."""
    r = run_cli(["convert", str(returns / "ee.xlsx"), str(returns / "three.csv"),
                 str(returns / "vodafone.csv"), "--skip", "1"])
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == '"Caller","Callee","_source","_row"'
    assert len(lines) == 5  # 2 + 1 + 1 rows, no header row turned into data
    assert "--skip 1 applies to" in r.stderr and "three.csv only" in r.stderr
    assert "ee.xlsx (its first row is already the header" in r.stderr


def test_global_option_that_fits_none_is_a_usage_error(returns):
    r = run_cli(["convert", str(returns / "ee.xlsx"), str(returns / "vodafone.csv"), "--skip", "1"])
    assert r.exit_code == 2 and "--skip 1 fits none of the inputs" in r.stderr and "#skip=1" in r.stderr
    r = run_cli(["convert", str(returns / "ee.xlsx"), str(returns / "vodafone.csv"), "--delimiter", ";"])
    assert r.exit_code == 2 and "fits none" in r.stderr
    r = run_cli(["convert", str(returns / "three.csv"), str(returns / "vodafone.csv"), "--sheet", "Notes"])
    assert r.exit_code == 2 and "has no sheets" in r.stderr


def test_global_sheet_and_encoding_with_mixed_inputs(returns):
    r = run_cli(["convert", str(returns / "ee.xlsx"), str(returns / "vodafone.csv"), "--sheet", "Call Data"])
    assert r.exit_code == 0, r.stderr
    assert len(r.stdout.splitlines()) == 4
    assert "--sheet Call Data applies to" in r.stderr and "vodafone.csv (a CSV file has no sheets)" in r.stderr
    r = run_cli(["convert", str(returns / "ee.xlsx"), str(returns / "vodafone.csv"), "--encoding", "cp1252"])
    assert r.exit_code == 0 and "--encoding cp1252 applies to" in r.stderr


def test_per_file_options(returns):
    df = read_table([f"{returns / 'ee.xlsx'}#sheet=Notes", f"{returns / 'three.csv'}#skip=1"])
    assert df.columns.tolist()[:3] == ["note", "Caller", "Callee"]
    assert df["_source"].tolist() == [str(returns / "ee.xlsx"), str(returns / "three.csv")]
    r = run_cli(["convert", f"{returns / 'three.csv'}#sheet=Call Data"])
    assert r.exit_code == 2 and "'sheet=' does not apply to a CSV file" in r.stderr


def test_a_real_file_name_with_a_hash_is_taken_whole(tmp_path):
    odd = tmp_path / "calls#skip=1.csv"
    odd.write_text("a\n1\n")
    assert read_table(str(odd))["a"].tolist() == ["1"]


def test_one_input_keeps_the_global_option_as_given(returns):
    r = run_cli(["convert", str(returns / "vodafone.csv"), "--skip", "1"])
    assert r.exit_code == 0 and r.stdout.splitlines()[0].startswith('"07700900007"')


def test_per_file_options_in_a_real_pipe(returns):
    r = run_toex(["convert", f"{returns / 'ee.xlsx'}#sheet=Call Data", f"{returns / 'three.csv'}#skip=1",
                  "--to", "csv"])
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.decode().splitlines()) == 4


def test_commands_that_open_each_input_alone_apply_the_same_rule(returns):
    """merge stack (and timeline) read their inputs one by one: the fit is still decided over all."""
    r = run_cli(["merge", "stack", str(returns / "ee.xlsx"), str(returns / "three.csv"),
                 str(returns / "vodafone.csv"), "--skip", "1"])
    assert r.exit_code == 0, r.stderr
    assert len(r.stdout.splitlines()) == 5 and "three.csv only" in r.stderr
    r = run_cli(["merge", "stack", str(returns / "ee.xlsx"), str(returns / "vodafone.csv"), "--skip", "1"])
    assert r.exit_code == 2 and "fits none" in r.stderr
