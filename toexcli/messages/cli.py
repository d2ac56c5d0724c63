"""`toex messages`: chat exports and phone-download messages into one message table (thin
wrapper over toexcli.messages)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .. import cliutil, console

app = typer.Typer(no_args_is_help=True, rich_markup_mode="rich",
                  help="Chat exports and phone-download messages (WhatsApp, Telegram, Messenger/"
                       "Instagram, SMS backups, mmssms.db, chat.db, Signal, forensic reports) "
                       "into one message table.")

PARSE_EXAMPLE = """[bold]Examples[/bold]

  toex messages parse "WhatsApp Chat with Dardan.zip" -o chat.csv

  toex messages parse _chat.txt result.json sms.xml --tz Europe/London -o messages.parquet

  toex messages parse _chat.txt --monthfirst --owner "Jonno"      [dim]# US phone; who is 'out'[/dim]

  toex messages parse chat.txt | toex translate detect - -c text | toex summarise -
"""


@app.command(epilog=PARSE_EXAMPLE)
def parse(
    inputs: cliutil.Inputs = None,
    output: cliutil.Output = None,
    to: cliutil.To = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    dayfirst: Annotated[bool, typer.Option(
        "--dayfirst", help="Dates are day/month when every date in a file could be either.")] = False,
    monthfirst: Annotated[bool, typer.Option(
        "--monthfirst", help="Dates are month/day when every date in a file could be either.")] = False,
    tz: Annotated[Optional[str], typer.Option(
        "--tz", help="Zone of files that state none (WhatsApp, Telegram 'date', Signal), e.g. "
                     "Europe/London: fills sent_utc. Default: sent_utc left empty for them.",
        show_default=False)] = None,
    owner: Annotated[Optional[str], typer.Option(
        "--owner", help="The phone's user as the export names them: their messages are 'out'.",
        show_default=False)] = None,
    format: Annotated[Optional[str], typer.Option(
        "--format", help="Force the format (see `toex messages formats`); default: from the content.",
        show_default=False)] = None,
    partial_ok: Annotated[bool, typer.Option(
        "--partial-ok", help="Exit 0 when a file is truncated or malformed (its complete messages "
                             "are written either way).")] = False,
    report: Annotated[Optional[str], typer.Option(
        "--report", help="Also write the per-file report as JSON here.", show_default=False)] = None,
):
    """Parse chat exports into one message table: platform, chat, message_id, sent_local, sent_utc, tz_status, sender, sender_id, recipients, direction, kind, text, attachment, flags, reply_to, problem, _source, _row.

    Each file is recognised by its content. Text is kept as written (continuation lines joined with newlines, invisible direction marks removed). File order is kept. A truncated file keeps every complete message and the break is reported (exit 1 unless --partial-ok).
    """
    from ..errors import UsageError
    from . import FORMATS, parse_files

    if dayfirst and monthfirst:
        raise UsageError("give --dayfirst or --monthfirst, not both")
    if format is not None and format not in FORMATS:
        from ..errors import did_you_mean

        raise UsageError(f"--format {format!r} is not one of {', '.join(FORMATS)}"
                         + did_you_mean(format, FORMATS))
    order = True if dayfirst else (False if monthfirst else None)
    from ..io.writers import write_json_atomic

    sources = cliutil.parser_sources(inputs, encoding=None, output=output, report=report, to=to,
                                     force=force)
    df, reports = parse_files([s.path for s in sources], names=[s.name for s in sources],
                              dayfirst=order, tz=tz, owner=owner, format=format)
    broken = [r for r in reports if r["broken"]]
    for r in reports:
        _print_report(r)

    class _Table:
        history: list = []

    _Table.sources = sources
    cliutil.write_frame(df, output=output, to=to, force=force, excel_safe=excel_safe, table=_Table,
                        rows_in=len(df))
    if report:  # after the table: a refused or failed -o leaves no report behind
        write_json_atomic(reports, report, force)
    if broken and not partial_ok:
        raise typer.Exit(1)


def _print_report(r: dict) -> None:
    span = f", {r['first']} to {r['last']}" if r["first"] else ""
    chats = f" in {r['chats']} chats" if r["chats"] > 1 else ""
    console.info(f"{r['file']}: {r['format']}; {r['messages']:,} messages{chats}{span}")
    for note in r["notes"]:
        console.info(f"  note: {note}")
    if r["broken"]:
        console.warn(f"{r['file']}: {r['broken']}; the {r['messages']:,} complete messages before "
                     "it are kept (--partial-ok to exit 0)")


FORMATS_EXAMPLE = """[bold]Examples[/bold]

  toex messages formats
"""


@app.command(epilog=FORMATS_EXAMPLE)
def formats(
    json_out: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
):
    """List the message exports that are recognised (by content)."""
    import json

    from .detect import FORMATS

    if json_out:
        sys.stdout.write(json.dumps(FORMATS, ensure_ascii=False, indent=2) + "\n")
        return
    for k, v in FORMATS.items():
        sys.stdout.write(f"{k:<10} {v}\n")
