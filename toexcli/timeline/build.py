"""Events from the standard tables, ordered on one clock.

Each reader (``calls_events``, ``messages_events``, ``transactions_events``, ``reads_events``,
``custom_events``, ``timeline_events``) turns one input table into event rows with the columns
of :data:`toexcli.schema.EVENTS` plus ``duplicate_of``, ``_source``, ``_row`` and a private
``_ns`` (UTC nanoseconds, NaT as the smallest int64) used for ordering and filtering. Every
time goes through :mod:`toexcli.timemodel`; every row of every input becomes one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import timemodel
from ..errors import UsageError
from ..schema import EVENTS, MESSAGES, TRANSACTIONS, kind_of

NAT = -(2**63)
KINDS = ("calls", "messages", "transactions", "reads", "custom", "timeline")
EVENT_COLUMNS = EVENTS.names + ["duplicate_of"]

_EVENT_KIND = {"voice": "call", "sms": "sms", "mms": "mms", "data": "data",
               "voicemail": "voicemail", "other": "call", "": "call"}

# ANPR tables straight from a camera system: a VRM column, a time column, a camera or place
_VRM_NAMES = ("vrm", "platevrm", "plate", "vrn", "registration", "reg", "regno", "numberplate",
              "vehicleregistration", "registrationmark", "vehiclereg")
_SEEN_NAMES = ("seenutc", "seenat", "seen", "readtime", "capturetime", "timestamp", "datetime",
               "time", "readat", "capturedat", "date")
_CAMERA_NAMES = ("camera", "cameraid", "cameraname", "site", "sitename", "siteid", "reader")
_PLACE_NAMES = ("location", "place", "road", "address", "sitedescription")


def _canon(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(name).lower())


def _find(columns, names) -> str | None:
    by = {}
    for c in columns:
        by.setdefault(_canon(c), c)
    for n in names:
        if n in by:
            return by[n]
    return None


def anpr_columns(columns) -> dict | None:
    """``{vrm, time, camera, location, lat, lon}`` column names of an ANPR table, or None when
    the columns are not a VRM, a time and a camera or place."""
    cols = [c for c in columns if not str(c).startswith("_")]
    vrm = _find(cols, _VRM_NAMES)
    seen = _find(cols, _SEEN_NAMES)
    camera = _find(cols, _CAMERA_NAMES)
    place = _find(cols, _PLACE_NAMES)
    if not vrm or not seen or not (camera or place):
        return None
    return {"vrm": vrm, "time": seen, "camera": camera, "location": place,
            "lat": _find(cols, ("lat", "latitude")), "lon": _find(cols, ("lon", "lng", "longitude"))}


def detect(columns) -> str | None:
    """Which reader a table needs: ``calls``, ``messages``, ``transactions``, ``reads``,
    ``timeline`` (a timeline read back), or None."""
    kind = kind_of(columns)
    if kind is not None:
        return kind
    if anpr_columns(columns):
        return "reads"
    return None


# --------------------------------------------------------------------------------- helpers
# Events are built with Arrow compute over whole columns (a 5,000,000-event case must not make
# Python objects per row); text is large_string throughout so the kernels line up.
LS = pa.large_string()


def _table(data) -> pa.Table:
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    df = data
    fixed = {}
    for c in df.columns:
        s = df[c]
        if c == "_row":
            fixed[c] = pa.array(pd.to_numeric(s, errors="coerce").astype("Int64"), pa.int64())
        elif s.dtype == "str":
            fixed[c] = pa.array(s, LS)
        else:
            fixed[c] = pa.array(s.astype("str").where(s.notna(), ""), LS)
    return pa.table(fixed) if fixed else pa.table({"_dummy": pa.nulls(len(df))}).drop(["_dummy"])


def _col(tab: pa.Table, name: str | None) -> pa.Array:
    """A column as clean text (empty where missing or null), whitespace trimmed."""
    n = tab.num_rows
    if name is None or name not in tab.column_names:
        return full(n)
    col = tab.column(name).combine_chunks()
    if pa.types.is_timestamp(col.type):
        col = pc.strftime(col, format="%Y-%m-%dT%H:%M:%S" + ("Z" if col.type.tz else ""))
    if col.type != LS:
        col = col.cast(pa.string()).cast(LS) if not pa.types.is_string(col.type) else col.cast(LS)
    return pc.utf8_trim_whitespace(col.fill_null(""))


def _s(v):
    return pa.scalar(v, LS) if isinstance(v, str) else v


def cat(*parts):
    """Text joined element-wise (scalars broadcast)."""
    return pc.binary_join_element_wise(*[_s(p) for p in parts], _s(""))


def iff(mask, a, b):
    return pc.if_else(mask, _s(a), _s(b))


def full(n, v=""):
    return pa.nulls(n, LS).fill_null(_s(v))


def some(a):
    return pc.not_equal(a, _s(""))


def _map_unique(a: pa.Array, fn) -> pa.Array:
    """``fn`` applied once per distinct value (identifiers and durations repeat a lot)."""
    enc = pc.dictionary_encode(a)
    values = [fn(v) for v in enc.dictionary.to_pylist()]
    return pa.array(values, LS).take(enc.indices) if len(a) else pa.array([], LS)


def _series(a: pa.Array) -> pd.Series:
    return pd.Series(a.to_pandas(), dtype="str")


def _times(values: pa.Array, fallback: pa.Array | None = None, stated: pa.Array | None = None):
    """timemodel.parse of ``values`` (``fallback`` where a value is empty); a ``tz_status`` the
    table itself states (``toex calls parse`` knows when a wall time was assumed) wins.
    Returns (ns int64 numpy, tz_status, precision, problem) as Arrow text."""
    if fallback is not None:
        values = iff(some(values), values, fallback)
    ns, status, precision, problem = timemodel.parse_arrow(values)
    if stated is not None:
        keep = pc.and_(some(stated), pc.and_(some(status),
                                             pc.not_equal(status, _s(timemodel.UNREADABLE))))
        status = iff(keep, stated, status)
    return ns, status, precision, problem


def _durations(seconds: pa.Array) -> tuple[pa.Array, pa.Array]:
    """``hh:mm:ss`` text and seconds as float64 (null where not a number) of a duration column,
    each distinct value worked out once (a call table has a few thousand distinct durations)."""
    def one(v):
        try:
            n = int(float(v))
        except (TypeError, ValueError):
            return ""
        return f"{n // 3600:02d}:{n % 3600 // 60:02d}:{n % 60:02d}"
    if not len(seconds):
        return pa.array([], LS), pa.array([], pa.float64())
    enc = pc.dictionary_encode(seconds)
    distinct = enc.dictionary
    hms = pa.array([one(v) for v in distinct.to_pylist()], LS)
    return hms.take(enc.indices), _number(distinct).take(enc.indices)


def _join_problems(a, b):
    has_a, has_b = some(a), some(b)
    if not pc.any(has_b).as_py():  # the usual case: one side or neither has a problem
        return a
    if not pc.any(has_a).as_py():
        return b
    return iff(pc.and_(has_a, has_b), cat(a, "; ", b), iff(has_a, a, b))


def _events(tab: pa.Table, times, **cols) -> pa.Table:
    """The event table of one input: the standard columns, the time's fields and provenance."""
    n = tab.num_rows
    ns, status, precision, problem = times
    # time_utc/time_local are rendered from _ns when the timeline is written, a slice at a time
    out = {c: cols.get(c, full(n)) for c in EVENT_COLUMNS[2:]}
    out["precision"], out["tz_status"] = precision, status
    # an empty time cell is not an error of the time model, but the event still has no place
    problem = iff(pc.and_(pa.array(ns == NAT), pc.invert(some(problem))), "no time given", problem)
    out["problem"] = _join_problems(out["problem"], problem)
    out["_ns"] = pa.array(ns, pa.int64())
    out["_source"] = _col(tab, "_source")
    if "_row" in tab.column_names:
        out["_row"] = tab.column("_row").combine_chunks().cast(pa.int64())
    else:
        out["_row"] = pa.array(np.arange(1, n + 1), pa.int64())
    out["_direction"] = cols.get("_direction", full(n))
    out["_duration"] = cols.get("_duration", pa.nulls(n, pa.float64()))
    # few distinct values: held as dictionaries (a fraction of the memory, cheap to reorder)
    for c in DICT_COLUMNS:
        out[c] = pc.dictionary_encode(out[c])
    return pa.table(out)


DICT_COLUMNS = ("kind", "precision", "tz_status", "currency", "_source", "_direction", "subject",
                "counterpart", "location", "problem", "duplicate_of")


def _where(col, test) -> np.ndarray:
    """``test`` (an Arrow function of a text array, giving booleans) of every row of a text
    column as a numpy mask; a dictionary column is tested once per distinct value."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    if pa.types.is_dictionary(col.type):
        per = test(col.dictionary).fill_null(False).to_numpy(zero_copy_only=False)
        per = np.append(per, False)  # a null row (none are made here) is not a match
        return per[col.indices.fill_null(len(col.dictionary)).to_numpy(zero_copy_only=False)]
    return test(col).fill_null(False).to_numpy(zero_copy_only=False)


def _text(col) -> pa.Array:
    """A column as plain large_string (dictionary columns decoded)."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    return col.cast(LS) if pa.types.is_dictionary(col.type) else col


# --------------------------------------------------------------------------------- readers
def calls_events(data) -> pa.Table:
    """A call table (``toex calls parse``): ``call``/``sms``/``mms``/``data``/``voicemail``."""
    tab = _table(data)
    c = {n: _col(tab, n) for n in ("handset", "direction", "event", "other_party", "start_utc",
                                   "start_local", "tz_status", "duration_s", "cell_first",
                                   "cell_last", "duplicate_of", "problem")}
    times = _times(c["start_utc"], c["start_local"], c["tz_status"])
    event = pc.utf8_lower(c["event"])
    kind = _map_unique(event, lambda v: _EVENT_KIND.get(v, "call"))
    direction = pc.utf8_lower(c["direction"])
    other = c["other_party"]
    dur, seconds = _durations(c["duration_s"])
    who = iff(some(other), other, "(not given)")
    is_in, is_out = pc.equal(direction, _s("in")), pc.equal(direction, _s("out"))
    word = iff(is_out, " out", iff(is_in, " in", iff(pc.equal(direction, _s("forward")),
                                                     " forwarded", "")))
    prep = iff(is_in, " from ", " to ")
    timed = pc.and_(some(dur), pc.is_in(kind, pa.array(["call", "data", "voicemail"], LS)))
    data_kind = pc.equal(kind, _s("data"))
    summary = cat(kind, word, iff(timed, cat(" ", dur), ""),
                  iff(pc.or_(pc.invert(data_kind), some(other)), cat(prep, who), ""))
    summary = iff(pc.and_(data_kind, pc.invert(some(other))),
                  cat("data session", iff(some(dur), cat(" ", dur), "")), summary)
    last_differs = pc.and_(some(c["cell_last"]), pc.not_equal(c["cell_last"], c["cell_first"]))
    loc = cat(c["cell_first"], iff(last_differs, cat(" → ", c["cell_last"]), ""))
    return _events(tab, times, kind=kind, subject=c["handset"], counterpart=other,
                   summary=summary, location=loc, problem=c["problem"],
                   duplicate_of=c["duplicate_of"], _direction=direction,
                   _duration=seconds)


_NUMBER = r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$"


def _number(a: pa.Array) -> pa.Array:
    """Numbers (``1,450.00``, ``-62.10``, ``85``) as float64; null where not a number."""
    ok = pc.and_(pc.match_substring_regex(a, _NUMBER), pc.match_substring_regex(a, r"\d"))
    clean = pc.replace_substring(pc.if_else(ok, a, _s("0")), ",", "")
    return pc.if_else(ok, pc.cast(clean, pa.float64()), pa.scalar(None, pa.float64()))


def messages_events(data) -> pa.Table:
    """A message table (``toex messages parse``): ``message`` events on the sender's line."""
    tab = _table(data)
    c = {n: _col(tab, n) for n in MESSAGES.names}
    times = _times(c["sent_utc"], c["sent_local"], c["tz_status"])
    sender = iff(some(c["sender_id"]), c["sender_id"], c["sender"])
    counterpart = iff(some(c["recipients"]), c["recipients"], c["chat"])
    text = pc.replace_substring_regex(c["text"], r"\s+", " ")
    short = iff(pc.greater(pc.utf8_length(text), 120), cat(pc.utf8_slice_codeunits(text, 0, 120),
                                                            "…"), text)
    mkind = pc.utf8_lower(c["kind"])
    plain = pc.or_(pc.equal(mkind, _s("")), pc.equal(mkind, _s("message")))
    head = cat(c["platform"], iff(some(c["platform"]), " ", ""), iff(plain, "message", mkind))
    name = iff(some(c["sender"]), c["sender"], sender)
    # a system line (group created, member added) has no sender: it sits on the chat's line
    summary = cat(head, iff(some(name), cat(" from ", name), ""),
                  iff(some(c["chat"]), cat(" in ", c["chat"]), ""),
                  iff(some(short), cat(": ", short), ""),
                  iff(some(c["attachment"]), cat(" [", c["attachment"], "]"), ""))
    sender = iff(some(sender), sender, c["chat"])
    return _events(tab, times, kind=full(tab.num_rows, "message"), subject=sender,
                   counterpart=counterpart, summary=summary, problem=_col(tab, "problem"))


def transactions_events(data) -> pa.Table:
    """A transaction table (``toex bank parse``): ``payment_in``/``payment_out``. A date-only
    row sits at local midnight with ``precision=day``; a date-time keeps its time."""
    tab = _table(data)
    c = {n: _col(tab, n) for n in ("account", "date", "description", "amount", "currency",
                                   "counterparty", "duplicate_of", "problem")}
    when = c["date"]
    time_col = _find([x for x in tab.column_names if x not in TRANSACTIONS.names],
                     ("time", "posttime", "transactiontime"))
    if time_col:
        when = pa.array(timemodel.combine(_series(when), _series(_col(tab, time_col))), LS)
    times = _times(when)
    amount = c["amount"]
    value = _number(amount)
    known = pc.is_valid(value)
    is_in = pc.and_(known, pc.greater_equal(value, 0.0)).fill_null(False)
    is_out = pc.and_(known, pc.less(value, 0.0)).fill_null(False)
    kind = iff(is_in, "payment_in", iff(is_out, "payment_out", "payment"))
    cur = c["currency"]
    upper = pc.utf8_upper(cur)
    symbol = iff(pc.equal(upper, _s("GBP")), "£", iff(pc.equal(upper, _s("EUR")), "€",
                                                         iff(pc.equal(upper, _s("USD")), "$", "")))
    body = pc.utf8_ltrim(amount, characters="+-")
    # £950.00, or 950.00 CHF where there is no symbol; an amount that is not a number as written
    money = iff(known, cat(symbol, body, iff(pc.and_(some(cur), pc.invert(some(symbol))),
                                             cat(" ", cur), "")), amount)
    party = iff(some(c["counterparty"]), c["counterparty"], c["description"])
    summary = cat(money, iff(is_in, " in from ", iff(is_out, " out to ", " ")), party)
    problem = _join_problems(c["problem"], iff(pc.and_(pc.invert(known), some(amount)),
                                               "amount not a number", ""))
    account = iff(some(c["account"]), c["account"], cat("statement ", _col(tab, "_source")))
    return _events(tab, times, kind=kind, subject=account, counterpart=c["counterparty"],
                   summary=summary, amount=amount, currency=c["currency"], problem=problem,
                   duplicate_of=c["duplicate_of"])


def reads_events(data) -> pa.Table:
    """ANPR reads: the standard reads table, or any table with a VRM, a time and a camera or
    place. The subject is the VRM normalised (``LB07 SEU`` -> ``LB07SEU``)."""
    tab = _table(data)
    if kind_of(tab.column_names) == "reads":
        cols = {"vrm": "vrm", "time": "seen_utc", "camera": "camera", "location": "location",
                "lat": "lat", "lon": "lon"}
        stated = _col(tab, "tz_status")
    else:
        cols = anpr_columns(tab.column_names)
        if cols is None:
            raise UsageError("not ANPR reads: no VRM, time and camera/location columns "
                             f"(columns are: {', '.join(map(str, tab.column_names))})")
        stated = None
    raw = _col(tab, cols["vrm"])
    # toexcli.vehicles.normalise_vrm over the whole column: no spaces, hyphens or dots, upper case
    vrm = pc.utf8_upper(pc.replace_substring_regex(raw, r"[\s\-\.]+", ""))
    times = _times(_col(tab, cols["time"]), stated=stated)
    camera, place = _col(tab, cols["camera"]), _col(tab, cols["location"])
    lat, lon = _col(tab, cols["lat"]), _col(tab, cols["lon"])
    both = pc.and_(pc.and_(some(camera), some(place)), pc.not_equal(place, camera))
    loc = cat(camera, iff(both, cat(", ", place), iff(some(camera), "", place)))
    loc = cat(loc, iff(pc.and_(some(lat), some(lon)), cat(" (", lat, ", ", lon, ")"), ""))
    summary = cat("anpr read ", iff(some(raw), raw, "(no plate)"), iff(some(loc), cat(" at ", loc),
                                                                       ""))
    return _events(tab, times, kind=full(tab.num_rows, "anpr"), subject=vrm, summary=summary,
                   location=loc, problem=_col(tab, "problem"))


@dataclass
class Custom:
    """Columns of a table that is none of the standard ones (``--time --subject ...``)."""

    time: str
    subject: str
    counterpart: str | None = None
    label: str | None = None
    location: str | None = None


def custom_events(data, spec: Custom, source: str = "input") -> pa.Table:
    from ..errors import require_columns

    tab = _table(data)
    times = [c.strip() for c in spec.time.split(",")]
    require_columns(tab.column_names, [*times, spec.subject] + [
        c for c in (spec.counterpart, spec.label, spec.location) if c], source)
    when = _col(tab, times[0]) if len(times) == 1 else pa.array(timemodel.combine(
        _series(_col(tab, times[0])), _series(_col(tab, times[1]))), LS)
    subject, other = _col(tab, spec.subject), _col(tab, spec.counterpart)
    summary = _col(tab, spec.label) if spec.label else cat(subject, iff(some(other),
                                                                        cat(" → ", other), ""))
    return _events(tab, _times(when), kind=full(tab.num_rows, "custom"), subject=subject,
                   counterpart=other, summary=summary, location=_col(tab, spec.location))


def timeline_events(data) -> pa.Table:
    """A timeline written by ``toex timeline`` read back (to filter or join it again)."""
    tab = _table(data)
    ns, status, precision, problem = _times(_col(tab, "time_utc"))
    kept = _col(tab, "precision")
    precision = iff(some(kept), kept, precision)
    given = _col(tab, "problem")
    problem = iff(some(given), "", problem)
    cols = {c: _col(tab, c) for c in EVENT_COLUMNS[2:] if c in tab.column_names
            and c not in ("precision", "tz_status")}
    stated = _col(tab, "tz_status")
    status = iff(pc.and_(some(stated), some(status)), stated, status)
    return _events(tab, (ns, status, precision, problem), **cols)


READERS = {"calls": calls_events, "messages": messages_events,
           "transactions": transactions_events, "reads": reads_events,
           "timeline": timeline_events}


def events_of(data, kind: str, custom: Custom | None = None, source: str = "input") -> pa.Table:
    """The events of one table (a DataFrame or Arrow table/batch) read as ``kind``."""
    if kind == "custom":
        if custom is None:
            raise UsageError("--kind custom needs --time COL and --subject COL")
        return custom_events(data, custom, source)
    if kind not in READERS:
        raise UsageError(f"--kind must be one of {', '.join(KINDS)}, not '{kind}'")
    columns = list(data.columns) if isinstance(data, pd.DataFrame) else data.schema.names
    if kind == "reads" and kind_of(columns) != "reads" and anpr_columns(columns) is None:
        raise UsageError(f"{source}: --kind reads needs a VRM column, a time column and a camera or "
                         "location column")
    return READERS[kind](data)


# ------------------------------------------------------------------------- two-ended calls
def pair_calls(tab: pa.Table, *, voice_window: int = 30, sms_window: int = 120,
               duration_slack: int = 2) -> dict[int, str]:
    """``duplicate_of`` for call events seen from both ends that the call tables did not mark
    (they were parsed in separate runs): handset A's ``out`` to B and handset B's ``in`` from A,
    same kind, starts within ``voice_window`` s (``sms_window`` for texts; networks stamp the
    two ends seconds apart, a text's delivery can take a minute or more) and, for calls,
    durations within ``duration_slack`` s. The end from the later input/row is the duplicate.
    Returns {position: "FILE:ROW" of the earlier end}."""
    n = tab.num_rows
    ns = tab.column("_ns").to_numpy()
    dup = tab.column("duplicate_of")
    unmarked = _where(dup, lambda d: pc.equal(d, _s("")))
    calls = (_where(tab.column("kind"), lambda d: pc.is_in(d, pa.array(["call", "sms", "mms"], LS)))
             & (ns != NAT) & unmarked)
    handsets = pc.unique(_text(tab.column("subject").filter(pa.array(calls)))) if n else []
    if len(handsets) < 2:
        return {}
    # only contacts between two handsets that both have records can be seen twice
    pick = calls & _where(tab.column("counterpart"), lambda d: pc.is_in(d, handsets))
    pick &= _where(tab.column("_direction"), lambda d: pc.is_in(d, pa.array(["in", "out"], LS)))
    idx = np.flatnonzero(pick)
    named = _text(dup.filter(pa.array(~unmarked)))
    if len(named) and len(idx):  # an end the call tables already matched is not paired again
        ref = cat(_text(tab.column("_source").take(pa.array(idx))), ":",
                  pc.cast(tab.column("_row").take(pa.array(idx)), pa.string()).cast(LS))
        idx = idx[~pc.is_in(ref, pc.unique(named)).to_numpy(zero_copy_only=False)]
    if not len(idx):
        return {}
    sub = tab.select(["subject", "counterpart", "kind", "_direction", "_ns", "_duration",
                      "_source", "_row"]).take(pa.array(idx)).to_pandas()
    for c in ("kind", "_direction", "_source", "subject", "counterpart"):
        sub[c] = sub[c].astype("str")
    out_ = sub["_direction"].to_numpy() == "out"
    frame = pd.DataFrame({"pos": idx, "a": np.where(out_, sub["subject"], sub["counterpart"]),
                          "b": np.where(out_, sub["counterpart"], sub["subject"]),
                          "kind": sub["kind"].to_numpy(), "dir": sub["_direction"].to_numpy(),
                          "t": sub["_ns"].to_numpy(), "d": sub["_duration"].to_numpy(),
                          "ref": (sub["_source"].astype("str") + ":"
                                  + sub["_row"].astype("str")).to_numpy()})
    frame = frame.sort_values(["a", "b", "kind", "t", "pos"], kind="stable")
    used: set[int] = set()
    found: dict[int, str] = {}
    for _, g in frame.groupby(["a", "b", "kind"], sort=False):
        if len(g) < 2:
            continue
        window = (sms_window if g["kind"].iat[0] != "call" else voice_window) * 1_000_000_000
        recs = g.to_dict("records")
        for i, r in enumerate(recs):
            if r["pos"] in used:
                continue
            for s in recs[i + 1:]:
                if s["t"] - r["t"] > window:
                    break
                if s["pos"] in used or s["dir"] == r["dir"]:
                    continue
                if r["kind"] == "call" and not (np.isnan(r["d"]) or np.isnan(s["d"])) and abs(
                        r["d"] - s["d"]) > duration_slack:
                    continue
                first, later = (r, s) if r["pos"] < s["pos"] else (s, r)
                used.update((r["pos"], s["pos"]))
                found[int(later["pos"])] = first["ref"]
                break
    return found


# ------------------------------------------------------------------------- the whole thing
def _keys(values: pd.Series) -> pd.Series:
    """One comparison key per identifier: E.164 for a phone in any spelling; a code holding a
    digit loses case and separators (``LB07 SEU`` = ``lb07seu``; ``30-99-50 31926819`` =
    ``30995031926819``); a name is upper case with single spaces. Each distinct value once."""
    from ..phones import lookup_key, normalise_values

    s = values.astype("str").fillna("")
    codes, uniques = pd.factorize(s, sort=False)
    uniq = pd.Series(uniques, dtype="str")
    looks_phone = uniq.str.fullmatch(r"\s*(\+|00)?[\d\s().\-]{6,20}").fillna(False)
    upper = uniq.str.upper().str.strip()
    compact = upper.str.replace(r"[^0-9A-Z]", "", regex=True)
    # codes (accounts, VRMs, IMEIs, ids) lose their separators; names keep single spaces
    code = upper.str.fullmatch(r"[0-9A-Z\s\-./:]*[0-9][0-9A-Z\s\-./:]*").fillna(False)
    keys = compact.where(code, upper.str.replace(r"\s+", " ", regex=True))
    if looks_phone.any():
        ph = normalise_values(lookup_key(uniq[looks_phone]))
        e164 = ph["e164"].astype("str").fillna("")
        ok = (e164 != "").to_numpy()   # valid or merely possible (drama ranges are 'possible')
        k = keys[looks_phone].to_numpy(dtype=object)
        k[ok] = e164.to_numpy(dtype=object)[ok]
        keys[looks_phone] = k
    arr = np.append(keys.to_numpy(dtype=object), "")
    return pd.Series(arr[codes], index=values.index, dtype="str")


def _unique_keys(a) -> tuple[np.ndarray, pd.Series]:
    """(codes per row, key per distinct value) of an Arrow text column."""
    enc = pc.dictionary_encode(_text(a))
    return (enc.indices.to_numpy(zero_copy_only=False),
            _keys(pd.Series(enc.dictionary.to_pylist(), dtype="str")))


def read_entities(frame: pd.DataFrame) -> dict[str, dict]:
    """``entity_id`` -> ``{"name": first name, "ids": [identifiers]}`` from the table ``toex
    merge resolve --entities`` writes (one column per identifier kind, ``;``-separated)."""
    if "entity_id" not in frame.columns:
        raise UsageError("--entities: no entity_id column (expected the table written by "
                         "toex merge resolve --entities)")
    skip = {"entity_id", "rows", "not_linked_on", "names", "dates_of_birth", "sources",
            "linked_by", "_source", "_row"}
    out = {}
    for rec in frame.astype("str").fillna("").to_dict("records"):
        ids = []
        for col, val in rec.items():
            if col in skip or not val.strip():
                continue
            ids += [v.strip() for v in val.split(";") if v.strip()]
        names = [v.strip() for v in rec.get("names", "").split(";") if v.strip()]
        out[rec["entity_id"].strip().upper()] = {"name": names[0] if names else "", "ids": ids}
    return out


@dataclass
class Result:
    """The ordered timeline. ``batches()`` renders it a slice at a time (the CLI writes those, so
    a few million events never exist twice as text); ``table``/``events`` are the whole of it."""

    stats: dict
    base: pa.Table                     # the events, in input order
    order: np.ndarray                  # positions of base in output order
    labels: dict = field(default_factory=dict)
    _table: pa.Table | None = None

    def batches(self, size: int = 1 << 18):
        if not len(self.order):
            yield self._render(self.base.slice(0, 0))
            return
        for i in range(0, len(self.order), size):
            yield self._render(self.base.take(pa.array(self.order[i:i + size], pa.int64())))

    def _render(self, tab: pa.Table) -> pa.Table:
        ns = tab.column("_ns").to_numpy()
        cols = {"time_utc": timemodel.iso_arrow(ns),
                "time_local": timemodel.iso_arrow(ns, timemodel.DEFAULT_TZ)}
        for c in EVENT_COLUMNS[2:]:
            cols[c] = _text(tab.column(c))
        if self.labels:
            labels = self.labels
            codes, keys = _unique_keys(tab.column("subject"))
            names = keys.map(labels).fillna("").astype("str")
            cols["subject_name"] = pa.array(names, LS).take(pa.array(codes))
            ccodes, cuniq = _counterpart_keys(tab.column("counterpart"))
            cnames = ["; ".join(dict.fromkeys(labels[k] for k in ks if k in labels))
                      for ks in cuniq]
            cols["counterpart_name"] = pa.array(cnames, LS).take(pa.array(ccodes))
        cols["_source"] = _text(tab.column("_source"))
        cols["_row"] = tab.column("_row").combine_chunks()
        return pa.table(cols)

    @property
    def table(self) -> pa.Table:
        if self._table is None:
            self._table = pa.concat_tables(list(self.batches()))
        return self._table

    @property
    def events(self) -> pd.DataFrame:
        df = self.table.to_pandas()
        for c in df.columns:
            if c != "_row":
                df[c] = df[c].astype("str")
        return df


def _combine(parts: list) -> pa.Table:
    """One table from the per-batch event tables, a column at a time, letting each part's
    column go as soon as it is copied (the parts are not all held twice)."""
    tabs = [p for p in parts if p.num_rows]
    parts.clear()
    if not tabs:
        return _empty()
    names = tabs[0].column_names
    cols = {}
    for name in names:
        chunks = [ch for t in tabs for ch in t.column(name).chunks]
        cols[name] = pa.chunked_array(chunks, type=tabs[0].schema.field(name).type).combine_chunks()
        tabs = [t.drop_columns([name]) for t in tabs]
    return pa.table(cols)


def assemble(parts: list, *, start=None, end=None, entity=(), entities=None,
             keep_duplicates: bool = False, pair: bool = True) -> Result:
    """Stack event tables (in input order), mark two-ended calls, filter, order by time.

    ``parts`` is emptied (its tables are combined into one). ``start``/``end``: UTC Timestamps
    (inclusive; a day-precision event counts when its day overlaps the period). ``entity``:
    identifiers or entity ids (with ``entities`` from :func:`read_entities`). Unreadable times
    are kept, at the end."""
    tab = _combine(parts)
    n = tab.num_rows
    stats = {"events_in": n}
    dup = _where(tab.column("duplicate_of"), some) if n else np.zeros(0, bool)
    marked = int(dup.sum())
    found = pair_calls(tab) if (pair and n) else {}
    if found:
        arr = _text(tab.column("duplicate_of")).to_numpy(zero_copy_only=False).astype(object)
        for pos, ref in found.items():
            arr[pos] = ref
        tab = tab.set_column(tab.schema.get_field_index("duplicate_of"), "duplicate_of",
                             pa.array(arr, LS))
        dup = dup.copy()
        dup[list(found)] = True
    stats.update(duplicates_marked=marked, duplicates_found=len(found), duplicates=int(dup.sum()))
    keep = np.ones(n, dtype=bool) if keep_duplicates else ~dup

    ns = tab.column("_ns").to_numpy()
    readable = ns != NAT
    if start is not None or end is not None:
        day = _where(tab.column("precision"), lambda d: pc.equal(d, _s("day")))
        minute = _where(tab.column("precision"), lambda d: pc.equal(d, _s("minute")))
        span = np.where(day, 86_400 * 10**9 - 1, np.where(minute, 60 * 10**9 - 1, 0))
        inside = readable.copy()
        if start is not None:
            inside &= (ns + span) >= pd.Timestamp(start).value
        if end is not None:
            inside &= ns <= pd.Timestamp(end).value
        # an unreadable time cannot be put outside the period: kept, at the end
        keep &= inside | ~readable

    labels: dict[str, str] = {}
    if entity:
        wanted = _entity_keys(entity, entities)
        codes, keys = _unique_keys(tab.column("subject"))
        hit = keys.isin(wanted).to_numpy()[codes] if n else np.zeros(0, bool)
        ccodes, cuniq = _counterpart_keys(tab.column("counterpart"))
        chit = np.array([bool(set(ks) & wanted) for ks in cuniq], dtype=bool)
        keep &= hit | (chit[ccodes] if n else np.zeros(0, bool))
    if entities:
        for e in entities.values():
            for k in _keys(pd.Series(e["ids"], dtype="str")):
                if k and e["name"]:
                    labels.setdefault(k, e["name"])
    stats["unreadable"] = int((~readable & keep).sum())
    kept = np.flatnonzero(keep)
    key = ns[kept]
    order = kept[np.argsort(np.where(key == NAT, np.iinfo(np.int64).max, key), kind="stable")]
    stats["events"] = int(len(order))
    return Result(stats, tab, order, labels)


def _counterpart_keys(a) -> tuple[np.ndarray, list[tuple]]:
    """(codes per row, key tuple per distinct cell) of a counterpart column, whose cells may
    list several recipients (``a; b``)."""
    enc = pc.dictionary_encode(_text(a))
    uniques = enc.dictionary.to_pylist()
    parts = [[p.strip() for p in u.split(";") if p.strip()] for u in uniques]
    flat = pd.Series([p for ps in parts for p in ps], dtype="str")
    keys = iter(_keys(flat).tolist())
    per = [tuple(next(keys) for _ in ps) for ps in parts]
    return enc.indices.to_numpy(zero_copy_only=False), per


def _entity_keys(entity, entities) -> set:
    wanted = set()
    for e in entity:
        e = str(e).strip()
        rec = entities.get(e.upper()) if entities else None
        if rec is not None:
            ks = [k for k in _keys(pd.Series(rec["ids"], dtype="str")) if k]
            if not ks:
                raise UsageError(f"--entity {e}: that entity has no identifiers in the entities file")
            wanted.update(ks)
        elif entities is not None and re.fullmatch(r"E\d{6,}", e.upper()):
            raise UsageError(f"--entity {e}: no such entity_id in the entities file")
        else:
            k = _keys(pd.Series([e], dtype="str")).iat[0]
            if k:
                wanted.add(k)
    return wanted


def _empty() -> pa.Table:
    return _events(pa.table({"_source": pa.array([], LS)}),
                   (np.array([], np.int64), pa.array([], LS), pa.array([], LS), pa.array([], LS)))
