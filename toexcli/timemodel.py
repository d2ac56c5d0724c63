"""The one time model of the toolbox: every date-time any command reads goes through here.

Why one module: a call at 18:57 BST must be the same instant whichever return, chat or statement
it came from, and an analyst must be able to say *why* toex put it there. The rules:

- A value with ``Z`` or an offset (``+01:00``, ``+0100``, ``(UTC+1)``, ``UTC+01:00``, ``GMT``,
  ``UTC``, ``BST``) is exact: ``tz_status = declared``. A column header that names the zone
  (``Start (UTC)``, ``Time GMT``) declares it for every value without one (``declared=``).
- A value with no zone is wall-clock time in ``tz`` (default Europe/London): ``assumed``.
- A wall time in the spring gap (it never happened) is ``nonexistent``: the instant is the wall
  time shifted forward by the gap (01:37:20 on the change day becomes 02:37:20 BST = 01:37:20Z).
  A wall time in the autumn repeat is ``ambiguous``: the *earlier* instant (BST reading) is used.
  Both keep the row and say so in ``problem``; ``zoneinfo`` itself accepts both silently, so
  they are detected here by a round trip.
- Numeric dates are day first (UK) unless ``dayfirst=False``; ``dayfirst=None`` decides per
  column from the values (a part above 12 settles it; all-ambiguous columns stay day first and
  :func:`date_order` says so). Two-digit years (``08/01/24``, ``08-JAN-24``) are 2000-2068 /
  1969-1999 as Python's ``%y``.
- A date with no time is ``precision = day`` and placed at local midnight; never an invented time.
- An impossible date (``31/02/2024``) is unreadable, never rolled into March.

Speed: the common shapes (ISO, ``dd/mm/yyyy hh:mm[:ss]``) are parsed by Arrow in C over the whole
column; anything else is parsed once per distinct value. The zone step is vectorised (pandas
``tz_localize``) and only gap/repeat rows are handled one by one. Commands that build their
output in Arrow use :func:`parse_arrow` and :func:`iso_arrow`: the same answers and text, with no
pandas Series per value in between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from datetime import datetime, timedelta, timezone

DEFAULT_TZ = "Europe/London"

DECLARED = "declared"
ASSUMED = "assumed"
NONEXISTENT = "nonexistent"
AMBIGUOUS = "ambiguous"
UNREADABLE = "unreadable"
TZ_STATUSES = (DECLARED, ASSUMED, NONEXISTENT, AMBIGUOUS, UNREADABLE)

NONEXISTENT_NOTE = ("local time {wall} did not exist (clocks went forward): read as the time "
                    "shifted forward by the gap")
AMBIGUOUS_NOTE = ("local time {wall} happened twice (clocks went back): the earlier instant "
                  "(summer time) was used")

_ZONE_WORD = r"(?:UTC|GMT|Z|BST)"
_OFFSET = r"[+-]\s*\d{1,2}(?::?\d{2})?"
# zone text at the end of a value; must follow a time of day (so 24-03-2025 is not read as -2025)
_ZONE_RE = re.compile(
    r"^(?P<body>.*?\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d{1,9})?)?(?:\s*[AaPp]\.?\s?[Mm]\.?)?)"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2}|\(\s*" + _ZONE_WORD + r"\s*(?:" + _OFFSET + r")?\s*\)"
    r"|(?:UTC|GMT)\s*(?:" + _OFFSET + r")?|BST)$", re.IGNORECASE)
_HEADER_ZONE_RE = re.compile(
    r"(?:^|[\s(\[_\-/])(?P<word>UTC|GMT|ZULU|BST)\s*(?P<off>" + _OFFSET + r")?(?:$|[\s)\]_\-/])",
    re.IGNORECASE)

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")

# Arrow fast-path formats (no zone): the column's winning format is tried first next time.
_FAST_DAYFIRST = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
                  "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y %H:%M:%S",
                  "%d.%m.%Y %H:%M:%S", "%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M", "%d/%m/%y")
_FAST_MONTHFIRST = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S",
                    "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%m/%d/%Y", "%Y-%m-%d")
_DATE_ONLY_FORMATS = {"%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%m/%d/%Y"}
_MINUTE_FORMATS = {"%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%y %H:%M",
                   "%m/%d/%Y %H:%M"}
_NAT = -(2**63)
# precision as small codes while a column is read (text columns are built once, by Arrow)
_PRECISIONS = ("", "second", "minute", "day")
_P_SECOND, _P_MINUTE, _P_DAY = 1, 2, 3
_MIN_WALL, _MAX_WALL = datetime(1678, 1, 2), datetime(2261, 12, 31)


# ------------------------------------------------------------------------------------ zones
def zone_offset(text: str) -> timedelta | None:
    """The fixed offset a zone text names (``Z``, ``+0100``, ``(UTC+1)``, ``GMT``, ``BST``), or
    None when the text names no zone toex understands."""
    t = re.sub(r"[()\s]", "", str(text)).upper()
    if not t:
        return None
    if t in ("Z", "UTC", "GMT", "ZULU"):
        return timedelta(0)
    if t == "BST":
        return timedelta(hours=1)
    m = re.fullmatch(r"(?:UTC|GMT|BST|Z)?([+-])(\d{1,2})(?::?(\d{2}))?", t)
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    off = timedelta(hours=hours, minutes=minutes)
    if t.startswith("BST"):
        off += timedelta(hours=1)
    return -off if m.group(1) == "-" else off


def zone_from_header(header: str) -> timedelta | None:
    """The zone a column header declares (``Start (UTC)``, ``Date/Time GMT``, ``Time (UTC+1)``),
    or None. A header saying ``local`` declares nothing: its values are assumed local."""
    m = _HEADER_ZONE_RE.search(str(header))
    if not m:
        return None
    return zone_offset(m.group("word") + (m.group("off") or ""))


def split_zone(value: str) -> tuple[str, str | None]:
    """``("2024-01-08T10:00:00", "Z")`` from ``2024-01-08T10:00:00Z``; no zone gives None."""
    m = _ZONE_RE.match(value.strip())
    if not m:
        return value.strip(), None
    return m.group("body").strip(), m.group("zone")


# ------------------------------------------------------------------------------- wall clocks
@dataclass(frozen=True)
class Wall:
    """One value read as a wall clock: naive datetime, its precision and any stated offset."""

    when: datetime
    precision: str  # second | minute | day
    offset: timedelta | None = None


def date_order(values) -> str:
    """``dayfirst``, ``monthfirst`` or ``ambiguous`` for a column of numeric dates, decided from
    all of them: a first part above 12 means day first, a second part above 12 month first.
    Year-first dates say nothing. Conflicting evidence gives ``dayfirst`` (the UK default)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    # the leading "a/b/" of each distinct value, read by Arrow in C (millions of rows are fine)
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        arr = values.cast(pa.string())
    else:
        arr = pa.array([None if v is None else str(v) for v in set(values)], pa.string())
    arr = pc.unique(arr)
    parts = pc.extract_regex(arr, r"^\s*(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-]")
    a = pc.struct_field(parts, "a").drop_null() if len(parts) else pa.array([], pa.string())
    b = pc.struct_field(parts, "b").drop_null() if len(parts) else pa.array([], pa.string())
    first = bool(len(a)) and bool(np.any(a.cast(pa.int64()).to_numpy(zero_copy_only=False) > 12))
    second = bool(len(b)) and bool(np.any(b.cast(pa.int64()).to_numpy(zero_copy_only=False) > 12))
    if first:
        return "dayfirst"
    if second:
        return "monthfirst"
    return "ambiguous"


_TIME_RE = re.compile(
    r"^(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?$")
_DATE_NUM_RE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_DATE_MON_RE = re.compile(r"^(\d{1,2})[\s\-/.]*([A-Za-z]{3,9})[\s\-/.,]*(\d{2}|\d{4})$")
_DATE_MON_FIRST_RE = re.compile(r"^([A-Za-z]{3,9})[\s\-/.]*(\d{1,2})(?:st|nd|rd|th)?[\s,]+(\d{4})$")
_YEAR_MON_DAY_RE = re.compile(r"^(\d{4})[\s\-/.]+([A-Za-z]{3,9})[\s\-/.]+(\d{1,2})$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})[ T]?(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{2}:?\d{2})?$")
_WEEKDAY_RE = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)


def _year(text: str) -> int:
    y = int(text)
    if len(text) <= 2:
        return 2000 + y if y < 69 else 1900 + y
    return y


def _month(name: str) -> int | None:
    return _MONTHS.get(name[:3].lower()) if name[:3].lower() in _MONTHS else None


def _read_date(text: str, dayfirst: bool) -> datetime | None:
    m = _DATE_NUM_RE.match(text)
    if m:
        a, b, c = m.groups()
        if len(a) == 4:
            y, mo, d = int(a), int(b), int(c)
        elif len(c) in (2, 4):
            d, mo = (int(a), int(b)) if dayfirst else (int(b), int(a))
            y = _year(c)
        else:
            return None
        return datetime(y, mo, d)
    m = _DATE_MON_RE.match(text)
    if m and _month(m.group(2)):
        return datetime(_year(m.group(3)), _month(m.group(2)), int(m.group(1)))
    m = _DATE_MON_FIRST_RE.match(text)
    if m and _month(m.group(1)):
        return datetime(int(m.group(3)), _month(m.group(1)), int(m.group(2)))
    m = _YEAR_MON_DAY_RE.match(text)
    if m and _month(m.group(2)):
        return datetime(int(m.group(1)), _month(m.group(2)), int(m.group(3)))
    if re.fullmatch(r"\d{8}", text):
        return datetime(int(text[:4]), int(text[4:6]), int(text[6:]))
    return None


def read_wall(value: str, *, dayfirst: bool = True) -> Wall | None:
    """Read one value as a wall clock (and any offset it states); None when it is not a date.

    Accepts ISO 8601, day-first numeric dates with ``/ . -``, month names (``08-JAN-24``,
    ``8 Jan 2024 10:00``, ``Apr 8, 2018``), 12 h clocks (``a.m.``/``PM``), an optional weekday,
    fractions of a second and a trailing zone.
    """
    text = " ".join(str(value).replace("\u202f", " ").replace("\u00a0", " ").split())
    if not text:
        return None
    text = _WEEKDAY_RE.sub("", text)
    m = _COMPACT_RE.match(text)
    if m:  # switch records: 20240108100005 / 20240108 1000 / 20240108T100005Z
        y, mo, d, h, mi, sec, zone = m.groups()
        offset = zone_offset(zone) if zone else None
        try:
            when = datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0))
        except ValueError:
            return None
        return Wall(when, "second" if sec is not None else "minute", offset)
    body, zone = split_zone(text)
    offset = None
    if zone is not None:
        offset = zone_offset(zone)
        if offset is None:
            return None
    body = body.replace("T", " ", 1) if re.match(r"^\d{4}-\d{2}-\d{2}T", body) else body
    # split date and time: the time is the last token holding a colon (or h.mm with am/pm)
    m = re.match(r"^(?P<date>.+?)[\s,]+(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d{1,9})?)?"
                 r"(?:\s*[AaPp]\.?\s?[Mm]\.?)?)$", body)
    date_text, time_text = (m.group("date").strip(" ,"), m.group("time")) if m else (body, None)
    try:
        day = _read_date(date_text, dayfirst)
    except ValueError:
        return None
    if day is None:
        return None
    if time_text is None:
        if offset is not None:
            return None
        return Wall(day, "day")
    t = _TIME_RE.match(time_text)
    if not t:
        return None
    hour, minute = int(t.group("h")), int(t.group("m"))
    ampm = t.group("ampm")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        pm = ampm.strip().lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)
    second = int(t.group("s") or 0)
    frac = t.group("f") or ""
    micro = int((frac + "000000")[:6]) if frac else 0
    try:
        when = day.replace(hour=hour, minute=minute, second=second, microsecond=micro)
    except ValueError:
        return None
    return Wall(when, "second" if t.group("s") is not None else "minute", offset)


# ------------------------------------------------------------------------------ the column API
def parse(values, *, tz: str = DEFAULT_TZ, dayfirst: bool | None = True, declared=None):
    """Parse a column of date-times; returns a DataFrame aligned with ``values``:

    ``utc`` (datetime64[ns, UTC], NaT when empty or unreadable), ``tz_status`` (declared,
    assumed, nonexistent, ambiguous, unreadable; empty for an empty cell), ``precision``
    (second, minute, day) and ``problem`` (why, in words; empty when fine).

    ``declared`` is a zone the column's header names (a ``timedelta`` offset, or text such as
    ``"UTC"``): values without their own zone are then exact in it. ``dayfirst=None`` decides
    the numeric date order from the column (:func:`date_order`).
    """
    import pandas as pd

    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype="object")
    index = series.index
    if isinstance(declared, str):
        declared = zone_offset(declared)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _from_datetimes(series, tz, declared)
    text = series.astype("str").fillna("").str.strip()
    walls = _read_walls(text, dayfirst)
    return _resolve(index, *walls, tz, declared, text)


class ArrowTimes(NamedTuple):
    """:func:`parse_arrow`'s answer: ``ns`` (int64 numpy, UTC nanoseconds, ``-2**63`` for NaT)
    and ``tz_status``/``precision``/``problem`` as Arrow large_string arrays."""

    ns: object
    tz_status: object
    precision: object
    problem: object


_ZULU_SHAPE = "Z"  # what a value must end with to be tried as Zulu (parse's own first step)
# what parse says of every value its Zulu step reads: exact, to the second, nothing wrong
_ZULU_ANSWER = (DECLARED, "second", "")


def parse_arrow(values, *, tz: str = DEFAULT_TZ, dayfirst: bool | None = True,
                declared=None) -> ArrowTimes:
    """:func:`parse` of an Arrow text column (null as empty), answered in Arrow for commands
    that build their output in Arrow: the same values, found faster.

    - ``2024-01-08T10:00:00Z`` (what every toex table writes in ``*_utc``) is read by Arrow over
      the whole column with parse's own Zulu step, and needs no per-row status or problem: it
      is ``declared``, ``second``, no problem, exactly as parse says;
    - every other value goes through :func:`parse` once per *distinct* value (a statement's
      dates, a camera's minutes repeat) and the answers are spread back to the rows.

    tests/test_timemodel.py compares it with :func:`parse` on varied columns.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    arr = values.cast(pa.large_string()).fill_null("")
    n = len(arr)
    if isinstance(declared, str):
        declared = zone_offset(declared)
    if dayfirst is None:  # decided from the whole column, as parse decides it
        dayfirst = date_order(pa.array(pd.Series(arr.to_pandas(), dtype="str").fillna("")
                                       .str.strip(), pa.string())) != "monthfirst"
    ns = np.full(n, _NAT, dtype=np.int64)
    zulu = np.zeros(n, dtype=bool)
    if n:
        shaped = pc.ends_with(arr, _ZULU_SHAPE).to_numpy(zero_copy_only=False)
        if shaped.any():
            zulu = _strptime_into(arr, _FAST_ZULU[0], shaped, ns)
    rest = np.flatnonzero(~zulu)
    # the answers of the distinct values, then one more slot: what parse says of a Zulu value
    codes = np.full(n, 0, dtype=np.int32)
    answers = {k: [pa.array([v], pa.large_string())]
               for k, v in zip(("tz_status", "precision", "problem"), _ZULU_ANSWER)}
    if len(rest):
        sub = arr if len(rest) == n else arr.take(pa.array(rest))
        enc = pc.dictionary_encode(sub)
        distinct = parse(pd.Series(enc.dictionary.to_pandas(), dtype="str"), tz=tz,
                         dayfirst=dayfirst, declared=declared)
        idx = enc.indices.to_numpy(zero_copy_only=False)
        ns[rest] = distinct["utc"].to_numpy(dtype="datetime64[ns]").view(np.int64)[idx]
        codes[rest] = idx.astype(np.int32) + 1
        for k, v in answers.items():
            v.append(pa.array(distinct[k], pa.string()).cast(pa.large_string()))
    take = pa.array(codes)
    out = {k: pa.concat_arrays(v).take(take) for k, v in answers.items()}
    return ArrowTimes(ns, out["tz_status"], out["precision"], out["problem"])


def _read_walls(text, dayfirst):
    """The wall clocks written in a stripped text Series: (wall_ns, offset_s, has_offset,
    precision, unreadable), by the fast Arrow paths first and per distinct value after."""
    import numpy as np

    if dayfirst is None:
        import pyarrow as pa

        dayfirst = date_order(pa.array(text, pa.string())) != "monthfirst"

    n = len(text)
    wall_ns = np.full(n, _NAT, dtype=np.int64)
    offset_s = np.zeros(n, dtype=np.int64)
    has_offset = np.zeros(n, dtype=bool)
    precision = np.zeros(n, dtype=np.int8)  # codes of _PRECISIONS
    unreadable = np.zeros(n, dtype=bool)
    empty = (text == "").to_numpy()

    todo = ~empty
    if todo.any():
        _fast_zulu(text, todo, wall_ns, precision, has_offset)
        todo &= wall_ns == _NAT
    if todo.any():
        _fast_path(text, todo, dayfirst, wall_ns, precision)
        todo &= wall_ns == _NAT
    if todo.any():
        sub = text[todo]
        cache: dict[str, Wall | None] = {}
        for v in sub.unique():
            cache[v] = read_wall(v, dayfirst=dayfirst)
        idx = np.flatnonzero(todo)
        for i, v in zip(idx, sub.to_numpy()):
            w = cache[v]
            if w is not None and not _MIN_WALL <= w.when <= _MAX_WALL:
                w = None  # outside what a nanosecond timestamp holds (year 0024, 9999): unreadable
            if w is None:
                unreadable[i] = True
                continue
            wall_ns[i] = _ns(w.when)
            precision[i] = _PRECISIONS.index(w.precision)
            if w.offset is not None:
                has_offset[i] = True
                offset_s[i] = int(w.offset.total_seconds())
    return wall_ns, offset_s, has_offset, precision, unreadable


def wall_clock(values, *, tz: str = DEFAULT_TZ, dayfirst: bool | None = True):
    """Each value's wall-clock time in ``tz`` as int64 nanoseconds (``-2**63`` when empty or
    unreadable): exactly ``parse(values, tz=tz, dayfirst=dayfirst)["utc"]`` shown in ``tz`` with
    the zone dropped, for callers that bucket by local day and hour (``toex summarise``).

    It skips the per-row status and problem columns and the round trip through UTC: a zone-less
    value on a day with no clock change in ``tz`` is its own wall clock. Values with an offset
    and values on clock-change days (the spring gap moves forward) go through ``parse``'s rules.
    """
    import numpy as np
    import pandas as pd

    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype="object")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _utc_to_wall(parse(series, tz=tz, dayfirst=dayfirst)["utc"], tz)
    text = series.astype("str").fillna("").str.strip()
    wall_ns, offset_s, has_offset, precision, unreadable = _read_walls(text, dayfirst)
    out = np.full(len(text), _NAT, dtype=np.int64)
    valid = wall_ns != _NAT
    plain = np.flatnonzero(valid & ~has_offset)
    quiet = np.zeros(len(text), dtype=bool)
    if len(plain):
        day = np.floor_divide(wall_ns[plain], 86_400 * 10**9)
        lo, hi = int(day.min()), int(day.max())
        if hi - lo < 1_000_000:  # a table over the days spanned, not a sort of every row
            seen = np.flatnonzero(np.bincount(day - lo, minlength=hi - lo + 1))
            table = np.zeros(hi - lo + 1, dtype=bool)
            table[seen] = [_quiet_day(int(d) + lo, tz) for d in seen]
            quiet[plain] = table[day - lo]
        else:
            days, inverse = np.unique(day, return_inverse=True)
            quiet[plain] = np.array([_quiet_day(int(d), tz) for d in days], dtype=bool)[inverse]
    out[quiet] = wall_ns[quiet]
    rest = np.flatnonzero(valid & ~quiet)
    if len(rest):
        res = _resolve(text.index[rest], wall_ns[rest], offset_s[rest], has_offset[rest],
                       precision[rest], unreadable[rest], tz, None, text.iloc[rest])
        out[rest] = _utc_to_wall(res["utc"], tz)
    return out


def _utc_to_wall(utc, tz):
    import numpy as np

    local = utc.dt.tz_convert(tz).dt.tz_localize(None)
    return local.to_numpy(dtype="datetime64[ns]").view(np.int64).copy()


def _quiet_day(day: int, tz: str) -> bool:
    """No change of UTC offset in ``tz`` from the day before ``day`` (days since 1970-01-01) to
    the day after it: every wall time that day exists once."""
    from zoneinfo import ZoneInfo

    try:
        zone = ZoneInfo(tz)
        base = datetime(1970, 1, 1)
        before = (base + timedelta(days=day - 1)).replace(tzinfo=zone).utcoffset()
        after = (base + timedelta(days=day + 2)).replace(tzinfo=zone).utcoffset()
    except (OverflowError, ValueError, KeyError, OSError):
        return False
    return before == after


def _ns(when: datetime) -> int:
    delta = when - datetime(1970, 1, 1)
    return (delta.days * 86400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000


def _fast_path(text, todo, dayfirst, wall_ns, precision):
    """Arrow strptime over the whole column for the common zone-less shapes. Formats are chosen
    on a sample of what is left, so a column costs one or two full passes, not one per format.
    A trailing ``Z`` is left to the careful path so that it is recorded as declared."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text, type=pa.large_string()) if len(text) else pa.array([], pa.large_string())
    left = todo.copy()
    formats = list(_FAST_DAYFIRST if dayfirst else _FAST_MONTHFIRST)
    while formats and left.any():
        sample_idx = np.flatnonzero(left)[:512]
        sample = arr.take(pa.array(sample_idx))
        best, best_hits = None, 0
        for fmt in formats:
            hits = pc.sum(pc.is_valid(pc.strptime(sample, format=fmt, unit="s",
                                                  error_is_null=True))).as_py() or 0
            if hits > best_hits:
                best, best_hits = fmt, hits
        if best is None:
            return
        formats.remove(best)
        mask = _strptime_into(arr, best, left, wall_ns)
        precision[mask] = (_P_DAY if best in _DATE_ONLY_FORMATS
                           else _P_MINUTE if best in _MINUTE_FORMATS else _P_SECOND)
        left &= ~mask


_FAST_ZULU = ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%SZ")


def _fast_zulu(text, todo, wall_ns, precision, has_offset):
    """ISO 8601 UTC with a trailing ``Z`` (what every toex table writes in ``*_utc``) by Arrow
    over the whole column: ``declared`` at offset 0, as the careful path would say, but without
    a Python call per distinct value (a 5,000,000-row call table has millions of them)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text, type=pa.large_string())
    zulu = pc.ends_with(arr, "Z").to_numpy(zero_copy_only=False)
    left = todo & zulu
    for fmt in _FAST_ZULU:
        if not left.any():
            return
        mask = _strptime_into(arr, fmt, left, wall_ns)
        precision[mask] = _P_SECOND
        has_offset[mask] = True
        left &= ~mask


_FIXED_FIELDS = {"%Y": 4, "%y": 2, "%m": 2, "%d": 2, "%H": 2, "%M": 2, "%S": 2}


def _format_fixed(ts, fmt):
    """``pc.strftime(ts, fmt)`` for second-unit timestamps of years 1000-9999 and formats of
    numeric fields only (``%Y %y %m %d %H %M %S`` and literals): the same text from each field
    zero-padded and joined, several times faster than Arrow's strftime. Other formats go to
    strftime itself."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [p for p in re.split(r"(%.)", fmt) if p]
    if any(p.startswith("%") and p not in _FIXED_FIELDS for p in parts) or "%" in "".join(
            p for p in parts if not p.startswith("%")):
        return pc.strftime(ts, format=fmt)
    fields = {"%Y": pc.year, "%y": pc.year, "%m": pc.month, "%d": pc.day, "%H": pc.hour,
              "%M": pc.minute, "%S": pc.second}
    pieces = []
    for p in parts:
        if p in _FIXED_FIELDS:
            value = fields[p](ts)
            if p == "%y":
                value = pc.remainder(value, 100)
            pieces.append(pc.utf8_lpad(value.cast(pa.string()), _FIXED_FIELDS[p], "0"))
        else:
            pieces.append(pa.scalar(p, pa.string()))
    return pc.binary_join_element_wise(*pieces, pa.scalar("", pa.string()))


def _strptime_into(arr, fmt, left, wall_ns):
    """Parse ``arr`` with one format where ``left``; write nanoseconds; return the rows read."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    parsed = pc.strptime(arr, format=fmt, unit="s", error_is_null=True)
    secs = parsed.cast(pa.int64())
    # %Y happily reads '24' as year 24: leave such values for the careful path
    sane = pc.and_kleene(pc.greater_equal(secs, -2_208_988_800), pc.less(secs, 7_258_118_400))
    got = pc.and_kleene(pc.and_kleene(pa.array(left), pc.is_valid(secs)), sane).fill_null(False)
    # Arrow rolls impossible dates over (31/02 -> 02/03, 29/02/2023 -> 01/03), which always
    # lands on day 1-3: those rows must survive a round trip or go to the careful path
    low = pc.and_(got, pc.less_equal(pc.day(parsed.fill_null(0)), 3).fill_null(False))
    mask = got.to_numpy(zero_copy_only=False).copy()
    low_idx = np.flatnonzero(low.to_numpy(zero_copy_only=False))
    if len(low_idx):
        take = pa.array(low_idx)
        same = pc.equal(_format_fixed(parsed.take(take), fmt), arr.take(take))
        mask[low_idx[~same.fill_null(False).to_numpy(zero_copy_only=False)]] = False
    if mask.any():
        wall_ns[mask] = secs.fill_null(0).to_numpy(zero_copy_only=False)[mask].astype(
            np.int64) * 1_000_000_000
    return mask


def _resolve(index, wall_ns, offset_s, has_offset, precision, unreadable, tz, declared, text):
    """Turn wall clocks into UTC instants by the rules in the module docstring."""
    import numpy as np
    import pandas as pd

    n = len(wall_ns)
    status = np.zeros(n, dtype=np.int8)  # codes of _STATUS_TEXT
    problem: dict[int, str] = {}          # row -> note (few rows have one)
    utc_ns = np.full(n, _NAT, dtype=np.int64)
    valid = wall_ns != _NAT

    exact = valid & has_offset
    utc_ns[exact] = wall_ns[exact] - offset_s[exact] * 1_000_000_000
    status[exact] = _S_DECLARED
    if declared is not None:
        dec = valid & ~has_offset
        utc_ns[dec] = wall_ns[dec] - int(declared.total_seconds()) * 1_000_000_000
        status[dec] = _S_DECLARED
    else:
        local = valid & ~has_offset
        if local.any():
            idx = np.flatnonzero(local)
            walls = pd.DatetimeIndex(wall_ns[idx].view("datetime64[ns]"))
            loc = walls.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
            got = loc.asi8  # an aware nanosecond index holds the UTC instants (NaT: the minimum)
            ok = got != _NAT
            utc_ns[idx[ok]] = got[ok]
            status[idx[ok]] = _S_ASSUMED
            for i in idx[~ok]:
                _one_local(i, wall_ns, utc_ns, status, problem, tz)
    unread = unreadable | (~valid & (text != "").to_numpy())
    status[unread] = _S_UNREADABLE
    for i in np.flatnonzero(unread):
        problem[int(i)] = f"time not understood: {text.iloc[i]!r}"
    utc = pd.Series(pd.DatetimeIndex(utc_ns.view("datetime64[ns]")).tz_localize("UTC"),
                    index=index)
    if precision.dtype == object:
        precision = pd.Series(precision, index=index, dtype="str")
    else:
        precision = _coded_text(_PRECISIONS, precision, index)
    p_codes = np.zeros(n, dtype=np.int32)
    rows = np.fromiter(problem.keys(), dtype=np.int64, count=len(problem))
    p_codes[rows] = np.arange(1, len(rows) + 1, dtype=np.int32)
    return pd.DataFrame({"utc": utc, "tz_status": _coded_text(_STATUS_TEXT, status, index),
                         "precision": precision,
                         "problem": _coded_text(["", *problem.values()], p_codes, index)},
                        index=index)


_STATUS_TEXT = ("", DECLARED, ASSUMED, NONEXISTENT, AMBIGUOUS, UNREADABLE)
_S_DECLARED, _S_ASSUMED, _S_NONEXISTENT, _S_AMBIGUOUS, _S_UNREADABLE = 1, 2, 3, 4, 5


def _coded_text(words, codes, index):
    """A pandas text Series (dtype ``str``) of ``words[code]`` per row, built by one Arrow take
    (no Python string object per row; a million-row column costs milliseconds)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    arr = pa.array(list(words), pa.string()).take(pa.array(np.asarray(codes, dtype=np.int32)))
    return pd.Series(arr.to_pandas().array, index=index, dtype="str")


def _one_local(i, wall_ns, utc_ns, status, problem, tz):
    """A wall time that tz_localize refused: the spring gap or the autumn repeat."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    wall = datetime(1970, 1, 1) + timedelta(microseconds=int(wall_ns[i]) // 1000)
    early = wall.replace(tzinfo=zone, fold=0)
    late = wall.replace(tzinfo=zone, fold=1)
    back = early.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    stamp = wall.isoformat(sep=" ")
    if back != wall:  # the gap: fold=0 takes the offset before the change = shifted forward
        status[i] = _S_NONEXISTENT
        problem[int(i)] = NONEXISTENT_NOTE.format(wall=stamp)
        chosen = early
    else:
        status[i] = _S_AMBIGUOUS
        problem[int(i)] = AMBIGUOUS_NOTE.format(wall=stamp)
        chosen = early if early.utcoffset() >= late.utcoffset() else late
    utc_ns[i] = _ns(chosen.astimezone(timezone.utc).replace(tzinfo=None))


def _from_datetimes(series, tz, declared):
    """A column already typed as date-times (Parquet, Arrow): aware ones are exact; naive ones
    are wall clocks like text."""
    import numpy as np
    import pandas as pd

    n = len(series)
    if getattr(series.dt, "tz", None) is not None:
        utc = series.dt.tz_convert("UTC")
        ok = utc.notna().to_numpy()
        return pd.DataFrame({
            "utc": utc.astype("datetime64[ns, UTC]"),
            "tz_status": pd.Series(np.where(ok, DECLARED, ""), index=series.index, dtype="str"),
            "precision": pd.Series(np.where(ok, "second", ""), index=series.index, dtype="str"),
            "problem": pd.Series([""] * n, index=series.index, dtype="str")}, index=series.index)
    wall = series.astype("datetime64[ns]").to_numpy().view(np.int64).copy()
    prec = np.where(wall != _NAT, "second", "").astype(object)
    text = pd.Series([""] * n, index=series.index, dtype="object")
    return _resolve(series.index, wall, np.zeros(n, np.int64), np.zeros(n, bool), prec,
                    np.zeros(n, bool), tz, declared, text)


def combine(dates, times):
    """One ``date time`` text column from separate date and time-of-day columns (a time read
    from Excel as ``1899-12-30 18:57:00`` or ``18:57:00`` keeps only its clock part)."""
    import pandas as pd

    d = pd.Series(dates, dtype="str").fillna("").str.strip()
    t = pd.Series(times, dtype="str").fillna("").str.strip()
    t = t.str.replace(r"^1899-12-3[01][T ]", "", regex=True)
    d = d.str.replace(r"[T ]00:00(:00)?$", "", regex=True)
    out = (d + " " + t).str.strip()
    return out.where(d != "", "")


def excel_serial_text(values):
    """Excel date-time serial numbers written out as numbers (``45299.4166666667`` in a CSV
    saved from Excel) -> ``2024-01-08 10:00:00`` wall-clock text (days since 1899-12-30, the
    1900 leap-year bug included); other values are returned unchanged. Only call this on a
    column known to hold date-times: a bare number is not a date anywhere else."""
    import numpy as np
    import pandas as pd

    s = pd.Series(values, dtype="object").astype("str").fillna("").str.strip()
    num = pd.to_numeric(s.where(s.str.fullmatch(r"\d{5}(?:\.\d+)?").fillna(False), None),
                        errors="coerce")
    ok = num.notna() & (num >= 20000) & (num < 80000)
    if not ok.any():
        return s
    secs = (num[ok].to_numpy(dtype="float64") * 86400).round().astype(np.int64)
    wall = pd.to_datetime("1899-12-30") + pd.to_timedelta(secs, unit="s")
    out = s.copy()
    out[ok] = pd.Series(wall, index=s.index[ok.to_numpy()]).dt.strftime("%Y-%m-%d %H:%M:%S")
    return out


def from_epoch(values, *, unit: str = "s", epoch: str = "unix"):
    """Epoch numbers (Telegram ``date_unixtime``: s; Messenger ``timestamp_ms``: ms; Apple
    ``chat.db``: seconds or nanoseconds since 2001-01-01, ``epoch="cocoa"``) to the same frame
    as :func:`parse`, all ``declared`` (an epoch is UTC by definition)."""
    import numpy as np
    import pandas as pd

    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype="object")
    nums = pd.to_numeric(series.astype("str").str.strip().replace("", None), errors="coerce")
    scale = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}[unit]
    base = 978_307_200 * 1_000_000_000 if epoch == "cocoa" else 0
    ok = nums.notna().to_numpy()
    ns = np.full(len(series), _NAT, dtype=np.int64)
    # whole numbers in integer arithmetic, read from their text: a float64 cannot hold
    # ms * 10**6 exactly (1743621647090 ms would come out as ...47.089999), nor 2001-epoch ns
    import pyarrow as pa

    raw_text = series.astype("str").fillna("").str.strip()
    whole = ok & raw_text.str.fullmatch(r"-?\d{1,18}").fillna(False).to_numpy(dtype=bool)
    whole &= (nums.abs() < 2**62 / scale).to_numpy()
    if whole.any():
        ints = pa.array(raw_text[whole].tolist(), pa.string()).cast(pa.int64()).to_numpy()
        ns[whole] = ints * scale + base
    frac = ok & ~whole
    ns[frac] = (nums[frac].to_numpy(dtype="float64") * scale).round().astype(np.int64) + base
    raw = series.astype("str").fillna("").str.strip().to_numpy()
    status = np.where(ok, DECLARED, np.where(raw != "", UNREADABLE, ""))
    problem = np.where(~ok & (raw != ""), "epoch time not a number", "")
    return pd.DataFrame({
        "utc": pd.Series(pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC"),
                         index=series.index),
        "tz_status": pd.Series(status, index=series.index, dtype="str"),
        "precision": pd.Series(np.where(ok, "second", ""), index=series.index, dtype="str"),
        "problem": pd.Series(problem, index=series.index, dtype="str")}, index=series.index)


# ---------------------------------------------------------------------------------- rendering
def iso_utc(utc):
    """``2024-04-02T17:57:00Z`` text for a UTC datetime column (empty for NaT); a fraction of a
    second is written only on the values that have one (``.25``)."""
    import pandas as pd

    s = pd.Series(utc)
    if s.dt.tz is None:
        s = s.dt.tz_localize("UTC")
    return _render(s.dt.tz_convert("UTC"), None)


def iso_local(utc, tz: str = DEFAULT_TZ):
    """``2024-04-02T18:57:00+01:00``: the wall clock in ``tz`` with its offset (empty for NaT)."""
    import pandas as pd

    s = pd.Series(utc)
    if s.dt.tz is None:
        s = s.dt.tz_localize("UTC")
    return _render(s.dt.tz_convert("UTC"), tz)


def iso_arrow(ns, tz: str | None = None):
    """:func:`iso_utc` (``tz=None``) or :func:`iso_local` (``tz``) of UTC instants given as int64
    nanoseconds (``-2**63`` for NaT), as an Arrow large_string array: the same text, for
    commands that build their output in Arrow (no pandas Series of a million strings made and
    read back)."""
    import numpy as np
    import pyarrow as pa

    return _render_ns(np.asarray(ns, dtype=np.int64), tz).cast(pa.large_string())


def _render(s, tz, *, fast: bool = True):
    """:func:`_render_ns` of a datetime Series, as a str Series on its index."""
    import numpy as np

    ns = s.to_numpy(dtype="datetime64[ns]").view(np.int64)
    result = _render_ns(ns, tz, fast=fast).to_pandas().astype("str")
    result.index = s.index
    return result


def _render_ns(ns, tz, *, fast: bool = True):
    """Text from whole seconds: for years 1000-9999 Arrow's cast text with the ``T`` and the
    zone suffix set in a fixed-width byte buffer (:func:`_render_fixed`), else by Arrow's naive
    timestamp cast, replace and join (:func:`_render_cast`; Arrow's strftime and NumPy's
    datetime_as_string are 20x slower); fractions added only where present. ``fast=False`` is
    the general (cast) path: a test holds the two equal."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    ok = ns != _NAT
    secs = np.where(ok, np.floor_divide(ns, 1_000_000_000), 0)
    micro = np.where(ok, np.mod(ns, 1_000_000_000) // 1000, 0)
    if tz is None:
        off = None
        wall = secs
    else:
        idx = pd.DatetimeIndex(np.where(ok, secs, 0).astype("datetime64[s]")).tz_localize("UTC")
        local = idx.tz_convert(tz)
        off = (local.tz_localize(None) - idx.tz_localize(None)).total_seconds()
        off = np.asarray(off, dtype=np.int64)
        wall = secs + off
    out = _render_fixed(wall, off, ok) if fast else None
    if out is None:
        out = _render_cast(wall, off, ok)
    frac = np.flatnonzero(micro != 0)
    if len(frac):  # rare: only values with a fraction of a second
        cut = 1 if tz is None else 6
        patched = []
        for i, base in zip(frac, out.take(pa.array(frac)).to_pylist()):
            patched.append(base[:len(base) - cut] + "." + f"{int(micro[i]):06d}".rstrip("0")
                           + base[len(base) - cut:])
        mask = np.zeros(len(ns), dtype=bool)
        mask[frac] = True
        out = pc.replace_with_mask(out, pa.array(mask), pa.array(patched, pa.string()))
    return out


_WALL_MIN, _WALL_MAX = -30_610_224_000, 253_402_300_799  # 1000-01-01 .. 9999-12-31T23:59:59


def _render_fixed(wall, off, ok):
    """``YYYY-MM-DDTHH:MM:SS`` + ``Z`` (``off`` None) or ``+HH:MM`` per row as an Arrow string
    array ('' where not ``ok``): Arrow's cast writes the fixed-width ``YYYY-MM-DD HH:MM:SS``,
    and the ``T`` and the suffix are set in a byte matrix (no string kernel per row). None when
    a value is outside years 1000-9999 or an offset is not whole minutes (the cast path then)."""
    import numpy as np
    import pyarrow as pa

    n = len(wall)
    w = wall[ok]
    if len(w) and (w.min() < _WALL_MIN or w.max() > _WALL_MAX):
        return None
    if off is not None and len(off) and bool(np.any(off % 60)):
        return None
    text = pa.array(np.where(ok, wall, 0).astype("datetime64[s]")).cast(pa.string())
    bufs = text.buffers()
    offs = np.frombuffer(bufs[1], np.int32, n + 1)
    if offs[0] != 0 or offs[-1] != 19 * n:
        return None
    body = np.frombuffer(bufs[2], np.uint8, 19 * n).reshape(n, 19)
    width = 20 if off is None else 25
    buf = np.empty((n, width), dtype=np.uint8)
    buf[:, :19] = body
    buf[:, 10] = ord("T")
    if off is None:
        buf[:, 19] = ord("Z")
    else:
        key = off // 60 + 1600
        if len(key) and (key.min() < 0 or key.max() > 3200):
            return None
        buf[:, 19:] = _offset_suffixes()[key]
    if not ok.all():
        buf = buf[ok]
    lengths = np.where(ok, width, 0).astype(np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if offsets[-1] >= 2**31:
        return None
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets.astype(np.int32)),
                                       pa.py_buffer(buf.reshape(-1)))


def _offset_suffixes():
    """``+HH:MM`` bytes for offsets of -1600..1600 minutes (row = minutes + 1600), written as the
    cast path writes them."""
    import numpy as np

    global _SUFFIXES
    if _SUFFIXES is None:
        _SUFFIXES = np.array([list(f"{'-' if k < 0 else '+'}{abs(k) // 3600:02d}:{abs(k) % 3600 // 60:02d}"
                                   .encode()) for k in range(-1600 * 60, 1601 * 60, 60)], dtype=np.uint8)
    return _SUFFIXES


_SUFFIXES = None


def _render_cast(wall, off, ok):
    """The general rendering: Arrow's naive timestamp cast, ``T``, and the zone suffix."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if off is None:
        suffix = pa.scalar("Z")
    else:
        kinds, inverse = np.unique(off, return_inverse=True)
        names = pa.array([f"{'-' if k < 0 else '+'}{abs(k) // 3600:02d}:{abs(k) % 3600 // 60:02d}"
                          for k in kinds], type=pa.string())
        suffix = names.take(pa.array(inverse.astype(np.int32)))
    text = pa.array(wall.astype("datetime64[s]")).cast(pa.string())
    text = pc.replace_substring(text, " ", "T", max_replacements=1)
    out = pc.binary_join_element_wise(text, suffix, "")
    return pc.if_else(pa.array(ok), out, pa.scalar("", pa.string()))


def bound(text: str, *, tz: str = DEFAULT_TZ, end: bool = False):
    """A ``--from``/``--to`` value (a date or date-time, local in ``tz`` unless it states a zone)
    as a UTC Timestamp. Inclusive: a date-only ``--to`` is the end of that day.

    Raises ValueError with a readable message when the text is not a date.
    """
    import pandas as pd

    frame = parse(pd.Series([text]), tz=tz, dayfirst=True)
    row = frame.iloc[0]
    if row["tz_status"] in ("", UNREADABLE):
        raise ValueError(f"{text!r} is not a date or date-time (try 2024-03-31 or "
                         f"'31/03/2024 18:00')")
    stamp = row["utc"]
    if end:
        if row["precision"] == "day":
            stamp = parse(pd.Series([text]), tz=tz).iloc[0]["utc"]
            nxt = (pd.Timestamp(stamp).tz_convert(tz) + pd.Timedelta(days=1)).normalize()
            return nxt.tz_convert("UTC") - pd.Timedelta(microseconds=1)
        if row["precision"] == "minute":
            return stamp + pd.Timedelta(seconds=59, microseconds=999999)
    return stamp


# ------------------------------------------------------------------------------------ durations
def durations(values):
    """Durations to whole seconds (nullable Int64), each distinct value read once: ``124``,
    ``124.0``, ``00:02:04`` (h:mm:ss), ``2:04`` (mm:ss), ``1h 2m 4s``, an Excel time read as
    text (``1899-12-30 00:02:04``) and an Excel day fraction (``0.0014351851851851852``: a
    value below 1 with more than six decimals, which only a day fraction has). Unreadable
    values are <NA>."""
    import pandas as pd

    s = pd.Series(values, dtype="str").fillna("").str.strip()
    cache: dict[str, int | None] = {}
    for v in s.unique():
        cache[v] = _duration_one(v)
    return s.map(cache).astype("Int64")


def _duration_one(v: str) -> int | None:
    if not v:
        return None
    v = re.sub(r"^1899-12-3[01][T ]", "", v)
    m = re.fullmatch(r"(?:(\d+):)?(\d{1,3}):(\d{2})(?:[.,]\d+)?", v)
    if m:
        h, mi, s = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        if s > 59 or (m.group(1) is not None and mi > 59):
            return None
        return h * 3600 + mi * 60 + s
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?", v)
    if m:
        if m.group(2) and len(m.group(2)) > 6 and int(m.group(1)) == 0:
            return round(float(v) * 86400)  # an Excel day fraction
        return round(float(v))
    m = re.fullmatch(r"(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?\s*"
                     r"(?:(\d+)\s*s(?:ec(?:ond)?s?)?)?", v, re.IGNORECASE)
    if m and any(m.groups()):
        return int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + int(m.group(3) or 0)
    return None


# ------------------------------------------------------------- split date + clock (chat exports)
# Morning/afternoon words as chat exports write them (WhatsApp follows the phone's locale).
_AM_WORDS = ("am", "a.m.", "a. m.", "a m", "a", "vorm.", "上午", "午前", "오전", "ص", "πμ", "π.μ.")
_PM_WORDS = ("pm", "p.m.", "p. m.", "p m", "p", "nachm.", "下午", "午後", "오후", "م", "μμ", "μ.μ.")
_CLOCK_RE = re.compile(r"^(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?$")


def read_clock(text: str) -> tuple[int, str] | None:
    """A time of day as chat exports write it -> (seconds after midnight, precision), or None.

    ``20:51``, ``8:14:02 pm`` (any space, U+202F or U+00A0 before the marker), ``21.25.15``,
    ``12:03 a. m.``, ``上午 8:14``, ``오후 3:05``. ``12 am`` is midnight, ``12 pm`` noon; a 12 h
    file that shows hour ``00`` (``00:08 a. m.``) means 00:08.
    """
    t = " ".join(str(text).replace("\u202f", " ").replace("\u00a0", " ").split()).lower()
    marker = None
    for words, pm in ((_PM_WORDS, True), (_AM_WORDS, False)):
        for w in sorted(words, key=len, reverse=True):
            if t.endswith(w) and t[: len(t) - len(w)].rstrip()[-1:].isdigit():
                marker, t = pm, t[: len(t) - len(w)].strip()
                break
            if t.startswith(w) and t[len(w):].lstrip()[:1].isdigit():
                marker, t = pm, t[len(w):].strip()
                break
        if marker is not None:
            break
    m = _CLOCK_RE.match(t)
    if not m:
        return None
    h, mi, s = int(m.group("h")), int(m.group("m")), int(m.group("s") or 0)
    if marker is not None:
        if h > 12 and not marker:
            return None  # "13:05 am" contradicts itself
        if h <= 12:  # "23:59 PM" (seen in exports) says the same thing twice: kept as 23:59
            h = (h % 12) + (12 if marker else 0)
    if h > 23 or mi > 59 or s > 59:
        return None
    return h * 3600 + mi * 60 + s, ("second" if m.group("s") is not None else "minute")


def _date_token(text: str) -> str:
    """``13. 6. 2018.`` -> ``13.6.2018``: spaces after the separators and a closing dot go."""
    return re.sub(r"([/.\-])\s+", r"\1", str(text).strip()).rstrip(".")


def split_walls(dates, times, *, dayfirst: bool | None = None):
    """Wall clocks from separate date and time-of-day texts (a WhatsApp export writes
    ``14/03/2025, 20:51``): each *distinct* date and each distinct clock is read once, so a
    million-line chat costs a few thousand reads. ``dayfirst=None`` decides the order from all
    the dates (:func:`date_order`; all-ambiguous stays day first).

    Returns a DataFrame: ``wall`` (naive datetime64[ns], NaT when unreadable), ``precision``
    (second/minute) and ``problem`` (empty when fine). Zones are applied by :func:`localise`.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    d_arr = pa.array(dates, type=pa.string()) if not isinstance(dates, (pa.Array, pa.ChunkedArray)) else dates
    t_arr = pa.array(times, type=pa.string()) if not isinstance(times, (pa.Array, pa.ChunkedArray)) else times
    d_enc = pc.dictionary_encode(d_arr)
    t_enc = pc.dictionary_encode(t_arr)
    if isinstance(d_enc, pa.ChunkedArray):
        d_enc = d_enc.combine_chunks() if d_enc.num_chunks else pa.array([], pa.dictionary(pa.int32(), pa.string()))
    if isinstance(t_enc, pa.ChunkedArray):
        t_enc = t_enc.combine_chunks() if t_enc.num_chunks else pa.array([], pa.dictionary(pa.int32(), pa.string()))
    d_vals = [_date_token(v) if v is not None else "" for v in d_enc.dictionary.to_pylist()]
    t_vals = [v or "" for v in t_enc.dictionary.to_pylist()]
    if dayfirst is None:
        dayfirst = date_order(d_vals) != "monthfirst"
    d_ns = np.full(len(d_vals) + 1, _NAT, dtype=np.int64)
    for i, v in enumerate(d_vals):
        try:
            day = _read_date(v, dayfirst) if v else None
        except ValueError:
            day = None
        if day is not None:
            d_ns[i] = _ns(day)
    t_ns = np.full(len(t_vals) + 1, _NAT, dtype=np.int64)
    t_sec_prec = np.zeros(len(t_vals) + 1, dtype=bool)
    for i, v in enumerate(t_vals):
        got = read_clock(v) if v else None
        if got is not None:
            t_ns[i] = got[0] * 1_000_000_000
            t_sec_prec[i] = got[1] == "second"
    di = d_enc.indices.fill_null(len(d_vals)).to_numpy(zero_copy_only=False)
    ti = t_enc.indices.fill_null(len(t_vals)).to_numpy(zero_copy_only=False)
    dn, tn = d_ns[di], t_ns[ti]
    ok = (dn != _NAT) & (tn != _NAT)
    wall = np.where(ok, dn + np.where(ok, tn, 0), _NAT)
    # text columns built by Arrow from small code arrays (a million-row chat has 3 values here)
    codes = np.where(ok, np.where(t_sec_prec[ti], 2, 1), 0).astype(np.int32)
    precision = pa.array(["", "minute", "second"]).take(pa.array(codes)).to_pandas().astype("str")
    bad = np.flatnonzero(~ok)
    texts = [""]
    pcodes = np.zeros(len(wall), dtype=np.int32)
    for k, i in enumerate(bad, 1):
        dv = d_vals[di[i]] if di[i] < len(d_vals) else ""
        tv = t_vals[ti[i]] if ti[i] < len(t_vals) else ""
        texts.append(f"time not understood: {(dv + ' ' + tv).strip()!r}")
        pcodes[i] = k
    problem = pa.array(texts).take(pa.array(pcodes)).to_pandas().astype("str")
    return pd.DataFrame({"wall": pd.Series(wall.view("datetime64[ns]")),
                         "precision": precision, "problem": problem})


def walls(values, *, dayfirst: bool | None = True):
    """Wall clocks of a text column without applying any zone (a zone written in a value is
    ignored here; use :func:`parse` for instants). Same columns as :func:`split_walls`."""
    import numpy as np
    import pandas as pd

    text = pd.Series(values, dtype="str").fillna("").str.strip()
    if dayfirst is None:
        dayfirst = date_order(text.unique()) != "monthfirst"
    n = len(text)
    wall_ns = np.full(n, _NAT, dtype=np.int64)
    precision = np.zeros(n, dtype=np.int8)  # codes of _PRECISIONS
    todo = (text != "").to_numpy().copy()
    if todo.any():
        _fast_path(text, todo, dayfirst, wall_ns, precision)
        todo &= wall_ns == _NAT
    problem = np.full(n, "", dtype=object)
    if todo.any():
        cache: dict[str, Wall | None] = {}
        for i in np.flatnonzero(todo):
            v = text.iat[i]
            if v not in cache:
                cache[v] = read_wall(v, dayfirst=dayfirst)
            w = cache[v]
            if w is None:
                problem[i] = f"time not understood: {v!r}"
                continue
            wall_ns[i] = _ns(w.when)
            precision[i] = _PRECISIONS.index(w.precision)
    return pd.DataFrame({"wall": pd.Series(wall_ns.view("datetime64[ns]")),
                         "precision": _coded_text(_PRECISIONS, precision, pd.RangeIndex(n)),
                         "problem": pd.Series(problem, dtype="str")})


def localise(wall, tz: str = DEFAULT_TZ):
    """Naive wall clocks (datetime64) in zone ``tz`` -> the same frame as :func:`parse`
    (``assumed``; the spring gap ``nonexistent``, the autumn repeat ``ambiguous``)."""
    import numpy as np
    import pandas as pd

    s = pd.Series(wall)
    ns = s.to_numpy(dtype="datetime64[ns]").view(np.int64).copy()
    n = len(ns)
    prec = np.where(ns != _NAT, "second", "").astype(object)
    text = pd.Series([""] * n, index=s.index, dtype="object")
    return _resolve(s.index, ns, np.zeros(n, np.int64), np.zeros(n, bool), prec,
                    np.zeros(n, bool), tz, None, text)


def iso_wall(wall):
    """``2025-03-14T20:51:00``: a naive wall clock as ISO text (empty for NaT), fractions only
    where present."""
    import pandas as pd

    s = pd.Series(wall)
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    out = _render(s.dt.tz_localize("UTC"), None)
    return out.str.slice(0, -1).where(out != "", "")
