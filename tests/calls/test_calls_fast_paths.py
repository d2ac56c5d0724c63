"""The calls build's shortcuts (issue: calls parse within 2x convert) give exactly what the
plain operations give, on many varied values; each test also shows a tampered shortcut fails."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from toexcli.calls import build as B

SPACES = [" ", "\t", "\u00a0", "\u2003", "\u200a", "\u2000", "\u1680", "\u3000", "\u2029", "\u205f",
          "\u202f", "\r", "\n", "\x0b", "\x85"]
WORDS = ["", "MOC", "07700 900123", "José", "北京", "x", "1899-12-30 18:57:00", "2024-01-08 00:00",
         "18:57", "01/03/2025", "é", "a b", "-", "\u00e9t\u00e9"]


def _values(seed: int, n: int = 400) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        v = rnd.choice(WORDS)
        if rnd.random() < 0.15:
            v = rnd.choice(SPACES) + v
        if rnd.random() < 0.15:
            v = v + rnd.choice(SPACES)
        out.append(v)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_edge_space_check_never_misses_a_trim(seed):
    vals = _values(seed, 60)
    for cut in (1, 7, 60):  # columns with few and many values, sliced (non-zero offset) too
        arr = pa.array(vals[:cut], pa.string())
        for a in (arr, pa.array(["pad", *vals[:cut]], pa.string()).slice(1)):
            if not pc.utf8_trim_whitespace(a).equals(a):
                assert B._may_have_edge_space(a), a.to_pylist()


def test_edge_space_check_clean_columns_and_tamper(monkeypatch):
    clean = pa.array(["MOC", "07700900123", "", "01/03/2025", "José"], pa.string())
    assert not B._may_have_edge_space(pa.array(["MOC", "07700900123", "", "01/03/2025"]))
    assert B._may_have_edge_space(pa.array(["MOC", " 07700900123"]))
    assert B._may_have_edge_space(pa.array(["", "MOC\u00a0"]))
    assert B._may_have_edge_space(clean) in (True, False)  # non-ASCII may ask for a (harmless) trim
    # tampered: a byte table that forgets U+00A0's bytes misses a trailing no-break space
    table = B._SPACE_BYTES.copy()
    table[[0xA0, 0xC2]] = False
    monkeypatch.setattr(B, "_SPACE_BYTES", table)
    assert not B._may_have_edge_space(pa.array(["x", "MOC\u00a0"]))


def _combine_plain(dates, times):
    """The rule of _combine done every time on every row (the reference)."""
    t = pc.replace_substring_regex(times, r"^1899-12-3[01][T ]", "")
    d = pc.replace_substring_regex(dates, r"[T ]00:00(:00)?$", "")
    out = pc.utf8_trim_whitespace(pc.binary_join_element_wise(d, t, " "))
    return pc.if_else(pc.equal(d, ""), "", out)


@pytest.mark.parametrize("seed", range(30))
def test_combine_equals_the_plain_rule(seed):
    rnd = random.Random(seed)
    dates = ["01/03/2025", "2024-01-08 00:00", "2024-01-08T00:00:00", "", "2024-01-08 10:00",
             "x 00:00", "T00:00", "31/12/2024", "2024-01-0800:00"]
    times = ["18:57:00", "1899-12-30 18:57:00", "1899-12-31T09:00", "", "1899-12-30T", "07:00",
             "1899-12-30  18:00", "12:00 PM", "1899-12-29 10:00"]
    n = rnd.choice([1, 5, 200])
    pick = rnd.random()
    d = pa.array([rnd.choice(dates if pick < 0.7 else dates[:1]) for _ in range(n)], pa.string())
    t = pa.array([rnd.choice(times if pick < 0.5 else times[:1]) for _ in range(n)], pa.string())
    assert B._combine(d, t).equals(_combine_plain(d, t))


def test_combine_tampered_shortcut_is_caught(monkeypatch):
    d = pa.array(["01/03/2025", "01/03/2025"], pa.string())
    t = pa.array(["1899-12-30 18:57:00", ""], pa.string())
    assert B._combine(d, t).equals(_combine_plain(d, t))
    monkeypatch.setattr(B, "_may_have_edge_space", lambda arr: False)  # "never trim"
    assert not B._combine(d, t).equals(_combine_plain(d, t))


def test_header_repeat_and_blank_rows_found_from_lengths(tmp_path):
    """Rows left out by the value-length test: a header repeated on a printed page, blank rows;
    a data cell that happens to be as long as its header stays."""
    from toexcli.calls import parse_with_report

    p = tmp_path / "r.csv"
    p.write_text("Date,Time,A Number,B Number,Call Type,Duration\n"
                 "01/03/2025,10:00:00,07700900111,07700900222,MOC,10\n"
                 ",,,,,\n"
                 "Date,Time,A Number,B Number,Call Type,Duration\n"
                 "01/03/2025,11:00:00,07700900111,07700900223,MOC,Duration\n"
                 "01/03/2025,12:00:00,07700900111,07700900224,MOC,12\n", encoding="utf-8")
    df, rep = parse_with_report([str(p)])
    assert df["_row"].tolist() == [1, 4, 5]
    assert rep[0]["blank_rows_left_out"] == 1
    assert [x["reason"] for x in rep[0]["rows_left_out"]] == ["header repeated"]
    assert np.asarray(df["duration_s"].isna()).tolist() == [False, True, False]


def _parties_reference(texts, region="GB"):
    """Numbers.parties' rule done by the full phones policy on every value (the reference)."""
    import re

    import pandas as pd

    from toexcli.phones import normalise_values

    res = normalise_values(pd.Series(texts, dtype=object), region)
    out = []
    for u, e, st in zip(texts, res["e164"].fillna("").astype(str), res["status"].fillna("").astype(str)):
        if e:
            out.append(e)
        elif st in ("withheld", "empty"):
            out.append("")
        else:
            out.append(re.sub(r"\.0+$", "", u) if re.fullmatch(r"\d+\.0+", u) else u)
    return out


NUMBERS = ["07700900123", "+447700900123", "447700900123", "07700 900 123", "0044 7700 900123",
           "02079460123", "+442079460123", "01614960000", "7700900123", "Withheld", "PRIVATE", "",
           "123", "150", "999", "07700900123.0", "+12025550143", "0012025550143", "Mum", "voicemail",
           "+33 1 23 45 67 89", "0800 123 4567", "08001234567", "+4407700900123", "017009001234",
           "0770090012", "+44770090012", "077009001234", "+353 87 123 4567", "00447700900999",
           "01632 960 001", "+44 (0)20 7946 0999", "447700900", "0", "00", "+", "07700-900-555"]


@pytest.mark.parametrize("seed", range(5))
def test_party_numbers_fast_path_equals_full_policy(seed):
    rnd = random.Random(seed)
    texts = list(NUMBERS) + [f"0{rnd.choice('1237')}{rnd.randrange(10**9):09d}" for _ in range(200)] \
        + [f"+44{rnd.choice('1237')}{rnd.randrange(10**9):09d}" for _ in range(200)] \
        + [f"07700900{rnd.randrange(1000):03d}" for _ in range(50)]
    nums = B.Numbers("GB")
    codes = np.asarray([nums.code(t) for t in texts], dtype=np.int64)
    got = [nums.items[c] for c in nums.parties(codes)]
    assert got == _parties_reference(texts)


def test_party_numbers_tampered_fast_path_is_caught(monkeypatch):
    import toexcli.phones as phones

    real = phones.e164_values
    monkeypatch.setattr(phones, "e164_values",
                        lambda values, region="GB": [None if e is None else e[:-1] + "0"
                                                     for e in real(values, region)])
    nums = B.Numbers("GB")
    texts = ["07700900123", "+447700900123", "Withheld"]
    codes = np.asarray([nums.code(t) for t in texts], dtype=np.int64)
    assert [nums.items[c] for c in nums.parties(codes)] != _parties_reference(texts)
