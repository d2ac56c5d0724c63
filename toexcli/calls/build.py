"""One recognised return -> rows of the standard call table (``toexcli.schema.CALLS``).

Each distinct value is read once (numbers through ``toexcli.phones``, times through
``toexcli.timemodel``, codes through the TOML vocabulary), then taken back to the rows.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import timemodel as T
from ..errors import DataError
from . import layouts as L
from .read import RawReturn, no_layout_message, split_footer, stated_count

PHONE_IN_TEXT = re.compile(r"\+?\d[\d \-()]{5,18}\d")
PREAMBLE_HANDSET = re.compile(
    r"(?i)\b(?:target|subscriber|msisdn|handset|subject|number|account|line|phone|mobile)\b[^0-9+]{0,30}"
    r"(\+?\d[\d \-]{8,16}\d)")
ZONE_NOTE = re.compile(r"(?i)(?:\ball\s+times?\b|\btimes?\s+(?:are|in|shown)\b|\btime\s*zone\b|"
                       r"\bzone\b)[^\n]*?\b(UTC|GMT|Z(?:ulu)?)\b(?!\s*[+-]\d)|\(\s*(UTC|GMT)\s*\)")


PAGE_LINE = re.compile(r"(?i)\bpage\s*\d+|\bcontinued\b|\bcont'?d\b|^[-=*_\s]{3,}$")


def _as_str(arr):
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    return arr


def _text(tbl, col) -> np.ndarray:
    """A column's cells as stripped text ('' for blank), object array."""
    if col is None:
        return np.full(tbl.num_rows, "", dtype=object)
    arr = tbl.column(col)
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    arr = pc.utf8_trim_whitespace(arr.fill_null(""))
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)


def _sample(tbl, columns) -> dict[str, list[str]]:
    n = min(tbl.num_rows, L.SAMPLE)
    head = tbl.slice(0, n)
    cols = {c: _text(head, c).tolist() for c in columns}
    # leave out rows that are not data (page lines, the header repeated) so they cannot outvote it
    keep = []
    for i in range(n):
        vals = [cols[c][i] for c in columns]
        filled = sum(1 for v in vals if v)
        same = sum(1 for c, v in zip(columns, vals) if v.lower() == str(c).strip().lower())
        if (len(columns) > 4 and filled <= 2) or same >= max(2, int(0.6 * len(columns))):
            continue
        keep.append(i)
    if not keep:
        keep = list(range(n))
    return {c: [cols[c][i] for i in keep] for c in columns}


def _map_distinct(values: np.ndarray, fn) -> np.ndarray:
    codes, uniq = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    mapped = np.array([fn(u) for u in uniq] + [fn("")], dtype=object)
    return mapped[codes]


# ------------------------------------------------------------------------------ numbers
class Numbers:
    """E.164 of every distinct party value of all returns (one phones pass per distinct value)."""

    def __init__(self, region: str = "GB"):
        self.region = region
        self.cache: dict[str, tuple[str, str]] = {"": ("", "empty")}

    def __call__(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """-> (party text for the table, status): E.164 where it is a number; '' for withheld
        or blank; the text as written for short codes and names."""
        codes, uniq = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
        todo = [u for u in uniq if u not in self.cache]
        if todo:
            from ..phones import normalise_values

            res = normalise_values(pd.Series(todo, dtype=object), self.region)
            e164 = res["e164"].fillna("").astype(str).tolist()
            status = res["status"].fillna("").astype(str).tolist()
            for u, e, s in zip(todo, e164, status):
                if e:
                    self.cache[u] = (e, s)
                elif s in ("withheld", "empty"):
                    self.cache[u] = ("", s)
                else:
                    self.cache[u] = (re.sub(r"\.0+$", "", u) if re.fullmatch(r"\d+\.0+", u) else u, s)
        got = [self.cache[u] for u in uniq]
        text = np.array([g[0] for g in got], dtype=object)
        stat = np.array([g[1] for g in got], dtype=object)
        if not len(uniq):
            return np.array([], dtype=object), np.array([], dtype=object)
        return text[codes], stat[codes]

    def one(self, value: str) -> str:
        return self(np.array([value], dtype=object))[0][0]


def _from_parties(text: str) -> tuple[str, str, str]:
    """A phone download's Parties cell -> (from, to, other): ``From: +447700900123 Bob`` /
    ``To: 07700 900456``; a bare number is the other party."""
    if not text:
        return "", "", ""
    frm = to = ""
    m = re.search(r"(?i)\bfrom\s*:?\s*(\+?\d[\d \-()]{5,18}\d)", text)
    if m:
        frm = m.group(1)
    m = re.search(r"(?i)\bto\s*:?\s*(\+?\d[\d \-()]{5,18}\d)", text)
    if m:
        to = m.group(1)
    if frm or to:
        return frm, to, ""
    m = PHONE_IN_TEXT.search(text)
    return "", "", (m.group(0) if m else text)


# ------------------------------------------------------------------------------ the build
def build(raw: RawReturn, *, tz: str, handset: str | None, user: dict | None,
          numbers: Numbers, file_index: int) -> tuple[pd.DataFrame, dict]:
    tbl = raw.table
    columns = raw.columns
    sample = _sample(tbl, columns)
    bound, notes = L.recognise(columns, sample, user=user)
    layout = L.layout_name(bound)
    if layout is None:
        missing = []
        if not any(r in bound for r in ("start", "date")):
            missing.append("no start time (start, or date + time)")
        if not any(r in bound for r in L.PARTY_ROLES):
            missing.append("no party columns (a_party/b_party, target/other_party or parties)")
        got = ", ".join(f"{r}={c}" for r, c in bound.items()) or "none"
        raise DataError(no_layout_message(
            raw.name, ", ".join(columns),
            missing=("; ".join(missing) or "the columns do not make a call table") + f" (recognised: {got})"))
    start_cols = [bound[r] for r in ("start", "date", "time") if r in bound]
    footer: list[str] = []
    if raw.kind in ("csv", "excel"):
        tbl, footer = split_footer(tbl, start_cols)
    n = tbl.num_rows
    # ------------------------------------------------------------ rows that are not data
    # blank rows, the header repeated on each printed page, "Page 2 of 9" lines: left out and
    # listed in the report (never silently)
    cells = np.zeros(n, dtype=np.int64)
    same_as_header = np.zeros(n, dtype=np.int64)
    for c in columns:
        arr = pc.utf8_trim_whitespace(_as_str(tbl.column(c)).fill_null(""))
        cells += np.asarray(pc.not_equal(arr, "").to_numpy(zero_copy_only=False), dtype=np.int64)
        same_as_header += np.asarray(pc.equal(pc.utf8_lower(arr), str(c).strip().lower())
                                     .to_numpy(zero_copy_only=False), dtype=np.int64)
    filled = cells > 0
    blank = int((~filled).sum())
    left_out: list[dict] = []
    drop = ~filled
    repeat = same_as_header >= max(2, int(0.6 * len(columns)))
    few = filled & (cells <= 2) & ~repeat if len(columns) > 4 else np.zeros(n, dtype=bool)
    if few.any() or repeat.any():
        rows_no = tbl.column("_row").to_numpy()
        for i in np.flatnonzero(repeat | few):
            text = " ".join(str(tbl.column(c)[int(i)].as_py() or "").strip() for c in columns).strip()
            if repeat[i]:
                left_out.append({"row": int(rows_no[i]), "reason": "header repeated", "text": text[:120]})
                drop[i] = True
                continue
            st = " ".join(str(tbl.column(c)[int(i)].as_py() or "").strip() for c in start_cols).strip()
            if not st or T.read_wall(st) is None:
                if PAGE_LINE.search(text):
                    left_out.append({"row": int(rows_no[i]), "reason": "page line", "text": text[:120]})
                    drop[i] = True
    if drop.any():
        tbl = tbl.filter(pa.array(~drop))
        n = tbl.num_rows

    col = {r: _text(tbl, c) for r, c in bound.items()}
    empty = np.full(n, "", dtype=object)
    get = lambda r: col.get(r, empty)  # noqa: E731

    # ------------------------------------------------------------ parties
    parties_raw = get("parties")
    p_from = p_to = p_other = empty
    if "parties" in bound:
        trip = _map_distinct(parties_raw, _from_parties)
        p_from = np.array([t[0] for t in trip], dtype=object)
        p_to = np.array([t[1] for t in trip], dtype=object)
        p_other = np.array([t[2] for t in trip], dtype=object)
    a_raw = np.where(get("a_party") != "", get("a_party"), p_from)
    b_raw = np.where(get("b_party") != "", get("b_party"), p_to)
    o_raw = np.where(get("other_party") != "", get("other_party"), p_other)
    f_raw = get("forwarded_to")
    t_raw = get("target")
    a, _ = numbers(a_raw)
    b, _ = numbers(b_raw)
    o, o_status = numbers(o_raw)
    fwd, _ = numbers(f_raw)
    tgt, _ = numbers(t_raw)

    # ------------------------------------------------------------ the handset of the return
    handset_source = ""
    file_handset = ""
    if handset:
        file_handset, handset_source = numbers.one(handset), "--handset"
    if not file_handset and "target" in bound:
        vals, counts = np.unique(tgt[tgt != ""], return_counts=True)
        if len(vals):
            file_handset, handset_source = str(vals[np.argmax(counts)]), f"column '{bound['target']}'"
    if not file_handset:
        for line in raw.preamble:
            m = PREAMBLE_HANDSET.search(line)
            if m:
                got = numbers.one(m.group(1).replace(" ", "").replace("-", ""))
                if got.startswith("+"):
                    file_handset, handset_source = got, f"preamble line '{line}'"
                    break
    if not file_handset:
        rows_with = (a != "") | (b != "") | (o != "")
        both = np.concatenate([a[rows_with], b[rows_with]])
        both = both[both != ""]
        if len(both):
            vals, counts = np.unique(both, return_counts=True)
            top = str(vals[np.argmax(counts)])
            if top.startswith("+") and ((a == top) | (b == top)).sum() >= 0.9 * rows_with.sum():
                file_handset, handset_source = top, "the party common to every row"
    hs = np.where(tgt != "", tgt, file_handset).astype(object) if "target" in bound \
        else np.full(n, file_handset, dtype=object)

    # ------------------------------------------------------------ direction and event
    d_dir = _map_distinct(get("direction"), lambda v: L.decode(v)[0]) if "direction" in bound else empty
    ct = get("call_type")
    if "call_type" in bound:
        dec = _map_distinct(ct, L.decode)
        c_dir = np.array([x[0] for x in dec], dtype=object)
        c_event = np.array([x[1] for x in dec], dtype=object)
    else:
        c_dir = c_event = empty
    # a direction column's forward code (CF) beats an event column's voice, and vice versa
    direction = np.where(d_dir != "", d_dir, c_dir).astype(object)
    if "direction" in bound:
        dec2 = _map_distinct(get("direction"), lambda v: L.decode(v)[1])
        c_event = np.where(c_event != "", c_event, dec2).astype(object)
    event = c_event.copy()
    event_note = ""
    type_blank = (ct == "") if "call_type" in bound else np.ones(n, dtype=bool)
    if not (event != "").any():
        default = "data" if layout == "data_sessions" else "voice"
        event = np.full(n, default, dtype=object)
        event_note = (f"no call type {'values' if 'call_type' in bound else 'column'}: "
                      f"every row read as {default}")
    else:
        # a bare direction code (MO, MT, Incoming) with no service word is a call
        event = np.where((event == "") & (c_dir != ""), "voice", event).astype(object)
        event = np.where((event == "") & ~type_blank, "other", event).astype(object)
    raw_codes = np.where((ct != "") & (get("direction") != ""),
                         ct + " / " + get("direction").astype(str), np.where(ct != "", ct, get("direction")))
    inferred = 0
    if not (direction != "").any() and file_handset:
        # the return says nothing about direction: the parties do (never for data sessions)
        guess = np.where(a == hs, "out", np.where(b == hs, "in", "")).astype(object)
        guess = np.where(event == "data", "", guess)
        inferred = int((guess != "").sum())
        direction = guess

    # ------------------------------------------------------------ a, b and the other party
    is_out = direction == "out"
    is_in = direction == "in"
    is_fwd = direction == "forward"
    if not ("a_party" in bound or "b_party" in bound or (p_from != "").any() or (p_to != "").any()):
        # target + other party: build A and B from the direction
        a = np.where(is_in, o, hs).astype(object)
        b = np.where(is_in, hs, np.where(event == "data", "", o)).astype(object)
        a_raw = np.where(is_in, o_raw, t_raw if "target" in bound else empty).astype(object)
        b_raw = np.where(is_in, t_raw if "target" in bound else empty, o_raw).astype(object)
        other, other_raw = o, o_raw
    else:
        pick_b = is_out | (~is_in & (a == hs) & (hs != ""))
        pick_a = is_in | (~is_out & (b == hs) & (hs != ""))
        # the row's own parties win over a direction that points at the handset itself
        pick_b = np.where(is_out & (b == hs) & (a != hs) & (hs != ""), False, pick_b)
        pick_a = np.where(is_out & (b == hs) & (a != hs) & (hs != ""), True, pick_a)
        pick_a = np.where(is_in & (a == hs) & (b != hs) & (hs != ""), False, pick_a)
        pick_b = np.where(is_in & (a == hs) & (b != hs) & (hs != ""), True, pick_b)
        other = np.where(pick_b, b, np.where(pick_a, a, o)).astype(object)
        other_raw = np.where(pick_b, b_raw, np.where(pick_a, a_raw, o_raw)).astype(object)
    if "forwarded_to" in bound:
        has_f = is_fwd & (fwd != "")
        other = np.where(has_f, fwd, other).astype(object)
        other_raw = np.where(has_f, f_raw, other_raw).astype(object)
    elif is_fwd.any():
        other = np.where(is_fwd, np.where(b != hs, b, a), other).astype(object)
        other_raw = np.where(is_fwd, np.where(b != hs, b_raw, a_raw), other_raw).astype(object)
    # one-sided rows (a phone download's Parties, a blank own side): the handset is the other end
    if (hs != "").any():
        a_fill = (a == "") & is_out & (hs != "")
        b_fill = (b == "") & is_in & (hs != "")
        a = np.where(a_fill, hs, a).astype(object)
        b = np.where(b_fill, hs, b).astype(object)
        a_raw = np.where(a_fill, hs, a_raw).astype(object)
        b_raw = np.where(b_fill, hs, b_raw).astype(object)
    if "other_party" in bound and (o != "").any() and ("a_party" in bound or "b_party" in bound):
        other = np.where(other == "", o, other).astype(object)

    # ------------------------------------------------------------ times
    declared = None
    zone_from = ""
    for r in ("start", "date", "time"):
        if r in bound and T.zone_from_header(bound[r]) is not None:
            declared, zone_from = T.zone_from_header(bound[r]), f"header '{bound[r]}'"
            break
    if declared is None:
        for line in raw.preamble:
            m = ZONE_NOTE.search(line)
            if m:
                declared, zone_from = T.zone_offset(m.group(1) or m.group(2)), f"preamble line '{line}'"
                break
    if "start" in bound and ("date" not in bound or "time" not in bound):
        start_text = get("start")
        if "date" in bound and "time" not in bound:
            # a start column of times of day and a date column
            if L.shape_ok("clock", start_text[:L.SAMPLE].tolist()):
                start_text = T.combine(get("date"), start_text).to_numpy(dtype=object)
    elif "date" in bound:
        start_text = T.combine(get("date"), get("time")).to_numpy(dtype=object) if "time" in bound \
            else get("date")
    else:
        start_text = get("start")
    if _serials(start_text):
        start_text = T.excel_serial_text(start_text).to_numpy(dtype=object)
        notes.append("start times are Excel serial numbers (days since 1899-12-30)")
    parsed = T.parse(pd.Series(start_text, dtype=object), tz=tz, dayfirst=None, declared=declared)
    utc = parsed["utc"]
    tz_status = parsed["tz_status"].to_numpy(dtype=object)
    problem = parsed["problem"].to_numpy(dtype=object)
    end_utc = None
    if "end" in bound:
        end_text = get("end")
        if L.shape_ok("clock", end_text[:L.SAMPLE].tolist()) and "date" in bound:
            end_text = T.combine(get("date"), end_text).to_numpy(dtype=object)
        if _serials(end_text):
            end_text = T.excel_serial_text(end_text).to_numpy(dtype=object)
        end_decl = T.zone_from_header(bound["end"]) or declared
        end_utc = T.parse(pd.Series(end_text, dtype=object), tz=tz, dayfirst=None,
                          declared=end_decl)["utc"]

    # ------------------------------------------------------------ durations
    dur_raw = get("duration")
    if "duration" in bound:
        dur = T.durations(pd.Series(dur_raw, dtype=object))
        bad = dur.isna().to_numpy() & (dur_raw != "")
        if bad.any():
            extra = np.where(bad, "duration not understood: '" + dur_raw.astype(str) + "'", "")
            problem = _join(problem, extra)
    elif end_utc is not None:
        secs = (end_utc - utc).dt.total_seconds()
        dur = pd.array(np.where(secs.notna(), secs.fillna(0).round(), 0).astype("int64"), dtype="Int64")
        dur[secs.isna().to_numpy()] = pd.NA
        dur = pd.Series(dur)
    else:
        dur = pd.Series(pd.array([pd.NA] * n, dtype="Int64"))

    # ------------------------------------------------------------ cells
    cell_first = get("cell_first")
    if "cell_first" not in bound and "lac" in bound and "ci" in bound:
        cell_first = np.where((get("lac") != "") | (get("ci") != ""),
                              get("lac").astype(str) + "-" + get("ci").astype(str), "").astype(object)

    def raw_if_diff(out, raw_vals):
        return np.where(out != raw_vals, raw_vals, "").astype(object)

    frame = {
        "handset": hs,
        "direction": direction,
        "event": event,
        "a_party": a,
        "b_party": b,
        "other_party": other,
        "start_utc": utc.to_numpy(),
        "tz_status": tz_status,
        "duration_s": dur.to_numpy(),
        "imei": _digits(get("imei")),
        "imsi": _digits(get("imsi")),
        "cell_first": _digits(cell_first),
        "cell_last": _digits(get("cell_last")),
        "duplicate_of": np.full(n, "", dtype=object),
        "format": np.full(n, f"{layout} ({'xlsx' if raw.kind == 'excel' else raw.kind})", dtype=object),
        "problem": problem,
        "a_party_raw": raw_if_diff(a, a_raw),
        "b_party_raw": raw_if_diff(b, b_raw),
        "other_party_raw": raw_if_diff(other, other_raw),
        "start_raw": start_text,
        "event_raw": raw_codes,
    }
    for r, name in (("forwarded_to", "forwarded_to"), ("location", "location"), ("lat", "lat"),
                    ("lon", "lon"), ("easting", "easting"), ("northing", "northing"),
                    ("status", "status")):
        if r in bound:
            frame[name] = fwd if r == "forwarded_to" else get(r)
    if end_utc is not None:
        frame["end_utc"] = end_utc.to_numpy()
    frame["_source"] = _text(tbl, "_source")
    frame["_row"] = tbl.column("_row").to_numpy()
    df = pd.DataFrame(frame)
    df["start_utc"] = pd.to_datetime(df["start_utc"], utc=True)
    if "end_utc" in df:
        df["end_utc"] = pd.to_datetime(df["end_utc"], utc=True)
    df["duration_s"] = df["duration_s"].astype("Int64")

    # ------------------------------------------------------------ the report
    ok = df["start_utc"].notna()
    statuses = df["tz_status"].value_counts().to_dict()
    if declared is not None:
        zone = f"declared {_offset_text(declared)} by {zone_from}"
    elif statuses.get("declared", 0) and not statuses.get("assumed", 0):
        zone = "declared in the values (Z or an offset)"
    else:
        zone = (f"ASSUMED {tz} wall clock: no zone in the values or headers"
                + (" (some values state their own zone)" if statuses.get("declared") else ""))
    count = stated_count(footer) if footer else None
    report = {
        "file": raw.name,
        "layout": layout,
        "read_as": raw.kind + (f" sheet '{raw.sheet}'" if raw.sheet else "")
        + (f", encoding {raw.encoding}" if raw.encoding else ""),
        "sheets_skipped": raw.sheets_skipped,
        "header_line": raw.header_line,
        "columns": {r: c for r, c in bound.items()},
        "columns_unused": [c for c in columns if c not in bound.values()],
        "recognition_notes": [x for x in notes if not any(f"'{c}' looks like" in x
                                                          for c in bound.values())],
        "handset": file_handset,
        "handset_from": handset_source or "not known (give --handset)",
        "rows": int(len(df)),
        "events": {k: int(v) for k, v in df["event"].value_counts().items()},
        "directions": {(k or "(none)"): int(v) for k, v in df["direction"].value_counts().items()},
        "first_utc": T.iso_utc(pd.Series([df.loc[ok, "start_utc"].min()])).iat[0] if ok.any() else None,
        "last_utc": T.iso_utc(pd.Series([df.loc[ok, "start_utc"].max()])).iat[0] if ok.any() else None,
        "zone": zone,
        "tz_status": {k: int(v) for k, v in statuses.items() if k},
        "preamble": raw.preamble,
        "footer": footer,
        "footer_count": count,
        "footer_check": None if count is None else ("ok" if count == len(df) else
                                                     f"MISMATCH: footer states {count} records, "
                                                     f"{len(df)} data rows read"),
        "blank_rows_left_out": blank,
        "rows_left_out": left_out,
        "problems": int((df["problem"] != "").sum()),
        "notes": [x for x in (event_note,
                              f"direction inferred from the parties on {inferred} rows (the return "
                              "has no direction or call-type code)" if inferred else "") if x],
        "duplicates": 0,
    }
    return df, report


_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")


def _serials(values: np.ndarray) -> bool:
    sample = [v for v in values[:L.SAMPLE] if v]
    return bool(sample) and all(_SERIAL.match(v) and 20000 <= float(v) < 80000 for v in sample)


def _digits(values: np.ndarray) -> np.ndarray:
    """An identifier read back from Excel as ``860192045188368.0``: the digits only."""
    s = pd.Series(values, dtype=object)
    if not len(s):
        return values
    fix = s.str.fullmatch(r"\d+\.0+").fillna(False).to_numpy()
    if fix.any():
        values = values.copy()
        values[fix] = s[fix].str.replace(r"\.0+$", "", regex=True).to_numpy()
    return values


def _join(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    both = (a != "") & (b != "")
    return np.where(both, a.astype(str) + "; " + b.astype(str), np.where(a != "", a, b)).astype(object)


def _offset_text(off) -> str:
    secs = int(off.total_seconds())
    if secs == 0:
        return "UTC"
    sign = "+" if secs > 0 else "-"
    secs = abs(secs)
    return f"UTC{sign}{secs // 3600:02d}:{secs % 3600 // 60:02d}"
