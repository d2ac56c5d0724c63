"""timemodel additions for chat exports: clocks with localised AM/PM, split date + clock read
once per distinct value, wall clocks without a zone, localise, iso_wall, exact epoch ms."""

import pandas as pd
import pytest

from toexcli import timemodel as tm


@pytest.mark.parametrize("text,want", [
    ("20:51", (75060, "minute")), ("8:14:02\u202fpm", (72842, "second")),
    ("12:03:10 am", (190, "second")), ("12:31 pm", (45060, "minute")),
    ("21.25.15", (77115, "second")), ("00:08 a. m.", (480, "minute")),
    ("3:45 p.\u00a0m.", (56700, "minute")), ("上午 8:14", (29640, "minute")),
    ("오후 3:05", (54300, "minute")),
    ("25:00", None), ("13:00 am", None), ("7:60", None), ("noon", None),
    ("23:59 PM", (86340, "minute")),
])
def test_read_clock(text, want):
    assert tm.read_clock(text) == want


def test_split_walls_orders_and_problems():
    f = tm.split_walls(["14/03/2025", "13. 6. 2018.", "2019/01/31", "31/02/2024", None],
                       ["20:51", "21.25.15", "1:00 pm", "10:00", "10:00"], dayfirst=None)
    assert tm.iso_wall(f.wall).tolist() == ["2025-03-14T20:51:00", "2018-06-13T21:25:15",
                                           "2019-01-31T13:00:00", "", ""]
    assert f.precision.tolist() == ["minute", "second", "minute", "", ""]
    assert "31/02/2024" in f.problem.iloc[3]


def test_split_walls_monthfirst():
    f = tm.split_walls(["1/29/18", "2/3/18"], ["12:24", "9:00"], dayfirst=None)
    assert tm.iso_wall(f.wall).tolist() == ["2018-01-29T12:24:00", "2018-02-03T09:00:00"]
    g = tm.split_walls(["3/4/18"], ["9:00"], dayfirst=False)
    assert tm.iso_wall(g.wall).tolist() == ["2018-03-04T09:00:00"]


def test_localise_gap_and_repeat():
    walls = pd.Series(pd.to_datetime(["2025-03-30 01:30:00", "2025-10-26 01:30:00",
                                      "2025-07-01 12:00:00", None]))
    f = tm.localise(walls, "Europe/London")
    assert f.tz_status.tolist() == ["nonexistent", "ambiguous", "assumed", ""]
    assert tm.iso_utc(f.utc).tolist()[2] == "2025-07-01T11:00:00Z"


def test_walls_ignores_no_zone_and_reads_shapes():
    f = tm.walls(["2025-03-29T21:40:05", "29/03/2025 21:40", "nonsense", ""])
    assert tm.iso_wall(f.wall).tolist() == ["2025-03-29T21:40:05", "2025-03-29T21:40:00", "", ""]
    assert f.problem.iloc[2] and not f.problem.iloc[3]


def test_from_epoch_whole_milliseconds_exact():
    f = tm.from_epoch(["1743621647090", "1743621243512"], unit="ms")
    assert tm.iso_utc(f.utc).tolist() == ["2025-04-02T19:20:47.09Z", "2025-04-02T19:14:03.512Z"]
