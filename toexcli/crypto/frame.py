"""DataFrame functions: classify a column (each distinct value once), find addresses in a text
column (one row per hit, with provenance)."""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import require_columns
from ..frames import insert_after
from .address import classify
from .scan import HIT_KEYS, Finder

FIELDS = ("chain", "type", "valid", "normalised", "status", "confidence", "note")


def check_values(values, recover_case: bool = False, recover_budget: int = 1 << 22) -> pd.DataFrame:
    """Classify every value (a Series or any iterable); one result row per input value, same
    index. Columns: chain, type, valid, normalised, status, confidence, note. Each distinct value
    is classified once."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    results = [classify(u, recover_case=recover_case, recover_budget=recover_budget) for u in uniques]
    empty = classify(None)
    results.append(empty)  # code -1 (missing) maps to the last entry
    codes = np.where(codes < 0, len(results) - 1, codes)
    out = {}
    for f in FIELDS:
        col = np.array([r[f] for r in results], dtype=object)[codes] if len(codes) else np.array([], dtype=object)
        if f == "valid":
            out[f] = pd.Series(col.astype(bool), index=series.index, dtype=bool)
        elif f == "confidence":
            out[f] = pd.Series(col.astype(float), index=series.index, dtype="float64")
        else:
            out[f] = pd.Series(col, index=series.index, dtype="str")
    return pd.DataFrame(out, index=series.index)


def check(df: pd.DataFrame, column: str, recover_case: bool = False, source: str = "input",
          recover_budget: int = 1 << 22) -> pd.DataFrame:
    """Return ``df`` with COL_chain, COL_type, COL_valid, COL_normalised, COL_status,
    COL_confidence and COL_note inserted immediately after ``column``. Nothing else changes."""
    require_columns(df.columns, [column], source)
    res = check_values(df[column], recover_case=recover_case, recover_budget=recover_budget)
    return insert_after(df, {column: {f"{column}_{f}": res[f] for f in FIELDS}}, source)


FIND_COLUMNS = ["_source", "_row", "column", "start", "end", "address", "chain", "type", "valid",
                "normalised", "status", "confidence", "note"]


def find(df: pd.DataFrame, column: str | Iterable[str], include_invalid: bool = False,
         keep: Iterable[str] = (), source: str = "input", finder: Finder | None = None) -> pd.DataFrame:
    """One row per address found in the text column(s): _source, _row, column (its name), any
    ``keep`` columns, start/end (character offsets in that cell), address (as written), chain,
    type, valid, normalised, status, confidence, note. Rows keep input order, hits in text order."""
    columns = [column] if isinstance(column, str) else list(dict.fromkeys(column))  # once each
    keep = [k for k in dict.fromkeys(keep) if k not in ("_source", "_row")]  # already there
    require_columns(df.columns, columns + keep, source)
    clash = [k for k in keep if k in FIND_COLUMNS]
    if clash:
        from ..errors import UsageError

        raise UsageError(f"-k {clash[0]}: the output has its own '{clash[0]}' column; rename that "
                         "input column first")
    finder = finder or Finder(include_invalid)
    frames = []
    src = df["_source"] if "_source" in df.columns else pd.Series([source] * len(df), index=df.index)
    rown = df["_row"] if "_row" in df.columns else pd.Series(np.arange(1, len(df) + 1), index=df.index)
    for col in columns:
        if len(df) == 0:
            continue
        # one scan over all cells of the batch joined by newlines (no address spans a newline)
        joined, lengths = _join_cells(df[col])
        offsets = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
        hits = list(finder.scan(joined))
        if not hits:
            continue
        starts = np.fromiter((h[0] for h in hits), dtype=np.int64, count=len(hits))
        which = np.searchsorted(offsets, starts, side="right") - 1
        cell_off = offsets[which]
        rows = which
        order = np.lexsort((starts, rows))
        out = {
            "_source": src.to_numpy(dtype=object)[rows][order],
            "_row": rown.to_numpy()[rows][order],
            "column": np.full(len(hits), col, dtype=object),
            "__pos": rows[order],
        }
        for k in keep:
            out[k] = df[k].to_numpy(dtype=object)[rows][order]
        out["start"] = (starts - cell_off)[order]
        out["end"] = (np.fromiter((h[1] for h in hits), dtype=np.int64, count=len(hits)) - cell_off)[order]
        for i, key in enumerate(HIT_KEYS[2:], start=2):
            out[key] = np.array([h[i] for h in hits], dtype=object)[order]
        frames.append(pd.DataFrame(out))
    cols = FIND_COLUMNS[:3] + keep + FIND_COLUMNS[3:]
    if not frames:
        result = pd.DataFrame({c: pd.Series([], dtype="str") for c in cols})
    else:
        result = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        if len(frames) > 1:
            result = result.sort_values(["__pos"], kind="stable", ignore_index=True)
    result = result[cols]
    return _types(result)


def _join_cells(texts: pd.Series) -> tuple[str, np.ndarray]:
    """All cells joined by newlines (missing -> empty) and each cell's length in characters;
    in Arrow (no Python string per cell) when the column is Arrow-backed text."""
    if isinstance(texts.dtype, pd.StringDtype):
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            arr = pa.array(texts.array)
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks()
            arr = pc.fill_null(arr, "")
            if pa.types.is_string(arr.type):
                arr = arr.cast(pa.large_string())
            lengths = pc.utf8_length(arr).to_numpy(zero_copy_only=False).astype(np.int64)
            lists = pa.LargeListArray.from_arrays(pa.array([0, len(arr)], pa.int64()), arr)
            joined = pc.binary_join(lists, pa.scalar("\n", pa.large_string()))[0].as_py()
            return joined, lengths
        except Exception:  # any Arrow surprise: the plain Python way below gives the same result
            pass
    values = ["" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else
              (v if isinstance(v, str) else str(v)) for v in texts.tolist()]
    lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))
    return "\n".join(values), lengths


def _types(df: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for c in df.columns:
        s = df[c]
        if c in ("start", "end", "_row"):  # also when empty: a hitless first batch fixes the schema
            out[c] = s.astype("int64")
        elif c == "valid":
            out[c] = s.astype(bool)
        elif c == "confidence":
            out[c] = s.astype("float64")
        else:
            out[c] = s.astype("str")
    return pd.DataFrame(out, index=df.index)
