"""`toex phones extract` on one very long line stays linear (issue 23: a 10 MB cell).

The tests assert the algorithmic bound, not a time: the text is a str subclass that counts the
characters every Python-level look at it (slice, find, rfind) covers. Linear work means a
bounded number of characters per candidate; the old code looked back to the start of the line
for every candidate (quadratic).
"""

from __future__ import annotations

import phonenumbers

from counting_text import Probe

from toexcli.phones import extraction
from toexcli.phones.extraction import _BoundedText, find_numbers
from toexcli.spans import Spans


def _line(n_messages: int) -> str:
    parts = []
    for i in range(n_messages):
        parts.append(f"call 07700 900{i % 1000:03d} or ring 020 7946 0{i % 1000:03d}; "
                     f"order 12345{i % 100:03d} 2024-01-{i % 28 + 1:02d} 10:00 ")
    return "".join(parts)


def test_work_per_character_is_bounded_on_one_long_line():
    text = Probe(_line(3000))  # ~270 KB, no newline
    Probe.covered = 0
    found = find_numbers(text)
    assert len(found) >= 3000
    # Each candidate may look ~40 characters back: a few hundred per candidate at most.
    # The quadratic version covered ~len(text)/2 per candidate (hundreds of millions here).
    assert Probe.covered < 400 * len(found) + 2 * len(text), Probe.covered


def test_the_matcher_reads_a_bounded_window_after_a_timestamp():
    """phonenumbers reads text[offset:] after each date-and-hour-like candidate: quadratic on
    a long line of timestamps. It is handed a text whose open slices stop after 64 characters."""
    t = _BoundedText("2024-01-02 10:00 " * 1000)
    assert len(t[17:]) == 64 and t[17:] == str(t)[17:81]
    assert t[3:9] == str(t)[3:9] and t[-5:] == str(t)[-5:] and t[4] == str(t)[4]
    assert isinstance(t[3:9], str)


def test_long_texts_go_to_the_matcher_bounded(monkeypatch):
    seen = []
    real = phonenumbers.PhoneNumberMatcher

    def spy(text, *args, **kwargs):
        seen.append(type(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(phonenumbers, "PhoneNumberMatcher", spy)
    long_found = find_numbers("2024-01-02 10:00 call 07700 900123 " * 200)
    short_found = find_numbers("call 07700 900123")
    assert seen == [_BoundedText, str]
    assert {f[3].e164 for f in long_found} == {f[3].e164 for f in short_found} == {"+447700900123"}


def test_same_numbers_with_and_without_the_bounded_text(monkeypatch):
    text = _line(200) + " 447700900321 and +44 7700 900456 and 447700900999@s.whatsapp.net"
    fast = [(f[0], f[1], f[2], f[3].e164) for f in find_numbers(text)]
    monkeypatch.setattr(extraction, "_BoundedText", str)
    plain = [(f[0], f[1], f[2], f[3].e164) for f in find_numbers(text)]
    assert fast == plain and len(fast) > 400


def test_spans_overlap_like_the_brute_force():
    import random

    rnd = random.Random(5)
    spans = sorted((s, s + rnd.randint(1, 30)) for s in rnd.sample(range(5000), 400))
    index = Spans(spans)
    for _ in range(2000):
        a = rnd.randint(0, 5100)
        b = a + rnd.randint(1, 40)
        assert index.overlaps(a, b) == any(a < e and s < b for s, e in spans)


def test_no_number_is_lost_after_many_failed_candidates(monkeypatch):
    """phonenumbers' matcher gives up silently after `max_tries` failed candidates; the cap is
    now more than a text can hold (each failure moves on a character), so a number after many
    failures is still found. With the matcher's kind of fixed cap it is lost: the tampered run."""
    text = "+999 555 " * 300 + "call 07700 900123"  # 300 candidates with no such country code
    assert extraction.max_tries(text) > len(text)
    assert [f[0] for f in find_numbers(text)] == ["07700 900123"]
    monkeypatch.setattr(extraction, "max_tries", lambda text: 100)
    assert find_numbers(text) == []
