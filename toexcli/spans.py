"""An index of character spans (start, end) found in one text so far.

extract's finders ask "does this new hit overlap one already taken?", extract's digit check asks
"does one of the hits contain [a, b)?", and phones' matcher asks the first of numbers it has
found. Each question costs O(log n + spans that start within the widest span's width), so a
10 MB line with thousands of hits stays linear (issue 23)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort


class Spans:
    def __init__(self, spans=()):
        self.items: list[tuple[int, int]] = []  # sorted by (start, end)
        self.widest = 0
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        insort(self.items, (start, end))
        self.widest = max(self.widest, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        """Does a span share at least one character with [start, end)?"""
        lo = bisect_left(self.items, (start - self.widest, -1))
        hi = bisect_left(self.items, (end, -1))
        return any(b > start for _, b in self.items[lo:hi])

    def contains(self, a: int, b: int) -> bool:
        """Does a span hold all of [a, b)?"""
        lo = bisect_left(self.items, (b - self.widest, -1))
        hi = bisect_right(self.items, (a, float("inf")))
        return any(e >= b for _, e in self.items[lo:hi])
