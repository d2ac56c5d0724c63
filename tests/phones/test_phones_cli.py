"""toex phones normalise / extract from the command line: CSV, Excel, stdin, pipes, errors."""

import csv
import io

import pytest

from conftest import run_cli, run_toex

M = "+447700900123"

CALLS = """Date,Caller,Callee,Note
05/01/2024,07700 900123,+44 (0)20 7946 0123,first
05/01/2024,'07700900124,Withheld,
06/01/2024,7700900123.0,7.7009E+09,excel
06/01/2024,,07700900123/07700900125,two
"""


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def calls(tmp_path):
    p = tmp_path / "calls.csv"
    p.write_text(CALLS, encoding="utf-8")
    return p


def test_normalise_csv_to_stdout(calls):
    r = run_cli(["phones", "normalise", calls, "-c", "Caller", "-c", "Callee"])
    assert r.exit_code == 0, r.stderr
    out = rows(r.stdout)
    header = list(out[0].keys())
    sfx = ["e164", "valid", "status", "type", "country", "network", "reason"]
    assert header == (["Date", "Caller"] + [f"Caller_{s}" for s in sfx] + ["Callee"]
                      + [f"Callee_{s}" for s in sfx] + ["Note", "_source", "_row"])
    assert [o["Caller"] for o in out] == ["07700 900123", "'07700900124", "7700900123.0", ""]
    assert [o["Caller_e164"] for o in out] == [M, "+447700900124", M, ""]
    assert [o["Caller_status"] for o in out] == ["possible", "possible", "possible", "empty"]
    assert [o["Callee_e164"] for o in out] == ["+442079460123", "", "", ""]
    assert [o["Callee_status"] for o in out] == ["ok", "withheld", "unparseable", "multiple"]
    assert out[0]["Callee_valid"] == "true" and out[0]["Caller_valid"] == "false"
    assert out[2]["Callee_reason"] == "rounded scientific notation: digits lost"
    assert [o["_row"] for o in out] == ["1", "2", "3", "4"]


def test_alias_region_and_output_file(calls, tmp_path):
    out = tmp_path / "out.parquet"
    r = run_cli(["phones", "normalize", calls, "-c", "Caller", "--region", "gb", "-o", out])
    assert r.exit_code == 0, r.stderr
    import pandas as pd

    df = pd.read_parquet(out)
    assert df["Caller_e164"].tolist()[0] == M and df["Caller_valid"].dtype == bool
    r = run_cli(["phones", "normalise", calls, "-c", "Caller", "-o", out])
    assert r.exit_code == 2 and "already exists" in r.stderr


def test_excel_numeric_cell_comes_back_as_text(tmp_path):
    import xlsxwriter

    path = tmp_path / "subs.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("subscribers")
    ws.write_row(0, 0, ["name", "msisdn"])
    ws.write_row(1, 0, ["Alpha", "07700 900123"])
    ws.write(2, 0, "Bravo")
    ws.write_number(2, 1, 7700900123)            # a numeric cell: Excel dropped the 0
    ws.write(3, 0, "Charlie")
    ws.write_number(3, 1, 2079460123.0)
    ws.write_row(4, 0, ["Delta", "Private"])
    wb.close()
    r = run_cli(["phones", "normalise", path, "-c", "msisdn"])
    assert r.exit_code == 0, r.stderr
    out = rows(r.stdout)
    assert [o["msisdn"] for o in out] == ["07700 900123", "7700900123", "2079460123", "Private"]
    assert [o["msisdn_e164"] for o in out] == [M, M, "+442079460123", ""]
    assert [o["msisdn_status"] for o in out] == ["possible", "possible", "ok", "withheld"]


def test_stdin_with_cli_runner():
    r = run_cli(["phones", "normalise", "-", "-c", "phone"], input="phone\n0044 7700 900123\n")
    assert r.exit_code == 0, r.stderr
    assert rows(r.stdout)[0]["phone_e164"] == M


def test_missing_column_is_a_usage_error(calls):
    r = run_cli(["phones", "normalise", calls, "-c", "caller"])
    assert r.exit_code == 2
    assert "no column 'caller'" in r.stderr and "did you mean 'Caller'" in r.stderr
    assert "Traceback" not in r.stderr
    r = run_cli(["phones", "normalise", calls, "-c", "Caller", "--region", "XX"])
    assert r.exit_code == 2 and "unknown region" in r.stderr


def test_help_has_examples():
    for cmd in ("normalise", "extract"):
        r = run_cli(["phones", cmd, "--help"])
        assert r.exit_code == 0 and "Examples" in r.stdout


def test_real_pipe_normalise_then_extract(calls):
    """A real process pipeline: convert | phones normalise | phones extract."""
    conv = run_toex(["convert", calls, "-o", "-", "--to", "arrow"])
    assert conv.returncode == 0, conv.stderr
    norm = run_toex(["phones", "normalise", "-", "-c", "Caller", "-o", "-", "--to", "arrow"],
                    input=conv.stdout)
    assert norm.returncode == 0, norm.stderr
    r = run_toex(["phones", "normalise", "-", "-c", "Callee"], input=norm.stdout)
    assert r.returncode == 0, r.stderr
    out = rows(r.stdout.decode())
    assert out[0]["Caller_e164"] == M and out[0]["Callee_e164"] == "+442079460123"
    assert out[0]["_source"].endswith("calls.csv")   # provenance survives the pipe
    bad = run_toex(["phones", "normalise", "-", "-c", "Calee"], input=CALLS)
    assert bad.returncode == 2 and b"did you mean 'Callee'" in bad.stderr
    assert b"Traceback" not in bad.stderr


def test_extract_cli_multiline_text(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("Ring 07700 900123 after 6\nOrder 4496 0001 2345 shipped\n"
                 "nothing here\nlandline 0113 496 0999 or whatsapp 447700900789@s.whatsapp.net\n",
                 encoding="utf-8")
    r = run_cli(["phones", "extract", p, "-c", "text", "--keep-all"])
    assert r.exit_code == 0, r.stderr
    out = rows(r.stdout)
    assert [(o["_row"], o["e164"], o["status"]) for o in out] == [
        ("1", M, "possible"), ("2", "", "no_match"), ("3", "", "no_match"),
        ("4", "+441134960999", "ok"), ("4", "+447700900789", "possible")]
    assert out[0]["match"] == "07700 900123" and (out[0]["start"], out[0]["end"]) == ("5", "17")
    r = run_cli(["phones", "extract", p, "-c", "text", "--leniency", "possible"])
    assert "4496 0001 2345" in r.stdout
    r = run_cli(["phones", "extract", p, "-c", "txt"])
    assert r.exit_code == 2 and "did you mean 'text'" in r.stderr


def test_extract_csv_keep_columns_and_stdin():
    data = 'id,body\n1,"call me on 07700 900123\nor 07700 900124"\n2,no numbers\n'
    r = run_cli(["phones", "extract", "-", "-c", "body", "-k", "id"], input=data)
    assert r.exit_code == 0, r.stderr
    out = rows(r.stdout)
    assert [(o["id"], o["e164"]) for o in out] == [("1", M), ("1", "+447700900124")]
    assert out[1]["start"] == "27"
