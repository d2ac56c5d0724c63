"""Read options per file, and global read options that apply only where they fit.

Per file: ``returns/ee.xlsx#sheet=Call Data``, ``three.csv#skip=1``,
``old.csv#encoding=cp1252&delimiter=;``, ``dump.dat#format=csv`` -- for every command. The keys
are sheet, skip, encoding, delimiter, format, header (yes/no).

Global (``--sheet``, ``--skip``, ``--encoding``, ``--delimiter``, ``--input-format``) with ONE input
apply as given. With several inputs an option applies only to the files it fits, and stderr says
which; an option that fits none of them is a usage error:

* ``--sheet S``: Excel workbooks that have sheet S (a name, or a number from 1);
* ``--skip N``: CSV/Excel inputs whose first N rows each hold fewer filled cells than the row
  after them (a preamble above a header); plain text always;
* ``--encoding E``: text inputs (CSV, text, JSON Lines, HTML) whose first 64 KB decode as E;
* ``--delimiter D``: CSV inputs whose first line (after any skip) holds D;
* ``--input-format F``: files whose first bytes do not contradict F (a binary format needs its
  magic bytes; a text format needs a file that is not Parquet, Arrow or a workbook).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re

from ..errors import UsageError

KEYS = {"sheet": "sheet", "skip": "skip", "encoding": "encoding", "delimiter": "delimiter",
        "format": "format", "input-format": "format", "input_format": "format", "header": "header"}
_SUFFIX = re.compile(r"#((?:sheet|skip|encoding|delimiter|format|input-format|input_format|header)=.*)$")
TEXT_FORMATS = ("csv", "text", "jsonl", "html")
ROW_FORMATS = ("csv", "excel", "html", "text")


def split_file_options(spec: str) -> tuple[str, dict]:
    """``a.xlsx#sheet=Call Data&skip=2`` -> ('a.xlsx', {'sheet': 'Call Data', 'skip': 2}).

    A path that exists as typed (even with a '#') is taken whole."""
    if not spec or spec == "-" or "#" not in spec or os.path.exists(spec):
        return spec, {}
    m = _SUFFIX.search(spec)
    if not m:
        head, _, tail = spec.rpartition("#")
        key = tail.split("=", 1)[0]
        if "=" in tail and head:
            raise UsageError(f"{spec}: unknown read option '{key}' after '#'; use "
                             "sheet, skip, encoding, delimiter, format or header")
        return spec, {}
    path = spec[: m.start()]
    opts: dict = {}
    for part in m.group(1).split("&"):
        if not part:
            continue
        if "=" not in part:
            raise UsageError(f"{spec}: read option '{part}' needs a value (e.g. skip=1)")
        key, value = part.split("=", 1)
        if key not in KEYS:
            raise UsageError(f"{spec}: unknown read option '{key}'; use sheet, skip, encoding, "
                             "delimiter, format or header")
        key = KEYS[key]
        if key == "skip":
            if not value.strip().isdigit():
                raise UsageError(f"{spec}: skip must be a whole number, got '{value}'")
            value = int(value)
        elif key == "header":
            if value.lower() not in ("yes", "no", "true", "false", "1", "0"):
                raise UsageError(f"{spec}: header must be yes or no, got '{value}'")
            value = value.lower() in ("yes", "true", "1")
        opts[key] = value
    return path, opts


# ------------------------------------------------------------------------------------------ fit

KIND_NAMES = {"excel": "an Excel workbook", "csv": "a CSV file", "parquet": "a Parquet file",
              "arrow": "an Arrow file", "jsonl": "a JSON Lines file", "html": "an HTML table",
              "text": "a text file", "duckdb": "a DuckDB table", "sqlite": "a SQLite table"}


def _kind(source) -> str:
    return KIND_NAMES.get(source.format, f"a {source.format} file")


def format_fits(fmt: str, path: str) -> bool:
    from .sources import sniff_format

    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return True
    magic = sniff_format(head)
    if fmt in ("parquet", "arrow", "excel"):
        return magic == fmt
    return magic not in ("parquet", "arrow", "excel")


def encoding_fits(encoding: str, source) -> tuple[bool, str]:
    if source.format not in TEXT_FORMATS or not source.path:
        return False, f"{_kind(source)} has no text encoding"
    with open(source.path, "rb") as fh:
        head = fh.read(1 << 16)
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom) and not codecs.lookup(encoding).name.startswith(name):
            return False, f"it starts with a {name} byte-order mark"
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, False)
    except UnicodeDecodeError:
        return False, f"it does not decode as {encoding}"
    return True, ""


def sheet_fits(sheet: str, source) -> tuple[bool, str]:
    if source.format != "excel":
        return False, f"{_kind(source)} has no sheets"
    names = _sheet_names(source.path)
    if names is None:
        return True, ""
    if sheet in names or (str(sheet).isdigit() and 1 <= int(sheet) <= len(names)):
        return True, ""
    return False, f"its sheets are {', '.join(names)}"


def _sheet_names(path):
    try:
        import python_calamine

        return list(python_calamine.CalamineWorkbook.from_path(path).sheet_names)
    except Exception:  # noqa: BLE001 -- an HTML '.xls' or a broken book: let the reader say so
        return None


def delimiter_fits(delimiter: str, source, skip: int) -> tuple[bool, str]:
    if source.format != "csv":
        return False, f"{_kind(source)} has no delimiter"
    rows = _first_lines(source, skip + 1)
    line = rows[skip] if len(rows) > skip else ""
    if delimiter in line:
        return True, ""
    return False, f"its header line has no {delimiter!r}"


def skip_fits(skip: int, source, sheet=None, delimiter=None) -> tuple[bool, str]:
    if source.format == "text":
        return True, ""
    if source.format not in ("csv", "excel"):
        return False, f"{_kind(source)} has no preamble lines"
    widths = _row_widths(source, skip + 1, sheet, delimiter)
    if widths is None:
        return True, ""
    if len(widths) <= skip:
        return False, f"it has only {len(widths)} rows"
    header = widths[skip]
    if all(w < header for w in widths[:skip]):
        return True, ""
    return False, "its first row is already the header: as wide as the row below it"


def _first_lines(source, n: int) -> list[str]:
    from .sources import detect_encoding_quick

    enc = source.encoding or detect_encoding_quick(source.path, source.name)[0]
    out = []
    try:
        with open(source.path, "r", encoding=enc, errors="replace", newline="") as fh:
            for _ in range(n):
                line = fh.readline()
                if not line:
                    break
                out.append(line.rstrip("\r\n"))
    except OSError:
        pass
    return out


def _row_widths(source, n: int, sheet=None, delimiter=None) -> list[int] | None:
    """Filled cells in each of the first ``n`` rows."""
    if source.format == "csv":
        lines = _first_lines(source, n)
        if not lines:
            return None
        header = lines[-1]
        d = delimiter or max((",", "\t", ";", "|"), key=lambda c: header.count(c))
        return [sum(1 for cell in next(csv.reader(io.StringIO(line), delimiter=d), []) if cell.strip())
                for line in lines]
    try:
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_path(source.path)
        names = book.sheet_names
        chosen = names[0] if sheet is None else (
            sheet if sheet in names else names[int(sheet) - 1] if str(sheet).isdigit() else names[0])
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False, nrows=n)
    except Exception:  # noqa: BLE001
        return None
    return [sum(1 for v in row if v not in (None, "") and str(v).strip()) for row in rows[:n]]


def plan(sources, *, sheet=None, skip=0, delimiter=None, encoding_given=None, format_given=None,
         several: bool | None = None) -> list[dict]:
    """The read options for each source: its own (#...) first; then the global ones, everywhere
    with one input, only where they fit with several (stderr says where). Returns one dict per
    source with sheet/skip/delimiter/header."""
    from .. import console

    several = len(sources) > 1 if several is None else several
    plans = [dict(getattr(s, "options", {}) or {}) for s in sources]
    for s, p in zip(sources, plans):
        _check_own(s, p)
    for p in plans:
        p.pop("format", None)
        p.pop("encoding", None)
    given = [("--sheet", "sheet", sheet), ("--skip", "skip", skip or None),
             ("--delimiter", "delimiter", delimiter)]
    for flag, key, value in given:
        if value is None:
            continue
        if not several:
            for p in plans:
                p.setdefault(key, value)
            continue
        fits, misses = [], []
        for s, p in zip(sources, plans):
            if key in p:  # the file's own option wins
                continue
            if key == "sheet":
                ok, why = sheet_fits(value, s)
            elif key == "skip":
                ok, why = skip_fits(value, s, p.get("sheet", sheet), p.get("delimiter", delimiter))
            else:
                ok, why = delimiter_fits(value, s, p.get("skip", skip or 0))
            if ok:
                p[key] = value
                fits.append(s.name)
            else:
                misses.append(f"{s.name} ({why})")
        _report(flag, value, fits, misses, sources)
    for flag, value, applied in (("--encoding", encoding_given, "encoding"),
                                 ("--input-format", format_given, "format")):
        if value is None or not several:
            continue
        fits = [s.name for s in sources if s.applied.get(applied)]
        misses = [f"{s.name} ({s.misses.get(applied, 'does not fit')})"
                  for s in sources if not s.applied.get(applied) and applied not in s.options]
        _report(flag, value, fits, misses, sources)
    return plans


_OWN_FITS = {"sheet": ("excel",), "delimiter": ("csv",), "skip": ROW_FORMATS,
             "encoding": TEXT_FORMATS}


def _check_own(source, own: dict) -> None:
    """A file's own option must mean something for that file (sheet= on a CSV is a mistake)."""
    for key, formats in _OWN_FITS.items():
        if key in own and source.format not in formats:
            raise UsageError(f"{source.name}: '{key}=' does not apply to {_kind(source)}")


def _report(flag, value, fits, misses, sources):
    from .. import console

    if not fits and misses:
        raise UsageError(f"{flag} {value} fits none of the inputs: {'; '.join(misses)}; give it "
                         f"per file instead, e.g. {_example(sources[0].name, flag, value)}")
    if misses:
        console.info(f"{flag} {value} applies to {', '.join(fits)} only; not to {'; '.join(misses)}")


def _example(name, flag, value):
    key = {"--input-format": "format"}.get(flag, flag.lstrip("-"))
    return f"'{name}#{key}={value}'"


def per_input(paths, **read_options) -> list[dict]:
    """For a command that opens each input on its own (merge stack, timeline): the read options
    each input gets, with the global ones applied only where they fit when there are several
    inputs (stderr says which; fitting none is a usage error). Standard input takes them all (it
    cannot be read twice to find out)."""
    paths = list(paths or [])
    keys = ("sheet", "skip", "encoding", "delimiter", "format")
    globals_ = {k: read_options.get(k) for k in keys if read_options.get(k)}
    rest = {k: v for k, v in read_options.items() if k not in keys}
    named = [p for p in paths if p not in (None, "-")]
    if len(paths) < 2 or not globals_ or len(named) < 2 and len(named) == len(paths):
        return [dict(read_options) for _ in paths]
    from .sources import resolve

    sources = resolve(named, globals_.get("format"), globals_.get("encoding"), None, fit=True)
    plans = plan(sources, sheet=globals_.get("sheet"), skip=globals_.get("skip", 0),
                 delimiter=globals_.get("delimiter"), encoding_given=globals_.get("encoding"),
                 format_given=globals_.get("format"), several=True)
    per = {}
    for path, s, p in zip(named, sources, plans):
        d = dict(rest)
        for k in ("sheet", "skip", "delimiter"):
            if k in p and k not in s.options:
                d[k] = p[k]
        for k in ("encoding", "format"):
            if k in globals_ and s.applied.get(k):
                d[k] = globals_[k]
        per[path] = d
    return [per[p] if p in per else dict(read_options) for p in paths]
