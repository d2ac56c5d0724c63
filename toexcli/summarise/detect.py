"""Which kind of table is this, and which columns hold what.

``detect_kind`` looks only at column names: a table from ``toex bank parse`` has its fixed
columns; call records have two party columns (or a target and a party) and a time. Column names
are compared loosely (case, spaces, ``_``/``-``/``.`` ignored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import UsageError, require_columns

BANK_COLUMNS = ("account", "date", "amount", "category", "counterparty")

FROM_NAMES = ("a number", "a party", "a party number", "anumber", "calling number", "calling party",
              "caller", "caller number", "from", "from number", "originating number", "originator",
              "source number", "sender", "msisdn a", "a msisdn", "calling")
TO_NAMES = ("b number", "b party", "b party number", "bnumber", "called number", "called party",
            "callee", "to", "to number", "destination", "destination number", "dialled number",
            "dialed number", "recipient", "terminating number", "msisdn b", "b msisdn", "called")
TARGET_NAMES = ("target number", "target", "target msisdn", "subject number", "target phone",
                "intercepted number", "subscriber number", "handset number", "handset", "msisdn")
TIME_NAMES = ("start date/time", "start date time", "start datetime", "start time", "datetime",
              "date/time", "date time", "timestamp", "call start", "event time", "event date/time",
              "call date/time", "call datetime", "date and time", "start")
DATE_NAMES = ("date", "call date", "event date", "start date")
CLOCK_NAMES = ("time", "call time", "event time", "start time")
TYPE_NAMES = ("event type", "call type", "type", "record type", "service", "service type",
              "event", "communication type")
DURATION_NAMES = ("duration", "call duration", "duration (s)", "duration s", "duration seconds",
                  "duration (secs)", "seconds", "length", "call length")


def loose(name: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", str(name).strip().lower()).strip()


def _find(columns, names, exclude=()) -> str | None:
    by_loose = {}
    for c in columns:
        if c in exclude or c.startswith("_"):
            continue
        by_loose.setdefault(loose(c), c)
    for n in names:
        if loose(n) in by_loose:
            return by_loose[loose(n)]
    return None


@dataclass
class CallColumns:
    """Where each part of a call record is. ``time`` may be one column or, with ``clock``, a date
    column plus a time-of-day column."""

    from_: str | None
    to: str | None
    time: str | None
    clock: str | None = None
    target: str | None = None
    type: str | None = None
    duration: str | None = None
    contact: str | None = None     # the standard call table's other_party (set by toex calls parse)
    duplicate: str | None = None   # its duplicate_of: the other end of a call already counted

    def used(self) -> list[str]:
        return [c for c in (self.from_, self.to, self.time, self.clock, self.target, self.type,
                            self.duration, self.contact, self.duplicate) if c]

    def describe(self) -> str:
        parts = [f"from={self.from_}", f"to={self.to}"]
        parts.append(f"time={self.time}" + (f"+{self.clock}" if self.clock else ""))
        for label, v in (("target", self.target), ("type", self.type), ("duration", self.duration)):
            if v:
                parts.append(f"{label}={v}")
        return ", ".join(parts)


def detect_call_columns(columns, from_=None, to=None, time=None, target=None, type=None,
                        duration=None, source: str = "input", strict: bool = True) -> CallColumns | None:
    """Columns given by the user win; the rest are found by their common names.

    ``time`` may name two columns as ``"Date,Time"``. With ``strict`` a missing part is a
    UsageError; otherwise None is returned (used by ``--kind auto``).
    """
    columns = list(columns)
    if not any((from_, to, time, target, type, duration)):
        from ..schema import kind_of

        if kind_of(columns) == "calls":  # the call table of toex calls parse: columns by name
            return CallColumns("a_party", "b_party", "start_utc", None, "handset", "event",
                               "duration_s" if "duration_s" in columns else None, "other_party",
                               "duplicate_of" if "duplicate_of" in columns else None)
    given = [c for c in (from_, to, target, type, duration) if c]
    clock = None
    if time and "," in time and time not in columns:
        time, clock = (p.strip() for p in time.split(",", 1))
        given += [time, clock]
    elif time:
        given.append(time)
    require_columns(columns, given, source)
    target = target or _find(columns, TARGET_NAMES)
    from_ = from_ or _find(columns, FROM_NAMES, exclude={target})
    to = to or _find(columns, TO_NAMES, exclude={target, from_})
    if not time:
        time = _find(columns, TIME_NAMES)
        if time is None or loose(time) in map(loose, CLOCK_NAMES):
            date = _find(columns, DATE_NAMES)
            hhmm = _find(columns, CLOCK_NAMES, exclude={date})
            if date:
                time, clock = date, hhmm
    type = type or _find(columns, TYPE_NAMES, exclude={from_, to, target, time, clock})
    duration = duration or _find(columns, DURATION_NAMES, exclude={from_, to, target, time, clock})
    cols = CallColumns(from_, to, time, clock, target, type, duration)
    parties = [p for p in (from_, to) if p]
    if not time or len(parties) < 2 and not (target and parties):
        if not strict:
            return None
        missing = "a time column (--time)" if not time else "two party columns (--from and --to)"
        raise UsageError(f"{source}: cannot find {missing} among the columns "
                         f"{', '.join(c for c in columns if not c.startswith('_'))}; "
                         "name them with --from COL --to COL --time COL")
    return cols


def detect_kind(columns) -> tuple[str, str]:
    """('bank'|'calls'|'table', why) from the column names alone."""
    columns = list(columns)
    from ..schema import kind_of

    if kind_of(columns) == "messages":
        return "messages", ("the message table of toex messages parse (platform, sender, text, "
                            "sent_local)")
    if kind_of(columns) == "calls":
        return "calls", ("the call table of toex calls parse (handset, a_party, b_party, other_party, "
                         "start_utc, event); two-ended calls (duplicate_of) counted once")
    low = {c.lower() for c in columns}
    if all(c in low for c in BANK_COLUMNS):
        return "bank", "columns " + ", ".join(BANK_COLUMNS) + " (the output of toex bank parse)"
    cols = detect_call_columns(columns, strict=False)
    if cols is not None:
        return "calls", "call-record columns " + cols.describe()
    return "table", "neither call-record nor bank-statement columns"


def bank_columns(columns, source: str = "input") -> None:
    require_columns(columns, ["account", "date", "amount"], source)


KINDS = ("auto", "table", "calls", "bank", "messages")


def check_kind(kind: str) -> str:
    k = (kind or "auto").lower()
    if k not in KINDS:
        raise UsageError(f"--kind must be one of {', '.join(KINDS)}, not '{kind}'")
    return k
