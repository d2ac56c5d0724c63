"""toexcli.spans.Spans, the one span index of extract's finders, its digit check and phones'
matcher: the same answers as a brute-force scan, whatever the order spans come in and however
wide they are (extract's finders had a fixed 128-character window)."""

from __future__ import annotations

import random

from toexcli.spans import Spans


def test_overlaps_and_contains_like_the_brute_force():
    rnd = random.Random(11)
    spans = [(s, s + rnd.choice([rnd.randint(1, 40), rnd.randint(100, 600)]))
             for s in (rnd.randrange(6000) for _ in range(400))]
    index = Spans()
    for s, e in spans:  # in no particular order
        index.add(s, e)
    assert index.widest == max(e - s for s, e in spans)
    for _ in range(4000):
        a = rnd.randrange(6700)
        b = a + rnd.randint(1, 50)
        assert index.overlaps(a, b) == any(a < e and s < b for s, e in spans)
        assert index.contains(a, b) == any(s <= a and b <= e for s, e in spans)


def test_a_wide_span_far_back_is_still_seen():
    index = Spans([(0, 1000), (990, 995)])
    assert index.overlaps(900, 901) and index.contains(10, 900)
    assert not Spans([(0, 10)]).overlaps(10, 20)
