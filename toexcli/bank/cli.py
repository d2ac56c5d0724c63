"""`toex bank`: parse bank statements into one checked transaction table (thin wrapper over
toexcli.bank)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .. import cliutil, console

app = typer.Typer(no_args_is_help=True, rich_markup_mode="rich",
                  help="Bank statements (CSV/Excel from any UK bank, OFX/QFX, QIF, MT940, CAMT.053) "
                       "into one checked transaction table.")

PARSE_EXAMPLE = """[bold]Examples[/bold]

  toex bank parse lloyds.csv monzo.csv statement.ofx -o transactions.parquet

  toex bank parse export.csv --map date=Posted,amount=Value,description=Details

  toex bank parse hsbc.csv --account "40-11-22 12345678" --report r.json

  toex bank parse revolut.csv --include-pending | toex inspect -
"""


@app.command(epilog=PARSE_EXAMPLE)
def parse(
    inputs: cliutil.Inputs = None,
    output: cliutil.Output = None,
    to: cliutil.To = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    format: Annotated[Optional[str], typer.Option(
        "--format", help="Force a layout or format (see `toex bank formats`); default: detected "
                         "from the content.", show_default=False)] = None,
    account: Annotated[Optional[str], typer.Option(
        "--account", help="Account identifier for files that carry none (e.g. '12-34-56 12345678').",
        show_default=False)] = None,
    map_: Annotated[Optional[list[str]], typer.Option(
        "--map", help="Columns of an unknown layout: date=COL,amount=COL,description=COL (or "
                      "debit=COL,credit=COL; also balance, type, account, currency, reference, fee, "
                      "date_format=%d/%m/%Y, decimal=comma, sign=debit_positive).",
        show_default=False)] = None,
    map_file: Annotated[Optional[str], typer.Option(
        "--map-file", help="A TOML layout with the same keys as the built-in ones.",
        show_default=False)] = None,
    include_pending: Annotated[bool, typer.Option(
        "--include-pending", help="Keep pending (not yet completed) transactions, flagged in "
                                  "column 'pending'.")] = False,
    year: Annotated[Optional[int], typer.Option(
        "--year", help="Year for dates written without one (old exports).", show_default=False)] = None,
    report: Annotated[Optional[str], typer.Option(
        "--report", help="Also write the per-file report as JSON here.", show_default=False)] = None,
    encoding: cliutil.Encoding = None,
    sheet: cliutil.Sheet = None,
):
    """Parse bank statements (CSV/Excel from any UK bank, OFX/QFX, QIF, MT940, CAMT.053; any mix) into one table: account, date, description, signed exact amount, currency, balance, type, category, counterparty, reference, fee, format, balance_ok, duplicate_of, problem, _source, _row.

    Money in is positive, money out negative. Balance rows, footers and pending transactions are not transactions: they are left out and listed in the per-file report (stderr, or --report FILE.json). Where a running balance exists every row is checked (balance_ok); a transaction repeated in an overlapping statement is flagged in duplicate_of, never dropped.
    """
    from ..errors import UsageError
    from . import layouts, parse_statements

    if map_ and map_file:
        raise UsageError("give --map or --map-file, not both")
    mapping = None
    if map_:
        mapping = layouts.from_map(cliutil.parse_pairs(map_, "--map"))
    elif map_file:
        mapping = layouts.from_file(map_file)
    from ..io.writers import write_json_atomic

    sources = cliutil.parser_sources(inputs, encoding=encoding, output=output, report=report, to=to,
                                     force=force)
    df, reports = parse_statements([s.path for s in sources], names=[s.name for s in sources],
                                   format=format, mapping=mapping, account=account,
                                   include_pending=include_pending, encoding=encoding, sheet=sheet,
                                   year=year)
    for rep in reports:
        _print_report(rep)
    if len(reports) > 1:
        dup = int((df["duplicate_of"] != "").sum())
        console.info(f"{len(reports)} files, {len(df):,} transactions"
                     + (f"; {dup} repeat a transaction of an earlier file (duplicate_of)" if dup else ""))

    class _Table:  # the inputs' provenance for the output's processing history
        history: list = []

    _Table.sources = sources
    cliutil.write_frame(df, output=output, to=to, force=force, excel_safe=excel_safe, table=_Table,
                        rows_in=len(df))
    if report:  # after the table: a refused or failed -o leaves no report behind
        write_json_atomic(reports, report, force)


def _print_report(rep: dict) -> None:
    acc = ", ".join(rep["accounts"]) or "no account identifier"
    console.info(f"{rep['file']}: {rep['layout']} [{rep['format']}]; {acc}")
    span = f"{rep['first_date']} to {rep['last_date']}" if rep["first_date"] else "no dates"
    console.info(f"  {rep['transactions']:,} transactions, {span}; in {rep['total_in']}, "
                 f"out {rep['total_out']}, net {rep['net']}")
    if rep["opening_balance"] is not None or rep["closing_balance"] is not None:
        console.info(f"  opening balance {rep['opening_balance']}, closing balance {rep['closing_balance']}")
    many = len(rep["balances"]) > 1
    for b in rep["balances"]:
        who = f" for {b['account'] or 'no account'}" if many else ""
        if many:
            console.info(f"  {b['account'] or 'no account'}: opening balance {b['opening_balance']}, "
                         f"closing balance {b['closing_balance']}")
        if b["rows_checked"]:
            if b["breaks"]:
                rows = ", ".join(map(str, b["breaks"][:20])) + (" ..." if len(b["breaks"]) > 20 else "")
                console.warn(f"{rep['file']}: balance check{who} FAILS at {len(b['breaks'])} of "
                             f"{b['rows_checked']} rows ({b['order']}): rows {rows}")
            else:
                console.info(f"  balance check{who}: all {b['rows_checked']} rows add up ({b['order']})")
        if b.get("derived"):
            console.info(f"  the {b['derived']} balance{who} is not stated in the file: worked out from the other")
    checks = rep.get("statement_checks") or []
    breaks = [c for c in checks if c["result"] == "break"]
    for c in breaks[:20]:
        which = f"statement {c['statement']}" if c["statement"] else "statement"
        console.warn(f"{rep['file']}: {which}{' (' + c['account'] + ')' if c['account'] else ''} does not "
                     f"add up: {c['problem']}")
    if len(breaks) > 20:
        console.warn(f"{rep['file']}: ... {len(breaks) - 20} more statements do not add up (see --report)")
    ok = sum(1 for c in checks if c["result"] == "ok")
    if ok:
        console.info(f"  statement check: {ok} of {len(checks)} statements add up "
                     "(stated opening + transactions = stated closing)")
    unchecked = [c for c in checks if c["result"] == "not checked"]
    if unchecked:
        console.info(f"  statement check not done for {len(unchecked)} of {len(checks)} statements: "
                     f"{unchecked[0]['problem']}")
    console.rows_left_out(rep["left_out"])
    if rep["problems"]:
        first = rep["problems"][:5]
        console.warn(f"{rep['file']}: {len(rep['problems'])} rows have values that could not be read "
                     "(kept, see column 'problem'): " + "; ".join(f"row {p['row']}: {p['problem']}" for p in first))
    for note in rep["notes"]:
        console.info(f"  note: {note}")


FORMATS_EXAMPLE = """[bold]Examples[/bold]

  toex bank formats

  toex bank formats --json | jq '.[].name'
"""


@app.command(epilog=FORMATS_EXAMPLE)
def formats(
    json_out: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
):
    """List the statement layouts and file formats that are recognised (by content)."""
    import json

    from . import formats as list_formats

    items = list_formats()
    if json_out:
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title="toex bank parse: recognised statements", show_lines=False)
    for col in ("name", "banks", "recognised by"):
        t.add_column(col, overflow="fold")
    for it in items:
        t.add_row(it["name"], it["banks"], it["recognised_by"])
    Console(width=120 if not sys.stdout.isatty() else None).print(t)
