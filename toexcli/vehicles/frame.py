"""DataFrame functions: each distinct value is parsed once, then mapped back onto every row."""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from ..errors import require_columns
from ..frames import insert_after
from .vrm import Vrm, parse_vrm

OUTPUT_FIELDS = ("vrm", "format", "valid", "period", "status")


def normalise_values(values, today: _dt.date | None = None) -> pd.DataFrame:
    """One row per value (same index as ``values``): vrm, format, valid, period, status.

    ``values`` is a Series or any sequence; empty and missing values get status 'empty'. ``vrm``,
    ``format`` and ``period`` are missing (NA) when there is nothing to say. ``today``
    fixes the date used to decide whether a current-format age identifier has been issued yet.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    parsed = [parse_vrm(u, today) for u in uniques]
    parsed.append(Vrm("", "", False, "", "empty"))  # code -1 (missing) picks this last entry
    take = np.where(codes < 0, len(parsed) - 1, codes)

    def column(field, missing_if_blank=True):
        arr = np.empty(len(parsed), dtype=object)
        arr[:] = [(getattr(p, field) or None) if missing_if_blank else getattr(p, field)
                  for p in parsed]
        return pd.array(arr[take], dtype="str")  # '' becomes missing: never a join key

    out = pd.DataFrame(
        {
            "vrm": column("vrm"),
            "format": column("format"),
            "valid": np.fromiter((p.valid for p in parsed), dtype=bool, count=len(parsed))[take],
            "period": column("period"),
            "status": column("status", missing_if_blank=False),
        },
        index=s.index,
    )
    return out


def normalise(df: pd.DataFrame, columns, source: str = "input",
              today: _dt.date | None = None) -> pd.DataFrame:
    """Return a copy of ``df`` with COL_vrm, COL_format, COL_valid, COL_period and COL_status
    inserted immediately after each column in ``columns``. No row is dropped or changed; an
    existing column of one of those names is a UsageError (never overwritten)."""
    if isinstance(columns, str):
        columns = [columns]
    require_columns(df.columns, list(columns), source)
    additions = {}
    for col in dict.fromkeys(columns):
        result = normalise_values(df[col], today=today)
        additions[col] = {f"{col}_{field}": result[field] for field in OUTPUT_FIELDS}
    return insert_after(df, additions, source)
