"""Writing tables: CSV/TSV, Parquet, Arrow IPC, JSON Lines, Excel; to a file or stdout.

Files are written atomically (a temporary file in the same folder, renamed at the end), so an
interrupted run never leaves half a table where a whole one is expected. An existing file, or
any of the inputs, is never overwritten without ``force``. Parquet and Arrow outputs carry the
processing history (see ``history.py``).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

import pyarrow as pa

from ..errors import DataError, ToexError, UsageError
from .history import HISTORY_KEY, encode_history, make_step

OUTPUT_EXTENSIONS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet",
    ".arrow": "arrow", ".feather": "arrow", ".ipc": "arrow", ".arrows": "arrow",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx",
}
OUTPUT_FORMATS = ("csv", "tsv", "parquet", "arrow", "jsonl", "xlsx")
BINARY = ("parquet", "arrow", "xlsx")
DATABASES = ("duckdb", "sqlite")
EXCEL_MAX_ROWS = 1_048_575  # plus the header row
EXCEL_MAX_CELL = 32_767

_FORMULA_START = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = r"^[+-]?[0-9][0-9,]*(\.[0-9]+)?$"


def excel_safe_cell(value):
    """--excel-safe for one cell (a header name, a value of a small sheet): a text starting with
    = + - @, tab or CR that is not a plain number gets a leading ' (Arrow columns: _neutralise)."""
    import re

    if isinstance(value, str) and re.match(_FORMULA_START, value) and not re.match(_PLAIN_NUMBER, value):
        return "'" + value
    return value


def output_format(output: str | None, to: str | None) -> str:
    from .store import db_kind, split_target

    target = split_target(output) if output not in (None, "-") else None
    if target is not None:
        return db_kind(target[0])
    if to is not None and to.lower() in ("duckdb", "sqlite"):
        raise UsageError(f"--to {to.lower()}: give the database file with -o (e.g. -o case.{to.lower()})")
    if to is not None:
        to = to.lower().lstrip(".")
        to = {"ipc": "arrow", "feather": "arrow", "excel": "xlsx", "ndjson": "jsonl"}.get(to, to)
        if to not in OUTPUT_FORMATS:
            raise UsageError(f"unknown output format '{to}'; use one of {', '.join(OUTPUT_FORMATS)}")
        return to
    if output in (None, "-"):
        return "csv"
    ext = os.path.splitext(output)[1].lower()
    if ext in OUTPUT_EXTENSIONS:
        return OUTPUT_EXTENSIONS[ext]
    if not ext and is_special(output):
        return "csv"  # -o /dev/stdout, -o a FIFO: CSV as on stdout
    raise UsageError(f"{output}: cannot tell the output format from the extension '{ext or '(none)'}'; "
                     f"use --to ({', '.join(OUTPUT_FORMATS)}), or -o case.duckdb / case.sqlite")


def is_special(path: str | None) -> bool:
    """An existing FIFO, device or socket: written into in place, never replaced."""
    if path in (None, "-"):
        return False
    try:
        import stat

        return not stat.S_ISREG(os.stat(path).st_mode) and not stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def check_output_path(output: str | None, force: bool, inputs=()) -> None:
    """Refuse to clobber an existing file or an input unless forced."""
    if output in (None, "-") or is_special(output):
        return
    if os.path.isdir(output):
        raise UsageError(f"{output}: is a directory; give a file name for -o")
    parent = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(parent):
        raise UsageError(f"{output}: folder {parent} does not exist")
    if os.path.exists(output) and not force:
        for s in inputs:
            if s.path and os.path.exists(s.path) and os.path.samefile(s.path, output):
                raise UsageError(f"{output}: is also an input; write elsewhere (or --force to replace it)")
        raise UsageError(f"{output}: already exists; use --force to overwrite it")


def _output_key(path: str):
    """What identifies the file (or case-store table) an output option names: the same file
    through ``./x``, ``a/../x``, a symlink or a hard link gives the same key."""
    from .store import split_target

    table = None
    target = split_target(path)
    if target is not None:
        path, table = target
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
        ident = ("inode", st.st_dev, st.st_ino)
    except OSError:
        ident = ("path", os.path.normcase(real))
    return ident, table


def check_outputs(outputs, *, force: bool = False, inputs=(), table_outputs=(), to=None) -> None:
    """Refuse, before anything is read or written, a command's outputs that cannot all be written.

    ``outputs``: ``(option, path)`` pairs (a None path is an option not given; ``-`` is stdout).
    Two options naming one file (``-o x.csv --report x.csv``, ``-o ./x.csv --html x.csv``, a
    symlink to it, a hard link) are a usage error, and so is any output ``check_output_path``
    would refuse (existing without ``--force``, an input, a missing folder). ``table_outputs``
    are the options written as tables: their format must be known from the name (or ``to``).
    The null device may take several outputs; two outputs on stdout may not.
    """
    seen: dict = {}
    for option, path in outputs:
        if path is None:
            continue
        if path == "-":
            key = ("stdout",)
        elif os.path.realpath(path) == os.path.realpath(os.devnull):
            continue
        else:
            key = _output_key(path)
        if key in seen:
            other = seen[key]
            what = "standard output" if path == "-" else "file"
            raise UsageError(f"{other[0]} {other[1]} and {option} {path} name the same {what}; "
                             "give each output its own file")
        seen[key] = (option, path)
    for option, path in outputs:
        if path in (None, "-"):
            continue
        from .store import split_target

        if option in table_outputs:
            output_format(path, to if option == table_outputs[0] else None)
        if split_target(path) is None:
            check_output_path(path, force, inputs)


def open_atomic(path: str, option: str = "-o"):
    """Open ``path`` for a whole-or-nothing write: ``(file, temp)``. A FIFO or device is opened
    and written into (``temp`` is None), never replaced by a regular file (as root, a rename
    would replace /dev/null itself); anything else gets a temp file beside it that
    :func:`commit_atomic` renames into place."""
    if is_special(path):
        try:
            return open(path, "wb"), None
        except OSError as exc:
            raise UsageError(f"{path}: cannot write ({exc.strerror or exc})") from None
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".part", dir=folder)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write in {folder} ({exc.strerror or exc}); "
                         f"choose another {option}") from None
    return os.fdopen(fd, "wb"), tmp


def commit_atomic(tmp: str | None, path: str) -> None:
    """Rename a closed temp file from :func:`open_atomic` into place, with the permissions a
    plain ``open`` would have given (mkstemp makes it 0600)."""
    if tmp is None:  # a FIFO or device, written in place
        return
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    os.replace(tmp, path)


def write_bytes_atomic(data: bytes, path: str, force: bool = False, option: str = "-o") -> None:
    """Write ``data`` to ``path`` whole or not at all (temp file in the same folder, renamed at
    the end); an existing file only with ``force``; a FIFO or device is written into, never
    replaced."""
    check_output_path(path, force)
    fh, tmp = open_atomic(path, option)
    if tmp is None:  # a FIFO or device
        try:
            with fh:
                fh.write(data)
        except OSError as exc:
            raise UsageError(f"{path}: cannot write ({exc.strerror or exc})") from None
        return
    try:
        with fh:
            fh.write(data)
        commit_atomic(tmp, path)
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_json_atomic(value, path: str, force: bool = False, option: str = "--report",
                      default=str) -> None:
    """A JSON report (indented, UTF-8, final newline) written as ``write_bytes_atomic`` does."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=default) + "\n"
    write_bytes_atomic(text.encode("utf-8"), path, force, option)


def normalise_schema(schema: pa.Schema) -> pa.Schema:
    """Types every output format can hold: large strings become strings, null columns text."""
    fields = []
    for f in schema:
        t = f.type
        if pa.types.is_large_string(t) or pa.types.is_null(t) or pa.types.is_string_view(t):
            t = pa.string()
        elif pa.types.is_dictionary(t):
            t = t.value_type if not pa.types.is_large_string(t.value_type) else pa.string()
        fields.append(pa.field(f.name, t))
    return pa.schema(fields)


def to_batch(data) -> pa.RecordBatch | pa.Table:
    if isinstance(data, (pa.RecordBatch, pa.Table)):
        return data
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return _frame_to_arrow(data)
    raise TypeError(f"cannot write {type(data).__name__}")


def column_arrays(df) -> list:
    """The pandas arrays of ``df``'s columns, by position, without building a Series for each
    (``df.iloc[:, i]`` costs ~50 µs a column: seconds on a 20,000-column table)."""
    try:
        return list(df._iter_column_arrays())
    except AttributeError:  # a pandas without it: the public, slower way
        return [df.iloc[:, i].array for i in range(df.shape[1])]


def _frame_to_arrow(df) -> pa.Table:
    """``pa.Table.from_pandas`` in time linear in the columns with a small constant.

    Columns pandas already holds as Arrow (every text column read by toex) are taken as they are;
    the others (numbers, times, Python objects) go through ``from_pandas`` together, so their
    conversion is exactly pandas' own.
    """
    arrays = column_arrays(df)
    names = [str(c) for c in df.columns]
    out: list = [None] * len(arrays)
    rest = []
    for i, arr in enumerate(arrays):
        native = getattr(arr, "_pa_array", None)
        if isinstance(native, (pa.Array, pa.ChunkedArray)):
            out[i] = native
        else:
            rest.append(i)
    if rest:
        part = df.iloc[:, rest]
        part.columns = range(len(rest))  # positions: duplicate or odd names cannot confuse it
        try:
            conv = pa.Table.from_pandas(part, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            # mixed Python objects in a column: write their text
            fixed = part.copy()
            for c in fixed.columns:
                if fixed[c].dtype == object:
                    fixed[c] = fixed[c].map(lambda v: None if v is None or v != v else str(v))
            conv = pa.Table.from_pandas(fixed, preserve_index=False)
        for j, i in enumerate(rest):
            out[i] = conv.column(j)
    if not arrays:
        return pa.Table.from_pandas(df, preserve_index=False)
    return pa.Table.from_arrays(out, names=names)


class TableWriter:
    """Write batches (Arrow or pandas) to ``output`` (None or '-' = stdout).

    Use as a context manager; leaving it with an exception removes the temporary file.
    """

    def __init__(self, output: str | None = None, *, to: str | None = None, force: bool = False,
                 excel_safe: bool = False, inputs=(), history=(), stdout=None, sheet_name="data",
                 table: str | None = None, replace: bool | None = None, table_kind: str | None = None):
        self.output = None if output in (None, "-") else output
        self.format = output_format(output, to)
        self.table = None
        self._store = None
        self.command: str | None = None  # the history's command line (default: this process's)
        self.force = force
        self.excel_safe = excel_safe
        self.inputs = list(inputs)
        self.history = list(history)
        self.sheet_name = sheet_name
        self.rows = 0
        self.neutralised = 0
        self.truncated_cells = 0
        self.schema: pa.Schema | None = None
        self._sink = None
        self._tmp = None
        self._impl = None
        if self.format in DATABASES:
            from .store import StoreWriter, resolve_table

            from .store import CLI

            path, self.table, replace = resolve_table(output, table, replace, self.inputs)
            kind = table_kind or (CLI.default if output == CLI.output else None)
            self._store = StoreWriter(path, self.table, replace=replace, kind=kind)
            self.output = f"{path}:{self.table}"
            return
        from .store import check_not_store_options

        check_not_store_options(output, table, replace)
        check_output_path(self.output, force, self.inputs)
        stdout = stdout if stdout is not None else sys.stdout
        if self.output is None and not _usable(stdout):
            raise UsageError("standard output is closed; give -o FILE (or run without >&-)")
        if self.output is None:
            if self.format in BINARY and _isatty(stdout):
                raise UsageError(f"refusing to write {self.format} to a terminal; use -o FILE or pipe it")
            self._sink = getattr(stdout, "buffer", stdout)
        else:
            self._sink, self._tmp = open_atomic(self.output)

    # -- context manager
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.abort()
        return False

    # -- writing
    def write(self, data) -> None:
        batch = to_batch(data)
        if self.excel_safe:
            batch = self._safe_names(batch)
        if self.schema is None:
            self.schema = normalise_schema(batch.schema.remove_metadata())
            self._open()
        batch = self._conform(batch)
        if self.excel_safe:
            batch = self._neutralise(batch)
        if batch.num_rows == 0:
            return
        if self.format == "xlsx" and self.rows + batch.num_rows > EXCEL_MAX_ROWS:
            raise DataError(f"{self.output}: more than {EXCEL_MAX_ROWS:,} rows do not fit in an Excel "
                            "sheet; write .parquet or .csv instead")
        self._impl.write(batch)
        self.rows += batch.num_rows

    def _conform(self, batch):
        schema = self.schema
        if batch.schema.names != schema.names:
            raise ToexError(f"internal error: columns changed while writing ({batch.schema.names} vs {schema.names})")
        arrays = []
        for i, f in enumerate(schema):
            col = batch.column(i)
            if col.type != f.type:
                try:
                    col = col.cast(f.type)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    col = col.cast(pa.string()) if pa.types.is_string(f.type) else col
                    if col.type != f.type:
                        raise ToexError(f"internal error: column '{f.name}' changed type "
                                        f"from {f.type} to {col.type} while writing") from None
            arrays.append(col)
        if isinstance(batch, pa.Table):
            return pa.Table.from_arrays(arrays, schema=schema)
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    def _safe_names(self, batch):
        """--excel-safe: a header cell is a cell too (a column named '=HYPERLINK(...)')."""
        names = batch.schema.names
        safe = [excel_safe_cell(n) for n in names]
        if safe == names:
            return batch
        if self.schema is None:
            self.neutralised += sum(a != b for a, b in zip(names, safe))
        cls = pa.Table if isinstance(batch, pa.Table) else pa.RecordBatch
        return cls.from_arrays(batch.columns, names=safe)

    def _neutralise(self, batch):
        import pyarrow.compute as pc

        arrays = []
        for col, f in zip(batch.columns, batch.schema):
            if pa.types.is_string(f.type):  # _source too: a file may be named =x.csv
                risky = pc.and_(pc.match_substring_regex(col, _FORMULA_START),
                                pc.invert(pc.match_substring_regex(col, _PLAIN_NUMBER)))
                risky = pc.fill_null(risky, False)
                n = pc.sum(risky).as_py() or 0
                if n:
                    self.neutralised += n
                    col = pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col)
            arrays.append(col)
        cls = pa.Table if isinstance(batch, pa.Table) else pa.RecordBatch
        return cls.from_arrays(arrays, schema=batch.schema)

    def _open(self):
        if self._store is not None:
            self._store.open(self.schema)
            self._impl = self._store
            return
        impl = {"csv": _CsvImpl, "tsv": _CsvImpl, "parquet": _ParquetImpl, "arrow": _ArrowImpl,
                "jsonl": _JsonlImpl, "xlsx": _XlsxImpl}[self.format]
        self._impl = impl(self)

    def provisional_history(self) -> bytes:
        return encode_history(self.history + [make_step(self.inputs, None, None)])

    def close(self, rows_in: int | None = None) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            try:
                store.commit(make_step(self.inputs, rows_in, self.rows, self.command), self.history)
            except BaseException:
                store.abort()
                raise
            return
        if self._sink is None:
            return
        if self.schema is None:  # nothing was written: still produce a valid (empty) output
            self.schema = pa.schema([])
            self._open()
        final = encode_history(self.history + [make_step(self.inputs, rows_in, self.rows, self.command)])
        self._impl.close(final)
        if self.output is None:
            self._sink.flush()
            self._sink = None
            return
        self._sink.close()
        self._sink = None
        commit_atomic(self._tmp, self.output)
        self._tmp = None

    def abort(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            store.abort()
            return
        try:
            if self._impl is not None and self.output is not None:
                self._impl.abandon()
        except Exception:
            pass
        if self._tmp is not None:
            try:
                self._sink.close()
            except Exception:
                pass
            _remove(self._tmp)
            self._tmp = None
        self._sink = None


def _usable(stream) -> bool:
    """Is ``stream`` an open standard output (``toex ... >&-`` leaves none)?"""
    if stream is None:
        return False
    try:
        fd = stream.fileno()
    except (AttributeError, ValueError, OSError):
        return True  # a file-like object without a descriptor (tests, embedding)
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def float_text(col):
    """Floating-point cells as text: whole numbers as plain digits (a phone number stored as a
    double, 447700900150.0, is '447700900150', never '4.4770090015e+11'), others as Arrow
    writes them ('1.5')."""
    import pyarrow.compute as pc

    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    whole = pc.fill_null(pc.and_(pc.equal(col, pc.floor(col)),
                                 pc.less(pc.abs(col), pa.scalar(2.0 ** 53, col.type))), False)
    digits = pc.cast(pc.if_else(whole, col, pa.scalar(0.0, col.type)), pa.int64()).cast(pa.string())
    return pc.if_else(whole, digits, col.cast(pa.string()))


def _textual(schema: pa.Schema) -> pa.Schema:
    """CSV cannot hold nested values, and doubles need our own text (``float_text``): both are
    written as text columns."""
    return pa.schema([
        pa.field(f.name, pa.string()) if (pa.types.is_nested(f.type) or pa.types.is_binary(f.type)
                                          or pa.types.is_floating(f.type))
        else f for f in schema])


class _CsvImpl:
    def __init__(self, w: TableWriter):
        import pyarrow.csv as pcsv

        self.w = w
        self.schema = _textual(w.schema)
        opts = pcsv.WriteOptions(delimiter="\t" if w.format == "tsv" else ",", quoting_style="needed")
        self.writer = pcsv.CSVWriter(w._sink, self.schema, write_options=opts)

    def write(self, batch):
        if any(pa.types.is_floating(f.type) for f in batch.schema):
            cls = pa.Table if isinstance(batch, pa.Table) else pa.RecordBatch
            batch = cls.from_arrays(
                [float_text(c) if pa.types.is_floating(c.type) else c for c in batch.columns],
                names=batch.schema.names)
        if self.schema != batch.schema:
            batch = batch.cast(self.schema)
        self.writer.write(batch)

    def close(self, history):
        self.writer.close()

    def abandon(self):
        self.writer.close()


class _ParquetImpl:
    """Batches are gathered into row groups of 256k rows (or 128 MB): many small row
    groups make Parquet files slow to write and to read back."""

    ROW_GROUP_ROWS = 1 << 18
    ROW_GROUP_BYTES = 128 << 20

    def __init__(self, w: TableWriter):
        import pyarrow.parquet as pq

        self.writer = pq.ParquetWriter(w._sink, w.schema.with_metadata({HISTORY_KEY: w.provisional_history()}))
        self.pending: list = []
        self.rows = 0
        self.bytes = 0

    def write(self, batch):
        self.pending.append(batch)
        self.rows += batch.num_rows
        self.bytes += batch.nbytes
        if self.rows >= self.ROW_GROUP_ROWS or self.bytes >= self.ROW_GROUP_BYTES:
            self._flush()

    def _flush(self):
        if not self.pending:
            return
        tables = [b if isinstance(b, pa.Table) else pa.Table.from_batches([b]) for b in self.pending]
        self.writer.write_table(pa.concat_tables(tables), row_group_size=self.rows)
        self.pending, self.rows, self.bytes = [], 0, 0

    def close(self, history):
        self._flush()
        self.writer.add_key_value_metadata({HISTORY_KEY: history})
        self.writer.close()

    def abandon(self):
        self.writer.close()


class _ArrowImpl:
    def __init__(self, w: TableWriter):
        import pyarrow.ipc as ipc

        self.schema = w.schema.with_metadata({HISTORY_KEY: w.provisional_history()})
        if w.output is None:
            self.writer = ipc.new_stream(w._sink, self.schema)
        else:
            self.writer = ipc.new_file(w._sink, self.schema)

    def write(self, batch):
        if isinstance(batch, pa.Table):
            for b in batch.to_batches():
                self.writer.write_batch(b.replace_schema_metadata(self.schema.metadata))
        else:
            self.writer.write_batch(batch.replace_schema_metadata(self.schema.metadata))

    def close(self, history):
        empty = pa.RecordBatch.from_arrays([pa.array([], f.type) for f in self.schema],
                                           schema=self.schema)
        self.writer.write_batch(empty, custom_metadata={HISTORY_KEY: history})
        self.writer.close()

    def abandon(self):
        self.writer.close()


class _JsonlImpl:
    def __init__(self, w: TableWriter):
        self.w = w

    def write(self, batch):
        lines = [json.dumps(row, ensure_ascii=False, default=_json_default) for row in batch.to_pylist()]
        self.w._sink.write(("\n".join(lines) + "\n").encode("utf-8"))

    def close(self, history):
        pass

    def abandon(self):
        pass


def _json_default(v):
    import datetime as _dt
    from decimal import Decimal

    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, (_dt.date, _dt.datetime, _dt.time)):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return str(v)


class _XlsxImpl:
    """Strings are written as strings (leading zeros kept, nothing evaluated); numbers as numbers."""

    MAX_COLUMNS = 16_384

    def __init__(self, w: TableWriter):
        import io

        import xlsxwriter

        if len(w.schema) > self.MAX_COLUMNS:
            raise DataError(f"{w.output or 'standard output'}: {len(w.schema):,} columns do not fit in "
                            f"an Excel sheet ({self.MAX_COLUMNS:,} at most); write .parquet or .csv instead")
        self.w = w
        # The workbook is built in memory and copied to the sink at the end, so that a full disk
        # or a closed pipe is one plain OSError from our own write (xlsxwriter would wrap it and
        # its zip file would fail again when freed).
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"constant_memory": True, "strings_to_numbers": False,
                                                  "strings_to_formulas": False, "strings_to_urls": False,
                                                  "in_memory": True})
        self.sheet = self.book.add_worksheet(w.sheet_name[:31])
        bold = self.book.add_format({"bold": True})
        self.money = self.book.add_format({"num_format": "0.00"})
        for j, f in enumerate(w.schema):
            self.sheet.write_string(0, j, f.name, bold)
        self.sheet.freeze_panes(1, 0)
        self.row = 1

    def write(self, batch):
        cols = [c.to_pylist() for c in batch.columns]
        kinds = [f.type for f in batch.schema]
        from decimal import Decimal

        for i in range(batch.num_rows):
            r = self.row + i
            for j, col in enumerate(cols):
                v = col[i]
                if v is None:
                    continue
                if isinstance(v, bool):
                    self.sheet.write_boolean(r, j, v)
                elif isinstance(v, Decimal):
                    self.sheet.write_number(r, j, float(v), self.money)
                elif isinstance(v, float) and (v != v or v in (_INF, -_INF)):
                    self.sheet.write_string(r, j, _FLOAT_WORDS.get(v, "nan"))  # Excel has no NaN/Inf
                elif isinstance(v, int) and abs(v) > 2 ** 53:
                    self.sheet.write_string(r, j, str(v))  # a double would change the digits
                elif isinstance(v, (int, float)) and not pa.types.is_string(kinds[j]):
                    self.sheet.write_number(r, j, v)
                else:
                    text = v if isinstance(v, str) else _json_default(v)
                    if len(text) > EXCEL_MAX_CELL:
                        self.w.truncated_cells += 1
                    self.sheet.write_string(r, j, text)
        self.row += batch.num_rows

    def close(self, history):
        self.book.close()
        data = self.buffer.getbuffer()
        for start in range(0, len(data), 1 << 20):
            self.w._sink.write(data[start:start + (1 << 20)])

    def abandon(self):
        pass


_INF = float("inf")
_FLOAT_WORDS = {_INF: "inf", -_INF: "-inf"}


def write_table(data, output: str | None = None, **options) -> int:
    """Write a DataFrame or Arrow table in one go; returns the rows written."""
    with TableWriter(output, **options) as w:
        w.write(data)
    return w.rows
