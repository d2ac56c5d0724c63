"""toex timeline as a library: order across zones and the clock change, date-only payments,
two-ended calls once, filters, entities, custom tables and exports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toexcli import read_table, schema
from toexcli.errors import UsageError
from toexcli.timeline import timeline
from toexcli.timeline.build import detect
from toexcli.timeline.export import i2_table, timesketch_table

REPO = Path(__file__).resolve().parents[2]
EX = REPO / "examples"
FIX = Path(__file__).resolve().parent / "fixtures"


def _read(name):
    return read_table([str(EX / name)])


def calls_frame(rows, source="net.csv"):
    """A call table in the shape toex calls parse writes (schema.CALLS)."""
    df = pd.DataFrame(rows, dtype="str").fillna("")
    df = schema.conform(df, schema.CALLS)
    df["_source"] = source
    df["_row"] = range(1, len(df) + 1)
    return df


def tx_frame(rows, source="stmt.csv"):
    df = schema.conform(pd.DataFrame(rows, dtype="str").fillna(""), schema.TRANSACTIONS)
    df["_source"] = source
    df["_row"] = range(1, len(df) + 1)
    return df


def test_inputs_are_recognised_by_their_columns():
    assert detect(schema.CALLS.names) == "calls"
    assert detect(schema.MESSAGES.names) == "messages"
    assert detect(schema.TRANSACTIONS.names) == "transactions"
    assert detect(schema.READS.names) == "reads"
    assert detect(["read_id", "camera", "seen_at", "plate", "note"]) == "reads"
    assert detect(schema.EVENTS.names + ["_source", "_row"]) == "timeline"
    assert detect(["Date", "Time", "Caller", "Callee"]) is None


def test_z_return_beside_naive_local_across_the_march_change():
    # network return in UTC (Z) and a phone download in naive UK wall-clock time, 31/03/2024
    net = calls_frame([
        {"handset": "+447700900501", "direction": "in", "event": "voice",
         "other_party": "+447700900612", "start_utc": "2024-03-31T00:50:30Z", "duration_s": "62"},
        {"handset": "+447700900501", "direction": "out", "event": "sms",
         "other_party": "+447700900612", "start_utc": "2024-03-31T01:10:00Z"}], "net.csv")
    phone = calls_frame([
        {"handset": "+447700900502", "direction": "out", "event": "voice",
         "other_party": "+447700900612", "start_local": "2024-03-31 00:45:00",
         "duration_s": "20"},   # GMT
        {"handset": "+447700900502", "direction": "out", "event": "sms",
         "other_party": "+447700900611", "start_local": "2024-03-31 02:20:00"},   # BST = 01:20Z
        {"handset": "+447700900502", "direction": "in", "event": "sms",
         "other_party": "+447700900611", "start_local": "2024-03-31 01:30:00"}],  # never happened
        "phone.csv")
    ev = timeline([phone, net]).events
    assert list(ev["time_utc"]) == ["2024-03-31T00:45:00Z", "2024-03-31T00:50:30Z",
                                    "2024-03-31T01:10:00Z", "2024-03-31T01:20:00Z",
                                    "2024-03-31T01:30:00Z"]
    assert list(ev["tz_status"]) == ["assumed", "declared", "declared", "assumed", "nonexistent"]
    assert list(ev["time_local"])[2:4] == ["2024-03-31T02:10:00+01:00", "2024-03-31T02:20:00+01:00"]
    assert "did not exist" in ev["problem"].iat[4]
    assert list(ev["summary"])[:2] == ["call out 00:00:20 to +447700900612",
                                       "call in 00:01:02 from +447700900612"]


def test_ties_keep_input_order_and_unreadable_times_go_last_with_problem():
    df = calls_frame([
        {"handset": "+447700900501", "event": "voice", "start_utc": "31/02/2024 10:00"},
        {"handset": "+447700900501", "event": "voice", "start_utc": "2024-03-01T10:00:00Z",
         "other_party": "+447700900001"},
        {"handset": "+447700900501", "event": "voice", "start_utc": "2024-03-01T10:00:00Z",
         "other_party": "+447700900002"},
        {"handset": "+447700900501", "event": "voice", "start_utc": "2024-02-01T10:00:00Z"},
        {"handset": "+447700900501", "event": "voice", "start_utc": ""}])
    ev = timeline([df]).events
    assert list(ev["_row"]) == [4, 2, 3, 1, 5]
    assert ev["problem"].iat[4] == "no time given" and ev["time_utc"].iat[4] == ""
    assert ev["time_utc"].iat[3] == "" and ev["tz_status"].iat[3] == "unreadable"
    assert "31/02/2024" in ev["problem"].iat[3]          # never rolled into March


def test_date_only_bank_rows_are_local_midnight_with_day_precision():
    tx = tx_frame([
        {"account": "30-99-50 41230001", "date": "2024-04-01", "amount": "950.00",
         "currency": "GBP", "counterparty": "PAYPOINT IPSWICH"},
        {"account": "30-99-50 41230001", "date": "2024-01-15", "amount": "-24.00",
         "currency": "GBP", "counterparty": "EXAMPLE MOBILE"}])
    ev = timeline([tx]).events
    assert list(ev["precision"]) == ["day", "day"]
    assert list(ev["time_local"]) == ["2024-01-15T00:00:00+00:00", "2024-04-01T00:00:00+01:00"]
    assert list(ev["time_utc"]) == ["2024-01-15T00:00:00Z", "2024-03-31T23:00:00Z"]
    assert list(ev["kind"]) == ["payment_out", "payment_in"]
    assert list(ev["summary"]) == ["£24.00 out to EXAMPLE MOBILE", "£950.00 in from PAYPOINT IPSWICH"]
    assert list(ev["amount"]) == ["-24.00", "950.00"]


def test_a_transaction_time_is_kept_when_the_table_has_one():
    tx = tx_frame([{"account": "A1", "date": "2024-04-01", "amount": "5.00", "currency": "GBP",
                    "counterparty": "X"}])
    tx.insert(2, "time", ["09:15"])
    ev = timeline([tx]).events
    assert ev["time_local"].iat[0] == "2024-04-01T09:15:00+01:00"
    assert ev["precision"].iat[0] == "minute"


def test_statement_from_bank_parse(tmp_path):
    from conftest import run_cli

    out = tmp_path / "tx.csv"
    assert run_cli(["bank", "parse", str(EX / "timeline_statement.csv"), "-o", str(out)]).exit_code == 0
    ev = timeline([read_table([str(out)])]).events
    assert list(ev["precision"].unique()) == ["day"]
    row = ev[ev["summary"].str.contains("PAYPOINT")].iloc[0]
    assert row["time_local"] == "2024-04-01T00:00:00+01:00" and row["kind"] == "payment_in"
    assert row["_source"].endswith("timeline_statement.csv")


def _shared_calls():
    exp = pd.read_csv(FIX / "calls_expected.csv", dtype=str, keep_default_na=False)
    df = calls_frame({"handset": exp.handset, "direction": exp.direction, "event": exp.event,
                      "other_party": exp.other_party, "start_utc": exp.start_utc,
                      "tz_status": exp.tz_status, "duration_s": exp.duration_s})
    df["_source"], df["_row"] = exp["file"].to_numpy(), exp["row"].astype(int).to_numpy()
    return exp, df


def test_two_ended_calls_are_paired_exactly_like_the_shared_answers():
    exp, df = _shared_calls()
    res = timeline([df], keep_duplicates=True)
    ev = res.events
    got = set(zip(ev["_source"], ev["_row"].astype(str), ev["duplicate_of"]))
    want = set(zip(exp["file"], exp["row"], exp["duplicate_of"]))
    assert {g for g in got if g[2]} == {w for w in want if w[2]}
    assert res.stats["duplicates_found"] == 11
    once = timeline([df])
    assert len(once.events) == len(exp) - 11
    assert (once.events["duplicate_of"] == "").all()


def test_ends_marked_by_the_call_tables_are_used_and_not_paired_again():
    exp, df = _shared_calls()
    df["duplicate_of"] = exp["duplicate_of"].to_numpy()
    res = timeline([df])
    assert res.stats["duplicates_marked"] == 11 and res.stats["duplicates_found"] == 0
    assert len(res.events) == len(exp) - 11


def test_pairing_refuses_far_apart_or_different_length_calls():
    base = {"event": "voice", "duration_s": "100"}
    a = calls_frame([{**base, "handset": "+447700900501", "direction": "out",
                      "other_party": "+447700900502", "start_utc": "2024-03-01T10:00:00Z"}], "a")
    far = calls_frame([{**base, "handset": "+447700900502", "direction": "in",
                        "other_party": "+447700900501", "start_utc": "2024-03-01T10:01:00Z"}], "b")
    longer = calls_frame([{**base, "handset": "+447700900502", "direction": "in",
                           "other_party": "+447700900501", "start_utc": "2024-03-01T10:00:05Z",
                           "duration_s": "140"}], "c")
    near = calls_frame([{**base, "handset": "+447700900502", "direction": "in",
                         "other_party": "+447700900501", "start_utc": "2024-03-01T10:00:05Z",
                         "duration_s": "101"}], "d")
    assert timeline([a, far]).stats["duplicates"] == 0
    assert timeline([a, longer]).stats["duplicates"] == 0
    res = timeline([a, near], keep_duplicates=True)
    assert list(res.events["duplicate_of"]) == ["", "a:1"]


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    from conftest import run_cli

    d = tmp_path_factory.mktemp("case")
    assert run_cli(["bank", "parse", str(EX / "timeline_statement.csv"), "-o",
                    str(d / "tx.csv")]).exit_code == 0
    assert run_cli(["merge", "resolve", str(EX / "timeline_people.csv"), "--id", "phone:Phone",
                    "--id", "account:Account", "--id", "vrm:VRM", "--name", "Name", "-o",
                    str(d / "people.csv"), "--entities", str(d / "ents.csv")]).exit_code == 0
    tables = [read_table([str(FIX / "calls_deal.csv")]), read_table([str(FIX / "calls_runner.csv")]),
              read_table([str(FIX / "messages.csv")]), read_table([str(d / "tx.csv")]),
              _read("timeline_anpr.csv")]
    return tables, read_table([str(d / "ents.csv")])


def test_example_case_counts_and_order(case):
    tables, _ = case
    res = timeline(tables)
    ev = res.events
    assert res.stats["events_in"] == 9 + 7 + 5 + 4 + 5
    assert res.stats["duplicates"] == 3 and len(ev) == 27
    assert ev["kind"].value_counts().to_dict() == {"call": 7, "data": 1, "message": 5, "anpr": 5, "sms": 5,
                                                   "payment_in": 2, "payment_out": 2}
    times = [t for t in ev["time_utc"] if t]
    assert times == sorted(times) and ev["time_utc"].iat[-1] == ""
    # the car on the A12, then the cash in at PayPoint the next morning
    order = list(ev["summary"])
    assert order.index("anpr read LB07 SEU at A12 Colchester southbound") < order.index(
        "£950.00 in from PAYPOINT IPSWICH CASH DEPOSIT")


def test_from_to_inclusive_in_london_time(case):
    tables, _ = case
    ev = timeline(tables, start="2024-03-31", end="2024-03-31").events
    dated = ev[ev["time_utc"] != ""]
    assert dated["time_local"].str.startswith("2024-03-31").all()
    assert len(dated) == 13
    assert (ev["time_utc"] == "").sum() == 1            # unreadable: cannot be put outside
    # a date-only payment counts when its day overlaps the period, even from a later hour
    late = timeline(tables, start="2024-04-01 12:00", end="2024-04-01 23:59").events
    assert "£950.00 in from PAYPOINT IPSWICH CASH DEPOSIT" in set(late["summary"])
    upto = timeline(tables, end="2024-03-30 18:02").events
    assert upto["time_utc"].iat[-2] == "2024-03-30T18:02:11Z"   # a minute --to is inclusive


def test_entity_filter_any_spelling_and_through_an_entities_file(case):
    tables, ents = case
    by_phone = timeline(tables, entity=["07700 900502"]).events
    assert len(by_phone) == 9
    assert ((by_phone["subject"] == "+447700900502") | (by_phone["counterpart"] == "+447700900502")).all()
    by_plate = timeline(tables, entity=["lb07-seu"]).events
    assert list(by_plate["kind"].unique()) == ["anpr"] and len(by_plate) == 4
    person = timeline(tables, entity=["E000002"], entities=ents).events
    # Rhys Runner: his phone, his account and his car
    assert len(person) == len(by_phone) + len(by_plate) + 4
    assert set(person.loc[person["subject"] == "30-99-50 41230001", "subject_name"]) == {"Rhys Runner"}
    labelled = timeline(tables, entities=ents).events
    assert set(labelled.loc[labelled["subject"] == "+447700900501", "subject_name"]) == {"Danny Example"}
    call = labelled[labelled["summary"] == "call out 00:01:25 to +447700900502"].iloc[0]
    assert call["counterpart_name"] == "Rhys Runner"
    with pytest.raises(UsageError, match="E000099"):
        timeline(tables, entity=["E000099"], entities=ents)


def test_custom_table_and_a_timeline_read_back(tmp_path):
    notes = pd.DataFrame({"Date": ["30/03/2024", "31/03/2024"], "Time": ["21:00", "09:00"],
                          "Officer": ["DC Example", "DS Example"], "Note": ["obs start", "obs end"],
                          "_source": "log.csv", "_row": [1, 2]})
    from toexcli.timeline import Custom

    ev = timeline([notes], custom=Custom("Date,Time", "Officer", label="Note")).events
    assert list(ev["time_local"]) == ["2024-03-30T21:00:00+00:00", "2024-03-31T09:00:00+01:00"]
    assert list(ev["kind"]) == ["custom", "custom"] and list(ev["summary"]) == ["obs start", "obs end"]
    with pytest.raises(UsageError):
        timeline([notes])
    again = timeline([ev.astype({"_row": "str"})]).events
    assert list(again["time_utc"]) == list(ev["time_utc"])
    assert list(again["precision"]) == ["minute", "minute"]


def test_i2_and_timesketch_tables(case):
    tables, ents = case
    ev = timeline(tables, entities=ents).events
    i2 = i2_table(ev)
    assert len(i2) == len(ev)
    pay = i2[i2["Event Kind"] == "payment_in"].iloc[-1]
    assert pay["Link Date"] == "2024-04-01" and pay["Link Time"] == ""     # no invented 00:00
    assert pay["Entity1 Identity"] == "30995041230001" and pay["Link Direction"] == "against"
    call = i2[i2["Link Label"] == "call out 00:01:25 to +447700900502"].iloc[0]
    assert (call["Link Date"], call["Link Time"], call["Time Zone"]) == ("2024-03-30", "18:02:11", "UTC")
    assert call["Entity2 Identity"] == "+447700900502" and call["Entity2 Type"] == "Telephone"
    assert call["Entity1 Label"] == "Danny Example (+447700900501)"
    anpr = i2[i2["Event Kind"] == "anpr"].iloc[0]
    assert (anpr["Entity1 Type"], anpr["Entity2 Type"]) == ("Person", "Location")
    ts, left = timesketch_table(ev)
    assert left == 1 and len(ts) == len(ev) - 1
    assert list(ts.columns[:4]) == ["message", "datetime", "timestamp", "timestamp_desc"]
    first = ts.iloc[0]
    assert first["datetime"] == "2024-03-28T00:00:00+00:00" and first["timestamp"] == "1711584000000000"
    assert set(ts["timestamp_desc"]) >= {"Call start", "Posting date", "ANPR read", "Message sent"}


def test_amounts_as_written_and_a_bad_amount_kept_with_problem():
    tx = tx_frame([{"account": "A", "date": "2024-01-01", "amount": a, "currency": c,
                    "counterparty": "X"} for a, c in (("1,450.00", "GBP"), ("-62.10", "GBP"),
                                                      ("12.5", "CHF"), ("12.5O", "GBP"))])
    ev = timeline([tx]).events
    assert list(ev["summary"]) == ["£1,450.00 in from X", "£62.10 out to X", "12.5 CHF in from X",
                                   "12.5O X"]
    assert list(ev["kind"]) == ["payment_in", "payment_out", "payment_in", "payment"]
    assert list(ev["problem"]) == ["", "", "", "amount not a number"]
    assert list(ev["amount"]) == ["1,450.00", "-62.10", "12.5", "12.5O"]     # never altered


def test_an_entities_table_must_be_one():
    with pytest.raises(UsageError, match="entity_id"):
        timeline([tx_frame([])], entity=["E000001"],
                 entities=pd.DataFrame({"id": ["E000001"], "phone": ["+447700900501"]}))


def test_no_rows_gives_the_columns():
    ev = timeline([calls_frame([])]).events
    assert list(ev.columns)[:3] == ["time_utc", "time_local", "precision"] and len(ev) == 0


def test_a_case_read_in_batches_is_the_case_read_whole():
    """Events are built batch by batch and held as dictionaries, each batch with its own
    distinct values: pairing, marked ends, --from/--to and --entity give the same timeline as
    from one table."""
    from toexcli.timeline import assemble, events_of

    exp, df = _shared_calls()
    marked = df.copy()
    marked["duplicate_of"] = exp["duplicate_of"].to_numpy()
    for frame in (df, marked):
        for kw in ({}, {"keep_duplicates": True},
                   {"start": pd.Timestamp("2024-01-01", tz="UTC"), "entity": [df.handset.iat[0]]}):
            whole = assemble([events_of(frame, "calls")], **kw)
            cuts = [0, 7, 8, 20, len(frame)]
            parts = [events_of(frame.iloc[a:b], "calls") for a, b in zip(cuts, cuts[1:])]
            split = assemble(parts, **kw)
            assert split.stats == whole.stats
            pd.testing.assert_frame_equal(split.events, whole.events)
