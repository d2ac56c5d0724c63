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
        profile_columns([self], [col])

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
    """Dates and timestamps from text, read by the toolbox's one time model as wall clocks
    (day first; a zone written in a value is not applied: a column's range is shown as
    written); NaT where the value is not a date."""
    from .. import timemodel

    wall = timemodel.walls(s.to_numpy(dtype=object), dayfirst=True)["wall"]
    # by position: Series(series, index=...) would align on the labels (a subset of s has gaps)
    out = pd.Series(wall.to_numpy(), index=s.index)
    # years outside 1900-2100 are not dates (e.g. 12-34-56 sort codes read as dates)
    yr = out.dt.year
    return out.where((yr >= 1900) & (yr <= 2100))


def profile_columns(profiles: list[ColumnProfile], cols: list) -> None:
    """Add one batch of several columns (``cols[i]`` to ``profiles[i]``).

    The text columns are examined together: their trimmed values are stacked into one array
    with the column each came from, counted per (column, value) once, and each check runs once
    over all of them; the figures are then gathered per column with bincount/groupby. A row with
    100,000 keys costs a few array operations, not 100,000 rounds of them (issue 23).
    """
    text_p, text_c = [], []
    for p, col in zip(profiles, cols):
        if isinstance(col, pa.ChunkedArray):
            col = col.combine_chunks()
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            text_p.append(p)
            text_c.append(col if pa.types.is_large_string(col.type) else col.cast(pa.large_string()))
        else:
            p._add_typed(col)
    if not text_p:
        return
    lengths = np.fromiter((len(c) for c in text_c), np.int64, len(text_c))
    which = np.repeat(np.arange(len(text_c), dtype=np.int64), lengths)
    values = pc.utf8_trim_whitespace(pa.concat_arrays(text_c))
    keep = pc.and_kleene(pc.is_valid(values), pc.not_equal(values, ""))
    counted = (pa.table({"c": pa.array(which), "v": values}).filter(keep)
               .group_by(["c", "v"], use_threads=False).aggregate([("c", "count")]))
    if not counted.num_rows:
        return
    col = counted.column("c").to_numpy()
    order = np.argsort(col, kind="stable")  # per column, values in order of first appearance
    col = col[order]
    vals = counted.column("v").take(pa.array(order)).to_pylist()
    cnt = counted.column("c_count").to_numpy()[order].astype(np.int64)
    bounds = np.searchsorted(col, np.arange(len(text_p) + 1))
    for i, p in enumerate(text_p):
        a, b = bounds[i], bounds[i + 1]
        if a < b:
            p.non_empty += int(cnt[a:b].sum())
            p._count(vals[a:b], cnt[a:b])
    _detect(text_p, vals, cnt, col)


def _per_column(profiles, col, mask, cnt) -> list[tuple]:
    """(profile, summed count) for each column with a value under ``mask``."""
    sums = np.bincount(col[mask], weights=cnt[mask], minlength=len(profiles))
    return [(profiles[i], int(sums[i])) for i in np.flatnonzero(sums)]


def _detect(profiles, vals: list[str], cnt: np.ndarray, col: np.ndarray) -> None:
    """Numbers, dates and identifier kinds among the distinct values of several columns
    (``col[i]``: the profile of ``vals[i]``, counted ``cnt[i]`` times)."""
    s = pd.Series(vals, dtype="str")
    # numbers written as text: 1,234.50  -12  £300  (45.00)
    isnum = s.str.match(_NUMBER.pattern).fillna(False).to_numpy(bool).copy()
    looks_date = s.str.contains(r"[/\-.:]", regex=True).fillna(False).to_numpy(bool) & ~isnum
    phone = _phones(profiles, s, cnt, col, looks_date)
    # identifiers written with digits (phone numbers, 0-prefixed codes) are not quantities
    isnum &= ~phone & ~s.str.match(r"^0[0-9]").fillna(False).to_numpy(bool)
    isnum &= ~s.str.match(_LONG_DIGITS.pattern).fillna(False).to_numpy(bool)
    if isnum.any():
        clean = s[isnum].str.replace(r"[£$€,\s]", "", regex=True)
        neg = clean.str.startswith("(")
        clean = clean.str.strip("()")
        num = pd.to_numeric(clean, errors="coerce")
        num = num.where(~neg, -num)
        ok = num.notna().to_numpy()
        if ok.any():
            g = pd.DataFrame({"c": col[isnum][ok], "v": num.to_numpy()[ok], "n": cnt[isnum][ok]})
            agg = g.groupby("c", sort=False).agg(lo=("v", "min"), hi=("v", "max"), n=("n", "sum"))
            for c, lo, hi, n in zip(agg.index, agg["lo"], agg["hi"], agg["n"]):
                profiles[c]._num(float(lo), float(hi), int(n))
    # nn-nn-nn is a sort code in case data, not a dd-mm-yy date
    looks_date &= ~s.str.match(ID_PATTERNS["sort_code"].pattern).fillna(False).to_numpy(bool)
    if looks_date.any():
        d = _parse_dates(s[looks_date])
        ok = d.notna().to_numpy()
        if ok.any():
            g = pd.DataFrame({"c": col[looks_date][ok], "v": d[ok].to_numpy(),
                              "n": cnt[looks_date][ok]})
            agg = g.groupby("c", sort=False).agg(lo=("v", "min"), hi=("v", "max"), n=("n", "sum"))
            for c, lo, hi, n in zip(agg.index, agg["lo"], agg["hi"], agg["n"]):
                profiles[c].kinds["date"] += int(n)
                profiles[c]._date(pd.Timestamp(lo), pd.Timestamp(hi), int(n))
    for kind, rx in ID_PATTERNS.items():
        m = s.str.match(rx.pattern).fillna(False).to_numpy(bool).copy()
        if kind == "iban" and m.any():
            m[m] = [_iban_ok(v) for v in s[m]]
        if kind == "imei" and m.any():
            m[m] = [_luhn_ok(v) for v in s[m]]
        if kind == "vrm" and m.any():
            m &= ~isnum
        if m.any():
            for p, n in _per_column(profiles, col, m, cnt):
                p.kinds[kind] += n


def _phones(profiles, s: pd.Series, cnt: np.ndarray, col: np.ndarray, looks_date: np.ndarray) -> np.ndarray:
    shape = s.str.match(PHONE_SHAPE.pattern).fillna(False).to_numpy(bool) & ~looks_date
    found = np.zeros(len(s), bool)
    if shape.any():
        from ..phones import normalise_values

        res = normalise_values(s[shape].reset_index(drop=True), region="GB")
        ok = res["e164"].notna().to_numpy() & res["status"].isin(["ok", "possible"]).to_numpy()
        found[np.flatnonzero(shape)[ok]] = True
        sums = np.bincount(col[found], weights=cnt[found], minlength=len(profiles))
        for i in np.unique(col[shape]):  # a column with phone-shaped values counts, even 0
            profiles[i].kinds["phone"] += int(sums[i])
    return found


def summarise_table(table, top: int = 5, distinct_cap: int = DISTINCT_CAP) -> dict:
    """Profile a ``TableInput`` (streamed)."""
    profiles = [ColumnProfile(f.name, str(f.type), distinct_cap) for f in table.schema
                if f.name not in ("_source", "_row")]
    by_name = {p.name: p for p in profiles}
    for batch in table.batches():
        pairs = [(by_name[name], col) for name, col in zip(batch.schema.names, batch.columns)
                 if name in by_name]
        profile_columns([p for p, _ in pairs], [c for _, c in pairs])
    return {"kind": "table", "rows": table.rows_read,
            "sources": [s.name for s in table.sources],
            "columns": [p.result(top) for p in profiles]}
