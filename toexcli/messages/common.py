"""What every message reader shares: the output columns, invisible-mark removal, the per-file
report, and turning a reader's raw columns (with its times) into the standard table.

A reader returns a :class:`Chunk`: plain column lists (or Arrow arrays for WhatsApp) plus the
times in the shape the file has them -- wall clocks as text, or epoch numbers -- and the
finishing step here converts them all through :mod:`toexcli.timemodel`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..schema import MESSAGES

FIELDS = [c for c in MESSAGES.names if c not in ("sent_local", "sent_utc", "tz_status")]

# U+200E/U+200F direction marks, U+FEFF (BOM, also mid-line), U+202A-U+202E embeddings and
# U+2066-U+2069 isolates: invisible, written by WhatsApp and phones around names and markers.
INVISIBLE = "\u200e\u200f\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_TABLE = {ord(c): None for c in INVISIBLE}


def clean(text) -> str:
    """Remove the invisible direction marks and BOMs; change nothing else."""
    if text is None:
        return ""
    return str(text).translate(_TABLE)


@dataclass
class Report:
    """What happened to one input file (printed on stderr, returned to library users)."""

    file: str
    format: str = ""
    messages: int = 0
    chats: int = 0
    first: str = ""
    last: str = ""
    notes: list = field(default_factory=list)
    broken: str = ""  # why the file stops early (truncated/malformed): empty when whole

    def as_dict(self) -> dict:
        return {"file": self.file, "format": self.format, "messages": self.messages,
                "chats": self.chats, "first": self.first, "last": self.last,
                "notes": list(self.notes), "broken": self.broken}


@dataclass
class Chunk:
    """One reader's output before times are converted.

    ``cols`` maps the standard columns (see FIELDS) to equal-length lists or Arrow arrays;
    ``_row`` is required. Times: ``local`` (wall-clock text as the file writes it, or naive
    datetime64 in ``wall``), and/or ``epoch`` numbers with ``unit`` and ``epoch_kind``.
    ``local_is_iso``: ``local`` is already ISO text (Telegram) and is kept exactly.
    """

    cols: dict
    local: list | None = None
    wall: object = None
    wall_precision: object = None
    wall_problem: object = None
    epoch: list | None = None
    unit: str = "s"
    epoch_kind: str = "unix"
    local_is_iso: bool = False
    dayfirst: bool | None = True
    zoned: bool = False      # ``local`` values may state their zone (forensic reports)
    declared: object = None  # a zone the header names (timedelta)


def rows(n: int, **given):
    """Column lists for ``n`` rows: every standard field present, empty text where not given."""
    out = {f: given.get(f, [""] * n) for f in FIELDS}
    out["_row"] = given["_row"]
    return out


class Builder:
    """Collect records one at a time (the small formats)."""

    def __init__(self):
        self.cols = {f: [] for f in FIELDS}
        self.cols["_row"] = []
        self.local: list = []
        self.epoch: list = []

    def add(self, row: int, *, local: str = "", epoch="", **values):
        for f in FIELDS:
            v = values.get(f, "")
            self.cols[f].append("" if v is None else str(v))
        self.cols["_row"].append(row)
        self.local.append(local or "")
        self.epoch.append("" if epoch is None else str(epoch))

    def __len__(self):
        return len(self.cols["_row"])


def finish(chunk: Chunk, source: str, tz: str | None):
    """The standard message table for one reader's chunk: times converted, columns in the
    standard order, ``problem`` (why a time could not be read) and ``_source``/``_row`` last."""
    import numpy as np
    import pandas as pd

    from .. import timemodel as tm
    from ..schema import conform

    n = len(chunk.cols["_row"])
    idx = pd.RangeIndex(n)
    utc = pd.Series(pd.DatetimeIndex(np.full(n, np.datetime64("NaT"), "datetime64[ns]")).tz_localize("UTC"), index=idx)
    status = np.full(n, "", dtype=object)
    problem = np.full(n, "", dtype=object)
    has_epoch = np.zeros(n, dtype=bool)
    if chunk.epoch is not None and n:
        ep = pd.Series(chunk.epoch, dtype="str").fillna("")
        has_epoch = (ep != "").to_numpy()
        if has_epoch.any():
            f = tm.from_epoch(ep, unit=chunk.unit, epoch=chunk.epoch_kind)
            utc = utc.where(~has_epoch, f["utc"])
            status = np.where(has_epoch, f["tz_status"].to_numpy(dtype=object), status)
            problem = np.where(has_epoch, f["problem"].to_numpy(dtype=object), problem)
    sent_local = pd.Series([""] * n, index=idx, dtype="str")
    wall = None
    if chunk.wall is not None:
        wall = pd.Series(chunk.wall, index=idx)
        sent_local = tm.iso_wall(wall)
        sent_local.index = idx
        if chunk.wall_problem is not None:
            wp = np.asarray(chunk.wall_problem, dtype=object)
            bad = wp != ""
            problem = np.where(bad & (problem == ""), wp, problem)
            status = np.where(bad & ~has_epoch, tm.UNREADABLE, status)
    elif chunk.local is not None and n:
        text = pd.Series(chunk.local, index=idx, dtype="str").fillna("")
        given = (text != "").to_numpy()
        if given.any():
            w = tm.walls(text, dayfirst=chunk.dayfirst)
            w.index = idx
            wall = w["wall"].where(given)
            if chunk.local_is_iso:
                sent_local = text
            else:
                sent_local = tm.iso_wall(wall)
                sent_local.index = idx
            bad = (w["problem"] != "").to_numpy() & given
            problem = np.where(bad & (problem == ""), w["problem"].to_numpy(dtype=object), problem)
            status = np.where(bad & ~has_epoch, tm.UNREADABLE, status)
            if chunk.zoned:  # a zone in the value or the header: exact instants
                p = tm.parse(text, tz=tz or tm.DEFAULT_TZ, dayfirst=chunk.dayfirst,
                             declared=chunk.declared)
                p.index = idx
                dec = (p["tz_status"] == tm.DECLARED).to_numpy() & ~has_epoch
                if dec.any():
                    utc = utc.where(~dec, p["utc"])
                    status = np.where(dec, tm.DECLARED, status)
                    has_epoch = has_epoch | dec
    if wall is not None and tz:
        todo = (~has_epoch) & wall.notna().to_numpy()
        if todo.any():
            loc = tm.localise(wall[todo].reset_index(drop=True), tz)
            where = np.flatnonzero(todo)
            utc.iloc[where] = loc["utc"].to_numpy()
            status[where] = loc["tz_status"].to_numpy(dtype=object)
            lp = loc["problem"].to_numpy(dtype=object)
            problem[where] = np.where(lp != "", lp, problem[where])
    # an instant with no wall clock in the file: show it in the analyst's zone, with offset
    need_local = (sent_local == "").to_numpy() & utc.notna().to_numpy()
    if need_local.any():
        sent_local = sent_local.copy()
        sent_local[need_local] = tm.iso_local(utc[need_local], tz or tm.DEFAULT_TZ).to_numpy()
    data = {}
    for f in FIELDS:
        col = chunk.cols[f]
        data[f] = col.to_pandas().astype("str") if hasattr(col, "to_pandas") else pd.Series(col, dtype="str")
        data[f].index = idx
    data["sent_local"] = sent_local
    data["sent_utc"] = tm.iso_utc(utc)
    data["sent_utc"].index = idx
    data["tz_status"] = _str_series(status, idx)
    data["problem"] = _str_series(problem, idx)
    data["_source"] = _str_series(np.array([source] * min(n, 1) + [], dtype=object), idx) if n < 2 \
        else _const_series(source, idx)
    rows_ = chunk.cols["_row"]
    data["_row"] = pd.Series(rows_.to_numpy(zero_copy_only=False) if hasattr(rows_, "to_numpy") else rows_,
                             index=idx, dtype="int64")
    frame = pd.DataFrame(data, index=idx)
    return conform(frame, MESSAGES)


def _const_series(value: str, idx):
    import numpy as np
    import pyarrow as pa

    arr = pa.array([value], pa.large_string()).take(pa.array(np.zeros(len(idx), np.int32)))
    out = arr.to_pandas().astype("str")
    out.index = idx
    return out


def _str_series(values, idx):
    """A text column from an object array; an all-empty one (the common case) is built by Arrow
    without a per-value conversion."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    values = np.asarray(values, dtype=object)
    if len(values) > 1000 and not (values != "").any():
        return _const_series("", idx)
    return pd.Series(values, index=idx, dtype="str")


def empty_table():
    import pandas as pd

    from ..schema import conform

    cols = {c: pd.Series([], dtype="str") for c in MESSAGES.names + ["problem", "_source"]}
    cols["_row"] = pd.Series([], dtype="int64")
    return conform(pd.DataFrame(cols), MESSAGES)
