"""Writing the summary tables: one sheet per table in .xlsx, one stacked table otherwise."""

from __future__ import annotations

import pandas as pd

from .. import console


def write_tables(tables: dict[str, pd.DataFrame], stacked, *, output, to=None, force=False,
                 table=None, excel_safe=False) -> None:
    from ..cliutil import write_frame
    from ..io.writers import check_output_path, output_format

    fmt = output_format(output, to)
    if fmt != "xlsx":
        write_frame(stacked(tables), output=output, to=to, force=force, table=table,
                    excel_safe=excel_safe)
        return
    if output in (None, "-"):
        from ..errors import UsageError

        raise UsageError("a multi-sheet .xlsx summary needs -o FILE.xlsx")
    check_output_path(output, force, table.sources if table is not None else ())
    from ..io.writers import EXCEL_MAX_ROWS

    big = [f"{name} ({len(df):,} rows)" for name, df in tables.items() if len(df) > EXCEL_MAX_ROWS]
    if big:
        from ..errors import UsageError

        raise UsageError(f"{output}: {', '.join(big)} will not fit in an Excel sheet; "
                         "write .parquet or .csv instead")
    if excel_safe:
        tables, n = _excel_safe(tables)
        if n:
            console.info(f"--excel-safe: prefixed ' to {n:,} cells that began with = + - @")
    write_workbook(tables, output)
    console.info(f"wrote {len(tables)} sheets to {output}")


def _excel_safe(tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], int]:
    """--excel-safe for the multi-sheet workbook: the same rule as every table output (a text
    cell or column name starting with = + - @, tab or CR, not a plain number, gets a leading ')."""
    from ..io.writers import excel_safe_cell as fix

    out, n = {}, 0
    for name, df in tables.items():
        names = [fix(c) for c in df.columns]
        n += sum(a != b for a, b in zip(names, df.columns))
        df = df.copy()
        df.columns = names
        for i in range(df.shape[1]):
            col = df.iloc[:, i]
            if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
                fixed, changed = [], 0
                for v in col:
                    f = fix(v)
                    changed += f is not v
                    fixed.append(f)
                if changed:
                    n += changed
                    df.isetitem(i, pd.Series(fixed, index=df.index, dtype=object))
        out[name] = df
    return out, n


def write_workbook(tables: dict[str, pd.DataFrame], path: str) -> None:
    """Atomically write one sheet per table; text stays text, numbers are numbers."""
    import io

    import xlsxwriter

    from ..io.writers import write_bytes_atomic

    buffer = io.BytesIO()  # built in memory: a full disk is then one OSError from our own write
    book = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False, "nan_inf_to_errors": True})
    bold = book.add_format({"bold": True})
    for name, df in tables.items():
        sheet = book.add_worksheet(name[:31])
        for j, col in enumerate(df.columns):
            sheet.write_string(0, j, str(col), bold)
            sheet.set_column(j, j, min(max(len(str(col)) + 2, 12), 40))
        for i, row in enumerate(df.itertuples(index=False), start=1):
            for j, v in enumerate(row):
                if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                    continue
                if isinstance(v, bool):
                    sheet.write_boolean(i, j, v)
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    sheet.write_number(i, j, v)
                elif hasattr(v, "item"):  # numpy scalar
                    sheet.write_number(i, j, v.item())
                else:
                    sheet.write_string(i, j, str(v)[:32767])
        sheet.freeze_panes(1, 0)
    book.close()
    # whole or not at all, with the usual permissions; a FIFO or device written in place
    # (the caller has checked the path: an existing file only with --force)
    write_bytes_atomic(buffer.getvalue(), path, force=True)


def json_text(report, levels: int = 2) -> str:
    """The report as JSON text, indented for its first ``levels`` levels (each key, each list
    item on its own line) and compact below. ``json.dump(indent=2)`` falls back to Python's
    pure-Python encoder, which spent 16 s on a 300,000-contact call summary; every compact
    piece here goes through the C encoder, and a columnar list (:class:`~.rows.Rows`, a call
    summary's contacts) writes its own text from Arrow. The result is valid JSON that parses
    to ``plain(report)``."""
    return "".join(json_chunks(report, levels))


def write_json(report, stream, levels: int = 2) -> None:
    """:func:`json_text` written to ``stream`` piece by piece (no copy of the whole text)."""
    for chunk in json_chunks(report, levels):
        stream.write(chunk)


def json_chunks(report, levels: int = 2):
    """The pieces of :func:`json_text`, in order."""
    import json

    from .rows import Rows, json_default

    def compact(obj):
        if isinstance(obj, Rows):
            yield obj.json()
        elif isinstance(obj, dict) and all(isinstance(k, str) for k in obj) and any(
                isinstance(v, Rows) for v in obj.values()):
            sep = "{"
            for k, v in obj.items():
                yield f"{sep}{json.dumps(k, ensure_ascii=False)}: "
                yield from compact(v)
                sep = ", "
            yield "}"
        else:
            yield json.dumps(obj, ensure_ascii=False, default=json_default)

    def dump(obj, depth: int):
        pad = "  " * (depth + 1)
        if depth < levels and isinstance(obj, dict) and obj:
            sep = "{\n"
            for k, v in obj.items():
                yield f"{sep}{pad}{json.dumps(str(k), ensure_ascii=False)}: "
                yield from dump(v, depth + 1)
                sep = ",\n"
            yield "\n" + "  " * depth + "}"
        elif depth + 1 == levels and isinstance(obj, Rows) and len(obj):
            sep = "[\n"  # one row a line, each row's text made in Arrow
            for text in obj.json_rows():
                yield sep + pad + text
                sep = ",\n"
            yield "\n" + "  " * depth + "]"
        elif depth < levels and isinstance(obj, (list, Rows)) and len(obj):
            sep = "[\n"
            for v in obj:
                yield sep + pad
                yield from dump(v, depth + 1)
                sep = ",\n"
            yield "\n" + "  " * depth + "]"
        else:
            yield from compact(obj)

    yield from dump(report, 0)
    yield "\n"
