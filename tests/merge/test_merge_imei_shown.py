"""Issue 19: the entities table shows an IMEI as written (15 digits), not its 14-digit key."""

from __future__ import annotations

import pandas as pd

from toexcli.merge.resolution import resolve


def test_entities_show_the_15_digit_imei():
    df = pd.DataFrame({"name": ["Ana Popescu", "Ana Popescu", "Bo Li"],
                       "imei": ["35-209900-176148-1", "352099001761481", "356938035643809"],
                       "_source": ["a.csv", "b.csv", "a.csv"], "_row": [1, 1, 2]}, dtype="str")
    res = resolve(df, ["imei:imei"], name="name")
    ent = res.entities()
    assert sorted(ent["imei"]) == ["352099001761481", "356938035643809"]
    assert res.table["entity_id"].iloc[0] == res.table["entity_id"].iloc[1]
