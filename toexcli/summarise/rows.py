"""A columnar list of records: the big lists of a summary (a call summary's ~300,000
handset-contact rows) stay Arrow columns, and become dicts or JSON text only at the edge.

``Rows`` is a read-only sequence of dicts (index, slice, iterate, ``len``, ``==`` a list), so
code written for a list of dicts keeps working; ``to_list()`` gives the plain list and
:func:`plain` a whole report with every ``Rows`` made a list (for ``json.dumps``).
``Rows.json()`` is the text ``json.dumps(rows.to_list(), ensure_ascii=False)`` would give,
built column by column in Arrow.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

# the characters json.dumps(ensure_ascii=False) escapes in a string
_NEEDS_ESCAPE = r'[\x00-\x1f"\\]'


class RowTable:
    """One Arrow table shared by many :class:`Rows` slices. Map columns (``map<string, X>``)
    read as dicts, list columns as lists."""

    def __init__(self, table: pa.Table):
        self.table = table.combine_chunks()
        self._maps = [f.name for f in self.table.schema if pa.types.is_map(f.type)]
        self._safe = None

    def safe(self) -> set:
        """The columns whose text (strings, or the strings inside lists and maps) has nothing
        JSON escapes: checked once over the whole table, not for every slice written."""
        if self._safe is None:
            self._safe = {f.name for f in self.table.schema
                          if not _has_escapes(self.table.column(f.name).combine_chunks())}
        return self._safe

    def dicts(self, start: int, length: int) -> list[dict]:
        out = self.table.slice(start, length).to_pylist()
        for name in self._maps:  # Arrow gives a map as a list of (key, value) pairs
            for row in out:
                if row[name] is not None:
                    row[name] = dict(row[name])
        return out

    def rows(self, start: int = 0, stop: int | None = None) -> "Rows":
        return Rows(self, start, self.table.num_rows if stop is None else stop)


class Rows(Sequence):
    """Rows ``start:stop`` of a :class:`RowTable`, read as dicts (column name -> value)."""

    __slots__ = ("_owner", "_start", "_stop")

    def __init__(self, owner: RowTable, start: int, stop: int):
        self._owner, self._start, self._stop = owner, int(start), int(stop)

    @classmethod
    def from_table(cls, table: pa.Table) -> "Rows":
        return RowTable(table).rows()

    def __len__(self) -> int:
        return self._stop - self._start

    def to_arrow(self) -> pa.Table:
        return self._owner.table.slice(self._start, len(self))

    def to_list(self) -> list[dict]:
        return self._owner.dicts(self._start, len(self))

    def __getitem__(self, i):
        n = len(self)
        if isinstance(i, slice):
            start, stop, step = i.indices(n)
            if step != 1:
                return self.to_list()[i]
            return self._owner.dicts(self._start + start, max(stop - start, 0))
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("Rows index out of range")
        return self._owner.dicts(self._start + i, 1)[0]

    def __iter__(self):
        step = 65_536
        for a in range(self._start, self._stop, step):
            yield from self._owner.dicts(a, min(step, self._stop - a))

    def __eq__(self, other):
        if isinstance(other, (Rows, list, tuple)):
            return len(self) == len(other) and self.to_list() == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows: {', '.join(self._owner.table.column_names)})"

    def json_rows(self):
        """Each row's JSON text (``json.dumps(row, ensure_ascii=False)``), in order."""
        step = 65_536
        for a in range(self._start, self._stop, step):
            yield from _row_json(self._owner.table.slice(a, min(step, self._stop - a)),
                                 self._owner.safe()).to_pylist()

    def json(self) -> str:
        """``json.dumps(self.to_list(), ensure_ascii=False)``, built in Arrow (a slice at a
        time: no Python string per row, no buffer the size of the whole table)."""
        if not len(self):
            return "[]"
        texts = _row_json(self.to_arrow(), self._owner.safe())
        whole = pa.ListArray.from_arrays(pa.array([0, len(texts)], pa.int32()), texts) \
            if texts.type == pa.string() else \
            pa.LargeListArray.from_arrays(pa.array([0, len(texts)], pa.int64()), texts)
        return "[" + pc.binary_join(whole, pa.scalar(", ", texts.type))[0].as_py() + "]"


def _has_escapes(arr: pa.Array) -> bool:
    """Whether any string in ``arr`` (or inside its lists / map keys and items) needs escaping."""
    t = arr.type
    if pa.types.is_map(t):
        return _has_escapes(arr.keys) or _has_escapes(arr.items)
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return _has_escapes(arr.values)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return arr.null_count < len(arr) and bool(pc.any(pc.match_substring_regex(
            arr, _NEEDS_ESCAPE)).as_py())
    return False


def _quoted(arr: pa.Array, safe: bool = False) -> pa.Array:
    """JSON text of a string column (null stays null): quotes added in C when no value needs
    escaping (``safe``: known already), else json.dumps per value."""
    if not safe and _has_escapes(arr):
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False)
                         for v in arr.to_pylist()], pa.large_string())
    arr = arr.cast(pa.large_string())
    return pc.binary_join_element_wise(_text('"'), arr, _text('"'), _text(""))


def _joined(offsets: pa.Array, texts: pa.Array, open_: str, close: str) -> pa.Array:
    """Per list (``offsets`` into ``texts``): open_ + texts joined by ", " + close."""
    texts = texts.cast(pa.large_string())
    lists = pa.LargeListArray.from_arrays(offsets.cast(pa.int64()), texts)
    inner = pc.binary_join(lists, _text(", "))
    return pc.binary_join_element_wise(_text(open_), inner, _text(close), _text(""))


def _value_json(arr: pa.Array, safe: bool = False) -> pa.Array:
    t = arr.type
    if pa.types.is_map(t):  # {"key": value, ...} (what json.dumps writes for the dict)
        entries = pc.binary_join_element_wise(
            _quoted(arr.keys.cast(pa.string()), safe).fill_null("null"),
            _value_json(arr.items, safe), _text(": "))
        out = _joined(arr.offsets, entries, "{", "}")
        out = pc.if_else(arr.is_valid(), out, pa.nulls(len(arr), pa.large_string()))
    elif pa.types.is_list(t) or pa.types.is_large_list(t):
        out = _joined(arr.offsets, _value_json(arr.values, safe), "[", "]")
        out = pc.if_else(arr.is_valid(), out, pa.nulls(len(arr), pa.large_string()))
    elif pa.types.is_integer(t):
        out = arr.cast(pa.large_string())
    elif pa.types.is_boolean(t):
        out = pc.if_else(arr, _text("true"), _text("false"))
    elif pa.types.is_string(t) or pa.types.is_large_string(t):
        out = _quoted(arr, safe)
    elif pa.types.is_null(t):
        out = pa.nulls(len(arr), pa.large_string())
    else:  # floats and anything else: exactly what json.dumps writes
        out = pa.array([None if v is None else json.dumps(v, ensure_ascii=False)
                        for v in arr.to_pylist()], pa.large_string())
    return out.fill_null("null")


def _row_json(table: pa.Table, safe: set = frozenset()) -> pa.Array:
    """One JSON object text per row, keys in column order, as ``json.dumps(dict)`` writes it.
    ``safe``: columns known to hold no text JSON escapes."""
    if table.num_rows == 0:
        return pa.array([], pa.large_string())
    if table.num_columns == 0:
        return pa.array(["{}"] * table.num_rows, pa.string())
    pieces: list = []  # literal texts and arrays, in order
    for i, name in enumerate(table.column_names):
        col = table.column(i)
        col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        key = ("{" if i == 0 else ", ") + json.dumps(str(name), ensure_ascii=False) + ": "
        if name in safe and pa.types.is_string(col.type) and col.null_count == 0:
            pieces += [key + '"', col, '"']  # the quotes go into the literals around it
        else:
            pieces += [key, _value_json(col, name in safe)]
    pieces.append("}")
    merged: list = []
    for p in pieces:  # neighbouring literals become one
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        else:
            merged.append(p)
    arrays = [p for p in merged if not isinstance(p, str)]
    literal = sum(len(p.encode()) for p in merged if isinstance(p, str))
    # (a sliced list child's nbytes over-counts: the estimate errs towards large_string)
    size = sum(a.nbytes for a in arrays) + table.num_rows * literal
    # 32-bit offsets join about three times faster than 64-bit ones: used while they fit
    kind = pa.string() if size < (1 << 31) - (1 << 20) else pa.large_string()
    parts = [pa.scalar(p, kind) if isinstance(p, str) else p.cast(kind) for p in merged]
    return pc.binary_join_element_wise(*parts, pa.scalar("", kind))


def _text(s: str) -> pa.Scalar:
    return pa.scalar(s, pa.large_string())


def plain(obj):
    """A copy of ``obj`` (a report) with every :class:`Rows` made a list of dicts: what
    ``json.dumps`` or code that needs real lists takes."""
    if isinstance(obj, Rows):
        return obj.to_list()
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def json_default(obj):
    """``json.dump(report, default=json_default)`` writes a :class:`Rows` as its list."""
    if isinstance(obj, Rows):
        return obj.to_list()
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")
