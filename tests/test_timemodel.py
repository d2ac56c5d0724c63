"""The one time model: zones declared or assumed, DST gap and repeat, day-first dates,
impossible dates, rendering, bounds and durations."""

import pandas as pd
import pytest

from toexcli import schema
from toexcli import timemodel as tm


def one(value, **kw):
    f = tm.parse(pd.Series([value]), **kw)
    return tm.iso_utc(f.utc).iloc[0], f.tz_status.iloc[0], f.precision.iloc[0], f.problem.iloc[0]


@pytest.mark.parametrize("value,utc,status", [
    ("2024-01-08T10:00:00Z", "2024-01-08T10:00:00Z", "declared"),
    ("2024-04-02T18:57:00Z", "2024-04-02T18:57:00Z", "declared"),
    ("2024-04-02 18:57:00+01:00", "2024-04-02T17:57:00Z", "declared"),
    ("2024-04-02 18:57:00 +0100", "2024-04-02T17:57:00Z", "declared"),
    ("02/04/2024 18:57:00 (UTC+1)", "2024-04-02T17:57:00Z", "declared"),
    ("02/04/2024 18:57 UTC+01:00", "2024-04-02T17:57:00Z", "declared"),
    ("2024-01-08 10:00 GMT", "2024-01-08T10:00:00Z", "declared"),
    ("2024-04-02 18:57 BST", "2024-04-02T17:57:00Z", "declared"),
    ("02/04/2024 18:57:00", "2024-04-02T17:57:00Z", "assumed"),
    ("02/04/2024 6:57 p.m.", "2024-04-02T17:57:00Z", "assumed"),
    ("08/01/2024 10:00", "2024-01-08T10:00:00Z", "assumed"),
    ("08-JAN-24 10:00", "2024-01-08T10:00:00Z", "assumed"),
    ("08/01/24 10:00:00", "2024-01-08T10:00:00Z", "assumed"),
    ("Mon 8 Jan 2024 10:00 PM", "2024-01-08T22:00:00Z", "assumed"),
    ("2024-04-02T18:57:00.250Z", "2024-04-02T18:57:00.25Z", "declared"),
])
def test_zones_declared_and_assumed(value, utc, status):
    got = one(value)
    assert got[:2] == (utc, status)


def test_spring_gap_is_nonexistent_and_shifted_forward():
    utc, status, _, problem = one("30/03/2025 01:37:20")
    assert (utc, status) == ("2025-03-30T01:37:20Z", "nonexistent")
    assert "did not exist" in problem
    # either side of the gap is ordinary
    assert one("30/03/2025 00:58:10")[:2] == ("2025-03-30T00:58:10Z", "assumed")
    assert one("30/03/2025 02:00:40")[:2] == ("2025-03-30T01:00:40Z", "assumed")


def test_autumn_repeat_is_ambiguous_and_earlier():
    utc, status, _, problem = one("27/10/2024 01:30:00")
    assert (utc, status) == ("2024-10-27T00:30:00Z", "ambiguous")
    assert "twice" in problem


@pytest.mark.parametrize("value", ["31/02/2024 10:00", "29/02/2023 10:00:00", "2024-13-01",
                                   "not a date", "25:00 01/01/2024", "2024-01-08T10:00:00+99:00"])
def test_impossible_values_are_unreadable_not_rolled(value):
    utc, status, _, problem = one(value)
    assert utc == "" and status == "unreadable" and value in problem


def test_empty_is_not_a_problem():
    assert one("") == ("", "", "", "")


def test_header_declares_zone():
    off = tm.zone_from_header("Start Time (UTC)")
    assert off is not None
    assert one("2025-03-31 07:45:03", declared=off)[:2] == ("2025-03-31T07:45:03Z", "declared")
    assert tm.zone_from_header("Call Date") is None
    assert tm.zone_from_header("Updated") is None  # no false hit inside a word
    assert tm.zone_from_header("Time GMT").total_seconds() == 0
    assert tm.zone_from_header("Start (UTC+1)").total_seconds() == 3600


def test_day_month_order_decided_from_column():
    assert tm.date_order(["01/02/2024", "13/02/2024"]) == "dayfirst"
    assert tm.date_order(["01/02/2024", "02/13/2024"]) == "monthfirst"
    assert tm.date_order(["01/02/2024"]) == "ambiguous"
    f = tm.parse(pd.Series(["01/02/2024 10:00", "02/13/2024 10:00"]), dayfirst=None)
    assert tm.iso_utc(f.utc).tolist() == ["2024-01-02T10:00:00Z", "2024-02-13T10:00:00Z"]


def test_date_only_is_day_precision_at_local_midnight():
    utc, status, precision, _ = one("2024-04-02")
    assert (utc, status, precision) == ("2024-04-01T23:00:00Z", "assumed", "day")


def test_local_rendering_has_offset():
    f = tm.parse(pd.Series(["2024-04-02T17:57:00Z", "2024-01-08T10:00:00Z", ""]))
    assert tm.iso_local(f.utc).tolist() == ["2024-04-02T18:57:00+01:00",
                                            "2024-01-08T10:00:00+00:00", ""]


def test_mixed_zones_order_correctly():
    values = ["2024-03-31T17:57:00Z", "31/03/2024 18:30:00", "31/03/2024 18:00:00"]
    f = tm.parse(pd.Series(values))
    order = f.utc.sort_values().index.tolist()
    assert order == [2, 1, 0]  # 18:00 BST = 17:00Z, 18:30 BST = 17:30Z, then 17:57Z
    assert tm.iso_utc(f.utc).tolist()[2] == "2024-03-31T17:00:00Z"


def test_fast_path_matches_careful_path():
    values = pd.Series([f"{d:02d}/{m:02d}/2024 {h:02d}:15:30" for d in (1, 2, 3, 28, 29, 30, 31)
                        for m in (1, 2, 3, 4, 10) for h in (0, 1, 23)] * 3)
    fast = tm.parse(values)
    for v, utc in zip(values, tm.iso_utc(fast.utc)):
        w = tm.read_wall(v)
        assert (w is None) == (utc == ""), v


def test_epochs():
    f = tm.from_epoch(["1711906620", "", "x"])
    assert tm.iso_utc(f.utc).tolist() == ["2024-03-31T17:37:00Z", "", ""]
    assert f.tz_status.tolist() == ["declared", "", "unreadable"]
    f = tm.from_epoch([733599420], epoch="cocoa")
    assert tm.iso_utc(f.utc).iloc[0] == "2024-03-31T17:37:00Z"


def test_bounds_inclusive():
    assert str(tm.bound("2024-03-31", end=True)) == "2024-03-31 22:59:59.999999+00:00"
    assert str(tm.bound("31/03/2024")) == "2024-03-31 00:00:00+00:00"
    with pytest.raises(ValueError, match="not a date"):
        tm.bound("yesterday-ish")


def test_typed_datetimes():
    aware = pd.Series(pd.to_datetime(["2024-04-02T17:57:00Z"], utc=True))
    assert tm.parse(aware).tz_status.tolist() == ["declared"]
    naive = pd.Series(pd.to_datetime(["2024-04-02 18:57:00"]))
    f = tm.parse(naive)
    assert (tm.iso_utc(f.utc).iloc[0], f.tz_status.iloc[0]) == ("2024-04-02T17:57:00Z", "assumed")


def test_durations():
    got = tm.durations(["124", "124.0", "00:02:04", "2:04", "1:02:04", "0.0014351851851851852",
                        "1899-12-30 00:02:13", "2m 4s", "", "x", "1:75"]).tolist()
    assert got[:8] == [124, 124, 124, 124, 3724, 124, 133, 124]
    assert all(pd.isna(v) for v in got[8:])


def test_schema_kind_of():
    assert schema.kind_of(schema.CALLS.names + ["_source", "_row"]) == "calls"
    assert schema.kind_of(schema.MESSAGES.names) == "messages"
    assert schema.kind_of(schema.TRANSACTIONS.names) == "transactions"
    assert schema.kind_of(schema.EVENTS.names) == "timeline"
    assert schema.kind_of(["a", "b"]) is None
    frame = pd.DataFrame({"_row": [1], "event": ["sms"], "x": ["1"]})
    out = schema.conform(frame, schema.CALLS)
    assert list(out.columns) == schema.CALLS.names + ["x", "_row"]


def test_zulu_column_is_read_by_arrow_and_declared():
    # the *_utc columns every toex table writes: whole column by Arrow, same answers as the
    # careful path (impossible date refused, fraction kept, the DST-gap wall time is fine in UTC)
    vals = ["2024-03-31T01:30:00Z", "2024-02-31T10:00:00Z", "2024-03-31 01:30:00Z",
            "2024-03-31T01:30:00.5Z", ""]
    out = tm.parse(pd.Series(vals))
    assert list(out["tz_status"]) == ["declared", "unreadable", "declared", "declared", ""]
    assert str(out["utc"][0]) == "2024-03-31 01:30:00+00:00"
    assert str(out["utc"][3]) == "2024-03-31 01:30:00.500000+00:00"
    assert list(out["precision"])[:1] == ["second"]
    assert "not understood" in out["problem"][1]


def test_years_outside_the_timestamp_range_are_unreadable_not_a_crash():
    out = tm.parse(pd.Series(["0024-01-01T00:00:00Z", "9999-12-31 10:00", "2024-01-01"]))
    assert list(out["tz_status"]) == ["unreadable", "unreadable", "assumed"]


def test_compact_switch_times():
    import pandas as pd

    from toexcli import timemodel as T

    got = T.parse(pd.Series(["20240108100005", "20240108 1000", "20240108T100005Z", "20240230120000"]))
    assert list(T.iso_utc(got["utc"])) == ["2024-01-08T10:00:05Z", "2024-01-08T10:00:00Z",
                                           "2024-01-08T10:00:05Z", ""]
    assert list(got["tz_status"]) == ["assumed", "assumed", "declared", "unreadable"]


def test_excel_serial_text():
    from toexcli import timemodel as T

    assert T.excel_serial_text(["45299.4166666667", "45299", "x", "", "123"]).tolist() == [
        "2024-01-08 10:00:00", "2024-01-08 00:00:00", "x", "", "123"]


def test_wall_clock_equals_parse_shown_in_zone():
    """wall_clock (summarise's fast path) is parse()'s instant shown as London wall time, on
    quiet days, the spring gap, the autumn repeat, offsets, Z, empties and rubbish."""
    import numpy as np
    import pandas as pd

    from toexcli.timemodel import parse, wall_clock

    values = ["31/03/2024 01:30:00", "31/03/2024 00:59:59", "31/03/2024 02:00:00",
              "27/10/2024 01:30:00", "27/10/2024 02:30:00", "06/05/2024 09:14:21",
              "2024-05-06T09:14:21Z", "2024-05-06 09:14:21+02:00", "", "  ", "not a time",
              "30/03/2024 23:59:59", " 01/04/2024 00:00 ", "29/02/2023 10:00:00", None]
    utc = parse(pd.Series(values, dtype="object"), tz="Europe/London")["utc"]
    expect = utc.dt.tz_convert("Europe/London").dt.tz_localize(None).to_numpy(
        dtype="datetime64[ns]").view(np.int64)
    got = wall_clock(pd.Series(values, dtype="object"), tz="Europe/London")
    assert got.tolist() == expect.tolist()
    assert got[0] == pd.Timestamp("2024-03-31 02:30:00").value  # the gap moves forward


def test_fixed_field_formatting_is_arrows_strftime():
    """The rollover check's fast formatter (issue 20) writes what pc.strftime writes, for every
    fast format, on times across 1900-2199 (and a tampered width is caught)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from toexcli import timemodel

    rng = np.random.default_rng(4)
    secs = rng.integers(-2_208_988_800, 7_258_118_399, 3_000)
    ts = pa.array(secs, pa.timestamp("s"))
    for fmt in set(timemodel._FAST_DAYFIRST + timemodel._FAST_MONTHFIRST + timemodel._FAST_ZULU):
        assert timemodel._format_fixed(ts, fmt).equals(pc.strftime(ts, format=fmt)), fmt
    assert timemodel._format_fixed(ts, "%d %b %Y").equals(pc.strftime(ts, format="%d %b %Y"))
    old = dict(timemodel._FIXED_FIELDS)
    try:
        timemodel._FIXED_FIELDS["%d"] = 1
        assert not timemodel._format_fixed(ts, "%d/%m/%Y").equals(pc.strftime(ts, format="%d/%m/%Y"))
    finally:
        timemodel._FIXED_FIELDS.clear()
        timemodel._FIXED_FIELDS.update(old)


def test_status_precision_problem_columns_built_from_codes_match_per_value_reading():
    """parse() builds tz_status/precision/problem from small codes by one Arrow take (calls
    parse speed work): every row still gets its own value's status, precision and note, on a
    large mix of shapes, gap/repeat times, offsets, Z, rubbish and empties, and the columns
    are ``str`` text like before. A shuffled code table is caught."""
    import random

    import numpy as np

    from toexcli import timemodel

    rnd = random.Random(11)
    pool = ["31/03/2024 01:30:00", "27/10/2024 01:30:00", "06/05/2024 09:14:21", "06/05/2024 09:14",
            "06/05/2024", "2024-05-06T09:14:21Z", "2024-05-06 09:14:21+02:00", "", "not a time",
            "31/02/2024 10:00:00", "8 Jan 2024 10:00", "2024-05-06 09:14:21.5"]
    values = [rnd.choice(pool) for _ in range(3000)]
    got = tm.parse(pd.Series(values, dtype="object"))
    for col in ("tz_status", "precision", "problem"):
        assert str(got[col].dtype) == "str"
    one = {v: tm.parse(pd.Series([v], dtype="object")).iloc[0] for v in pool}
    for col in ("tz_status", "precision", "problem"):
        assert got[col].tolist() == [one[v][col] for v in values], col
    assert set(got["tz_status"]) == {"", "assumed", "nonexistent", "ambiguous", "declared",
                                     "unreadable"}
    old = timemodel._STATUS_TEXT
    try:
        timemodel._STATUS_TEXT = tuple(np.roll(np.array(old, dtype=object), 1))
        bad = tm.parse(pd.Series(values, dtype="object"))
        assert bad["tz_status"].tolist() != got["tz_status"].tolist()
    finally:
        timemodel._STATUS_TEXT = old


def test_fixed_width_rendering_equals_the_cast_path():
    """iso_utc/iso_local's byte-matrix rendering (calls parse speed work) writes exactly what
    the general Arrow-cast path writes: random instants over 1000-9999, NaT, fractions of a
    second, zones with odd offsets (+05:45, -03:30, London's LMT of -00:01:15), and values
    outside the fast range (which take the cast path); a tampered suffix table is caught."""
    import numpy as np

    from toexcli import timemodel

    rng = np.random.default_rng(7)
    secs = np.concatenate([rng.integers(-30_610_224_000, 253_402_300_799, 4000),
                           rng.integers(1_700_000_000, 1_760_000_000, 4000),
                           [1711846800, 1711846799, 1729990800, 1729987200, 0, -1]])
    ns = secs.astype(np.int64) * 1_000_000_000
    ns[::97] += rng.integers(1, 999_999_999, len(ns[::97]))  # some fractions
    ns[::13] = -(2**63)  # NaT
    utc = pd.Series(pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC"))
    for tz in (None, "Europe/London", "Asia/Kathmandu", "America/St_Johns", "Pacific/Kiritimati"):
        fast = timemodel._render(utc, tz)
        slow = timemodel._render(utc, tz, fast=False)
        assert fast.equals(slow) and fast.dtype == slow.dtype, tz
    early = pd.Series(pd.to_datetime(["1840-06-01T12:00:00Z", "2024-06-01T12:00:00Z"], utc=True))
    assert timemodel.iso_local(early).tolist() == ["1840-06-01T11:58:45-00:01",
                                                   "2024-06-01T13:00:00+01:00"]
    wall = np.array([1_717_243_200], dtype=np.int64)
    assert timemodel._render_fixed(wall, np.array([3600]), np.array([True])).to_pylist() == [
        "2024-06-01T12:00:00+01:00"]
    real = timemodel._offset_suffixes()
    try:  # tamper: a suffix table that drops the sign
        tampered = real.copy()
        tampered[:, 0] = ord("+")
        timemodel._SUFFIXES = tampered
        bad = timemodel._render_fixed(wall, np.array([-3600]), np.array([True])).to_pylist()
    finally:
        timemodel._SUFFIXES = real
    assert bad != ["2024-06-01T12:00:00-01:00"]
    assert timemodel._render_fixed(wall, np.array([-3600]), np.array([True])).to_pylist() == [
        "2024-06-01T12:00:00-01:00"]


def test_walls_of_a_column_with_its_own_index_keep_one_row_per_value():
    """A chunk of a bigger table keeps its row labels; walls() must still give one row per value
    in order (its precision column once carried the input's labels, and the frame doubled)."""
    import pandas as pd

    from toexcli.timemodel import walls

    got = walls(pd.Series(["2024-01-02 10:00", "x"], index=[5, 7]))
    assert len(got) == 2
    assert list(got["precision"]) == ["minute", ""]
    assert str(got["wall"].iloc[0]) == "2024-01-02 10:00:00" and pd.isna(got["wall"].iloc[1])
    assert got["problem"].iloc[1].startswith("time not understood")
