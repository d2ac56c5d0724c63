"""Issue 19: Monzo's time of day is kept; OFX DEBIT/CREDIT are transfers unless the description
says more (never 'other')."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import run_cli, run_toex

DATA = Path(__file__).parent / "data"
MONZO_HEADER = ("Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,"
                "Local currency,Notes and #tags,Address,Receipt,Description,Category split,"
                "Money Out,Money In\n")


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_monzo_time_of_day_kept(tmp_path):
    src = tmp_path / "monzo.csv"
    src.write_text(MONZO_HEADER
                   + "tx_1,01/07/2024,08:05:03,Faster payment,Acme,,Income,1850.00,GBP,1850.00,GBP,"
                     ",,,ACME SALARY,,,1850.00\n"
                   + "tx_2,02/07/2024,12:30,Card payment,Cafe,,Eating out,-4.20,GBP,-4.20,GBP,"
                     ",,,CAFE,,-4.20,\n"
                   + "tx_3,03/07/2024,lunch,Card payment,Cafe,,Eating out,-1.00,GBP,-1.00,GBP,"
                     ",,,CAFE,,-1.00,\n", encoding="utf-8")
    r = run_cli(["bank", "parse", src])
    assert r.exit_code == 0, r.stderr
    out = rows(r.stdout)
    assert list(out[0])[:3] == ["account", "date", "time"]
    assert [x["time"] for x in out] == ["08:05:03", "12:30:00", "lunch"]  # unreadable kept
    assert out[2]["problem"] == "time 'lunch' not understood"
    assert out[0]["problem"] == ""


def test_layout_without_time_has_no_time_column():
    r = run_cli(["bank", "parse", DATA / "debit_credit.ofx"])
    assert r.exit_code == 0, r.stderr
    assert "time" not in rows(r.stdout)[0]


def test_ofx_generic_debit_and_credit():
    p = run_toex(["bank", "parse", DATA / "debit_credit.ofx"])
    assert p.returncode == 0, p.stderr.decode()
    out = rows(p.stdout.decode())
    assert [(x["type"], x["category"]) for x in out] == [
        ("DEBIT", "transfer_out"),   # nothing more said: a payment out
        ("DEBIT", "card"),           # the description says contactless
        ("CREDIT", "transfer_in"),
    ]
