"""summarise --from/--to as a period (calls, messages, bank); as column names they keep working."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

REPO = Path(__file__).resolve().parents[2]
EX = REPO / "examples"
FIX = REPO / "tests" / "timeline" / "fixtures"


def _json(r):
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_bank_period_counts_date_only_rows_by_their_day(tmp_path):
    tx = tmp_path / "tx.csv"
    assert run_cli(["bank", "parse", EX / "timeline_statement.csv", "-o", tx]).exit_code == 0
    whole = _json(run_cli(["summarise", tx, "--json"]))
    assert "period" not in whole
    r = run_cli(["summarise", tx, "--json", "--from", "2024-03-30", "--to", "01/04/2024"])
    rep = _json(r)
    assert rep["period"]["kept"] == 1 and rep["period"]["outside"] == 3
    assert "1 rows in the period summarised; 3 outside" in r.stderr
    text = json.dumps(rep)
    assert '"total_in": "950.00"' in text and '"total_out": "0.00"' in text


def test_calls_period_and_column_names_still_work(tmp_path):
    r = run_cli(["summarise", FIX / "calls_deal.csv", "--json", "--from", "2024-03-31 00:00",
                 "--to", "2024-03-31 01:00"])
    rep = _json(r)
    # 00:50:30Z in; 01:10Z is 02:10 BST, after the period; the unreadable data row is left out
    assert rep["period"] == {"text": rep["period"]["text"], "kept": 1, "outside": 7, "unreadable": 1}
    raw = _json(run_cli(["summarise", EX / "calls_handset_a.csv", "--json", "--from", "Caller",
                         "--to", "Callee", "--time", "Date,Time"]))
    assert "period" not in raw and raw["kind"] == "calls"


def test_messages_period_and_a_plain_table_refused():
    rep = _json(run_cli(["summarise", FIX / "messages.csv", "--json", "--from", "2024-03-31"]))
    assert rep["period"]["kept"] == 3 and rep["period"]["outside"] == 2
    r = run_cli(["summarise", EX / "vehicles_anpr.csv", "--from", "2024-03-03"])
    assert r.exit_code == 2 and "needs call records, bank transactions or a message table" in r.stderr
    r = run_cli(["summarise", FIX / "messages.csv", "--from", "2024-04-02", "--to", "2024-04-01"])
    assert r.exit_code == 2 and "after --to" in r.stderr
