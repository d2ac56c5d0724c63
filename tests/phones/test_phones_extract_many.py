"""`toex phones extract` on many short messages (issue 23: 1M took 177 s).

Structural bounds, not times: a message with no run of digits a number could be is never given
to the matcher; each distinct digit window is searched once; and the windowed search gives the
same numbers, at the same offsets, as searching every message whole.
"""

from __future__ import annotations

import random

import pandas as pd
import phonenumbers
import pytest

from toexcli.phones import extraction
from toexcli.phones.extraction import MIN_NUMBER_DIGITS, digit_window, extract, find_numbers


def test_min_number_digits_holds_for_this_metadata():
    """The prefilter needs MIN_NUMBER_DIGITS digits in a run: no region's possible (or
    local-only) length plus its country code is shorter."""
    fewest = 99
    for region in phonenumbers.SUPPORTED_REGIONS:
        md = phonenumbers.PhoneMetadata.metadata_for_region(region)
        lengths = []
        for desc in (md.general_desc, md.fixed_line, md.mobile, md.toll_free, md.premium_rate,
                     md.shared_cost, md.personal_number, md.voip, md.pager, md.uan, md.voicemail):
            if desc is not None:
                lengths += [n for n in (desc.possible_length or ()) if n > 0]
                lengths += [n for n in (desc.possible_length_local_only or ()) if n > 0]
        if lengths:
            fewest = min(fewest, min(lengths) + len(str(md.country_code)))
    assert fewest >= MIN_NUMBER_DIGITS


def test_messages_without_a_digit_run_never_reach_the_matcher(monkeypatch):
    searched = []
    real = extraction.find_numbers

    def spy(text, *a, **k):
        searched.append(text)
        return real(text, *a, **k)

    monkeypatch.setattr(extraction, "find_numbers", spy)
    texts = ["ok", "on my way", "meet at 10:30", "£25 for the lot", "room 12", "see you at 7pm",
             "call me on 07700 900123 mate", "call me on 07700 900123 bro", "+49 12", None] * 500
    df = pd.DataFrame({"text": pd.array(texts, dtype="str")})
    for leniency in ("context", "possible"):
        searched.clear()
        out = extract(df, "text", keep_all=True, leniency=leniency)
        # one window for both 'call me' messages ('mate'/'bro' are outside it), one for +49 12
        assert sorted(searched) == ["+49 12", "call me on 07700 900123 "]
        assert len(out) == len(texts)  # --keep-all: every row accounted for, one hit each here
    got = extract(df.head(10), "text")
    assert got["match"].tolist() == ["07700 900123", "07700 900123"]
    assert got["_row"].tolist() == [6, 7] and got["start"].tolist() == [11, 11]


def _random_message(rnd: random.Random) -> str:
    parts = ["call", "ring me on", "order", "ref", "text", "\n", "(0)", "+44", "0044", "tel:",
             "07700 900123", "07700900", "123", "447700900456", "447700900456@s.whatsapp.net",
             "2024-01-02 10:00", ":30", "ext 12", "x", "£", "020 7946 0123", "+49 12", "mate",
             " ", " ", "-", "/", "wa", "+1 202 555 0100", "1234567890123", "٠٧٧٠٠٩٠٠١٢٣"]
    return "".join(rnd.choice(parts) + rnd.choice(["", " ", "  "]) for _ in range(rnd.randint(1, 14)))


@pytest.mark.parametrize("leniency", ["context", "possible", "valid"])
def test_windowed_search_finds_what_the_whole_text_gives(leniency):
    rnd = random.Random(23)
    texts = [_random_message(rnd) for _ in range(1500)]
    texts += ["x" * 70 + t + "y" * 70 for t in texts[:300]]  # windows that cut both ends
    df = pd.DataFrame({"text": pd.array(texts, dtype="str")})
    out = extract(df, "text", leniency=leniency)
    got = sorted(zip(out["_row"].tolist(), out["match"].tolist(), out["start"].tolist(),
                     out["end"].tolist(), [e if isinstance(e, str) else "" for e in out["e164"]]))
    want = sorted((i, raw, s, e, res.e164 or "") for i, t in enumerate(texts)
                  for raw, s, e, res in find_numbers(t, "GB", leniency))
    assert got == want and len(want) > 300


def test_digit_window():
    assert digit_window("ok") == ("ok", 0)
    text = "a" * 100 + "07700 900123" + " mate" * 10
    window, at = digit_window(text)
    assert at == 40 and window == "a" * 60 + "07700 900123" + " "
    tail = "@s.whatsapp.net and more words after it"
    window, at = digit_window("z" * 80 + "447700900123" + tail)
    assert window == "z" * 60 + "447700900123" + tail[:24] and at == 20
    long = "call 07700 900123 " * 200
    assert digit_window(long) == (long, 0)
