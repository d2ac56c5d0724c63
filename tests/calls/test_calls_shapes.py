"""More return shapes, written inline (fictional): each must parse with no --map."""

from __future__ import annotations

import pandas as pd
import pytest

from toexcli import calls
from toexcli.timemodel import iso_utc

SHAPES = {
    # an XRY-style phone-download call log as CSV: Number, Time with offsets, Direction words
    "xry.csv": ("Type,Number,Name,Time,Duration,Direction\n"
                "Outgoing,+447700900222,Bob,08/01/2024 10:00:00 +00:00,00:02:09,Outgoing\n"
                "Missed,07700900555,,02/04/2024 18:58:00 +01:00,00:00:00,Missed\n",
                [("out", "voice", "+447700900222", "2024-01-08T10:00:00Z", 129),
                 ("in", "voice", "+447700900555", "2024-04-02T17:58:00Z", 0)]),
    # data sessions: start and end, no duration, no other party
    "gprs.csv": ("MSISDN,Session Start,Session End,APN,Cell ID,Bytes Up\n"
                 "447700900111,2024-01-08 10:00:00,2024-01-08 10:45:10,internet,1201-5501,1200\n",
                 [("", "data", "", "2024-01-08T10:00:00Z", 2710)]),
    # hh:mm times, "2m 10s" durations, no direction column (inferred from the parties)
    "hhmm.csv": ("Target,Date,Time,Calling,Called,Type,Dur\n"
                 "07700900111,08/01/2024,10:00,07700900111,07700900222,Voice,2m 10s\n"
                 "07700900111,08/01/2024,11:30,07700900333,07700900111,SMS,0s\n",
                 [("out", "voice", "+447700900222", "2024-01-08T10:00:00Z", 130),
                  ("in", "sms", "+447700900333", "2024-01-08T11:30:00Z", 0)]),
    # month-first dates with 12 h clocks; the target always in A whatever the direction
    "us.csv": ("Subscriber,Call Date,Call Time,A Party,B Party,Call Direction,Event,Duration\n"
               "7700900111,01/13/2024,10:00:00 AM,7700900111,7700900222,MO,Voice,130\n"
               "7700900111,01/14/2024,01:05:00 PM,7700900111,7700900333,MT,Voice,20\n",
               [("out", "voice", "+447700900222", "2024-01-13T10:00:00Z", 130),
                ("in", "voice", "+447700900333", "2024-01-14T13:05:00Z", 20)]),
    # semicolons, header words in another language, a dashed footer with a count
    "semi.csv": ("Call Type;A-Nummer;B-Nummer;Start;Duration\n"
                 "MOC;+447700900111;+447700900222;2024-01-08 10:00:00;130\n"
                 "MTC;+447700900333;+447700900111;2024-01-08 11:00:00;20\n---- 2 rows ----\n",
                 [("out", "voice", "+447700900222", "2024-01-08T10:00:00Z", 130),
                  ("in", "voice", "+447700900333", "2024-01-08T11:00:00Z", 20)]),
    # columns no header word names: the parties found by their values
    "unnamed.csv": ("Kind,Col1,Col2,When\nMOC,07700900111,07700900222,08/01/2024 10:00:00\n"
                    "MTC,07700900333,07700900111,08/01/2024 11:00:00\n",
                    [("out", "voice", "+447700900222", "2024-01-08T10:00:00Z", None),
                     ("in", "voice", "+447700900333", "2024-01-08T11:00:00Z", None)]),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_parses_without_map(tmp_path, name):
    text, want = SHAPES[name]
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    df = calls.parse(str(p), handset="07700900111")
    got = [(r["direction"], r["event"], r["other_party"], u,
            None if pd.isna(r["duration_s"]) else int(r["duration_s"]))
           for r, u in zip(df.to_dict("records"), iso_utc(df["start_utc"]))]
    assert got == want


def test_utf16_return(tmp_path):
    p = tmp_path / "u16.csv"
    p.write_text("Target Number,Event Type,A Number,B Number,Start Date/Time,Duration\n"
                 "447700900111,Voice,447700900111,447700900222,08/01/2024 10:00:00,130\n",
                 encoding="utf-16")
    df = calls.parse(str(p))
    assert (df["other_party"].iat[0], int(df["duration_s"].iat[0])) == ("+447700900222", 130)


def test_target_in_a_whatever_the_direction_is_reported(tmp_path):
    p = tmp_path / "us.csv"
    p.write_text(SHAPES["us.csv"][0])
    df, (rep,) = calls.parse_with_report(str(p))
    assert (df["a_party"].iat[1], df["b_party"].iat[1]) == ("+447700900333", "+447700900111")
    assert df["a_party_raw"].iat[1] == "7700900333"
    assert any("swapped on 1 rows" in n for n in rep["notes"])


def test_html_table_saved_as_xls(tmp_path):
    p = tmp_path / "return.xls"
    p.write_text("<html><body><table><tr><th>Call Type</th><th>A Number</th><th>B Number</th>"
                 "<th>Start Date/Time</th><th>Duration</th></tr><tr><td>MOC</td><td>07700900111</td>"
                 "<td>07700900222</td><td>08/01/2024 10:00:00</td><td>130</td></tr></table></body></html>")
    df = calls.parse(str(p))
    assert (df["format"].iat[0], df["other_party"].iat[0], int(df["duration_s"].iat[0])) == (
        "cdr_a_b (html)", "+447700900222", 130)
