"""Find phone numbers in free text (messages, notes, OCR'd documents).

phonenumbers' ``PhoneNumberMatcher`` has a trade-off: at its default leniency (VALID) it finds
none of Ofcom's drama-range numbers (and no real number from a range its metadata does not
know yet), while at POSSIBLE it also matches order numbers, codes, amounts and dates. The
default ``context`` leniency takes the POSSIBLE candidates, reads each one under the same
normalisation policy as ``toex phones normalise``, and keeps it only when:

* the policy reads it as a possible or valid number (``ok`` / ``possible``); and
* it is written in a dialled form (starts with ``+``, ``0``, or ``(0``/``(+``) and none of the
  three words before it marks it as something else (order, ref, invoice, code, pin, account,
  card, IMEI, ...); or
* it is bare digits (no ``+``/``0``) and either the policy read it as a valid international
  number stored without ``+`` (rule 6), or one of the three words before it says it is a phone
  number (call, ring, text, tel, mob, number, WhatsApp, ...), again with no contrary word.

* or it is 11-15 bare digits that the policy reads as a valid international number stored
  without ``+`` (the matcher never offers these: under the default region they are too long).

``valid`` and ``possible`` leniencies give phonenumbers' own matcher as it is (every match,
with the policy's reading beside it), for comparison.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

import phonenumbers
from phonenumbers import Leniency

from ..errors import UsageError, require_columns
from .policy import _ascii_digits, _normalise_cached, check_region

LENIENCIES = ("context", "valid", "possible")
OUTPUT_FIELDS = ("match", "start", "end", "e164", "valid", "status", "type", "country", "network")

NEGATIVE_WORDS = {
    "order", "ord", "ref", "reference", "invoice", "inv", "receipt", "code", "pin", "password",
    "account", "acct", "acc", "a/c", "card", "sort", "iban", "bic", "transaction", "txn",
    "tracking", "parcel", "consignment", "case", "crime", "urn", "imei", "imsi", "iccid",
    "serial", "s/n", "postcode", "id", "passport", "licence", "license", "nino", "nhs", "vrm",
    "reg", "policy", "cheque", "amount", "total", "balance", "£", "$", "€", "gbp", "usd", "eur",
    "qty", "otp", "voucher", "booking", "flight", "room", "seat", "page", "exhibit",
}
POSITIVE_WORDS = {
    "call", "calls", "called", "calling", "ring", "rang", "text", "texts", "txt", "tel", "tel.",
    "telephone", "phone", "ph", "mob", "mobile", "mob.", "number", "numbers", "no", "no.", "num",
    "nr", "whatsapp", "wa", "signal", "telegram", "contact", "dial", "dialled", "cell", "landline",
    "fax", "sim", "handset", "burner", "tlf", "tfn", "numero", "número", "nummer",
}
_WORD = re.compile(r"[^\s:;,()\[\]{}\"'=]+")
_DIALLED = re.compile(r"^[(\[]?\s*[+0]")
_FRAGMENT = re.compile(r"\d[ \-./]?$")  # bare digits straight after other digits: a fragment
_JID = re.compile(r"(?i)(?<![\w+])\+?\d{6,15}@(?:s\.whatsapp\.net|c\.us)\b")
_BARE = re.compile(r"(?<![\w+])\d{11,15}(?![\w@])")


def _words_before(text: str, start: int, n: int = 3) -> list[str]:
    # Look back at most 40 characters (never to the start of a 10 MB line: issue 23).
    line_start = max(text.rfind("\n", max(0, start - 40), start) + 1, start - 40)
    words = _WORD.findall(text[line_start:start].lower())[-n:]
    return [w.strip(".#:-") or w for w in words] + words


class _Spans:
    """Spans (start, end) added in order of start, for 'does this overlap one?' in O(log n)."""

    def __init__(self, spans=()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.widest = 0
        for s, e in spans:
            self.add(s, e)

    def add(self, start: int, end: int) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.widest = max(self.widest, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        hi = bisect_left(self.starts, end)
        lo = bisect_left(self.starts, start - self.widest, 0, hi)
        return any(self.ends[i] > start for i in range(lo, hi))


class _BoundedText(str):
    """The text as phonenumbers' matcher sees it. The matcher reads ``text[offset:]`` (the whole
    rest of the text) to test 3 characters after each date-and-hour-like candidate, which makes
    it quadratic on one long line of timestamps (issue 23); an open slice here is cut to 64
    characters. Every other use (regex search from a position, one character, closed slices)
    is the plain string's."""

    __slots__ = ()

    def __getitem__(self, key):
        if isinstance(key, slice) and key.stop is None and key.step is None:
            start = key.start or 0
            if start >= 0:
                key = slice(start, start + 64)
        return str.__getitem__(self, key)


def find_numbers(text: str, region: str = "GB", leniency: str = "context") -> list[tuple]:
    """The phone numbers in one text: a list of (raw match, start, end, PhoneResult).

    Linear in the length of the text: every look around a candidate is bounded (issue 23).
    """
    if not text:
        return []
    lenient = Leniency.VALID if leniency == "valid" else Leniency.POSSIBLE
    found = []
    if leniency == "context":  # WhatsApp ids (rule 4) are numbers whatever the words around them
        for m in _JID.finditer(text):
            res = _normalise_cached(m.group(0), region)
            if res.status in ("ok", "possible"):
                found.append((m.group(0), m.start(), m.end(), res))
    jids = _Spans((f[1], f[2]) for f in found)
    seen = _BoundedText(text) if len(text) > 4096 else text
    for m in phonenumbers.PhoneNumberMatcher(seen, region, leniency=lenient, max_tries=1 << 20):
        raw = m.raw_string
        res = _normalise_cached(raw, region)
        if leniency == "context":
            if jids.overlaps(m.start, m.end):
                continue
            if res.status not in ("ok", "possible"):
                continue
            before = set(_words_before(text, m.start))
            negative = bool(before & NEGATIVE_WORDS)
            if _DIALLED.match(_ascii_digits(unicodedata.normalize("NFKC", raw))):
                if negative:
                    continue
            elif (negative or _FRAGMENT.search(text, max(0, m.start - 4), m.start)
                  or not (_international(res) or before & POSITIVE_WORDS)):
                continue  # bare digits need a reason to be a phone number
        found.append((raw, m.start, m.end, res))
    if leniency == "context":
        # International numbers stored without '+' (rule 6): the matcher, parsing under the
        # default region, never offers them.
        taken = _Spans(sorted((f[1], f[2]) for f in found))
        for m in _BARE.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            res = _normalise_cached(m.group(0), region)
            if _international(res) and not set(_words_before(text, m.start())) & NEGATIVE_WORDS:
                found.append((m.group(0), m.start(), m.end(), res))
        found.sort(key=lambda f: f[1])
    return found


def _international(res) -> bool:
    return res.status == "ok" and bool(res.reason) and "without '+'" in res.reason


OUTPUT_COLUMNS = ("column", "match", "start", "end", "e164", "valid", "status", "type", "country",
                  "network")


def extract(df, column, region: str = "GB", keep_all: bool = False, *, leniency: str = "context",
            keep=(), source: str = "input"):
    """One row per phone number found in the text of ``column`` (or each of several columns).

    Columns: ``_source`` and ``_row`` (from the input, else ``_row`` is the index), any ``keep``
    columns, ``column`` (which column it came from), ``match`` (the raw text matched), ``start``
    and ``end`` (character offsets, end exclusive), ``e164``, ``valid``, ``status``, ``type``,
    ``country``, ``network``. ``keep_all`` adds one row with no match for each input row that
    had none, so every input row is accounted for.
    """
    import numpy as np
    import pandas as pd

    columns = [column] if isinstance(column, str) else list(dict.fromkeys(column))
    if not columns:
        raise UsageError("give the text column to search (-c COLUMN)")
    if leniency not in LENIENCIES:
        raise UsageError(f"unknown leniency '{leniency}'; use one of {', '.join(LENIENCIES)}")
    keep = [keep] if isinstance(keep, str) else list(keep)
    require_columns(df.columns, columns + keep, source)
    clash = [c for c in keep if c in OUTPUT_COLUMNS]
    if clash:
        raise UsageError(f"{source}: -k {clash[0]}: the output has its own '{clash[0]}' column, which "
                         "would overwrite it; rename yours first (e.g. toex merge stack FILE --rename "
                         f"{clash[0]}=case_{clash[0]} -o - --to arrow | toex phones extract - ...)")
    region = check_region(region)

    prov = [c for c in ("_source", "_row") if c in df.columns]
    base = {c: df[c].to_numpy() for c in prov}
    if "_row" not in prov:
        base["_row"] = np.asarray(df.index)
    for c in keep:
        base[c] = df[c].to_numpy()
    lead = list(dict.fromkeys(prov + ["_row"] + keep))

    idx, names, hits = [], [], []
    cache: dict = {}
    for col in columns:
        codes, uniques = pd.factorize(df[col], use_na_sentinel=True)
        per_unique = [None] * len(uniques)
        for row, code in enumerate(codes):
            if code < 0:
                found = []
            else:
                found = per_unique[code]
                if found is None:
                    text = uniques[code]
                    text = text if isinstance(text, str) else str(text)
                    key = (text, leniency)
                    found = cache.get(key)
                    if found is None:
                        found = cache[key] = find_numbers(text, region, leniency)
                    per_unique[code] = found
            if found:
                for hit in found:
                    idx.append(row); names.append(col); hits.append(hit)
            elif keep_all:
                idx.append(row); names.append(col); hits.append(None)
    order = np.argsort(np.asarray(idx, dtype=np.int64), kind="stable")  # input order, then column
    idx = np.asarray(idx, dtype=np.int64)[order]
    names = [names[i] for i in order]
    hits = [hits[i] for i in order]

    out = {c: base[c][idx] for c in lead}
    out["column"] = names
    out["match"] = [h[0] if h else None for h in hits]
    out["start"] = pd.array([h[1] if h else None for h in hits], dtype="Int64")
    out["end"] = pd.array([h[2] if h else None for h in hits], dtype="Int64")
    for i, name in enumerate(("e164", "valid", "status", "type", "country", "network")):
        if name == "valid":
            out[name] = np.array([bool(h and h[3].valid) for h in hits], dtype=bool)
        elif name == "status":
            out[name] = [h[3].status if h else "no_match" for h in hits]
        else:
            out[name] = [getattr(h[3], name) if h else None for h in hits]
    result = pd.DataFrame(out)
    for c in ("column", "match", "e164", "status", "type", "country", "network"):
        result[c] = result[c].astype("str")
    for c in lead:
        if c in df.columns:
            result[c] = result[c].astype(df[c].dtype)
    return result
