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
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Iterator

import pyarrow as pa

from ..errors import DataError, UsageError
from .history import HISTORY_KEY, decode_history
from .sources import (Source, detect_encoding, detect_encoding_quick, locate_decode_error,
                      settle_late_utf8_failure, transcode_to_utf8)

DELIMITERS = (",", "\t", ";", "|")

# A pasted document, an OCR'd page or a whole chat can sit in one cell: no limit on a field's
# size beyond memory (Python's csv module stops at 128 KB by default).
csv.field_size_limit(2 ** 31 - 1)


class CommandLine:
    """Reading options given once on a command line for every input it reads: set by
    ``toexcli.cliutil.with_read_options`` around a command, read by ``TableInput`` when its
    caller leaves them unset (library use: the defaults)."""

    ragged = False


COMMAND_LINE = CommandLine()


class ReadOptions:
    """What the user told us about how to read: ``skip`` preamble lines, ``sheet``, ``delimiter``,
    ``header`` (False: columns are named column_1..N), ``batch_rows``, ``ragged`` (CSV rows
    longer than the header are kept in extra columns ``_extra_1``..., as Excel/HTML always are)."""

    def __init__(self, skip: int = 0, sheet: str | None = None, delimiter: str | None = None,
                 header: bool = True, batch_rows: int = 65536, ragged: bool = False):
        self.ragged = ragged
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
    names = [n or f"column_{i}" for i, n in enumerate(names, start=1)]
    # a repeated name becomes name_2, name_3...: never one the header already has (a, a, a_2
    # gives a, a_3, a_2, not a second a_2 or a renamed real a_2)
    taken = set(names)
    out: list[str] = []
    used: set[str] = set()
    count: dict[str, int] = {}
    for n in names:
        if n in used:
            k = count.get(n, 1)
            while True:
                k += 1
                candidate = f"{n}_{k}"
                if candidate not in taken and candidate not in used:
                    break
            count[n] = k
            n = candidate
        used.add(n)
        out.append(n)
    return out


def text_batch(names: list[str], columns: list[list[str]]) -> pa.RecordBatch:
    return pa.record_batch([pa.array(c, pa.string()) for c in columns], names=names)


# --------------------------------------------------------------------------------------- CSV


class CsvReader:
    """Delimited text. Fast path: pyarrow's streaming CSV reader with every column typed as
    string. Ragged rows or anything pyarrow rejects fall back to Python's csv module, which pads
    short rows, drops empty trailing cells and reports a truly malformed row by line number.

    Where the data starts is found from the bytes, not guessed from a sample: ``--skip`` lines
    (ended by LF, CRLF or a lone CR), then blank lines, then the header record, read whole
    (a quoted line break in a header cell, a 100,000-column header). Both parsers then start at
    that byte offset. A header whose quote never closes is refused.
    """

    def __init__(self, source: Source, opts: ReadOptions):
        self.source = source
        self.opts = opts
        if source.encoding:
            self.encoding, self.verified = source.encoding, True
        else:
            self.encoding, self.verified = detect_encoding_quick(source.path, source.name)
        self.path = source.path
        source.encoding = self.encoding  # the file's own (a second read transcodes it again)
        if not _ascii_compatible(self.encoding):
            # UTF-16/32 (or an EBCDIC code page): one decoded UTF-8 copy, so that byte offsets,
            # quotes and line ends can be found in it like in any other file.
            self.path = transcode_to_utf8(source.path, source.name, self.encoding)
            self.encoding, self.verified = "utf-8", True
        self.delimiter, self.names, self.data_start, self.first_line = self._sniff()
        if opts.ragged:
            self.names = self._ragged_names()
        self.width = len(self.names)
        source.details["delimiter"] = self.delimiter
        source.details["encoding"] = self.encoding

    def _open_text(self):
        """The data rows as text (after preamble, blank lines and header)."""
        raw = open(self.path, "rb")
        raw.seek(self.data_start)
        enc = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        return io.TextIOWrapper(raw, encoding=enc, newline="")

    def _sniff(self):
        scan = _ByteScanner(self.path)
        pos = 3 if scan.buf.startswith(b"\xef\xbb\xbf") else 0
        if not scan.buf.replace(b"\x00", b"").strip() and scan.all_blank_or_nul():
            if b"\x00" in scan.buf:
                raise DataError(f"{self.source.name}: holds only NUL bytes (a blank or wiped file), "
                                "no table")
            raise DataError(f"{self.source.name}: is empty")
        for _ in range(self.opts.skip):
            pos = scan.line_end(pos)
        blank = 0
        while not scan.at_end(pos):
            end = scan.line_end(pos)
            if scan.buf[pos:end].strip(b" \t\r\n\x00"):
                break
            pos, blank = end, blank + 1
        if scan.at_end(pos):
            what = "has no rows after skipping preamble" if self.opts.skip else "is empty"
            raise DataError(f"{self.source.name}: {what}")
        if blank:
            self.source.details["blank_lines_skipped"] = blank
        header_end, open_quote = scan.record_end(pos)
        header_line = scan.count_lines(pos) + 1
        if open_quote:
            raise DataError(
                f"{self.source.name}: line {header_line}: a quote opened in the "
                f"{'header' if self.opts.header else 'first row'} is never closed, so the whole "
                "file would be read into one cell; fix the quoting in the file")
        sample_end = scan.sample_end(header_end, 1 << 16)
        try:
            enc = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
            first_text = scan.buf[pos:header_end].decode(enc)
            rest_text = scan.buf[header_end:sample_end].decode(enc, errors="replace")
        except UnicodeDecodeError:
            self._settle_encoding()
            return self._sniff()
        delimiter = self.opts.delimiter or sniff_delimiter(first_text + rest_text)
        first = next(csv.reader(io.StringIO(first_text, newline=""), delimiter=delimiter), [])
        if self.opts.header:
            names = clean_names(first)
            if len(names) < len(first):
                # Blank trailing header cells are an export artefact unless the data fills them:
                # keep (as column_N) those that hold values in the sampled rows.
                try:
                    rows = list(csv.reader(io.StringIO(rest_text, newline=""), delimiter=delimiter))
                except csv.Error:
                    rows = []
                filled = max((max((i + 1 for i, v in enumerate(r[:len(first)]) if v.strip()),
                                  default=0) for r in rows), default=0)
                if filled > len(names):
                    names = clean_names(first[:filled], keep_trailing_blank=True)
            if not names:
                names = ["column_1"]
            return delimiter, names, header_end, header_line + scan.count_lines(pos, header_end)
        names = [f"column_{i}" for i in range(1, len(first) + 1)] or ["column_1"]
        return delimiter, names, pos, header_line

    def _ragged_names(self):
        """--ragged: one pass over the rows for the longest; extra cells get ``_extra_N`` columns."""
        width = longest = len(self.names)
        first = None
        try:
            with self._open_text() as fh:
                reader = csv.reader(fh, delimiter=self.delimiter, strict=False)
                for row in reader:
                    if len(row) > longest:
                        filled = max((j + 1 for j, c in enumerate(row) if c.strip()), default=0)
                        if filled > longest:
                            longest, first = filled, first or self.first_line + reader.line_num - 1
        except (csv.Error, UnicodeDecodeError):
            return self.names  # the read itself reports it with its line
        if longest == width:
            return self.names
        taken = set(self.names)
        extra = [f"_extra_{i}" if f"_extra_{i}" not in taken else f"_extra_{i}_"
                 for i in range(1, longest - width + 1)]
        from .. import console

        console.warn(f"{self.source.name}: line {first} (and maybe others) has more fields than the "
                     f"header's {width}; --ragged keeps them in {', '.join(extra)}")
        return self.names + extra

    def _raise_decode(self):
        where = locate_decode_error(self.path, self.encoding)
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
                if not fast:
                    raise DataError(f"{self.source.name}: unreadable CSV ({str(exc)[:160]})") from None
                fast = False  # carry on from row `done` with Python's csv module
            except UnicodeDecodeError:
                self._settle_encoding()  # raises when the encoding was already settled
                fast = False

    def _check_quotes_closed(self):  # only called when the last row holds a line break
        """A quote opened and never closed turns the rest of the file into one cell, which both
        parsers accept. When the file holds an odd number of quote characters, find the last
        row and stop with its line if its quote runs to the end of the file."""
        if not _ascii_compatible(self.encoding):
            return
        count = 0
        with open(self.path, "rb") as fh:
            fh.seek(self.data_start)
            for chunk in iter(lambda: fh.read(1 << 22), b""):
                count += chunk.count(b'"')
        if count % 2 == 0:
            return
        with self._open_text() as fh:
            reader = csv.reader(fh, delimiter=self.delimiter, strict=False)
            start = last = 0
            for _row in reader:
                last, start = start + 1, reader.line_num
        if not last:
            return
        with self._open_text() as fh:
            for _ in range(last - 1):
                fh.readline()
            tail = fh.read()
        try:
            for _row in csv.reader(io.StringIO(tail, newline=""), delimiter=self.delimiter, strict=True):
                pass
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise DataError(
                    f"{self.source.name}: line {self.first_line + last - 1}: a quote opened on this "
                    "line is never closed, so every later line would be read into one cell; fix "
                    "the quoting in the file") from None

    def _settle_encoding(self):
        """A bad byte beyond the part checked up front: decide cp1252 or stop with its position."""
        if self.verified:
            self._raise_decode()
        self.encoding = settle_late_utf8_failure(self.path, self.source.name)
        self.verified = True
        self.source.encoding = self.encoding
        self.source.details["encoding"] = self.encoding

    def _arrow_batches(self):
        import pyarrow.csv as pcsv

        def on_invalid(row):
            return "error"  # pyarrow then raises ArrowInvalid and we fall back to Python's csv

        read = pcsv.ReadOptions(
            column_names=self.names,
            encoding="utf8" if self.encoding in ("utf-8", "utf-8-sig") else self.encoding,
            block_size=1 << 22,
        )
        parse = pcsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True,
                                  invalid_row_handler=on_invalid,
                                  # one column: a blank line is an empty value, a row
                                  ignore_empty_lines=self.width > 1)
        convert = pcsv.ConvertOptions(
            column_types={n: pa.string() for n in self.names}, strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        raw = pa.OSFile(self.path, "rb")
        raw.seek(self.data_start)
        try:
            reader = pcsv.open_csv(raw, read_options=read, parse_options=parse,
                                   convert_options=convert)
        except pa.ArrowInvalid as exc:
            raw.close()
            if "Empty CSV file" in str(exc):
                return
            raise
        try:
            for batch in reader:
                if batch.num_rows:
                    yield batch
        finally:
            raw.close()

    def _python_batches(self, skip_data_rows: int = 0):
        """Rows after the first ``skip_data_rows``; a UnicodeDecodeError is left to ``batches``."""
        width = self.width
        cols: list[list[str]] = [[] for _ in range(width)]
        n = 0
        reader = None
        try:
            with self._open_text() as fh:
                reader = csv.reader(fh, delimiter=self.delimiter, strict=False)
                seen = 0
                for row in reader:
                    if not row:
                        if width > 1:
                            continue  # blank line
                        row = [""]  # one column: a blank line is an empty value, a row
                    seen += 1
                    if seen <= skip_data_rows:
                        continue
                    if len(row) > width:
                        extra = row[width:]
                        if any(cell.strip() for cell in extra):
                            raise DataError(
                                f"{self.source.name}: line {self.first_line + reader.line_num - 1}: "
                                f"{len(row)} fields where the header has {width}; check quoting on "
                                "that line, use --skip if it is preamble, or --ragged to keep long "
                                "rows in extra columns")
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
            line = self.first_line + (reader.line_num if reader is not None else 1) - 1
            raise DataError(f"{self.source.name}: line {line}: malformed CSV ({exc}); "
                            "check for an unclosed quote") from None
        if n:
            yield text_batch(self.names, cols)


def _ascii_compatible(encoding: str) -> bool:
    try:
        return '\r\n",;|\t a'.encode(encoding) == b'\r\n",;|\t a'
    except (LookupError, UnicodeError):
        return False


class _ByteScanner:
    """The start of a file as bytes, grown on demand, for finding line and record ends (quotes,
    LF, CR) in any ASCII-compatible encoding."""

    CHUNK = 1 << 16

    def __init__(self, path: str):
        self.fh = open(path, "rb")
        self.buf = self.fh.read(self.CHUNK)
        self.eof = len(self.buf) < self.CHUNK

    def more(self) -> bool:
        if self.eof:
            return False
        data = self.fh.read(max(self.CHUNK, len(self.buf)))
        if len(data) == 0:
            self.eof = True
            self.fh.close()
            return False
        self.buf += data
        return True

    def at_end(self, pos: int) -> bool:
        while pos >= len(self.buf) and self.more():
            pass
        return pos >= len(self.buf)

    def all_blank_or_nul(self) -> bool:
        while self.more():
            if self.buf.replace(b"\x00", b"").strip():
                return False
        return not self.buf.replace(b"\x00", b"").strip()

    def line_end(self, pos: int) -> int:
        """Offset just after the line starting at ``pos`` (LF, CRLF or lone CR)."""
        while True:
            m = _LINE_END.search(self.buf, pos)
            if m and not (m.group() == b"\r" and m.end() == len(self.buf) and not self.eof):
                return m.end()
            if not self.more():
                return m.end() if m else len(self.buf)

    def record_end(self, pos: int) -> tuple[int, bool]:
        """(offset after the CSV record starting at ``pos``, whether a quote is left open)."""
        in_quote = False
        scan = pos
        while True:
            for m in _RECORD_TOKEN.finditer(self.buf, scan):
                if m.group() == b'"':
                    in_quote = not in_quote
                elif not in_quote:
                    end = m.end()
                    if m.group() == b"\r" and end == len(self.buf) and self.more():
                        if self.buf[end:end + 1] == b"\n":
                            end += 1
                    elif m.group() == b"\r" and self.buf[end:end + 1] == b"\n":
                        end += 1
                    return end, False
            scan = len(self.buf)
            if not self.more():
                return len(self.buf), in_quote

    def sample_end(self, pos: int, size: int) -> int:
        """An offset after ``pos`` ending on a line end, about ``size`` bytes on (whole file if smaller)."""
        while len(self.buf) < pos + size and self.more():
            pass
        end = min(len(self.buf), pos + size)
        if end == len(self.buf) and self.eof:
            return end
        cut = max(self.buf.rfind(b"\n", pos, end), self.buf.rfind(b"\r", pos, end))
        return cut + 1 if cut >= 0 else pos

    def count_lines(self, start: int, end: int | None = None) -> int:
        return len(_LINE_END.findall(self.buf, 0 if end is None else start,
                                     start if end is None else end))


_LINE_END = re.compile(rb"\r\n|\r|\n")
_RECORD_TOKEN = re.compile(rb'"|\r\n|\r|\n')


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
        surrogates = 0
        try:
            with open(self.source.path, "r", encoding=self.encoding) as fh:
                for lineno, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        obj = json.loads(line, parse_float=str, parse_int=str, parse_constant=str)
                        if not isinstance(obj, dict):
                            raise DataError(f"{self.source.name}: line {lineno}: expected a JSON "
                                            "object per line")
                        if any(isinstance(v, (dict, list)) for v in obj.values()):
                            plain = json.loads(line)  # nested values are written back as JSON with numbers
                            obj = {k: plain[k] if isinstance(v, (dict, list)) else v for k, v in obj.items()}
                    except json.JSONDecodeError as exc:
                        raise DataError(f"{self.source.name}: line {lineno}: not valid JSON ({exc.msg})") from None
                    except RecursionError:
                        raise DataError(f"{self.source.name}: line {lineno}: nested more deeply than "
                                        "toex reads (about 900 levels of [ or {)") from None
                    if _SURROGATE_ESCAPE.search(line):
                        obj, n = _replace_surrogates(obj)
                        surrogates += n
                    yield obj
        finally:
            if surrogates and not getattr(self, "_told", False):
                self._told = True
                from .. import console

                console.warn(f"{self.source.name}: {surrogates:,} value(s) held an unpaired UTF-16 "
                             "surrogate escape (e.g. \\ud800), which is no character: written as "
                             "U+FFFD (\ufffd)")

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


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(v):
    """(v with every unpaired surrogate replaced by U+FFFD, how many values had one)."""
    if isinstance(v, str):
        fixed, n = _LONE_SURROGATE.subn("\ufffd", v)
        return fixed, 1 if n else 0
    if isinstance(v, dict):
        out, total = {}, 0
        for k, x in v.items():
            k2, a = _replace_surrogates(k)
            x2, b = _replace_surrogates(x)
            out[k2] = x2
            total += a + b
        return out, total
    if isinstance(v, list):
        pairs = [_replace_surrogates(x) for x in v]
        return [p[0] for p in pairs], sum(p[1] for p in pairs)
    return v, 0


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
            if len(names) < len(self._rows[0]):
                # data under blank trailing header cells: named column_N, as in CSV
                filled = max((max((j + 1 for j, c in enumerate(r[:len(self._rows[0])])
                                   if str(c).strip()), default=0) for r in self._rows[1:]),
                             default=0)
                if filled > len(names):
                    from .. import console

                    console.warn(f"{self.source.name}: data under blank header cells: kept as "
                                 + ", ".join(f"column_{j}" for j in range(len(names) + 1, filled + 1)))
                    names = clean_names(self._rows[0][:filled], keep_trailing_blank=True)
        else:
            names = [f"column_{i}" for i in range(1, len(self._rows[0]) + 1)]
        body = self._rows[1:] if self.opts.header else self._rows
        return pa.schema([(n, pa.string()) for n in self._with_extra(names, body)])

    def _with_extra(self, names, body):
        """Rows longer than the header (a trailing note, a total cell) are common in real
        workbooks: the header gets ``_extra_1``, ``_extra_2``... and the user is told."""
        if getattr(self, "_names", None) is not None:
            return self._names
        width = len(names)
        longest, first = width, None
        for i, r in enumerate(body):
            if len(r) > width:
                filled = max((j + 1 for j, c in enumerate(r) if str(c).strip()), default=0)
                if filled > longest:
                    longest, first = filled, first or i + 1
        if longest > width:
            extra = [f"_extra_{i}" for i in range(1, longest - width + 1)]
            taken = set(names)
            extra = [e if e not in taken else e + "_" for e in extra]
            from .. import console

            console.warn(f"{self.source.name}: data row {first} (and maybe others) has more cells "
                         f"than the header's {width}; kept in extra column(s) {', '.join(extra)}")
            names = names + extra
        self._names = names
        return names

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
        if len(rows) <= (1 if self.opts.header else 0):
            others = self._sheets_with_data(book, names, chosen)
            what = "is empty" if not rows else "has a header and no data rows"
            if others:
                raise DataError(f"{self.source.name}: sheet '{chosen}' {what}; sheets with data: "
                                f"{', '.join(others)} (choose one with --sheet)")
            if not rows:
                raise DataError(f"{self.source.name}: sheet '{chosen}' is empty")
            from .. import console

            console.warn(f"{self.source.name}: sheet '{chosen}' {what}")
        self._rows = rows

    def _sheets_with_data(self, book, names, chosen):
        found = []
        for name in names:
            if name == chosen:
                continue
            try:
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=True)
            except Exception:
                continue
            if sum(1 for r in rows if any(cell_text(v).strip() for v in r)) > 1:
                found.append(name)
        return found


def rows_to_batches(rows, names, batch_rows, source_name):
    width = len(names)
    for start in range(0, len(rows), batch_rows):
        chunk = rows[start:start + batch_rows]
        cols: list[list[str]] = [[] for _ in range(width)]
        for i, r in enumerate(chunk):
            r = list(r[:width]) + [""] * (width - len(r))
            for c, v in zip(cols, r):
                c.append(v)
        yield text_batch(names, cols)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# ------------------------------------------------------------------------------------- HTML


class _TableParser(HTMLParser):
    """Every table's rows; a row belongs to the innermost open table (tables nested in a layout
    table are tables of their own)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._open: list[dict] = []  # per open table: its rows, current row and cell

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
            self._open.append({"rows": self.tables[-1], "row": None, "cell": None})
        elif not self._open:
            return
        elif tag == "tr":
            self._open[-1]["row"] = []
        elif tag in ("td", "th") and self._open[-1]["row"] is not None:
            self._open[-1]["cell"] = []
        elif tag == "br" and self._open[-1]["cell"] is not None:
            self._open[-1]["cell"].append("\n")

    def handle_endtag(self, tag):
        if not self._open:
            return
        t = self._open[-1]
        if tag in ("td", "th") and t["cell"] is not None and t["row"] is not None:
            t["row"].append(" ".join("".join(t["cell"]).split(" ")).strip())
            t["cell"] = None
        elif tag == "tr" and t["row"] is not None:
            if t["cell"] is not None:
                t["row"].append(" ".join("".join(t["cell"]).split(" ")).strip())
                t["cell"] = None
            if t["row"]:
                t["rows"].append(t["row"])
            t["row"] = None
        elif tag == "table":
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1]["cell"] is not None:
            self._open[-1]["cell"].append(data)


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
        # the first table with data rows under its header (a layout table holding the real one
        # has a single row)
        chosen = next((t for t in tables if len(t) > self.opts.skip + 1), tables[0])
        if len(tables) > 1:
            self.source.details["note"] += f" (table {tables.index(chosen) + 1} of {len(tables)})"
        self._rows = chosen[self.opts.skip:]
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
