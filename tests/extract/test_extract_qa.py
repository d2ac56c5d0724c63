"""QA findings for `toex extract`: a card number stays masked in every row, including the IMEI
reading of the same digits (a 15-digit Amex number is also a Luhn-valid IMEI)."""

from __future__ import annotations

import csv
import io

from conftest import run_cli, run_toex
from toexcli.extract import find_in_text

AMEX = "378282246310005"   # public test card number; also a Luhn-valid 15-digit IMEI


def test_the_imei_reading_of_a_card_number_is_masked_too():
    hits = find_in_text(f"paid with {AMEX} yesterday")
    assert sorted(h["kind"] for h in hits) == ["card", "imei"]   # the ambiguity is still reported
    for h in hits:
        shown = " ".join([h["value"], h["normalised"], h["context"], str(h["detail"])])
        assert "37828224" not in shown and AMEX not in shown, h
        assert h["value"].endswith("0005")


def test_kinds_imei_alone_still_masks_a_card_number(tmp_path):
    src = tmp_path / "chat.csv"
    src.write_text(f"text\npaid with {AMEX} yesterday\nimei 352099001761481 on the old phone\n")
    r = run_cli(["extract", src, "-c", "text", "--kinds", "imei"])
    assert r.exit_code == 0, r.stderr
    assert AMEX not in r.stdout and "37828224" not in r.stdout
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["kind"] for row in rows] == ["imei", "imei"]
    assert rows[1]["value"] == "352099001761481"          # a plain IMEI is not masked
    assert "tac=35209900" in rows[1]["detail"]


def test_unmask_shows_both_readings_in_full(tmp_path):
    p = run_toex(["extract", "-", "-c", "text", "--unmask"], input=f"text\npaid with {AMEX}\n")
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(io.StringIO(p.stdout.decode())))
    assert {row["kind"]: row["value"] for row in rows} == {"card": AMEX, "imei": AMEX}
