"""The normalisation policy on a table of messy inputs (fictional numbers only: Ofcom drama
ranges, and phonenumbers' example numbers for other regions)."""

import math

import numpy as np
import pandas as pd
import pytest

from toexcli.errors import UsageError
from toexcli.phones import normalise, normalise_one, normalise_values

M = "+447700900123"   # Ofcom drama mobile: possible, never valid
L = "+442079460123"   # London drama range: valid fixed line

# raw, default region, expected e164 ('' = none), expected status
CASES = [
    # --- the everyday UK forms of one drama mobile
    ("07700900123", "GB", M, "possible"),
    ("07700 900123", "GB", M, "possible"),
    ("07700 900 123", "GB", M, "possible"),
    ("0770 090 0123", "GB", M, "possible"),
    ("07700-900-123", "GB", M, "possible"),
    ("07700.900.123", "GB", M, "possible"),
    ("07700/900123", "GB", M, "possible"),
    ("(07700) 900123", "GB", M, "possible"),
    ("447700900123", "GB", M, "possible"),
    ("44 7700 900123", "GB", M, "possible"),
    ("4407700900123", "GB", M, "possible"),
    ("7700900123", "GB", M, "possible"),            # Excel ate the trunk 0
    ("7700 900123", "GB", M, "possible"),
    ("+447700900123", "GB", M, "possible"),
    ("+44 7700 900123", "GB", M, "possible"),
    ("+44 (0) 7700 900123", "GB", M, "possible"),
    ("+44(0)7700900123", "GB", M, "possible"),
    ("+44 (0)7700-900-123", "GB", M, "possible"),
    ("+4407700900123", "GB", M, "possible"),         # stray trunk 0 after +44
    ("++447700900123", "GB", M, "possible"),
    ("+ 44 7700 900123", "GB", M, "possible"),
    ("(+44) 7700 900123", "GB", M, "possible"),
    ("(+355) 67 212 3456", "GB", "+355672123456", "ok"),
    ("0044 7700 900123", "GB", M, "possible"),
    ("00447700900123", "GB", M, "possible"),
    ("0044 (0) 7700 900123", "GB", M, "possible"),
    ("+44 7700 900123", "US", M, "possible"),        # explicit +44 beats the default region
    ("+44 7700 900123", "AL", M, "possible"),
    # --- whitespace, invisible marks, other digit sets
    ("  07700900123  ", "GB", M, "possible"),
    ("\t07700900123\n", "GB", M, "possible"),
    ("07700\u00a0900123", "GB", M, "possible"),      # no-break space
    ("07700\u202f900123", "GB", M, "possible"),      # narrow no-break space
    ("\u202a+44 7700 900123\u202c", "GB", M, "possible"),  # bidi embedding from a phone UI
    ("\u200e07700900123", "GB", M, "possible"),      # left-to-right mark
    ("07700\u200b900123", "GB", M, "possible"),      # zero-width space
    ("\ufeff07700900123", "GB", M, "possible"),      # BOM
    ("０７７００９００１２３", "GB", M, "possible"),    # full-width
    ("٠٧٧٠٠٩٠٠١٢٣", "GB", M, "possible"),            # Arabic-Indic
    ("۰۷۷۰۰۹۰۰۱۲۳", "GB", M, "possible"),            # extended Arabic-Indic (Persian/Urdu)
    ("07700–900–123", "GB", M, "possible"),          # en dash
    ("07700—900123", "GB", M, "possible"),           # em dash
    ("07700−900123", "GB", M, "possible"),           # minus sign
    # --- Excel guards and damage
    ("'07700900123", "GB", M, "possible"),
    ("'+447700900123", "GB", M, "possible"),
    ('="07700900123"', "GB", M, "possible"),
    ('"07700900123"', "GB", M, "possible"),
    ("7700900123.0", "GB", M, "possible"),
    ("447700900123.0", "GB", M, "possible"),
    ("02079460123.0", "GB", L, "ok"),
    ("7.700900123E+09", "GB", M, "possible"),        # every digit kept
    ("7.700900123e9", "GB", M, "possible"),
    ("4.47700900123E+11", "GB", M, "possible"),
    ("7.7009E+09", "GB", "", "unparseable"),         # rounded: digits lost, never guessed
    ("4.477E+11", "GB", "", "unparseable"),
    ("7.70090012E+09", "GB", "", "unparseable"),
    # --- URIs, WhatsApp ids, dialling prefixes
    ("tel:+44-7700-900123", "GB", M, "possible"),
    ("tel:07700900123", "GB", M, "possible"),
    ("TEL:+447700900123", "GB", M, "possible"),
    ("tel:+44-20-7946-0123;ext=22", "GB", L, "ok"),
    ("447700900123@s.whatsapp.net", "GB", M, "possible"),
    ("447700900123@c.us", "GB", M, "possible"),
    ("355672123456@s.whatsapp.net", "GB", "+355672123456", "ok"),
    ("14107700900123", "GB", M, "possible"),
    ("141 07700 900123", "GB", M, "possible"),
    ("147007700900123", "GB", M, "possible"),
    ("#31#07700900123", "GB", M, "possible"),
    ("*31#07700900123", "GB", M, "possible"),
    # --- labels, notes, extensions, letters
    ("Mob: 07700 900123", "GB", M, "possible"),
    ("mob 07700900123", "GB", M, "possible"),
    ("Tel: 020 7946 0123", "GB", L, "ok"),
    ("Tel. 020 7946 0123", "GB", L, "ok"),
    ("Home: 020 7946 0123", "GB", L, "ok"),
    ("Mobile No: 07700900123", "GB", M, "possible"),
    ("Mum's mobile: 07700900123", "GB", M, "possible"),
    ("07700900123 (mum)", "GB", M, "possible"),
    ("07700 900123 [work]", "GB", M, "possible"),
    ("(Dave) 07700900123", "GB", M, "possible"),
    ("020 7946 0123 ext. 22", "GB", L, "ok"),
    ("020 7946 0123 ext 22", "GB", L, "ok"),
    ("020 7946 0123 x22", "GB", L, "ok"),
    ("020 7946 0123 #22", "GB", L, "ok"),
    ("0800 FLOWERS", "GB", "", "unparseable"),       # phonenumbers would read keypad digits
    ("07700 9OO123", "GB", "", "unparseable"),       # letter O for zero: not guessed
    ("07700900l23", "GB", "", "unparseable"),
    ("07700 900123 call after 6", "GB", "", "unparseable"),
    ("07700?900123", "GB", "", "unparseable"),
    ("07700_900123", "GB", "", "unparseable"),
    # --- more than one number
    ("07700900123/07700900124", "GB", "", "multiple"),
    ("07700900123, 07700900124", "GB", "", "multiple"),
    ("07700900123; 020 7946 0123", "GB", "", "multiple"),
    ("07700900123 or 07700900124", "GB", "", "multiple"),
    ("07700900123 & 07700900124", "GB", "", "multiple"),
    ("07700900123 07700900124", "GB", "", "multiple"),
    ("07700900123\n07700900124", "GB", "", "multiple"),
    # --- null tokens
    ("", "GB", "", "empty"),
    ("   ", "GB", "", "empty"),
    ("-", "GB", "", "empty"),
    ("N/A", "GB", "", "empty"),
    ("n/a", "GB", "", "empty"),
    ("null", "GB", "", "empty"),
    ("None", "GB", "", "empty"),
    ("Withheld", "GB", "", "withheld"),
    ("WITHHELD", "GB", "", "withheld"),
    ("Number Withheld", "GB", "", "withheld"),
    ("Private", "GB", "", "withheld"),
    ("Private Number", "GB", "", "withheld"),
    ("Unknown", "GB", "", "withheld"),
    ("Anonymous", "GB", "", "withheld"),
    ("Restricted", "GB", "", "withheld"),
    ("No Caller ID", "GB", "", "withheld"),
    ("No CLI", "GB", "", "withheld"),
    # --- placeholders, wrong lengths, short codes
    ("00000000000", "GB", "", "invalid"),
    ("0", "GB", "", "invalid"),
    ("+440000000000", "GB", "", "invalid"),
    ("07700 900 1234", "GB", "", "invalid"),         # one digit too many
    ("0770090012", "GB", "+44770090012", "possible"),  # one too few, yet a possible 9-digit NSN
    ("077009001", "GB", "", "invalid"),              # two too few: never +44077009001
    ("07700", "GB", "", "invalid"),
    ("011447700900123", "GB", "", "invalid"),        # US exit code under GB: not understood
    ("+44", "GB", "", "unparseable"),
    ("+999 123456789", "GB", "", "unparseable"),     # no such country code
    ("999", "GB", "", "short_code"),
    ("112", "GB", "", "short_code"),
    ("101", "GB", "", "short_code"),
    ("111", "GB", "", "short_code"),
    ("116123", "GB", "", "short_code"),
    ("118118", "GB", "", "short_code"),
    ("61234", "GB", "", "short_code"),
    # --- UK drama ranges of other types
    ("020 7946 0123", "GB", L, "ok"),
    ("0207 946 0123", "GB", L, "ok"),
    ("(020) 7946 0123", "GB", L, "ok"),
    ("2079460123", "GB", L, "ok"),
    ("0113 496 0999", "GB", "+441134960999", "ok"),
    ("0161 496 0000", "GB", "+441614960000", "ok"),
    ("0191 498 0123", "GB", "+441914980123", "ok"),
    ("029 2018 0123", "GB", "+442920180123", "ok"),
    ("028 9018 0123", "GB", "+442890180123", "ok"),
    ("0115 496 0123", "GB", "+441154960123", "possible"),   # phonenumbers: never valid
    ("01632 960123", "GB", "+441632960123", "possible"),
    ("08081 570123", "GB", "+448081570123", "ok"),
    ("0909 8790123", "GB", "+449098790123", "ok"),
    ("03069 990123", "GB", "+443069990123", "ok"),
    # --- other regions (phonenumbers' example numbers)
    ("00355 67 212 3456", "GB", "+355672123456", "ok"),
    ("355672123456", "GB", "+355672123456", "ok"),          # stored without +: retried
    ("067 212 3456", "AL", "+355672123456", "ok"),
    ("+355 (0)67 212 3456", "GB", "+355672123456", "ok"),
    ("84912345678", "GB", "+84912345678", "ok"),
    ("+840912345678", "GB", "+84912345678", "ok"),
    ("0912.345.678", "VN", "+84912345678", "ok"),
    ("0040712034567", "GB", "+40712034567", "ok"),
    ("40712034567", "GB", "+40712034567", "ok"),
    ("0712034567", "GB", "+44712034567", "possible"),       # RO national under GB: unrecoverable
    ("0048 512 345 678", "GB", "+48512345678", "ok"),
    ("512345678", "GB", "+44512345678", "possible"),        # 9 digits: no retry
    ("512 345 678", "PL", "+48512345678", "ok"),
    ("37061234567", "GB", "+37061234567", "ok"),
    ("(8-612) 34567", "LT", "+37061234567", "ok"),
    ("+1 201-555-0123", "GB", "+12015550123", "ok"),
    ("(201) 555-0123", "US", "+12015550123", "ok"),
    ("011 44 7700 900123", "US", M, "possible"),            # US exit code under US: fine
    ("06 12 34 56 78", "FR", "+33612345678", "ok"),
    ("0033 6 12 34 56 78", "GB", "+33612345678", "ok"),
    ("33612345678", "GB", "+33612345678", "ok"),
    ("+49 1512 3456789", "GB", "+4915123456789", "ok"),
    ("0049 (0)1512 3456789", "GB", "+4915123456789", "ok"),
    ("2348021234567", "GB", "+2348021234567", "ok"),
    ("+92 301 2345678", "GB", "+923012345678", "ok"),
    ("07797 712345", "GB", "+447797712345", "ok"),          # Jersey example mobile
]


def test_table_has_at_least_100_cases():
    assert len(CASES) >= 100
    assert len({(r, g) for r, g, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize("raw,region,e164,status", CASES)
def test_policy(raw, region, e164, status):
    got = normalise_one(raw, region)
    assert (got.e164 or "", got.status) == (e164, status), got.reason
    assert got.valid == (status == "ok")
    if status not in ("ok", "possible"):
        assert got.e164 is None


def test_the_same_table_through_normalise_values():
    raws = [c[0] for c in CASES if c[1] == "GB"]
    want = [c for c in CASES if c[1] == "GB"]
    out = normalise_values(pd.Series(raws, index=range(100, 100 + len(raws))))
    assert list(out.index) == list(range(100, 100 + len(raws)))
    assert out["e164"].fillna("").tolist() == [c[2] for c in want]
    assert out["status"].tolist() == [c[3] for c in want]


def test_reasons_say_why():
    assert normalise_one("7.7009E+09").reason == "rounded scientific notation: digits lost"
    assert "letters" in normalise_one("0800 FLOWERS").reason
    assert "all-zero" in normalise_one("00000000000").reason
    assert "too long" in normalise_one("07700 900 1234").reason
    assert "extension 22" in normalise_one("020 7946 0123 ext. 22").reason
    assert "without '+'" in normalise_one("355672123456").reason
    assert normalise_one("(+355) 67 212 3456").reason is None
    assert normalise_one("(+44) 7700 900123").reason is None
    assert "2 numbers" in normalise_one("07700900123/07700900124").reason


def test_type_country_network():
    r = normalise_one("07797 712345")            # phonenumbers' Jersey example mobile
    assert (r.type, r.country, r.network) == ("mobile", "JE", "JT")
    r = normalise_one("020 7946 0123")
    assert (r.type, r.country, r.network) == ("fixed_line", "GB", None)
    assert normalise_one("08081 570123").type == "toll_free"
    assert normalise_one("0909 8790123").type == "premium"
    r = normalise_one("07700900123")             # possible: country from the calling code
    assert (r.type, r.country, r.network) == (None, "GB", None)
    assert normalise_one("999").type == "emergency"
    assert normalise_one("101").type == "short_code"


def test_non_string_cells_from_parquet_or_excel():
    values = [7700900123.0, 7700900123, np.float64(2079460123.0), np.int64(447700900123), None,
              float("nan"), pd.NA, True]
    out = normalise_values(values)
    assert out["e164"].tolist()[:4] == [M, M, L, M]
    assert out["status"].tolist()[4:] == ["empty", "empty", "empty", "unparseable"]
    assert out["valid"].dtype == bool


def test_float_series_and_index_kept():
    s = pd.Series([7700900123.0, math.nan, 7700900123.0], index=["a", "b", "c"])
    out = normalise_values(s)
    assert list(out.index) == ["a", "b", "c"]
    assert out["e164"].tolist()[0] == M and pd.isna(out["e164"].tolist()[1])
    assert list(out.columns) == ["e164", "valid", "status", "type", "country", "network", "reason"]


def test_each_distinct_value_parsed_once(monkeypatch):
    from toexcli.phones import policy

    calls = []
    real = policy._normalise_text
    monkeypatch.setattr(policy, "_normalise_text", lambda t, r: calls.append(t) or real(t, r))
    policy._normalise_cached.cache_clear()
    values = ["07700 900777", "07700 900778"] * 5000
    out = normalise_values(values)
    assert len(out) == 10000 and sorted(calls) == ["07700 900777", "07700 900778"]


def test_normalise_inserts_columns_after_each_source_column():
    df = pd.DataFrame({"id": ["1", "2"], "a": ["07700900123", "Withheld"],
                       "b": ["020 7946 0123", ""], "_source": ["x.csv", "x.csv"], "_row": [1, 2]})
    out = normalise(df, ["a", "b"])
    suffixes = ["e164", "valid", "status", "type", "country", "network", "reason"]
    assert list(out.columns) == (["id", "a"] + [f"a_{s}" for s in suffixes] + ["b"]
                                 + [f"b_{s}" for s in suffixes] + ["_source", "_row"])
    pd.testing.assert_frame_equal(out[df.columns], df)           # originals untouched
    assert out["a_status"].tolist() == ["possible", "withheld"]
    assert out["b_e164"].fillna("").tolist() == [L, ""]
    assert "a_reason" not in normalise(df, "a", reason=False).columns


def test_normalise_missing_column_and_bad_region():
    df = pd.DataFrame({"phone": ["07700900123"]})
    with pytest.raises(UsageError, match="did you mean 'phone'"):
        normalise(df, ["Phone_no"])
    with pytest.raises(UsageError, match="unknown region"):
        normalise(df, ["phone"], region="XX")
    assert normalise(df, ["phone"], region="uk")["phone_e164"][0] == M
    with pytest.raises(UsageError, match="already exists"):
        normalise(normalise(df, ["phone"]), ["phone"])


def test_normalise_series():
    out = normalise(pd.Series(["07700900123"], name="msisdn"), None)
    assert list(out.columns)[:3] == ["msisdn", "msisdn_e164", "msisdn_valid"]


def test_one_pass_classification_matches_phonenumbers_public_functions():
    """The speed-up in _classify must give exactly is_valid_number / region / number_type."""
    import random

    import phonenumbers

    from toexcli.phones.policy import _classify

    rng = random.Random(5)
    numbers = [phonenumbers.example_number_for_type(r, t)
               for r in sorted(phonenumbers.SUPPORTED_REGIONS) for t in (0, 1, 3, 4, 6)]
    codes = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    numbers += [phonenumbers.PhoneNumber(country_code=rng.choice(codes),
                                         national_number=rng.randrange(10**5, 10**11))
                for _ in range(3000)]
    numbers += [phonenumbers.parse(f"+44{p}{rng.randrange(10**6):06d}")
                for p in ("7700", "7797", "7781", "7624", "7924", "1134", "2079") for _ in range(50)]
    for n in filter(None, numbers):
        valid, country, kind = _classify(n)
        assert valid == phonenumbers.is_valid_number(n), n
        if valid:
            assert (country, kind) == (phonenumbers.region_code_for_number(n),
                                       phonenumbers.number_type(n)), n


def test_streaming_arrow_path_equals_the_pandas_path():
    """The CLI's Arrow batches and the library's DataFrame function give the same columns,
    across batches that share values, with nulls, numeric and all-null columns."""
    import pyarrow as pa

    from toexcli.phones.policy import ArrowNormaliser

    raws = [c[0] for c in CASES if c[1] == "GB"]
    batches = [
        pa.record_batch({"a": pa.array(raws[:60] + [None]), "f": pa.array([7700900123.0] * 61),
                         "n": pa.nulls(61)}),
        pa.record_batch({"a": pa.array((raws[40:] + [None] * 101)[:101]),
                         "f": pa.array([None, 2079460123.0] * 50 + [1.5]),
                         "n": pa.nulls(101)}),
    ]
    norm = ArrowNormaliser(["a", "f", "n"])
    for batch in batches:
        got = norm(batch).to_pandas()
        want = normalise(batch.to_pandas(), ["a", "f", "n"])
        assert list(got.columns) == list(want.columns)
        for col in want.columns:
            if col in ("a", "f", "n"):
                continue
            assert got[col].tolist() == want[col].tolist() or \
                got[col].fillna("").tolist() == want[col].fillna("").tolist(), col
    assert got["f_status"].tolist()[:2] == ["empty", "ok"] and got["n_status"].eq("empty").all()
