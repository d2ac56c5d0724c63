"""toex calls parse: returns in many shapes into one call table. The expected values were worked
out by hand from the fixture text (tests/calls/data, all fictional), not produced by the parser."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli, run_toex

from toexcli import calls
from toexcli.calls import layouts as L
from toexcli.errors import DataError, UsageError
from toexcli.schema import CALLS, kind_of
from toexcli.timemodel import iso_utc

DATA = Path(__file__).parent / "data"
SAMPLES = DATA / "samples"


def rows(df):
    out = df.assign(start_utc=iso_utc(df["start_utc"]))
    return out.to_dict("records")


# ------------------------------------------------------------------ the practice returns P, Q, R
def test_practice_returns_every_row_and_pair():
    files = [SAMPLES / n.strip() for n in (SAMPLES / "order.txt").read_text().split() if n.strip()]
    df, reports = calls.parse_with_report([str(f) for f in files], names=[f.name for f in files])
    assert kind_of(df.columns) == "calls"
    assert list(df.columns[:len(CALLS.names)]) == CALLS.names
    got = {f"{r['_source']}:{r['_row']}": r for r in rows(df)}
    exp = list(csv.DictReader(open(SAMPLES / "expected.csv", encoding="utf-8")))
    assert len(got) == len(exp) == 130
    bad = []
    for e in exp:
        g = got[f"{e['file']}:{e['row']}"]
        dur = "" if pd.isna(g["duration_s"]) else str(int(g["duration_s"]))
        for c, want in (("handset", e["handset"]), ("direction", e["direction"]), ("event", e["event"]),
                        ("other_party", e["other_party"]), ("start_utc", e["start_utc"]),
                        ("tz_status", e["tz_status"]), ("duration_s", e["duration_s"]),
                        ("duplicate_of", e["duplicate_of"])):
            have = dur if c == "duration_s" else str(g[c])
            if have != want:
                bad.append((e["file"], e["row"], c, have, want))
    assert bad == []
    p, q, r = reports
    assert p["zone"].startswith("ASSUMED") and q["zone"].startswith("declared UTC")
    assert q["sheets_skipped"] == ["Notes"] and q["header_line"] == 5
    assert q["handset_from"].startswith("preamble")
    assert r["footer"] == ["Total records: 49", "*** end of data ***"] and r["footer_check"] == "ok"
    assert q["duplicates"] == 2 and r["duplicates"] == 9


def test_excel_numbers_stored_as_numbers_become_e164():
    df = calls.parse(str(SAMPLES / "ref0312_Q_447700900867.xlsx"))
    first = df.iloc[0]
    assert first["a_party"] == "+447700900580" and first["a_party_raw"] == "447700900580"
    assert first["imei"] == "860192045188368" and first["imsi"] == "234950288140637"
    assert first["cell_first"] == "41017090"
    # the same numbers read back as floats by another reader (447700900580.0)
    frame = pd.DataFrame({"A Party No": ["447700900580.0"], "B Party No": ["447700900867.0"],
                          "Start (UTC)": ["2025-03-27 15:29:40"], "Call Type": ["MTC"],
                          "IMEI": ["860192045188368.0"]})
    one = calls.parse(frame, handset="447700900867").iloc[0]
    assert (one["a_party"], one["other_party"], one["imei"]) == (
        "+447700900580", "+447700900580", "860192045188368")


# ------------------------------------------------------------------ shapes the samples do not have
def test_cp1252_preamble_moc_codes_and_end_of_report_footer():
    df, (rep,) = calls.parse_with_report(str(DATA / "net_s_moc_cp1252.csv"))
    assert rep["read_as"] == "csv, encoding cp1252"
    assert rep["handset"] == "+447700900111" and "preamble" in rep["handset_from"]
    assert rep["preamble"][0].startswith("Opération Réf")
    assert rep["footer"] == ["END OF REPORT - 8 RECORDS"] and rep["footer_check"] == "ok"
    got = [(r["direction"], r["event"], r["other_party"], r["start_utc"], r["duration_s"]) for r in rows(df)]
    assert got == [
        ("out", "voice", "+447700900222", "2024-01-08T10:00:05Z", 130),
        ("in", "voice", "+447700900333", "2024-01-08T11:15:00Z", 45),
        ("out", "sms", "+447700900222", "2024-01-08T11:20:31Z", 0),
        ("in", "sms", "+447700900222", "2024-01-08T11:22:02Z", 0),
        ("", "data", "", "2024-01-09T08:00:00Z", 4200),
        ("out", "voice", "+442079460123", "2024-01-09T13:45:10Z", 601),
        ("in", "voice", "", "2024-01-10T22:05:59Z", 12),
        ("forward", "voice", "+447700900444", "2024-01-10T23:00:00Z", 60),
    ]
    assert df["a_party_raw"].iloc[6] == "WITHHELD"
    assert list(df["_row"]) == list(range(1, 9))


def test_z_offset_and_utc_plus_1_are_declared():
    df = calls.parse(str(DATA / "net_t_iso_z.csv"))
    assert set(df["tz_status"]) == {"declared"}
    assert rows(df)[3]["start_utc"] == "2024-04-02T17:57:00Z"          # +01:00
    assert rows(df)[4]["start_utc"] == "2024-04-02T18:10:00Z"          # (UTC+1)
    assert df["start_local"].iloc[3] == "2024-04-02T18:57:00+01:00"
    assert df["format"].iloc[0] == "cdr_target_other (csv)"
    assert list(df["a_party"][:2]) == ["+447700900111", "+447700900222"]  # built from the direction


def test_end_time_instead_of_duration_gmt_header_and_month_name_dates():
    df, (rep,) = calls.parse_with_report(str(DATA / "net_u_tabs_end.tsv"))
    assert rep["zone"] == "declared UTC by header 'Start Time (GMT)'"
    assert list(df["duration_s"].astype("float").fillna(-1)) == [200, 40, -1]
    assert list(df["direction"]) == ["out", "in", "out"]   # from the parties, and the report says so
    assert any("inferred" in n for n in rep["notes"])
    assert rep["handset_from"] == "the party common to every row"


def test_dst_gap_and_repeat_rows_are_kept_and_flagged():
    df = calls.parse(str(DATA / "net_v_dst.csv"))
    got = [(r["start_utc"], r["tz_status"]) for r in rows(df)]
    assert got == [
        ("2024-03-31T00:59:59Z", "assumed"),
        ("2024-03-31T01:30:00Z", "nonexistent"),   # 01:30 never happened: shifted forward
        ("2024-03-31T01:00:00Z", "assumed"),
        ("2024-10-26T23:59:00Z", "assumed"),
        ("2024-10-27T00:30:00Z", "ambiguous"),     # 01:30 happened twice: the earlier instant
        ("2024-10-27T02:00:00Z", "assumed"),
    ]
    assert "did not exist" in df["problem"].iloc[1] and "happened twice" in df["problem"].iloc[4]
    assert list(df["other_party"]) == ["+447700900777"] * 6          # Target + one B Party column


def test_tz_option_changes_assumed_times_only():
    df = calls.parse(str(DATA / "net_v_dst.csv"), tz="UTC")
    assert set(df["tz_status"]) == {"assumed"}
    assert rows(df)[1]["start_utc"] == "2024-03-31T01:30:00Z"
    with pytest.raises(UsageError):
        calls.parse(str(DATA / "net_v_dst.csv"), tz="Mars/Olympus")


def test_footer_count_mismatch_is_reported():
    df, (rep,) = calls.parse_with_report(str(DATA / "net_w_bad_footer.csv"))
    assert len(df) == 4
    assert rep["footer_count"] == 5
    assert rep["footer_check"] == "MISMATCH: footer states 5 records, 4 data rows read"


def test_footer_count_checked_and_tampered(tmp_path):
    text = (DATA / "net_s_moc_cp1252.csv").read_bytes().replace(b"- 8 RECORDS", b"- 9 RECORDS")
    p = tmp_path / "tampered.csv"
    p.write_bytes(text)
    _df, (rep,) = calls.parse_with_report(str(p))
    assert rep["footer_check"].startswith("MISMATCH: footer states 9")


def test_ms_codes_month_names_and_forward_without_diverted_column():
    df = calls.parse(str(DATA / "net_x_ms_codes.csv"))
    got = [(r["direction"], r["event"], r["other_party"], r["duration_s"]) for r in rows(df)]
    assert got == [("out", "voice", "+447700900123", 65), ("in", "sms", "+447700900123", 0),
                   ("forward", "voice", "+447700900456", 30)]


def test_printed_pages_compact_times_lac_ci_and_pipes():
    df, (rep,) = calls.parse_with_report(str(DATA / "net_z_pages.txt"))
    assert [(x["row"], x["reason"]) for x in rep["rows_left_out"]] == [(3, "page line"), (4, "header repeated")]
    assert rep["footer"] == ["Page 2 of 2"]
    got = [(r["_row"], r["direction"], r["event"], r["start_utc"], r["cell_first"]) for r in rows(df)]
    assert got == [(1, "out", "voice", "2024-01-08T10:00:03Z", "1201-5501"),
                   (2, "in", "voice", "2024-01-08T11:15:00Z", "1201-5502"),
                   (5, "out", "sms", "2024-01-08T11:20:31Z", "1201-5501")]
    assert rep["handset"] == "+447700900111"
    assert df["location"].iloc[0] == "Fictional Road Mast, Anytown"


def test_excel_serial_times_in_a_csv_and_outgoing_call_words():
    df = calls.parse(str(DATA / "net_q_serials.csv"))
    got = [(r["direction"], r["event"], r["start_utc"]) for r in rows(df)]
    assert got == [("out", "voice", "2024-01-08T10:00:00Z"), ("in", "sms", "2024-01-08T11:20:01Z"),
                   ("in", "voice", "2024-01-09T12:00:00Z")]


def test_excel_cover_sheet_skipped_and_preamble_zone():
    df, (rep,) = calls.parse_with_report(str(DATA / "net_y_cover.xlsx"))
    assert rep["read_as"] == "excel sheet 'Call Records'" and rep["sheets_skipped"] == ["Cover"]
    assert rep["zone"] == "declared UTC by preamble line 'Times are UTC'"
    got = [(r["direction"], r["event"], r["other_party"], r["start_utc"]) for r in rows(df)]
    assert got[0] == ("in", "voice", "+447700900111", "2024-01-08T10:00:02Z")
    assert got[3] == ("out", "voice", "+442079460777", "2024-04-02T17:57:00Z")
    assert df["handset"].iloc[0] == "+447700900222"


def test_phone_download_calls_sheet():
    df, (rep,) = calls.parse_with_report(str(DATA / "phone_download.xlsx"), handset="07700 900111")
    assert rep["layout"] == "phone_download" and rep["handset_from"] == "--handset"
    got = [(r["direction"], r["a_party"], r["b_party"], r["other_party"], r["start_utc"], r["duration_s"])
           for r in rows(df)]
    assert got == [
        ("out", "+447700900111", "+447700900222", "+447700900222", "2024-01-08T10:00:04Z", 129),
        ("in", "+447700900333", "+447700900111", "+447700900333", "2024-01-08T11:15:01Z", 44),
        ("in", "+447700900555", "+447700900111", "+447700900555", "2024-04-02T17:58:00Z", 0),
    ]
    assert list(df["status"]) == ["Answered", "Answered", "Missed"]


def test_unknown_layout_lists_headers_and_the_map_remedy():
    with pytest.raises(DataError) as exc:
        calls.parse(str(DATA / "not_calls.csv"))
    msg = str(exc.value)
    assert "Foo, Bar, Baz" in msg and "--map start=COL" in msg


def test_map_names_columns_of_an_unknown_layout(tmp_path):
    p = tmp_path / "odd.csv"
    p.write_text("Kind,Orig,Dest,When,Secs\nMOC,07700900111,07700900222,08/01/2024 10:00:00,12\n")
    # recognised with no --map too: Kind by its codes, Orig/Dest by their numbers, When by name
    guessed = rows(calls.parse(str(p)))[0]
    assert (guessed["direction"], guessed["other_party"], guessed["duration_s"]) == ("out", "+447700900222", 12)
    df = calls.parse(str(p), mapping=L.from_map({"start": "When", "a": "Orig", "b": "Dest",
                                                   "type": "Kind", "duration": "Secs"}))
    r = rows(df)[0]
    assert (r["direction"], r["other_party"], r["start_utc"], r["duration_s"]) == (
        "out", "+447700900222", "2024-01-08T10:00:00Z", 12)
    with pytest.raises(UsageError):
        calls.parse(str(p), mapping={"start": "Nope"})
    with pytest.raises(UsageError):
        L.from_map({"colour": "Kind"})
    mf = tmp_path / "m.toml"
    mf.write_text('[columns]\nstart = "When"\na_party = "Orig"\nb_party = "Dest"\ncall_type = "Kind"\n')
    assert calls.parse(str(p), mapping=L.from_file(str(mf)))["other_party"].iloc[0] == "+447700900222"


# ------------------------------------------------------------------ role words and codes
@pytest.mark.parametrize("role", L.role_names())
def test_every_synonym_names_its_role(role):
    for syn in L.roles()[role]["synonyms"]:
        exact = {r for s, _o, r in L.header_candidates(syn) if s == 2.0}
        assert role in exact, (syn, L.header_candidates(syn))


@pytest.mark.parametrize("header,role", [
    ("Subscriber IMSI", "imsi"), ("IMEI (handset)", "imei"), ("Start Date Time (UTC)", "start"),
    ("Dur (mm:ss)", "duration"), ("Cell (start)", "cell_first"), ("Cell (end)", "cell_last"),
    ("Time of Event (UTC)", "time"), ("CallType", "call_type"), ("B-Number", "b_party"),
    ("A_PARTY_NUMBER", "a_party"), ("Duration (secs)", "duration"), ("First CGI Lat/Long", "lat"),
])
def test_header_words(header, role):
    assert role in [r for _s, _o, r in L.header_candidates(header)]


@pytest.mark.parametrize("code,want", [
    ("MOC", ("out", "voice")), ("MTC", ("in", "voice")), ("SMS MO", ("out", "sms")),
    ("SMS-MT", ("in", "sms")), ("SMO", ("out", "sms")), ("SMT", ("in", "sms")),
    ("mSOriginatingSMSinMSC", ("out", "sms")), ("mSTerminating", ("in", "voice")),
    ("callForwarding", ("forward", "voice")), ("Call Forward", ("forward", "voice")),
    ("GPRS", ("", "data")), ("Data", ("", "data")), ("Voicemail", ("", "voicemail")),
    ("Picture Msg", ("", "mms")), ("Incoming", ("in", "")), ("Outgoing", ("out", "")),
    ("TERM", ("in", "")), ("ORIG", ("out", "")), ("CF", ("forward", "voice")), ("Text", ("", "sms")),
    ("Telephony", ("", "voice")), ("USSD", ("", "other")), ("", ("", "")),
])
def test_codes(code, want):
    assert L.decode(code) == want


def test_values_veto_a_header_word():
    # 'Record ID' holds ids, not call types; 'Start Time' holding dates-and-times is the start
    bound, _ = L.recognise(["Record ID", "Start Time", "A Number", "B Number"],
                           {"Record ID": ["R00001", "R00002"], "Start Time": ["06/05/2024 05:34:12"],
                            "A Number": ["447700900001"], "B Number": ["447700900150"]})
    assert "call_type" not in bound and bound["start"] == "Start Time"


# ------------------------------------------------------------------ pairing
def _frame(rows_):
    return pd.DataFrame(rows_, columns=["Target", "Direction", "Type", "Other", "Start (UTC)", "Secs"])


def test_pairing_forward_leg_and_40s_skew():
    a = _frame([
        ["07700900111", "OUT", "Voice", "07700900222", "2024-01-08 10:00:00", "100"],   # 1 pairs (skew 40 s)
        ["07700900111", "OUT", "Voice", "07700900222", "2024-01-08 11:00:00", "0"],     # 2 unanswered
        ["07700900111", "OUT", "Voice", "07700900222", "2024-01-08 11:00:45", "95"],    # 3 answered 45 s later
        ["07700900111", "OUT", "SMS", "07700900222", "2024-01-08 12:00:00", "0"],       # 4 delivered 95 s later
        ["07700900111", "OUT", "Voice", "07700900222", "2024-01-08 13:00:00", "47"],    # 5 forwarded call
        ["07700900111", "OUT", "Voice", "07700900222", "2024-01-08 14:00:00", "300"],   # 6 too far (70 s)
    ])
    b = _frame([
        ["07700900222", "IN", "Voice", "07700900111", "2024-01-08 10:00:40", "101"],
        ["07700900222", "IN", "Voice", "07700900111", "2024-01-08 11:00:04", "0"],
        ["07700900222", "IN", "Voice", "07700900111", "2024-01-08 11:00:48", "96"],
        ["07700900222", "IN", "SMS", "07700900111", "2024-01-08 12:01:35", "0"],
        ["07700900222", "IN", "Voice", "07700900111", "2024-01-08 13:00:02", "47"],
        ["07700900222", "CF", "Voice", "07700900999", "2024-01-08 13:00:02", "47"],     # forward leg
        ["07700900222", "IN", "Voice", "07700900111", "2024-01-08 14:01:10", "300"],
        ["07700900222", "OUT", "Voice", "07700900111", "2024-01-08 10:00:10", "100"],   # same direction
    ])
    df = calls.parse([a, b], names=["a.csv", "b.csv"])
    dup = dict(zip(df["_source"] + ":" + df["_row"].astype(str), df["duplicate_of"]))
    assert dup["b.csv:1"] == "a.csv:1"
    assert dup["b.csv:2"] == "a.csv:2" and dup["b.csv:3"] == "a.csv:3"
    assert dup["b.csv:4"] == "a.csv:4"
    assert dup["b.csv:5"] == "a.csv:5"
    assert dup["b.csv:6"] == ""          # the forward leg is not a duplicate
    assert df.loc[(df["_source"] == "b.csv") & (df["_row"] == 6), "direction"].iat[0] == "forward"
    assert dup["b.csv:7"] == "" and dup["b.csv:8"] == ""
    assert all(v == "" for k, v in dup.items() if k.startswith("a.csv"))
    assert len(df) == 14                 # nothing dropped


def test_pairing_duration_rule_and_one_to_one():
    a = _frame([["07700900111", "OUT", "Voice", "07700900222", "2024-01-08 10:00:00", "100"],
                ["07700900111", "OUT", "Voice", "07700900222", "2024-01-08 10:00:30", "20"]])
    b = _frame([["07700900222", "IN", "Voice", "07700900111", "2024-01-08 10:00:20", "120"],  # 20 % off
                ["07700900222", "IN", "Voice", "07700900111", "2024-01-08 10:00:05", "104"]])
    df = calls.parse([a, b], names=["a", "b"])
    assert list(df["duplicate_of"]) == ["", "", "", "a:1"]


def test_pairing_order_decides_the_duplicate():
    a = _frame([["07700900111", "OUT", "Voice", "07700900222", "2024-01-08 10:00:00", "100"]])
    b = _frame([["07700900222", "IN", "Voice", "07700900111", "2024-01-08 10:00:03", "100"]])
    df = calls.parse([b, a], names=["b", "a"])
    assert list(df["duplicate_of"]) == ["", "b:1"]


# ------------------------------------------------------------------ the command
def test_cli_parse_report_and_columns(tmp_path):
    out, rep = tmp_path / "calls.csv", tmp_path / "r.json"
    files = [SAMPLES / n for n in ("ref0311_P_07700900648.csv", "ref0312_Q_447700900867.xlsx",
                                   "ref0313_R_447700900271.csv")]
    r = run_cli(["calls", "parse", *files, "-o", out, "--report", rep])
    assert r.exit_code == 0, r.stderr
    assert "times ASSUMED Europe/London" in r.stderr and "footer count 49 matches" in r.stderr
    assert "11 two-ended call(s)" in r.stderr
    table = list(csv.DictReader(open(out, encoding="utf-8")))
    assert len(table) == 130 and table[0]["start_utc"] == "2025-03-24T07:45:03Z"
    report = json.loads(rep.read_text())
    assert [x["layout"] for x in report] == ["cdr_a_b"] * 3
    assert report[2]["columns"]["forwarded_to"] == "Diverted To"
    again = run_cli(["calls", "parse", *files, "-o", out])
    assert again.exit_code == 2  # no overwrite without --force


def test_cli_handset_per_file_and_errors(tmp_path):
    f = DATA / "phone_download.xlsx"
    r = run_cli(["calls", "parse", f, "--handset", f"{f.name}=07700900111"])
    assert r.exit_code == 0, r.stderr
    assert list(csv.DictReader(io.StringIO(r.stdout)))[0]["handset"] == "+447700900111"
    r = run_cli(["calls", "parse", f])
    assert "handset is not known" in r.stderr
    r = run_cli(["calls", "parse", DATA / "not_calls.csv"])
    assert r.exit_code == 1 and "--map" in r.stderr
    r = run_cli(["calls", "parse", DATA / "net_v_dst.csv", "--map", "start"])
    assert r.exit_code == 2
    r = run_cli(["calls", "parse", DATA / "net_v_dst.csv", "--tz", "Nowhere/Land"])
    assert r.exit_code == 2


def test_cli_parquet_keeps_a_utc_timestamp(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "c.parquet"
    r = run_cli(["calls", "parse", DATA / "net_t_iso_z.csv", "-o", out])
    assert r.exit_code == 0, r.stderr
    t = pq.read_table(out)
    assert str(t.schema.field("start_utc").type) == "timestamp[ns, tz=UTC]"


def test_real_process_pipe_into_summarise():
    p = run_toex(["calls", "parse", DATA / "net_s_moc_cp1252.csv", DATA / "net_t_iso_z.csv"])
    assert p.returncode == 0, p.stderr
    assert b"2 two-ended call(s)" in p.stderr or b"3 two-ended call(s)" in p.stderr
    s = run_toex(["summarise", "-"], input=p.stdout)
    assert s.returncode == 0, s.stderr


def test_layouts_command_lists_roles():
    r = run_cli(["calls", "layouts"])
    assert r.exit_code == 0 and "phone_download" in r.stdout and "a_party" in r.stdout
