"""Money and dates from statement text, exactly and vectorised.

Amounts become integer pennies (int64 with a validity mask) so that sums and balance checks are
exact; the output column is built from them as an Arrow decimal128(18, 2). Nothing passes through
a float. A value that cannot be read is reported with the reason, never guessed.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MONEY = pa.decimal128(18, 2)
MAX_SCALE = 6  # most decimal places kept exactly (OFX unit prices and FX amounts have 3-4)


def money_type(scale: int = 2) -> pa.DataType:
    """decimal128(18, 2) for pounds and pence; more places keep the same whole-number range."""
    return MONEY if scale == 2 else pa.decimal128(16 + scale, scale)


def decimals_needed(texts, decimal: str = ".,") -> int:
    """How many decimal places a file's amounts need (2, or up to MAX_SCALE when one has more
    non-zero decimals): amounts are kept exactly, never rounded. ``decimal``: the characters
    that may be the decimal mark."""
    need = 2
    rx = re.compile(r"[" + re.escape(decimal) + r"]([0-9]+)\s*\)?\s*(?:[A-Z]{2,3})?-?\s*$")
    for t in texts:
        m = rx.search(t or "")
        if m:
            d = len(m.group(1).rstrip("0"))
            if d > need:
                need = d
    return min(need, MAX_SCALE)

# After currency marks and signs are removed, what a valid number looks like.
_VALID = {
    ".": r"^([0-9]{1,3}(,[0-9]{3})+|[0-9]+)?(\.[0-9]+)?$",
    ",": r"^([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)?(,[0-9]+)?$",
}
_CURRENCY = "[£$€¥\\s\u00a0\u202f]|^(GBP|EUR|USD)|(GBP|EUR|USD)$"


def no_nulls(arr, value: str = ""):
    """Nulls as ``value`` (fill_null copies the whole array even when there is no null)."""
    return pc.fill_null(arr, value) if arr.null_count else arr


def trim_whitespace(arr):
    """pc.utf8_trim_whitespace, skipped when no text starts or ends with a byte that could be
    whitespace (anything but printable ASCII '!'..'~'), the usual case for a whole column."""
    if isinstance(arr, pa.Array) and arr.type == pa.string() and not arr.null_count and len(arr):
        bufs = arr.buffers()
        n = len(arr)
        off = np.frombuffer(bufs[1], np.int32, n + 1, arr.offset * 4)
        if off[-1] == off[0]:
            return arr
        data = np.frombuffer(bufs[2], np.uint8)
        full = off[1:] > off[:-1]
        top = len(data) - 1
        first = data[np.minimum(off[:-1], top)]
        last = data[np.clip(off[1:] - 1, 0, top)]
        risky = (first < 0x21) | (first > 0x7E) | (last < 0x21) | (last > 0x7E)
        if not (full & risky).any():
            return arr
    return pc.utf8_trim_whitespace(arr)


def parse_amounts(values, decimal: str = ".", scale: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Statement amount text -> (pennies int64, present bool, bad bool).

    Understands ``£1,234.56``, ``-£52.00``, ``+5.00``, ``(12.00)``, ``12.00 CR`` / ``DR``,
    ``12.00-``, a leading ``'`` (Excel guard) and, when ``decimal=","``, ``1.234,56``. Blank cells
    are not present (and not bad). Thousands groups must be groups of three (``12,50`` in a
    point-decimal layout is bad, not 1250); more than ``scale`` decimal places is bad unless the
    extra digits are zeros. The numbers are integers in units of 10**-scale (pennies for 2).
    """

    arr = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_string(arr.type):
        arr = arr.cast(pa.string())
    n = len(arr)
    arr = no_nulls(arr)
    # Fast path: most exports already write plain numbers ('-12.50', '2000'); only the rest go
    # through the full clean-up below.
    shape = _plain_shape(arr) if n else None
    if shape is not None:
        fast = _plain_pennies(arr, shape) if shape != "regex" else None
        if fast is not None:
            if scale != 2:
                fast = fast * 10 ** (scale - 2)
            return fast, shape[0].copy(), np.zeros(n, bool)  # shape[0]: the cell is not blank
        plain = pc.not_equal(arr, "")
        ok = plain.to_numpy(zero_copy_only=False)
        dec = pc.if_else(plain, arr, "0").cast(money_type(scale))
        return _decimal_pennies(dec), ok, np.zeros(n, bool)
    s = pc.utf8_trim(arr, " \t\r\n\u00a0'\"")
    present = pc.not_equal(s, "")
    # credit/debit suffixes and brackets
    cr = pc.match_substring_regex(s, r"(?i)\s*CR\.?$")
    dr = pc.match_substring_regex(s, r"(?i)\s*DR\.?$")
    s = pc.replace_substring_regex(s, r"(?i)\s*[CD]R\.?$", "")
    paren = pc.match_substring_regex(s, r"^\(.*\)$")
    s = pc.replace_substring_regex(s, r"^\((.*)\)$", r"\1")
    s = pc.replace_substring_regex(s, _CURRENCY, "")
    lead_minus = pc.match_substring_regex(s, r"^-")
    trail_minus = pc.match_substring_regex(s, r"-$")
    s = pc.replace_substring_regex(s, r"^[-+]|-$", "")
    s = pc.replace_substring_regex(s, _CURRENCY, "")  # '-£52.00' -> '£52.00' -> '52.00'
    digits = pc.match_substring_regex(s, r"[0-9]")
    ok = pc.and_(pc.match_substring_regex(s, _VALID[decimal]), digits)
    if decimal == ",":
        s = pc.replace_substring(s, ".", "")
        s = pc.replace_substring(s, ",", ".")
    else:
        s = pc.replace_substring(s, ",", "")
    s = pc.replace_substring_regex(s, r"(\.[0-9]{%d})0+$" % scale, r"\1")  # 1.2300 -> 1.23
    ok = pc.and_(ok, pc.invert(pc.match_substring_regex(s, r"\.[0-9]{%d,}$" % (scale + 1))))
    ok = pc.and_(ok, pc.less_equal(pc.utf8_length(s), 15 + scale))
    good = pc.and_(present, ok)
    clean = pc.if_else(good, s, pa.scalar(None, pa.string()))
    dec = clean.cast(money_type(scale))
    unit = pa.scalar(Decimal(10 ** scale), pa.decimal128(scale + 1, 0))
    pennies = pc.fill_null(pc.multiply(dec, unit).cast(pa.int64()), 0)
    neg = pc.or_(pc.or_(pc.or_(lead_minus, trail_minus), paren), dr)
    neg = pc.and_(neg, pc.invert(cr))
    p = pennies.to_numpy(zero_copy_only=False).astype(np.int64)
    negn = neg.to_numpy(zero_copy_only=False)
    p = np.where(negn, -p, p)
    presentn = present.to_numpy(zero_copy_only=False)
    goodn = good.to_numpy(zero_copy_only=False)
    bad = presentn & ~goodn
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0, bool)
    return p, goodn, bad


def _plain_shape(arr: pa.Array):
    """If every text is blank or ``-?[0-9]{1,15}(\\.[0-9]{1,2})?`` (a plain number): per text
    (non-blank, leading '-', one decimal place, two decimal places) as numpy bools; else None.
    The same test as that regex, done on the Arrow buffers with numpy (a regex per cell costs
    more)."""
    n = len(arr)
    if arr.null_count or arr.type != pa.string():
        if pc.all(pc.match_substring_regex(arr, r"^(-?[0-9]{1,15}(\.[0-9]{1,2})?)?$")).as_py():
            return "regex"
        return None
    bufs = arr.buffers()
    off = np.frombuffer(bufs[1], np.int32, n + 1, arr.offset * 4).astype(np.int64)
    if off[-1] == off[0]:
        z = np.zeros(n, bool)
        return z, z, z, z  # all blank
    data = np.frombuffer(bufs[2], np.uint8)[off[0]:off[-1]]
    off = off - off[0]
    if not ((data - np.uint8(0x2D)) <= 12).all() or (data == 0x2F).any():
        return None  # a byte other than '-', '.', 0-9 (0x2D..0x39 without '/')
    ln = np.diff(off)
    if ln.max() > 19:
        return None
    full = ln > 0
    top = len(data) - 1

    def at(pos):  # the byte at pos (clipped: only read where the text is long enough)
        return data[np.clip(pos, 0, top)]

    start, end = off[:-1], off[1:]
    minus = full & (at(start) == 0x2D)
    if int(np.count_nonzero(data == 0x2D)) != int(np.count_nonzero(minus)):
        return None  # a '-' that is not the first character
    last = at(end - 1)
    if (full & ((last < 0x30) | (last > 0x39))).any():
        return None  # ends with '.' or '-'
    dot1 = (ln >= 2) & (at(end - 2) == 0x2E)  # one decimal place
    dot2 = (ln >= 3) & (at(end - 3) == 0x2E)  # two decimal places
    if (dot1 & dot2).any():
        return None
    if int(np.count_nonzero(data == 0x2E)) != int(np.count_nonzero(dot1) + np.count_nonzero(dot2)):
        return None  # a '.' anywhere else, or two of them
    whole = ln - minus - 3 * dot2 - 2 * dot1
    if not (~full | ((whole >= 1) & (whole <= 15))).all():
        return None
    return full, minus, dot1, dot2


def _all_plain(arr: pa.Array) -> bool:
    return _plain_shape(arr) is not None


def _plain_pennies(arr: pa.Array, shape) -> np.ndarray | None:
    """Pennies of plain numbers that all have two decimal places (the usual export): the whole
    part cast to int64 plus the two digits read from the buffer; None for other shapes. Blank
    cells are 0."""
    full, minus, dot1, dot2 = shape
    if not np.array_equal(full, dot2):
        return None
    n = len(arr)
    if not full.any():
        return np.zeros(n, np.int64)
    whole = pc.utf8_slice_codeunits(arr, 0, -3)
    if not full.all() and whole.offset == 0:  # blank cells as nulls: the cast skips them
        wb = whole.buffers()
        whole = pa.Array.from_buffers(pa.string(), n, [pa.py_buffer(np.packbits(full, bitorder="little")),
                                                       wb[1], wb[2]], null_count=n - int(full.sum()))
    elif not full.all():
        whole = pc.utf8_slice_codeunits(pc.if_else(pa.array(full), arr, "0.00"), 0, -3)
    whole = pc.fill_null(whole.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
    bufs = arr.buffers()
    end = np.frombuffer(bufs[1], np.int32, n + 1, arr.offset * 4)[1:].astype(np.int64)
    data = np.frombuffer(bufs[2], np.uint8)
    top = len(data) - 1
    tens = data[np.clip(end - 2, 0, top)].astype(np.int64) - 48
    ones = data[np.clip(end - 1, 0, top)].astype(np.int64) - 48
    p = np.abs(whole) * 100 + np.where(full, tens * 10 + ones, 0)
    return np.where(minus, -p, p)


def _decimal_pennies(dec: pa.Array) -> np.ndarray:
    """decimal128(18, 2) without nulls -> its unscaled integers (the pennies), read straight from
    the 128-bit little-endian buffer: |values| < 10^18 fit the low 64 bits exactly."""
    dec = dec.combine_chunks() if isinstance(dec, pa.ChunkedArray) else dec
    words = np.frombuffer(dec.buffers()[1], dtype="<i8")
    start = dec.offset * 2
    return words[start:start + 2 * len(dec):2].copy()


def amount_pennies(text: str, decimal: str = ".", scale: int = 2) -> int | None:
    """One amount (for the text formats); None if blank; ValueError if unreadable."""
    p, ok, bad = parse_amounts([text], decimal, scale)
    if bad[0]:
        raise ValueError(text)
    return int(p[0]) if ok[0] else None


def decimal_text_pennies(text: str, scale: int = 2) -> int:
    """An exact decimal string ('1250,75', '-3.45', '1875', '+115.8331' with scale 4) -> integer
    units of 10**-scale (pennies for 2); ValueError when unreadable or finer than the scale."""
    t = text.strip().replace(",", ".")
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise ValueError(text) from None
    if not d.is_finite():
        raise ValueError(text)
    q = d * 10 ** scale
    if q != q.to_integral_value():
        raise ValueError(text)
    return int(q)


def pennies_to_arrow(pennies: np.ndarray, valid: np.ndarray, scale: int = 2) -> pa.Array:
    """int64 pennies (units of 10**-scale) + validity -> decimal128 without any float step."""
    n = len(pennies)
    lo = np.asarray(pennies, dtype="<i8")
    buf = np.empty(2 * n, dtype="<i8")
    buf[0::2] = lo
    buf[1::2] = np.where(lo < 0, -1, 0)
    bitmap, nulls = None, 0
    if valid is not None:
        valid = np.asarray(valid, bool)
        nulls = n - int(np.count_nonzero(valid))
        if nulls:
            bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(money_type(scale), n, [bitmap, pa.py_buffer(buf)], null_count=nulls)


def pennies_text(p: int | None, scale: int = 2) -> str | None:
    if p is None:
        return None
    sign = "-" if p < 0 else ""
    p = abs(int(p))
    u = 10 ** scale
    return f"{sign}{p // u}.{p % u:0{scale}d}"


# --------------------------------------------------------------------------------- dates

_MONTH_FIRST = re.compile(r"%[mbB].*%d")


def _day_month_year(arr: pa.Array):
    """Texts that are all blank or 'dd/mm/yyyy' (a real date, years 1900-2099) -> datetime64[D]
    (NaT for blank), computed from the bytes; None when any text is anything else, so that
    strptime decides."""
    n = len(arr)
    if arr.type != pa.string() or arr.null_count or n == 0:
        return None
    bufs = arr.buffers()
    off = np.frombuffer(bufs[1], np.int32, n + 1, arr.offset * 4).astype(np.int64)
    ln = np.diff(off)
    full = ln == 10
    if not (full | (ln == 0)).all() or not full.any():
        return None
    data = np.frombuffer(bufs[2], np.uint8)
    m = data[off[:-1][full][:, None] + np.arange(10)].astype(np.int64)
    digits = np.delete(m, [2, 5], axis=1) - 48
    if not ((m[:, 2] == 0x2F) & (m[:, 5] == 0x2F)).all() or not ((digits >= 0) & (digits <= 9)).all():
        return None
    day = digits[:, 0] * 10 + digits[:, 1]
    month = digits[:, 2] * 10 + digits[:, 3]
    year = digits[:, 4] * 1000 + digits[:, 5] * 100 + digits[:, 6] * 10 + digits[:, 7]
    if not ((month >= 1) & (month <= 12) & (year >= 1900) & (year <= 2099) & (day >= 1)).all():
        return None
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1)
    dim = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    if not (day <= dim).all():
        return None
    out = np.full(n, np.datetime64("NaT"), "datetime64[D]")
    out[full] = first.astype("datetime64[D]") + (day - 1)
    return out


def parse_dates(values, formats: list[str], year: int | None = None):
    """Date text -> (numpy datetime64[D] with NaT where unreadable, bool: the format had no year).

    Each distinct value is parsed once. Formats are tried in order (day-first formats only in the
    defaults: 05/01/2024 is 5 January). A format without a year (``%B %d``) takes ``year``.
    """
    import pandas as pd

    arr = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(
        [None if v is None else str(v) for v in values], pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = trim_whitespace(no_nulls(arr.cast(pa.string())))
    quoted = pc.starts_with(arr, "'")
    if pc.any(quoted).as_py():
        arr = pc.if_else(quoted, pc.utf8_slice_codeunits(arr, 1), arr)
    enc = pc.dictionary_encode(arr)  # one hash pass: the distinct texts and each row's code
    uniq_arr = enc.dictionary
    codes = enc.indices.to_numpy(zero_copy_only=False)
    fast = _day_month_year(uniq_arr) if formats and formats[0] == "%d/%m/%Y" else None
    if fast is not None:  # every text is a real dd/mm/yyyy date (or blank): no strptime needed
        uniq = out = None
        days, no_year = fast, np.zeros(len(fast), bool)
        formats = []
    else:
        uniq = pd.Series(uniq_arr.to_pylist(), dtype="str")
        out = pd.Series(pd.NaT, index=uniq.index, dtype="datetime64[s]")
        no_year = np.zeros(len(uniq), bool)
    for fmt in formats:
        todo = out.isna() & (uniq != "")
        if not todo.any():
            break
        sub = uniq[todo]
        has_year = "%Y" in fmt or "%y" in fmt
        if has_year:
            got = pd.to_datetime(sub, format=fmt, errors="coerce")
        else:
            y = year or _dt.date.today().year
            got = pd.to_datetime(sub + f" {y}", format=fmt + " %Y", errors="coerce")
        got = got.astype("datetime64[s]")
        hit = got.notna()
        out[sub.index[hit.to_numpy()]] = got[hit]
        if not has_year:
            no_year[sub.index[hit.to_numpy()]] = True
    if out is not None:
        days = out.to_numpy().astype("datetime64[D]")
    if len(codes) == 0:
        return np.array([], "datetime64[D]"), np.zeros(0, bool)
    res = np.where(codes >= 0, days[np.maximum(codes, 0)], np.datetime64("NaT"))
    ny = np.where(codes >= 0, no_year[np.maximum(codes, 0)], False)
    return res.astype("datetime64[D]"), ny
