"""The value parsers behind toex summarise: UK day-first times, durations, call types."""

from __future__ import annotations

import math

import pytest

from toexcli.summarise.parsing import TimestampParser, ValueMap, duration_seconds, is_text_type, iso


@pytest.mark.parametrize("raw,expected", [
    ("06/05/2024 09:14:21", "2024-05-06T09:14:21"),
    ("06/05/2024 09:14", "2024-05-06T09:14:00"),
    ("6/5/24 21:14", "2024-05-06T21:14:00"),
    ("2024-05-06 09:14:21", "2024-05-06T09:14:21"),
    ("2024-05-06T09:14:21Z", "2024-05-06T10:14:21"),                 # UTC, shown as UK time
    ("2024-01-08T10:00:00Z", "2024-01-08T10:00:00"),                 # UTC = GMT in winter
    ("06 May 2024 09:14:21", "2024-05-06T09:14:21"),
    ("06-May-2024 09:14", "2024-05-06T09:14:00"),
    ("06/05/2024 9:14:21 PM", "2024-05-06T21:14:21"),
    ("06.05.2024 09:14:21", "2024-05-06T09:14:21"),
    ("2024-05-06T09:14:21.500+01:00", "2024-05-06T09:14:21.500000"),  # ISO is never day-first
    ("02/04/2024 17:57:00 (UTC)", "2024-04-02T18:57:00"),
    ("5/6/2024 10:00:00.5", "2024-06-05T10:00:00.500000"),           # UK: 5 June
    ("not a time", None),
    ("", None),
    (None, None),
])
def test_day_first_timestamps(raw, expected):
    assert iso(TimestampParser().parse([raw])[0]) == expected


def test_utc_is_never_read_as_local_and_mixed_zones_order():
    # regression (issue 13): the same call at 17:57Z and 18:57 BST is one instant
    got = TimestampParser().parse(["2024-04-02T17:57:00Z", "02/04/2024 18:57:00",
                                   "2024-04-02T18:57:00+01:00", "2024-04-02T18:30:00+00:00"])
    assert len(set(got[:3].tolist())) == 1
    assert got[3] > got[0]  # 18:30Z is later than 17:57Z, though its wall clock reads earlier


def test_arrow_utc_timestamps_are_shown_in_uk_time():
    import pyarrow as pa

    arr = pa.array([0, None], pa.timestamp("s", tz="UTC")).cast(pa.timestamp("s", tz="UTC"))
    arr = pa.array([1712080620, None], pa.timestamp("s", tz="UTC"))  # 2024-04-02T17:57:00Z
    assert iso(TimestampParser().parse(arr)[0]) == "2024-04-02T18:57:00"


@pytest.mark.parametrize("raw,seconds", [
    ("00:02:10", 130), ("2:10", 130), ("1:00:00", 3600), ("130", 130), ("12.5", 12.5),
    ("2m 10s", 130), ("1h 2m", 3720), ("45s", 45), (7, 7.0),
])
def test_durations(raw, seconds):
    assert duration_seconds(raw) == seconds


@pytest.mark.parametrize("raw", ["", None, "n/a", "--"])
def test_unreadable_durations_are_nan(raw):
    assert math.isnan(duration_seconds(raw))


def test_call_types():
    assert [is_text_type(v) for v in ("SMS", "MMS", "Text message", "Chat", "Voice", "Missed call",
                                      "Data", "", None)] == [True, True, True, True, False, False,
                                                             False, False, False]


def test_value_map_parses_each_distinct_value_once():
    seen = []

    def fn(v):
        seen.append(v)
        return len(v)

    m = ValueMap(fn, dtype=float, missing=-1.0)
    assert m(["aa", "b", "aa", None]).tolist() == [2.0, 1.0, 2.0, -1.0]
    assert m(["b", "ccc"]).tolist() == [1.0, 3.0]
    assert seen == ["aa", "b", "ccc"]
