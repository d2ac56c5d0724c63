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


DIRS = ["", "out", "in", "forward"]
EVENTS = ["", "voice", "sms", "mms", "data", "voicemail", "other"]
DIR_CODE = {v: i for i, v in enumerate(DIRS)}
EVENT_CODE = {v: i for i, v in enumerate(EVENTS)}
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


def _as_text(series):
    """A pandas text Series as an Arrow string array (no per-value Python objects when the
    Series is Arrow-backed)."""
    try:
        arr = pa.array(series.array) if hasattr(series.array, "__arrow_array__") else pa.array(
            series.to_numpy(dtype=object), pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array(series.astype(str).to_numpy(dtype=object), pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.cast(arr.fill_null(""), pa.string())


def _arrow(tbl, col):
    """A column's cells as trimmed Arrow text ('' for blank)."""
    arr = tbl.column(col)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    arr = _as_str(arr)
    if arr.null_count:
        arr = arr.fill_null("")
    # trimming copies the column: only when some value has white space at either end
    if _may_have_edge_space(arr):
        arr = pc.utf8_trim_whitespace(arr)
    return arr


_SPACE_BYTES = np.zeros(256, dtype=bool)
_SPACE_BYTES[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0xC2, 0xE1, 0xE2, 0xE3, 0xA8,
              0xA9, 0xAF, 0x9F, *range(0x80, 0x8B)]] = True  # U+2000-200A end in 0x80-0x8A


def _may_have_edge_space(arr) -> bool:
    """Does any value start or end with a byte that may be white space? Read from the Arrow
    buffers (first and last byte of each value), so a clean column costs no copy. Multi-byte
    spaces (U+00A0, U+2000-200A, U+3000) are caught by their lead/last bytes; a false alarm
    only costs the trim."""
    if not isinstance(arr, pa.Array) or arr.type != pa.string() or not len(arr):
        return True
    bufs = arr.buffers()
    if bufs[2] is None:
        return False
    off = np.frombuffer(bufs[1], np.int32, len(arr) + 1, arr.offset * 4)
    data = np.frombuffer(bufs[2], np.uint8)
    if not len(data):
        return False
    # an empty value's "first" byte is the next value's first byte and its "last" byte the
    # previous value's last byte: both checked anyway, so no mask of the empty values is needed
    off = off.astype(np.intp)  # (gathers by native-width indices are several times faster)
    first = data[np.minimum(off[:-1], len(data) - 1)]
    last = data[np.maximum(off[1:] - 1, 0)]
    # quick test first: every edge byte printable ASCII (0x21-0x7F; after subtracting 0x21 in
    # uint8 every other byte wraps above 0x5E) means no white space at either end
    if int((first - np.uint8(0x21)).max()) <= 0x5E and int((last - np.uint8(0x21)).max()) <= 0x5E:
        return False
    return bool(_SPACE_BYTES[first].any() or _SPACE_BYTES[last].any())


def _const(n: int, value: str = ""):
    return pa.array(np.full(n, value, dtype=object), pa.string()) if value else \
        pc.cast(pa.nulls(n, pa.string()).fill_null(""), pa.string())


def _distinct(arr, fn) -> tuple[list, np.ndarray]:
    """``fn`` of each distinct value of an Arrow text array -> (results per distinct value,
    index of each row's value)."""
    enc = pc.dictionary_encode(arr)
    enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
    return [fn(v) for v in enc.dictionary.to_pylist()], np.asarray(
        enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)


def _map_distinct(arr, fn) -> np.ndarray:
    """``fn`` of each row's value (each distinct value computed once) as an object array."""
    got, idx = _distinct(arr, fn)
    out = np.empty(len(got), dtype=object)
    out[:] = got
    return out[idx] if len(got) else np.full(len(idx), "", dtype=object)


# ------------------------------------------------------------------------------ numbers
class Numbers:
    """Every distinct text of all returns gets an integer code (0 is ''); a party's code maps to
    the code of its table text: E.164 where it is a number, '' for withheld or blank, the text
    as written for short codes and names. Rows then compare and choose parties as integers,
    and each distinct value goes through ``toexcli.phones`` once."""

    def __init__(self, region: str = "GB"):
        self.region = region
        self.items: list[str] = [""]
        self.index: dict[str, int] = {"": 0}
        self.party: list[int] = [0]   # code -> code of its party text (-1: not yet normalised)
        self._arrow = None

    def _code(self, v: str) -> int:
        c = self.index.get(v)
        if c is None:
            c = self.index[v] = len(self.items)
            self.items.append(v)
            self.party.append(-1)
            self._arrow = None
        return c

    def encode(self, arr) -> np.ndarray:
        got, idx = _distinct(arr, self._code)
        lut = np.asarray(got, dtype=np.int64)
        return lut[idx] if len(lut) else np.zeros(len(idx), dtype=np.int64)

    def parties(self, codes: np.ndarray) -> np.ndarray:
        """Raw codes -> party-text codes."""
        uniq = np.flatnonzero(np.bincount(codes, minlength=1)) if len(codes) else codes
        todo = [int(c) for c in uniq if self.party[c] < 0]
        if todo:
            from ..phones import e164_values, normalise_values

            texts = [self.items[c] for c in todo]
            # the E.164 by the phones module's own fast path (plain UK national/+44 numbers
            # without a parse, proved equal to normalise_values' e164 there); the full policy
            # only for values without one (e164_values is its e164: none there either), where
            # its status (withheld, empty) is needed
            e164 = [e or "" for e in e164_values(texts, self.region)]
            status = [""] * len(texts)
            rest = [k for k, e in enumerate(e164) if not e]
            if rest:
                res = normalise_values(pd.Series([texts[k] for k in rest], dtype=object), self.region)
                for k, st in zip(rest, res["status"].fillna("").astype(str).tolist()):
                    status[k] = st
            for c, e, st in zip(todo, e164, status):
                u = self.items[c]
                if e:
                    self.party[c] = self._code(e)
                elif st in ("withheld", "empty"):
                    self.party[c] = 0
                else:
                    self.party[c] = self._code(re.sub(r"\.0+$", "", u) if re.fullmatch(r"\d+\.0+", u) else u)
        return np.asarray(self.party, dtype=np.int64)[codes]

    def one(self, value: str) -> str:
        c = self._code(str(value).strip())
        return self.items[int(self.parties(np.array([c]))[0])]

    def code(self, value: str) -> int:
        return self._code(value)

    def is_number(self) -> np.ndarray:
        return np.fromiter((t.startswith("+") for t in self.items), dtype=bool, count=len(self.items))

    def text(self, codes: np.ndarray):
        if self._arrow is None or len(self._arrow) != len(self.items):
            self._arrow = pa.array(self.items, pa.string())
        return self._arrow.take(pa.array(codes, pa.int64()))


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
    if raw.kind in ("csv", "excel", "html"):
        tbl, footer = split_footer(tbl, start_cols)
    # one chunk per column, once: every later step reads a column as one array (no per-column
    # copy), and the chunked table read is let go (raw.table) instead of held beside it; the
    # provenance columns go to the output as read (no copy of a million file names)
    tbl = raw.table = pa.table({name: (col if name in ("_source", "_row") else col.combine_chunks())
                                for name, col in zip(tbl.column_names, tbl.columns)})
    n = tbl.num_rows
    # ------------------------------------------------------------ rows that are not data
    # blank rows, the header repeated on each printed page, "Page 2 of 9" lines: left out and
    # listed in the report (never silently)
    cells = np.zeros(n, dtype=np.int64)
    same_as_header = np.zeros(n, dtype=np.int64)
    trimmed = {}
    for c in columns:
        arr = trimmed[c] = _arrow(tbl, c)
        # from the value lengths (no string compare of every cell): filled cells, and the few
        # cells as long as the header that may repeat it
        size = np.asarray(pc.binary_length(arr).to_numpy(zero_copy_only=False))
        cells += size > 0
        name = str(c).strip()
        maybe = np.flatnonzero(size == len(name.encode("utf-8"))) if name else np.flatnonzero(size == 0)
        if len(maybe):
            same = pc.equal(arr.take(pa.array(maybe)), name).to_numpy(zero_copy_only=False)
            same_as_header[maybe[np.asarray(same, dtype=bool)]] += 1
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
        keep = pa.array(~drop)
        tbl = tbl.filter(keep)
        trimmed = {c: a.filter(keep) for c, a in trimmed.items()}
        n = tbl.num_rows

    A = {r: trimmed[c] for r, c in bound.items()}
    del trimmed
    blank_arr = _const(n)
    get = lambda r: A.get(r, blank_arr)  # noqa: E731
    nonempty = lambda arr: np.asarray(pc.not_equal(arr, "").to_numpy(zero_copy_only=False), dtype=bool)  # noqa: E731

    # ------------------------------------------------------------ parties (integer codes)
    zero = np.zeros(n, dtype=np.int64)
    enc = lambda r: numbers.encode(A[r]) if r in A else zero  # noqa: E731
    a_raw, b_raw, o_raw = enc("a_party"), enc("b_party"), enc("other_party")
    f_raw, t_raw = enc("forwarded_to"), enc("target")
    p_from_used = p_to_used = False
    if "parties" in bound:
        got, idx = _distinct(A["parties"], _from_parties)
        for k, target in ((0, "from"), (1, "to"), (2, "other")):
            lut = np.asarray([numbers.code(g[k]) for g in got], dtype=np.int64)
            codes = lut[idx] if len(lut) else zero
            if target == "from":
                p_from_used = bool((codes != 0).any())
                a_raw = np.where(a_raw != 0, a_raw, codes)
            elif target == "to":
                p_to_used = bool((codes != 0).any())
                b_raw = np.where(b_raw != 0, b_raw, codes)
            else:
                o_raw = np.where(o_raw != 0, o_raw, codes)
    a, b, o = numbers.parties(a_raw), numbers.parties(b_raw), numbers.parties(o_raw)
    fwd, tgt = numbers.parties(f_raw), numbers.parties(t_raw)

    # ------------------------------------------------------------ the handset of the return
    handset_source = ""
    hs_code = 0
    if handset:
        hs_code = numbers.code(numbers.one(handset))
        handset_source = "--handset"
    if not hs_code and "target" in bound:
        counts = np.bincount(tgt, minlength=1)
        counts[0] = 0
        if counts.any():
            hs_code, handset_source = int(np.argmax(counts)), f"column '{bound['target']}'"
    if not hs_code:
        for line in raw.preamble:
            m = PREAMBLE_HANDSET.search(line)
            if m:
                got_text = numbers.one(m.group(1).replace(" ", "").replace("-", ""))
                if got_text.startswith("+"):
                    hs_code, handset_source = numbers.code(got_text), f"preamble line '{line}'"
                    break
    if not hs_code:
        rows_with = (a != 0) | (b != 0) | (o != 0)
        counts = np.bincount(a[rows_with], minlength=1) if rows_with.any() else np.zeros(1, np.int64)
        cb = np.bincount(b[rows_with], minlength=len(counts)) if rows_with.any() else np.zeros(1, np.int64)
        counts = np.pad(counts, (0, max(0, len(cb) - len(counts)))) + np.pad(cb, (0, max(0, len(counts) - len(cb))))
        counts[0] = 0
        if counts.any():
            top = int(np.argmax(counts))
            if numbers.items[top].startswith("+") and \
                    ((a == top) | (b == top)).sum() >= 0.9 * rows_with.sum():
                hs_code, handset_source = top, "the party common to every row"
    file_handset = numbers.items[hs_code]
    hs = np.where(tgt != 0, tgt, hs_code) if "target" in bound else np.full(n, hs_code, dtype=np.int64)
    known = hs != 0

    # ------------------------------------------------------------ direction and event
    # small integer codes (DIRS / EVENTS) so that millions of rows cost one byte each
    def decoded(role):
        got, idx = _distinct(A[role], L.decode)
        d = np.asarray([DIR_CODE[x[0]] for x in got], dtype=np.int8)
        e = np.asarray([EVENT_CODE[x[1]] for x in got], dtype=np.int8)
        return (d[idx], e[idx]) if len(got) else (np.zeros(n, np.int8), np.zeros(n, np.int8))

    none8 = np.zeros(n, dtype=np.int8)
    d_dir, d_event = decoded("direction") if "direction" in bound else (none8, none8)
    if "call_type" in bound:
        c_dir, c_event = decoded("call_type")
        type_blank = ~nonempty(A["call_type"])
    else:
        c_dir, c_event = none8, none8
        type_blank = np.ones(n, dtype=bool)
    # a direction column's forward code (CF) beats an event column's voice, and vice versa
    direction = np.where(d_dir != 0, d_dir, c_dir).astype(np.int8)
    event = np.where(c_event != 0, c_event, d_event).astype(np.int8)
    event_note = ""
    if not (event != 0).any():
        default = "data" if layout == "data_sessions" else "voice"
        event = np.full(n, EVENT_CODE[default], dtype=np.int8)
        event_note = (f"no call type {'values' if 'call_type' in bound else 'column'}: "
                      f"every row read as {default}")
    else:
        # a bare direction code (MO, MT, Incoming) with no service word is a call
        event = np.where((event == 0) & (c_dir != 0), EVENT_CODE["voice"], event).astype(np.int8)
        event = np.where((event == 0) & ~type_blank, EVENT_CODE["other"], event).astype(np.int8)
    is_data = event == EVENT_CODE["data"]
    ct, dr = get("call_type"), get("direction")
    raw_codes = pc.if_else(pc.and_(pc.not_equal(ct, ""), pc.not_equal(dr, "")),
                           pc.binary_join_element_wise(ct, dr, " / "),
                           pc.if_else(pc.not_equal(ct, ""), ct, dr))
    inferred = 0
    if not (direction != 0).any() and hs_code:
        # the return says nothing about direction: the parties do (never for data sessions)
        guess = np.where(a == hs, DIR_CODE["out"], np.where(b == hs, DIR_CODE["in"], 0))
        guess = np.where(is_data, 0, guess).astype(np.int8)
        inferred = int((guess != 0).sum())
        direction = guess

    # ------------------------------------------------------------ a, b and the other party
    is_out = direction == DIR_CODE["out"]
    is_in = direction == DIR_CODE["in"]
    is_fwd = direction == DIR_CODE["forward"]
    if not ("a_party" in bound or "b_party" in bound or p_from_used or p_to_used):
        # target + other party: build A and B from the direction
        inward = is_in | is_fwd  # a forward leg: the caller reached the handset (and went on)
        a = np.where(inward, o, hs)
        b = np.where(inward, hs, np.where(is_data, 0, o))
        a_raw = np.where(inward, o_raw, t_raw)
        b_raw = np.where(inward, t_raw, o_raw)
        other, other_raw = o, o_raw
    else:
        pick_b = is_out | (~is_in & (a == hs) & known)
        pick_a = is_in | (~is_out & (b == hs) & known)
        # the row's own parties win over a direction that points at the handset itself
        flip_out = is_out & (b == hs) & (a != hs) & known
        flip_in = is_in & (a == hs) & (b != hs) & known
        pick_b = np.where(flip_out, False, np.where(flip_in, True, pick_b))
        pick_a = np.where(flip_out, True, np.where(flip_in, False, pick_a))
        other = np.where(pick_b, b, np.where(pick_a, a, o))
        other_raw = np.where(pick_b, b_raw, np.where(pick_a, a_raw, o_raw))
    if "forwarded_to" in bound:
        has_f = is_fwd & (fwd != 0)
        other = np.where(has_f, fwd, other)
        other_raw = np.where(has_f, f_raw, other_raw)
    elif is_fwd.any():
        other = np.where(is_fwd, np.where(b != hs, b, a), other)
        other_raw = np.where(is_fwd, np.where(b != hs, b_raw, a_raw), other_raw)
    # one-sided rows (a phone download's Parties, a blank own side): the handset is the other end
    if known.any():
        a_fill = (a == 0) & is_out & known
        b_fill = (b == 0) & is_in & known
        a = np.where(a_fill, hs, a)
        b = np.where(b_fill, hs, b)
        a_raw = np.where(a_fill, hs, a_raw)
        b_raw = np.where(b_fill, hs, b_raw)
    if "other_party" in bound and (o != 0).any() and ("a_party" in bound or "b_party" in bound):
        other = np.where(other == 0, o, other)
    # a return that puts its target in the A column whatever the direction: A is the caller
    swap = known & ((is_in & (a == hs) & (b != hs) & (b != 0)) | (is_out & (b == hs) & (a != hs) & (a != 0)))
    swapped = int(swap.sum())
    if swapped:
        a, b = np.where(swap, b, a), np.where(swap, a, b)
        a_raw, b_raw = np.where(swap, b_raw, a_raw), np.where(swap, a_raw, b_raw)

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
    head = lambda arr: arr.slice(0, L.SAMPLE).to_pylist()  # noqa: E731
    dayfirst = None
    if "start" in bound and ("date" not in bound or "time" not in bound):
        start_text = A["start"]
        if "date" in bound and "time" not in bound and L.shape_ok("clock", head(start_text)):
            start_text = _combine(A["date"], start_text)  # a start column of times of day
    elif "date" in bound:
        start_text = _combine(A["date"], A["time"]) if "time" in bound else A["date"]
    else:
        start_text = A["start"]
    if "date" in bound:  # the order of a date column is decided on its few distinct dates
        dayfirst = T.date_order(pc.unique(A["date"]).to_pylist()) != "monthfirst"
    if _serials(head(start_text)):
        start_text = pa.array(T.excel_serial_text(start_text.to_pylist()).tolist(), pa.string())
        notes.append("start times are Excel serial numbers (days since 1899-12-30)")
    parsed = T.parse(start_text.to_pandas(), tz=tz, dayfirst=dayfirst, declared=declared)
    utc = parsed["utc"].reset_index(drop=True)
    tz_status = parsed["tz_status"].reset_index(drop=True)
    problem = parsed["problem"].reset_index(drop=True)
    del parsed
    end_utc = None
    if "end" in bound:
        end_text = A["end"]
        if "date" in bound and L.shape_ok("clock", head(end_text)):
            end_text = _combine(A["date"], end_text)
        if _serials(head(end_text)):
            end_text = pa.array(T.excel_serial_text(end_text.to_pylist()).tolist(), pa.string())
        end_decl = T.zone_from_header(bound["end"]) or declared
        end_utc = T.parse(end_text.to_pandas(), tz=tz, dayfirst=dayfirst,
                          declared=end_decl)["utc"].reset_index(drop=True)

    # ------------------------------------------------------------ durations
    if "duration" in bound:
        got, idx = _distinct(A["duration"], lambda v: v)
        per = T.durations(pd.Series(got, dtype=object)).to_numpy(dtype="float64", na_value=np.nan)
        dur = pd.Series(pd.array(per[idx] if len(per) else np.full(n, np.nan), dtype="Float64")
                        ).round().astype("Int64")
        bad = dur.isna().to_numpy() & nonempty(A["duration"])
        if bad.any():
            extra = pd.Series(np.where(bad, "duration not understood: '" +
                                       A["duration"].to_pandas().astype(str).to_numpy(dtype=object) + "'", ""))
            problem = _join(problem, extra)
    elif end_utc is not None:
        secs = (end_utc - utc).dt.total_seconds()
        dur = secs.round().astype("Int64")
    else:
        dur = pd.Series(pd.array([pd.NA] * n, dtype="Int64"))

    # ------------------------------------------------------------ cells
    cell_first = get("cell_first")
    if "cell_first" not in bound and "lac" in bound and "ci" in bound:
        both_cells = pc.or_(pc.not_equal(A["lac"], ""), pc.not_equal(A["ci"], ""))
        cell_first = pc.if_else(both_cells, pc.binary_join_element_wise(A["lac"], A["ci"], "-"), "")

    def raw_if_diff(out_codes, raw_codes_):
        return numbers.text(np.where(out_codes != raw_codes_, raw_codes_, 0))

    layout_text = f"{layout} ({'xlsx' if raw.kind == 'excel' else raw.kind})"
    cols = {
        "handset": numbers.text(hs),
        "direction": pa.array(DIRS, pa.string()).take(pa.array(direction.astype(np.int32))),
        "event": pa.array(EVENTS, pa.string()).take(pa.array(event.astype(np.int32))),
        "a_party": numbers.text(a),
        "b_party": numbers.text(b),
        "other_party": numbers.text(other),
        "tz_status": _as_text(tz_status),
        "imei": _digits(get("imei")),
        "imsi": _digits(get("imsi")),
        "cell_first": _digits(cell_first),
        "cell_last": _digits(get("cell_last")),
        "duplicate_of": blank_arr,
        "format": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)),
                                                 pa.array([layout_text])).cast(pa.string()),
        "problem": _as_text(problem),
        "a_party_raw": raw_if_diff(a, a_raw),
        "b_party_raw": raw_if_diff(b, b_raw),
        "other_party_raw": raw_if_diff(other, other_raw),
        "start_raw": start_text,
        "event_raw": raw_codes,
    }
    for r in ("forwarded_to", "location", "lat", "lon", "easting", "northing", "status"):
        if r in bound:
            cols[r] = numbers.text(fwd) if r == "forwarded_to" else A[r]
    cols["_source"] = _as_str(tbl.column("_source"))
    cols["_row"] = tbl.column("_row")
    df = pa.table(cols).to_pandas(types_mapper={pa.string(): pd.ArrowDtype(pa.string())}.get)
    df.insert(6, "start_utc", utc)
    if end_utc is not None:
        df["end_utc"] = end_utc
    df.insert(df.columns.get_loc("tz_status") + 1, "duration_s", dur.astype("Int64"))

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
                              "has no direction or call-type code)" if inferred else "",
                              f"a_party/b_party swapped on {swapped} rows whose direction says the "
                              "handset's own column was not the caller's (the return lists the "
                              "target first whatever the direction)" if swapped else "") if x],
        "duplicates": 0,
    }
    return df, report


_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")


def _serials(sample: list) -> bool:
    sample = [v for v in sample if v]
    return bool(sample) and all(_SERIAL.match(v) and 20000 <= float(v) < 80000 for v in sample)


def _pick(decoded: np.ndarray, k: int) -> np.ndarray:
    """Element ``k`` of each decoded (direction, event) pair, as an object array."""
    got = np.empty(len(decoded), dtype=object)
    got[:] = [x[k] for x in decoded] if len(decoded) else []
    return got


def _on_distinct(arr, fn):
    """An Arrow text transform applied to the distinct values only, then taken back."""
    enc = pc.dictionary_encode(arr)
    enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
    return fn(enc.dictionary).take(enc.indices)


def _combine(dates, times):
    """Separate date and time-of-day columns as one text column (Arrow; the rules of
    :func:`toexcli.timemodel.combine`: an Excel time's 1899-12-30 and a date's 00:00 dropped)."""
    # each step only where it can change something (checked by cheap scans first): the same
    # text, without hashing a million times of day that no rule touches
    t, d = times, dates
    if pc.any(pc.starts_with(t, "1899-12-3")).as_py():
        t = _on_distinct(t, lambda x: pc.replace_substring_regex(x, r"^1899-12-3[01][T ]", ""))
    if pc.any(pc.ends_with(d, "00:00")).as_py():
        d = _on_distinct(d, lambda x: pc.replace_substring_regex(x, r"[T ]00:00(:00)?$", ""))
    out = pc.binary_join_element_wise(d, t, " ")
    if _may_have_edge_space(out):
        out = pc.utf8_trim_whitespace(out)
    empty_d = pc.equal(d, "")
    return pc.if_else(empty_d, "", out) if pc.any(empty_d).as_py() else out


def _digits(arr):
    """An identifier read back from Excel as ``860192045188368.0``: the digits only."""
    if not pc.any(pc.ends_with(arr, ".0")).as_py():
        return arr
    return pc.replace_substring_regex(arr, r"^(\d+)\.0+$", r"\1")


def _join(a: pd.Series, b: pd.Series) -> pd.Series:
    a = a.astype(str).fillna("")
    b = b.astype(str).fillna("")
    both = (a != "") & (b != "")
    return a.where(~both, a + "; " + b).where(a != "", b)


def _offset_text(off) -> str:
    secs = int(off.total_seconds())
    if secs == 0:
        return "UTC"
    sign = "+" if secs > 0 else "-"
    secs = abs(secs)
    return f"UTC{sign}{secs // 3600:02d}:{secs % 3600 // 60:02d}"
