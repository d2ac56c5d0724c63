"""The same call seen from both ends: when both parties are targets, two returns hold it twice.

Rule (``toex calls parse``; README "Pairing"): two rows are one event when they are the same
family (voice; sms/mms), their parties are swapped after E.164 normalisation (this row's
handset is that row's other party and the reverse), their directions are opposite (out/in),
their starts are within 60 s (voice) or 300 s (sms/mms: delivery delay) and their durations
within 5 s or 10 %. Candidates are taken one-to-one, smallest time gap first (then smallest
duration gap). The row of the file given later gets ``duplicate_of = FILE:ROW`` of the earlier
one; nothing is dropped. A forward leg (``direction = forward``) is never a duplicate: it is the
call's onward leg to a third number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WINDOW_S = {"voice": 60, "message": 300}
FAMILY = {"voice": "voice", "sms": "message", "mms": "message"}
DUR_ABS_S = 5
DUR_REL = 0.10


def pair(df: pd.DataFrame, file_index: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int, float]]]:
    """-> (duplicate_of text per row, [(earlier row index, later row index, gap seconds)])."""
    n = len(df)
    out = np.full(n, "", dtype=object)
    fam = df["event"].map(FAMILY).fillna("").to_numpy(dtype=object)
    hs = df["handset"].to_numpy(dtype=object)
    other = df["other_party"].to_numpy(dtype=object)
    direction = df["direction"].to_numpy(dtype=object)
    t = df["start_utc"]
    ok = ((fam != "") & np.isin(direction, ["out", "in"]) & (hs != "") & t.notna().to_numpy()
          & pd.Series(other).str.startswith("+").fillna(False).to_numpy())
    handsets = set(pd.unique(hs[ok]))
    ok &= np.isin(other, list(handsets)) & (other != hs)
    idx = np.flatnonzero(ok)
    if not len(idx):
        return out, []
    secs = t.to_numpy(dtype="datetime64[ns]").view(np.int64)[idx] / 1e9
    dur = pd.to_numeric(df["duration_s"], errors="coerce").to_numpy(dtype="float64")[idx]
    cand = pd.DataFrame({"i": idx, "h": hs[idx], "o": other[idx], "f": fam[idx],
                         "d": direction[idx], "t": secs, "dur": dur, "file": file_index[idx]})
    right = cand.rename(columns={c: c + "_r" for c in cand.columns})
    m = cand.merge(right, left_on=["h", "o", "f"], right_on=["o_r", "h_r", "f_r"])
    m = m[(m["file"] < m["file_r"]) & (m["d"] != m["d_r"])]
    if m.empty:
        return out, []
    m = m.assign(gap=(m["t"] - m["t_r"]).abs())
    m = m[m["gap"] <= m["f"].map(WINDOW_S)]
    dd = (m["dur"] - m["dur_r"]).abs()
    big = np.fmax(m["dur"], m["dur_r"])
    dur_ok = dd.isna() | (dd <= DUR_ABS_S) | (dd <= DUR_REL * big)
    m = m[dur_ok.to_numpy()].assign(ddur=dd[dur_ok].fillna(0))
    m = m.sort_values(["gap", "ddur", "file", "i", "i_r"], kind="stable")
    used: set[int] = set()
    pairs = []
    src = df["_source"].to_numpy(dtype=object)
    row = df["_row"].to_numpy()
    for i, j, gap in zip(m["i"].to_numpy(), m["i_r"].to_numpy(), m["gap"].to_numpy()):
        if i in used or j in used:
            continue
        used.add(i)
        used.add(j)
        out[j] = f"{src[i]}:{row[i]}"
        pairs.append((int(i), int(j), float(gap)))
    return out, pairs
