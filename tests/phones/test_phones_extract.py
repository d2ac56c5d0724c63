"""Extraction from free text: the matcher's leniency trade-off, and the context rules that
avoid both its misses (VALID finds no drama numbers) and its false hits (POSSIBLE matches
order numbers and codes)."""

import pandas as pd
import pytest

from toexcli.errors import UsageError
from toexcli.phones import extract, find_numbers

NOTE = """Intel log 14/03/2024 — source reports:
Subject uses 07700 900123 (main) and a burner on +44 7700 900456.
Old landline (0113) 496 0999, work 020 7946 0123 ext 22.
Order 4496 0001 2345 delivered; collection code 123456, ref 2024/1234.
Paid £1500 on 12/05/2024, sort code 20-00-00, acct 12345678, card 4111 1111 1111 1111.
Texted from 447700900789@s.whatsapp.net and asked to ring 7700900150.
Albanian contact 355672123456; cousin 00 44 7700 900136.
IMEI 356938035643809 seen at 10:30."""

TRUE = ["+447700900123", "+447700900456", "+441134960999", "+442079460123",
        "+447700900789", "+447700900150", "+355672123456", "+447700900136"]


def e164s(found):
    return [f[3].e164 for f in found]


def test_context_finds_every_number_and_no_false_hit():
    found = find_numbers(NOTE, "GB")
    assert e164s(found) == TRUE
    for raw, start, end, _ in found:
        assert NOTE[start:end] == raw


def test_valid_leniency_misses_drama_numbers():
    found = e164s(find_numbers(NOTE, "GB", leniency="valid"))
    # phonenumbers' default: the valid landlines only; every drama mobile is missed
    assert "+441134960999" in found and "+442079460123" in found
    assert not any(e and e.startswith("+447700") for e in found)
    assert len(set(TRUE) - set(found)) >= 6


def test_possible_leniency_over_matches():
    found = find_numbers(NOTE, "GB", leniency="possible")
    raws = [f[0] for f in found]
    assert "4496 0001 2345" in raws and "123456" in raws and "2024/1234" in raws
    assert not {"4496 0001 2345", "123456", "2024/1234", "12345678"} & {
        f[0] for f in find_numbers(NOTE, "GB")}


@pytest.mark.parametrize("text,expected", [
    ("call me 07700900123", ["+447700900123"]),
    ("my no. is 7700 900123", ["+447700900123"]),          # bare digits, said to be a number
    ("reference 7700900123 paid", []),                      # bare digits after a contrary word
    ("order 07700900123", []),                              # dialled form, but an order number
    ("7700900123", []),                                     # bare digits, no context: not a number
    ("invoice total 2079460123", []),
    ("code 123456", []),
    ("Pin 1234, then call 01632 960123", ["+441632960123"]),
    ("meet 10:30 or 11:45 tomorrow", []),
    ("on 12/05/2024 at 14:00", []),
    ("ring 07700 900 1234 asap", []),                        # too long: not a possible number
    ("mobs 07700900111/07700900112", ["+447700900111", "+447700900112"]),
    ("whatsapp 84912345678 or tel 0040712034567", ["+84912345678", "+40712034567"]),
    ("٠٧٧٠٠٩٠٠١٢٣ اتصل", ["+447700900123"]),
])
def test_context_rules(text, expected):
    assert e164s(find_numbers(text, "GB")) == expected


def test_extract_frame_rows_offsets_and_provenance():
    df = pd.DataFrame({"msg": [NOTE, "nothing to see", None, "ring 07700900999"],
                       "sender": ["A", "B", "C", "D"],
                       "_source": ["m.csv"] * 4, "_row": [1, 2, 3, 4]})
    out = extract(df, "msg", keep=["sender"])
    assert list(out.columns) == ["_source", "_row", "sender", "column", "match", "start", "end",
                                 "e164", "valid", "status", "type", "country", "network"]
    assert out["e164"].tolist() == TRUE + ["+447700900999"]
    assert out["_row"].tolist() == [1] * 8 + [4]
    assert out["sender"].tolist() == ["A"] * 8 + ["D"]
    assert (out["column"] == "msg").all()
    for _, r in out.iterrows():
        text = df.loc[df["_row"] == r["_row"], "msg"].iloc[0]
        assert text[r["start"]:r["end"]] == r["match"]
    assert out["valid"].tolist()[:4] == [False, False, True, True]


def test_keep_all_accounts_for_every_row():
    df = pd.DataFrame({"msg": ["ring 07700900999", "nothing", None, ""]})
    out = extract(df, "msg", keep_all=True)
    assert out["_row"].tolist() == [0, 1, 2, 3]              # the index when there is no _row
    assert out["status"].tolist() == ["possible", "no_match", "no_match", "no_match"]
    assert out["start"].isna().tolist() == [False, True, True, True]


def test_several_columns_and_repeated_texts():
    df = pd.DataFrame({"a": ["call 07700900001"] * 3, "b": ["", "tel 020 7946 0001", ""]})
    out = extract(df, ["a", "b"])
    assert list(zip(out["_row"], out["column"])) == [(0, "a"), (1, "a"), (1, "b"), (2, "a")]


def test_errors():
    df = pd.DataFrame({"message": ["x"]})
    with pytest.raises(UsageError, match="did you mean 'message'"):
        extract(df, "messages")
    with pytest.raises(UsageError, match="leniency"):
        extract(df, "message", leniency="loose")
