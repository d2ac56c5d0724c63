"""``summarise --from/--to`` as a period: only the rows whose time falls in it are summarised.

``--from``/``--to`` already name the calling/called party columns of a raw call record; a value
that is a column of the input keeps that meaning, and any other value that reads as a date or
date-time (Europe/London unless it states a zone) is the period. Times are read by the one time
model; a date-only row (a statement's posting date) counts when its day overlaps the period.
Rows outside the period and rows whose time cannot be read are left out of the summary and
counted on stderr (the summary is of the period, so they cannot be in it).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Period:
    start: object = None   # UTC pd.Timestamp or None
    end: object = None
    text: str = ""
    stats: dict = field(default_factory=lambda: {"kept": 0, "outside": 0, "unreadable": 0})

    def __bool__(self) -> bool:
        return self.start is not None or self.end is not None


def split_options(from_value, to_value, columns, tz: str = "Europe/London"):
    """(from column, to column, Period): a value naming a column stays a column; a date is the
    period's first or last day (inclusive)."""
    from .. import timemodel

    cols = {c.lower() for c in columns}
    period = Period()

    def as_date(value, end):
        if value is None or value in columns or value.lower() in cols or "," in value:
            return None
        try:
            return timemodel.bound(value, tz=tz, end=end)
        except ValueError:
            return None

    lo, hi = as_date(from_value, False), as_date(to_value, True)
    if lo is not None:
        period.start, from_value = lo, None
    if hi is not None:
        period.end, to_value = hi, None
    if period:
        if period.start is not None and period.end is not None and period.start > period.end:
            from ..errors import UsageError

            raise UsageError("--from is after --to")
        period.text = " ".join(p for p in (
            f"from {lo.tz_convert(tz).isoformat()}" if lo is not None else "",
            f"to {hi.tz_convert(tz).isoformat()}" if hi is not None else "") if p)
    return from_value, to_value, period


def time_columns(kind: str, columns, call_columns: dict | None) -> tuple[str, str | None]:
    """The column (and time-of-day column) that dates a row of this kind of table."""
    from ..errors import UsageError
    from ..schema import kind_of

    columns = list(columns)
    low = {c.lower(): c for c in columns}
    if kind == "calls":
        from .detect import detect_call_columns

        cols = detect_call_columns(columns, **{k: v for k, v in (call_columns or {}).items()})
        return cols.time, cols.clock
    if kind == "bank":
        return low["date"], None
    if kind_of(columns) == "messages":
        return ("sent_utc" if "sent_utc" in columns else "sent_local"), None
    raise UsageError("--from/--to as a period needs call records, bank transactions or a message "
                     "table (toex messages parse); this table is none of them")


class PeriodTable:
    """A TableInput whose batches keep only the rows in ``period``."""

    def __init__(self, table, period: Period, column: str, clock: str | None = None,
                 fallback: str | None = None):
        self.table, self.period, self.column, self.clock = table, period, column, clock
        self.fallback = fallback

    def __getattr__(self, name):
        return getattr(self.table, name)

    def batches(self):
        import numpy as np
        import pandas as pd
        import pyarrow as pa

        from .. import timemodel

        st = self.period.stats
        for batch in self.table.batches():
            names = batch.schema.names

            def text(c):
                return batch.column(names.index(c)).to_pandas().astype("str").fillna("")

            when = text(self.column)
            if self.clock:
                when = timemodel.combine(when, text(self.clock))
            if self.fallback and self.fallback in names:
                when = when.where(when.str.strip() != "", text(self.fallback))
            t = timemodel.parse(when)
            ns = t["utc"].to_numpy(dtype="datetime64[ns]").view(np.int64)
            ok = ns != np.iinfo(np.int64).min
            prec = t["precision"].to_numpy()
            span = np.where(prec == "day", 86_400 * 10**9 - 1,
                            np.where(prec == "minute", 60 * 10**9 - 1, 0))
            keep = ok.copy()
            if self.period.start is not None:
                keep &= ns + span >= pd.Timestamp(self.period.start).value
            if self.period.end is not None:
                keep &= ns <= pd.Timestamp(self.period.end).value
            st["kept"] += int(keep.sum())
            st["unreadable"] += int((~ok).sum())
            st["outside"] += int((ok & ~keep).sum())
            yield batch.filter(pa.array(keep))

    def frames(self):
        from ..io.table import to_frame

        for b in self.batches():
            yield to_frame(b)


def restrict(table, kind: str, period: Period, call_columns: dict | None):
    column, clock = time_columns(kind, table.columns, call_columns)
    fallback = {"sent_utc": "sent_local", "start_utc": "start_local"}.get(column)
    return PeriodTable(table, period, column, clock, fallback)
