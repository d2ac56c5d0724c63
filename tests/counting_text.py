"""A text that counts how many characters Python-level looks at it cover (slices, find, rfind).

Tests of "stays linear on one huge line" assert this count against a bound instead of timing a
run, so they cannot be flaky on a loaded machine and fail by orders of magnitude when a search
goes back to the start of the line for every candidate again."""

from __future__ import annotations


class Probe(str):
    """Reset ``Probe.covered = 0`` before the run, read it after."""

    covered = 0

    def _count(self, start, end):
        start = 0 if start is None else start
        end = len(self) if end is None else end
        Probe.covered += max(0, end - max(0, start))

    def find(self, sub, start=None, end=None):
        self._count(start, end)
        return str.find(self, sub, *(a for a in (start, end) if a is not None))

    def rfind(self, sub, start=None, end=None):
        self._count(start, end)
        return str.rfind(self, sub, *(a for a in (start, end) if a is not None))

    def __getitem__(self, key):
        out = str.__getitem__(self, key)
        Probe.covered += len(out)
        return out
