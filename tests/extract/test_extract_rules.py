"""The rules of `toex extract`: output columns, masking, ambiguity, offsets, provenance, CLI."""

import io
import json

import pandas as pd
import pytest

from conftest import run_cli, run_toex
from toexcli.errors import UsageError
from toexcli.extract import KINDS, extract, find_in_text, luhn_ok, mask_digits, parse_kinds

COLUMNS = ["column", "kind", "value", "normalised", "valid", "confidence", "status", "detail",
           "start", "end", "context"]


def kinds_of(text, **kw):
    return [(h["kind"], h["normalised"]) for h in find_in_text(text, **kw)]


def test_offsets_point_at_the_value_as_written():
    text = ("pick up from AB12 CDE at 10, send to 20-00-00 55779911, my new number 07700 900123, "
            "insta @example_user, mail X@Example.com, see www.example.org/a, 192.0.2.1, M1 1AE, "
            "GB33BUKB20201555555555, imei 352099001761481")
    hits = find_in_text(text)
    assert {h["kind"] for h in hits} == {"vrm", "sortcode_account", "phone", "handle", "email", "url",
                                         "ip", "postcode", "iban", "imei"}
    for h in hits:
        assert text[h["start"]:h["end"]] == h["value"], h


def test_card_masked_everywhere_unless_unmask():
    text = "card 4111 1111 1111 1111 exp 12/25 and call 07700 900123"
    hits = find_in_text(text)
    card = [h for h in hits if h["kind"] == "card"][0]
    assert card["value"] == "**** **** **** 1111"
    assert card["normalised"] == "************1111"
    assert card["detail"] == {"brand": "visa", "last4": "1111"}
    for h in hits:  # no context snippet leaks the number either
        assert "4111 1111" not in h["context"]
    full = [h for h in find_in_text(text, unmask=True) if h["kind"] == "card"][0]
    assert full["value"] == "4111 1111 1111 1111" and full["normalised"] == "4111111111111111"
    assert "4111 1111 1111 1111" in full["context"]


def test_ambiguous_string_gives_two_rows_with_confidence():
    hits = find_in_text("amex 378282246310005", unmask=True)
    assert [(h["kind"], h["normalised"]) for h in hits] == [
        ("card", "378282246310005"), ("imei", "378282246310005")]
    assert all(0 < h["confidence"] < 1 for h in hits)
    assert hits[0]["start"] == hits[1]["start"] and hits[0]["end"] == hits[1]["end"]


@pytest.mark.parametrize("text", [
    "meet at 10 AM", "see u at 9 PM", "on my way 5 MIN", "RTX 3080 for sale", "room 12",
    "part HP305XL ink", "order AB123456", "ref ABC123", "model MX12 ABCD", "code AB12-CDE-99",
    "reg IQ12 ABC", "AB00 CDE", "EY66 WQP", "at10 min", "size 10 UK", "AB1 2CI",
])
def test_traps_find_no_vrm_or_postcode(text):
    assert [k for k, _ in kinds_of(text) if k in ("vrm", "postcode")] == []


@pytest.mark.parametrize("text, vrm, fmt, period", [
    ("reg AB12 CDE", "AB12CDE", "current", "2012-03/2012-08"),
    ("reg AB62 CDE", "AB62CDE", "current", "2012-09/2013-02"),
    ("car A123 BCD", "A123BCD", "prefix", "1983-08/1984-07"),
    ("car ABC 123D", "ABC123D", "suffix", "1966-01/1966-12"),
    ("car ABZ 1234", "ABZ1234", "northern_ireland", ""),
    ("plate 1234 AB", "1234AB", "dateless", ""),
    ("plate ABC 123", "ABC123", "dateless", ""),
])
def test_vrm_formats_and_periods(text, vrm, fmt, period):
    (h,) = [h for h in find_in_text(text) if h["kind"] == "vrm"]
    assert h["normalised"] == vrm and h["detail"]["format"] == fmt
    assert h["detail"].get("period", "") == period


def test_dateless_marks_need_a_vehicle_word():
    assert kinds_of("it was ABC 123") == []
    assert kinds_of("his car was ABC 123") == [("vrm", "ABC123")]


def test_handles_platforms():
    got = {h["normalised"]: h["detail"].get("platform", "") for h in find_in_text(
        "insta @a_b, snap @c.d1, tiktok @e_f, telegram @gh_ij_k, wa @kl_m, @plain_1, t.me/chan_nel")
        if h["kind"] == "handle"}
    assert got == {"@a_b": "instagram", "@c.d1": "snapchat", "@e_f": "tiktok",
                   "@gh_ij_k": "telegram", "@kl_m": "whatsapp", "@plain_1": "", "@chan_nel": "telegram"}
    assert kinds_of("see you @10pm, i'm @home, meet @ 9") == []


def test_iban_checksum_and_bank():
    (ok,) = find_in_text("iban GB33 BUKB 2020 1555 5555 55")
    assert ok["valid"] and ok["detail"]["bank"] == "BARCLAYS BANK UK PLC"
    assert ok["detail"]["sort_code"] == "20-20-15" and ok["detail"]["account"] == "55555555"
    (bad,) = find_in_text("iban GB34BUKB20201555555555")
    assert not bad["valid"] and "mod-97" in bad["status"]


def test_luhn_and_mask_helpers():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert luhn_ok("352099001761481")
    assert mask_digits("4111-1111-1111-1111") == "****-****-****-1111"


def test_imei_keeps_type_allocation_code():
    (h,) = find_in_text("imei 35-209900-176148-1")
    assert h["normalised"] == "352099001761481" and h["detail"]["tac"] == "35209900"
    assert find_in_text("imei 352099001761482") == []  # check digit wrong


def test_parse_kinds():
    assert parse_kinds(None) == list(KINDS)
    assert parse_kinds("vrm, phone") == ["phone", "vrm"]
    assert parse_kinds(["cards", "postcodes"]) == ["postcode", "card"]
    with pytest.raises(UsageError, match="did you mean 'vrm'"):
        parse_kinds("vrn")


def test_extract_frame_provenance_keep_and_columns():
    df = pd.DataFrame({
        "sender": ["A", "B", "C", "D"],
        "body": ["car AB12 CDE", "nothing", None, "mail a@example.com or AB12 CDE"],
        "note": ["M1 1AE", "", "call 07700 900123", ""],
        "_source": ["chat.csv"] * 4, "_row": [1, 2, 3, 4],
    })
    df = df.astype({"sender": "str", "body": "str", "note": "str", "_source": "str"})
    out = extract(df, ["body", "note"], keep=["sender"])
    assert list(out.columns) == ["_source", "_row", "sender"] + COLUMNS
    assert list(zip(out["_row"], out["column"], out["kind"])) == [
        (1, "body", "vrm"), (1, "note", "postcode"), (3, "note", "phone"),
        (4, "body", "email"), (4, "body", "vrm")]
    assert list(out["sender"]) == ["A", "A", "C", "D", "D"]
    assert df["body"].tolist()[0] == "car AB12 CDE"  # input untouched
    empty = extract(df.iloc[[1]], "body")
    assert len(empty) == 0 and list(empty.columns) == ["_source", "_row"] + COLUMNS


def test_extract_without_provenance_numbers_rows_from_one():
    df = pd.DataFrame({"t": ["x", "reg AB12 CDE"]}, dtype="str")
    out = extract(df, "t", row_offset=10)
    assert list(out["_row"]) == [12]


def test_extract_missing_column():
    with pytest.raises(UsageError, match="did you mean 'body'"):
        extract(pd.DataFrame({"body": ["x"]}), "bdy")


CHAT = ("sender,message\n"
        "A,\"pick up from AB12 CDE at 10 AM, ring 07700 900123\"\n"
        "B,card 4111 1111 1111 1111\n"
        "C,nothing here\n"
        "D,send to 20-00-00 55779911\n")


def test_cli_csv_to_stdout():
    r = run_cli(["extract", "-", "-c", "message", "--keep", "sender"], input=CHAT)
    assert r.exit_code == 0, r.stderr
    out = pd.read_csv(io.StringIO(r.stdout), dtype=str, keep_default_na=False)
    assert list(out.columns) == ["_source", "_row", "sender"] + COLUMNS
    assert list(zip(out["_row"], out["kind"], out["normalised"])) == [
        ("1", "vrm", "AB12CDE"), ("1", "phone", "+447700900123"),
        ("2", "card", "************1111"), ("4", "sortcode_account", "20-00-00 55779911")]
    assert "4111" not in r.stdout.replace("1111 1111 1111", "")


def test_cli_kinds_unmask_and_errors():
    r = run_cli(["extract", "-", "-c", "message", "--kinds", "card", "--unmask"], input=CHAT)
    assert r.exit_code == 0 and "4111 1111 1111 1111" in r.stdout and "AB12CDE" not in r.stdout
    r = run_cli(["extract", "-", "-c", "mesage"], input=CHAT)
    assert r.exit_code == 2 and "did you mean 'message'" in r.stderr
    r = run_cli(["extract", "-", "-c", "message", "--kinds", "vrn"], input=CHAT)
    assert r.exit_code == 2 and "did you mean 'vrm'" in r.stderr
    r = run_cli(["extract", "-"], input=CHAT)
    assert r.exit_code == 2 and "-c" in r.stderr
    r = run_cli(["extract", "--help"])
    assert r.exit_code == 0 and "Examples" in r.stdout


def test_real_process_text_file_and_pipe(tmp_path):
    src = tmp_path / "notes.txt"
    src.write_text("line one\nthe van is YK19 FVX\nmail me at z@example.org\n", encoding="utf-8")
    r = run_toex(["extract", src, "-o", tmp_path / "hits.jsonl"])
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in (tmp_path / "hits.jsonl").read_text().splitlines()]
    assert [(x["_row"], x["kind"], x["normalised"]) for x in rows] == [
        (2, "vrm", "YK19FVX"), (3, "email", "z@example.org")]
    r = run_toex(["extract", "-", "-c", "message", "--kinds", "vrm,sortcode_account"], input=CHAT)
    assert r.returncode == 0, r.stderr
    assert b"AB12CDE" in r.stdout and b"20-00-00 55779911" in r.stdout and b"+44" not in r.stdout


def test_offsets_are_per_message_in_a_batch_with_quiet_messages():
    from toexcli.extract import search_texts

    texts = ["ok", "btc 12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX pls", "on my way",
             "car AB12 CDE", "", "mail z@example.org"]
    found = search_texts(texts)
    assert [[(h.kind, texts[i][h.start:h.end]) for h in hs] for i, hs in enumerate(found)] == [
        [], [("crypto", "12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX")], [], [("vrm", "AB12 CDE")], [],
        [("email", "z@example.org")]]


@pytest.mark.parametrize("text, expected", [
    ("car ref ABC123", []),
    ("van order no AB1234", []),
    ("his car reg ABC 123", [("vrm", "ABC123")]),
    ("plate number 1234 AB", [("vrm", "1234AB")]),
    ("van reg no: ABC 123", [("vrm", "ABC123")]),
])
def test_dateless_mark_after_a_reference_word(text, expected):
    assert kinds_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("im at home.in 5", []), ("call.me later", []), ("ok.so what", []), ("go.to bed", []),
    ("see example.com", [("url", "http://example.com")]),
    ("wa.me/447700900123", [("url", "http://wa.me/447700900123"), ("phone", "+447700900123")]),
])
def test_bare_hosts_and_wa_me_links(text, expected):
    assert kinds_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("paid on 12-03-20 12345678 ref", []),
    ("dated 01-02-03 12345678", []),
    ("acc 12345678 04-00-04", [("sortcode_account", "04-00-04 12345678")]),
    ("12345678 04-03-24", []),
    ("send to 20-00-00 55779911", [("sortcode_account", "20-00-00 55779911")]),
])
def test_sort_code_account_versus_dates(text, expected):
    assert kinds_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("script type P2PKH", []),
    ("his car is P123ABC", [("vrm", "P123ABC")]),
    ("old one P123 ABC", [("vrm", "P123ABC")]),
    ("447700900158@s.whatsapp.net", [("phone", "+447700900158")]),
])
def test_run_together_old_plates_and_whatsapp_ids(text, expected):
    assert kinds_of(text) == expected
