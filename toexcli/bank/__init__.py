"""Bank statements from any UK bank export into one checked transaction table.

>>> from toexcli.bank import parse_statements                  # doctest: +SKIP
>>> df, reports = parse_statements(["lloyds.csv", "statement.ofx"])   # doctest: +SKIP

``df`` has the columns in ``OUTPUT_COLUMNS`` (amount/balance/fee exact decimal128(18,2), or with
more decimal places when a file's amounts have them: nothing is rounded), plus
``pending`` with ``include_pending=True``, and ``_source``/``_row``. ``reports`` has one dict per
file: transactions, totals, date range, opening/closing balance, balance-check breaks, rows left
out (balance rows, footers, pending) and problems.
"""

from __future__ import annotations

import os
import re

from ..errors import DataError, UsageError
from . import layouts as _layouts

__all__ = ["OUTPUT_COLUMNS", "detect_format", "formats", "parse_file", "parse_statements"]



def __getattr__(name):  # pandas-heavy pieces load on first use (`toex --help` stays fast)
    if name in ("OUTPUT_COLUMNS", "Parsed"):
        from . import statement

        return getattr(statement, name)
    raise AttributeError(name)


TEXT_FORMATS = ("ofx", "qif", "mt940", "camt053", "santander_txt")


def detect_format(path: str) -> str:
    """'ofx', 'qif', 'mt940', 'camt053', 'santander_txt', 'excel' or 'table' (CSV-like), by
    content, never by file name."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if not head.strip():
        raise DataError(f"{path}: file is empty")
    if head.startswith(b"PAR1") or head.startswith(b"ARROW1") or head.startswith(b"\xff\xff\xff\xff"):
        return "typed"  # a statement already converted (e.g. by toex convert): columns by name
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "excel"
    text = head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \r\n\t")
    upper = text.upper()
    if upper.startswith("OFXHEADER") or "<OFX>" in upper or "<?OFX" in upper:
        return "ofx"
    if "CAMT.053" in upper and "<DOCUMENT" in upper or "<BKTOCSTMR" in upper:
        return "camt053"
    body = re.sub(r"^(?:[ \t]*(?:#[^\n]*|\^[ \t]*)?\r?\n)*", "", upper)  # comment lines, a stray '^'
    if re.match(r"!(TYPE|ACCOUNT|OPTION|CLEAR)", body):
        return "qif"
    if re.search(r"(^|\n|\{4:\s*\n?):20:", text) and re.search(r"\n:(60F|60M|61):", text):
        return "mt940"
    if re.search(r"^\s*From:.*\n(.*\n)*?\s*Account:", text[:2000], re.M) and re.search(r"^\s*Date:", text, re.M) \
            and re.search(r"^\s*Amount:", text, re.M):
        return "santander_txt"
    if upper.startswith(("<!DOCTYPE HTML", "<HTML", "<TABLE")):
        return "html"  # an HTML table saved as .xls: the foundation reads it as a table
    return "table"


def guess_encoding(path: str) -> str | None:
    """The legacy code page charset-normalizer finds most likely (cp852, cp1250, ...), or None."""
    try:
        from charset_normalizer import from_path
    except ImportError:  # pragma: no cover - a dependency
        return None
    best = from_path(path).best()
    return best.encoding.replace("_", "-") if best is not None else None


def _decode_text(path: str, name: str, encoding: str | None) -> tuple[str, str]:
    from ..io.sources import detect_encoding

    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"--encoding: unknown encoding '{encoding}'") from None
        with open(path, "rb") as fh:
            raw = fh.read()
        try:
            return raw.decode(encoding).lstrip("\ufeff"), encoding
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            guess = guess_encoding(path)
            raise DataError(f"{name}: line {line}: byte offset {exc.start}: cannot decode as {encoding}"
                            + (f"; it looks like {guess} (--encoding {guess})" if guess and guess != encoding
                               else "; give the right --encoding")) from None
    try:
        enc = detect_encoding(path, name)
    except DataError as exc:  # neither UTF-8 nor cp1252: a legacy code page (cp852, cp1250, ...)?
        guess = guess_encoding(path)
        if not guess:
            raise
        try:
            with open(path, "r", encoding=guess, newline="") as fh:
                return fh.read().lstrip("\ufeff"), guess
        except (UnicodeDecodeError, LookupError):
            raise exc from None
    with open(path, "r", encoding=enc, newline="") as fh:
        return fh.read().lstrip("\ufeff"), enc


def parse_file(path: str, *, name: str | None = None, format: str | None = None,
               mapping: dict | None = None, encoding: str | None = None, sheet: str | None = None,
               year: int | None = None):
    """One statement file -> Parsed (before checks). ``format`` forces a format or layout name;
    ``mapping`` is a user layout (from --map / --map-file)."""
    from .tabular import parse_tabular

    name = name or path
    kind = detect_format(path)
    forced_layout = None
    if format:
        f = format.lower().replace("-", "_")
        if f in TEXT_FORMATS:
            kind = f
        elif f in ("csv", "table"):
            kind = "table" if kind != "excel" else kind
        elif f == "excel":
            kind = "excel"
        else:
            forced_layout = _layouts.by_name(f)
            if forced_layout is None:
                names = [x["name"] for x in _layouts.layouts()] + list(TEXT_FORMATS)
                from ..errors import did_you_mean
                raise UsageError(f"--format: unknown format '{format}'{did_you_mean(format, names)}; "
                                 "`toex bank formats` lists them")
            if kind in TEXT_FORMATS:
                kind = "table"
    if kind == "ofx":
        from .textformats import parse_ofx

        with open(path, "rb") as fh:
            return parse_ofx(fh.read(), name)
    if kind == "camt053":
        from .textformats import parse_camt

        with open(path, "rb") as fh:
            return parse_camt(fh.read(), name)
    if kind in ("qif", "mt940", "santander_txt"):
        from . import textformats

        text, enc = _decode_text(path, name, encoding)
        fn = {"qif": textformats.parse_qif, "mt940": textformats.parse_mt940,
              "santander_txt": textformats.parse_santander_txt}[kind]
        return fn(text, name, enc)
    return parse_tabular(path, name, excel=kind if kind in ("excel", "html") else False,
                         encoding=encoding, sheet=sheet,
                         forced=forced_layout, user=mapping, year=year, typed=(kind == "typed"))


def parse_statements(paths, *, format: str | None = None, mapping: dict | None = None,
                     account: str | None = None, include_pending: bool = False,
                     encoding: str | None = None, sheet: str | None = None, year: int | None = None,
                     names: list[str] | None = None):
    """Parse several statements (any mix of formats) into one table -> (DataFrame, reports)."""
    import pandas as pd

    from .statement import finalise, mark_duplicates, repeat_text, rescale, to_output

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    frames, reports, scales = [], [], []
    for i, p in enumerate(paths):
        p = os.fspath(p)
        name = names[i] if names else p
        parsed = parse_file(p, name=name, format=format, mapping=mapping, encoding=encoding,
                            sheet=sheet, year=year)
        df, report = finalise(parsed, include_pending=include_pending, account=account)
        df = df.assign(_source=repeat_text(name, df.index))
        frames.append(df)
        reports.append(report)
        scales.append(parsed.scale)
    scale = max(scales)
    frames = [rescale(f, 10 ** (scale - s)) for f, s in zip(frames, scales)]
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    df = df.assign(duplicate_of=mark_duplicates(df) if len(frames) > 1 else repeat_text("", df.index))
    dups = df["duplicate_of"] != ""
    if dups.any():
        for rep in reports:
            rep["duplicates_of_earlier_files"] = int((dups & (df["_source"] == rep["file"])).sum())
    return to_output(df, include_pending=include_pending, scale=scale), reports


def formats() -> list[dict]:
    """What `toex bank formats` lists: every CSV/Excel layout and every file format."""
    out = []
    for lay in _layouts.layouts():
        cols = lay.get("columns", {})
        seen: list[str] = []
        for v in cols.values():
            for x in (v if isinstance(v, list) else [v]):
                x = x.replace("re:", "").replace("\\(", "(").replace("\\)", ")")
                x = x.replace("(?P<currency>[A-Z]{3})", "CCY").replace("[A-Z]{3}", "CCY")
                if x not in seen:
                    seen.append(x)
        header = ("(no header, %d columns)" % lay.get("width", 0)) if lay.get("headerless") else ", ".join(seen)
        out.append({"name": lay["name"], "kind": "csv/excel layout", "banks": ", ".join(lay.get("banks", [])),
                    "recognised_by": header, "note": lay.get("note", "")})
    out += [
        {"name": "ofx", "kind": "file format", "banks": "OFX/QFX 1.x SGML and 2.x XML (most UK banks' 'Money' download)",
         "recognised_by": "OFXHEADER / <OFX>", "note": "LEDGERBAL is the closing balance"},
        {"name": "qif", "kind": "file format", "banks": "Quicken QIF (e.g. Santander)",
         "recognised_by": "!Type:", "note": "day-first dates"},
        {"name": "mt940", "kind": "file format", "banks": "SWIFT MT940 (business banking)",
         "recognised_by": ":20: and :61:", "note": ":60F: opening, :62F: closing"},
        {"name": "camt053", "kind": "file format", "banks": "ISO 20022 CAMT.053 XML",
         "recognised_by": "BkToCstmrStmt", "note": "pending (PDNG) entries flagged"},
        {"name": "santander_txt", "kind": "file format", "banks": "Santander text download",
         "recognised_by": "From: / Account: / Date: / Amount: blocks", "note": ""},
    ]
    return out
