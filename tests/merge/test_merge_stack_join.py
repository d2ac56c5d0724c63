"""stack (collate) and join (enrich) as library functions."""

import numpy as np
import pandas as pd
import pytest

from toexcli.errors import UsageError
from toexcli.merge.joining import join
from toexcli.merge.keys import dob_keys, identifier_keys, normalise_name
from toexcli.merge.stacking import stack


def _src(df, name):
    df = df.astype("str")
    df["_source"] = name
    df["_row"] = np.arange(1, len(df) + 1)
    return df


def test_stack_aligns_columns_by_name_ignoring_case_spacing_and_punctuation():
    a = _src(pd.DataFrame({"Phone Number": ["07700 900001"], "Name": ["Ann Lee"]}), "a.csv")
    b = _src(pd.DataFrame({"phone_number": ["+447700900002"], "E-mail": ["x@example.com"]}), "b.csv")
    c = _src(pd.DataFrame({"MOBILE": ["07700900003"]}), "c.csv")
    out = stack([a, b, c], rename={"mobile": "phone number"})
    assert list(out.columns) == ["Phone Number", "Name", "E-mail", "_source", "_row"]
    assert out["Phone Number"].tolist() == ["07700 900001", "+447700900002", "07700900003"]
    assert out["_source"].tolist() == ["a.csv", "b.csv", "c.csv"]
    assert out["_row"].tolist() == [1, 1, 1]
    assert pd.isna(out.loc[1, "Name"])


def test_stack_refuses_two_columns_of_one_file_becoming_one():
    a = _src(pd.DataFrame({"Phone": ["1"], "phone ": ["2"]}), "a.csv")
    with pytest.raises(UsageError, match="--rename"):
        stack([a])


def test_stack_dedupe_keeps_first_and_records_every_source():
    a = _src(pd.DataFrame({"phone": ["07700900001", "07700900002", ""]}), "a.csv")
    b = _src(pd.DataFrame({"Phone": ["07700900001", "", "07700900003"]}), "b.csv")
    out = stack([a, b], dedupe=["phone"])
    assert out["phone"].tolist() == ["07700900001", "07700900002", "", "", "07700900003"]
    assert out.loc[0, "_seen_in"] == "a.csv:1; b.csv:1"
    assert out.loc[0, "_seen_count"] == 2
    assert out["_seen_count"].tolist()[1:] == [1, 1, 1, 1]  # blank keys are never merged
    assert (out["_source"].tolist(), out["_row"].tolist()) == (
        ["a.csv", "a.csv", "a.csv", "b.csv", "b.csv"], [1, 2, 3, 2, 3])


def test_keys_by_kind():
    s = pd.Series(["07700 900123", "+44 (0)7700 900123", "0044 7700 900123", "Withheld", "", None], dtype="str")
    k = identifier_keys(s, "phone").tolist()
    assert k[:3] == ["+447700900123"] * 3 and all(pd.isna(x) for x in k[3:])
    assert identifier_keys(pd.Series([" A.Lee@Example.COM ", "not an email"], dtype="str"), "email").tolist()[0] == "a.lee@example.com"
    assert pd.isna(identifier_keys(pd.Series(["not an email"], dtype="str"), "email")[0])
    assert identifier_keys(pd.Series(["ab12 cde", "AB12CDE"], dtype="str"), "vrm").tolist() == ["AB12CDE"] * 2
    assert identifier_keys(pd.Series(["35-693803-564380-9", "3569380356438012"], dtype="str"), "imei").tolist() == \
        ["35693803564380"] * 2
    assert identifier_keys(pd.Series(["0xAbC123", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"], dtype="str"), "wallet").tolist() == \
        ["0xabc123", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"]
    assert dob_keys(pd.Series(["05/01/1990", "5/1/1990", "1990-01-05", "5 Jan 1990", "05.01.90",
                               "01/01/1900", "not a date"], dtype="str")).tolist()[:5] == ["1990-01-05"] * 5
    assert dob_keys(pd.Series(["01/01/1900", "not a date"], dtype="str")).isna().all()


def test_name_normalisation():
    assert normalise_name("SMITH, Bob") == normalise_name("Robert Smith") == "robert smith"
    assert normalise_name("Zoë O'Brien") == normalise_name("zoe obrien")
    assert normalise_name("Mr. Mohammad  Khan") == "khan mohammed"


def _people():
    left = _src(pd.DataFrame({"caller": ["07700 900001", "07700900002", "Withheld", "07700900009"],
                              "when": ["1", "2", "3", "4"]}), "calls.csv")
    right = _src(pd.DataFrame({"Phone Number": ["+44 7700 900001", "07700 900002", "0044 7700 900002", "07700900005"],
                               "subscriber": ["Ann Lee", "Bob Hall", "Robert Hall", "Cy Dee"]}), "subs.csv")
    return left, right


def test_join_phone_keeps_every_left_row_and_flags_one_to_many():
    left, right = _people()
    out = join(left, right, "caller=Phone Number", kind="phone")
    assert out["caller"].tolist() == ["07700 900001", "07700900002", "07700900002", "Withheld", "07700900009"]
    assert out["subscriber"].tolist()[:3] == ["Ann Lee", "Bob Hall", "Robert Hall"]
    assert out["match_count"].tolist() == [1, 2, 2, 0, 0]
    assert out["match_method"].tolist() == ["phone", "phone", "phone", "no key", "none"]
    assert out["match_score"].tolist() == [100, 100, 100, 0, 0]
    assert list(out.columns[-4:]) == ["_source", "_row", "_source_right", "_row_right"]
    assert out["_row"].tolist() == [1, 2, 2, 3, 4]
    assert out["_row_right"].tolist()[:3] == [1, 2, 3]


def test_join_inner_and_outer():
    left, right = _people()
    inner = join(left, right, "caller=Phone Number", kind="phone", how="inner")
    assert len(inner) == 3
    outer = join(left, right, "caller=Phone Number", kind="phone", how="outer")
    assert len(outer) == 6
    assert outer.iloc[-1]["subscriber"] == "Cy Dee" and outer.iloc[-1]["match_method"] == "right only"
    assert outer.iloc[-1]["match_count"] == 0 and outer["_row_right"].dtype == "Int64"
    assert outer["_row"].tolist()[:5] == [1, 2, 2, 3, 4] and pd.isna(outer["_row"].iloc[-1])


def test_join_name_fuzzy_with_scores():
    left = _src(pd.DataFrame({"name": ["SMITH, Bob", "Jane Doughty", "Ann Lee"]}), "custody.csv")
    right = _src(pd.DataFrame({"subject": ["Robert Smith", "Jane Doughtey", "Zed Zed"]}), "intel.csv")
    out = join(left, right, "name=subject", kind="name", threshold=88)
    assert out["subject"].tolist()[:2] == ["Robert Smith", "Jane Doughtey"]
    assert out["match_method"].tolist() == ["name", "name fuzzy", "none"]
    assert out.loc[0, "match_score"] == 100 and 88 <= out.loc[1, "match_score"] < 100
    strict = join(left, right, "name=subject", kind="name", threshold=100)
    assert strict["match_method"].tolist() == ["name", "none", "none"]


def test_join_email_vrm_and_clashing_names():
    left = _src(pd.DataFrame({"email": [" Ann@Example.com"], "plate": ["ab12 cde"]}), "l.csv")
    right = _src(pd.DataFrame({"Email": ["ann@example.com"], "VRM": ["AB12CDE"]}), "r.csv")
    out = join(left, right, "email", kind="email")
    assert out.loc[0, "match_count"] == 1 and "Email_right" in out.columns
    out = join(left, right, "plate=vrm", kind="vrm")
    assert out.loc[0, "match_key"] == "AB12CDE" and out.loc[0, "match_count"] == 1


def test_join_usage_errors():
    left, right = _people()
    with pytest.raises(UsageError, match="did you mean 'caller'"):
        join(left, right, "calller=Phone Number", kind="phone")
    with pytest.raises(UsageError, match="unknown identifier kind"):
        join(left, right, "caller=Phone Number", kind="imsi-ish")
    with pytest.raises(UsageError, match="--how"):
        join(left, right, "caller=Phone Number", kind="phone", how="cross")


def test_names_in_other_alphabets_and_letters_without_decomposition():
    assert normalise_name("ŁUKASZ Żółć") == normalise_name("Lukasz Zolc") == "lukasz zolc"
    assert normalise_name("Đặng Thị Ngọc") == normalise_name("Dang Thi Ngoc")
    assert normalise_name("Ørjan Åse") == "ase orjan"
