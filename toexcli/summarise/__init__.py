"""``toex summarise``: the one-screen picture of a table, a set of call records or statements.

Library use (the CLI is a thin wrapper)::

    from toexcli.summarise import summarise, tidy_tables
    report = summarise(["handset_a.csv", "handset_b.csv"])          # kind detected
    report = summarise(df, kind="calls", from_="A Number", to="B Number", time="Start")
    tables = tidy_tables(report)                                    # name -> DataFrame

The result is a dict (see the README's ``--json`` contract). A call summary's per-handset
``contacts`` are a :class:`~toexcli.summarise.rows.Rows`: a read-only sequence of dicts over
one Arrow table (index, slice, iterate, ``len``, ``==`` a list; ``.to_arrow()``), so ~300,000
contacts are not 300,000 dicts. ``plain(report)`` gives the same report with plain lists, for
``json.dumps``; ``toexcli.summarise.output.json_text(report)`` is the CLI's ``--json`` text.
"""

from __future__ import annotations

import importlib

# Loaded on first use, so `toex --help` (which imports this package's cli) stays fast.
_LAZY = {"BankOptions": ".bank", "load_transactions": ".bank", "summarise_bank": ".bank",
         "CallOptions": ".calls", "CallsSummariser": ".calls", "detect_call_columns": ".detect",
         "detect_kind": ".detect", "check_kind": ".detect", "summarise_table": ".table",
         "tidy_tables": ".tidy", "plain": ".rows", "Rows": ".rows"}


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(name)

__all__ = ["summarise", "summarise_calls", "summarise_bank", "summarise_table", "tidy_tables",
           "detect_kind", "CallOptions", "BankOptions", "FrameTable", "plain", "Rows"]


class FrameTable:
    """A DataFrame dressed as a TableInput, so notebook users get the CLI's results."""

    def __init__(self, df, name: str = "dataframe", batch_rows: int = 1 << 17):
        import pyarrow as pa

        self.df = df
        self.name = name
        self.batch_rows = batch_rows
        self.schema = pa.Schema.from_pandas(df.head(0), preserve_index=False)
        self.sources = []
        self.rows_read = 0
        self.history = []

    @property
    def columns(self):
        return list(self.df.columns)

    def batches(self):
        import pyarrow as pa

        for i in range(0, max(len(self.df), 1), self.batch_rows):
            part = self.df.iloc[i:i + self.batch_rows]
            self.rows_read += len(part)
            # pandas' Arrow-backed text columns may hold several chunks: one batch per slice
            yield from pa.Table.from_pandas(part, preserve_index=False).combine_chunks().to_batches()

    def frames(self):
        for i in range(0, len(self.df), self.batch_rows):
            part = self.df.iloc[i:i + self.batch_rows]
            self.rows_read += len(part)
            yield part


def _as_table(data, **read_options):
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return FrameTable(data)
    if hasattr(data, "batches") and hasattr(data, "columns"):
        return data
    from ..io import TableInput

    return TableInput(data, **read_options)


def summarise_calls(table, *, from_=None, to=None, time=None, target=None, type=None,
                    duration=None, options: "CallOptions | None" = None, progress=None) -> dict:
    """Summarise call records from a TableInput (or DataFrame), streaming in batches."""
    from .calls import CallsSummariser
    from .detect import detect_call_columns

    table = _as_table(table)
    name = getattr(table, "name", "input")
    cols = detect_call_columns(table.columns, from_=from_, to=to, time=time, target=target,
                               type=type, duration=duration, source=name)
    s = CallsSummariser(cols, options)
    # _source names a file's handset only when there is no target column
    wanted = [c for c in cols.used()] + [c for c in ("_source",) if c in table.columns
                                         and not cols.target]
    # the reader's batches (~40,000 rows of a CSV) are gathered into ~half-million-row ones: each
    # add() has a fixed cost (distinct numbers looked up, three group-bys), so fewer is faster
    # (only with a target column: without one, a file's handset is chosen from its first batch,
    # and a bigger first batch could choose differently)
    limit = CALL_BATCH_ROWS if cols.target else 1
    pending, rows = [], 0
    for batch in table.batches():
        names = batch.schema.names
        batch = batch.select([names.index(c) for c in dict.fromkeys(wanted)])
        if pending and batch.schema != pending[0].schema:
            s.add(_joined(pending))
            pending, rows = [], 0
        pending.append(batch)
        rows += batch.num_rows
        if rows >= limit:
            s.add(_joined(pending))
            pending, rows = [], 0
        if progress is not None:
            progress.advance(batch.num_rows)
    if pending:
        s.add(_joined(pending))
    return s.result()


CALL_BATCH_ROWS = 1 << 19


def _joined(batches):
    import pyarrow as pa

    if len(batches) == 1:
        return batches[0]
    return pa.Table.from_batches(batches).combine_chunks()


def summarise(data, kind: str = "auto", *, call_columns: dict | None = None,
              call_options: "CallOptions | None" = None, bank_options: "BankOptions | None" = None,
              top: int = 5, progress=None, message_options=None, period=None,
              **read_options) -> dict:
    """Summarise ``data`` (paths, a TableInput or a DataFrame) as a table, calls or bank.
    ``period``: a :class:`toexcli.summarise.period.Period` (only rows in it are summarised).

    ``kind='auto'`` chooses from the column names; the choice and why are in ``detected``.
    """
    from .bank import load_transactions, summarise_bank
    from .detect import check_kind, detect_kind
    from .table import summarise_table

    table = _as_table(data, **read_options)
    kind = check_kind(kind)
    why = "asked for with --kind"
    if kind == "auto" and any((call_columns or {}).values()):
        kind, why = "calls", "call-record columns named on the command line"
    elif kind == "auto":
        kind, why = detect_kind(table.columns)
    if period:  # --from/--to as dates: only the rows in the period (see summarise/period.py)
        from .period import restrict

        table = restrict(table, kind, period, call_columns)
    if kind == "calls":
        result = summarise_calls(table, options=call_options, progress=progress, **(call_columns or {}))
    elif kind == "messages":
        from .messages import summarise_messages

        result = summarise_messages(table, message_options)
    elif kind == "bank":
        from .detect import bank_columns

        bank_columns(table.columns, getattr(table, "name", "input"))
        result = summarise_bank(load_transactions(table), bank_options)
    else:
        result = summarise_table(table, top=top)
    result["detected"] = why
    result["sources"] = [s.name for s in getattr(table, "sources", [])]
    result["rows_read"] = table.rows_read
    if period:
        result["period"] = {"text": period.text, **period.stats}
    return result
