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
                 footers: bool = True):
        if isinstance(paths, str):
            paths = [paths]
        self.opts = ReadOptions(skip=skip, sheet=sheet, delimiter=delimiter, header=header,
                                batch_rows=batch_rows)
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
                                        batch_rows=batch_rows) for p in plans]
        for s, p in zip(self.sources, plans):
            s.details.update({k: v for k, v in p.items() if k in ("skip",) and v})
        self.readers = [open_reader(s, o) for s, o in zip(self.sources, self.source_opts)]
        self._schemas = [self._with_provenance(_nested_as_text(r.schema())) for r in self.readers]
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
        for source, reader, schema in zip(self.sources, self.readers, self._schemas):
            row = reader.first_row() if isinstance(reader, TextReader) else 1
            has_own = all(p in reader.schema().names for p in PROVENANCE)
            # The last batch of a source is held back to take a footer off it; only where one may
            # be (a CSV whose last line looks like one; workbooks, read whole anyway).
            look = self.drop_footers and not has_own and _may_end_in_footer(source)
            held = None
            for batch in reader.batches():
                batch = _nested_to_text(batch)
                n = batch.num_rows
                if self.provenance and not has_own:
                    cols = [batch.column(i) for i, f in enumerate(batch.schema) if f.name not in PROVENANCE]
                    names = [f.name for f in batch.schema if f.name not in PROVENANCE]
                    cols += [constant_text(source.name, n), row_numbers(row, n)]
                    names += list(PROVENANCE)
                    batch = pa.RecordBatch.from_arrays(cols, names=names)
                elif has_own and pa.types.is_string(batch.schema.field("_row").type):
                    batch = _row_as_int(batch)
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
    return pa.types.is_nested(t)


def _nested_as_text(schema: pa.Schema) -> pa.Schema:
    """List, struct and map columns (a Parquet/Arrow file from another pipeline) are read as
    JSON text, as JSON Lines nested values are: every toex command works on text."""
    if not any(_is_nested(f.type) for f in schema):
        return schema
    return pa.schema([pa.field(f.name, pa.string()) if _is_nested(f.type) else f for f in schema],
                     metadata=schema.metadata)


def _nested_to_text(batch: pa.RecordBatch) -> pa.RecordBatch:
    if not any(_is_nested(f.type) for f in batch.schema):
        return batch
    import json

    def text(col):
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                         for v in col.to_pylist()], pa.string())

    cols = [text(c) if _is_nested(c.type) else c for c in batch.columns]
    return pa.RecordBatch.from_arrays(cols, schema=_nested_as_text(batch.schema))


def _row_as_int(batch: pa.RecordBatch) -> pa.RecordBatch:
    """``_row`` read back from CSV/Excel is text; make it a number again when it is one."""
    i = batch.schema.get_field_index("_row")
    try:
        col = batch.column(i).cast(pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return batch
    return batch.set_column(i, pa.field("_row", pa.int64()), col)


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
