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

from .. import timemodel
from ..errors import UsageError
from ..schema import CALLS, EVENTS, MESSAGES, READS, TRANSACTIONS, kind_of

NAT = -(2**63)
KINDS = ("calls", "messages", "transactions", "reads", "custom", "timeline")
EVENT_COLUMNS = EVENTS.names + ["duplicate_of"]

_EVENT_KIND = {"voice": "call", "sms": "sms", "mms": "mms", "data": "data",
               "voicemail": "voicemail", "other": "call", "": "call"}
_SYMBOL = {"GBP": "£", "EUR": "€", "USD": "$"}

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
def _col(df: pd.DataFrame, name: str | None) -> pd.Series:
    """A column as clean text (empty where missing)."""
    if name is None or name not in df.columns:
        return pd.Series([""] * len(df), index=df.index, dtype="str")
    s = df[name]
    if s.dtype != "str":
        s = s.astype("str").where(s.notna(), "")
    return s.fillna("").str.strip()


def _map_unique(s: pd.Series, fn) -> pd.Series:
    """``fn`` applied once per distinct value (identifiers and durations repeat a lot)."""
    codes, uniques = pd.factorize(s, sort=False)
    mapped = np.array([fn(u) for u in uniques] + [""], dtype=object)
    return pd.Series(mapped[codes], index=s.index, dtype="str")


def _times(values: pd.Series, fallback: pd.Series | None = None, stated: pd.Series | None = None):
    """timemodel.parse of ``values`` (``fallback`` where a value is empty); a ``tz_status`` the
    table itself states (``toex calls parse`` knows when a wall time was assumed) wins."""
    if fallback is not None:
        values = values.where(values != "", fallback)
    t = timemodel.parse(values)
    if stated is not None:
        keep = (stated != "") & (t["tz_status"] != timemodel.UNREADABLE) & (t["tz_status"] != "")
        t["tz_status"] = t["tz_status"].where(~keep, stated)
    return t


def _ns(utc: pd.Series) -> np.ndarray:
    return utc.to_numpy(dtype="datetime64[ns]").view(np.int64)


def _hms(seconds: pd.Series) -> pd.Series:
    def one(v):
        try:
            n = int(float(v))
        except (TypeError, ValueError):
            return ""
        return f"{n // 3600:02d}:{n % 3600 // 60:02d}:{n % 60:02d}"
    return _map_unique(seconds, one)


def _join_problems(*parts: pd.Series) -> pd.Series:
    out = parts[0]
    for p in parts[1:]:
        both = (out != "") & (p != "")
        out = (out + np.where(both, "; ", "") + p) if len(out) else out
    return out.astype("str")


def _frame(n_index, **cols) -> pd.DataFrame:
    out = pd.DataFrame({c: cols.get(c, pd.Series([""] * len(n_index), index=n_index, dtype="str"))
                        for c in EVENT_COLUMNS}, index=n_index)
    for c in EVENT_COLUMNS:
        if out[c].dtype != "str":
            out[c] = out[c].astype("str")
    return out


def _finish(df: pd.DataFrame, events: pd.DataFrame, t: pd.DataFrame) -> pd.DataFrame:
    """Times, provenance and the time's problem added to ``events``."""
    events["precision"] = t["precision"].astype("str")
    events["tz_status"] = t["tz_status"].astype("str")
    events["problem"] = _join_problems(events["problem"], t["problem"].astype("str"))
    events["_ns"] = _ns(t["utc"])
    events["_source"] = _col(df, "_source") if "_source" in df else ""
    if "_row" in df:
        events["_row"] = pd.to_numeric(df["_row"], errors="coerce").astype("Int64")
    else:
        events["_row"] = pd.array(np.arange(1, len(df) + 1), dtype="Int64")
    return events


# --------------------------------------------------------------------------------- readers
def calls_events(df: pd.DataFrame) -> pd.DataFrame:
    """A call table (``toex calls parse``): ``call``/``sms``/``mms``/``data``/``voicemail``."""
    c = {n: _col(df, n) for n in CALLS.names}
    t = _times(c["start_utc"], c["start_local"], c["tz_status"])
    event = c["event"].str.lower()
    kind = event.map(lambda v: _EVENT_KIND.get(v, "call")).astype("str")
    direction = c["direction"].str.lower()
    other = c["other_party"]
    dur = _hms(c["duration_s"])
    who = other.where(other != "", "(not given)")
    word = pd.Series(np.select(
        [direction == "out", direction == "in", direction == "forward"],
        ["out", "in", "forwarded"], ""), index=df.index, dtype="str")
    prep = pd.Series(np.select([direction == "in"], ["from"], "to"), index=df.index, dtype="str")
    noun = kind.where(kind != "call", "call")
    has_dur = (dur != "") & kind.isin(["call", "data", "voicemail"])
    summary = (noun + np.where(word != "", " ", "") + word
               + np.where(has_dur, " ", "") + dur.where(has_dur, ""))
    talk = kind != "data"
    summary = summary + np.where(talk | (other != ""), " " + prep + " " + who, "")
    summary = summary.where(~((kind == "data") & (other == "")), "data session"
                            + np.where(dur != "", " " + dur, ""))
    loc = c["cell_first"] + np.where((c["cell_last"] != "") & (c["cell_last"] != c["cell_first"]),
                                     " → " + c["cell_last"], "")
    ev = _frame(df.index, kind=kind, subject=c["handset"], counterpart=other,
                summary=summary.astype("str"), location=pd.Series(loc, index=df.index, dtype="str"),
                problem=c["problem"], duplicate_of=c["duplicate_of"])
    ev["_direction"] = direction
    ev["_duration"] = pd.to_numeric(c["duration_s"], errors="coerce")
    return _finish(df, ev, t)


def messages_events(df: pd.DataFrame) -> pd.DataFrame:
    """A message table (``toex messages parse``): ``message`` events on the sender's line."""
    c = {n: _col(df, n) for n in MESSAGES.names}
    t = _times(c["sent_utc"], c["sent_local"], c["tz_status"])
    sender = c["sender_id"].where(c["sender_id"] != "", c["sender"])
    counterpart = c["recipients"].where(c["recipients"] != "", c["chat"])
    text = c["text"].str.replace(r"\s+", " ", regex=True)
    short = text.str.slice(0, 120) + np.where(text.str.len() > 120, "…", "")
    mkind = c["kind"].str.lower()
    head = (c["platform"] + np.where(c["platform"] != "", " ", "")
            + mkind.where(~mkind.isin(["", "message"]), "message"))
    name = c["sender"].where(c["sender"] != "", sender)
    where = np.where(c["chat"] != "", " in " + c["chat"], "")
    # a system line (group created, member added) has no sender: it sits on the chat's line
    summary = head + np.where(name != "", " from " + name, "") + where
    sender = sender.where(sender != "", c["chat"])
    summary = summary + np.where(short != "", ": " + short, "")
    summary = summary + np.where(c["attachment"] != "", " [" + c["attachment"] + "]", "")
    ev = _frame(df.index, kind=pd.Series(["message"] * len(df), index=df.index, dtype="str"),
                subject=sender, counterpart=counterpart, summary=summary.astype("str"))
    return _finish(df, ev, t)


def _amount_text(v: str, cur: str = "") -> str:
    try:
        x = float(v)
    except ValueError:
        return v
    sym = _SYMBOL.get(cur.upper(), "")
    body = f"{abs(x):,.2f}"
    return f"{sym}{body}" if sym else (f"{body} {cur}" if cur else body)


def transactions_events(df: pd.DataFrame) -> pd.DataFrame:
    """A transaction table (``toex bank parse``): ``payment_in``/``payment_out``. A date-only
    row sits at local midnight with ``precision=day``; a date-time keeps its time."""
    c = {n: _col(df, n) for n in TRANSACTIONS.names}
    when = c["date"]
    time_col = _find([x for x in df.columns if x not in TRANSACTIONS.names], ("time", "posttime",
                                                                                "transactiontime"))
    if time_col:
        when = timemodel.combine(when, _col(df, time_col))
    t = _times(when)
    amount = c["amount"]
    num = pd.to_numeric(amount.str.replace(",", "", regex=False), errors="coerce")
    kind = pd.Series(np.where(num >= 0, "payment_in", np.where(num < 0, "payment_out", "payment")),
                     index=df.index, dtype="str")
    money = (amount.str.replace(",", "", regex=False).str.lstrip("+-") + "\x00" + c["currency"])
    money = _map_unique(money, lambda v: _amount_text(*v.split("\x00", 1)))
    party = c["counterparty"].where(c["counterparty"] != "", c["description"])
    word = pd.Series(np.select([num >= 0, num < 0], [" in from ", " out to "], " "),
                     index=df.index, dtype="str")
    summary = money + word + party
    summary = summary.where(num.notna() | (amount == ""), summary)
    problem = c["problem"]
    bad = num.isna() & (amount != "")
    problem = _join_problems(problem, pd.Series(np.where(bad, "amount not a number", ""),
                                                index=df.index, dtype="str"))
    account = c["account"].where(c["account"] != "", "statement " + _col(df, "_source"))
    ev = _frame(df.index, kind=kind, subject=account, counterpart=c["counterparty"],
                summary=summary.astype("str"), amount=amount, currency=c["currency"],
                problem=problem, duplicate_of=c["duplicate_of"])
    return _finish(df, ev, t)


def reads_events(df: pd.DataFrame) -> pd.DataFrame:
    """ANPR reads: the standard reads table, or any table with a VRM, a time and a camera or
    place. The subject is the VRM normalised (``LB07 SEU`` -> ``LB07SEU``)."""
    from ..vehicles import normalise_vrm

    if kind_of(df.columns) == "reads":
        cols = {"vrm": "vrm", "time": "seen_utc", "camera": "camera", "location": "location",
                "lat": "lat", "lon": "lon"}
        stated = _col(df, "tz_status")
    else:
        cols = anpr_columns(df.columns)
        if cols is None:
            raise UsageError("not ANPR reads: no VRM, time and camera/location columns "
                             f"(columns are: {', '.join(map(str, df.columns))})")
        stated = None
    raw = _col(df, cols["vrm"])
    vrm = _map_unique(raw, normalise_vrm)
    t = _times(_col(df, cols["time"]), stated=stated)
    camera, place = _col(df, cols["camera"]), _col(df, cols["location"])
    lat, lon = _col(df, cols["lat"]), _col(df, cols["lon"])
    loc = camera + np.where((camera != "") & (place != "") & (place != camera), ", " + place,
                            np.where(camera == "", place, ""))
    loc = loc + np.where((lat != "") & (lon != ""), " (" + lat + ", " + lon + ")", "")
    loc = pd.Series(loc, index=df.index, dtype="str")
    summary = "anpr read " + raw.where(raw != "", "(no plate)") + np.where(loc != "", " at " + loc, "")
    ev = _frame(df.index, kind=pd.Series(["anpr"] * len(df), index=df.index, dtype="str"),
                subject=vrm, summary=summary.astype("str"), location=loc,
                problem=_col(df, "problem"))
    return _finish(df, ev, t)


@dataclass
class Custom:
    """Columns of a table that is none of the standard ones (``--time --subject ...``)."""

    time: str
    subject: str
    counterpart: str | None = None
    label: str | None = None
    location: str | None = None


def custom_events(df: pd.DataFrame, spec: Custom, source: str = "input") -> pd.DataFrame:
    from ..errors import require_columns

    times = [c.strip() for c in spec.time.split(",")]
    require_columns(df.columns, [*times, spec.subject] + [c for c in (spec.counterpart, spec.label,
                                                                       spec.location) if c], source)
    when = _col(df, times[0]) if len(times) == 1 else timemodel.combine(_col(df, times[0]),
                                                                        _col(df, times[1]))
    t = _times(when)
    subject, other = _col(df, spec.subject), _col(df, spec.counterpart)
    if spec.label:
        summary = _col(df, spec.label)
    else:
        summary = subject + np.where(other != "", " → " + other, "")
    ev = _frame(df.index, kind=pd.Series(["custom"] * len(df), index=df.index, dtype="str"),
                subject=subject, counterpart=other, summary=pd.Series(summary, index=df.index,
                                                                        dtype="str"),
                location=_col(df, spec.location))
    return _finish(df, ev, t)


def timeline_events(df: pd.DataFrame) -> pd.DataFrame:
    """A timeline written by ``toex timeline`` read back (to filter or join it again)."""
    ev = _frame(df.index, **{c: _col(df, c) for c in EVENT_COLUMNS if c in df.columns})
    t = _times(_col(df, "time_utc"))
    keep_prec = _col(df, "precision")
    t["precision"] = keep_prec.where(keep_prec != "", t["precision"])
    ev["problem"] = _col(df, "problem")
    t["problem"] = pd.Series(np.where(ev["problem"] != "", "", t["problem"]), index=df.index)
    return _finish(df, ev, t)


READERS = {"calls": calls_events, "messages": messages_events,
           "transactions": transactions_events, "reads": reads_events,
           "timeline": timeline_events}


def events_of(df: pd.DataFrame, kind: str, custom: Custom | None = None,
              source: str = "input") -> pd.DataFrame:
    """The events of one table read as ``kind`` (see :data:`KINDS`)."""
    if kind == "custom":
        if custom is None:
            raise UsageError("--kind custom needs --time COL and --subject COL")
        return custom_events(df, custom, source)
    if kind not in READERS:
        raise UsageError(f"--kind must be one of {', '.join(KINDS)}, not '{kind}'")
    if kind == "reads" and kind_of(df.columns) != "reads" and anpr_columns(df.columns) is None:
        raise UsageError(f"{source}: --kind reads needs a VRM column, a time column and a camera or "
                         "location column")
    return READERS[kind](df)


# ------------------------------------------------------------------------- two-ended calls
def pair_calls(ev: pd.DataFrame, *, voice_window: int = 30, sms_window: int = 120,
               duration_slack: int = 2) -> pd.Series:
    """``duplicate_of`` for call events seen from both ends that the call tables did not mark
    (they were parsed in separate runs): handset A's ``out`` to B and handset B's ``in`` from A,
    same kind, starts within ``voice_window`` s (``sms_window`` for texts; networks stamp the
    two ends seconds apart, a text's delivery can take a minute or more) and, for calls,
    durations within ``duration_slack`` s. The end from the later input/row is the duplicate.
    Returns a Series aligned with ``ev`` (empty where not a duplicate)."""
    out = pd.Series([""] * len(ev), index=ev.index, dtype="str")
    calls = ev["kind"].isin(["call", "sms", "mms"]).to_numpy() & (ev["_ns"].to_numpy() != NAT)
    calls &= (ev["duplicate_of"] == "").to_numpy()
    if "_direction" not in ev:
        return out
    handsets = set(ev.loc[calls, "subject"].unique()) - {""}
    # only contacts between two handsets that both have records can be seen twice
    pick = calls & ev["counterpart"].isin(handsets).to_numpy() & ev["_direction"].isin(
        ["in", "out"]).to_numpy()
    # rows another row already names as its duplicate are spoken for
    named = set(ev.loc[ev["duplicate_of"] != "", "duplicate_of"])
    if named:
        ref = (ev["_source"].astype("str") + ":" + ev["_row"].astype("str")).isin(named).to_numpy()
        pick &= ~ref
    idx = np.flatnonzero(pick)
    if not len(idx):
        return out
    sub = ev.iloc[idx]
    a = np.where(sub["_direction"] == "out", sub["subject"], sub["counterpart"])
    b = np.where(sub["_direction"] == "out", sub["counterpart"], sub["subject"])
    frame = pd.DataFrame({"pos": idx, "a": a, "b": b, "kind": sub["kind"].to_numpy(),
                          "dir": sub["_direction"].to_numpy(), "t": sub["_ns"].to_numpy(),
                          "d": sub["_duration"].to_numpy(dtype="float64", na_value=np.nan)})
    frame = frame.sort_values(["a", "b", "kind", "t", "pos"], kind="stable")
    used = np.zeros(len(ev), dtype=bool)
    src = ev["_source"].astype("str").to_numpy()
    row = ev["_row"].astype("str").to_numpy()
    for _, g in frame.groupby(["a", "b", "kind"], sort=False):
        if len(g) < 2:
            continue
        window = (sms_window if g["kind"].iat[0] != "call" else voice_window) * 1_000_000_000
        recs = g.to_dict("records")
        for i, r in enumerate(recs):
            if used[r["pos"]]:
                continue
            for s in recs[i + 1:]:
                if s["t"] - r["t"] > window:
                    break
                if used[s["pos"]] or s["dir"] == r["dir"]:
                    continue
                if r["kind"] == "call" and not (np.isnan(r["d"]) or np.isnan(s["d"])) and abs(
                        r["d"] - s["d"]) > duration_slack:
                    continue
                first, later = sorted((r["pos"], s["pos"]))
                used[first] = used[later] = True
                out.iat[later] = f"{src[first]}:{row[first]}"
                break
    return out


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
    events: pd.DataFrame               # ordered, with the output columns
    stats: dict = field(default_factory=dict)


def assemble(parts: list[pd.DataFrame], *, start=None, end=None, entity=(), entities=None,
             keep_duplicates: bool = False, pair: bool = True) -> Result:
    """Stack event frames (in input order), mark two-ended calls, filter, order by time.

    ``start``/``end``: UTC Timestamps (inclusive; a day-precision event counts when its day
    overlaps the period). ``entity``: identifiers or entity ids (with ``entities`` from
    :func:`read_entities`). Unreadable times are kept, at the end."""
    frames = [p for p in parts if len(p)]
    ev = pd.concat(frames, ignore_index=True) if frames else _empty()
    if "_direction" not in ev:
        ev["_direction"] = ""
        ev["_duration"] = np.nan
    ev["_direction"] = ev["_direction"].astype("str").fillna("")
    for c in EVENT_COLUMNS:
        ev[c] = ev[c].astype("str").fillna("")
    stats = {"events_in": int(len(ev))}
    marked = int((ev["duplicate_of"] != "").sum())
    found = 0
    if pair and len(ev):
        extra = pair_calls(ev)
        found = int((extra != "").sum())
        ev["duplicate_of"] = ev["duplicate_of"].where(extra == "", extra)
    dup = (ev["duplicate_of"] != "").to_numpy()
    stats.update(duplicates_marked=marked, duplicates_found=found, duplicates=int(dup.sum()))
    keep = np.ones(len(ev), dtype=bool) if keep_duplicates else ~dup

    ns = ev["_ns"].to_numpy()
    readable = ns != NAT
    if start is not None or end is not None:
        prec = ev["precision"].to_numpy()
        span = np.where(prec == "day", 86_400 * 10**9 - 1, np.where(prec == "minute",
                                                                     60 * 10**9 - 1, 0))
        inside = readable.copy()
        if start is not None:
            inside &= (ns + span) >= pd.Timestamp(start).value
        if end is not None:
            inside &= ns <= pd.Timestamp(end).value
        # an unreadable time cannot be put outside the period: kept, at the end
        keep &= inside | ~readable

    labels = {}
    if entity:
        wanted, labels_ = _entity_keys(entity, entities)
        labels.update(labels_)
        sk = _keys(ev["subject"])
        ck = _counterpart_keys(ev["counterpart"])
        hit = sk.isin(wanted).to_numpy() | ck.map(lambda ks: bool(set(ks) & wanted)).to_numpy(
            dtype=bool)
        keep &= hit
    if entities:
        for eid, e in entities.items():
            for k in _keys(pd.Series(e["ids"], dtype="str")):
                if k and e["name"]:
                    labels.setdefault(k, e["name"])
    stats["unreadable"] = int((~readable & keep).sum())
    ev = ev[keep]
    order = np.argsort(np.where(ev["_ns"].to_numpy() == NAT, np.iinfo(np.int64).max,
                                ev["_ns"].to_numpy()), kind="stable")
    ev = ev.iloc[order].reset_index(drop=True)
    stats["events"] = int(len(ev))
    utc = pd.Series(pd.DatetimeIndex(ev["_ns"].to_numpy().view("datetime64[ns]")).tz_localize("UTC"))
    out = pd.DataFrame({"time_utc": timemodel.iso_utc(utc), "time_local": timemodel.iso_local(utc)})
    for c in EVENT_COLUMNS[2:]:
        out[c] = ev[c].to_numpy()
        out[c] = out[c].astype("str")
    if labels:
        out["subject_name"] = _keys(out["subject"]).map(labels).fillna("").astype("str")
        out["counterpart_name"] = _counterpart_keys(out["counterpart"]).map(
            lambda ks: "; ".join(dict.fromkeys(labels[k] for k in ks if k in labels))).astype("str")
    out["_source"] = ev["_source"].astype("str").to_numpy()
    out["_row"] = ev["_row"].to_numpy()
    return Result(out, stats)


def _counterpart_keys(values: pd.Series) -> pd.Series:
    """Keys of a counterpart cell, which may list several recipients (``a; b``)."""
    s = values.astype("str").fillna("")
    codes, uniques = pd.factorize(s, sort=False)
    parts = [[p.strip() for p in u.split(";") if p.strip()] for u in uniques]
    flat = pd.Series([p for ps in parts for p in ps], dtype="str")
    keys = iter(_keys(flat).tolist())
    per = [tuple(next(keys) for _ in ps) for ps in parts] + [()]
    return pd.Series([per[c] for c in codes], index=values.index, dtype=object)


def _entity_keys(entity, entities):
    wanted, labels = set(), {}
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
    return wanted, labels


def _empty() -> pd.DataFrame:
    ev = pd.DataFrame({c: pd.Series([], dtype="str") for c in EVENT_COLUMNS})
    ev["_ns"] = np.array([], dtype=np.int64)
    ev["_source"] = pd.Series([], dtype="str")
    ev["_row"] = pd.array([], dtype="Int64")
    return ev
