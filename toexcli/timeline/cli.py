"""``toex timeline``: thin wrapper over :mod:`toexcli.timeline` (no pandas at import)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import cliutil

_CUSTOM = "Any other table"
_OUT = "Other outputs"

COMMAND_SETTINGS = {"epilog": """[bold]Examples[/bold]

  toex calls parse ret_*.csv -o calls.csv; toex bank parse stmt.csv -o tx.csv
  toex timeline calls.csv tx.csv anpr.csv -o timeline.csv --html timeline.html --i2 i2.csv

  toex timeline calls.csv msgs.csv --from 2024-03-30 --to "2024-04-02 18:00"

  toex timeline calls.csv tx.csv --entities entities.csv --entity E000005   [dim]# one person[/dim]

  toex timeline calls.csv --entity "07700 900123" --timesketch ts.csv

  toex timeline notes.xlsx --time "Date,Time" --subject Officer --label Note

[bold]Output[/bold]: time_utc, time_local, precision, tz_status, kind, subject, counterpart, summary, amount, currency, location, problem, duplicate_of, _source, _row; ordered by time_utc (ties keep input order), unreadable times last. Calls seen from both ends are listed once (--keep-duplicates lists both).
"""}


def command(
    inputs: cliutil.Inputs = None,
    output: Annotated[Optional[str], typer.Option(
        "-o", "--output", help="Write the timeline here (csv/tsv/parquet/arrow/jsonl/xlsx; - for "
        "stdout). Default: CSV on stdout, unless only --html/--i2/--timesketch are asked for.",
        show_default=False)] = None,
    start: Annotated[Optional[str], typer.Option(
        "--from", help="First date or date-time (Europe/London unless it states a zone), inclusive.",
        show_default=False)] = None,
    end: Annotated[Optional[str], typer.Option(
        "--to", help="Last date or date-time, inclusive (a date means the whole day).",
        show_default=False)] = None,
    entity: Annotated[Optional[list[str]], typer.Option(
        "--entity", help="Only events where this phone, VRM, account or entity id (with "
        "--entities) is the subject or counterpart (repeat for several).", show_default=False)] = None,
    entities: Annotated[Optional[str], typer.Option(
        "--entities", help="The entities table of toex merge resolve --entities: entity ids for "
        "--entity, and names for subjects.", show_default=False)] = None,
    html: Annotated[Optional[str], typer.Option(
        "--html", help="Also write an interactive page (one file, opens offline).",
        rich_help_panel=_OUT, show_default=False)] = None,
    i2: Annotated[Optional[str], typer.Option(
        "--i2", help="Also write an i2 Analyst's Notebook import table (one row per event).",
        rich_help_panel=_OUT, show_default=False)] = None,
    timesketch: Annotated[Optional[str], typer.Option(
        "--timesketch", help="Also write a Timesketch CSV (message, datetime, timestamp_desc, ...).",
        rich_help_panel=_OUT, show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option(
        "--title", help="Title of the HTML page.", rich_help_panel=_OUT, show_default=False)] = None,
    kind: Annotated[Optional[list[str]], typer.Option(
        "--kind", help="Read the inputs as calls, messages, transactions, reads, custom or "
        "timeline instead of recognising them (KIND for all, or FILE=KIND).",
        show_default=False)] = None,
    keep_duplicates: Annotated[bool, typer.Option(
        "--keep-duplicates", help="List both ends of a two-ended call (the later one marked "
        "duplicate_of).")] = False,
    time_col: Annotated[Optional[str], typer.Option(
        "--time", help="Time column, or 'DateCol,TimeCol'.", rich_help_panel=_CUSTOM,
        show_default=False)] = None,
    subject_col: Annotated[Optional[str], typer.Option(
        "--subject", help="Subject column (the theme line).", rich_help_panel=_CUSTOM,
        show_default=False)] = None,
    counterpart_col: Annotated[Optional[str], typer.Option(
        "--counterpart", help="Counterpart column.", rich_help_panel=_CUSTOM,
        show_default=False)] = None,
    label_col: Annotated[Optional[str], typer.Option(
        "--label", help="Column holding the event's one-line description.",
        rich_help_panel=_CUSTOM, show_default=False)] = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
):
    """Calls, messages, money and vehicle reads on one clock: one row per event, in time order.

    Inputs are recognised by their columns: call tables ([bold]toex calls parse[/bold]), message
    tables ([bold]toex messages parse[/bold]), transactions ([bold]toex bank parse[/bold]), ANPR
    reads (a VRM, a time and a camera or place), a timeline read back, or any table with
    --time and --subject. Every time is read by the one time model (UTC, declared or assumed
    Europe/London, clock changes flagged); a date-only payment stays a date (precision=day).
    """
    from .run import run

    run(inputs=inputs, output=output, start=start, end=end, entity=entity or [],
        entities=entities, html=html, i2=i2, timesketch=timesketch, title=title,
        kind=kind or [], keep_duplicates=keep_duplicates, time_col=time_col,
        subject_col=subject_col, counterpart_col=counterpart_col, label_col=label_col,
        force=force, excel_safe=excel_safe,
        read_options=dict(sheet=sheet, skip=skip, encoding=encoding, delimiter=delimiter,
                          input_format=input_format))
