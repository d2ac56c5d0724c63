"""``toex inspect``: what is in a table before you work on it.

Rows, columns, per-column non-empty and distinct counts, a sample, how the file was read
(format, encoding, delimiter, sheet) and the processing history carried by Parquet/Arrow files.
Streams, so it works on files larger than memory; distinct counts stop at ``distinct_cap``.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

DISTINCT_CAP = 1_000_000
MAX_SHOWN_COLUMNS = 500


def inspect_table(table, sample_rows: int = 5, distinct_cap: int = DISTINCT_CAP) -> dict:
    """Profile a ``TableInput``; returns a JSON-ready dict."""
    names = table.columns
    non_empty = {n: 0 for n in names}
    distinct: dict[str, set] = {n: set() for n in names}
    capped = {n: False for n in names}
    sample: list[dict] = []
    for batch in table.batches():
        if len(sample) < sample_rows:
            sample.extend(batch.slice(0, sample_rows - len(sample)).to_pylist())
        for name, col in zip(batch.schema.names, batch.columns):
            valid = pc.is_valid(col)
            if pa.types.is_string(col.type):
                valid = pc.and_(valid, pc.not_equal(pc.utf8_trim_whitespace(col), ""))
            non_empty[name] += pc.sum(valid).as_py() or 0
            if not capped[name]:
                distinct[name].update(v for v in pc.unique(col).to_pylist() if v not in (None, ""))
                if len(distinct[name]) > distinct_cap:
                    capped[name] = True
                    distinct[name] = set()
    columns = []
    for f in table.schema:
        columns.append({
            "name": f.name, "type": str(f.type), "non_empty": non_empty[f.name],
            "distinct": None if capped[f.name] else len(distinct[f.name]),
        })
    return {
        "sources": [{"name": s.name, "format": s.format, **_jsonable(s.details)} for s in table.sources],
        "rows": table.rows_read,
        "columns": columns,
        "sample": [{k: _cell(v) for k, v in row.items()} for row in sample],
        "history": table.history,
    }


def _jsonable(details: dict) -> dict:
    return {k: v for k, v in details.items() if isinstance(v, (str, int, float, list, bool))}


def _cell(v):
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def render(report: dict, console) -> None:
    """Print the report as rich tables (fits 100 columns)."""
    from rich.table import Table

    for s in report["sources"]:
        how = ", ".join(f"{k} {v!r}" if k == "delimiter" else f"{k} {v}"
                        for k, v in s.items() if k not in ("name", "sheets"))
        console.print(f"[bold]{s['name']}[/bold]: {how}")
        if s.get("sheets") and len(s["sheets"]) > 1:
            console.print(f"  sheets: {', '.join(s['sheets'])}")
    console.print(f"[bold]{report['rows']:,}[/bold] rows, [bold]{len(report['columns'])}[/bold] columns")
    t = Table(show_header=True, header_style="bold", width=min(console.width, 100))
    for head in ("column", "type", "non-empty", "distinct", "sample"):
        t.add_column(head, overflow="fold", justify="right" if head in ("non-empty", "distinct") else "left")
    first = report["sample"][0] if report["sample"] else {}
    shown = report["columns"]
    if len(shown) > MAX_SHOWN_COLUMNS:  # a wide export: a 20,000-row table takes a minute to draw
        shown = shown[:MAX_SHOWN_COLUMNS - 2] + [c for c in shown if c["name"] in ("_source", "_row")]
    for c in shown:
        d = "many" if c["distinct"] is None else f"{c['distinct']:,}"
        value = first.get(c["name"])
        t.add_row(c["name"], c["type"], f"{c['non_empty']:,}", d, "" if value is None else str(value)[:40])
    console.print(t)
    if len(shown) < len(report["columns"]):
        console.print(f"... and {len(report['columns']) - len(shown):,} more columns not shown "
                      "(toex inspect --json lists them all)")
    if report["history"]:
        h = Table(title="processing history", show_header=True, header_style="bold",
                  width=min(console.width, 100))
        for head in ("time (UTC)", "command", "rows in", "rows out"):
            h.add_column(head, overflow="fold")
        for step in report["history"]:
            h.add_row(str(step.get("time", "")), str(step.get("command", "")),
                      str(step.get("rows_in", "")), str(step.get("rows_out", "")))
        console.print(h)
