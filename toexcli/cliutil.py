"""What every command shares: the input/output options, streaming a table through a function,
and turning errors into one clear line.

Commands stay thin: parse options, call a library function, hand the result to the writer.
Nothing heavy is imported at module level (``toex --help`` must start fast).
"""

from __future__ import annotations

from typing import Annotated, Callable, Optional

import typer

from . import console

# ---------------------------------------------------------------- option types shared by commands
Inputs = Annotated[Optional[list[str]], typer.Argument(
    help="Input files (CSV/TSV, Parquet, Arrow, JSONL, Excel, text, a case-store table "
         "case.duckdb:TABLE), or - for stdin. Read options per file: 'ee.xlsx#sheet=Call Data', "
         "three.csv#skip=1 (also encoding=, delimiter=, format=, header=no).",
    show_default=False)]
Input = Annotated[Optional[str], typer.Argument(
    help="Input file, or - for stdin.", show_default=False)]
Output = Annotated[Optional[str], typer.Option(
    "-o", "--output", help="Write here (format from the extension; case.duckdb or case.sqlite: "
    "a table in that case store); default: CSV on stdout.",
    show_default=False)]
To = Annotated[Optional[str], typer.Option(
    "--to", help="Output format: csv, tsv, parquet, arrow, jsonl, xlsx.", show_default=False)]
Force = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]
ExcelSafe = Annotated[bool, typer.Option(
    "--excel-safe", help="Prefix ' to cells starting with = + - @ (formula injection).")]
Sheet = Annotated[Optional[str], typer.Option(
    "--sheet", help="Excel sheet name or number (default: the first).", show_default=False)]
Skip = Annotated[int, typer.Option("--skip", help="Skip N preamble lines before the header.")]
Encoding = Annotated[Optional[str], typer.Option(
    "--encoding", help="Text encoding (default: detected: UTF-8, BOM, UTF-16, cp1252).",
    show_default=False)]
Delimiter = Annotated[Optional[str], typer.Option(
    "--delimiter", help="Field delimiter (default: sniffed from , tab ; |).", show_default=False)]
InputFormat = Annotated[Optional[str], typer.Option(
    "--input-format", help="Force the input format: csv, parquet, arrow, jsonl, excel, html, text.",
    show_default=False)]
NoProvenance = Annotated[bool, typer.Option(
    "--no-provenance", help="Do not add _source and _row columns.")]
Ragged = Annotated[bool, typer.Option(
    "--ragged", help="Keep CSV rows longer than the header: extra cells go to _extra_1, _extra_2... "
    "(Excel and HTML tables always do this).")]
Table = Annotated[Optional[str], typer.Option(
    "--table", help="With -o case.duckdb / case.sqlite: the table to write (default: the command's "
    "own, e.g. calls, transactions; convert: the input's file stem).", show_default=False)]
Replace = Annotated[bool, typer.Option(
    "--replace", help="With a database -o: replace the table in one transaction (default: append "
    "rows, creating the table if needed).")]
Columns = Annotated[list[str], typer.Option(
    "-c", "--column", help="Column to work on (repeat for several).", show_default=False)]


def with_store_options(func: Callable, default_table: str | None = None) -> Callable:
    """Give a command that writes ``-o`` the case-store options ``--table`` and ``--replace``.

    Applied to every command by ``toexcli.cli.build_app``, so no command declares them itself;
    ``default_table`` is the command's natural table name (None: the first input's file stem).
    The values reach ``TableWriter`` through ``toexcli.io.store.CLI``.
    """
    import functools
    import inspect

    if getattr(func, "_toex_store", False):
        return func
    sig = inspect.signature(func, eval_str=True)
    if "output" not in sig.parameters or "table" in sig.parameters or "replace" in sig.parameters:
        return func

    @functools.wraps(func)
    def wrapper(*args, table=None, replace=False, **kwargs):
        from .io.store import CLI

        CLI.set(kwargs.get("output"), table, replace, default_table)
        try:
            return func(*args, **kwargs)
        finally:
            CLI.clear()

    return _with_options(wrapper, sig, [("table", Table, None), ("replace", Replace, False)],
                         "_toex_store")


def _with_options(wrapper, sig, extra, marker: str):
    """``wrapper`` with the wrapped command's signature (every parameter keyword-only) plus
    ``extra`` (name, annotation, default) options, for typer to read; ``marker`` set on it so
    that it is not wrapped twice."""
    import inspect

    kw = inspect.Parameter.KEYWORD_ONLY
    params = ([p.replace(kind=kw) for p in sig.parameters.values()]
              + [inspect.Parameter(n, kw, default=d, annotation=a) for n, a, d in extra])
    wrapper.__signature__ = sig.replace(parameters=params)
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    setattr(wrapper, marker, True)
    return wrapper


# A command that reads tables through the shared options (its inputs and --delimiter) gets
# these too, from with_read_options: (parameter, annotation, default).
READ_OPTIONS = [("ragged", Ragged, False)]
_TABLE_INPUTS = ("inputs", "left", "right")


def with_read_options(func):
    """Give a command that reads CSV through the shared input machinery the reading options it
    does not declare itself (``--ragged``), with one meaning everywhere.

    Applied to every command by ``toexcli.cli.build_app``, beside ``with_store_options``. The
    values reach every ``TableInput`` the command opens through ``toexcli.io.readers.COMMAND_LINE``
    (a command's own ``ragged=`` argument still wins)."""
    import functools
    import inspect

    if getattr(func, "_toex_read", False):
        return func
    sig = inspect.signature(func, eval_str=True)
    if "delimiter" not in sig.parameters or not any(n in sig.parameters for n in _TABLE_INPUTS):
        return func  # no table input (or a format-specific parser that reads its own way)
    missing = [(n, a, d) for n, a, d in READ_OPTIONS if n not in sig.parameters]
    if not missing:
        return func

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .io.readers import COMMAND_LINE

        given = {n: kwargs.pop(n, d) for n, _, d in missing}
        saved = {n: getattr(COMMAND_LINE, n) for n in given}
        for n, v in given.items():
            setattr(COMMAND_LINE, n, v)
        try:
            return func(*args, **kwargs)
        finally:
            for n, v in saved.items():
                setattr(COMMAND_LINE, n, v)

    return _with_options(wrapper, sig, missing, "_toex_read")


def with_shared_options(func: Callable, default_table: str | None = None) -> Callable:
    """with_store_options and with_read_options: what build_app applies to every command."""
    return with_read_options(with_store_options(func, default_table))


def open_input(inputs, *, sheet=None, skip=0, encoding=None, delimiter=None, input_format=None,
               no_provenance=False, header=True, batch_rows=65536, ragged=None):
    """Resolve and open the inputs (a TableInput); errors surface as ToexError."""
    from .io import TableInput

    return TableInput(inputs, format=input_format, encoding=encoding, sheet=sheet, skip=skip,
                      delimiter=delimiter, header=header, provenance=not no_provenance,
                      batch_rows=batch_rows, ragged=ragged)


def parser_sources(inputs, *, encoding, output, report, to, force):
    """The files a format parser (bank, calls, messages parse) reads, and its two outputs
    (``-o`` table, ``--report`` JSON) checked before anything is read or written: a name given
    twice, an existing file without ``--force`` (an output that is also an input exists), an
    unknown format. Inputs are resolved as ``text``: standard input (also an Arrow stream) is
    spooled to a file that the parser recognises by its content."""
    from .io.sources import resolve
    from .io.writers import check_outputs

    check_outputs([("-o", output), ("--report", report)], force=force, table_outputs=("-o",),
                  to=to)
    return resolve(inputs, "text", encoding)


def open_output(output, *, to=None, force=False, excel_safe=False, inputs=(), history=()):
    from .io import TableWriter

    return TableWriter(output, to=to, force=force, excel_safe=excel_safe, inputs=inputs,
                       history=history)


def stream(table, fn: Callable | None, *, output=None, to=None, force=False, excel_safe=False,
           label: str = "processing", arrow: bool = False) -> int:
    """Pass every batch of ``table`` through ``fn`` and write the result.

    ``fn`` takes and returns a pandas DataFrame (or an Arrow batch when ``arrow`` is true); None
    copies the table unchanged. Returns the number of rows written.
    """
    writer = open_output(output, to=to, force=force, excel_safe=excel_safe, inputs=table.sources,
                         history=table.history)
    hashing = _hash_in_background(table.sources)
    with writer, console.Progress(label) as progress:
        batches = table.batches() if (arrow or fn is None) else table.frames()
        seen = False
        ahead = prefetch(batches)
        try:
            for batch in ahead:
                result = batch if fn is None else fn(batch)
                writer.write(result)
                progress.advance(len(batch))
                seen = True
        finally:
            ahead.close()  # stops and joins the reading thread, also on | head or Ctrl-C
        if not seen:  # a header-only input: the output still gets its columns
            empty = table.schema.empty_table()
            empty = empty if (arrow or fn is None) else empty.to_pandas()
            writer.write(empty if fn is None else fn(empty))
        writer.history = table.history  # an Arrow stream delivers its final history at its end
        for t in hashing:
            t.join()
        writer.close(rows_in=table.rows_read)
    report_written(writer)
    return writer.rows


def _hash_in_background(sources):
    """SHA-256 of each input file (for the history) computed while the data is processed."""
    import threading

    threads = [threading.Thread(target=s.digest, daemon=True) for s in sources if s.path]
    for t in threads:
        t.start()
    return threads


def prefetch(iterator, depth: int = 2):
    """Run ``iterator`` in a background thread, ``depth`` items ahead.

    Reading (Arrow's CSV parser) and writing (Parquet encoding) both release the GIL, so on two
    cores they overlap; exceptions are re-raised in the consumer.
    """
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce():
        try:
            for item in iterator:
                while not stop.is_set():
                    try:
                        q.put(("item", item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(("end", done))
        except BaseException as exc:  # handed to the consumer
            q.put(("error", exc))

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while True:
            kind, value = q.get()
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        # The reader must not be left inside pyarrow when the interpreter exits (that aborts
        # the process): tell it to stop, unblock it, and wait for it.
        # A reader blocked on a silent pipe is given up after a few seconds.
        stop.set()
        import time

        deadline = time.monotonic() + 5
        while thread.is_alive() and time.monotonic() < deadline:
            try:
                q.get(timeout=0.05)
            except queue.Empty:
                pass


def write_frame(df, *, output=None, to=None, force=False, excel_safe=False, table=None,
                rows_in: int | None = None) -> int:
    """Write one DataFrame (the result of a whole-table command) with the inputs' history."""
    writer = open_output(output, to=to, force=force, excel_safe=excel_safe,
                         inputs=table.sources if table is not None else (),
                         history=table.history if table is not None else ())
    with writer:
        writer.write(df)
        writer.close(rows_in=rows_in if rows_in is not None else (table.rows_read if table else None))
    report_written(writer)
    return writer.rows


def report_written(writer) -> None:
    if writer.neutralised:
        console.info(f"--excel-safe: prefixed ' to {writer.neutralised:,} cells that began with = + - @")
    if writer.truncated_cells:
        console.warn(f"{writer.truncated_cells:,} cells are longer than Excel's 32,767 characters and "
                     "were cut in the .xlsx; write .parquet or .csv to keep them whole")
    if writer.output:
        console.info(f"wrote {writer.rows:,} rows to {writer.output}")


def parse_pairs(values, option: str) -> dict[str, str]:
    """``['a=b', 'c=d']`` -> {'a': 'b', 'c': 'd'} with a usage error naming the option."""
    from .errors import UsageError

    pairs: dict[str, str] = {}
    for item in values or []:
        for part in item.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise UsageError(f"{option} expects NAME=VALUE, got '{part}'")
            k, v = part.split("=", 1)
            if not k.strip() or not v.strip():
                raise UsageError(f"{option} expects NAME=VALUE with both sides given, got '{part}'")
            pairs[k.strip()] = v.strip()
    return pairs
