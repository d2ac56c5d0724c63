"""toex summarise on bank transactions (the output of toex bank parse): planted flags exactly."""

from __future__ import annotations

import json

import pytest
import synth_summarise as synth
from conftest import run_cli

from toexcli.summarise import BankOptions, summarise


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bank")
    csv_path, pq_path = d / "tx.csv", d / "tx.parquet"
    rows = synth.write_bank_csv(csv_path)
    synth.write_bank_parquet(pq_path)
    return csv_path, pq_path, rows


@pytest.fixture(scope="module")
def report(files):
    return summarise([str(files[0])])


def rows_of(rows, pred):
    return [{"_source": r["_source"], "_row": r["_row"]} for r in rows if pred(r)]


def flags(report, pattern):
    return [f for f in report["flags"] if f["pattern"] == pattern]


def test_detected_as_bank(report):
    assert report["kind"] == "bank"
    assert "bank parse" in report["detected"]
    assert report["transactions"] == 42


def test_account_totals_and_balances(report):
    a, b = report["accounts"]
    assert a["account"] == synth.ACC_A and b["account"] == synth.ACC_B
    assert (a["total_in"], a["total_out"], a["net"]) == ("16230.00", "-7955.44", "8274.56")
    assert (a["opening_balance"], a["closing_balance"]) == ("1000.00", "9274.56")
    assert (b["total_in"], b["total_out"], b["opening_balance"], b["closing_balance"]) == (
        "570.00", "-250.00", "50.00", "370.00")
    assert [m["month"] for m in a["monthly"]] == ["2024-01", "2024-02", "2024-03"]
    assert a["monthly"][1] == {"month": "2024-02", "in": "5970.00", "out": "-998.48", "net": "4971.52",
                               "count": 11}
    assert a["cash"] == {"deposits": 5, "deposits_total": "4780.00", "withdrawals": 1,
                         "withdrawals_total": "-60.00"}
    top_out = a["top_counterparties"]["out_by_value"][0]
    assert top_out == {"counterparty": "Quick Exchange Ltd", "value": "-4900.00", "count": 1}
    assert a["top_counterparties"]["out_by_count"][0]["counterparty"] == "Imaginary Supermarket"


def test_structuring_run(report, files):
    rows = files[2]
    (f,) = flags(report, "structuring")
    assert f["account"] == synth.ACC_A and f["threshold"] == "1000.00"
    assert f["rows"] == rows_of(rows, lambda r: r["category"] == "cash" and r["date"] < "2024-03-01"
                                and r["amount"] > 0)
    assert len(f["rows"]) == 4 and f["total"] == "3820.00"
    assert (f["first_date"], f["last_date"]) == ("2024-02-05", "2024-02-12")


def test_rapid_in_out_pair(report, files):
    rows = files[2]
    (f,) = flags(report, "rapid_in_out")
    assert f["rows"] == rows_of(rows, lambda r: r["counterparty"] in ("J Doe", "Quick Exchange Ltd"))
    assert (f["amount_in"], f["amount_out"], f["days"]) == ("5000.00", "-4900.00", 1)


def test_many_payers_cash_and_round(report, files):
    rows = files[2]
    (f,) = flags(report, "many_payers")
    assert f["account"] == synth.ACC_B and f["payers"] == 12 and f["month"] == "2024-03"
    assert f["rows"] == rows_of(rows, lambda r: r["account"] == synth.ACC_B and r["amount"] > 0)
    (c,) = flags(report, "cash")
    assert c["rows"] == rows_of(rows, lambda r: r["category"] == "cash")
    (r_,) = flags(report, "round_amounts")
    assert [x["_row"] for x in r_["rows"]] == [
        r["_row"] for r in rows if r["account"] == synth.ACC_A and r["amount"] in (900, 5000, -4900)]
    assert report["flag_counts"] == {"structuring": 1, "rapid_in_out": 1, "many_payers": 1, "cash": 1,
                                     "round_amounts": 1}


def test_parquet_with_decimals_gives_the_same_numbers(files, report):
    other = summarise([str(files[1])])
    assert other["kind"] == "bank"
    assert other["accounts"] == report["accounts"]
    assert other["flags"] == report["flags"]


def test_options_change_what_is_flagged(files):
    r = summarise([str(files[0])], bank_options=BankOptions(window_hours=12, min_run=5))
    assert not flags(r, "rapid_in_out")  # 5,000 in, 4,900 out a day later: outside 12h
    assert not flags(r, "structuring")   # a run of 4 is below 5


def test_cli_json_contract(files):
    r = run_cli(["summarise", files[0], "--json", "--window", "2d", "--threshold", "1000"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["kind"] == "bank"
    assert set(data["accounts"][0]) >= {"account", "total_in", "total_out", "opening_balance",
                                        "closing_balance", "monthly"}
    for f in data["flags"]:
        assert set(f) >= {"pattern", "account", "detail", "rows"}
        assert f["pattern"] in {"structuring", "rapid_in_out", "round_amounts", "cash", "many_payers"}
        assert all(set(x) == {"_source", "_row"} for x in f["rows"])


def test_terminal_report_fits_100_columns_and_xlsx(files, tmp_path):
    import openpyxl

    out = tmp_path / "bank.xlsx"
    r = run_cli(["summarise", files[0], "-o", out])
    assert r.exit_code == 0, r.stderr
    assert max(len(x) for x in r.stdout.splitlines()) <= 100
    assert "structuring" in r.stdout and "rapid_in_out" in r.stdout
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["accounts", "monthly", "counterparties", "cash", "flags"]
    flag_rows = list(book["flags"].iter_rows(values_only=True))
    assert flag_rows[0] == ("flag", "pattern", "account", "detail", "_source", "_row")
    assert sum(1 for x in flag_rows if x[1] == "structuring") == 4


def test_bad_kind_is_a_usage_error(files):
    r = run_cli(["summarise", files[0], "--kind", "bogus"])
    assert r.exit_code == 2 and "--kind" in r.stderr


def test_bank_kind_needs_bank_columns(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    r = run_cli(["summarise", p, "--kind", "bank"])
    assert r.exit_code == 2 and "no column 'account'" in r.stderr


def test_duplicates_from_overlapping_statements_are_not_counted_twice(tmp_path):
    import csv

    rows = synth.bank_rows()
    dup = dict(next(r for r in rows if r["counterparty"] == "J Doe"))
    dup.update(_source="statement_a_again.csv", _row=2, duplicate_of="statement_a.csv:23")
    path = tmp_path / "tx.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=synth.BANK_HEADER + ["duplicate_of"])
        w.writeheader()
        for r in rows + [dup]:
            w.writerow({**r, "amount": f"{r['amount']:.2f}", "balance": f"{r['balance']:.2f}"})
    r = summarise([str(path)])
    assert r["transactions"] == 42
    assert r["not_counted"]["duplicates"] == 1
    assert r["not_counted"]["rows"] == [{"_source": "statement_a_again.csv", "_row": 2}]
    assert r["accounts"][0]["total_in"] == "16230.00"
    assert len(flags(r, "rapid_in_out")) == 1


def test_reads_toex_bank_parse_through_a_real_pipe():
    from conftest import REPO, run_toex

    sources = [REPO / "examples" / n for n in ("bank_lloyds_jan.csv", "bank_lloyds_feb.csv")]
    if not all(p.exists() for p in sources):
        pytest.skip("the bank example statements are not in this checkout")
    parsed = run_toex(["bank", "parse", *sources, "-o", "-", "--to", "arrow"])
    if parsed.returncode != 0:
        pytest.skip(f"toex bank parse is not available: {parsed.stderr.decode()[-200:]}")
    r = run_toex(["summarise", "-", "--json"], input=parsed.stdout)
    assert r.returncode == 0, r.stderr.decode()
    data = json.loads(r.stdout)
    assert data["kind"] == "bank"
    assert data["transactions"] + data["not_counted"]["duplicates"] == data["rows_read"]
    assert data["accounts"] and all(a["total_in"] is not None for a in data["accounts"])
