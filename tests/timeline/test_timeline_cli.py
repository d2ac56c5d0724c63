"""toex timeline on the command line: recognition said on stderr, outputs, bad usage and a real
pipe from toex bank parse."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import run_cli, run_toex

REPO = Path(__file__).resolve().parents[2]
EX = REPO / "examples"
FIX = Path(__file__).resolve().parent / "fixtures"
DEAL, RUNNER = FIX / "calls_deal.csv", FIX / "calls_runner.csv"
MSGS, ANPR, STMT = FIX / "messages.csv", EX / "timeline_anpr.csv", EX / "timeline_statement.csv"


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def tx(tmp_path_factory):
    out = tmp_path_factory.mktemp("tx") / "tx.csv"
    assert run_cli(["bank", "parse", str(STMT), "-o", str(out)]).exit_code == 0
    return out


def test_case_on_stdout_with_what_was_recognised(tx):
    r = run_cli(["timeline", DEAL, RUNNER, MSGS, tx, ANPR])
    assert r.exit_code == 0, r.stderr
    out = rows(r.stdout)
    assert len(out) == 27
    assert list(out[0])[:13] == ["time_utc", "time_local", "precision", "tz_status", "kind",
                                 "subject", "counterpart", "summary", "amount", "currency",
                                 "location", "problem", "duplicate_of"]
    assert list(out[0])[-2:] == ["_source", "_row"]
    assert "calls_deal.csv: calls (recognised" in r.stderr
    assert "messages.csv: messages (recognised" in r.stderr
    assert "tx.csv: transactions (recognised" in r.stderr
    assert "timeline_anpr.csv: ANPR reads (recognised: plate, seen_at, camera)" in r.stderr
    assert "3 events seen from both ends" in r.stderr and "counted once" in r.stderr
    assert "1 event with no readable time" in r.stderr
    assert out[-1]["time_utc"] == "" and "25:10" in out[-1]["problem"]


def test_filters_say_how_many_were_kept(tx):
    r = run_cli(["timeline", DEAL, RUNNER, MSGS, tx, ANPR, "--from", "31/03/2024",
                 "--to", "2024-03-31", "--entity", "+44 7700 900502"])
    assert r.exit_code == 0, r.stderr
    out = rows(r.stdout)
    assert len(out) == 5
    assert "5 of 27 events kept" in r.stderr
    assert all(o["time_local"].startswith("2024-03-31") for o in out)


def test_keep_duplicates_lists_both_ends():
    r = run_cli(["timeline", DEAL, RUNNER, "--keep-duplicates"])
    out = rows(r.stdout)
    assert len(out) == 16
    dups = [o for o in out if o["duplicate_of"]]
    assert [d["duplicate_of"] for d in dups] == ["ret_deal_line.csv:1", "ret_deal_line.csv:4",
                                                 "ret_deal_line.csv:8"]


def test_side_outputs_and_no_overwrite(tmp_path, tx):
    html, i2, ts = tmp_path / "t.html", tmp_path / "i2.csv", tmp_path / "ts.csv"
    r = run_cli(["timeline", DEAL, RUNNER, MSGS, tx, ANPR, "--html", html, "--i2", i2,
                 "--timesketch", ts, "--title", "Op Example"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""                     # only side outputs asked for: no table on stdout
    assert "<title>Op Example — 27 events</title>" in html.read_text()
    assert len(rows(i2.read_text())) == 27 and len(rows(ts.read_text())) == 26
    again = run_cli(["timeline", DEAL, "--i2", i2])
    assert again.exit_code != 0 and "exists" in again.stderr
    assert run_cli(["timeline", DEAL, "--i2", i2, "--force"]).exit_code == 0


def test_kind_forced_and_custom_tables(tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("Date,Time,Officer,Note\n30/03/2024,21:00,DC Example,obs start\n")
    r = run_cli(["timeline", notes, "--time", "Date,Time", "--subject", "Officer", "--label", "Note"])
    assert r.exit_code == 0, r.stderr
    assert rows(r.stdout)[0]["summary"] == "obs start"
    assert "custom (--time/--subject" in r.stderr
    r = run_cli(["timeline", ANPR, "--kind", f"{ANPR}=reads"])
    assert r.exit_code == 0 and "ANPR reads (forced" in r.stderr


@pytest.mark.parametrize("args, words", [
    (["--from", "yesterday-ish"], "--from/--to"),
    (["--from", "2024-04-02", "--to", "2024-04-01"], "is after"),
    (["--kind", "phonebook"], "--kind"),
    (["--counterpart", "x"], "--time and --subject"),
    (["--time", "Date"], "both --time COL and --subject COL"),
    (["--i2", "SAME.csv", "--timesketch", "SAME.csv"], "name the same file"),
])
def test_bad_usage_is_one_line_exit_2(args, words):
    r = run_cli(["timeline", DEAL, *args])
    assert r.exit_code == 2, r.stderr
    assert words in r.stderr


def test_unrecognised_table_says_what_to_do():
    r = run_cli(["timeline", EX / "calls_handset_a.csv"])
    assert r.exit_code == 2
    assert "not recognised" in r.stderr and "--time COL --subject COL" in r.stderr


def test_entity_id_not_in_the_entities_file(tmp_path):
    ents = tmp_path / "e.csv"
    ents.write_text("entity_id,rows,phone,names\nE000001,1,+447700900501,Danny Example\n")
    r = run_cli(["timeline", DEAL, "--entities", ents, "--entity", "E000009"])
    assert r.exit_code == 2 and "E000009" in r.stderr
    r = run_cli(["timeline", DEAL, "--entities", ents, "--entity", "e000001"])
    assert r.exit_code == 0 and len(rows(r.stdout)) == 9


def test_real_pipe_from_bank_parse():
    parse = run_toex(["bank", "parse", STMT, "-o", "-", "--to", "arrow"])
    assert parse.returncode == 0, parse.stderr
    p = run_toex(["timeline", "-", ANPR, "--from", "2024-03-31"], input=parse.stdout)
    assert p.returncode == 0, p.stderr
    out = rows(p.stdout.decode())
    assert [o["kind"] for o in out] == ["anpr", "anpr", "anpr", "payment_in", "payment_out"]
    assert out[3]["precision"] == "day" and out[3]["_source"].endswith("timeline_statement.csv")


def test_end_to_end_through_calls_parse_and_messages_parse(tmp_path):
    calls, msgs = tmp_path / "calls.csv", tmp_path / "msgs.csv"
    r = run_cli(["calls", "parse", EX / "timeline_return_deal.csv", EX / "timeline_return_runner.csv",
                 "-o", calls])
    assert r.exit_code == 0, r.stderr
    r = run_cli(["messages", "parse", EX / "timeline_whatsapp.txt", "--tz", "Europe/London",
                 "--owner", "Rhys", "-o", msgs])
    assert r.exit_code == 0, r.stderr
    r = run_cli(["timeline", calls, msgs, ANPR])
    assert r.exit_code == 0, r.stderr
    out = rows(r.stdout)
    assert "3 events seen from both ends (3 marked duplicate_of by the call tables)" in r.stderr
    assert len(out) == 15 - 3 + 6 + 5
    times = [o["time_utc"] for o in out]
    assert times == sorted(times)
    nonexistent = [o for o in out if o["tz_status"] == "nonexistent"]
    assert [o["summary"] for o in nonexistent] == ["sms in from +447700900611",
                                                   "anpr read YK19 FVX at A14 Copdock"]
    wa = [o for o in out if o["kind"] == "message"]
    assert len(wa) == 6 and wa[1]["subject"] == "+44 7700 900501"
    assert wa[1]["time_local"] == "2024-03-30T17:55:00+00:00"


def test_shared_returns_through_calls_parse(shared, tmp_path):
    s = shared / "samples" / "calls"
    calls = tmp_path / "calls.csv"
    order = (s / "order.txt").read_text().split()
    assert run_cli(["calls", "parse", *[s / f for f in order], "-o", calls]).exit_code == 0
    exp = list(csv.DictReader(open(s / "expected.csv", encoding="utf-8")))
    once = rows(run_cli(["timeline", calls]).stdout)
    both = rows(run_cli(["timeline", calls, "--keep-duplicates"]).stdout)
    assert len(once) == len(exp) - 11 and len(both) == len(exp)
    assert sorted(o["duplicate_of"].rsplit("/", 1)[-1] for o in both if o["duplicate_of"]) == \
        sorted(e["duplicate_of"] for e in exp if e["duplicate_of"])
    want = sorted(e["start_utc"] for e in exp if e["start_utc"] and not e["duplicate_of"])
    assert [o["time_utc"] for o in once if o["time_utc"]] == want


def test_typed_parquet_inputs_give_the_same_timeline(tmp_path):
    # bank parse writes date32 and decimals, calls parse a UTC timestamp: read as the CSVs are
    csv_out, pq_out = [], []
    for ext, out in (("csv", csv_out), ("parquet", pq_out)):
        tx, calls = tmp_path / f"tx.{ext}", tmp_path / f"calls.{ext}"
        assert run_cli(["bank", "parse", STMT, "-o", tx]).exit_code == 0
        assert run_cli(["calls", "parse", EX / "timeline_return_deal.csv",
                        EX / "timeline_return_runner.csv", "-o", calls]).exit_code == 0
        r = run_cli(["timeline", calls, tx])
        assert r.exit_code == 0, r.stderr
        out.extend((o["time_utc"], o["summary"], o["precision"]) for o in rows(r.stdout))
    assert csv_out == pq_out and len(csv_out) == 16


def test_the_standard_reads_table(tmp_path):
    reads = tmp_path / "reads.csv"
    reads.write_text("vrm,seen_utc,tz_status,camera,location,lat,lon,problem\n"
                     "LB07SEU,2024-03-31T21:52:00Z,declared,A12 J29,Ipswich southbound,52.03,1.10,\n")
    r = run_cli(["timeline", reads])
    assert r.exit_code == 0 and "reads (recognised: vrm, camera)" in r.stderr
    o = rows(r.stdout)[0]
    assert (o["kind"], o["subject"], o["tz_status"]) == ("anpr", "LB07SEU", "declared")
    assert o["location"] == "A12 J29, Ipswich southbound (52.03, 1.10)"
