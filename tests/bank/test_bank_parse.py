"""toex bank parse: one fictional fixture per supported layout/format, each with the expected
transaction count, signed sum, date range and (where the file has them) balances. The expected
figures were worked out by hand from the fixture text, not produced by the parser."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import run_cli, run_toex

from toexcli.bank import OUTPUT_COLUMNS, detect_format, parse_statements
from toexcli.errors import DataError, UsageError

DATA = Path(__file__).parent / "data"

# file, extra args, format, count, sum, first date, last date, opening, closing, account
CASES = [
    ("halifax.csv", [], "lloyds", 2, "995.50", "2024-02-14", "2024-02-20", "0.00", "995.50", "11-22-33 87654321"),
    ("tsb.csv", [], "tsb", 2, "470.00", "2024-02-01", "2024-02-03", "0.00", "470.00", "77-66-55 11112222"),
    ("barclays_bom.csv", [], "barclays", 2, "110.01", "2024-04-02", "2024-04-05", None, None, "20-00-00 55556666"),
    ("nationwide.csv", [], "nationwide", 3, "180.00", "2025-06-03", "2025-06-20", "1000.00", "1180.00", None),
    ("midata.csv", [], "midata", 3, "42.20", "2025-07-17", "2025-07-19", "55.00", "97.20", None),
    ("santander_midata.csv", [], "midata", 2, "188.00", "2024-03-01", "2024-03-02", "0.00", "188.00", None),
    ("first_direct.csv", [], "first_direct", 2, "476.55", "2024-02-24", "2024-02-26", "0.00", "476.55", None),
    ("barclaycard.csv", [], "barclaycard", 3, "-70.59", "2024-02-10", "2024-02-20", None, None, None),
    ("revolut.csv", [], "revolut", 3, "75.00", "2024-03-01", "2024-03-04", "0.00", "75.00", None),
    ("revolut_2019.csv", ["--year", "2019"], "revolut_2019", 2, "96.80", "2019-09-14", "2019-09-15", "0.00", "96.80", None),
    ("coop.csv", [], "coop", 2, "75.00", "2024-04-01", "2024-04-02", "0.00", "75.00", None),
    ("metro.csv", [], "metro", 2, "297.60", "2024-04-01", "2024-04-03", "0.00", "297.60", None),
    ("monzo.csv", [], "monzo", 2, "22.60", "2024-06-03", "2024-06-04", None, None, None),
    ("starling_eur.csv", [], "starling", 1, "-3.00", "2024-05-02", "2024-05-02", "50.00", "47.00", None),
    ("hsbc.csv", [], "hsbc", 2, "1187.70", "2024-03-14", "2024-03-15", None, None, None),
    ("santander.txt", [], "santander_txt", 2, "95.80", "2024-02-01", "2024-02-02", "0.00", "95.80", "XXXX XXXX XXXX 1234"),
    ("santander.qif", [], "qif", 2, "-1174.75", "2024-03-01", "2024-03-05", None, None, None),
    ("card.ofx", [], "ofx", 3, "-1150.49", "2024-06-03", "2024-06-20", "0.00", "-1150.49", "4111********1111"),
    ("statement.camt053.xml", [], "camt053", 2, "450.50", "2024-05-02", "2024-05-20", "1000.00", "1450.50", "GB37FICT12345612345678"),
    ("structured.mt940", [], "mt940", 2, "-14.50", "2024-04-02", "2024-04-03", "100.00", "85.50", "12345612345678"),
    ("natwest.csv", [], "natwest", 4, "541.80", "2024-05-08", "2024-05-12", None, None, None),
]


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_layout(case):
    name, extra, fmt, count, total, first, last, opening, closing, account = case
    r = run_cli(["bank", "parse", DATA / name, *extra])
    assert r.exit_code == 0, r.stderr
    rows = _csv(r.stdout)
    cols = list(rows[0].keys())
    if "time" in cols:  # a layout with a time of day (Monzo, Metro): beside the date
        assert cols.index("time") == cols.index("date") + 1
        cols.remove("time")
    assert cols == OUTPUT_COLUMNS + ["_source", "_row"]
    assert len(rows) == count
    assert f"{sum(Decimal(x['amount']) for x in rows):.2f}" == total
    assert min(x["date"] for x in rows) == first and max(x["date"] for x in rows) == last
    assert {x["format"] for x in rows} == {fmt}
    assert all(x["problem"] == "" for x in rows)
    assert all(x["category"] in ("card", "cash", "transfer_in", "transfer_out", "direct_debit",
                                 "standing_order", "cheque", "fee", "interest", "other") for x in rows)
    if account:
        assert {x["account"] for x in rows} == {account}
    df, reports = parse_statements([DATA / name], year=2019 if extra else None)
    rep = reports[0]
    assert rep["transactions"] == count and rep["net"] == total
    assert rep["opening_balance"] == opening and rep["closing_balance"] == closing
    assert rep["balance_breaks"] == []
    assert str(df["amount"].dtype) == "decimal128(18, 2)[pyarrow]"


def test_amounts_are_exact_decimals_in_parquet(tmp_path):
    out = tmp_path / "tx.parquet"
    r = run_cli(["bank", "parse", DATA / "nationwide.csv", "-o", out])
    assert r.exit_code == 0, r.stderr
    t = pq.read_table(out)
    assert t.schema.field("amount").type == pa.decimal128(18, 2)
    assert t.schema.field("balance").type == pa.decimal128(18, 2)
    assert t.schema.field("date").type == pa.date32()
    assert [str(v) for v in t.column("amount").to_pylist()] == ["-30.00", "-1250.00", "1460.00"]


def test_cp1252_and_unreadable_amount_kept_with_problem():
    r = run_cli(["bank", "parse", DATA / "lloyds_cp1252.csv"])
    assert r.exit_code == 0
    rows = _csv(r.stdout)
    assert len(rows) == 2  # the unreadable row is kept, not dropped
    bad = rows[0]
    assert bad["description"] == "PRETEND SHOP £5 OFF"
    assert bad["amount"] == "" and "12,50" in bad["problem"]
    assert "could not be read" in r.stderr and "row 1" in r.stderr


def test_broken_balance_is_reported():
    r = run_cli(["bank", "parse", DATA / "lloyds_broken_balance.csv"])
    assert r.exit_code == 0
    rows = _csv(r.stdout)
    assert [x["balance_ok"] for x in rows] == ["true", "false", ""]
    assert "balance check FAILS at 1 of 2 rows" in r.stderr and "rows 2" in r.stderr
    _, reports = parse_statements([DATA / "lloyds_broken_balance.csv"])
    assert reports[0]["balance_breaks"] == [2]


def test_non_transactions_left_out_and_reported(tmp_path):
    rep_file = tmp_path / "report.json"
    r = run_cli(["bank", "parse", DATA / "midata.csv", DATA / "starling_eur.csv", "--report", rep_file])
    assert r.exit_code == 0
    reports = json.loads(rep_file.read_text())
    reasons = {x["reason"] for x in reports[0]["left_out"]}
    assert "footer, not a transaction" in reasons
    assert reports[1]["left_out"][0]["reason"] == "balance row, not a transaction"
    assert "left out" in r.stderr


def test_pending_left_out_unless_asked():
    r = run_cli(["bank", "parse", DATA / "revolut.csv", "--include-pending"])
    rows = _csv(r.stdout)
    assert len(rows) == 4 and [x["pending"] for x in rows] == ["false", "false", "false", "true"]
    assert rows[3]["date"] == "2024-03-05"  # from Started Date: no completed date yet
    # the fee column is netted into the amount and kept on its own
    assert rows[2]["amount"] == "-20.50" and rows[2]["fee"] == "0.50"
    df, _ = parse_statements([DATA / "statement.camt053.xml"], include_pending=True)
    assert len(df) == 3 and bool(df["pending"].iloc[2])


def test_duplicates_across_overlapping_statements_flagged_not_dropped():
    r = run_cli(["bank", "parse", DATA / "halifax.csv", DATA / "lloyds_feb.csv"])
    rows = _csv(r.stdout)
    assert len(rows) == 5
    dups = [x for x in rows if x["duplicate_of"]]
    assert len(dups) == 1
    assert dups[0]["description"].startswith("PRETEND CAFE")
    assert dups[0]["duplicate_of"].endswith("halifax.csv:1")
    # two identical bus fares in one statement are two transactions, not duplicates
    fares = [x for x in rows if x["description"].startswith("PRETEND BUS")]
    assert len(fares) == 2 and all(not x["duplicate_of"] for x in fares)


def test_mixed_formats_in_one_command(tmp_path):
    out = tmp_path / "all.csv"
    files = [DATA / n for n in ("halifax.csv", "card.ofx", "structured.mt940", "santander.qif", "monzo.csv")]
    r = run_cli(["bank", "parse", *files, "-o", out])
    assert r.exit_code == 0, r.stderr
    rows = _csv(out.read_text())
    assert len(rows) == 2 + 3 + 2 + 2 + 2
    assert {x["format"] for x in rows} == {"lloyds", "ofx", "mt940", "qif", "monzo"}
    assert f"{sum(Decimal(x['amount']) for x in rows):.2f}" == "-1321.64"


def test_unknown_layout_message_and_map(tmp_path):
    r = run_cli(["bank", "parse", DATA / "unknown_layout.csv"])
    assert r.exit_code == 1
    assert "no known layout matches; headers were: Posted, Details, Value, Running; try --map" in r.stderr
    r = run_cli(["bank", "parse", DATA / "unknown_layout.csv", "--map",
                 "date=Posted,description=Details,amount=Value,balance=Running,decimal=comma"])
    assert r.exit_code == 0, r.stderr
    assert [x["amount"] for x in _csv(r.stdout)] == ["1000.00", "-12.34"]
    mapfile = tmp_path / "layout.toml"
    mapfile.write_text('decimal = ","\n[columns]\ndate = "Posted"\ndescription = "Details"\n'
                       'amount = "Value"\nbalance = "Running"\n')
    r = run_cli(["bank", "parse", DATA / "unknown_layout.csv", "--map-file", mapfile])
    assert r.exit_code == 0, r.stderr
    rows = _csv(r.stdout)
    assert [x["amount"] for x in rows] == ["1000.00", "-12.34"]
    assert [x["balance_ok"] for x in rows] == ["", "true"]
    r = run_cli(["bank", "parse", DATA / "first_direct.csv", "--map", "date=Date,amount=Amount,description=Description"])
    assert r.exit_code == 0 and _csv(r.stdout)[0]["format"] == "custom"
    r = run_cli(["bank", "parse", DATA / "first_direct.csv", "--map", "when=Date"])
    assert r.exit_code == 2 and "unknown key 'when'" in r.stderr


def test_forced_format_and_account():
    r = run_cli(["bank", "parse", DATA / "hsbc.csv", "--account", "40-11-22 12345678"])
    assert {x["account"] for x in _csv(r.stdout)} == {"40-11-22 12345678"}
    r = run_cli(["bank", "parse", DATA / "halifax.csv", "--format", "lloyd"])
    assert r.exit_code == 2 and "did you mean 'lloyds'" in r.stderr
    r = run_cli(["bank", "parse", DATA / "tsb.csv", "--format", "tsb"])
    assert r.exit_code == 0 and _csv(r.stdout)[0]["format"] == "tsb"


def test_year_taken_from_file_date_when_missing():
    r = run_cli(["bank", "parse", DATA / "revolut_2019.csv"])
    assert r.exit_code == 0
    assert "dates have no year; took" in r.stderr


def test_excel_statement(tmp_path):
    import xlsxwriter

    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    rows = [["Account statement"], [],
            ["Date", "Description", "Type", "Money In", "Money Out", "Balance"],
            ["2024-04-02", "PRETEND GYM", "DD", None, 25, 75],
            ["2024-04-01", "TFR FROM SAVINGS", "TRANSFER", 100, None, 100]]
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if v is not None:
                sheet.write(i, j, v)
    book.close()
    r = run_cli(["bank", "parse", path])
    assert r.exit_code == 0, r.stderr
    out = _csv(r.stdout)
    assert [x["amount"] for x in out] == ["-25.00", "100.00"] and out[0]["format"] == "coop"
    assert [x["_row"] for x in out] == ["1", "2"]


def test_detection_by_content_not_name(tmp_path):
    p = tmp_path / "statement.csv"
    p.write_bytes((DATA / "card.ofx").read_bytes())
    assert detect_format(str(p)) == "ofx"
    assert detect_format(str(DATA / "structured.mt940")) == "mt940"
    assert detect_format(str(DATA / "santander.qif")) == "qif"


def test_library_errors():
    with pytest.raises(DataError):
        parse_statements([DATA / "unknown_layout.csv"])
    with pytest.raises(UsageError):
        parse_statements([DATA / "halifax.csv"], format="nope")


def test_formats_lists_banks():
    r = run_cli(["bank", "formats", "--json"])
    items = json.loads(r.stdout)
    names = {x["name"] for x in items}
    for n in ("lloyds", "tsb", "barclays", "nationwide", "natwest", "hsbc", "monzo", "starling",
              "revolut", "coop", "metro", "first_direct", "midata", "ofx", "qif", "mt940", "camt053"):
        assert n in names
    banks = " ".join(x["banks"] for x in items)
    for b in ("Halifax", "Santander", "first direct", "Co-operative", "Metro"):
        assert b in banks
    r = run_cli(["bank", "formats"])
    assert r.exit_code == 0 and "lloyds" in r.stdout
    r = run_cli(["bank", "parse", "--help"])
    assert "Examples" in r.stdout


def test_real_process_pipe_from_stdin():
    data = (DATA / "nationwide.csv").read_bytes()
    r = run_toex(["bank", "parse", "-", "-o", "-", "--to", "csv"], input=data)
    assert r.returncode == 0, r.stderr
    rows = _csv(r.stdout.decode("utf-8"))
    assert len(rows) == 3 and rows[0]["_source"] == "-"
    assert b"balance check: all 2 rows add up" in r.stderr


def test_shared_samples_exact(shared):
    d = shared / "samples" / "bank"
    for f in sorted(d.iterdir()):
        if f.name.endswith(".expected.json"):
            continue
        exp = json.loads((d / (f.name + ".expected.json")).read_text())
        df, reports = parse_statements([f])
        rep = reports[0]
        assert rep["transactions"] == exp["transaction_count"], f.name
        assert rep["net"] == exp["sum_signed_amount"], f.name
        assert rep["total_in"] == exp["total_credits"] and rep["total_out"] == exp["total_debits"], f.name
        assert (rep["first_date"], rep["last_date"]) == (exp["first_date"], exp["last_date"]), f.name
        assert rep["opening_balance"] == exp["opening_balance"], f.name
        assert rep["closing_balance"] == exp["closing_balance"], f.name
        if exp["account_identifier"]:
            assert rep["accounts"] == [exp["account_identifier"]], f.name


def test_natwest_two_accounts_each_balance_checked():
    df, reports = parse_statements([DATA / "natwest.csv"])
    assert sorted(set(df["account"])) == ["60-12-34 11223344", "60-12-34 55667788"]
    rep = reports[0]
    assert [b["account"] for b in rep["balances"]] == ["60-12-34 11223344", "60-12-34 55667788"]
    assert [(b["opening_balance"], b["closing_balance"]) for b in rep["balances"]] == [
        ("0.00", "445.00"), ("0.00", "96.80")]
    assert df["balance_ok"].astype("object").where(df["balance_ok"].notna(), None).tolist() == [True, None, True, None]


def test_converted_parquet_statement_is_recognised(tmp_path):
    pq_path = tmp_path / "halifax.parquet"
    assert run_cli(["convert", DATA / "halifax.csv", "-o", pq_path]).exit_code == 0
    r = run_cli(["bank", "parse", pq_path])
    assert r.exit_code == 0, r.stderr
    rows = _csv(r.stdout)
    assert [x["amount"] for x in rows] == ["-4.50", "1000.00"] and rows[0]["format"] == "lloyds"


def test_yearless_dates_across_new_year_take_the_year_before_the_export(tmp_path):
    import datetime as dt
    import os

    p = tmp_path / "revolut_old.csv"
    p.write_text("Completed Date ; Reference ; Paid Out (GBP) ; Paid In (GBP) ; Exchange Out; Exchange In; "
                 "Balance (GBP); Category\nJanuary 5 ; Pretend Cafe ; 3.20 ;  ; ; ; 96.80; restaurants\n"
                 "December 30 ; Top-Up ;  ; 100.00 ; ; ; 100.00; general\n")
    t = dt.datetime(2020, 2, 10).timestamp()
    os.utime(p, (t, t))
    df, reports = parse_statements([p])
    assert [d.isoformat() for d in df["date"]] == ["2020-01-05", "2019-12-30"]
    assert "no year" in reports[0]["notes"][0]


def test_html_table_saved_as_xls(tmp_path):
    p = tmp_path / "statement.xls"
    p.write_text("<html><body><table>\n<tr><td>Date</td><td>Description</td><td>Amount</td><td>Balance</td></tr>\n"
                 "<tr><td>24/02/2024</td><td>ACME WIDGETS LTD</td><td>500.00</td><td>500.00</td></tr>\n"
                 "<tr><td>26/02/2024</td><td>PRETEND SUPERMARKET</td><td>-23.45</td><td>476.55</td></tr>\n"
                 "</table></body></html>\n")
    df, reports = parse_statements([p])
    assert [str(a) for a in df["amount"]] == ["500.00", "-23.45"]
    assert reports[0]["balance_breaks"] == [] and reports[0]["closing_balance"] == "476.55"
