"""``calls._reduce`` (issue 20: the call summary's aggregates without pandas group-bys) gives
pandas' group-by result on every path: counted directly, hashed, sorted runs, too wide to fold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toexcli.summarise.calls import MAX_TS, NAT, _reduce


def _want(h, c, t, d, first, last):
    df = pd.DataFrame({"h": h, "c": c, "n": 1, "t": t, "d": d, "first": first, "last": last})
    return df.groupby(["h", "c"], as_index=False).agg(
        n=("n", "sum"), t=("t", "sum"), d=("d", "sum"), first=("first", "min"), last=("last", "max"))


@pytest.mark.parametrize("shape", ["dense", "hashed", "wide"])
@pytest.mark.parametrize("sort", [False, True])
def test_reduce_is_the_group_by(shape, sort):
    rng = np.random.default_rng(1)
    n = 5_000
    h = rng.integers(-1, 20, n)
    c = {"dense": rng.integers(-1, 50, n), "hashed": rng.integers(-1, 10**9, n) // 10**6 * 10**6,
         "wide": rng.choice([-(2**62), 0, 2**62], n)}[shape]
    t = rng.integers(0, 2, n)
    d = rng.integers(0, 1800, n).astype(float)
    ts = rng.integers(0, 10**17, n)
    first, last = np.where(ts % 7 == 0, MAX_TS, ts), np.where(ts % 5 == 0, NAT, ts)
    got = _reduce({"h": h, "c": c}, sums={"t": t, "d": d}, mins={"first": first},
                  maxs={"last": last}, sort=sort)
    got = got.sort_values(["h", "c"]).reset_index(drop=True) if not sort else got
    want = _want(h, c, t, d, first, last)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got["n"].dtype == np.int64 and got["t"].dtype == np.int64
    # counts: parts gathered again give the same groups
    again = _reduce({"h": got["h"].to_numpy(), "c": got["c"].to_numpy()}, counts=got["n"].to_numpy(),
                    frame=False)
    assert again["n"].sum() == n
