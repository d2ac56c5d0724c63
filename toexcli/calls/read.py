"""Reading one return into a text table: the header row found below any preamble, the sheet
that holds the call table chosen in a workbook, footer lines taken off the end (and any record
count they state kept for the check). Every cell is read as text."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from ..errors import DataError
from . import layouts as L

HEAD_LINES = 40
DELIMS = (",", ";", "\t", "|")
FOOTER_RX = re.compile(
    r"(?i)(?:end of (?:report|data|file|records?|extract|return)|\*{2,}|^-{3,}|total|records?\b|"
    r"rows?\b|count\b|page \d|generated|produced by|printed|confidential|official|^=+)")
COUNT_RXS = (
    re.compile(r"(?i)\b(\d[\d,]*)\s+(?:call\s+)?(?:records?|rows?|calls?|events?|entries|items|lines)\b"),
    re.compile(r"(?i)\b(?:records?|rows?|calls?|events?|entries|count|total)\b[^\d]{0,20}?(\d[\d,]*)\s*$"),
)


@dataclass
class RawReturn:
    name: str
    kind: str                      # csv | excel | frame | typed
    table: object                  # pyarrow Table of text columns (+ _source, _row)
    columns: list
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets_skipped: list = field(default_factory=list)
    header_line: int | None = None  # 1-based line/row of the header in the file/sheet
    preamble: list = field(default_factory=list)
    footer: list = field(default_factory=list)
    blank_rows: int = 0


def _split(line: str, delim: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delim))
    except (StopIteration, csv.Error):
        return []


def _best_header(rows: list[list[str]], user: dict | None = None):
    """-> (index, score) of the row that names the most roles, or (None, 0). With a user
    mapping, the first row holding every mapped column name is the header."""
    if user:
        want = {str(v).strip().casefold() for v in user.values()}
        for i, cells in enumerate(rows[:HEAD_LINES]):
            have = {str(c).strip().casefold() for c in cells}
            if want <= have:
                return i, 100
        return None, 0
    best, best_n = None, 0
    for i, cells in enumerate(rows[:HEAD_LINES]):
        if sum(1 for c in cells if str(c).strip()) < 2:
            continue
        n, _found = L.header_score(cells)
        if n > best_n and L.looks_like_header(cells):
            best, best_n = i, n
    return best, best_n


_PHONEISH = re.compile(r"^\+?[\d\s\-()]{7,20}$")


def _header_by_values(rows: list[list[str]]):
    """When no header row names the roles in words toex knows: the first row of labels (no
    date-time or phone number among them) whose next row holds a date-time and a phone number.
    The columns' roles are then read from their values."""
    from ..timemodel import read_wall

    for i, cells in enumerate(rows[:HEAD_LINES - 1]):
        labels = [str(c).strip() for c in cells]
        if sum(1 for c in labels if c) < 3:
            continue
        if any(_PHONEISH.match(c) or read_wall(c) for c in labels if c):
            continue
        if i + 1 >= len(rows):
            break
        nxt = [str(c).strip() for c in rows[i + 1]]
        if len(nxt) != len(labels):
            continue
        if any(read_wall(c) for c in nxt if c) and any(_PHONEISH.match(c) for c in nxt if c):
            return i, 1
    return None, 0


def headers_seen(rows: list[list[str]]) -> str:
    """The widest early row, to show in an error."""
    for cells in rows[:HEAD_LINES]:
        cells = [str(c).strip() for c in cells if str(c).strip()]
        if len(cells) >= 3:
            return ", ".join(cells)
    return "(none found)"


def read_csv(path: str, name: str, encoding: str | None = None, user: dict | None = None) -> RawReturn:
    import pyarrow as pa

    from ..io import TableInput
    from ..io.sources import detect_encoding

    enc = encoding or detect_encoding(path, name)
    with open(path, "r", encoding=enc, errors="replace", newline="") as fh:
        head = fh.read(1 << 16).lstrip("\ufeff")
    lines = head.splitlines()[:HEAD_LINES + 5]
    best = (None, 0, ",")
    for d in DELIMS:
        rows = [_split(line, d) for line in lines]
        i, n = _best_header(rows, user)
        if i is not None and n > best[1] and (len(rows[i]) > 1):
            best = (i, n, d)
    if best[0] is None and not user:
        for d in DELIMS:
            rows = [_split(line, d) for line in lines]
            i, n = _header_by_values(rows)
            if i is not None:
                best = (i, n, d)
                break
    i, _n, d = best
    if i is None:
        rows = [_split(line, max(DELIMS, key=lambda x: len(_split(line, x)))) for line in lines]
        _no_header(name, headers_seen(rows), user)
    table = TableInput(path, format="csv", encoding=enc, skip=i, header=True, delimiter=d,
                       provenance=True, batch_rows=1 << 18, footers=False)
    table.sources[0].name = name
    tbl = pa.Table.from_batches(list(table.batches()), schema=table.schema)
    preamble = [" ".join(c.strip() for c in _split(ln, d) if c.strip()) or ln.strip()
                for ln in lines[:i] if re.search(r"\w", ln)]
    return RawReturn(name, "csv", tbl, [c for c in tbl.column_names if c not in ("_source", "_row")],
                     encoding=enc, delimiter=d, header_line=i + 1, preamble=preamble)


def read_excel(path: str, name: str, sheet: str | None = None, user: dict | None = None,
               fmt: str = "excel") -> RawReturn:
    import numpy as np
    import pyarrow as pa

    from ..io import TableInput
    from ..io.readers import clean_names

    if fmt == "html":
        names = [None]
    elif sheet is None:
        from python_calamine import CalamineWorkbook

        try:
            names = CalamineWorkbook.from_path(path).sheet_names
        except Exception as exc:  # noqa: BLE001 (calamine has its own error types)
            raise DataError(f"{name}: not a readable Excel workbook ({str(exc).splitlines()[0][:120]})") from None
    else:
        names = [sheet]
    found = []
    seen_rows = []
    for order, sh in enumerate(names):
        try:
            grid = TableInput(path, format=fmt, header=False, sheet=sh, provenance=False).read()
        except DataError:
            continue  # an empty or unreadable sheet (a cover note) is not the call table
        rows = grid.fillna("").astype("str").head(HEAD_LINES).values.tolist()
        seen_rows.append(rows)
        i, n = _best_header(rows, user)
        if i is None and not user:
            i, n = _header_by_values(rows)
        if i is not None:
            named = 1 if sh and re.search(r"(?i)call|cdr|record|return|extract|log|event", sh) else 0
            found.append((n, named, -order, sh, i, grid))
    if not found:
        shown = next((headers_seen(r) for r in seen_rows if headers_seen(r) != "(none found)"),
                     "(none found)")
        _no_header(name, shown, user, sheets=names)
    found.sort(reverse=True, key=lambda x: x[:3])
    _n, _named, _o, chosen, i, grid = found[0]
    cols = list(grid.columns)
    head = grid.iloc[i].fillna("").astype("str").tolist()
    header = clean_names([str(c) for c in head])
    body = grid.iloc[i + 1:].reset_index(drop=True).fillna("").astype("str")
    body = body[cols[:len(header)]]
    body.columns = header
    preamble = [" ".join(c.strip() for c in r if str(c).strip())
                for r in grid.iloc[:i].fillna("").astype("str").values.tolist()]
    preamble = [p for p in preamble if p]
    data = {c: pa.array(body[c].to_numpy(dtype=object), pa.string()) for c in header}
    data["_source"] = pa.array(np.full(len(body), name, dtype=object), pa.string())
    data["_row"] = pa.array(np.arange(1, len(body) + 1, dtype=np.int64))
    return RawReturn(name, "excel" if fmt == "excel" else "html", pa.table(data), header,
                     sheet=chosen, sheets_skipped=[s for s in names if s != chosen and s], header_line=i + 1,
                     preamble=preamble)


def read_frame(df, name: str) -> RawReturn:
    import numpy as np
    import pyarrow as pa

    cols = [str(c) for c in df.columns if str(c) not in ("_source", "_row")]
    data = {}
    for c in cols:
        s = df[c]
        data[c] = pa.array(s.astype("str").where(s.notna(), "").to_numpy(dtype=object), pa.string())
    data["_source"] = pa.array(df["_source"].astype("str").to_numpy(dtype=object), pa.string()) \
        if "_source" in df.columns else pa.array(np.full(len(df), name, dtype=object), pa.string())
    data["_row"] = pa.array(df["_row"].astype("int64").to_numpy()) if "_row" in df.columns \
        else pa.array(np.arange(1, len(df) + 1, dtype=np.int64))
    return RawReturn(name, "frame", pa.table(data), cols)


def read_typed(path: str, name: str) -> RawReturn:
    """A return already converted to Parquet/Arrow (e.g. by toex convert): columns by name."""
    import pyarrow as pa

    from ..io import TableInput

    table = TableInput(path, provenance=True, footers=False)
    tbl = pa.Table.from_batches(list(table.batches()), schema=table.schema)
    cols = [c for c in tbl.column_names if c not in ("_source", "_row")]
    out = {}
    for c in cols:
        arr = tbl.column(c)
        if pa.types.is_timestamp(arr.type):
            arr = arr.cast(pa.string())
        out[c] = arr.cast(pa.string())
    out["_source"] = tbl.column("_source")
    out["_row"] = tbl.column("_row")
    return RawReturn(name, "typed", pa.table(out), cols)


def read_any(path: str, name: str, *, encoding: str | None = None, sheet: str | None = None,
             user: dict | None = None) -> RawReturn:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise DataError(f"{name}: file is empty")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return read_excel(path, name, sheet, user)
    if head.startswith(b"PAR1") or head.startswith(b"ARROW1") or head.startswith(b"\xff\xff\xff\xff"):
        return read_typed(path, name)
    with open(path, "rb") as fh:
        start = fh.read(2048).decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \r\n\t").upper()
    if start.startswith(("<!DOCTYPE HTML", "<HTML", "<TABLE", "<?XML")) and "<TABLE" in start + _more(path):
        return read_excel(path, name, None, user, fmt="html")  # an HTML table saved as .xls
    return read_csv(path, name, encoding, user)


def _more(path: str) -> str:
    with open(path, "rb") as fh:
        return fh.read(1 << 16).decode("latin-1").upper()


def _no_header(name: str, shown: str, user: dict | None, sheets=None):
    if user:
        from ..errors import UsageError

        want = ", ".join(f"{r}={c}" for r, c in user.items())
        raise UsageError(f"{name}: the mapped columns ({want}) are not all in one header line; "
                         f"headers were: {shown}")
    raise DataError(no_layout_message(name, shown, sheets=sheets))


def no_layout_message(name: str, shown: str, *, sheets=None, missing: str | None = None) -> str:
    sheets = [x for x in (sheets or []) if x]
    where = f" (sheets: {', '.join(sheets)})" if sheets else ""
    what = missing or "no header row naming a time and a party or call type was found"
    return (f"{name}: not recognised as a call record return: {what}; headers were: {shown}{where}; "
            "name the columns with --map start=COL,a_party=COL,b_party=COL (or date=COL,time=COL; "
            "target=COL,other_party=COL,direction=COL), or --map-file layout.toml")


# ------------------------------------------------------------------------------ footers
def split_footer(tbl, start_cols: list[str]):
    """Trailing rows that are footers (few cells filled, no readable start, or footer words):
    -> (table without them, their text lines)."""
    from ..timemodel import read_wall

    cols = [c for c in tbl.column_names if c not in ("_source", "_row")]
    n = tbl.num_rows
    cut = n
    lines: list[str] = []
    look = min(n, 20)
    tail = {c: tbl.column(c).slice(n - look, look).to_pylist() for c in cols}
    for k in range(look - 1, -1, -1):
        cells = [str(tail[c][k] or "").strip() for c in cols]
        filled = [c for c in cells if c]
        text = " ".join(filled)
        if not filled:
            cut -= 1
            continue
        start_text = " ".join(str(tail[c][k] or "").strip() for c in start_cols if c in tail).strip()
        readable = bool(start_text) and read_wall(start_text) is not None
        if (not readable and len(filled) <= 2) or (not readable and FOOTER_RX.search(text)):
            lines.append(text)
            cut -= 1
            continue
        break
    lines.reverse()
    if cut < n:
        tbl = tbl.slice(0, cut)
    return tbl, lines


def stated_count(lines: list[str]) -> int | None:
    """A record count a footer (or preamble) line states: ``END OF REPORT - 1630 RECORDS``,
    ``Total records: 49``."""
    for line in lines:
        for rx in COUNT_RXS:
            m = rx.search(line)
            if m:
                try:
                    return int(m.group(1).replace(",", ""))
                except ValueError:
                    continue
    return None
