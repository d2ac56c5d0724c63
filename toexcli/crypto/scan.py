"""Find crypto addresses in free text.

One precompiled pattern picks out candidate tokens (runs of 25+ letters, digits and '_', which
is every address format here, and shorter runs after a segwit prefix such as ``bc1``; ``bitcoincash:``/``bchtest:`` prefixes are re-attached), then each
DISTINCT candidate is classified once (checksums decide, so prose, hashes, phone numbers and
fingerprints fall away). ENS names (``*.eth``) are looked for only when ``.eth`` occurs.

For a DataFrame column the texts are joined with newlines and scanned in one pass; offsets are
mapped back to each row, so they are character offsets within that row's text.
"""

from __future__ import annotations

import re

from .address import EMPTY, NOT_ADDRESS, OCR_FIX_NOTE, UNRECOGNISED, _classify_cached

# The candidate pattern: also the "floor" the benchmark compares against.
# (runs of 25+, or a shorter bech32 run after a segwit prefix: witness v1+ programs may be 2 bytes)
CANDIDATE_RE = re.compile(r"(?<![0-9A-Za-z_])(?:[0-9A-Za-z_]{25,}|(?:bc|tb|bcrt|ltc|tltc|rltc|BC|TB|BCRT|LTC|"
                          r"TLTC|RLTC)1[02-9ac-hj-np-zAC-HJ-NP-Z]{9,22}(?![0-9A-Za-z_]))", re.ASCII)
ENS_RE = re.compile(r"(?<![\w.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+eth(?![\w-])",
                    re.IGNORECASE | re.ASCII)
_ETH_TAIL = re.compile(r"\.[eE][tT][hH](?![\w-])")
_ENS_AT_END = re.compile(r"(?<![\w.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+eth\Z",
                         re.IGNORECASE | re.ASCII)
_CASH_PREFIX_RE = re.compile(r"(?:bitcoincash|bchtest|bchreg):$", re.IGNORECASE)
HIT_KEYS = ("start", "end", "address", "chain", "type", "valid", "normalised", "status",
            "confidence", "note")


def _mixed_classes(tok: str) -> bool:
    return any(c.isdigit() for c in tok) and any(c.isupper() for c in tok) and any(c.islower() for c in tok)


def _reportable(tok: str, res: dict, include_invalid: bool) -> bool:
    if res["valid"]:
        return True
    if not include_invalid:
        return False
    status = res["status"]
    if not res["chain"] and not res["type"]:
        return False
    if status.startswith((NOT_ADDRESS, UNRECOGNISED, EMPTY)):
        return False
    if status.startswith("key material"):
        return True
    if status.startswith("bad character") and OCR_FIX_NOTE not in res["note"]:
        return False  # a base58-shaped word with a foreign character: only a fixable one is reported
    low = tok.lower()
    # near-misses: the shape of an address of a named chain, with a failing check
    if low.startswith("0x") or res["chain"] in ("bitcoin_cash", "bitcoin_cash_testnet"):
        return True
    if res["type"].startswith(("segwit", "p2w", "p2tr", "shelley", "sapling", "unified")):
        return True
    return _mixed_classes(tok)


class Finder:
    """Scan texts; remembers each distinct candidate's verdict across calls."""

    def __init__(self, include_invalid: bool = False):
        self.include_invalid = include_invalid
        self.cache: dict[str, tuple | None] = {}

    def verdict(self, tok: str):
        got = self.cache.get(tok, 0)
        if got == 0:
            res = _classify_cached(tok)
            got = tuple(res[k] for k in HIT_KEYS[3:]) if _reportable(tok, res, self.include_invalid) else None
            self.cache[tok] = got
        return got

    def scan(self, text: str):
        """Yield (start, end, address, chain, type, valid, normalised, status, confidence, note)."""
        verdict = self.verdict
        for m in CANDIDATE_RE.finditer(text):
            tok = m.group()
            start, end = m.span()
            if tok[0] in "qpQP" and start >= 7 and text[start - 1] == ":":
                pm = _CASH_PREFIX_RE.search(text, max(0, start - 12), start)
                if pm:
                    start = pm.start()
                    tok = text[start:end]
            got = verdict(tok)
            if got is None:
                continue
            if got[0] == "solana" and not _solana_context_ok(text, start, end):
                continue
            if not got[2] and _embedded(text, start, end):
                continue  # a near-miss glued to base64/URL/JWT punctuation is a fragment
            yield (start, end, tok) + got
        # ENS names: find each ".eth" ending first (cheap), then the name just before it
        for tail in _ETH_TAIL.finditer(text):
            end = tail.end()
            m = _ENS_AT_END.search(text, max(0, end - 300), end)
            if m is None:
                continue
            tok = m.group()
            got = verdict(tok)
            if got is not None:
                yield (m.start(), end, tok) + got


def _solana_context_ok(text: str, start: int, end: int) -> bool:
    """A checksum-less 32-byte base58 token that is a slice of base64, a URL query value or a
    JWT segment is not reported (it would be a false positive 1-2% of the time)."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before and before in "+=&?#.":
        return False
    if after and after in "+=":
        return False
    if after == "." and end + 1 < len(text) and text[end + 1].isalnum():
        return False
    return True


def _embedded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return bool(before and before in "+/=." or after and after in "+/=" or
                after == "." and end + 1 < len(text) and text[end + 1].isalnum())


def find_in_text(text: str, include_invalid: bool = False) -> list[dict]:
    """Every address in ``text``: dicts with start, end (character offsets), address (as
    written), chain, type, valid, normalised, status, confidence, note. Checksum-valid hits only
    unless ``include_invalid`` (then near-misses of a recognisable address shape, and key material,
    are included too)."""
    if not isinstance(text, str) or not text:
        return []
    hits = [dict(zip(HIT_KEYS, h)) for h in Finder(include_invalid).scan(text)]
    hits.sort(key=lambda h: h["start"])
    return hits
