"""The time model's Arrow fast paths (toex timeline builds its events in Arrow): parse_arrow
gives exactly what parse gives, iso_arrow exactly what iso_utc/iso_local write, on varied values
(the spring gap and autumn repeat, assumed and declared zones, offsets, fractions, bad values),
and a tampered fast path is caught."""

from datetime import timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from toexcli import timemodel as tm

VARIED = [
    "2024-03-31T01:30:00Z", "2024-03-31T00:59:59Z", "2024-10-27T00:30:00Z",
    "2024-02-31T10:00:00Z", "2023-02-29T10:00:00Z", "2024-02-29T10:00:00Z",
    "2024-03-01T00:00:00Z", "1850-01-01T00:00:00Z", "0024-01-01T00:00:00Z",
    "2024-03-31T01:30:00.5Z", "2024-03-31 01:30:00Z", " 2024-05-06T09:14:21Z", "2024-05-06T09:14:21Z ",
    "2024-13-06T09:14:21Z", "2024-1-06T09:14:21Z", "2024-05-06T09:14:21z",
    "31/03/2024 01:30", "31/03/2024 01:30:00", "31/03/2024 00:59:59", "31/03/2024 02:00:00",
    "27/10/2024 01:30", "27/10/2024 01:30:15", "27/10/2024 02:30:00", "26/03/2023 01:15:00",
    "2023-10-29 01:15:00", "2024-10-27 01:30 BST", "2024-10-27 01:30 GMT",
    "2024-10-27T00:30:00+01:00", "2024-07-01T23:59:59-05:00", "2024-01-08 10:00 (UTC+1)",
    "02/04/2024 6:57 p.m.", "08-JAN-24 10:00", "8 Jan 2024 10:00 pm", "Mon, 8 Jan 2024 10:00",
    "20240108100005", "20240108T100005Z", "2024-06-01", "01/06/2024", "12/06/2024", "06/13/2024",
    "31/02/2024", "29/02/2023 10:00", "29/02/2024 10:00", "13/13/2024", "9999-01-01 10:00",
    "1960-01-01 00:00", "2024-07-01 12:00:00.5", "bad", "", "  ", None, "2024-01-08T10:00:00Z",
    "01/02/24", "01.02.2024 10:00:00", "Apr 8, 2018",
]


def _general(values, **kw):
    f = tm.parse(pd.Series(values, dtype="str"), **kw)
    return (f["utc"].to_numpy(dtype="datetime64[ns]").view(np.int64).tolist(),
            f["tz_status"].tolist(), f["precision"].tolist(), f["problem"].tolist())


def _fast(values, **kw):
    got = tm.parse_arrow(pa.array(values, pa.string()), **kw)
    assert got.tz_status.type == got.precision.type == got.problem.type == pa.large_string()
    return (got.ns.tolist(), got.tz_status.to_pylist(), got.precision.to_pylist(),
            got.problem.to_pylist())


def _columns():
    rng = np.random.default_rng(7)
    yield VARIED
    yield [v for v in VARIED if v and v.endswith("Z")]          # the Zulu path alone
    yield [v for v in VARIED if not (v and v.endswith("Z"))]    # the distinct path alone
    yield []
    yield [None, None, ""]
    # repeats, in shuffled order: each distinct value parsed once and spread back
    yield list(rng.choice(np.array(VARIED, dtype=object), 3_000))
    # a camera's minutes around both clock changes, and call starts in UTC
    base = pd.Timestamp("2024-03-30 22:00")
    walls = [(base + pd.Timedelta(minutes=int(m))).strftime("%d/%m/%Y %H:%M")
             for m in rng.integers(0, 6 * 60, 800)]
    autumn = pd.Timestamp("2024-10-26 22:00")
    walls += [(autumn + pd.Timedelta(seconds=int(s))).strftime("%Y-%m-%d %H:%M:%S")
              for s in rng.integers(0, 6 * 3600, 800)]
    zulu = [(base + pd.Timedelta(seconds=int(s))).strftime("%Y-%m-%dT%H:%M:%SZ")
            for s in rng.integers(-10**8, 10**8, 800)]
    yield list(rng.permutation(np.array(walls + zulu + VARIED, dtype=object)))


@pytest.mark.parametrize("kw", [
    {}, {"dayfirst": False}, {"dayfirst": None}, {"declared": "UTC"},
    {"declared": timedelta(hours=1)}, {"tz": "America/New_York"}, {"tz": "Australia/Lord_Howe"},
])
def test_parse_arrow_is_parse(kw):
    for values in _columns():
        assert _fast(values, **kw) == _general(values, **kw), (kw, values[:5])


def test_parse_arrow_reads_chunked_and_large_text():
    values = VARIED * 3
    chunked = pa.chunked_array([pa.array(values[:40], pa.large_string()),
                                pa.array(values[40:], pa.large_string())])
    got = tm.parse_arrow(chunked)
    assert got.ns.tolist() == _general(values)[0]
    assert got.problem.to_pylist() == _general(values)[3]


def test_parse_arrow_uses_its_fast_paths(monkeypatch):
    """A Zulu column never reaches the per-value parse; other values reach it once each."""
    seen = []
    real = tm.parse

    def spy(values, **kw):
        seen.append(list(values))
        return real(values, **kw)

    monkeypatch.setattr(tm, "parse", spy)
    zulu = [f"2024-05-06T09:{m:02d}:21Z" for m in range(60)] * 5
    tm.parse_arrow(pa.array(zulu))
    assert seen == []
    walls = ["06/05/2024 09:14", "07/05/2024 09:14", "", "06/05/2024 09:14"] * 50
    tm.parse_arrow(pa.array(walls + zulu))
    assert len(seen) == 1 and sorted(seen[0]) == ["", "06/05/2024 09:14", "07/05/2024 09:14"]


def test_a_tampered_fast_path_is_caught(monkeypatch):
    values = VARIED
    expected = _general(values)
    assert _fast(values) == expected
    monkeypatch.setattr(tm, "_ZULU_ANSWER", (tm.ASSUMED, "second", ""))
    assert _fast(values) != expected
    monkeypatch.undo()
    real = tm.parse  # distinct answers spread back to the wrong rows

    def shifted(values, **kw):
        out = real(values, **kw)
        return out.iloc[np.roll(np.arange(len(out)), 1)].set_axis(out.index)

    monkeypatch.setattr(tm, "parse", shifted)
    assert _fast(values) != expected


# ---------------------------------------------------------------------------------- rendering
def _reference(ns: int, tz: str | None) -> str:
    """The rendering rule written out the slow way, with Python datetimes."""
    if ns == -(2**63):
        return ""
    stamp = pd.Timestamp(ns, unit="ns", tz="UTC")
    if tz is not None:
        stamp = stamp.tz_convert(tz)
    micro = (ns % 1_000_000_000) // 1000
    frac = "." + f"{micro:06d}".rstrip("0") if micro else ""
    if tz is None:
        zone = "Z"
    else:
        off = int(stamp.utcoffset().total_seconds())
        zone = f"{'-' if off < 0 else '+'}{abs(off) // 3600:02d}:{abs(off) % 3600 // 60:02d}"
    return stamp.strftime("%Y-%m-%dT%H:%M:%S") + frac + zone


def _instants():
    rng = np.random.default_rng(3)
    secs = rng.integers(-2_208_988_800, 7_258_118_399, 3_000)
    ns = secs * 1_000_000_000
    ns[::7] += rng.integers(1, 1_000_000, len(ns[::7])) * 1000   # fractions of a second
    ns[::11] += 500_000_000
    edges = [pd.Timestamp(t, tz="UTC").value for t in (
        "2024-03-31 00:59:59", "2024-03-31 01:00:00", "2024-10-27 00:59:59", "2024-10-27 01:00:00",
        "1970-01-01", "1969-12-31 23:59:59.999999", "1900-01-01", "2199-12-31 23:59:59",
        "2024-02-29 12:00:00.25")]
    return np.concatenate([ns, np.array(edges + [-(2**63)] * 3, dtype=np.int64)])


@pytest.mark.parametrize("tz", [None, "Europe/London", "America/St_Johns", "Asia/Kolkata"])
def test_iso_arrow_is_the_rendering_rule(tz):
    ns = _instants()
    got = tm.iso_arrow(ns, tz)
    assert got.type == pa.large_string()
    assert got.to_pylist() == [_reference(int(v), tz) for v in ns]
    utc = pd.Series(pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC"))
    series = tm.iso_utc(utc) if tz is None else tm.iso_local(utc, tz)
    assert series.tolist() == got.to_pylist()
    assert tm.iso_arrow(np.array([], np.int64), tz).to_pylist() == []
