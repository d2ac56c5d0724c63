"""``Rows``: a call summary's contacts kept as Arrow columns (issue 20) still read as a list of
dicts, and their JSON text is exactly what ``json.dumps`` writes for that list."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from toexcli.summarise.output import json_text
from toexcli.summarise.rows import RowTable, Rows, json_default, plain

TABLE = pa.table({
    "contact": ["+447700900150", 'quote " and \\ back', "tab\there", "line\nbreak", None, "ünï ☎"],
    "count": pa.array([3, -1, 0, 2**40, None, 7], pa.int64()),
    "ok": [True, False, None, True, False, True],
    "ratio": [0.1, 1e-7, None, 2.5, float("inf"), 3.0],
    "first": ["2024-03-31T01:10:00", None, "", "x", "y", "z"],
})
LIST = TABLE.to_pylist()


def test_rows_read_as_the_list_of_dicts():
    rows = Rows.from_table(TABLE)
    assert len(rows) == 6 and rows[0] == LIST[0] and rows[-1] == LIST[-1]
    assert rows[1:3] == LIST[1:3] and rows[::2] == LIST[::2] and list(rows) == LIST
    assert rows == LIST and rows != LIST[:-1] and rows.to_list() == LIST
    with pytest.raises(IndexError):
        rows[6]
    part = RowTable(TABLE).rows(2, 4)
    assert part == LIST[2:4] and part[0] == LIST[2] and len(part) == 2


def test_rows_json_is_what_json_dumps_writes():
    for a, b in ((0, 6), (0, 1), (1, 2), (2, 5), (3, 3)):
        rows = RowTable(TABLE).rows(a, b)
        assert rows.json() == json.dumps(LIST[a:b], ensure_ascii=False), (a, b)


def test_rows_json_would_catch_a_missing_escape(monkeypatch):
    from toexcli.summarise import rows as R

    monkeypatch.setattr(R, "_NEEDS_ESCAPE", "[^\\x00-\\x{10ffff}]")  # tampered: matches nothing
    assert Rows.from_table(TABLE).json() != json.dumps(LIST, ensure_ascii=False)


def test_report_with_rows_writes_and_parses_as_plain_lists():
    report = {"kind": "calls", "handsets": [
        {"handset": "+447700900001", "records": 6, "contacts": RowTable(TABLE).rows(0, 6)},
        {"handset": "+447700900002", "records": 0, "contacts": RowTable(TABLE).rows(0, 0)}]}
    flat = plain(report)
    assert flat["handsets"][0]["contacts"] == LIST and flat["handsets"][1]["contacts"] == []
    text = json_text(report)
    assert text == json_text(flat)
    assert json.loads(text.replace("Infinity", "1e999")) == json.loads(
        json.dumps(flat).replace("Infinity", "1e999"))
    assert json.dumps(report, default=json_default) == json.dumps(flat)
    with pytest.raises(TypeError):
        json.dumps(report)  # a plain json.dumps needs plain() or default=json_default


def test_list_and_map_columns_read_as_lists_and_dicts_and_write_as_json_dumps():
    off = pa.array([0, 2, 2, 5, 6], pa.int32())
    keys = pa.array(["+447700900001", 'a "b"', "x", "y", "z", "é"])
    table = pa.table({
        "contact": ["c1", "c2", "c3", "c4"],
        "handsets": pa.ListArray.from_arrays(off, keys),
        "counts": pa.MapArray.from_arrays(off, keys, pa.array([1, 2, 3, 4, 5, 6], pa.int64())),
        "days": pa.ListArray.from_arrays(off, pa.array([1, None, 3, 4, 5, 6], pa.int64())),
    })
    want = [{"contact": "c1", "handsets": ["+447700900001", 'a "b"'], "counts": {"+447700900001": 1, 'a "b"': 2},
             "days": [1, None]},
            {"contact": "c2", "handsets": [], "counts": {}, "days": []},
            {"contact": "c3", "handsets": ["x", "y", "z"], "counts": {"x": 3, "y": 4, "z": 5}, "days": [3, 4, 5]},
            {"contact": "c4", "handsets": ["é"], "counts": {"é": 6}, "days": [6]}]
    rows = RowTable(table).rows()
    assert rows.to_list() == want and rows[2] == want[2] and list(rows) == want
    assert rows.json() == json.dumps(want, ensure_ascii=False)
    assert list(rows.json_rows()) == [json.dumps(w, ensure_ascii=False) for w in want]
    for a, b in ((1, 3), (2, 4), (3, 4)):  # slices of the list children
        part = RowTable(table).rows(a, b)
        assert part.json() == json.dumps(want[a:b], ensure_ascii=False)
        assert list(part.json_rows()) == [json.dumps(w, ensure_ascii=False) for w in want[a:b]]
    report = {"common_contacts": rows, "n": 1}
    assert json_text(report) == json_text(plain(report))
