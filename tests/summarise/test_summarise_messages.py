"""toex summarise on a message table: detection, who-whom, activity, languages, flares."""

import json

import pandas as pd
import pytest

from conftest import run_cli
from toexcli.messages import parse
from toexcli.summarise import summarise
from toexcli.summarise.messages import MessageOptions, norm_text
from toexcli.schema import MESSAGES, conform

DATA = __import__("pathlib").Path(__file__).parent.parent / "messages" / "data"


def deal_line(spread_s=30, customers=8, variant=True):
    """An SMS table: the deal line texts its customer list, then chats with one customer."""
    rows = []
    t0 = pd.Timestamp("2025-04-04T18:00:00Z")
    for i in range(customers):
        text = "Fresh stock in, usual spot after 7. Call 07700 900123" if (i % 2 or not variant) \
            else "fresh stock in!! usual spot after 7 - call 07700900123"
        rows.append({"platform": "sms", "chat": f"+4477009005{i:02d}", "sender": "",
                     "recipients": f"+4477009005{i:02d}", "direction": "out", "kind": "sms",
                     "text": text, "sent_utc": (t0 + pd.Timedelta(seconds=i * spread_s)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "sent_local": (t0 + pd.Timedelta(seconds=i * spread_s, hours=1)).strftime("%Y-%m-%dT%H:%M:%S+01:00")})
    rows.append({"platform": "sms", "chat": "+447700900500", "sender": "+447700900500",
                 "recipients": "", "direction": "in", "kind": "sms", "text": "2 please",
                 "sent_utc": "2025-04-04T18:30:00Z", "sent_local": "2025-04-04T19:30:00+01:00"})
    df = pd.DataFrame(rows)
    df["_source"] = "sms.xml"
    df["_row"] = range(1, len(df) + 1)
    return conform(df.astype({"_row": "int64"}), MESSAGES)


def test_norm_text():
    assert norm_text("Fresh stock in!! Call 07700900123") == "fresh stock in call 0"
    assert norm_text("A-b, C!") == "a b c"


def test_flare_found_with_rows():
    r = summarise(deal_line(), "auto")
    assert r["kind"] == "messages" and "toex messages parse" in r["detected"]
    assert len(r["flares"]) == 1
    f = r["flares"][0]
    assert f["recipients"] == 8 and f["messages"] == 8 and f["variants"] == 2
    assert [x["_row"] for x in f["rows"]] == list(range(1, 9))
    assert f["minutes"] == 3.5


def test_flare_tampered_spread_or_few_recipients_not_flagged():
    assert summarise(deal_line(spread_s=3600), "messages")["flares"] == []
    assert summarise(deal_line(customers=4), "messages")["flares"] == []
    # the options move the line
    r = summarise(deal_line(customers=4), "messages", message_options=MessageOptions(min_recipients=3))
    assert len(r["flares"]) == 1


def test_whatsapp_summary_pairs_activity_languages():
    df = parse(DATA / "whatsapp_ios.txt")
    df["text_lang"] = ["en"] * len(df)
    r = summarise(df)
    assert r["kind"] == "messages" and r["messages"] == 11 and r["system"] == 1
    pairs = {(p["sender"], p["to"]): p["messages"] for p in r["pairs"]}
    assert pairs == {("+44 7700 900546", "Jonno"): 6, ("Jonno", "+44 7700 900546"): 5}
    grid = r["activity"]["hour_by_weekday"]
    assert grid[1][20] == 6 and grid[2][0] == 2  # Tue 20:xx, Wed 00:xx (phone's clock)
    assert r["languages"][0]["counts"] == [{"lang": "en", "messages": 11}]


def test_cli_json_and_tables(tmp_path):
    p = tmp_path / "m.csv"
    deal_line().to_csv(p, index=False)
    r = run_cli(["summarise", p, "--json"])
    assert r.exit_code == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["kind"] == "messages" and len(rep["flares"]) == 1
    out = tmp_path / "s.xlsx"
    r = run_cli(["summarise", p, "-o", out, "--html", tmp_path / "s.html"])
    assert r.exit_code == 0, r.stderr
    sheets = pd.read_excel(out, sheet_name=None, engine="openpyxl")
    assert {"chats", "pairs", "activity", "flares"} <= set(sheets)
    assert len(sheets["flares"]) == 8
    assert "flare" in (tmp_path / "s.html").read_text(encoding="utf-8")
    r = run_cli(["summarise", p])
    assert r.exit_code == 0 and "bulk 'flare' messages (1)" in r.stdout
    r = run_cli(["summarise", p, "--flare-recipients", "1"])
    assert r.exit_code == 2


def test_real_pipe_parse_into_summarise():
    from conftest import REPO, run_toex

    xml = REPO / "examples" / "messages_sms_dealline.xml"
    p = run_toex(["messages", "parse", xml, "-o", "-", "--to", "arrow"])
    assert p.returncode == 0, p.stderr
    q = run_toex(["summarise", "-", "--json"], input=p.stdout)
    assert q.returncode == 0, q.stderr
    rep = json.loads(q.stdout)
    assert rep["kind"] == "messages" and rep["messages"] == 10
    assert [f["recipients"] for f in rep["flares"]] == [7]
    assert [x["_row"] for x in rep["flares"][0]["rows"]] == [3, 4, 5, 6, 7, 8, 9]
