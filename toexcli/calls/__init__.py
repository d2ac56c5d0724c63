"""Call records from any network return or phone download into one call table.

>>> from toexcli import calls                                              # doctest: +SKIP
>>> df = calls.parse(["p.csv", "q.xlsx"], tz="Europe/London")             # doctest: +SKIP
>>> df, reports = calls.parse_with_report(["p.csv"], handset="07700900648")  # doctest: +SKIP

Each return is recognised by its header words and values (``roles.toml``), times go through
:mod:`toexcli.timemodel`, numbers through :mod:`toexcli.phones`, and the columns are
``toexcli.schema.CALLS`` (``start_utc`` is a UTC timestamp in the DataFrame). A call held by
both ends' returns is paired (:mod:`toexcli.calls.pairing`): the later file's row gets
``duplicate_of``; nothing is dropped.
"""

from __future__ import annotations

import os

__all__ = ["parse", "parse_with_report", "known_layouts"]


def parse(paths_or_frames, *, tz: str = "Europe/London", handset=None, mapping: dict | None = None,
          encoding: str | None = None, sheet: str | None = None, names=None, region: str = "GB"):
    """Parse returns (paths, or DataFrames of text read elsewhere) into one call table."""
    return parse_with_report(paths_or_frames, tz=tz, handset=handset, mapping=mapping,
                             encoding=encoding, sheet=sheet, names=names, region=region)[0]


def parse_with_report(paths_or_frames, *, tz: str = "Europe/London", handset=None,
                      mapping: dict | None = None, encoding: str | None = None,
                      sheet: str | None = None, names=None, region: str = "GB"):
    """-> (DataFrame, [per-file report dict]). ``handset`` is one number for every return that
    does not name its own, or ``{file name: number}``."""
    import numpy as np
    import pandas as pd

    from ..errors import UsageError
    from ..schema import CALLS, conform
    from . import build as B
    from . import read as R
    from .pairing import pair

    if zone_ok(tz) is False:
        raise UsageError(f"--tz: unknown time zone '{tz}' (use an IANA name such as Europe/London)")
    items = paths_or_frames
    if isinstance(items, (str, os.PathLike, pd.DataFrame)):
        items = [items]
    numbers = B.Numbers(region)
    frames, reports = [], []
    for k, item in enumerate(items):
        name = names[k] if names else (os.fspath(item) if not isinstance(item, pd.DataFrame)
                                       else f"frame{k + 1}")
        if isinstance(item, pd.DataFrame):
            raw = R.read_frame(item, name)
        else:
            raw = R.read_any(os.fspath(item), name, encoding=encoding, sheet=sheet, user=mapping)
        hs = handset.get(name, handset.get(os.path.basename(name))) if isinstance(handset, dict) else handset
        df, rep = B.build(raw, tz=tz, handset=hs, user=mapping, numbers=numbers, file_index=k)
        frames.append(df)
        reports.append(rep)
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for c in ("forwarded_to", "location", "lat", "lon", "easting", "northing", "status"):
        if c in df.columns:
            df[c] = df[c].fillna("")
    file_index = np.concatenate([np.full(len(f), k, dtype=np.int64) for k, f in enumerate(frames)])
    if len(frames) > 1:
        dup, pairs = pair(df, file_index)
        df["duplicate_of"] = dup
        for k, rep in enumerate(reports):
            rep["duplicates"] = int(((dup != "") & (file_index == k)).sum())
            rep["paired_with_later_files"] = int(sum(1 for i, _j, _g in pairs if file_index[i] == k))
    df = df.assign(start_local=_local(df["start_utc"]))
    out = conform(df, CALLS)
    return out, reports


def _local(utc):
    from ..timemodel import iso_local

    return iso_local(utc)


def zone_ok(tz: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


def known_layouts() -> list[dict]:
    """The recognised layouts and roles (for ``toex calls layouts``)."""
    from .layouts import layouts

    return layouts()
