"""Profile any table: per column non-empty, distinct, top values, min/max of the numbers and
dates found in the text, and which kinds of identifier the values look like.

Streams batch by batch; each batch's distinct values are examined once (with their counts), so a
value repeated a million times costs one check. Distinct counting stops at ``distinct_cap``
values per column (reported as a lower bound) to keep memory bounded.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .parsing import DAYFIRST_FORMATS

DISTINCT_CAP = 200_000

# Kinds of identifier a value can look like: cheap patterns, each distinct value checked once.
ID_PATTERNS = {
    "email": re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$"),
    "wallet": re.compile(r"^(?:bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}"
                         r"|0x[0-9a-fA-F]{40}|T[1-9A-HJ-NP-Za-km-z]{33})$"),
    "vrm": re.compile(r"^(?:[A-Z]{2}[0-9]{2}\s?[A-Z]{3}|[A-Z][0-9]{1,3}\s?[A-Z]{3}"
                      r"|[A-Z]{3}\s?[0-9]{1,3}[A-Z])$"),
    "iban": re.compile(r"^[A-Z]{2}[0-9]{2}(?:\s?[A-Z0-9]{4}){2,7}\s?[A-Z0-9]{1,4}$"),
    "sort_code": re.compile(r"^'?[0-9]{2}-[0-9]{2}-[0-9]{2}$"),
    "imei": re.compile(r"^[0-9]{15}$"),  # and Luhn-valid (checked below)
}
# A run of 12+ digits with nothing else (IMEI, IMSI, ICCID, card) is an identifier, never a
# quantity: a range '352,099,001,761,481' means nothing.
_LONG_DIGITS = re.compile(r"^[0-9]{12,}$")


def _luhn_ok(v: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(v)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0
PHONE_SHAPE = re.compile(r"^(?:\+|00|0|44|7)[\d\s()\-./]{8,18}$")
_NUMBER = re.compile(r"^\(?[-+]?£?\$?€?\s?[0-9][0-9,]*(?:\.[0-9]+)?\)?$")


# Python-only regex features (Unicode-aware \s \d \w \b): such a pattern runs with Python's re;
# the rest run once per batch in Arrow (RE2). pandas' .str.match decided this anew on every call,
# re-parsing the pattern: ~1 ms a call, most of a wide table's time (20,000 columns: minutes).
_PY_ONLY = re.compile(r"\\[sSdDwWbB]")


def _matches(arr: pa.Array, vals: list[str], rx: re.Pattern) -> np.ndarray:
    """``rx.match`` over ``vals`` (``arr`` is the same values in Arrow) as a bool array."""
    if _PY_ONLY.search(rx.pattern):
        return np.fromiter((rx.match(v) is not None for v in vals), bool, len(vals))
    pattern = rx.pattern if rx.pattern.startswith("^") else "^(?:" + rx.pattern + ")"
    hit = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
    return hit.to_numpy(zero_copy_only=False).copy()


_ZERO_LED = re.compile(r"^0[0-9]")


def _iban_ok(v: str) -> bool:
    s = v.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    digits = "".join(str(int(ch, 36)) for ch in s[4:] + s[:4])
    return int(digits) % 97 == 1


class ColumnProfile:
    def __init__(self, name: str, type_: str, cap: int):
        self.name = name
        self.type = type_
        self.cap = cap
        self.non_empty = 0
        self.counts: Counter = Counter()
        self.capped = False
        self.distinct_seen = 0
        self.kinds: Counter = Counter()
        self.num_min = self.num_max = None
        self.numbers = 0
        self.date_min = self.date_max = None
        self.dates = 0

    def add(self, col: pa.Array) -> None:
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            self._add_typed(col)
            return
        vc = pc.value_counts(pc.utf8_trim_whitespace(col))
        values = vc.field("values").to_pylist()
        counts = vc.field("counts").to_numpy()
        keep = [(v, int(c)) for v, c in zip(values, counts) if v not in (None, "")]
        if not keep:
            return
        vals = [v for v, _ in keep]
        cnt = np.array([c for _, c in keep], np.int64)
        self.non_empty += int(cnt.sum())
        self._count(vals, cnt)
        self._detect(vals, cnt)

    def _count(self, vals, cnt) -> None:
        if self.capped:
            return
        for v, c in zip(vals, cnt):
            self.counts[v] += int(c)
        if len(self.counts) > self.cap:
            # keep the most common so top values stay meaningful; distinct becomes a lower bound
            self.capped = True
            self.distinct_seen = len(self.counts)
            self.counts = Counter(dict(self.counts.most_common(1000)))

    def _add_typed(self, col: pa.Array) -> None:
        valid = col.filter(pc.is_valid(col))
        if not len(valid):
            return
        self.non_empty += len(valid)
        vc = pc.value_counts(valid)
        vals = [str(v) for v in vc.field("values").to_pylist()]
        self._count(vals, vc.field("counts").to_numpy())
        t = col.type
        if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
            mm = pc.min_max(valid)
            self._num(float(mm["min"].as_py()), float(mm["max"].as_py()), len(valid))
        elif pa.types.is_timestamp(t) or pa.types.is_date(t):
            mm = pc.min_max(valid)
            self._date(pd.Timestamp(mm["min"].as_py()), pd.Timestamp(mm["max"].as_py()), len(valid))

    def _num(self, lo, hi, n):
        self.numbers += n
        self.num_min = lo if self.num_min is None else min(self.num_min, lo)
        self.num_max = hi if self.num_max is None else max(self.num_max, hi)

    def _date(self, lo, hi, n):
        self.dates += n
        self.date_min = lo if self.date_min is None else min(self.date_min, lo)
        self.date_max = hi if self.date_max is None else max(self.date_max, hi)

    def _detect(self, vals: list[str], cnt: np.ndarray) -> None:
        s = pd.Series(vals, dtype="str")
        arr = pa.array(vals, pa.string())
        # numbers written as text: 1,234.50  -12  £300  (45.00)
        isnum = _matches(arr, vals, _NUMBER)
        looks_date = pc.fill_null(pc.match_substring_regex(arr, r"[/\-.:]"), False).to_numpy(
            zero_copy_only=False) & ~isnum
        phone = self._phones(s, arr, vals, cnt, looks_date)
        # identifiers written with digits (phone numbers, 0-prefixed codes) are not quantities
        isnum &= ~phone & ~_matches(arr, vals, _ZERO_LED)
        isnum &= ~_matches(arr, vals, _LONG_DIGITS)
        if isnum.any():
            clean = s[isnum].str.replace(r"[£$€,\s]", "", regex=True)
            neg = clean.str.startswith("(")
            clean = clean.str.strip("()")
            num = pd.to_numeric(clean, errors="coerce")
            num = num.where(~neg, -num)
            ok = num.notna()
            if ok.any():
                self._num(float(num[ok].min()), float(num[ok].max()), int(cnt[isnum][ok.to_numpy()].sum()))
        if looks_date.any():
            d = _parse_dates(s[looks_date])
            ok = d.notna().to_numpy()
            if ok.any():
                self.kinds["date"] += int(cnt[looks_date][ok].sum())
                self._date(d[ok].min(), d[ok].max(), int(cnt[looks_date][ok].sum()))
        for kind, rx in ID_PATTERNS.items():
            m = _matches(arr, vals, rx)
            if kind == "iban" and m.any():
                m[m] = [_iban_ok(v) for v in s[m]]
            if kind == "imei" and m.any():
                m[m] = [_luhn_ok(v) for v in s[m]]
            if kind == "vrm" and m.any():
                m &= ~isnum
            if m.any():
                self.kinds[kind] += int(cnt[m].sum())
    def _phones(self, s: pd.Series, arr, vals, cnt: np.ndarray, looks_date: np.ndarray) -> np.ndarray:
        shape = _matches(arr, vals, PHONE_SHAPE) & ~looks_date
        found = np.zeros(len(s), bool)
        if shape.any():
            from ..phones import normalise_values

            res = normalise_values(s[shape].reset_index(drop=True), region="GB")
            ok = res["e164"].notna().to_numpy() & res["status"].isin(["ok", "possible"]).to_numpy()
            found[np.flatnonzero(shape)[ok]] = True
            self.kinds["phone"] += int(cnt[found].sum())
        return found

    def result(self, top: int) -> dict:
        out = {
            "name": self.name, "type": self.type, "non_empty": self.non_empty,
            "distinct": max(len(self.counts), self.distinct_seen), "distinct_is_lower_bound": self.capped,
            "top_values": [{"value": v, "count": int(c)} for v, c in
                           sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
            "numbers": None, "dates": None,
            "identifier_kinds": {k: int(v) for k, v in sorted(self.kinds.items(), key=lambda kv: -kv[1])},
        }
        if self.numbers:
            out["numbers"] = {"count": self.numbers, "min": _num(self.num_min), "max": _num(self.num_max)}
        if self.dates:
            out["dates"] = {"count": self.dates, "min": self.date_min.isoformat(),
                            "max": self.date_max.isoformat()}
        return out


def _num(v):
    return int(v) if v is not None and float(v).is_integer() and abs(v) < 2**53 else v


def _parse_dates(s: pd.Series) -> pd.Series:
    """Day-first dates/timestamps from text; NaT where none of the formats fit."""
    arr = pa.array(s.to_numpy(dtype=object), type=pa.string())
    result = pa.nulls(len(arr), pa.timestamp("s"))
    for fmt in DAYFIRST_FORMATS:
        parsed = pc.strptime(arr, format=fmt, unit="s", error_is_null=True)
        result = pc.if_else(pc.is_null(result), parsed, result)
        if pc.all(pc.is_valid(result)).as_py():
            break
    out = pd.Series(result.to_pandas(), index=s.index)
    # years outside 1900-2100 are not dates (e.g. 12-34-56 sort codes read as dates)
    yr = out.dt.year
    return out.where((yr >= 1900) & (yr <= 2100))


def summarise_table(table, top: int = 5, distinct_cap: int = DISTINCT_CAP) -> dict:
    """Profile a ``TableInput`` (streamed)."""
    profiles = [ColumnProfile(f.name, str(f.type), distinct_cap) for f in table.schema
                if f.name not in ("_source", "_row")]
    by_name = {p.name: p for p in profiles}
    for batch in table.batches():
        for name, col in zip(batch.schema.names, batch.columns):
            if name in by_name:
                by_name[name].add(col)
    return {"kind": "table", "rows": table.rows_read,
            "sources": [s.name for s in table.sources],
            "columns": [p.result(top) for p in profiles]}
