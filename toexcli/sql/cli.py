"""``toex sql``: thin typer wrapper over :mod:`toexcli.sql` (no DuckDB or pyarrow at import)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import cliutil

TABLE = "result"  # the table -o case.duckdb writes unless --table names one

COMMAND_SETTINGS = dict(epilog="""[bold]Examples[/bold]

  toex sql "SELECT Caller, count(*) AS calls FROM calls GROUP BY Caller ORDER BY calls DESC" calls.csv

  toex sql "SELECT * FROM c JOIN p ON c.other_e164 = p.phone_e164" c=case.duckdb:calls p=people.xlsx#sheet=Staff

  toex sql "SELECT handset, count(*) FROM read_parquet('calls/*.parquet') GROUP BY ALL" -o top.csv

  toex sql "SELECT * FROM transactions WHERE CAST(amount AS DECIMAL(12,2)) < -500" case.duckdb

[bold]Views[/bold]: each input is a view named after its file stem (calls.csv -> calls), or NAME=PATH;
case.duckdb makes a view of each of its tables. Text files are read as text (CAST to compare numbers).
""")


def command(
    query: Annotated[str, typer.Argument(help="The SQL (DuckDB dialect): SELECT ... FROM <view>.",
                                         show_default=False)],
    inputs: Annotated[Optional[list[str]], typer.Argument(
        help="Inputs, each a view: PATH (view named after the file stem), NAME=PATH, a Parquet "
             "glob ('calls/*.parquet'), case.duckdb (a view per table) or case.duckdb:TABLE.",
        show_default=False)] = None,
    output: cliutil.Output = None,
    to: cliutil.To = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
    memory_limit: Annotated[Optional[str], typer.Option(
        "--memory-limit", help="DuckDB's memory limit, e.g. 4GB (default: half the machine's "
        "memory, or $TOEX_SQL_MEMORY); beyond it DuckDB spills to --temp-dir.",
        show_default=False)] = None,
    temp_dir: Annotated[Optional[str], typer.Option(
        "--temp-dir", help="Where DuckDB spills (default: a private folder in $TMPDIR, removed "
        "at the end).", show_default=False)] = None,
    threads: Annotated[Optional[int], typer.Option(
        "--threads", help="DuckDB threads (default: one per core).", show_default=False)] = None,
):
    """Run SQL (DuckDB) over any toex inputs; the result goes out like every command's.

    Every input is a view: Parquet files and globs are queried in place (out of core: DuckDB
    reads only what the query needs and spills to disk beyond the memory limit); other files are
    read by toex (text columns, _source/_row kept, per-file options such as file.xlsx#sheet=Calls).
    """
    from . import SqlSession

    read_options = {k: v for k, v in dict(sheet=sheet, skip=skip, encoding=encoding,
                                          delimiter=delimiter, format=input_format).items() if v}
    with SqlSession(memory_limit=memory_limit, temp_dir=temp_dir, threads=threads) as session:
        session.add_all(inputs or [], read_options)
        reader = session.query(query)
        cliutil.stream(_Result(reader, session), None, output=output, to=to, force=force,
                       excel_safe=excel_safe, label="querying")


class _Result:
    """A query result shaped like a TableInput for cliutil.stream."""

    def __init__(self, reader, session):
        from ..io.writers import normalise_schema

        self.reader = reader
        self.schema = _binary_as_text(normalise_schema(reader.schema))
        self.warned: set = set()  # binary columns reported on stderr, once per query
        self.sources = session.sources
        self.history = session.history + [s for src in session.sources for s in src.history]
        self.rows_read = None

    def batches(self):
        import duckdb

        from ..io.table import conform
        from . import _translate

        try:
            for batch in self.reader:
                yield conform(_plain(_binary_to_hex(batch, self.warned)), self.schema)
        except duckdb.Error as exc:
            raise _translate(exc, {}) from None


def _textual(t) -> bool:
    import pyarrow as pa

    from ..io.table import _is_binary

    return _is_binary(t) or pa.types.is_nested(t)


def _binary_as_text(schema):
    import pyarrow as pa

    return pa.schema([pa.field(f.name, pa.string()) if _textual(f.type) else f for f in schema])


def _binary_to_hex(batch, warned: set):
    """BLOB columns (a Parquet binary column queried in place, a DuckDB BLOB) as hexadecimal
    text, as every toex reader writes binary (stderr says so once per column); lists, structs
    and maps as JSON text, as the readers write nested values."""
    import pyarrow as pa

    from ..io.table import _nested_to_text

    # by position: a result may name two columns alike (SELECT a AS x, b AS x)
    positions = [i for i, f in enumerate(batch.schema) if _textual(f.type)]
    if not positions:
        return batch
    done = _nested_to_text(batch.select(positions), "sql result", warned)
    cols = list(batch.columns)
    for j, i in enumerate(positions):
        cols[i] = done.column(j)
    return pa.RecordBatch.from_arrays(cols, names=batch.schema.names)


def _plain(batch):
    """string_view / large_string columns (DuckDB may give either) as plain strings."""
    import pyarrow as pa

    if not any(pa.types.is_large_string(f.type) or pa.types.is_string_view(f.type) for f in batch.schema):
        return batch
    cols = [c.cast(pa.string()) if (pa.types.is_large_string(c.type) or pa.types.is_string_view(c.type))
            else c for c in batch.columns]
    return pa.RecordBatch.from_arrays(cols, names=batch.schema.names)
