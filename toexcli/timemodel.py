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
``tz_localize``) and only gap/repeat rows are handled one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    first = second = False
    for v in set(values):
        m = _NUMERIC_DATE.match(str(v)) if v is not None else None
        if not m or len(m.group(1)) == 4:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        first |= a > 12
        second |= b > 12
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
    import numpy as np
    import pandas as pd

    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype="object")
    index = series.index
    if isinstance(declared, str):
        declared = zone_offset(declared)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _from_datetimes(series, tz, declared)
    text = series.astype("str").fillna("").str.strip()
    if dayfirst is None:
        dayfirst = date_order(text.unique()) != "monthfirst"

    n = len(text)
    wall_ns = np.full(n, _NAT, dtype=np.int64)
    offset_s = np.zeros(n, dtype=np.int64)
    has_offset = np.zeros(n, dtype=bool)
    precision = np.full(n, "", dtype=object)
    unreadable = np.zeros(n, dtype=bool)
    empty = (text == "").to_numpy()

    todo = ~empty
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
            if w is None:
                unreadable[i] = True
                continue
            wall_ns[i] = _ns(w.when)
            precision[i] = w.precision
            if w.offset is not None:
                has_offset[i] = True
                offset_s[i] = int(w.offset.total_seconds())
    return _resolve(index, wall_ns, offset_s, has_offset, precision, unreadable, tz, declared,
                    text)


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
        precision[mask] = ("day" if best in _DATE_ONLY_FORMATS
                           else "minute" if best in _MINUTE_FORMATS else "second")
        left &= ~mask


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
        same = pc.equal(pc.strftime(parsed.take(take), format=fmt), arr.take(take))
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
    status = np.full(n, "", dtype=object)
    problem = np.full(n, "", dtype=object)
    utc_ns = np.full(n, _NAT, dtype=np.int64)
    valid = wall_ns != _NAT

    exact = valid & has_offset
    utc_ns[exact] = wall_ns[exact] - offset_s[exact] * 1_000_000_000
    status[exact] = DECLARED
    if declared is not None:
        dec = valid & ~has_offset
        utc_ns[dec] = wall_ns[dec] - int(declared.total_seconds()) * 1_000_000_000
        status[dec] = DECLARED
    else:
        local = valid & ~has_offset
        if local.any():
            idx = np.flatnonzero(local)
            walls = pd.DatetimeIndex(wall_ns[idx].view("datetime64[ns]"))
            loc = walls.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
            ok = ~loc.isna()
            utc_ns[idx[ok]] = loc[ok].tz_convert("UTC").tz_localize(None).as_unit("ns").asi8
            status[idx[ok]] = ASSUMED
            for i in idx[~ok]:
                _one_local(i, wall_ns, utc_ns, status, problem, tz)
    unread = unreadable | (~valid & (text != "").to_numpy())
    status[unread] = UNREADABLE
    for i in np.flatnonzero(unread):
        problem[i] = f"time not understood: {text.iloc[i]!r}"
    utc = pd.Series(pd.DatetimeIndex(utc_ns.view("datetime64[ns]")).tz_localize("UTC"),
                    index=index)
    return pd.DataFrame({"utc": utc, "tz_status": pd.Series(status, index=index, dtype="str"),
                         "precision": pd.Series(precision, index=index, dtype="str"),
                         "problem": pd.Series(problem, index=index, dtype="str")}, index=index)


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
        status[i] = NONEXISTENT
        problem[i] = NONEXISTENT_NOTE.format(wall=stamp)
        chosen = early
    else:
        status[i] = AMBIGUOUS
        problem[i] = AMBIGUOUS_NOTE.format(wall=stamp)
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
    ns[ok] = (nums[ok].to_numpy(dtype="float64") * scale).round().astype(np.int64) + base
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


def _render(s, tz):
    """Text from whole seconds by Arrow's naive timestamp cast (fast; Arrow's strftime and
    NumPy's datetime_as_string are 20x slower); fractions added only where present."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    ns = s.to_numpy(dtype="datetime64[ns]").view(np.int64)
    ok = ns != _NAT
    secs = np.where(ok, np.floor_divide(ns, 1_000_000_000), 0)
    micro = np.where(ok, np.mod(ns, 1_000_000_000) // 1000, 0)
    if tz is None:
        wall, suffix = secs, pa.scalar("Z")
    else:
        idx = pd.DatetimeIndex(np.where(ok, secs, 0).astype("datetime64[s]")).tz_localize("UTC")
        local = idx.tz_convert(tz)
        off = (local.tz_localize(None) - idx.tz_localize(None)).total_seconds()
        off = np.asarray(off, dtype=np.int64)
        wall = secs + off
        kinds, inverse = np.unique(off, return_inverse=True)
        names = pa.array([f"{'-' if k < 0 else '+'}{abs(k) // 3600:02d}:{abs(k) % 3600 // 60:02d}"
                          for k in kinds])
        suffix = names.take(pa.array(inverse.astype(np.int32)))
    text = pa.array(wall.astype("datetime64[s]")).cast(pa.string())
    text = pc.replace_substring(text, " ", "T", max_replacements=1)
    out = pc.binary_join_element_wise(text, suffix, "")
    out = pc.if_else(pa.array(ok), out, pa.scalar("", pa.string()))
    result = out.to_pandas().astype("str")
    result.index = s.index
    for i in np.flatnonzero(micro != 0):  # rare: only values with a fraction of a second
        base = result.iat[i]
        cut = len(base) - (1 if tz is None else 6)
        result.iat[i] = base[:cut] + "." + f"{int(micro[i]):06d}".rstrip("0") + base[cut:]
    return result


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
