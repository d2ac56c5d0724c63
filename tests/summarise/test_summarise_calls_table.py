"""toex summarise on the call table of toex calls parse, and the time-model regressions of
issue 13 (a Z time is UTC, never UK local time; two-ended calls count once)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from conftest import run_cli, run_toex

from toexcli import calls
from toexcli.summarise import summarise
from toexcli.summarise.detect import detect_kind

SAMPLES = Path(__file__).parent.parent / "calls" / "data" / "samples"
FILES = [str(SAMPLES / n) for n in ("ref0311_P_07700900648.csv", "ref0312_Q_447700900867.xlsx",
                                    "ref0313_R_447700900271.csv")]


def test_calls_table_is_recognised_with_no_options_and_pairs_count_once():
    df = calls.parse(FILES)
    assert detect_kind(df.columns)[0] == "calls"
    rep = summarise(df)
    assert rep["kind"] == "calls"
    assert rep["records"] == 130 - 11
    assert rep["records_two_ended_counted_once"] == 11
    per = {h["handset"]: h["records"] for h in rep["handsets"]}
    assert per == {"+447700900648": 46, "+447700900867": 33, "+447700900271": 40}


def test_a_z_time_is_not_read_as_local_time():
    # the same call, seen in a UTC return (Z) and a local-time return, is at one UK time
    df = pd.DataFrame({"A Number": ["07700900111", "07700900111"],
                       "B Number": ["07700900222", "07700900333"],
                       "Start": ["2024-04-02T17:57:00Z", "02/04/2024 18:57:00"]})
    rep = summarise(df, kind="calls")
    assert rep["first"] == rep["last"] == "2024-04-02T18:57:00"
    hours = rep["activity"]["hour_by_weekday"]
    assert sum(row[18] for row in hours) == 2 and sum(row[17] for row in hours) == 0


def test_cli_on_a_calls_csv_and_a_parquet(tmp_path):
    out = tmp_path / "calls.csv"
    assert run_cli(["calls", "parse", *FILES, "-o", out]).exit_code == 0
    r = run_cli(["summarise", out, "--json"])
    assert r.exit_code == 0, r.stderr
    assert '"records_two_ended_counted_once": 11' in r.stdout
    pq = tmp_path / "calls.parquet"
    assert run_cli(["calls", "parse", *FILES, "-o", pq]).exit_code == 0
    p = run_toex(["summarise", pq, "--json"])
    assert p.returncode == 0, p.stderr
    assert b'"records": 119' in p.stdout
    assert b'"first": "2025-03-24T07:45:03"' in p.stdout
