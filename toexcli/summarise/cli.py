"""``toex summarise``: thin wrapper over ``toexcli.summarise.summarise``."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .. import cliutil

COMMAND_SETTINGS = {"epilog": """[bold]Examples[/bold]

  toex summarise examples/calls_handset_a.csv examples/summarise_handset_*.csv

  toex summarise cdr.xlsx --from "A Number" --to "B Number" --time "Start"

  toex summarise tx.parquet --json | jq '.flags[]'      [dim]# from toex bank parse[/dim]

  toex summarise tx.csv -o summary.xlsx --html summary.html

  toex summarise anything.csv --kind table              [dim]# profile any table[/dim]

  toex messages parse chat.txt -o m.csv && toex summarise m.csv    [dim]# messages, detected[/dim]

  toex summarise tx.csv --from 2024-03-01 --to 2024-03-31   [dim]# one month (calls, messages, bank)[/dim]
"""}

_CALLS = "Call records"
_BANK = "Bank statements"
_MESSAGES = "Messages"


def _hours(text: str) -> float:
    from ..errors import UsageError

    t = text.strip().lower()
    try:
        if t.endswith("h"):
            return float(t[:-1])
        if t.endswith("d"):
            return float(t[:-1]) * 24
        return float(t)
    except ValueError:
        raise UsageError(f"--window expects hours like 48h or days like 2d, not '{text}'") from None


def _message_options(minutes: float, recipients: int):
    from ..errors import UsageError
    from .messages import MessageOptions

    if minutes <= 0 or recipients < 2:
        raise UsageError("--flare-minutes must be above 0 and --flare-recipients at least 2")
    return MessageOptions(window_minutes=minutes, min_recipients=recipients)


def command(
    inputs: cliutil.Inputs = None,
    kind: Annotated[str, typer.Option("--kind", help="auto, table, calls, bank or messages.")] = "auto",
    output: Annotated[Optional[str], typer.Option(
        "-o", "--output", help="Also write the numbers as tables: .xlsx (a sheet each), .csv, "
        ".parquet ... (- for CSV on stdout instead of the report).", show_default=False)] = None,
    output_format: Annotated[Optional[str], typer.Option(
        "--output-format", help="Format of -o when the extension does not say: csv, parquet, xlsx, ...",
        show_default=False)] = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON (see README).")] = False,
    html: Annotated[Optional[str], typer.Option(
        "--html", help="Also write a self-contained HTML report with charts (opens offline).",
        show_default=False)] = None,
    top: Annotated[int, typer.Option("--top", help="Rows shown per list in the terminal report.")] = 10,
    from_col: Annotated[Optional[str], typer.Option(
        "--from", help="First day of the period to summarise (a date or date-time, inclusive; "
        "calls, messages, bank), or the calling-party column when a column has that name.",
        show_default=False)] = None,
    to_col: Annotated[Optional[str], typer.Option(
        "--to", help="Last day of the period (inclusive), or the called-party column.",
        show_default=False)] = None,
    time_col: Annotated[Optional[str], typer.Option(
        "--time", help="Time column, or 'DateCol,TimeCol' (UK day-first).", rich_help_panel=_CALLS,
        show_default=False)] = None,
    target_col: Annotated[Optional[str], typer.Option(
        "--target", help="Target (subject) number column of a provider CDR.", rich_help_panel=_CALLS,
        show_default=False)] = None,
    type_col: Annotated[Optional[str], typer.Option(
        "--type", help="Record type column (voice / SMS ...).", rich_help_panel=_CALLS,
        show_default=False)] = None,
    duration_col: Annotated[Optional[str], typer.Option(
        "--duration", help="Duration column (hh:mm:ss or seconds).", rich_help_panel=_CALLS,
        show_default=False)] = None,
    region: Annotated[str, typer.Option("--region", help="Default region for national numbers.",
                                        rich_help_panel=_CALLS)] = "GB",
    jaccard: Annotated[float, typer.Option(
        "--jaccard", help="Least contact overlap for a handset replacement candidate.",
        rich_help_panel=_CALLS)] = 0.5,
    regular: Annotated[int, typer.Option(
        "--regular", help="Replacement candidates compare contacts with at least this many records.",
        rich_help_panel=_CALLS)] = 3,
    burst_factor: Annotated[float, typer.Option(
        "--burst-factor", help="A burst day has this many times the handset's median daily records.",
        rich_help_panel=_CALLS)] = 3.0,
    threshold: Annotated[Optional[list[float]], typer.Option(
        "--threshold", help="Structuring threshold in GBP (repeat; default 1000 and 10000).",
        rich_help_panel=_BANK, show_default=False)] = None,
    structuring_days: Annotated[int, typer.Option(
        "--structuring-days", help="Most days between deposits in one structuring run.",
        rich_help_panel=_BANK)] = 7,
    window: Annotated[str, typer.Option(
        "--window", help="Rapid in-out: money leaving within this of arriving (48h, 2d).",
        rich_help_panel=_BANK)] = "48h",
    many_payers: Annotated[int, typer.Option(
        "--many-payers", help="Distinct small payers in a month that make a flag.",
        rich_help_panel=_BANK)] = 10,
    flare_minutes: Annotated[float, typer.Option(
        "--flare-minutes", help="Bulk 'flare': same/near-same text sent within this many minutes.",
        rich_help_panel=_MESSAGES)] = 15.0,
    flare_recipients: Annotated[int, typer.Option(
        "--flare-recipients", help="Bulk 'flare': at least this many distinct recipients.",
        rich_help_panel=_MESSAGES)] = 5,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
):
    """The one-screen picture of a table, a set of call records or a set of bank statements.

    [bold]calls[/bold]: top contacts per handset, contacts common to handsets, activity by hour and weekday, handset replacement candidates (Jaccard), bursts.

    [bold]bank[/bold] (from toex bank parse): totals, monthly in/out, counterparties, cash, and flags for structuring, rapid in-out, round amounts and many small payers, each with the _source/_row behind it.

    [bold]messages[/bold] (from toex messages parse): who messages whom per chat and sender, activity by hour and weekday, languages (a *_lang column from toex translate detect), and bulk 'flare' messages (same or near-same text to many recipients within minutes) with their _source/_row.

    [bold]table[/bold]: per column counts, top values, ranges and identifier kinds.
    """
    import json

    from .. import console
    from . import BankOptions, CallOptions, summarise
    from .tidy import stacked, tidy_tables

    from ..io.writers import check_outputs

    outputs = [("-o", output), ("--html", html)]
    # (an output that is also an input exists already: refused here unless --force)
    check_outputs(outputs, force=force, table_outputs=("-o",), to=output_format)
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format, batch_rows=1 << 17)
    from .period import split_options

    from_col, to_col, period = split_options(from_col, to_col, table.columns)
    call_columns = {"from_": from_col, "to": to_col, "time": time_col, "target": target_col,
                    "type": type_col, "duration": duration_col}
    copt = CallOptions(region=region, jaccard=jaccard, burst_factor=burst_factor, regular=regular)
    bopt = BankOptions(window_hours=_hours(window), structuring_days=structuring_days,
                       many_payers=many_payers)
    if threshold:
        bopt.thresholds = list(threshold)
    with console.Progress("summarising") as progress:
        report = summarise(table, kind, call_columns=call_columns, call_options=copt,
                           bank_options=bopt, top=max(top, 5), progress=progress,
                           message_options=_message_options(flare_minutes, flare_recipients),
                           period=period)
    if period:
        st = period.stats
        console.info(f"--from/--to {period.text}: {st['kept']:,} rows in the period summarised; "
                     f"{st['outside']:,} outside and {st['unreadable']:,} with no readable time "
                     "left out")
    console.info(f"summarised {report['rows_read']:,} rows as {report['kind']}: {report['detected']}")
    if html:
        from .html import write_html

        write_html(report, html, force=force, inputs=table.sources)
        console.info(f"wrote the HTML report to {html}")
    if output is not None:
        tables = tidy_tables(report)
        from .output import write_tables

        write_tables(tables, stacked, output=output, to=output_format, force=force, table=table,
                     excel_safe=excel_safe)
    if json_out:
        from .output import write_json

        write_json(report, sys.stdout)
    elif output in (None,) or (output != "-"):
        from rich.console import Console

        from .report import render

        width = 100
        if sys.stdout.isatty():
            import shutil

            width = min(shutil.get_terminal_size((100, 24)).columns, 100)
        out = Console(width=width, highlight=False, soft_wrap=False)
        try:
            render(report, out, top=top)
        except SystemExit:
            if out.quiet:  # rich saw a broken pipe (`| head -1`): the reader has gone, not an error
                return
            raise
