"""Reading one or many inputs as one table, with provenance (``_source``, ``_row``).

``TableInput`` is what every command uses: it resolves the paths (or stdin), opens a reader per
source, aligns columns by name across sources (a column missing from one source is empty there)
and streams Arrow record batches or pandas DataFrames. ``read_table`` is the notebook shortcut.
"""

from __future__ import annotations

import re
from typing import Iterator

import numpy as np
import pyarrow as pa

from .history import merged_history
from .options import plan
from .readers import ReadOptions, TextReader, open_reader
from .sources import resolve

PROVENANCE = ("_source", "_row")

# A trailing row with one filled cell saying this: a report footer, not a record.
FOOTER_RX = re.compile(
    r"(?i)(?:\bend of (?:the )?(?:report|data|file|records?|extract|return|statement|list)\b|"
    r"\b\d[\d,]*\s+(?:records?|rows?|calls?|entries|items|lines|transactions)\b|"
    r"\b(?:total|totals|records?|rows?|count)\b\s*[:=]?\s*\d|^\s*total\b|\bpage \d+ of \d+\b|"
    r"\b(?:report (?:run|generated|produced)|generated (?:on|by|at)|printed (?:on|by|at)|"
    r"produced by)\b|^\s*(?:\*{3,}|-{3,}|={3,})|\bconfidential\b)")
_COUNT_RX = re.compile(r"(?i)\b(\d[\d,]*)\s+(?:records?|rows?|calls?|entries|items|lines|transactions)\b"
                       r"|\b(?:records?|rows?|count|total)\b\s*[:=]?\s*(\d[\d,]*)")
MAX_FOOTER_ROWS = 5


class TableInput:
    def __init__(self, paths=None, *, format: str | None = None, encoding: str | None = None,
                 sheet: str | None = None, skip: int = 0, delimiter: str | None = None,
                 header: bool = True, provenance: bool = True, batch_rows: int = 65536, stdin=None,
                 footers: bool = True, ragged: bool | None = None):
        if isinstance(paths, str):
            paths = [paths]
        if ragged is None:  # the command line's --ragged (False in library use)
            from .readers import COMMAND_LINE

            ragged = COMMAND_LINE.ragged
        self.opts = ReadOptions(skip=skip, sheet=sheet, delimiter=delimiter, header=header,
                                batch_rows=batch_rows, ragged=ragged)
        self.provenance = provenance
        # Trailing report footers (END OF REPORT - 1630 RECORDS) are left out and reported in
        # self.footers: (source name, row, text). Readers with their own footer logic (calls,
        # bank) turn this off.
        self.drop_footers = footers and header
        self.footers: list[tuple[str, int, str]] = []
        self.sources = resolve(list(paths) if paths else None, format, encoding, stdin, fit=True)
        plans = plan(self.sources, sheet=sheet, skip=skip, delimiter=delimiter,
                     encoding_given=encoding, format_given=format)
        self.source_opts = [ReadOptions(skip=p.get("skip", 0), sheet=p.get("sheet"),
                                        delimiter=p.get("delimiter"), header=p.get("header", header),
                                        batch_rows=batch_rows, ragged=ragged) for p in plans]
        for s, p in zip(self.sources, plans):
            s.details.update({k: v for k, v in p.items() if k in ("skip",) and v})
        self.readers = [open_reader(s, o) for s, o in zip(self.sources, self.source_opts)]
        self._peeked: dict[int, tuple] = {}
        self._unique = [_unique_names(r.schema(), s.name) for r, s in zip(self.readers, self.sources)]
        self._renames = [self._foreign_provenance(i, r) for i, r in enumerate(self.readers)]
        self._schemas = [self._with_provenance(_rename_schema(_nested_as_text(_positional(r.schema(), u)), ren))
                         for r, ren, u in zip(self.readers, self._renames, self._unique)]
        self.schema = unify_schemas(self._schemas)
        self.rows_read = 0

    @property
    def columns(self) -> list[str]:
        return list(self.schema.names)

    @property
    def history(self) -> list:
        return merged_history(self.sources)

    @property
    def name(self) -> str:
        return ", ".join(s.name for s in self.sources)

    def require(self, columns) -> None:
        """Stop with a usage error unless EVERY input has each of ``columns``.

        Checking the stacked columns alone would let a file without the column pass silently
        (its rows would simply have nothing to work on)."""
        from ..errors import require_columns

        for source, schema in zip(self.sources, self._schemas):
            require_columns(schema.names, columns, source.name)

    def _foreign_provenance(self, i: int, reader) -> dict:
        """An input's own ``_source``/``_row`` columns: toex's provenance from an earlier step
        (both present, ``_row`` whole numbers from 1) is kept as it is; anything else (an
        analyst's export with 'row seven', a lone ``_row``) is evidence and is kept renamed
        ``_source_in``/``_row_in`` beside fresh provenance. Returns the renames."""
        names = self._unique[i] or reader.schema().names
        present = [p for p in PROVENANCE if p in names]
        if not present or not self.provenance:
            return {}
        if len(present) == 2 and self._rows_are_numbers(i, reader):
            return {}
        renames = {}
        for p in present:
            new = f"{p}_in"
            while new in names or new in renames.values():
                new += "_"
            renames[p] = new
        from .. import console

        console.warn(f"{self.sources[i].name}: its own {' and '.join(present)} column(s) are not "
                     f"toex provenance: kept as {', '.join(renames.values())}, beside toex's "
                     "_source and _row")
        return renames

    def _rows_are_numbers(self, i: int, reader) -> bool:
        t = reader.schema().field("_row").type
        if pa.types.is_integer(t):
            return True
        if not pa.types.is_string(t) and not pa.types.is_large_string(t):
            return False
        batches = reader.batches()
        first = next(batches, None)
        self._peeked[i] = (first, batches)
        if first is None or first.num_rows == 0:
            return True
        return _row_numbers_or_none(first.column(first.schema.get_field_index("_row"))) is not None

    def _with_provenance(self, schema: pa.Schema) -> pa.Schema:
        if all(p in schema.names for p in PROVENANCE):
            if pa.types.is_string(schema.field("_row").type):
                return schema.set(schema.get_field_index("_row"), pa.field("_row", pa.int64()))
            return schema
        if not self.provenance:
            return schema
        fields = [f for f in schema if f.name not in PROVENANCE]
        return pa.schema(fields + [pa.field("_source", pa.string()), pa.field("_row", pa.int64())])

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Record batches in input order, conformed to ``self.schema``."""
        for i, (source, reader, schema) in enumerate(zip(self.sources, self.readers, self._schemas)):
            row = reader.first_row() if isinstance(reader, TextReader) else 1
            renames = self._renames[i]
            has_own = not renames and all(p in reader.schema().names for p in PROVENANCE)
            if i in self._peeked:
                first, rest = self._peeked.pop(i)
                stream = _chain([first] if first is not None else [], rest)
            else:
                stream = reader.batches()
            # The last batch of a source is held back to take a footer off it; only where one may
            # be (a CSV whose last line looks like one; workbooks, read whole anyway).
            look = self.drop_footers and not has_own and _may_end_in_footer(source)
            held = None
            for batch in stream:
                if self._unique[i]:
                    batch = pa.RecordBatch.from_arrays(batch.columns, names=self._unique[i])
                batch = _nested_to_text(batch, source.name)
                if renames:
                    batch = _rename_batch(batch, renames)
                n = batch.num_rows
                if self.provenance and not has_own:
                    cols = [batch.column(i) for i, f in enumerate(batch.schema) if f.name not in PROVENANCE]
                    names = [f.name for f in batch.schema if f.name not in PROVENANCE]
                    cols += [constant_text(source.name, n), row_numbers(row, n)]
                    names += list(PROVENANCE)
                    batch = pa.RecordBatch.from_arrays(cols, names=names)
                elif has_own and pa.types.is_string(batch.schema.field("_row").type):
                    batch = _row_as_int(batch, source.name)
                row += n
                self.rows_read += n
                if not look:
                    yield conform(batch, self.schema)
                    continue
                if held is not None:
                    yield held
                held = conform(batch, self.schema)
            if held is not None:
                yield self._without_footer(source.name, held, row)

    def _without_footer(self, name: str, batch: pa.RecordBatch, next_row: int) -> pa.RecordBatch:
        """``batch`` without its trailing footer rows (one filled cell matching FOOTER_RX)."""
        data = [i for i, f in enumerate(batch.schema) if f.name not in PROVENANCE]
        n = batch.num_rows
        if len(data) < 2 or not n:
            return batch
        cut = n
        found = []
        for k in range(n - 1, max(-1, n - 1 - MAX_FOOTER_ROWS), -1):
            cells = []
            for i in data:
                v = batch.column(i)[k].as_py()
                if v is not None and str(v).strip():
                    cells.append(str(v).strip())
            if len(cells) != 1 or not FOOTER_RX.search(cells[0]):
                break
            found.append(cells[0])
            cut = k
        if cut == n:
            return batch
        found.reverse()
        first_row = next_row - (n - cut)
        rows_before = first_row - 1
        for j, text in enumerate(found):
            self.footers.append((name, first_row + j, text))
        self.rows_read -= n - cut
        from .. import console

        stated = _stated_count(found)
        check = ""
        if stated is not None:
            check = (f"; it states {stated:,}, and {rows_before:,} data rows were read" +
                     ("" if stated == rows_before else " (they DIFFER)"))
        if getattr(self, "quiet", False):
            return batch.slice(0, cut)
        console.warn(f"{name}: row {first_row}: footer left out, not loaded as data: "
                     + " | ".join(f"'{t}'" for t in found) + check)
        return batch.slice(0, cut)

    @property
    def rereadable(self) -> bool:
        """Every source can be read again from the start (files, and standard input, which is
        spooled to a temporary file) - all but an Arrow stream read straight from stdin."""
        return all(s.stream is None and s.path for s in self.sources)

    def reopen(self) -> "TableInput":
        """The same inputs read again from the start, with the same options and schema (for
        commands that read a table twice: once for what they need, once to write it out)."""
        import copy

        if not self.rereadable:
            raise ValueError("an Arrow stream on standard input can be read only once")
        other = copy.copy(self)
        other.readers = [open_reader(s, o) for s, o in zip(self.sources, self.source_opts)]
        other._peeked = {}
        other.rows_read = 0
        other.footers = []
        other.quiet = True  # footers are left out again, but were reported the first time
        return other

    def frames(self) -> Iterator["pd.DataFrame"]:  # noqa: F821
        for batch in self.batches():
            yield to_frame(batch)

    def read(self) -> "pd.DataFrame":  # noqa: F821
        """Everything as one DataFrame (every text column as pandas ``str``)."""
        return to_frame(pa.Table.from_batches(list(self.batches()), schema=self.schema))


_DELIMS = re.compile(r"[,;\t|]")


def _may_end_in_footer(source) -> bool:
    """Could this source end in a footer row? Workbooks: maybe (they are read whole). A text
    table: only when its last line has at most one filled field that reads like a footer,
    judged on the file's last few KB without reading it all."""
    if source.format in ("excel", "html"):
        return True
    if source.format != "csv" or not source.path:
        return False
    import os

    try:
        with open(source.path, "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - 4096))
            tail = fh.read()
    except OSError:
        return False
    enc = (source.encoding or "utf-8").lower()
    text = tail.decode("utf-16" if enc.startswith("utf-16") and not len(tail) % 2 else
                       "utf-8" if enc.startswith("utf-16") else enc, errors="replace")
    lines = [ln for ln in text.splitlines() if ln.strip(" \t\r,;|\"'")]
    if not lines:
        return False
    fields = [f.strip(" \"'") for f in _DELIMS.split(lines[-1])]
    filled = [f for f in fields if f]
    return len(filled) == 1 and bool(FOOTER_RX.search(filled[0]))


def _stated_count(lines) -> int | None:
    for line in lines:
        m = _COUNT_RX.search(line)
        if m:
            try:
                return int((m.group(1) or m.group(2)).replace(",", ""))
            except ValueError:
                continue
    return None


# Built from raw buffers: pa.array() on Python or numpy objects imports pandas (a quarter of a
# second), which a plain `toex convert` never needs.
def constant_text(value: str, n: int) -> pa.Array:
    """A string array holding ``value`` n times."""
    data = value.encode("utf-8")
    offsets = np.arange(0, (n + 1) * len(data), len(data) or 1, dtype=np.int32)[: n + 1]
    if not data:
        offsets = np.zeros(n + 1, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data * n)])


def row_numbers(first: int, n: int) -> pa.Array:
    """int64 array first, first + 1, ..., first + n - 1."""
    return pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(np.arange(first, first + n, dtype=np.int64))])


def _is_nested(t: pa.DataType) -> bool:
    """Types read as text: nested values (as JSON), binary (as hex), unsigned 64-bit integers
    (beyond int64 and pandas' reach), durations, intervals and floats (NaN and Inf kept as 'nan',
    'inf': pandas would turn NaN into an empty cell), as text."""
    return (pa.types.is_nested(t) or _is_binary(t) or pa.types.is_uint64(t)
            or pa.types.is_duration(t) or pa.types.is_interval(t) or pa.types.is_float16(t)
            or pa.types.is_null(t) or pa.types.is_floating(t))


def _is_binary(t: pa.DataType) -> bool:
    return (pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t)
            or getattr(pa.types, "is_binary_view", lambda _t: False)(t))


def _nested_as_text(schema: pa.Schema) -> pa.Schema:
    """List, struct and map columns (a Parquet/Arrow file from another pipeline) are read as
    JSON text, as JSON Lines nested values are; binary columns as hex: every toex command works
    on text."""
    if not any(_is_nested(f.type) for f in schema):
        return schema
    return pa.schema([pa.field(f.name, pa.string()) if _is_nested(f.type) else f for f in schema],
                     metadata=schema.metadata)


_WARNED_BINARY: set = set()


def _nested_to_text(batch: pa.RecordBatch, source_name: str = "", warned: set | None = None) -> pa.RecordBatch:
    """``warned``: the (source, column) pairs already reported (default: once per process)."""
    if not any(_is_nested(f.type) for f in batch.schema):
        return batch
    warned = _WARNED_BINARY if warned is None else warned
    import json

    def text(field, col):
        if _is_binary(col.type):
            if (source_name, field.name) not in warned:
                warned.add((source_name, field.name))
                from .. import console

                console.warn(f"{source_name}: column '{field.name}' holds binary data: written as "
                             "hexadecimal text")
            return pa.array([None if v is None else v.hex() for v in col.to_pylist()], pa.string())
        if pa.types.is_nested(col.type):
            return pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                             for v in col.to_pylist()], pa.string())
        if pa.types.is_float16(col.type):
            col = col.cast(pa.float32())
        if pa.types.is_floating(col.type):
            from .writers import float_text

            return float_text(col)
        try:
            return col.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return pa.array([None if v is None else str(v) for v in col.to_pylist()], pa.string())

    cols = [text(f, c) if _is_nested(c.type) else c for f, c in zip(batch.schema, batch.columns)]
    return pa.RecordBatch.from_arrays(cols, schema=_nested_as_text(batch.schema))


def _row_as_int(batch: pa.RecordBatch, source_name: str = "input") -> pa.RecordBatch:
    """``_row`` read back from CSV/Excel is text; make it a number again."""
    i = batch.schema.get_field_index("_row")
    col = _row_numbers_or_none(batch.column(i))
    if col is None:
        bad = next((v for v in batch.column(i).to_pylist() if v is not None and not _is_row_number(v)), "")
        from ..errors import DataError

        raise DataError(f"{source_name}: column _row holds '{str(bad)[:40]}' after rows numbered by "
                        "toex: rename that column (or give --no-provenance) to keep it as data")
    return batch.set_column(i, pa.field("_row", pa.int64()), col)


def _is_row_number(v) -> bool:
    return isinstance(v, str) and v.strip().isdigit()


def _row_numbers_or_none(col):
    """``col`` (text) as int64 when every value is a whole number (blank = missing), else None."""
    import pyarrow.compute as pc

    try:
        text = pc.utf8_trim_whitespace(col)
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        return text.cast(pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _unique_names(schema: pa.Schema, source_name: str):
    """A Parquet/Arrow file may repeat a column name; such columns were looked up by name and
    came out empty. Returns names made unique (a, a_2) by position, or None when they are."""
    names = schema.names
    if len(set(names)) == len(names):
        return None
    from .readers import clean_names

    unique = clean_names(names, keep_trailing_blank=True)
    from .. import console

    console.warn(f"{source_name}: repeated column names renamed by position: "
                 + ", ".join(f"{a} -> {b}" for a, b in zip(names, unique) if a != b))
    return unique


def _positional(schema: pa.Schema, names) -> pa.Schema:
    if not names:
        return schema
    return pa.schema([f.with_name(n) for f, n in zip(schema, names)], metadata=schema.metadata)


def _chain(first, rest):
    yield from first
    yield from rest


def _rename_schema(schema: pa.Schema, renames: dict) -> pa.Schema:
    if not renames:
        return schema
    return pa.schema([f.with_name(renames.get(f.name, f.name)) for f in schema], metadata=schema.metadata)


def _rename_batch(batch: pa.RecordBatch, renames: dict) -> pa.RecordBatch:
    names = [renames.get(n, n) for n in batch.schema.names]
    return pa.RecordBatch.from_arrays(batch.columns, names=names)


def to_frame(data) -> "pd.DataFrame":  # noqa: F821
    """Arrow to pandas without turning an integer column with gaps into floats.

    pandas' default makes ``[1234, null]`` into ``1234.0, NaN``; a typed Parquet column of
    account or phone numbers would then come out as ``1234.0``. Such batches use pandas'
    nullable ``Int64`` instead.
    """
    gaps = any(pa.types.is_integer(f.type) and col.null_count
               for f, col in zip(data.schema, data.columns))
    if not gaps:
        return data.to_pandas()
    import pandas as pd

    return data.to_pandas(types_mapper=lambda t: pd.Int64Dtype() if pa.types.is_integer(t) else None)


def unify_schemas(schemas: list[pa.Schema]) -> pa.Schema:
    """Columns in first-seen order; a column whose type differs between sources becomes text."""
    order: dict[str, pa.DataType] = {}
    for schema in schemas:
        for f in schema:
            if f.name not in order:
                order[f.name] = f.type
            elif order[f.name] != f.type:
                order[f.name] = pa.string()
    # provenance last, originals first
    names = [n for n in order if n not in PROVENANCE] + [n for n in PROVENANCE if n in order]
    return pa.schema([(n, order[n]) for n in names])


def conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    if batch.schema.equals(schema, check_metadata=False):
        return batch
    arrays = []
    n = batch.num_rows
    for f in schema:
        i = batch.schema.get_field_index(f.name)
        if i < 0:
            arrays.append(pa.nulls(n, f.type))
        else:
            col = batch.column(i)
            arrays.append(col if col.type == f.type else col.cast(f.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def read_table(paths=None, **options) -> "pd.DataFrame":  # noqa: F821
    """Read one or more files (or '-' for stdin) into a DataFrame, every text column as text.

    >>> df = read_table("calls.xlsx", sheet="Sheet2")        # doctest: +SKIP
    >>> df[["_source", "_row"]].head()                        # doctest: +SKIP
    """
    return TableInput(paths, **options).read()
