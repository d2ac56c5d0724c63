"""UK registration rules, the DataFrame functions and the `toex vehicles normalise` command."""

import datetime as dt
import io

import pandas as pd
import pytest

from conftest import run_cli, run_toex
from toexcli.vehicles import (age_identifier_period, latest_age_identifier, normalise,
                              normalise_values, normalise_vrm, parse_vrm)

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize("value, vrm, fmt, valid, period", [
    ("AB12 CDE", "AB12CDE", "current", True, "2012-03/2012-08"),
    ("ab12cde", "AB12CDE", "current", True, "2012-03/2012-08"),
    (" AB62-CDE ", "AB62CDE", "current", True, "2012-09/2013-02"),
    ("LX51 ABZ", "LX51ABZ", "current", True, "2001-09/2002-02"),
    ("YA02 ABC", "YA02ABC", "current", True, "2002-03/2002-08"),
    ("YA76 ABC", "YA76ABC", "current", True, "2026-09/2027-02"),
    ("A123 BCD", "A123BCD", "prefix", True, "1983-08/1984-07"),
    ("R7 ABC", "R7ABC", "prefix", True, "1997-08/1998-07"),
    ("Y999 ABC", "Y999ABC", "prefix", True, "2001-03/2001-08"),
    ("ABC 123D", "ABC123D", "suffix", True, "1966-01/1966-12"),
    ("KLM 45Y", "KLM45Y", "suffix", True, "1982-08/1983-07"),
    ("Q123 ABC", "Q123ABC", "q_plate", True, ""),
    ("ABZ 1234", "ABZ1234", "northern_ireland", True, ""),
    ("OI 12", "OI12", "northern_ireland", True, ""),
    ("1234 AB", "1234AB", "dateless", True, ""),
    ("ABC 123", "ABC123", "dateless", True, ""),
])
def test_formats(value, vrm, fmt, valid, period):
    v = parse_vrm(value, TODAY)
    assert (v.vrm, v.format, v.valid, v.period) == (vrm, fmt, valid, period)
    assert v.status == "ok"


@pytest.mark.parametrize("value, fmt, reason", [
    ("IB12 CDE", "current", "region letter"),      # I never a first letter
    ("TB12 CDE", "current", "region letter"),      # T is not a DVLA region
    ("AQ12 CDE", "current", "memory tag"),         # Q never in the memory tag
    ("AZ12 CDE", "current", "memory tag"),         # Z never in the memory tag
    ("AB12 CIE", "current", "last three letters"),  # I never in the random letters
    ("AB12 QDE", "current", "last three letters"),
    ("AB00 CDE", "current", "never issued"),
    ("AB01 CDE", "current", "never issued"),
    ("AB49 CDE", "current", "not issued yet"),
    ("AB99 CDE", "current", "not issued yet"),
    ("I123 ABC", "prefix", "year letter"),
    ("O123 ABC", "prefix", "year letter"),
    ("A123 BQC", "prefix", "GB letter group"),
    ("ABC 123U", "suffix", "year letter"),
    ("AQC 123D", "suffix", "GB letter group"),
    ("AB 0123", "dateless", "start with 0"),
    ("RTX 3080", "dateless", "Northern Ireland form"),
])
def test_rejected_letters_and_numbers(value, fmt, reason):
    v = parse_vrm(value, TODAY)
    assert v.format == fmt and v.valid is False and reason in v.status


@pytest.mark.parametrize("value, reason", [
    ("M1 1AE", "not a UK registration format"),   # a postcode
    ("07700 900123", "not a UK registration format"),
    ("AB12 CD£", "characters other than"),
    ("", "empty"), (None, "empty"), (float("nan"), "empty"),
])
def test_not_a_registration(value, reason):
    v = parse_vrm(value, TODAY)
    assert v.vrm == "" and v.format == "" and v.valid is False and reason in v.status


def test_age_identifier_and_latest():
    assert age_identifier_period(12) == ("2012-03", "2012-08")
    assert age_identifier_period(62) == ("2012-09", "2013-02")
    assert age_identifier_period(0) is None and age_identifier_period(1) is None
    assert latest_age_identifier(dt.date(2026, 11, 25)) == 76
    assert latest_age_identifier(dt.date(2027, 2, 28)) == 76
    assert latest_age_identifier(dt.date(2027, 3, 1)) == 27
    assert parse_vrm("AB27 CDE", dt.date(2027, 3, 1)).valid
    assert not parse_vrm("AB27 CDE", dt.date(2027, 2, 28)).valid
    assert parse_vrm("AB26 CDE", dt.date(2027, 2, 28)).valid


def test_normalise_vrm_join_key():
    assert normalise_vrm(" ab12 cde ") == "AB12CDE"
    assert normalise_vrm("ab-12.cde") == "AB12CDE"
    assert normalise_vrm(None) == "" and normalise_vrm(float("nan")) == ""
    assert normalise_vrm("anything else") == "ANYTHINGELSE"


def test_normalise_values_keeps_index_and_parses_each_distinct_once(monkeypatch):
    import sys

    import toexcli.vehicles.frame  # noqa: F401

    mod = sys.modules["toexcli.vehicles.frame"]

    calls = []
    real = mod.parse_vrm
    monkeypatch.setattr(mod, "parse_vrm", lambda v, today=None: calls.append(v) or real(v, today))
    s = pd.Series(["ab12 cde", None, "ab12 cde", "10 AM", "ab12 cde"], index=[10, 11, 12, 13, 14],
                  dtype="str")
    out = normalise_values(s, today=TODAY)
    assert list(out.index) == [10, 11, 12, 13, 14]
    assert list(out.columns) == ["vrm", "format", "valid", "period", "status"]
    assert list(out["vrm"].fillna("")) == ["AB12CDE", "", "AB12CDE", "10AM", "AB12CDE"]
    assert out["vrm"].isna().tolist() == [False, True, False, False, False]  # never a join key
    assert list(out["valid"]) == [True, False, True, True, True]
    assert out.loc[11, "status"] == "empty"
    assert sorted(calls, key=str) == sorted(["ab12 cde", "10 AM"], key=str)
    assert normalise_values(["A123BCD"]).loc[0, "format"] == "prefix"


def test_normalise_inserts_after_each_column_and_keeps_rows():
    df = pd.DataFrame({"a": ["AB12CDE", "junk", ""], "b": ["x", "y", "z"],
                       "c": ["ABC 123D", "M1 1AE", "Q1 ABC"]}, dtype="str")
    out = normalise(df, ["a", "c"], today=TODAY)
    assert list(out.columns) == [
        "a", "a_vrm", "a_format", "a_valid", "a_period", "a_status", "b",
        "c", "c_vrm", "c_format", "c_valid", "c_period", "c_status"]
    pd.testing.assert_frame_equal(out[["a", "b", "c"]], df)
    assert list(out["c_format"].fillna("")) == ["suffix", "", "q_plate"]
    assert list(df.columns) == ["a", "b", "c"]  # input untouched
    # running twice would overwrite the derived columns: refused, nothing is overwritten
    from toexcli.errors import UsageError

    with pytest.raises(UsageError, match="a_vrm' already exists"):
        normalise(out, "a", today=TODAY)


def test_normalise_missing_column_is_a_usage_error():
    from toexcli.errors import UsageError

    with pytest.raises(UsageError, match="did you mean 'reg'"):
        normalise(pd.DataFrame({"reg": ["x"]}), ["rg"])


CSV = "reg,seen\nab12 cde,ANPR 1\nAB62CDE,custody\n10 AM,log\n,empty\nA123 BCD,old\n"


def test_cli_normalise_csv():
    r = run_cli(["vehicles", "normalise", "-", "-c", "reg"], input=CSV)
    assert r.exit_code == 0, r.stderr
    out = pd.read_csv(io.StringIO(r.stdout), dtype=str, keep_default_na=False)
    assert list(out.columns) == ["reg", "reg_vrm", "reg_format", "reg_valid", "reg_period",
                                 "reg_status", "seen", "_source", "_row"]
    assert list(out["reg"]) == ["ab12 cde", "AB62CDE", "10 AM", "", "A123 BCD"]
    assert list(out["reg_vrm"]) == ["AB12CDE", "AB62CDE", "10AM", "", "A123BCD"]
    assert out.loc[1, "reg_period"] == "2012-09/2013-02"
    assert list(out["_row"]) == ["1", "2", "3", "4", "5"]


def test_cli_alias_help_and_errors():
    r = run_cli(["vehicles", "normalize", "-", "-c", "reg"], input=CSV)
    assert r.exit_code == 0 and "AB12CDE" in r.stdout
    r = run_cli(["vehicles", "normalise", "--help"])
    assert r.exit_code == 0 and "Examples" in r.stdout
    r = run_cli(["vehicles", "normalise", "-", "-c", "rg"], input=CSV)
    assert r.exit_code == 2 and "did you mean 'reg'" in r.stderr
    r = run_cli(["vehicles", "normalise", "-"], input=CSV)
    assert r.exit_code == 2 and "-c" in r.stderr


def test_real_process_pipe_to_parquet(tmp_path):
    out = tmp_path / "v.parquet"
    r = run_toex(["vehicles", "normalise", "-", "-c", "reg", "-o", out], input=CSV)
    assert r.returncode == 0, r.stderr
    df = pd.read_parquet(out)
    assert list(df["reg_format"].fillna("")) == ["current", "current", "dateless", "", "prefix"]
    r = run_toex(["vehicles", "normalise", "-", "-c", "reg", "--to", "csv"], input=CSV)
    assert r.returncode == 0 and b"AB62CDE" in r.stdout


def test_invalid_mark_has_no_period():
    assert parse_vrm("IQ12 ABC", TODAY).period == ""
    assert parse_vrm("I123 ABC", TODAY).period == ""
