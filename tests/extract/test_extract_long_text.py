"""`toex extract` on one very long line stays linear (issue 23: a 10 MB cell).

The tests assert the algorithmic bound, not a time: the text is a str subclass that counts the
characters every Python-level look at it (slice, find, rfind) covers. The old code searched to
both ends of the message for every candidate (quadratic on one long message), copied the tail
of the cue-word index for every lookup, re-checked every candidate against every hit of the
message, and rebuilt the whole text once per masked card.
"""

from __future__ import annotations

import random

from counting_text import Probe

from toexcli.extract import core, finders
from toexcli.extract.core import _Containing, _masked, search_texts
from toexcli.extract.finders import Hit


def _line(n: int) -> str:
    return "".join(f"AB12 CDE parked at SW1A 1AA by 12 ab, reg 1234 x, van A1 BC{i % 10} "
                   for i in range(n))


def test_cue_word_lookups_are_bounded_on_one_long_message():
    text = Probe(_line(4000))  # ~270 KB: one message
    hits = 0
    for finder in (finders.find_vrm, finders.find_postcode):
        Probe.covered = 0
        found = list(finder(text))
        hits += len(found)
        # a bounded window per candidate; the quadratic version covered len(text) per candidate
        assert Probe.covered < 1000 * 4000 + 2 * len(text), (finder.__name__, Probe.covered)
    assert hits >= 8000


def test_word_index_does_not_copy_its_tail():
    """near() walked a copy of every later position (self._starts[lo:]) for each lookup."""
    index = finders.WordIndex(finders.VEHICLE_WORDS)
    text = "van " * 50000

    class Starts(list):
        copied = 0

        def __getitem__(self, key):
            if isinstance(key, slice):
                Starts.copied += len(list.__getitem__(self, key))
            return list.__getitem__(self, key)

    assert index.near(text, 10, 12)
    index._starts = Starts(index._starts)
    for p in range(0, 40000, 400):
        index.near(text, p, p + 3)
    assert Starts.copied < 1000


def test_in_message_same_answer_as_searching_to_the_ends():
    rnd = random.Random(3)
    index = finders.WordIndex(finders.VEHICLE_WORDS)
    for _ in range(300):
        words = [rnd.choice(["van", "x", "AB12CDE", "\x00", "ok", "lorem ipsum dolor", "1"])
                 for _ in range(rnd.randint(1, 120))]
        text = " ".join(words)
        start = rnd.randrange(len(text))
        end = min(len(text), start + rnd.randint(1, 8))
        lo = text.rfind("\x00", 0, start) + 1
        hi = text.find("\x00", end)
        hi = len(text) if hi < 0 else hi
        if hi - lo <= finders.SHORT_MESSAGE:
            want = index.near(text, start, end, start - lo, hi - end)
        else:
            want = index.near(text, start, end, 40, 25)
        assert index.in_message(text, start, end, 40, 25) == want


def test_phone_candidates_checked_against_an_index_built_once(monkeypatch):
    built = []

    class Counting(_Containing):
        def __init__(self, hits):
            built.append(1)
            super().__init__(hits)

    monkeypatch.setattr(core, "_Containing", Counting)
    one = " ".join(f"sort code 20-32-06 account 1315217{i % 10} then 0770090{i % 1000:04d}"
                   for i in range(300))
    texts = [one, "call 07700 900123", "no digits here"]
    per = search_texts(texts, ["phone", "sortcode_account"])
    assert len(built) <= 2  # one per message with a candidate, not one per candidate
    assert sum(h.kind == "sortcode_account" for h in per[0]) == 300
    assert [h.normalised for h in per[1]] == ["+447700900123"]


def test_containing_like_the_brute_force():
    rnd = random.Random(9)
    spans = [(s, s + rnd.randint(1, 60)) for s in (rnd.randrange(4000) for _ in range(300))]
    hits = [Hit("iban", s, e, "", "", True, 0.9) for s, e in spans]
    index = _Containing(hits)
    for _ in range(3000):
        a = rnd.randrange(4100)
        b = a + rnd.randint(1, 30)
        assert index.contains(a, b) == any(s <= a and b <= e for s, e in spans)


def _masked_naive(text, hits):
    cards = [h for h in hits if h.kind == "card" or getattr(h, "masked", False)]
    out = text
    for h in cards:
        out = out[:h.start] + finders.mask_digits(out[h.start:h.end]) + out[h.end:]
    return out


def test_masking_copies_the_text_once_and_masks_as_before():
    rnd = random.Random(4)
    text = "".join(rnd.choice("0123456789 ab") for _ in range(5000))
    for _ in range(50):
        hits = []
        for _ in range(rnd.randint(1, 12)):
            s = rnd.randrange(4900)
            hits.append(Hit(rnd.choice(["card", "imei"]), s, s + rnd.randint(4, 40), "", "", True, 0.9))
            if hits[-1].kind == "imei" and rnd.random() < 0.5:
                hits[-1].masked = True
        assert _masked(text, hits) == _masked_naive(text, hits)
    many = [Hit("card", s, s + 16, "", "", True, 0.9) for s in range(0, 200000, 20)]
    big = Probe("4111111111111111 ab " * 10000)
    Probe.covered = 0
    _masked(big, many)
    assert Probe.covered < 3 * len(big)  # the naive version copied it once per card
