"""toex summarise on call records: planted patterns asserted exactly."""

from __future__ import annotations

import json

import pytest
import synth_summarise as synth
from conftest import run_cli, run_toex

from toexcli.summarise import summarise

T1, T2, T3, T4 = (f"+{n}" for n in (synth.T1, synth.T2, synth.T3, synth.T4))


def e(n: int) -> str:
    return f"+447700900{n:03d}"


@pytest.fixture(scope="module")
def cdr(tmp_path_factory):
    path = tmp_path_factory.mktemp("calls") / "cdr.csv"
    synth.write_calls(path)
    return path


@pytest.fixture(scope="module")
def report(cdr):
    return summarise([str(cdr)])


def handset(report, number):
    return next(h for h in report["handsets"] if h["handset"] == number)


def test_detects_calls_and_columns(report):
    assert report["kind"] == "calls"
    assert report["columns"]["target"] == "Target Number"
    assert report["columns"]["from"] == "A Number" and report["columns"]["to"] == "B Number"
    assert report["records"] == 324


def test_every_record_counts_and_withheld_is_not_a_contact(report):
    assert [h["handset"] for h in report["handsets"]] == [T3, T2, T1, T4]
    assert [h["records"] for h in report["handsets"]] == [132, 128, 32, 32]
    h2 = handset(report, T2)
    assert h2["not_contacts"] == 8          # the withheld calls
    assert h2["distinct_contacts"] == 10    # C150, C160, C200-C207
    assert sum(c["count"] for c in h2["contacts"]) + h2["not_contacts"] == h2["records"]


def test_top_contact_is_one_number_written_four_ways(report):
    top = handset(report, T2)["contacts"][0]
    assert top == {"contact": e(150), "count": 56, "calls": 28, "texts": 28, "duration_s": 28 * 90,
                   "first": "2024-03-04T10:05:00", "last": "2024-04-28T10:05:00"}
    # contacts are sorted by count, descending
    counts = [c["count"] for c in handset(report, T2)["contacts"]]
    assert counts == sorted(counts, reverse=True)
    assert handset(report, T3)["contacts"][0]["contact"] == e(300)
    assert handset(report, T3)["contacts"][0]["count"] == 47


def test_common_contacts(report):
    common = {c["contact"]: c for c in report["common_contacts"]}
    assert set(common) == {e(160), e(150), *(e(n) for n in range(100, 108))}
    assert report["common_to_all"] == [e(160)]
    assert common[e(160)]["counts"] == {T1: 4, T2: 8, T3: 8, T4: 4}
    assert common[e(160)]["handsets"] == [T1, T2, T3, T4]
    assert common[e(150)]["counts"] == {T2: 56, T3: 28}
    assert common[e(106)]["counts"] == {T1: 3, T4: 2}
    assert report["common_contacts"][0]["contact"] == e(160)
    assert report["common_contacts"][1]["contact"] == e(150)


def test_handset_swap_is_the_only_replacement_candidate(report):
    assert len(report["replacement_candidates"]) == 1
    c = report["replacement_candidates"][0]
    assert (c["old"], c["new"]) == (T1, T4)
    # regular contacts (>= 3 records): T1 C100-C107 + C160, T4 C100-C105, C120, C121 + C160
    assert c["shared"] == 7 and c["old_contacts"] == 9 and c["new_contacts"] == 9
    assert c["jaccard"] == round(7 / 11, 3)
    assert c["old_last"] == "2024-03-31T18:00:00" and c["new_first"] == "2024-04-01T12:00:00"
    assert c["shared_contacts"] == sorted([e(160), *(e(n) for n in range(100, 106))])


def test_burst_is_the_planted_day(report):
    assert report["bursts"] == [{"handset": T3, "date": "2024-04-10", "records": 41, "usual": 2.0,
                                 "ratio": 20.5}]


def test_activity_matrix_and_timeline(report):
    m = report["activity"]["hour_by_weekday"]
    assert len(m) == 7 and all(len(r) == 24 for r in m)
    assert sum(map(sum, m)) == 324
    # the burst: Wednesday 2024-04-10, 15:00-15:39
    assert m[2][15] == 40
    # Mondays at noon: C160 calls every handset (3 active handsets x 8 Mondays)
    assert m[0][12] == 24
    tl = {d["date"]: d["records"] for d in report["timeline"]}
    assert len(tl) == 56 and tl["2024-04-10"] == 44 and sum(tl.values()) == 324


def test_weekly_new_and_dropped(report):
    weeks = [w for w in report["weekly_contacts"] if w["handset"] == T4]
    assert weeks[0] == {"handset": T4, "week": "2024-04-01", "contacts": 8, "new": 8, "dropped": 0}
    assert sum(w["new"] for w in weeks) == 11


def test_json_contract_from_the_cli(cdr):
    r = run_cli(["summarise", cdr, "--json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["kind"] == "calls"
    for key in ("handsets", "common_contacts", "replacement_candidates", "bursts"):
        assert key in data
    h = data["handsets"][0]
    assert set(h) >= {"handset", "records", "contacts"}
    assert set(h["contacts"][0]) == {"contact", "count", "calls", "texts", "duration_s", "first", "last"}
    assert set(data["common_contacts"][0]) >= {"contact", "handsets", "counts"}
    assert "calls" in r.stderr  # says which kind it chose


def test_columns_named_on_the_command_line(tmp_path):
    p = tmp_path / "odd.csv"
    p.write_text("who,whom,when,what\n"
                 "07700900001,07700900150,01/02/2024 10:00,SMS\n"
                 "07700900001,447700900150,02/02/2024 11:00,Voice\n"
                 "7700900150,07700900001,13/02/2024 12:00,Voice\n", encoding="utf-8")
    r = run_cli(["summarise", p, "--from", "who", "--to", "whom", "--time", "when",
                 "--type", "what", "--json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    h = data["handsets"][0]
    assert h["handset"] == "+447700900001"
    assert h["contacts"] == [{"contact": "+447700900150", "count": 3, "calls": 2, "texts": 1,
                              "duration_s": 0, "first": "2024-02-01T10:00:00",
                              "last": "2024-02-13T12:00:00"}]


def test_unknown_column_is_a_usage_error(cdr):
    r = run_cli(["summarise", cdr, "--kind", "calls", "--from", "A Numbr"])
    assert r.exit_code == 2
    assert "did you mean 'A Number'" in r.stderr


def test_phone_downloads_one_handset_per_file(tmp_path):
    """Without a target column each file is one handset; common contacts across files."""
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text("Date,Time,Caller,Callee,Type,Duration\n"
                 "05/01/2024,09:14,07700 900123,07700900150,Voice,00:02:10\n"
                 "05/01/2024,09:20,07700900123,+44 7700 900151,SMS,\n"
                 "05/01/2024,22:41,07700900150,07700900123,Voice,00:00:45\n"
                 "06/01/2024,01:02,07700900123,Withheld,Voice,00:00:00\n", encoding="utf-8")
    b.write_text("Date,Time,Caller,Callee,Type,Duration\n"
                 "07/01/2024,10:00,07700900456,07700900150,Voice,00:01:00\n"
                 "07/01/2024,11:00,447700900150,07700900456,SMS,\n"
                 "08/01/2024,12:00,07700900456,07700900152,Voice,30\n", encoding="utf-8")
    r = run_cli(["summarise", a, b, "--json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [h["handset"] for h in data["handsets"]] == ["+447700900123", "+447700900456"]
    assert data["handsets"][0]["contacts"][0] == {
        "contact": "+447700900150", "count": 2, "calls": 2, "texts": 0, "duration_s": 175,
        "first": "2024-01-05T09:14:00", "last": "2024-01-05T22:41:00"}
    assert data["handsets"][0]["not_contacts"] == 1
    assert data["common_contacts"] == [{
        "contact": "+447700900150", "handsets": ["+447700900123", "+447700900456"],
        "counts": {"+447700900123": 2, "+447700900456": 2}, "all_handsets": True, "total": 4}]


def test_real_pipe_from_convert(cdr):
    conv = run_toex(["convert", cdr, "-o", "-", "--to", "arrow"])
    assert conv.returncode == 0, conv.stderr
    r = run_toex(["summarise", "-", "--json"], input=conv.stdout)
    assert r.returncode == 0, r.stderr.decode()
    data = json.loads(r.stdout)
    assert data["kind"] == "calls" and data["records"] == 324
    assert data["replacement_candidates"][0]["old"] == T1


def test_terminal_report_fits_100_columns(cdr):
    r = run_cli(["summarise", cdr])
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) > 30
    assert max(len(line) for line in lines) <= 100
    assert "replacement candidates" in r.stdout and "+447700900004" in r.stdout


def test_tidy_outputs(cdr, tmp_path):
    import openpyxl
    import pandas as pd

    x = tmp_path / "s.xlsx"
    r = run_cli(["summarise", cdr, "-o", x, "--json"])
    assert r.exit_code == 0, r.stderr
    book = openpyxl.load_workbook(x, read_only=True)
    assert book.sheetnames == ["handsets", "contacts", "common_contacts", "activity", "daily",
                               "weekly_contacts", "replacement_candidates", "bursts"]
    rows = list(book["contacts"].iter_rows(values_only=True))
    assert rows[0][:4] == ("handset", "rank", "contact", "count")
    c = tmp_path / "s.csv"
    r = run_cli(["summarise", cdr, "-o", c])
    assert r.exit_code == 0, r.stderr
    df = pd.read_csv(c, dtype=str)
    assert df.columns[0] == "section"
    top = df[(df["section"] == "contacts") & (df["handset"] == T2) & (df["rank"] == "1")]
    assert top["contact"].tolist() == [e(150)] and top["count"].tolist() == ["56"]
    # -o an existing file without --force is refused
    r = run_cli(["summarise", cdr, "-o", c])
    assert r.exit_code == 2 and "--force" in r.stderr


def test_tables_on_stdout_and_parquet(cdr, tmp_path):
    import io

    import pandas as pd

    r = run_cli(["summarise", cdr, "-o", "-"])
    assert r.exit_code == 0, r.stderr
    df = pd.read_csv(io.StringIO(r.stdout), dtype=str)
    assert "activity by hour" not in r.stdout  # tables only, no report mixed in
    assert set(df["section"]) == {"handsets", "contacts", "common_contacts", "activity", "daily",
                                  "weekly_contacts", "replacement_candidates", "bursts"}
    p = tmp_path / "s.parquet"
    r = run_cli(["summarise", cdr, "-o", p])
    assert r.exit_code == 0, r.stderr
    pq = pd.read_parquet(p)
    b = pq[pq["section"] == "bursts"]
    assert b["handset"].tolist() == [T3] and b["date"].tolist() == ["2024-04-10"]
    assert int(b["records"].iloc[0]) == 41


def test_download_without_its_own_number_is_named_by_its_file(tmp_path):
    p = tmp_path / "owner_blank.csv"
    p.write_text("Date,Time,From,To,Type\n"
                 "05/01/2024,09:14,,07700900150,Voice\n"
                 "05/01/2024,09:20,07700900150,,SMS\n"
                 "05/01/2024,10:00,,07700900151,Voice\n"
                 "06/01/2024,11:00,Withheld,,Voice\n", encoding="utf-8")
    r = run_cli(["summarise", p, "--json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    (h,) = data["handsets"]
    assert h["handset"] == f"file:{p}"
    assert [(c["contact"], c["count"]) for c in h["contacts"]] == [("+447700900150", 2),
                                                                    ("+447700900151", 1)]
    assert h["not_contacts"] == 1 and h["records"] == 4


def test_replacement_search_with_hubs_left_out_still_reports_the_exact_jaccard(cdr):
    from toexcli.summarise import CallOptions

    r = summarise([str(cdr)], call_options=CallOptions(join_budget=3))
    assert r["replacement_hubs_skipped"] > 0
    (c,) = r["replacement_candidates"]
    assert (c["old"], c["new"], c["shared"], c["jaccard"]) == (T1, T4, 7, round(7 / 11, 3))


def test_json_text_is_the_report_and_fast_encoder_friendly():
    """--json output parses back to the same report; nested values are compact (C encoder)."""
    import json

    from toexcli.summarise.output import json_text

    report = {"kind": "calls", "n": 3, "handsets": [{"handset": "+447700900001", "contacts": [
        {"contact": "+447700900002", "first": None, "x": 1.5, "name": "Zoë Ó Sé"}]}], "empty": [],
        "none": None, "d": {}}
    text = json_text(report)
    assert json.loads(text) == report
    assert text.endswith("}\n") and '\n  "handsets": [\n    {"handset"' in text


def test_impossible_date_is_not_rolled_into_march(tmp_path):
    """31/02/2024 is unreadable (counted as without time), never read as 2 March (issue 23)."""
    import json

    f = tmp_path / "feb.csv"
    f.write_text("Target Number,A Number,B Number,Start Date/Time,Event Type,Duration\n"
                 "07700900001,07700900001,07700900002,31/02/2024 10:00:00,Voice,10\n"
                 "07700900001,07700900001,07700900003,01/03/2024 10:00:00,Voice,10\n")
    r = run_cli(["summarise", str(f), "--json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["records_without_time"] == 1
    assert data["first"].startswith("2024-03-01T10:00")
