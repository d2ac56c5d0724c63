"""``e164_values``: the e164-only path (issue 20, summarise speed) gives exactly the E.164 of the
full policy (``normalise_values``), on thousands of spellings of every leading-digit shape of UK
numbers and near-misses; a tampered fast rule is caught by the same comparison; and metadata of
another shape switches the fast path off instead of guessing."""

from __future__ import annotations

import re
import types

import numpy as np
import pandas as pd
import pytest

from toexcli.phones import e164_values, normalise_values
from toexcli.phones import policy


def _spellings() -> list[str]:
    rng = np.random.default_rng(20)
    raw = []
    # every leading three digits of a 10-digit NSN (100-999), three random numbers each
    for lead in range(100, 1000):
        for _ in range(3):
            nsn = str(lead) + "".join(map(str, rng.integers(0, 10, 7)))
            raw += ["0" + nsn, "+44" + nsn]
        raw += ["+44 " + nsn[:4] + " " + nsn[4:], "0044" + nsn, "44" + nsn, nsn]
    # near-misses: 9 and 11 digit NSNs, the IDD, a kept trunk 0, the 180020 prefix, other
    # countries, text the policy rejects or reads differently
    for lead in ("1", "2", "3", "7", "8", "9", "180020", "4", "5", "6"):
        for _ in range(15):
            tail = "".join(map(str, rng.integers(0, 10, 12)))
            nsn = (lead + tail)[:10]
            raw += ["0" + nsn[:9], "0" + nsn + "1", "+44" + nsn[:9], "+44" + nsn + "1",
                    "00" + nsn[1:], "+440" + nsn[1:], "0" + nsn, "+44" + nsn]
    raw += ["01800201234", "+441800201234", "+33612345678", "+12025550123", "1410207946000",
            "07700900123.0", "Withheld", "", "0", "00000000000", "+440000000000", "999",
            "07700 900123 / 07700 900124", "٠٧٧٠٠٩٠٠١٢٣", "07700900123"]
    return raw


def _mismatches(raw: list[str]) -> list[tuple]:
    got = e164_values(raw)
    want = normalise_values(pd.Series(raw, dtype="str"))["e164"].tolist()
    norm = [(w if isinstance(w, str) else None) for w in want]
    return [(r, g, w) for r, g, w in zip(raw, got, norm) if g != w]


@pytest.fixture(scope="module")
def raw():
    return _spellings()


def test_e164_values_equals_the_full_policy_on_thousands_of_spellings(raw):
    assert len(raw) > 5_000
    bad = _mismatches(raw)
    assert not bad, bad[:5]


def test_the_fast_path_is_on_with_the_installed_phonenumbers(raw):
    rules = policy._uk_fast_rules()
    assert rules is not None, "phonenumbers' GB metadata changed shape: the fast path is off"
    plain = [r for r in raw if re.fullmatch(r"0[1-9]\d{9}|\+44[1-9]\d{9}", r)]
    fast = [r for r in plain if policy._uk_fast_e164(r, rules) is not None]
    assert len(plain) > 5_000 and len(fast) == len(plain)
    assert policy._uk_fast_e164("07700 900123", rules) is None   # only the two plain shapes
    assert policy._uk_fast_e164("0770090012", rules) is None
    assert e164_values(["07700900123", "+447700900123"], region="US") == [None, "+447700900123"]


@pytest.mark.parametrize("tamper", [
    lambda v, r: "+44" + v if v.startswith("0") else v,                      # keeps the trunk 0
    lambda v, r: "+44" + v[1:] if re.fullmatch(r"0\d{9,11}", v) else None,  # any length, the IDD
    lambda v, r: "+44" + v[1:] if re.fullmatch(r"0[1-9]\d{9}", v) and v[1] != "3" else v,
])
def test_a_tampered_fast_rule_is_caught(raw, monkeypatch, tamper):
    monkeypatch.setattr(policy, "_uk_fast_e164", tamper)
    assert _mismatches(raw)


def _metadata(**changes):
    real = policy.phonenumbers.PhoneMetadata.metadata_for_region("GB")
    desc = types.SimpleNamespace(possible_length=real.general_desc.possible_length,
                                 possible_length_local_only=real.general_desc.possible_length_local_only,
                                 national_number_pattern=real.general_desc.national_number_pattern)
    fields = dict(country_code=44, national_prefix="0", national_prefix_transform_rule=None,
                  international_prefix="00", national_prefix_for_parsing=real.national_prefix_for_parsing,
                  general_desc=desc)
    for k, v in changes.items():
        if k in ("possible_length", "possible_length_local_only"):
            setattr(desc, k, v)
        else:
            fields[k] = v
    return types.SimpleNamespace(**fields)


@pytest.mark.parametrize("changes", [
    {"possible_length": (7, 9)}, {"possible_length_local_only": (4, 10)},
    {"national_prefix_transform_rule": "1"}, {"national_prefix": "9"},
    {"international_prefix": "0(?:0|11)"}, {"country_code": 1},
])
def test_metadata_of_another_shape_turns_the_fast_path_off(monkeypatch, changes):
    fake = _metadata(**changes)
    monkeypatch.setattr(policy.phonenumbers.PhoneMetadata, "metadata_for_region",
                        lambda region, *a: fake)
    policy._uk_fast_rules.cache_clear()
    try:
        assert policy._uk_fast_rules() is None
    finally:
        monkeypatch.undo()
        policy._uk_fast_rules.cache_clear()
    assert policy._uk_fast_rules() is not None


def test_the_per_value_guards_refuse_what_phonenumbers_would_read_otherwise():
    # a national prefix pattern that takes more than the 0, a whole text that is itself viable
    assert policy._uk_fast_e164("07700900123", (re.compile("07"), re.compile(r"[1-9]\d{9}"))) is None
    assert policy._uk_fast_e164("07700900123", (re.compile("0"), re.compile(r"0?\d{10}"))) is None
    # an NSN the prefix pattern would strip, not viable as it stands
    assert policy._uk_fast_e164("+441800201234", (re.compile("0|180020"), re.compile(r"9\d{9}"))) is None
    good = (re.compile("0|180020"), re.compile(r"[1-357-9]\d{9}"))
    assert policy._uk_fast_e164("07700900123", good) == "+447700900123"
    assert policy._uk_fast_e164("+441800201234", good) == "+441800201234"


def test_digit_key_is_lookup_key_for_plain_digits(raw):
    from toexcli.phones import lookup_key

    rng = np.random.default_rng(7)
    digits = [r for r in raw if re.fullmatch(r"\+?[0-9]{1,15}", r)]
    digits += ["".join(map(str, rng.integers(0, 10, k))) for k in range(1, 16) for _ in range(40)]
    digits += ["44" + d for d in digits[:500]] + ["+" + d for d in digits[:500]]
    digits = [d for d in digits if re.fullmatch(r"\+?[0-9]{1,15}", d)]
    assert len(digits) > 5_000
    want = lookup_key(pd.Series(digits, dtype="str")).tolist()
    got = [policy._digit_key(d) for d in digits]
    bad = [(d, g, w) for d, g, w in zip(digits, got, want) if g != w]
    assert not bad, bad[:5]


def test_a_tampered_digit_key_is_caught(raw, monkeypatch):
    # folding 44 + a 0-led 10 digits too would key 440207946000 as 00207946000 (an IDD)
    monkeypatch.setattr(policy, "_UK_INTERNATIONAL", re.compile(r"(?:\+44|0044|44)([0-9][0-9]{9})"))
    assert _mismatches(raw + ["440207946000"])
