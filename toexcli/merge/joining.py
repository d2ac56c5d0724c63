"""Enrich one table from another on a key normalised by kind (phone, email, vrm, name, exact).

Every left row is kept, in order; a left row matching several right rows gives one row per match,
flagged with ``match_count`` > 1 (never a silent pick). ``match_method`` and ``match_score`` say
why each pair matched.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import UsageError
from .keys import JOIN_KINDS, canonical_kind, find_column, identifier_keys, name_keys, name_score

PROVENANCE = ("_source", "_row")
ADDED = ("match_key", "match_method", "match_score", "match_count", "_source_right", "_row_right")
FUZZY_PAIR_LIMIT = 400_000_000  # distinct-name comparisons before we refuse (use exact/blocking)


def parse_on(on: str) -> tuple[str, str]:
    if "=" in on:
        left, right = on.split("=", 1)
        return left.strip(), right.strip()
    return on.strip(), on.strip()


def _keys(values: pd.Series, kind: str, region: str) -> pd.Series:
    if kind == "name":
        return name_keys(values)
    return identifier_keys(values, kind, region=region)


def join(left: pd.DataFrame, right: pd.DataFrame, on: str | tuple[str, str], kind: str = "exact",
         how: str = "left", threshold: float = 90, region: str = "GB", left_name: str = "left",
         right_name: str = "right") -> pd.DataFrame:
    """Join ``right`` onto ``left`` where the normalised keys agree (``on`` = 'LCOL=RCOL').

    Output: the left columns, then the right columns (a clashing name gets ``_right``), then
    ``match_key``, ``match_method``, ``match_score`` (0-100), ``match_count`` (how many right rows
    this left row matched), then ``_source``/``_row`` and the right's ``_source_right``/``_row_right``.
    ``how``: left (every left row), inner (matched only), outer (plus unmatched right rows).
    """
    kind = canonical_kind(kind, JOIN_KINDS)
    if how not in ("left", "inner", "outer"):
        raise UsageError(f"--how must be left, inner or outer, got '{how}'")
    if not 0 <= threshold <= 100:
        raise UsageError(f"--threshold must be between 0 and 100, got {threshold}")
    lcol, rcol = parse_on(on) if isinstance(on, str) else on
    lcol = find_column(left.columns, lcol, left_name)
    rcol = find_column(right.columns, rcol, right_name)
    for frame, name in ((left, left_name), (right, right_name)):
        clash = [c for c in ADDED if c in frame.columns]
        if clash:
            raise UsageError(f"{name}: already has a column '{clash[0]}' (the output of an earlier "
                             "join?), which the join adds; rename it first, e.g. toex merge stack "
                             f"FILE --rename {clash[0]}=earlier_{clash[0]}")
    left = left.reset_index(drop=True)
    right = right.reset_index(drop=True)
    lkey = _keys(left[lcol], kind, region)
    rkey = _keys(right[rcol], kind, region)

    # distinct keys on each side -> (left key, right key, score)
    lu = pd.unique(lkey.dropna())
    ru = pd.unique(rkey.dropna())
    exact = pd.DataFrame({"lk": pd.array(np.intersect1d(np.asarray(lu, dtype=object).astype(str),
                                                         np.asarray(ru, dtype=object).astype(str)), dtype="str")})
    exact["rk"] = exact["lk"]
    exact["score"] = 100.0
    exact["method"] = kind if kind != "name" else "name"
    pairs = [exact]
    if kind == "name" and threshold < 100 and len(lu) and len(ru):
        pairs.append(_fuzzy_name_pairs(np.asarray(lu, dtype=object), np.asarray(ru, dtype=object), threshold))
    keypairs = pd.concat(pairs, ignore_index=True).drop_duplicates(["lk", "rk"])

    lframe = pd.DataFrame({"_li": np.arange(len(left)), "lk": lkey.to_numpy(dtype=object)})
    rframe = pd.DataFrame({"_ri": np.arange(len(right)), "rk": rkey.to_numpy(dtype=object)})
    m = lframe.merge(keypairs, on="lk", how="inner").merge(rframe, on="rk", how="inner")
    m = m.sort_values(["_li", "score", "_ri"], ascending=[True, False, True], kind="stable")
    matched_l = m[["_li", "_ri", "lk", "method", "score"]]

    if how in ("left", "outer"):
        missing = np.setdiff1d(np.arange(len(left)), matched_l["_li"].to_numpy())
        nomatch = pd.DataFrame({"_li": missing, "_ri": -1, "lk": lkey.to_numpy(dtype=object)[missing]})
        nomatch["method"] = np.where(pd.isna(nomatch["lk"]), "no key", "none")
        nomatch["score"] = 0.0
        matched_l = pd.concat([matched_l, nomatch], ignore_index=True)
    matched_l = matched_l.sort_values(["_li"], kind="stable")
    if how == "outer":
        unmatched_r = np.setdiff1d(np.arange(len(right)), m["_ri"].to_numpy())
        extra = pd.DataFrame({"_li": -1, "_ri": unmatched_r, "lk": rkey.to_numpy(dtype=object)[unmatched_r]})
        extra["method"] = np.where(pd.isna(extra["lk"]), "no key", "right only")
        extra["score"] = 0.0
        matched_l = pd.concat([matched_l, extra], ignore_index=True)

    li = matched_l["_li"].to_numpy()
    ri = matched_l["_ri"].to_numpy()
    counts = np.bincount(li[(li >= 0) & (ri >= 0)], minlength=len(left))
    match_count = np.where((li >= 0) & (ri >= 0), counts[np.maximum(li, 0)], 0)

    lcols = [c for c in left.columns if c not in PROVENANCE]
    rcols = [c for c in right.columns if c not in PROVENANCE]
    lpart = _take(left[lcols], li)
    rpart = _take(right[rcols], ri)
    from .keys import canonical_column_name

    lcanon = {canonical_column_name(c) for c in lcols}
    rpart.columns = [c + "_right" if canonical_column_name(c) in lcanon else c for c in rcols]
    meta = pd.DataFrame({
        "match_key": pd.array(matched_l["lk"].to_numpy(dtype=object), dtype="str"),
        "match_method": pd.array(matched_l["method"].to_numpy(dtype=object), dtype="str"),
        "match_score": matched_l["score"].round(1).to_numpy(),
        "match_count": match_count.astype(np.int64),
    })
    parts = [lpart, rpart, meta]
    for p in PROVENANCE:
        if p in left.columns:
            parts.append(_take(left[[p]], li))
    for p in PROVENANCE:
        if p in right.columns:
            parts.append(_take(right[[p]], ri).rename(columns={p: p + "_right"}))
    return pd.concat([p.reset_index(drop=True) for p in parts], axis=1)


def _take(df: pd.DataFrame, idx: np.ndarray) -> pd.DataFrame:
    """Rows ``idx`` of ``df``; -1 gives an empty row (missing values, types kept where possible)."""
    if len(df.columns) == 0:
        return pd.DataFrame(index=range(len(idx)))
    if (idx >= 0).all():
        return df.iloc[idx].reset_index(drop=True)
    ints = {c: "Int64" for c in df.columns if pd.api.types.is_integer_dtype(df[c].dtype)}
    if ints:  # an empty cell must not turn _row 12 into 12.0
        df = df.astype(ints)
    padded = pd.concat([df, df.iloc[:0].reindex([len(df)])])
    return padded.iloc[np.where(idx >= 0, idx, len(df))].reset_index(drop=True)


def _fuzzy_name_pairs(lu: np.ndarray, ru: np.ndarray, threshold: float) -> pd.DataFrame:
    """Distinct left/right normalised names scoring >= threshold (rapidfuzz cdist, chunked)."""
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    if len(lu) * len(ru) > FUZZY_PAIR_LIMIT:
        raise UsageError(f"fuzzy name join of {len(lu):,} x {len(ru):,} distinct names is too large; "
                         "use --threshold 100 (exact normalised names) or join on an identifier")
    out = []
    step = max(1, 2_000_000 // max(1, len(ru)))
    rl = list(ru)
    for start in range(0, len(lu), step):
        chunk = list(lu[start:start + step])
        scores = cdist(chunk, rl, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, workers=-1,
                       dtype=np.uint8)
        i, j = np.nonzero(scores >= max(threshold, 1))
        if len(i):
            out.append(pd.DataFrame({"lk": np.asarray(chunk, dtype=object)[i], "rk": ru[j],
                                     "score": scores[i, j].astype(np.float64)}))
    if not out:
        return pd.DataFrame({"lk": [], "rk": [], "score": [], "method": []})
    res = pd.concat(out, ignore_index=True)
    res = res[res["lk"] != res["rk"]]
    res["method"] = "name fuzzy"
    return res


__all__ = ["join", "parse_on", "name_score"]
