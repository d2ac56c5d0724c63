"""toex messages parse: the practice exports, WhatsApp traps, Telegram, SMS XML, truncation."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_cli, run_toex
from toexcli.errors import DataError, UsageError
from toexcli.messages import parse
from toexcli.schema import MESSAGES

DATA = Path(__file__).parent / "data"


def rows(df, kinds_out=("system",)):
    return df[~df["kind"].isin(kinds_out)].reset_index(drop=True)


@pytest.mark.parametrize("name", ["whatsapp_android.txt", "whatsapp_ios.txt",
                                  "telegram_result.json", "sms_backup_restore.xml"])
def test_practice_files_match_expected(name):
    df = parse(DATA / name)
    exp = pd.read_csv(DATA / f"{name}.expected.csv", dtype=str, keep_default_na=False)
    assert len(df) == len(exp)
    assert df["kind"].tolist() == exp["kind"].tolist()
    for (_, g), (_, e) in zip(df.iterrows(), exp.iterrows()):
        if e["timestamp"].endswith("+00:00"):
            want = pd.Timestamp(e["timestamp"]).tz_convert("UTC")
            assert pd.Timestamp(g["sent_utc"]) == want
            assert g["tz_status"] == "declared"
        else:
            assert g["sent_local"] == e["timestamp"]
        if e["sender"]:
            assert g["sender"] == e["sender"]
        assert g["text"] == e["text"]
    assert list(df.columns[: len(MESSAGES.names)]) == MESSAGES.names
    assert list(df.columns[-2:]) == ["_source", "_row"]


def test_whatsapp_android_details():
    df = parse(DATA / "whatsapp_android.txt")
    assert df["chat"].unique().tolist() == ["Lot 7"]  # from "created group “Lot 7”"
    multi = df[df["text"].str.startswith("Plan for today")].iloc[0]
    assert multi["_row"] == 11 and multi["text"].endswith("15/03/2025 is the last day we use this group")
    assert df.loc[df["text"] == "<Media omitted>", "attachment"].tolist() == ["<Media omitted>"]
    assert df.loc[df["text"] == "This message was deleted", "flags"].tolist() == ["deleted"]
    assert (df["sent_utc"] == "").all()  # no zone in the file and none given
    assert "--tz" in " ".join(df.attrs["reports"][0]["notes"])


def test_whatsapp_tz_fills_utc_and_owner_direction():
    df = parse(DATA / "whatsapp_ios.txt", tz="Europe/London", owner="Jonno")
    first = df.iloc[2]
    assert (first["sender"], first["sent_local"], first["sent_utc"], first["tz_status"]) == \
        ("Jonno", "2025-03-18T20:15:40", "2025-03-18T20:15:40Z", "assumed")
    assert first["direction"] == "out"
    assert df.iloc[1]["direction"] == "in"
    assert df.iloc[0]["kind"] == "system" and df.iloc[0]["direction"] == ""


def test_whatsapp_ios_marks_removed_and_attachment():
    df = parse(DATA / "whatsapp_ios.txt")
    assert not df["text"].str.contains("\u200e").any()
    att = df[df["text"].str.startswith("<attached:")].iloc[0]
    assert att["attachment"] == "00000007-PHOTO-2025-03-18-20-17-30.jpg"
    assert df.iloc[0]["kind"] == "system" and df.iloc[0]["sender"] == "+44 7700 900546"


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


AMBIG = ("03/04/2025, 10:00 - Ana: one\n"
         "04/05/2025, 11:30 - Ben: two\n")


def test_ambiguous_dates_default_uk_dayfirst_and_said(tmp_path):
    df = parse(write(tmp_path, "a.txt", AMBIG))
    assert df["sent_local"].tolist() == ["2025-04-03T10:00:00", "2025-05-04T11:30:00"]
    assert "day first (UK default" in " ".join(df.attrs["reports"][0]["notes"])


def test_ambiguous_dates_monthfirst_option(tmp_path):
    df = parse(write(tmp_path, "a.txt", AMBIG), dayfirst=False)
    assert df["sent_local"].tolist() == ["2025-03-04T10:00:00", "2025-04-05T11:30:00"]


def test_order_decided_from_whole_file(tmp_path):
    text = AMBIG + "12/25/2025, 09:00 - Ana: christmas\n"  # 25 only fits month first
    df = parse(write(tmp_path, "a.txt", text))
    assert df["sent_local"].tolist() == ["2025-03-04T10:00:00", "2025-04-05T11:30:00",
                                         "2025-12-25T09:00:00"]


def test_nnbsp_and_12h_and_localised_ampm(tmp_path):
    text = ("[1/2/25, 12:05:00\u202fAM] Ana: midnight\n"
            "[1/2/25, 12:05:00\u202fPM] Ana: noon\n"
            "[13/2/25, 7:15:09\u202fPM] Ben: evening\n")
    df = parse(write(tmp_path, "i.txt", text))
    assert df["sent_local"].tolist() == ["2025-02-01T00:05:00", "2025-02-01T12:05:00",
                                         "2025-02-13T19:15:09"]
    text2 = ("20/06/2020, 00:08 a.\u00a0m. - Ana: hola\n"
             "20/06/2020, 3:45 p.\u00a0m. - Ben: adiós\n")
    df2 = parse(write(tmp_path, "es.txt", text2))
    assert df2["sent_local"].tolist() == ["2020-06-20T00:08:00", "2020-06-20T15:45:00"]


def test_other_shapes(tmp_path):
    cases = {
        "13.6.2018 klo 21.25.15 - Matti: Moi\n": ("2018-06-13T21:25:15", "Matti", "Moi"),
        "2019/01/31, 09:05 - 李雷: 你好\n": ("2019-01-31T09:05:00", "李雷", "你好"),
        "[2018-06-13, 08:01:02] Ana: hi\n": ("2018-06-13T08:01:02", "Ana", "hi"),
        "12/07/2017 à 22:35 - Zoé: salut\n": ("2017-07-12T22:35:00", "Zoé", "salut"),
        "6/20/20, 8:05 pm – Bob: en dash\n": ("2020-06-20T20:05:00", "Bob", "en dash"),
        "\ufeff[29.01.18, 12:24:03] \ufeffJu\ufeffKo: x\ufeffy\n": ("2018-01-29T12:24:03", "JuKo", "xy"),
    }
    for i, (line, want) in enumerate(cases.items()):
        df = parse(write(tmp_path, f"s{i}.txt", line))
        got = df.iloc[0]
        assert (got["sent_local"], got["sender"], got["text"]) == want, line


def test_continuation_line_in_another_style_stays_in_message(tmp_path):
    text = ("[14/03/2025, 20:51:00] Ana: forwarding this:\n"
            "14/03/2025, 20:40 - Ben: pasted from another chat\n"
            "[14/03/2025, 20:52:10] Ben: ok\n")
    df = parse(write(tmp_path, "c.txt", text))
    assert len(df) == 2
    assert df.iloc[0]["text"] == "forwarding this:\n14/03/2025, 20:40 - Ben: pasted from another chat"
    assert df["_row"].tolist() == [1, 3]


def test_colons_empty_text_system_and_file_order(tmp_path):
    text = ("14/03/2025, 20:51 - Ana: The final test: Does it work?: yes\n"
            "14/03/2025, 20:50 - Ben:\n"  # out of time order: kept where it is
            "14/03/2025, 20:52 - Ana changed the subject from \"A\" to \"B: c\"\n"
            "14/03/2025, 20:53 - Ana: location: https://maps.google.com/?q=50.94,6.95\n"
            "14/03/2025, 20:54 - Ben: IMG-20210428-WA0001.jpg (file attached)\n"
            "14/03/2025, 20:55 - Ben: fixed it <This message was edited>\n")
    df = parse(write(tmp_path, "c.txt", text))
    assert df["text"].tolist()[:2] == ["The final test: Does it work?: yes", ""]
    assert df["kind"].tolist() == ["message", "message", "system", "location", "message", "message"]
    assert df.iloc[2]["sender"] == ""
    assert df.iloc[4]["attachment"] == "IMG-20210428-WA0001.jpg"
    assert df.iloc[5]["flags"] == "edited"
    assert df["sent_local"].tolist()[:2] == ["2025-03-14T20:51:00", "2025-03-14T20:50:00"]


def test_impossible_date_kept_with_problem(tmp_path):
    text = "31/02/2025, 10:00 - Ana: odd\n01/03/2025, 10:00 - Ana: fine\n"
    df = parse(write(tmp_path, "c.txt", text), tz="Europe/London")
    assert df.iloc[0]["sent_local"] == "" and df.iloc[0]["tz_status"] == "unreadable"
    assert "31/02/2025" in df.iloc[0]["problem"]
    assert df.iloc[0]["text"] == "odd"


def test_preamble_without_time_is_kept(tmp_path):
    text = "Messages are end-to-end encrypted.\n2024/1/2 10:00 - Bob: Hi\n"
    df = parse(write(tmp_path, "p.txt", text))
    assert df["kind"].tolist() == ["system", "message"]
    assert df["_row"].tolist() == [1, 2]


def test_zip_export(tmp_path):
    z = tmp_path / "WhatsApp Chat - Rafi.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(DATA / "whatsapp_ios.txt", "_chat.txt")
        zf.writestr("00000007-PHOTO-2025-03-18-20-17-30.jpg", b"\xff\xd8")
    df = parse(z)
    assert len(df) == 12 and df["chat"].unique().tolist() == ["Rafi"]
    assert df["_source"].iloc[0].endswith("WhatsApp Chat - Rafi.zip!/_chat.txt")


def test_utf16_export(tmp_path):
    p = write(tmp_path, "u.txt", "\ufeff14/03/2025, 20:51 - Ana: Përshëndetje\n", "utf-16-le")
    assert parse(p)["text"].tolist() == ["Përshëndetje"]


# ----------------------------------------------------------------------------------- Telegram
def test_telegram_parts_concatenated_and_flags():
    df = parse(DATA / "telegram_result.json")
    pay = df[df["message_id"] == "8815"].iloc[0]
    assert pay["text"].startswith("Pay the deposit in USDT to TB9P325")
    reply = df[df["message_id"] == "8816"].iloc[0]
    assert reply["flags"] == "edited;reply" and reply["reply_to"] == "8815"
    call = df[df["kind"] == "system"].iloc[0]
    assert call["attachment"].startswith("action: phone_call")
    assert pay["sent_local"] == "2025-03-30T10:15:22"  # the exporting PC's BST clock, as written


FULL = {
    "about": "Here is the data you requested.",
    "personal_information": {"user_id": 111, "first_name": "Jonno"},
    "chats": {"about": "...", "list": [
        {"name": "Valon T", "type": "personal_chat", "id": 222, "messages": [
            {"id": 1, "type": "message", "date": "2025-01-10T09:00:00", "date_unixtime": "1736499600",
             "from": "Valon T", "from_id": "user222", "text": "hi"},
            {"id": 2, "type": "message", "date": "2025-01-10T09:01:00", "date_unixtime": "1736499660",
             "from": "Jonno", "from_id": "user111",
             "text": ["see ", {"type": "link", "text": "https://example.org"}, ""],
             "forwarded_from": "News"}]},
        {"name": "Crew", "type": "private_group", "id": 333, "messages": [
            {"id": 5, "type": "service", "date": "2025-01-11T08:00:00", "date_unixtime": "1736582400",
             "actor": "Jonno", "actor_id": "user111", "action": "create_group", "title": "Crew",
             "text": ""}]}]},
    "left_chats": {"about": "", "list": [
        {"name": "Old", "type": "private_supergroup", "id": 444, "messages": [
            {"id": 9, "type": "message", "date": "2024-12-01 07:00:00", "from": "Ana",
             "from_id": 555, "text": "old layout"}]}]},
}


def test_telegram_full_export(tmp_path):
    p = write(tmp_path, "result.json", json.dumps(FULL, ensure_ascii=False))
    df = parse(p)
    assert df["chat"].tolist() == ["Valon T", "Valon T", "Crew", "Old"]
    assert df["direction"].tolist() == ["in", "out", "", "in"]
    assert df.iloc[1]["text"] == "see https://example.org" and df.iloc[1]["flags"] == "forwarded"
    old = df.iloc[3]  # old layout: no date_unixtime, numeric from_id
    assert old["sent_utc"] == "" and old["sent_local"] == "2024-12-01 07:00:00"
    assert df.attrs["reports"][0]["format"] == "telegram-full-export"
    df2 = parse(p, tz="Europe/London")
    assert df2.iloc[3]["sent_utc"] == "2024-12-01T07:00:00Z"
    assert df2.iloc[3]["tz_status"] == "assumed"


def test_telegram_truncated_keeps_complete_messages(tmp_path):
    text = (DATA / "telegram_result.json").read_text(encoding="utf-8")
    cut = text[: text.index('"id": 8816')]
    p = write(tmp_path, "result.json", cut)
    df = parse(p)
    assert df["message_id"].tolist() == ["8812", "8813", "8814", "8815"]
    assert "not complete JSON" in df.attrs["reports"][0]["broken"]


# ---------------------------------------------------------------------------------- SMS XML
def test_sms_xml_directions_and_mms():
    df = parse(DATA / "sms_backup_restore.xml", owner="Me")
    assert df["direction"].tolist() == ["in", "out", "in", "in"]
    assert df.iloc[1]["sender"] == "Me" and df.iloc[1]["recipients"] == "+447700900618"
    mms = df.iloc[3]
    assert (mms["kind"], mms["attachment"], mms["recipients"]) == ("mms", "IMG_0412.png", "+447700900583")
    assert df.iloc[0]["sent_utc"] == "2025-04-02T19:14:03.512Z"


def test_sms_xml_truncated_keeps_complete_records(tmp_path):
    data = (DATA / "sms_backup_restore.xml").read_bytes()
    cut = data[: data.index(b"<mms ") + 200]
    p = tmp_path / "sms.xml"
    p.write_bytes(cut)
    df = parse(p)
    assert len(df) == 3 and df["kind"].tolist() == ["sms", "sms", "sms"]
    assert "XML breaks at line" in df.attrs["reports"][0]["broken"]


# -------------------------------------------------------------------------------------- CLI
def test_cli_writes_csv_and_exit_codes(tmp_path):
    r = run_cli(["messages", "parse", DATA / "whatsapp_android.txt"])
    assert r.exit_code == 0, r.stderr
    out = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(out) == 18 and out[4]["sender"] == "Dardan"
    assert "dates read day first" in r.stderr


def test_cli_truncated_exit_1_unless_partial_ok(tmp_path):
    data = (DATA / "sms_backup_restore.xml").read_bytes()
    p = tmp_path / "sms.xml"
    p.write_bytes(data[: data.index(b"<mms ") + 200])
    out = tmp_path / "o.csv"
    r = run_cli(["messages", "parse", p, "-o", out])
    assert r.exit_code == 1 and "XML breaks at line" in r.stderr
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 3  # still written
    r = run_cli(["messages", "parse", p, "--partial-ok"])
    assert r.exit_code == 0


def test_cli_bad_inputs(tmp_path):
    junk = write(tmp_path, "junk.txt", "hello\nworld\n")
    r = run_cli(["messages", "parse", junk])
    assert r.exit_code == 1 and "not a message export" in r.stderr
    r = run_cli(["messages", "parse", DATA / "whatsapp_ios.txt", "--dayfirst", "--monthfirst"])
    assert r.exit_code == 2
    r = run_cli(["messages", "parse", DATA / "whatsapp_ios.txt", "--tz", "Mars/Olympus"])
    assert r.exit_code == 2 and "not a time zone" in r.stderr
    r = run_cli(["messages", "parse", tmp_path / "missing.txt"])
    assert r.exit_code in (1, 2)
    r = run_cli(["messages", "parse", DATA / "whatsapp_ios.txt", "--format", "whatsap"])
    assert r.exit_code == 2 and "did you mean" in r.stderr
    with pytest.raises(DataError):
        parse(junk)
    with pytest.raises(UsageError):
        parse(DATA / "whatsapp_ios.txt", tz="Nowhere/Else")


def test_real_pipe_stdin_to_stdout():
    data = (DATA / "whatsapp_android.txt").read_bytes()
    p = run_toex(["messages", "parse", "-", "--tz", "Europe/London"], input=data)
    assert p.returncode == 0, p.stderr
    out = list(csv.DictReader(io.StringIO(p.stdout.decode("utf-8"))))
    assert len(out) == 18 and out[4]["sent_utc"] == "2025-03-14T20:55:00Z"
    q = run_toex(["convert", "-", "-o", "-", "--to", "jsonl"], input=p.stdout)
    assert q.returncode == 0 and q.stdout.count(b"\n") == 18


def test_no_space_after_colon_for_known_author(tmp_path):
    text = ("2024/1/2 10:00 - Bob: Hi\n"
            "2024/1/2 10:01 - Bob:Hi again\n"
            "2024/1/2 10:02 - Meeting:10 moved\n")
    df = parse(write(tmp_path, "n.txt", text))
    assert df["sender"].tolist() == ["Bob", "Bob", ""]
    assert df["text"].tolist() == ["Hi", "Hi again", "Meeting:10 moved"]
    assert df["kind"].tolist() == ["message", "message", "system"]
