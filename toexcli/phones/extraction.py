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

import phonenumbers
from phonenumbers import Leniency

from ..errors import UsageError, require_columns
from ..spans import Spans
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


def max_tries(text: str) -> int:
    """How many failed candidates phonenumbers' matcher may try before it stops: more than the
    text can hold. Each failed candidate moves the search on by at least one character, so
    len(text) + 1 never stops a search early, while the matcher's own cap (a fixed count, 2^20
    here before) silently ended the search in a huge text and lost every number after that
    point. The work stays linear: every look around a candidate is bounded (issue 23)."""
    return len(text) + 1


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
    jids = Spans((f[1], f[2]) for f in found)
    seen = _BoundedText(text) if len(text) > 4096 else text
    for m in phonenumbers.PhoneNumberMatcher(seen, region, leniency=lenient,
                                             max_tries=max_tries(text)):
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
        taken = Spans(sorted((f[1], f[2]) for f in found))
        for m in _BARE.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            res = _normalise_cached(m.group(0), region)
            if _international(res) and not set(_words_before(text, m.start())) & NEGATIVE_WORDS:
                found.append((m.group(0), m.start(), m.end(), res))
        found.sort(key=lambda f: f[1])
    return found


# The fewest digits any number phonenumbers accepts as possible has (country code included):
# 4 ('+49 12', or a 4-digit local-only number under GB). A test recomputes it from the metadata.
MIN_NUMBER_DIGITS = 4


def _candidate_run() -> str:
    """An Arrow (RE2) pattern that every text with a phone number matches: MIN_NUMBER_DIGITS
    digits, each group separated by at most 4 of the matcher's punctuation characters (its own
    candidate pattern: a WhatsApp id or bare international number is a longer run still).
    'meet at 10:30', '£25', 'room 12', 'see you at 7pm' fail it and are never searched."""
    from phonenumbers.phonenumberutil import _VALID_PUNCTUATION

    return (r"\p{Nd}(?:[" + _VALID_PUNCTUATION + r"]{0,4}\p{Nd}){" + str(MIN_NUMBER_DIGITS - 1)
            + "}")


_FIRST_DIGIT = re.compile(r"\d")
WINDOW_BEFORE, WINDOW_AFTER, WINDOW_AFTER_AT = 60, 1, 24


def digit_window(text: str) -> tuple[str, int]:
    """(the part of a short text that decides what :func:`find_numbers` finds, its offset).

    Everything find_numbers reads lies near a digit: the matcher's candidates start at most a
    few characters (a '+', a bracket) before one and end on one; the cue words are at most 40
    characters before a candidate; after the last digit only the next character counts, or
    ``@s.whatsapp.net`` after a WhatsApp id. So the text from 60 characters before its first
    digit to 1 after its last (24 when an '@' follows) gives the same numbers at offsets less
    the window's start. 'call me on 07700 900123 mate' and '... bro' share one window: each
    is searched once (issue 23). Long texts (over 2,000 characters) are taken whole.
    """
    if len(text) > 2000:
        return text, 0
    m = _FIRST_DIGIT.search(text)
    if m is None:
        return text, 0
    last = len(text) - 1
    while not text[last].isdecimal():  # \d is a Unicode decimal digit: str.isdecimal
        last -= 1
    after = WINDOW_AFTER_AT if text[last + 1:last + 2] == "@" else WINDOW_AFTER
    lo = max(0, m.start() - WINDOW_BEFORE)
    return text[lo:last + 1 + after], lo


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

    # Each distinct text is searched once (the part of it near its digits: digit_window), and
    # only when it holds a run of digits a number could be (_candidate_run): that prefilter runs
    # over the distinct texts in Arrow, so chat lines with no such run ('ok', 'on my way',
    # 'meet at 10:30') cost nothing in Python. Hits are then spread to their rows with numpy
    # (issue 23: 1M short messages took 177 s).
    import pyarrow as pa
    import pyarrow.compute as pc

    idx_parts, col_parts, hit_parts = [], [], []
    flat: list = [None]  # flat[0]: "no match" (keep_all); hits of every distinct text after it
    cache: dict = {}
    for ci, col in enumerate(columns):
        codes, uniques = pd.factorize(df[col], use_na_sentinel=True)
        strs = [u if isinstance(u, str) else str(u) for u in uniques.tolist()]
        texts = pa.array(strs, type=pa.large_string())  # for the prefilter only
        has_digit = np.asarray(pc.match_substring_regex(texts, _candidate_run()).to_numpy(
            zero_copy_only=False), dtype=bool) if len(texts) else np.zeros(0, bool)
        first = np.zeros(len(texts) + 1, np.int64)  # hits of distinct text u: flat[first[u]:...]
        count = np.zeros(len(texts) + 1, np.int64)  # the last slot: a missing value (code -1)
        for u in np.flatnonzero(has_digit).tolist():
            text = strs[u]
            key, shift = digit_window(text)
            found = cache.get(key)
            if found is None:
                found = cache[key] = find_numbers(key, region, leniency)
            if shift and found:
                found = [(raw, a + shift, b + shift, res) for raw, a, b, res in found]
            if found:
                first[u] = len(flat)
                count[u] = len(found)
                flat.extend(found)
        codes = np.where(codes < 0, len(texts), codes)
        per_row = count[codes]
        if keep_all:  # a row with no hit: one row pointing at flat[0]
            reps = np.maximum(per_row, 1)
        else:
            reps = per_row
        rows = np.repeat(np.arange(len(codes), dtype=np.int64), reps)
        within = np.arange(len(rows), dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
        hit = np.where(per_row[rows] > 0, first[codes[rows]] + within, 0)
        idx_parts.append(rows)
        col_parts.append(np.full(len(rows), ci, np.int64))
        hit_parts.append(hit)
    idx = np.concatenate(idx_parts) if idx_parts else np.zeros(0, np.int64)
    colno = np.concatenate(col_parts) if col_parts else np.zeros(0, np.int64)
    hitno = np.concatenate(hit_parts) if hit_parts else np.zeros(0, np.int64)
    order = np.argsort(idx, kind="stable")  # input order, then column
    idx, colno, hitno = idx[order], colno[order], hitno[order]

    def field(get, dtype=object, none=None):
        values = np.empty(len(flat), dtype=dtype)
        values[0] = none
        values[1:] = [get(h) for h in flat[1:]] if len(flat) > 1 else []
        return values[hitno]

    out = {c: base[c][idx] for c in lead}
    out["column"] = np.asarray(columns, dtype=object)[colno] if len(columns) else []
    out["match"] = field(lambda h: h[0])
    out["start"] = pd.array(field(lambda h: h[1]), dtype="Int64")
    out["end"] = pd.array(field(lambda h: h[2]), dtype="Int64")
    for name in ("e164", "valid", "status", "type", "country", "network"):
        if name == "valid":
            out[name] = field(lambda h: bool(h[3].valid), dtype=bool, none=False)
        elif name == "status":
            out[name] = field(lambda h: h[3].status, none="no_match")
        else:
            out[name] = field(lambda h, name=name: getattr(h[3], name))
    result = pd.DataFrame(out)
    for c in ("column", "match", "e164", "status", "type", "country", "network"):
        result[c] = result[c].astype("str")
    for c in lead:
        if c in df.columns:
            result[c] = result[c].astype(df[c].dtype)
    return result
