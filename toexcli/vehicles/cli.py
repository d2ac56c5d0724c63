"""``toex vehicles``: thin typer wrapper over :mod:`toexcli.vehicles` (no pandas at import)."""

from __future__ import annotations

import typer

from .. import cliutil

app = typer.Typer(
    no_args_is_help=True,
    help="UK vehicle registrations (VRMs): normalise to one join key, name the format, check the "
         "DVLA letter rules and decode the age identifier.",
    rich_markup_mode="rich",
    epilog="[bold]Examples[/bold]\n\n"
           "  toex vehicles normalise examples/vehicles_anpr.csv -c plate -o anpr_vrm.csv\n",
)

NORMALISE_EXAMPLE = """[bold]Examples[/bold]

  toex vehicles normalise anpr.csv -c plate

  toex vehicles normalise custody.xlsx -c vrm -c vehicle2 -o custody_vrm.parquet

  toex vehicles normalise examples/vehicles_anpr.csv -c plate \\
    | toex merge join - examples/chart_people.csv --on plate_vrm=VRM --as vrm

[bold]Output[/bold] (after each column COL): COL_vrm (upper case, no spaces: the join key), COL_format (current, prefix, suffix, q_plate, northern_ireland, dateless), COL_valid, COL_period (registration period, e.g. 62 -> 2012-09/2013-02), COL_status (ok, or why not).
"""


def _normalise(
    inputs: cliutil.Inputs = None,
    columns: cliutil.Columns = None,
    output: cliutil.Output = None,
    to: cliutil.To = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
    no_provenance: cliutil.NoProvenance = False,
):
    """Normalise UK vehicle registrations in one or more columns; every row is kept.

    Adds COL_vrm, COL_format, COL_valid, COL_period and COL_status right after each column.
    Spacing and case do not matter ('ab12 cde' -> AB12CDE); a value that is not a UK
    registration keeps its row with an empty COL_vrm and the reason in COL_status.
    """
    from ..errors import UsageError
    from . import normalise

    if not columns:
        raise UsageError("give the registration column with -c COL (repeat for several)")
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format,
                               no_provenance=no_provenance)
    table.require(columns)
    cliutil.stream(table, lambda df: normalise(df, columns, source=table.name), output=output,
                   to=to, force=force, excel_safe=excel_safe, label="normalising registrations")


app.command("normalise", epilog=NORMALISE_EXAMPLE)(_normalise)
app.command("normalize", epilog=NORMALISE_EXAMPLE, hidden=True)(_normalise)
