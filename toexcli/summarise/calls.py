"""Summarise call records (provider CDRs and phone downloads) in bounded memory.

Each batch is reduced to small aggregates at once (per handset and contact; per handset and day;
per handset, weekday and hour), so five million records never exist as Python objects. Numbers
go through ``toex phones`` before anything is counted: ``07700900150``, ``447700900150`` and
``7700900150`` are one contact; withheld, empty and unreadable parties are not contacts (their
records still count for the handset).

Who is the handset? With a target column (provider CDR) it is the target, and a record's contact
is the party that is not the target. Without one (a phone download), each source file is one
handset: the number that appears in most of that file's records.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .detect import CallColumns
from .parsing import (NAT, NumberCodes, TimestampParser, ValueMap, as_text_array, duration_seconds,
                      is_text_type, iso)

DAY_NS = 86_400 * 1_000_000_000
HOUR_NS = 3_600 * 1_000_000_000
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_TS = np.iinfo(np.int64).max


@dataclass
class CallOptions:
    region: str = "GB"
    jaccard: float = 0.5          # replacement candidates: least contact-set overlap
    min_shared: int = 3           # ... and least shared contacts
    regular: int = 3              # contacts with at least this many records form the sets ...
    regular_share: float = 0.001  # ... and at least this share of the number's records
    min_records: int = 5          # numbers with fewer records are not compared
    silence_days: int = 7         # the old number is silent for at least this long at the end
    gap_days: int = 14            # the new number's first record within this of the old's last
    burst_factor: float = 3.0     # a burst day has this many times the usual daily records ...
    burst_min: int = 10           # ... and at least this many
    join_budget: int = 20_000_000  # most rows of the shared-neighbour join (then hubs are skipped)


class CallsSummariser:
    """Feed DataFrame batches with ``add``; ``result()`` gives the JSON-ready summary."""

    def __init__(self, cols: CallColumns, options: CallOptions | None = None):
        self.cols = cols
        self.opt = options or CallOptions()
        self.numbers = NumberCodes(self.opt.region)
        self.times = TimestampParser(dayfirst=True)
        self.types = ValueMap(is_text_type, dtype=bool, missing=False)
        self.durations = ValueMap(duration_seconds)
        self.source_handset: dict[str, int] = {}
        self.sources: list[str] = []
        self._parts: dict[str, list[dict]] = {"pairs": [], "daily": [], "clock": []}
        self._pending = 0
        self.records = 0
        self.bad_time = 0
        self.no_handset = 0
        self.unattributed = 0
        self.duplicates = 0

    # ------------------------------------------------------------------ per batch
    def add(self, batch) -> None:
        """One batch: an Arrow RecordBatch/Table or a pandas DataFrame."""
        if isinstance(batch, pd.DataFrame):
            batch = pa.Table.from_pandas(batch, preserve_index=False)
        c = self.cols
        if c.duplicate and c.duplicate in batch.schema.names:
            # the other end of a call already in the table (toex calls parse paired them): once
            dup = pc.not_equal(pc.utf8_trim_whitespace(as_text_array(batch.column(c.duplicate)).fill_null("")), "")
            ndup = pc.sum(dup).as_py() or 0
            if ndup:
                self.duplicates += ndup
                batch = batch.filter(pc.invert(dup))
        n = batch.num_rows
        if not n:
            return
        self.records += n
        col = batch.column

        # the number columns go through one lookup together
        names = [x for x in dict.fromkeys((c.from_, c.to, c.target, c.contact)) if x]
        looked = self.numbers(pa.concat_arrays([as_text_array(col(x)) for x in names]))
        found = dict(zip(names, np.split(looked, len(names))))
        frm = found[c.from_] if c.from_ else np.full(n, -1, np.int64)
        to = found[c.to] if c.to else np.full(n, -1, np.int64)
        if c.target:
            handset = found[c.target]
        else:
            src = col("_source") if "_source" in batch.schema.names else pa.nulls(n, pa.string())
            handset = self._handsets_by_source(src, frm, to)
        if c.contact:  # the call table names the other party itself (forward legs included)
            contact = found[c.contact]
        else:
            contact = np.where(frm == handset, to, np.where(to == handset, frm, -2))
        # neither party is the handset: a one-sided record (the other side blank) still names one
        neither = contact == -2
        if neither.any():
            only = np.where(frm < 0, to, np.where(to < 0, frm, -1))
            self.unattributed += int((neither & (only < 0) & (frm >= 0) & (to >= 0)).sum())
            contact = np.where(neither, only, contact)
        self.no_handset += int((handset < 0).sum())
        text = self.types(col(c.type)) if c.type else np.zeros(n, bool)
        dur = self.durations(col(c.duration)) if c.duration else np.zeros(n)
        if c.clock:
            d = pc.utf8_trim_whitespace(as_text_array(col(c.time)).fill_null(""))
            k = pc.utf8_trim_whitespace(as_text_array(col(c.clock)).fill_null(""))
            ts = self.times.parse(pc.utf8_trim_whitespace(pc.binary_join_element_wise(d, k, " ")))
        else:
            ts = self.times.parse(col(c.time))
        ok = ts != NAT
        self.bad_time += int((~ok).sum())
        day = np.where(ok, np.floor_divide(ts, DAY_NS), NAT)
        # three small aggregates, each on one integer key (hash codes + bincount, no group-by)
        self._parts["pairs"].append(_reduce(
            {"h": handset, "c": contact}, counts=None,
            sums={"t": text.astype(np.int64), "d": np.nan_to_num(dur, nan=0.0)},
            mins={"first": np.where(ok, ts, MAX_TS)}, maxs={"last": np.where(ok, ts, NAT)},
            frame=False))
        hok, dok = handset[ok], day[ok]
        self._parts["daily"].append(_reduce({"h": hok, "day": dok}, frame=False))
        hour = np.floor_divide(ts[ok], HOUR_NS) % 24
        dow = (dok + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        self._parts["clock"].append(_reduce({"h": hok, "dow": dow, "hour": hour}, frame=False))
        self._pending += n
        if self._pending > 2_000_000:
            self._compact()

    def _handsets_by_source(self, src, frm, to) -> np.ndarray:
        enc = pc.dictionary_encode(as_text_array(src).fill_null(""))
        codes = enc.indices.to_numpy(zero_copy_only=False)
        uniq = enc.dictionary.to_pylist()
        lut = []
        for i, s in enumerate(uniq):
            if s not in self.source_handset:
                rows = codes == i
                f, t = frm[rows], to[rows]
                both = np.concatenate([f, t])
                both = both[both >= 0]
                best = -1
                if len(both):
                    # the handset is the number that appears in most of the file's records ...
                    vals, counts = np.unique(both, return_counts=True)
                    best = int(vals[np.argmax(counts)])
                    # ... and in at least two thirds of them; otherwise the file does not carry its
                    # own number (a download with the owner's side blank): the file names the handset
                    if ((f == best) | (t == best)).sum() * 3 < rows.sum() * 2:
                        best = -1
                if best < 0 and s:
                    best = self.numbers.code_of(f"file:{s}")
                self.source_handset[s] = best
                self.sources.append(s)
            lut.append(self.source_handset[s])
        return np.array(lut + [-1], np.int64)[codes]

    def _compact(self) -> None:
        for key, parts in self._parts.items():
            if len(parts) > 1:
                self._parts[key] = [_reduce_parts(parts, key)]
        self._pending = 0

    # ------------------------------------------------------------------ the summary
    def frames(self) -> dict[str, pd.DataFrame]:
        self._compact()
        out = {}
        for key, parts in self._parts.items():
            out[key] = pd.DataFrame(parts[0]) if parts else None
        if out["pairs"] is None:
            out["pairs"] = pd.DataFrame({k: pd.Series(dtype="int64") for k in
                                         ("h", "c", "n", "t", "d", "first", "last")})
        if out["daily"] is None:
            out["daily"] = pd.DataFrame({k: pd.Series(dtype="int64") for k in ("h", "day", "n")})
        if out["clock"] is None:
            out["clock"] = pd.DataFrame({k: pd.Series(dtype="int64") for k in ("h", "dow", "hour", "n")})
        return out

    def result(self) -> dict:
        f = self.frames()
        out = build_calls_summary(f["pairs"], f["daily"], f["clock"], self.numbers.numbers,
                                  self.opt, records=self.records, bad_time=self.bad_time,
                                  no_handset=self.no_handset, unattributed=self.unattributed,
                                  columns=self.cols)
        out["records_two_ended_counted_once"] = int(self.duplicates)
        return out


_KEYS = {"pairs": ("h", "c"), "daily": ("h", "day"), "clock": ("h", "dow", "hour")}


def _reduce(keys: dict, counts=None, sums=None, mins=None, maxs=None, sort=False,
            frame=True):
    """Group rows on the integer key columns ``keys`` (name -> int64 array): ``n`` (the rows,
    or the sum of ``counts``), then the sums, minima and maxima of the other columns. The keys
    are folded into one int64 code; a code range not much wider than the rows is counted
    directly (bincount), a wider one hashed once, and with ``sort`` the groups are runs of one
    stable argsort, in the order of the key columns (otherwise in no promised order: callers
    sort what they show). A DataFrame, or with ``frame=False`` a dict of arrays."""
    cols = {k: np.asarray(v, np.int64) for k, v in keys.items()}
    n = len(next(iter(cols.values())))
    sums, mins, maxs = sums or {}, mins or {}, maxs or {}
    wrap = pd.DataFrame if frame else dict
    if not n:
        empty = {k: np.zeros(0, np.int64) for k in (*cols, "n", *sums, *mins, *maxs)}
        for k, v in sums.items():
            empty[k] = np.zeros(0, np.asarray(v).dtype)
        return wrap(empty)
    folded, span, bounds = None, 1, []
    for v in cols.values():
        lo, width = int(v.min()), int(v.max()) - int(v.min()) + 1
        bounds.append((lo, width))
        span *= width
        if span < 1 << 62:
            folded = v - lo if folded is None else folded * width + (v - lo)
    if span >= 1 << 62:  # a key too wide to fold: hash the columns together instead
        codes, uniq = pd.factorize(pd.MultiIndex.from_arrays(list(cols.values())), sort=sort)
    elif sort:  # sorted anyway: one stable argsort, then each group is a run
        order = np.argsort(folded, kind="stable")
        ks = folded[order]
        starts = np.flatnonzero(np.concatenate([[True], ks[1:] != ks[:-1]]))
        out = {k: v[order[starts]] for k, v in cols.items()}
        out["n"] = (np.diff(np.concatenate([starts, [n]])) if counts is None else
                    np.add.reduceat(np.asarray(counts, np.int64)[order], starts))
        for k, v in sums.items():
            out[k] = np.add.reduceat(np.asarray(v)[order], starts)
        for k, v in mins.items():
            out[k] = np.minimum.reduceat(np.asarray(v, np.int64)[order], starts)
        for k, v in maxs.items():
            out[k] = np.maximum.reduceat(np.asarray(v, np.int64)[order], starts)
        return wrap(out)
    elif span <= max(4 * n, 1 << 16):  # dense: the folded key is the group number
        cnt = np.bincount(folded, minlength=span)
        present = np.flatnonzero(cnt)
        out, rest = {}, present
        for (lo, width), k in reversed(list(zip(bounds, cols))):
            out[k] = rest % width + lo
            rest = rest // width
        out = {k: out[k] for k in cols}
        out["n"] = (cnt[present] if counts is None else
                    np.bincount(folded, weights=counts, minlength=span)[present].astype(np.int64))
        for k, v in sums.items():
            total = np.bincount(folded, weights=v, minlength=span)[present]
            out[k] = total.astype(np.int64) if np.asarray(v).dtype.kind in "iu" else total
        for k, v in mins.items():
            acc = np.full(span, MAX_TS, np.int64)
            np.minimum.at(acc, folded, v)
            out[k] = acc[present]
        for k, v in maxs.items():
            acc = np.full(span, NAT, np.int64)
            np.maximum.at(acc, folded, v)
            out[k] = acc[present]
        return wrap(out)
    else:
        codes, uniq = pd.factorize(folded, sort=sort)
    m = len(uniq)
    first_row = np.empty(m, np.int64)
    first_row[codes[::-1]] = np.arange(n - 1, -1, -1)
    out = {k: v[first_row] for k, v in cols.items()}
    out["n"] = (np.bincount(codes, minlength=m) if counts is None else
                np.bincount(codes, weights=counts, minlength=m).astype(np.int64))
    for k, v in sums.items():
        total = np.bincount(codes, weights=v, minlength=m)
        out[k] = total.astype(np.int64) if np.asarray(v).dtype.kind in "iu" else total
    for k, v in mins.items():
        acc = np.full(m, MAX_TS, np.int64)
        np.minimum.at(acc, codes, v)
        out[k] = acc
    for k, v in maxs.items():
        acc = np.full(m, NAT, np.int64)
        np.maximum.at(acc, codes, v)
        out[k] = acc
    return wrap(out)


def _reduce_parts(parts: list[dict], key: str) -> dict:
    """Parts of one aggregate (dicts of arrays) gathered and reduced again to one row a key."""
    df = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    keys = {k: df[k] for k in _KEYS[key]}
    if key != "pairs":
        return _reduce(keys, counts=df["n"], frame=False)
    return _reduce(keys, counts=df["n"], sums={"t": df["t"], "d": df["d"]},
                   mins={"first": df["first"]}, maxs={"last": df["last"]}, frame=False)


def _iso_many(ns: np.ndarray) -> list:
    """ISO 8601 text for many int64-nanosecond times at once (None for NAT)."""
    if not len(ns):
        return []
    text = np.datetime_as_string(np.asarray(ns, np.int64).view("datetime64[ns]").astype("datetime64[s]"))
    out = text.tolist()
    for i in np.flatnonzero(np.asarray(ns) == NAT):
        out[i] = None
    return out


def _iso_arrow(ns: np.ndarray) -> pa.Array:
    """ISO 8601 text (``2024-03-31T01:10:00``, null for NAT) of int64 nanoseconds, in C."""
    ns = np.asarray(ns, np.int64)
    ok = ns != NAT
    secs = np.floor_divide(ns, 1_000_000_000)
    if ok.any() and (secs[ok].min() < _YEAR_1000 or secs[ok].max() >= _YEAR_10000):
        return pa.array(_iso_many(ns), pa.string())  # years Arrow would not write as ISO does
    ts = pa.array(secs, pa.timestamp("s"), mask=~ok)
    return pc.utf8_replace_slice(ts.cast(pa.string()), 10, 11, "T")


_YEAR_1000 = -30_610_224_000
_YEAR_10000 = 253_402_300_800


def contact_table(contacts: pd.DataFrame, numbers: list[str]):
    """The per-handset contact rows (sorted by handset) as one columnar table: contact, count,
    calls, texts, duration_s, first, last (a :class:`~toexcli.summarise.rows.RowTable`)."""
    from .rows import RowTable

    first = contacts["first"].to_numpy()
    table = pa.table({
        "contact": pa.array(numbers, pa.string()).take(pa.array(contacts["c"].to_numpy())),
        "count": pa.array(contacts["n"].to_numpy(np.int64)),
        "calls": pa.array(contacts["calls"].to_numpy(np.int64)),
        "texts": pa.array(contacts["t"].to_numpy(np.int64)),
        "duration_s": pa.array(np.rint(contacts["d"].to_numpy(np.float64)).astype(np.int64)),
        "first": _iso_arrow(np.where(first == MAX_TS, NAT, first)),
        "last": _iso_arrow(contacts["last"].to_numpy()),
    })
    return RowTable(table)


@lru_cache(maxsize=1 << 16)
def _day_iso(day: int) -> str:
    return pd.Timestamp(int(day) * DAY_NS).date().isoformat()


def build_calls_summary(pairs, daily, clock, numbers, opt: CallOptions, *, records, bad_time,
                        no_handset, unattributed, columns) -> dict:
    num = np.array(numbers + [None], dtype=object)  # code -1 -> None

    def name(code):
        return num[int(code)] if code >= 0 else None

    pairs = pairs[pairs["h"] >= 0]
    contacts = pairs[pairs["c"] >= 0].copy()
    contacts["calls"] = contacts["n"] - contacts["t"]
    # by handset, most records first, then the contact's number as text: sorted on integer ranks
    # of the numbers (each number's text compared once) rather than on 300,000 strings
    rank = np.empty(len(numbers), np.int64)
    rank[np.argsort(np.array(numbers, dtype=object), kind="stable")] = np.arange(len(numbers))
    cc = contacts["c"].to_numpy()
    contacts = contacts.iloc[np.lexsort((rank[cc], -contacts["n"].to_numpy(), contacts["h"].to_numpy()))]

    per_h = pairs.groupby("h").agg(n=("n", "sum"), first=("first", "min"), last=("last", "max"))
    not_contact = pairs[pairs["c"] < 0].groupby("h")["n"].sum()
    order = sorted(per_h.index, key=lambda h: (-int(per_h.loc[h, "n"]), name(h)))
    handsets = []
    hcol = contacts["h"].to_numpy()
    bounds = {}
    if len(hcol):  # contacts are sorted by handset: each handset is one slice
        cut = np.flatnonzero(np.diff(hcol)) + 1
        starts = np.concatenate([[0], cut])
        ends = np.concatenate([cut, [len(hcol)]])
        bounds = {int(hcol[a]): (a, b) for a, b in zip(starts, ends)}
    # every handset's contacts are one slice of one Arrow table: dicts or JSON text are made
    # from it only when asked for (see rows.py), not 300,000 dicts here
    table = contact_table(contacts, numbers)
    for h in order:
        a, b = bounds.get(h, (0, 0))
        handsets.append({
            "handset": name(h), "records": int(per_h.loc[h, "n"]),
            "not_contacts": int(not_contact.get(h, 0)),
            "first": iso(per_h.loc[h, "first"] if per_h.loc[h, "first"] != MAX_TS else None),
            "last": iso(per_h.loc[h, "last"]),
            "distinct_contacts": int(b - a), "contacts": table.rows(a, b),
        })

    # contacts common to two or more handsets
    common, common_to_all = [], []
    n_handsets = len(order)
    if n_handsets >= 2 and len(contacts):
        multi = contacts[contacts.groupby("c")["h"].transform("size") >= 2]
        # by contact, then handset number as text (ranks again)
        mh = multi["h"].to_numpy()
        multi = multi.iloc[np.lexsort((rank[mh], multi["c"].to_numpy()))]
        if len(multi):
            common, common_to_all = _common_rows(multi["c"].to_numpy(), multi["h"].to_numpy(),
                                                 multi["n"].to_numpy(), rank, numbers, n_handsets)

    # activity: weekday x hour, daily timeline
    daily = daily[daily["h"] >= 0]
    clock = clock[clock["h"] >= 0]
    matrix = np.zeros((7, 24), np.int64)
    if len(clock):
        m = clock.groupby(["dow", "hour"])["n"].sum()
        for (d, hr), v in m.items():
            matrix[int(d), int(hr)] = int(v)
    total_daily = daily.groupby("day")["n"].sum().sort_index()
    timeline = [{"date": _day_iso(d), "records": int(v)} for d, v in total_daily.items()]
    per_handset_daily = []
    bursts = []
    # sorted by handset then day once; each handset is one slice
    daily = daily.iloc[np.lexsort((daily["day"].to_numpy(), daily["h"].to_numpy()))]
    dh = daily["h"].to_numpy()
    for h in order:
        a, b = np.searchsorted(dh, h, "left"), np.searchsorted(dh, h, "right")
        g = daily.iloc[a:b]
        if not len(g):
            continue
        per_handset_daily.append({"handset": name(h), "daily": [
            {"date": _day_iso(d), "records": int(v)} for d, v in zip(g["day"], g["n"])]})
        usual = float(np.median(g["n"]))
        limit = max(opt.burst_factor * usual, opt.burst_min)
        for d, v in zip(g["day"], g["n"]):
            if v >= limit:
                bursts.append({"handset": name(h), "date": _day_iso(d), "records": int(v),
                               "usual": usual, "ratio": round(v / usual, 1) if usual else None})
    bursts.sort(key=lambda b: (-b["records"], b["handset"], b["date"]))

    weekly = _weekly_changes(contacts, order, name, bounds)
    replacements, hubs = _replacement_candidates(contacts, pairs, opt, name)
    summary = {
        "kind": "calls",
        "records": int(records),
        "columns": {"from": columns.from_, "to": columns.to, "time": columns.time,
                    "clock": columns.clock, "target": columns.target, "type": columns.type,
                    "duration": columns.duration},
        "records_without_time": int(bad_time),
        "records_without_handset": int(no_handset),
        "records_unattributed": int(unattributed),
        "first": iso(per_h["first"].min()) if len(per_h) and per_h["first"].min() != MAX_TS else None,
        "last": iso(per_h["last"].max()) if len(per_h) else None,
        "handsets": handsets,
        "common_contacts": common,
        "common_to_all": common_to_all,
        "activity": {"weekdays": list(WEEKDAYS), "hour_by_weekday": matrix.tolist()},
        "timeline": timeline,
        "handset_timelines": per_handset_daily,
        "weekly_contacts": weekly,
        "replacement_candidates": replacements,
        "replacement_hubs_skipped": hubs,
        "bursts": bursts,
    }
    return summary


def _common_rows(cc, hh, nn, rank, numbers, n_handsets):
    """Contacts common to two or more handsets as columnar rows (contact, handsets, counts,
    all_handsets, total), most handsets first, then most records, then the contact's number;
    ``cc``/``hh``/``nn`` are (contact, handset, records) sorted by contact, then handset text.
    Returns (rows, the contacts common to all handsets)."""
    from .rows import RowTable

    cut = np.flatnonzero(np.diff(cc)) + 1
    starts = np.concatenate([[0], cut])
    sizes = np.diff(np.concatenate([starts, [len(cc)]]))
    totals = np.add.reduceat(nn, starts)
    g = np.lexsort((rank[cc[starts]], -totals, -sizes))
    first, size = starts[g], sizes[g]
    offsets = np.concatenate([[0], np.cumsum(size)])
    rows = np.repeat(first - offsets[:-1], size) + np.arange(offsets[-1])
    names = pa.array(numbers, pa.string())
    handsets = names.take(pa.array(hh[rows]))
    off = pa.array(offsets, pa.int32())
    table = pa.table({
        "contact": names.take(pa.array(cc[first])),
        "handsets": pa.ListArray.from_arrays(off, handsets),
        "counts": pa.MapArray.from_arrays(off, handsets, pa.array(nn[rows], pa.int64())),
        "all_handsets": pa.array(size == n_handsets),
        "total": pa.array(totals[g], pa.int64()),
    })
    to_all = table.column("contact").filter(table.column("all_handsets")).to_pylist()
    return RowTable(table).rows(), to_all


def _week_start(ns: np.ndarray) -> np.ndarray:
    day = np.floor_divide(ns, DAY_NS)
    return day - (day + 3) % 7  # the Monday of the week (day numbers since 1970-01-01)


def _weekly_changes(contacts, order, name, bounds) -> list[dict]:
    """Per handset and week (Monday): records are not needed here, only contacts' first/last.
    ``contacts`` are sorted by handset, ``bounds`` its slice of each handset."""
    out = []
    first_all, last_all = contacts["first"].to_numpy(), contacts["last"].to_numpy()
    for h in order:
        a, b = bounds.get(h, (0, 0))
        keep = (first_all[a:b] != MAX_TS) & (last_all[a:b] != NAT)
        g = contacts.iloc[a:b][keep]
        if not len(g):
            continue
        w_first = _week_start(g["first"].to_numpy())
        w_last = _week_start(g["last"].to_numpy())
        weeks = range(int(w_first.min()), int(w_last.max()) + 1, 7)
        new = pd.Series(w_first).value_counts()
        dropped = pd.Series(w_last + 7).value_counts()  # reported in the week after the last one
        active_start = w_first[:, None] <= np.array(list(weeks))[None, :]
        active_end = w_last[:, None] >= np.array(list(weeks))[None, :]
        active = (active_start & active_end).sum(axis=0)
        for i, w in enumerate(weeks):
            out.append({"handset": name(h), "week": _day_iso(w), "contacts": int(active[i]),
                        "new": int(new.get(w, 0)), "dropped": int(dropped.get(w, 0))})
    return out


def _replacement_candidates(contacts, pairs, opt: CallOptions, name):
    """An old number goes silent while a new one appears with an overlapping set of contacts.

    Any number can be either: a handset examined (its contacts are its neighbours) or a contact
    (the handsets that talk to it are its neighbours), so a deal line that moves to a new SIM
    is found whether it is a target or a contact of several targets. Pairs are found by joining
    on shared neighbours within the time gap; when that join would exceed ``join_budget`` rows, the
    busiest shared neighbours (hubs) are left out of the join (the Jaccard shown is still exact).
    Returns (candidates, hubs left out).
    """
    e = contacts[["h", "c", "n", "first", "last"]]
    e = e[(e["first"] != MAX_TS) & (e["c"] != e["h"])]
    if not len(e):
        return [], 0
    eh, ec = e["h"].to_numpy(), e["c"].to_numpy()
    edges = _reduce({"x": np.concatenate([eh, ec]), "y": np.concatenate([ec, eh])},
                    counts=np.tile(e["n"].to_numpy(), 2), mins={"first": np.tile(e["first"].to_numpy(), 2)},
                    maxs={"last": np.tile(e["last"].to_numpy(), 2)}, sort=True)
    # when each number was active: all its records; who it talks to: its regular contacts
    ent = edges.groupby("x").agg(first=("first", "min"), last=("last", "max"), records=("n", "sum"))
    need = np.maximum(opt.regular, np.ceil(opt.regular_share * ent.loc[edges["x"], "records"].to_numpy()))
    edges = edges[edges["n"].to_numpy() >= need]
    ent["deg"] = edges.groupby("x").size().reindex(ent.index, fill_value=0)
    span = pairs[pairs["first"] != MAX_TS].groupby("h").agg(first=("first", "min"), last=("last", "max"))
    span = span[span.index.isin(ent.index)]
    if len(span):  # a handset's own span includes its records with no contact
        ent.loc[span.index, "first"] = np.minimum(ent.loc[span.index, "first"], span["first"])
        ent.loc[span.index, "last"] = np.maximum(ent.loc[span.index, "last"], span["last"])
    if not len(ent):
        return [], 0
    end, start = int(ent["last"].max()), int(ent["first"].min())
    gap = opt.gap_days * DAY_NS
    ent = ent[(ent["deg"] >= opt.min_shared) & (ent["records"] >= opt.min_records)]
    old = ent[ent["last"] <= end - opt.silence_days * DAY_NS]
    new = ent[ent["first"] >= start + opt.silence_days * DAY_NS]  # appears after the start
    if not len(old) or not len(new):
        return [], 0
    # time buckets of one gap: a new number's first record is within a gap of the old's last
    eo = edges[edges["x"].isin(old.index)][["x", "y"]].rename(columns={"x": "old"})
    eo["b"] = old.loc[eo["old"], "last"].to_numpy() // gap
    eo = pd.concat([eo.assign(b=eo["b"] + k) for k in (-1, 0, 1)], ignore_index=True)
    en = edges[edges["x"].isin(new.index)][["x", "y"]].rename(columns={"x": "new"})
    en["b"] = new.loc[en["new"], "first"].to_numpy() // gap
    co = eo.groupby(["y", "b"]).size()
    cn = en.groupby(["y", "b"]).size()
    cost = (co * cn.reindex(co.index, fill_value=0)).groupby(level="y").sum().sort_values()
    hubs = 0
    if cost.sum() > opt.join_budget:
        keep = cost.cumsum() <= opt.join_budget
        hubs = int((~keep).sum())
        kept = set(cost.index[keep])
        eo, en = eo[eo["y"].isin(kept)], en[en["y"].isin(kept)]
    m = eo.merge(en, on=["y", "b"])
    m = m[m["old"] != m["new"]]
    if not len(m):
        return [], hubs
    shared = m.groupby(["old", "new"]).size().rename("shared").reset_index()
    if not hubs:
        shared = shared[shared["shared"] >= opt.min_shared]
    o, nw = shared["old"].to_numpy(), shared["new"].to_numpy()
    of, ol = old.loc[o, "first"].to_numpy(), old.loc[o, "last"].to_numpy()
    nf, nl = new.loc[nw, "first"].to_numpy(), new.loc[nw, "last"].to_numpy()
    ok = (nf > of) & (nl > ol) & (np.abs(nf - ol) <= gap)
    if not hubs:
        # Jaccard, leaving the pair itself out of each other's neighbours
        mutual = pd.MultiIndex.from_arrays([o, nw]).isin(pd.MultiIndex.from_frame(edges[["x", "y"]]))
        do = old.loc[o, "deg"].to_numpy() - mutual
        dn = new.loc[nw, "deg"].to_numpy() - mutual
        j = shared["shared"].to_numpy() / np.maximum(do + dn - shared["shared"].to_numpy(), 1)
        ok &= j >= opt.jaccard
    shared = shared[ok].sort_values("shared", ascending=False).head(10_000)
    if not len(shared):
        return [], hubs
    need = set(shared["old"]) | set(shared["new"])
    sub = edges[edges["x"].isin(need)]
    adj = {x: set(g.tolist()) for x, g in sub.groupby("x")["y"]}
    out = []
    for r in shared.itertuples(index=False):
        o, nw = int(r.old), int(r.new)
        so, sn = adj[o] - {nw}, adj[nw] - {o}
        inter = so & sn
        j = len(inter) / len(so | sn) if (so or sn) else 0.0
        if j < opt.jaccard or len(inter) < opt.min_shared:
            continue
        ol, nf = int(ent.loc[o, "last"]), int(ent.loc[nw, "first"])
        out.append({"old": name(o), "new": name(nw), "jaccard": round(j, 3),
                    "shared": len(inter), "old_contacts": len(so), "new_contacts": len(sn),
                    "old_last": iso(ol), "new_first": iso(nf),
                    "gap_days": round((nf - ol) / DAY_NS, 1),
                    "shared_contacts": sorted(name(x) for x in inter)})
    out.sort(key=lambda r: (-r["jaccard"], -r["shared"], r["old"], r["new"]))
    return out, hubs
