"""toex messages parse: Messenger/Instagram (mojibake), mmssms.db, chat.db, signal-export and
forensic report sheets, each built here from fictional data."""

import json
import sqlite3

import openpyxl
import pytest

from conftest import run_cli
from toexcli.errors import DataError
from toexcli.messages import detect, parse
from toexcli.messages.imessage import attributed_text
from toexcli.messages.meta import fix_mojibake


def moji(s: str) -> str:
    """What Meta writes: each UTF-8 byte as its own \\u00XX character."""
    return s.encode("utf-8").decode("latin-1")


def messenger(tmp_path, *, wide=False, name="message_1.json", thread_type=True, cut=None):
    obj = {
        "participants": [{"name": moji("Radosław")}, {"name": "Jonno"}],
        "messages": [  # newest first, as Meta writes them
            {"sender_name": "Jonno", "timestamp_ms": 1743626400000, "content": "ok \U0001F44D" if wide else moji("ok 👍"),
             "is_geoblocked_for_viewer": False},
            {"sender_name": moji("Radosław"), "timestamp_ms": 1743626100000,
             "content": moji("Będę o ósmej"), "reactions": [{"reaction": moji("❤"), "actor": "Jonno"}]},
            {"sender_name": "Jonno", "timestamp_ms": 1743626000000, "content": "Liked a message"},
            {"sender_name": moji("Radosław"), "timestamp_ms": 1743625900000,
             "photos": [{"uri": "messages/inbox/x/photos/1.jpg", "creation_timestamp": 1743625900}]},
            {"sender_name": "Jonno", "timestamp_ms": 1743625800000, "is_unsent": True},
        ],
        "title": moji("Radosław"), "is_still_participant": True, "thread_path": "inbox/radoslaw_123",
        "magic_words": [],
    }
    if thread_type:
        obj["thread_type"] = "Regular"
    text = json.dumps(obj, ensure_ascii=True, indent=2)
    p = tmp_path / name
    p.write_bytes(("\ufeff" + (text[:cut] if cut else text)).encode("utf-8"))
    return p


def test_mojibake_repair_is_guarded():
    assert fix_mojibake(moji("Radosław")) == "Radosław"
    assert fix_mojibake("café") == "café"          # real Latin-1 text: does not round-trip
    assert fix_mojibake("Radosław") == "Radosław"  # real Unicode: cannot be latin-1 encoded
    assert fix_mojibake("plain") == "plain"


def test_messenger_file(tmp_path):
    df = parse(messenger(tmp_path))
    assert df["platform"].unique().tolist() == ["messenger"]
    assert df["chat"].iloc[0] == "Radosław"
    assert df["text"].tolist()[:2] == ["ok 👍", "Będę o ósmej"]
    assert df["sender"].tolist()[1] == "Radosław"
    assert df["kind"].tolist() == ["message", "message", "system", "message", "message"]
    assert df["attachment"].iloc[3] == "messages/inbox/x/photos/1.jpg"
    assert df["flags"].iloc[4] == "deleted"
    assert df["sent_utc"].iloc[0] == "2025-04-02T20:40:00Z"
    assert df["_row"].tolist() == [1, 2, 3, 4, 5]  # file order (newest first) kept
    assert any("mojibake" in n for n in df.attrs["reports"][0]["notes"])


def test_messenger_correct_unicode_left_alone(tmp_path):
    # a file that already holds real Unicode (an emoji above U+00FF) is not repaired
    p = messenger(tmp_path, wide=True)
    text = p.read_text(encoding="utf-8-sig").replace("\\u00c5\\u0082", "\\u0142")
    p.write_text(text, encoding="utf-8")
    df = parse(p)
    assert df["text"].iloc[0] == "ok \U0001F44D"


def test_instagram_and_truncated(tmp_path):
    d = tmp_path / "your_instagram_activity"
    d.mkdir()
    full = messenger(d, thread_type=False)
    size = len(full.read_text(encoding="utf-8-sig"))
    df = parse(full)
    assert df["platform"].unique().tolist() == ["instagram"]
    p = messenger(d, thread_type=False, name="message_2.json", cut=int(size * 0.55))
    cut = parse(p)
    assert 1 <= len(cut) < 5
    assert "not complete JSON" in cut.attrs["reports"][0]["broken"]


def make_mmssms(path):
    con = sqlite3.connect(path)
    con.executescript("""
    create table sms (_id integer primary key, thread_id integer, address text, person integer,
      date integer, date_sent integer, protocol integer, read integer, status integer, type integer,
      reply_path_present integer, subject text, body text, service_center text, locked integer,
      error_code integer, seen integer);
    insert into sms values (1, 1, '+447700900618', null, 1743621243512, 1743621239000, 0, 1, -1, 1, 0, null, 'Are you out?', null, 0, 0, 1);
    insert into sms values (2, 1, '07700 900618', null, 1743621647090, 0, 0, 1, -1, 2, 0, null, 'Yes' || char(10) || 'now', null, 0, 0, 1);
    insert into sms values (3, 2, '+447700900739', null, 1743667092004, 0, 0, 1, -1, 3, 0, null, 'draft text', null, 0, 0, 1);
    create table pdu (_id integer primary key, thread_id integer, date integer, msg_box integer, m_id text);
    create table part (_id integer primary key, mid integer, ct text, text text, name text, cl text);
    create table addr (_id integer primary key, msg_id integer, address text, type integer);
    insert into pdu values (7, 1, 1743679800, 1, 'mid-7');
    insert into part values (1, 7, 'application/smil', '<smil/>', null, 'smil.xml');
    insert into part values (2, 7, 'image/jpeg', null, 'IMG_1.jpg', 'IMG_1.jpg');
    insert into part values (3, 7, 'text/plain', 'the van', null, 'text_0.txt');
    insert into addr values (1, 7, '+447700900618', 137);
    insert into addr values (2, 7, 'insert-address-token', 151);
    """)
    con.commit()
    con.close()


def test_mmssms_db(tmp_path):
    p = tmp_path / "mmssms.db"
    make_mmssms(p)
    assert detect(str(p)) == "mmssms"
    df = parse(p)
    assert df["direction"].tolist() == ["in", "out", "out", "in"]
    assert df["text"].tolist() == ["Are you out?", "Yes\nnow", "draft text", "the van"]
    assert df["flags"].tolist() == ["", "", "draft", ""]
    assert df["sent_utc"].tolist()[0] == "2025-04-02T19:14:03.512Z"
    assert df["sent_utc"].tolist()[3] == "2025-04-03T11:30:00Z"  # pdu.date is seconds
    assert df.iloc[3]["attachment"] == "IMG_1.jpg" and df.iloc[3]["sender"] == "+447700900618"


def typedstream(text: str) -> bytes:
    raw = text.encode("utf-8")
    length = bytes([len(raw)]) if len(raw) < 0x80 else b"\x81" + len(raw).to_bytes(2, "little")
    return (b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84"
            b"\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+" + length + raw
            + b"\x86\x84\x02iI\x01\x05\x92\x84\x84\x84\x0cNSDictionary\x00")


def make_chatdb(path):
    con = sqlite3.connect(path)
    con.executescript("""
    create table handle (ROWID integer primary key, id text, service text);
    create table chat (ROWID integer primary key, chat_identifier text, display_name text);
    create table chat_message_join (chat_id integer, message_id integer);
    create table chat_handle_join (chat_id integer, handle_id integer);
    create table message (ROWID integer primary key, guid text, text text, attributedBody blob,
      handle_id integer, service text, date integer, is_from_me integer,
      associated_message_type integer default 0, associated_message_guid text,
      thread_originator_guid text, date_edited integer default 0, item_type integer default 0);
    create table attachment (ROWID integer primary key, filename text, transfer_name text);
    create table message_attachment_join (message_id integer, attachment_id integer);
    insert into handle values (1, '+447700900546', 'iMessage');
    insert into chat values (1, '+447700900546', '');
    insert into chat_handle_join values (1, 1);
    """)
    rows = [
        (1, "G1", "old style seconds", None, 1, "SMS", 764467200, 0, 0, None, None, 0),
        (2, "G2", None, typedstream("text only in attributedBody"), 1, "iMessage",
         764467260_000000000, 1, 0, None, None, 0),
        (3, "G3", "Loved “text only in attributedBody”", None, 1, "iMessage", 764467270_000000000,
         0, 2000, "p:0/G2", None, 0),
        (4, "G4", "reply here", None, 1, "iMessage", 764467280_000000000, 0, 0, None, "G2",
         764467290_000000000),
    ]
    con.executemany("insert into message (ROWID, guid, text, attributedBody, handle_id, service, date,"
                    " is_from_me, associated_message_type, associated_message_guid,"
                    " thread_originator_guid, date_edited) values (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    con.executemany("insert into chat_message_join values (1, ?)", [(1,), (2,), (3,), (4,)])
    con.execute("insert into attachment values (1, '~/Library/Messages/Attachments/a.heic', 'a.heic')")
    con.execute("insert into message_attachment_join values (4, 1)")
    con.commit()
    con.close()


def test_chat_db(tmp_path):
    p = tmp_path / "chat.db"
    make_chatdb(p)
    assert detect(str(p)) == "imessage"
    assert attributed_text(typedstream("x" * 300)) == "x" * 300
    df = parse(p, owner="Jonno")
    assert df["text"].tolist()[:2] == ["old style seconds", "text only in attributedBody"]
    assert df["kind"].tolist() == ["message", "message", "reaction", "message"]
    assert df["sent_utc"].tolist()[:2] == ["2025-03-24T00:00:00Z", "2025-03-24T00:01:00Z"]
    assert df["direction"].tolist() == ["in", "out", "in", "in"]
    assert df.iloc[1]["sender"] == "Jonno" and df.iloc[1]["recipients"] == "+447700900546"
    assert df.iloc[0]["platform"] == "sms"
    assert df.iloc[3]["flags"] == "edited;reply" and df.iloc[3]["reply_to"] == "G2"
    assert df.iloc[3]["attachment"] == "a.heic"


def test_signal_export(tmp_path):
    d = tmp_path / "Rafi"
    d.mkdir()
    lines = [
        {"date": "2025-03-18 20:14:02", "sender": "Rafi", "body": "You about?", "quote": "",
         "sticker": "", "reactions": [], "attachments": []},
        {"date": "2025-03-18 20:15:40", "sender": "Me", "body": "yes", "quote": "> You about?",
         "sticker": "", "reactions": [], "attachments": [{"name": "a.jpg", "path": "media/a.jpg"}]},
    ]
    p = d / "data.json"
    p.write_text("\n".join(json.dumps(x) for x in lines) + "\n{\"date\": \"2025-03", encoding="utf-8")
    df = parse(p, tz="Europe/London")
    assert df["platform"].unique().tolist() == ["signal"] and df["chat"].iloc[0] == "Rafi"
    assert df["direction"].tolist() == ["in", "out"]
    assert df["sent_utc"].tolist() == ["2025-03-18T20:14:02Z", "2025-03-18T20:15:40Z"]
    assert df["flags"].tolist() == ["", "reply"] and df["attachment"].iloc[1] == "a.jpg"
    assert "line 3" in df.attrs["reports"][0]["broken"]
    md = d / "chat.md"
    md.write_text("[2025-03-18 20:14:02] Rafi: You about?\n[2025-03-18 20:15:40] Me: yes\nsecond line\n",
                  encoding="utf-8")
    m = parse(md)
    assert m["platform"].unique().tolist() == ["signal"]
    assert m["text"].tolist() == ["You about?", "yes\nsecond line"]
    assert m["direction"].tolist() == ["in", "out"]


def test_forensic_report_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chats"
    ws.append(["Extraction report - Chats"])
    ws.append([])
    ws.append(["#", "Timestamp: Time", "Parties", "Direction", "Body", "Source", "_ChatId", "Deleted"])
    ws.append([1, "18/03/2025 20:14:02(UTC+0)", "From: +447700900546 Rafi\nTo: +447700900123 Jonno",
               "Incoming", "Need 2 more lads", "WhatsApp", "c1", ""])
    ws.append([2, "18/03/2025 20:15:40(UTC+0)", "From: +447700900123 Jonno\nTo: +447700900546 Rafi",
               "Outgoing", "ok", "WhatsApp", "c1", "Deleted"])
    other = wb.create_sheet("Contacts")
    other.append(["Name", "Phone"])
    p = tmp_path / "report.xlsx"
    wb.save(p)
    df = parse(p)
    assert df["sender"].tolist() == ["+447700900546 Rafi", "+447700900123 Jonno"]
    assert df["recipients"].iloc[0] == "+447700900123 Jonno"
    assert df["sent_utc"].tolist() == ["2025-03-18T20:14:02Z", "2025-03-18T20:15:40Z"]
    assert df["tz_status"].tolist() == ["declared", "declared"]
    assert df["sent_local"].iloc[0] == "2025-03-18T20:14:02"
    assert df["direction"].tolist() == ["in", "out"] and df["flags"].tolist() == ["", "deleted"]
    assert df["platform"].tolist() == ["whatsapp", "whatsapp"] and df["_row"].tolist() == [4, 5]


def test_forensic_report_csv_without_zone(tmp_path):
    p = tmp_path / "sms.csv"
    p.write_text("Report\nTimestamp,From,To,Body,Direction\n"
                 "18/03/2025 20:14,+447700900546,+447700900123,hello,Incoming\n", encoding="utf-8")
    df = parse(p)
    assert (df["sent_local"].iloc[0], df["sent_utc"].iloc[0]) == ("2025-03-18T20:14:00", "")
    df = parse(p, tz="Europe/London")
    assert df["sent_utc"].iloc[0] == "2025-03-18T20:14:00Z"


def test_formats_command_and_unreadable_db(tmp_path):
    r = run_cli(["messages", "formats"])
    assert r.exit_code == 0 and "whatsapp" in r.stdout and "imessage" in r.stdout
    p = tmp_path / "other.db"
    con = sqlite3.connect(p)
    con.execute("create table t (x)")
    con.commit()
    con.close()
    with pytest.raises(DataError):
        parse(p)
