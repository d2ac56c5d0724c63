"""Format readers. Each yields Arrow record batches; text formats give every column as text.

Why text: identifiers must survive exactly as written (``07700900123``, ``0012345678``,
``NA`` as a surname), so nothing is inferred. Parquet and Arrow inputs keep their own types,
because they are normally typed pipes between ``toex`` commands.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from decimal import Decimal
from html.parser import HTMLParser
from typing import Iterator

import pyarrow as pa

from ..errors import DataError, UsageError
from .history import HISTORY_KEY, decode_history
from .sources import (Source, detect_encoding, detect_encoding_quick, locate_decode_error,
                      settle_late_utf8_failure)

DELIMITERS = (",", "\t", ";", "|")


class ReadOptions:
    """What the user told us about how to read: ``skip`` preamble lines, ``sheet``, ``delimiter``,
    ``header`` (False: columns are named column_1..N), ``batch_rows``."""

    def __init__(self, skip: int = 0, sheet: str | None = None, delimiter: str | None = None,
                 header: bool = True, batch_rows: int = 65536):
        if skip < 0:
            raise UsageError("--skip must be 0 or more")
        self.skip = skip
        self.sheet = sheet
        self.delimiter = _unescape_delimiter(delimiter)
        self.header = header
        self.batch_rows = batch_rows


def _unescape_delimiter(d: str | None) -> str | None:
    if d is None:
        return None
    d = {"\\t": "\t", "tab": "\t", "TAB": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(d, d)
    if len(d) != 1:
        raise UsageError(f"--delimiter must be one character (or 'tab'), got {d!r}")
    return d


def clean_names(raw: list[str], keep_trailing_blank: bool = False) -> list[str]:
    """Header names: surrounding spaces stripped, blanks named column_N, duplicates made unique.

    A trailing blank header cell (Lloyds and NatWest exports end the header with a comma) is an
    artefact of the export, not a column, and is dropped.
    """
    names = [str(n).strip().lstrip("\ufeff").strip() for n in raw]
    if names and names[0].startswith("\u00ef\u00bb\u00bf"):  # a UTF-8 BOM read as cp1252/latin-1
        names[0] = names[0][3:].strip()
    while names and not names[-1] and not keep_trailing_blank:
        names.pop()
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, n in enumerate(names, start=1):
        n = n or f"column_{i}"
        if n in seen:
            seen[n] += 1
            n = f"{n}_{seen[n]}"
            while n in seen:
                n = n + "_"
        seen.setdefault(n, 1)
        out.append(n)
    return out


def text_batch(names: list[str], columns: list[list[str]]) -> pa.RecordBatch:
    return pa.record_batch([pa.array(c, pa.string()) for c in columns], names=names)


# --------------------------------------------------------------------------------------- CSV


class CsvReader:
    """Delimited text. Fast path: pyarrow's streaming CSV reader with every column typed as
    string. Ragged rows or anything pyarrow rejects fall back to Python's csv module, which pads
    short rows, drops empty trailing cells and reports a truly malformed row by line number."""

    def __init__(self, source: Source, opts: ReadOptions):
        self.source = source
        self.opts = opts
        if source.encoding:
            self.encoding, self.verified = source.encoding, True
        else:
            self.encoding, self.verified = detect_encoding_quick(source.path, source.name)
        source.encoding = self.encoding
        self.delimiter, self.names = self._sniff()
        source.details["delimiter"] = self.delimiter
        source.details["encoding"] = self.encoding

    def _open_text(self):
        return open(self.source.path, "r", encoding=self.encoding, newline="")

    def _sniff(self):
        try:
            with self._open_text() as fh:
                for _ in range(self.opts.skip):
                    if not fh.readline():
                        break
                sample = fh.read(1 << 16)
        except UnicodeDecodeError:
            self._raise_decode()
        if not sample.strip():
            what = "has no rows after skipping preamble" if self.opts.skip else "is empty"
            raise DataError(f"{self.source.name}: {what}")
        delimiter = self.opts.delimiter or sniff_delimiter(sample)
        rows = csv.reader(io.StringIO(sample), delimiter=delimiter)
        first = next(rows, [])
        if self.opts.header:
            names = clean_names(first)
            if len(names) < len(first):
                # Blank trailing header cells are an export artefact unless the data fills them:
                # keep (as column_N) those that hold values in the sampled rows.
                filled = max((max((i + 1 for i, v in enumerate(r[:len(first)]) if v.strip()),
                                  default=0) for r in rows), default=0)
                if filled > len(names):
                    names = clean_names(first[:filled], keep_trailing_blank=True)
            if not names:
                raise DataError(f"{self.source.name}: header line is blank; use --skip to pass preamble lines")
        else:
            names = [f"column_{i}" for i in range(1, len(first) + 1)]
        return delimiter, names

    def _raise_decode(self):
        where = locate_decode_error(self.source.path, self.encoding)
        offset, line = where or (0, 0)
        raise DataError(f"{self.source.name}: line {line}: byte offset {offset}: cannot decode as "
                        f"{self.encoding}; give the right --encoding") from None

    def schema(self) -> pa.Schema:
        return pa.schema([(n, pa.string()) for n in self.names])

    def batches(self) -> Iterator[pa.RecordBatch]:
        done = 0
        fast = True
        while True:
            try:
                last = None
                for batch in self._arrow_batches() if fast else self._python_batches(done):
                    done += batch.num_rows
                    last = batch
                    yield batch
                if last is not None and _last_row_spans_lines(last):
                    self._check_quotes_closed()
                return
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                if "utf8" in str(exc).lower().replace("-", ""):
                    self._settle_encoding()
                fast = False  # carry on from row `done` with Python's csv module
            except UnicodeDecodeError:
                self._settle_encoding()  # raises when the encoding was already settled
                fast = False

    def _check_quotes_closed(self):  # only called when the last row holds a line break
        """A quote opened and never closed turns the rest of the file into one cell, which both
        parsers accept. When the file holds an odd number of quote characters, find the last
        row and stop with its line if its quote runs to the end of the file."""
        if self.encoding not in ("utf-8", "utf-8-sig", "cp1252", "latin-1", "ascii"):
            return  # counting quotes by bytes needs an ASCII-compatible encoding
        count = 0
        with open(self.source.path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 22), b""):
                count += chunk.count(b'"')
        if count % 2 == 0:
            return
        with self._open_text() as fh:
            for _ in range(self.opts.skip):
                fh.readline()
            reader = csv.reader(fh, delimiter=self.delimiter, strict=False)
            start = last = 0
            for _row in reader:
                last, start = start + 1, reader.line_num
        if not last:
            return
        with self._open_text() as fh:
            for _ in range(self.opts.skip + last - 1):
                fh.readline()
            tail = fh.read()
        try:
            for _row in csv.reader(io.StringIO(tail), delimiter=self.delimiter, strict=True):
                pass
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise DataError(
                    f"{self.source.name}: line {self.opts.skip + last}: a quote opened on this line "
                    "is never closed, so every later line would be read into one cell; fix the "
                    "quoting in the file") from None

    def _settle_encoding(self):
        """A bad byte beyond the part checked up front: decide cp1252 or stop with its position."""
        if self.verified:
            self._raise_decode()
        self.encoding = settle_late_utf8_failure(self.source.path, self.source.name)
        self.verified = True
        self.source.encoding = self.encoding
        self.source.details["encoding"] = self.encoding

    def _arrow_batches(self):
        import pyarrow.csv as pcsv

        def on_invalid(row):
            return "error"  # pyarrow then raises ArrowInvalid and we fall back to Python's csv

        read = pcsv.ReadOptions(
            skip_rows=self.opts.skip + (1 if self.opts.header else 0), column_names=self.names,
            encoding="utf8" if self.encoding in ("utf-8", "utf-8-sig") else self.encoding,
            block_size=1 << 22,
        )
        parse = pcsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True,
                                  invalid_row_handler=on_invalid)
        convert = pcsv.ConvertOptions(
            column_types={n: pa.string() for n in self.names}, strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        try:
            reader = pcsv.open_csv(self.source.path, read_options=read, parse_options=parse,
                                   convert_options=convert)
        except pa.ArrowInvalid as exc:
            if "Empty CSV file" in str(exc):
                return
            raise
        for batch in reader:
            if batch.num_rows:
                yield batch

    def _python_batches(self, skip_data_rows: int = 0):
        """Rows after the first ``skip_data_rows``; a UnicodeDecodeError is left to ``batches``."""
        width = len(self.names)
        cols: list[list[str]] = [[] for _ in range(width)]
        n = 0
        try:
            with self._open_text() as fh:
                for _ in range(self.opts.skip):
                    fh.readline()
                reader = csv.reader(fh, delimiter=self.delimiter, strict=False)
                if self.opts.header:
                    next(reader, None)
                seen = 0
                for row in reader:
                    if not row:
                        continue  # blank line
                    seen += 1
                    if seen <= skip_data_rows:
                        continue
                    if len(row) > width:
                        extra = row[width:]
                        if any(cell.strip() for cell in extra):
                            raise DataError(
                                f"{self.source.name}: line {reader.line_num}: {len(row)} fields where "
                                f"the header has {width}; check quoting on that line or use --skip "
                                "if it is preamble")
                        row = row[:width]
                    elif len(row) < width:
                        row = row + [""] * (width - len(row))
                    for c, value in zip(cols, row):
                        c.append(value)
                    n += 1
                    if n >= self.opts.batch_rows:
                        yield text_batch(self.names, cols)
                        cols = [[] for _ in range(width)]
                        n = 0
        except csv.Error as exc:
            raise DataError(f"{self.source.name}: line {reader.line_num}: malformed CSV ({exc}); "
                            "check for an unclosed quote") from None
        if n:
            yield text_batch(self.names, cols)


def _last_row_spans_lines(batch: pa.RecordBatch) -> bool:
    """Does any cell of the batch's last row hold a line break? A quote left open swallows the
    rest of the file into the last row, so only then is the whole file worth re-checking."""
    row = batch.slice(batch.num_rows - 1, 1)
    return any(isinstance(v, str) and ("\n" in v or "\r" in v)
               for v in row.to_pylist()[0].values())


def sniff_delimiter(sample: str) -> str:
    """Pick the delimiter that splits the first lines into the same number (> 1) of fields."""
    lines = sample.splitlines()[:30]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line may be cut mid-way
    best, best_score = ",", (0, 0)
    for d in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=d)]
        if not counts or max(counts) < 2:
            continue
        mode = max(set(counts), key=counts.count)
        score = (sum(c == mode for c in counts) if mode > 1 else 0, mode)
        if score > best_score:
            best, best_score = d, score
    return best


# ------------------------------------------------------------------------------------- text


class TextReader:
    """Plain text (a chat export, a log): one row per line in column ``text``."""

    def __init__(self, source: Source, opts: ReadOptions):
        self.source = source
        self.opts = opts
        self.encoding = source.encoding or detect_encoding(source.path, source.name)
        source.details["encoding"] = self.encoding

    def schema(self):
        return pa.schema([("text", pa.string())])

    def batches(self):
        lines: list[str] = []
        try:
            with open(self.source.path, "r", encoding=self.encoding, newline="") as fh:
                for i, line in enumerate(fh):
                    if i < self.opts.skip:
                        continue
                    lines.append(line.rstrip("\r\n"))
                    if len(lines) >= self.opts.batch_rows:
                        yield text_batch(["text"], [lines])
                        lines = []
        except UnicodeDecodeError:
            offset, line = locate_decode_error(self.source.path, self.encoding) or (0, 0)
            raise DataError(f"{self.source.name}: line {line}: byte offset {offset}: cannot decode "
                            f"as {self.encoding}; give the right --encoding") from None
        if lines:
            yield text_batch(["text"], [lines])

    def first_row(self) -> int:
        return self.opts.skip + 1


# ------------------------------------------------------------------------------------ JSONL


class JsonLinesReader:
    """JSON Lines. Numbers keep their exact text (parse_float=str), nested values stay JSON."""

    def __init__(self, source: Source, opts: ReadOptions):
        self.source = source
        self.opts = opts
        self.encoding = source.encoding or detect_encoding(source.path, source.name)
        self._names = None

    def _records(self):
        with open(self.source.path, "r", encoding=self.encoding) as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line, parse_float=str, parse_int=str, parse_constant=str)
                except json.JSONDecodeError as exc:
                    raise DataError(f"{self.source.name}: line {lineno}: not valid JSON ({exc.msg})") from None
                if not isinstance(obj, dict):
                    raise DataError(f"{self.source.name}: line {lineno}: expected a JSON object per line")
                if any(isinstance(v, (dict, list)) for v in obj.values()):
                    plain = json.loads(line)  # nested values are written back as JSON with numbers
                    obj = {k: plain[k] if isinstance(v, (dict, list)) else v for k, v in obj.items()}
                yield obj

    def schema(self):
        if self._names is None:
            names: dict[str, None] = {}
            for obj in self._records():
                for k in obj:
                    names.setdefault(k, None)
            if not names:
                raise DataError(f"{self.source.name}: file is empty")
            self._names = list(names)
        return pa.schema([(n, pa.string()) for n in self._names])

    def batches(self):
        names = self.schema().names
        cols: list[list] = [[] for _ in names]
        n = 0
        for obj in self._records():
            for c, name in zip(cols, names):
                c.append(_json_text(obj[name]) if name in obj else None)
            n += 1
            if n >= self.opts.batch_rows:
                yield text_batch(names, cols)
                cols = [[] for _ in names]
                n = 0
        if n:
            yield text_batch(names, cols)


def _json_text(v):
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    return json.dumps(v, ensure_ascii=False)


# ------------------------------------------------------------------------------------ Excel


def cell_text(v) -> str:
    """An Excel cell as the text a person sees: whole numbers without '.0', no exponent, dates ISO."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return ""
        if v.is_integer() and abs(v) < 2 ** 53:
            return str(int(v))
        if v.is_integer() and abs(v) < 1e21:
            # beyond 2**53 a double holds no exact digits: give its shortest repr's digits
            # (what Excel shows, padded with zeros), not the binary value's invented tail
            return format(Decimal(repr(v)), "f")
        text = repr(v)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
        return text
    if isinstance(v, _dt.datetime):
        if v.time() == _dt.time(0, 0):
            return v.date().isoformat()
        return v.isoformat(sep=" ", timespec="seconds" if not v.microsecond else "microseconds")
    if isinstance(v, (_dt.date, _dt.time)):
        return v.isoformat()
    if isinstance(v, _dt.timedelta):
        total = int(v.total_seconds())
        return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return str(v)


class _LoadedRowsReader:
    """A reader whose format is loaded whole into a list of text rows (``_load``): the first row
    after ``--skip`` is the header unless ``header=False``."""

    def __init__(self, source: Source, opts: ReadOptions):
        self.source = source
        self.opts = opts
        self._rows = None

    def _load(self):
        raise NotImplementedError

    def schema(self):
        self._load()
        if self.opts.header:
            names = clean_names(self._rows[0])
        else:
            names = [f"column_{i}" for i in range(1, len(self._rows[0]) + 1)]
        return pa.schema([(n, pa.string()) for n in names])

    def batches(self):
        names = self.schema().names
        body = self._rows[1:] if self.opts.header else self._rows
        yield from rows_to_batches(body, names, self.opts.batch_rows, self.source.name)


class ExcelReader(_LoadedRowsReader):
    """.xlsx/.xlsm/.xls/.ods through python-calamine (fast, no formulas evaluated)."""

    def _load(self):
        if self._rows is not None:
            return
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(self.source.path)
        except Exception as exc:  # calamine raises its own error types for corrupt files
            raise DataError(f"{self.source.name}: not a readable Excel/ODS workbook ({_short(exc)}); "
                            "if it came from a web system it may be HTML or CSV: try --input-format") from None
        names = book.sheet_names
        sheet = self.opts.sheet
        if sheet is None:
            chosen = names[0] if names else None
        elif sheet in names:
            chosen = sheet
        elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
            chosen = names[int(sheet) - 1]
        else:
            from ..errors import did_you_mean

            raise UsageError(f"{self.source.name}: no sheet '{sheet}'{did_you_mean(sheet, names)}; "
                             f"sheets are: {', '.join(names)}")
        if chosen is None:
            raise DataError(f"{self.source.name}: workbook has no sheets")
        self.source.details["sheet"] = chosen
        self.source.details["sheets"] = names
        try:
            rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
        except Exception as exc:
            raise DataError(f"{self.source.name}: sheet '{chosen}' cannot be read ({_short(exc)})") from None
        rows = [[cell_text(v) for v in r] for r in rows[self.opts.skip:]]
        while rows and not any(c.strip() for c in rows[-1]):
            rows.pop()
        while rows and not any(c.strip() for c in rows[0]):
            rows.pop(0)  # leading blank rows above the header
        if not rows:
            raise DataError(f"{self.source.name}: sheet '{chosen}' is empty")
        self._rows = rows


def rows_to_batches(rows, names, batch_rows, source_name):
    width = len(names)
    for start in range(0, len(rows), batch_rows):
        chunk = rows[start:start + batch_rows]
        cols: list[list[str]] = [[] for _ in range(width)]
        for i, r in enumerate(chunk):
            if len(r) > width and any(str(c).strip() for c in r[width:]):
                raise DataError(f"{source_name}: data row {start + i + 1} has {len(r)} cells where "
                                f"the header has {width}")
            r = list(r[:width]) + [""] * (width - len(r))
            for c, v in zip(cols, r):
                c.append(v)
        yield text_batch(names, cols)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# ------------------------------------------------------------------------------------- HTML


class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._depth = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
        elif tag == "tr" and self._depth == 1:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split(" ")).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[-1].append(self._row)
            self._row = None
        elif tag == "table":
            self._depth = max(0, self._depth - 1)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


class HtmlTableReader(_LoadedRowsReader):
    """An HTML table saved with an .xls/.xlsx name (many case-management and bank systems do
    this). The first table with rows is read, cell text as shown."""

    def _load(self):
        if self._rows is not None:
            return
        encoding = self.source.encoding or detect_encoding(self.source.path, self.source.name)
        with open(self.source.path, "r", encoding=encoding, errors="strict") as fh:
            parser = _TableParser()
            parser.feed(fh.read())
        tables = [t for t in parser.tables if t]
        if not tables:
            raise DataError(f"{self.source.name}: an HTML page with no table in it, not a spreadsheet")
        self.source.details["note"] = "HTML table saved as a spreadsheet"
        self._rows = tables[0][self.opts.skip:]
        if not self._rows:
            raise DataError(f"{self.source.name}: HTML table is empty")


# ---------------------------------------------------------------------------- Parquet/Arrow


class ParquetReader:
    def __init__(self, source: Source, opts: ReadOptions):
        import pyarrow.parquet as pq

        self.source = source
        self.opts = opts
        try:
            self.file = pq.ParquetFile(source.path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"{source.name}: not a readable Parquet file ({_short(exc)})") from None
        meta = self.file.metadata.metadata or {}
        source.history = decode_history(meta.get(HISTORY_KEY))

    def schema(self):
        return self.file.schema_arrow.remove_metadata()

    def batches(self):
        try:
            for batch in self.file.iter_batches(batch_size=self.opts.batch_rows):
                yield batch.replace_schema_metadata(None)
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"{self.source.name}: corrupt Parquet data ({_short(exc)})") from None


class ArrowReader:
    """Arrow IPC, file or stream (the typed pipe between toex commands)."""

    def __init__(self, source: Source, opts: ReadOptions):
        import pyarrow.ipc as ipc

        self.source = source
        self.opts = opts
        try:
            if source.stream is not None:
                self.reader = ipc.open_stream(source.stream)
                self.kind = "stream"
            else:
                with open(source.path, "rb") as fh:
                    is_file = fh.read(6) == b"ARROW1"
                if is_file:
                    self.reader = ipc.open_file(source.path)
                    self.kind = "file"
                else:
                    self.reader = ipc.open_stream(pa.OSFile(source.path, "rb"))
                    self.kind = "stream"
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"{source.name}: not a readable Arrow IPC file or stream ({_short(exc)})") from None
        meta = self.reader.schema.metadata or {}
        source.history = decode_history(meta.get(HISTORY_KEY))
        source.details["arrow"] = self.kind
        if self.kind == "file" and self.reader.num_record_batches:
            # a file can be read from the end: its last (empty) batch holds the final history
            self._note(self.reader.get_batch_with_custom_metadata(self.reader.num_record_batches - 1)[1])

    def schema(self):
        return self.reader.schema.remove_metadata()

    def batches(self):
        try:
            if self.kind == "file":
                for i in range(self.reader.num_record_batches):
                    batch, custom = self.reader.get_batch_with_custom_metadata(i)
                    self._note(custom)
                    if batch.num_rows:
                        yield batch
            else:
                while True:
                    try:
                        batch, custom = self.reader.read_next_batch_with_custom_metadata()
                    except StopIteration:
                        break
                    self._note(custom)
                    if batch.num_rows:
                        yield batch
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"{self.source.name}: corrupt Arrow data ({_short(exc)})") from None

    def _note(self, custom):
        # The writer closes a stream with an empty batch carrying the final history (row counts
        # are only known at the end); it supersedes the provisional one in the schema.
        if custom and HISTORY_KEY in custom:
            self.source.history = decode_history(custom[HISTORY_KEY])


READERS = {
    "csv": CsvReader, "text": TextReader, "jsonl": JsonLinesReader, "excel": ExcelReader,
    "html": HtmlTableReader, "parquet": ParquetReader, "arrow": ArrowReader,
}


def open_reader(source: Source, opts: ReadOptions):
    if source.format in ("duckdb", "sqlite"):
        from .store import StoreReader

        return StoreReader(source, opts)
    return READERS[source.format](source, opts)
