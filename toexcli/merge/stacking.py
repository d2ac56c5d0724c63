"""Collate: stack tables from many sources into one, columns aligned by name.

Names are compared case-, spacing- and punctuation-insensitively (``Phone Number`` =
``phone_number``); the first spelling seen is kept. ``_source``/``_row`` stay on every row.
"""

from __future__ import annotations

import pandas as pd

from ..errors import UsageError
from .keys import canonical_column_name

PROVENANCE = ("_source", "_row")


def stacked_columns(aligned) -> tuple[list, list]:
    """(data columns in first-seen order, provenance columns present) of aligned frames: the
    stacked table's columns are the first then the second."""
    # a dict keeps the first-seen order: a list's 'in' made 100,000 columns quadratic (issue 23)
    order = list(dict.fromkeys(c for df in aligned for c in df.columns if c not in PROVENANCE))
    return order, [p for p in PROVENANCE if any(p in df.columns for df in aligned)]


def align_frames(frames, rename: dict[str, str] | None = None) -> list[pd.DataFrame]:
    """Rename each frame's columns to one shared spelling per canonical name.

    ``rename`` maps old -> new names (old matched case/spacing-insensitively) and is applied first.
    """
    rename = {canonical_column_name(k): v for k, v in (rename or {}).items()}
    spelling: dict[str, str] = {}
    out = []
    for df in frames:
        mapping = {}
        seen_here: dict[str, str] = {}
        for col in df.columns:
            if col in PROVENANCE:
                continue
            canon = canonical_column_name(col)
            target = rename.get(canon, col)
            canon_t = canonical_column_name(target)
            name = spelling.setdefault(canon_t, target)
            if canon_t in seen_here:
                raise UsageError(
                    f"columns '{seen_here[canon_t]}' and '{col}' of the same file would both become "
                    f"'{name}'; rename one with --rename OLD=NEW")
            seen_here[canon_t] = col
            if name != col:
                mapping[col] = name
        out.append(df.rename(columns=mapping) if mapping else df)
    return out


def stack(frames, rename: dict[str, str] | None = None, dedupe=None, text_columns=None) -> pd.DataFrame:
    """Stack DataFrames (each with ``_source``/``_row`` if they came from files) into one.

    Columns are aligned by name (see ``align_frames``); a column missing from a frame is empty
    there; every cell stays as it was. ``dedupe``: columns whose identical values mark duplicate
    rows; the first row of each key is kept and gets ``_seen_in`` (every ``source:row`` that had
    the key) and ``_seen_count``. Rows whose key columns are all blank are never merged.
    ``text_columns``: the columns to make text (default: those typed differently in different
    frames).
    """
    frames = [f for f in frames]
    if not frames:
        raise UsageError("nothing to stack: give at least one input")
    aligned = align_frames(frames, rename)
    order, prov = stacked_columns(aligned)
    # A column typed differently in different sources (a Parquet double, a CSV's text) becomes
    # text the way toex convert makes it (Arrow's cast: 7700900123, never 7700900123.0).
    dtypes: dict[str, set] = {}
    for df in aligned:
        for c, dt in zip(df.columns, df.dtypes):  # df[c] per column: seconds on 100,000 columns
            dtypes.setdefault(c, set()).add(str(dt))
    mixed = {c for c, kinds in dtypes.items() if len(kinds) > 1} if text_columns is None else set(text_columns)
    parts = []
    for df in aligned:
        text = [c for c in df.columns if c in mixed]
        if text:
            df = df.assign(**{c: _as_text(df[c]) for c in text})
        missing = [c for c in order if c not in df.columns]
        if missing:
            df = df.assign(**{c: pd.Series(pd.NA, index=df.index, dtype="str") for c in missing})
        parts.append(df[[c for c in order + prov if c in df.columns]])
    result = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    result = result[order + prov]
    if dedupe:
        result = dedupe_rows(result, dedupe)
    return result


def _as_text(s: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        return s
    import pyarrow as pa

    from ..io.writers import float_text

    arr = pa.array(s, from_pandas=True)
    text = float_text(arr) if pa.types.is_floating(arr.type) else arr.cast(pa.string())
    return pd.Series(text.to_pylist(), index=s.index, dtype="str")


def dedupe_rows(df: pd.DataFrame, columns) -> pd.DataFrame:
    """Keep the first row of each identical key (``columns``), recording where it was seen."""
    from .keys import find_column

    cols = [find_column(df.columns, c, "stacked input") for c in columns]
    for c in ("_seen_in", "_seen_count"):
        if c in df.columns:
            raise UsageError(f"the input already has a column '{c}' (deduplicated before?); "
                             f"rename it first with --rename {c}=earlier{c}")
    key = df[cols].astype("str")
    blank = key.apply(lambda s: s.isna() | (s.str.strip() == "")).all(axis=1).to_numpy()
    stripped = key.apply(lambda s: s.str.strip())
    group = stripped.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
    # blank keys: each row its own group
    import numpy as np

    group = np.where(blank, -1 - np.arange(len(df)), group)
    where = (df["_source"].astype("str") + ":" + df["_row"].astype("str")) if "_source" in df.columns \
        else pd.Series([f"row {i + 1}" for i in range(len(df))], dtype="str")
    g = pd.Series(group, index=df.index)
    seen = where.groupby(g, sort=False).agg("; ".join)
    count = g.map(g.value_counts())
    first = ~g.duplicated()
    out = df.loc[first.to_numpy()].copy()
    out.insert(len([c for c in out.columns if c not in PROVENANCE]), "_seen_in",
               g[first].map(seen).astype("str").to_numpy())
    out.insert(out.columns.get_loc("_seen_in") + 1, "_seen_count", count[first].astype("int64").to_numpy())
    return out.reset_index(drop=True)


def read_opened(paths, **read_opts) -> list:
    """Open each input (a TableInput per path; stdin when there is none) without reading it."""
    from ..io import TableInput

    paths = list(paths or [None])  # None: stdin, or a clear error when it is a terminal
    if paths.count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    from ..io.options import per_input

    # global options only where they fit
    return [TableInput([p] if p is not None else None, **opts)
            for p, opts in zip(paths, per_input(paths, **read_opts))]


def read_stacked(paths, rename=None, dedupe=None, **read_opts) -> tuple[pd.DataFrame, list]:
    """Read each input (every column as text, with provenance) and stack them. Returns the table
    and the list of TableInput objects (for the processing history)."""
    from ..io import TableInput

    paths = list(paths or [None])  # None: stdin, or a clear error when it is a terminal
    if paths.count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    from ..io.options import per_input

    tables, frames = [], []
    for p, opts in zip(paths, per_input(paths, **read_opts)):  # global options only where they fit
        t = TableInput([p] if p is not None else None, **opts)
        tables.append(t)
        frames.append(t.read())
    return stack(frames, rename=rename, dedupe=dedupe), tables
