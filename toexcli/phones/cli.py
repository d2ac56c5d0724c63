"""``toex phones``: normalise phone-number columns, extract numbers from text.

Thin wrappers around ``toexcli.phones.normalise`` / ``extract``; nothing heavy at import time.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import cliutil

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode="rich",
    help="Normalise phone numbers to E.164 the way an analyst can trust, and find them in text.",
    epilog="""[bold]Examples[/bold]

  toex phones normalise examples/phones_subscribers.csv -c msisdn -o subs.csv

  toex phones extract examples/phones_notes.txt -c text --keep-all
""",
)

Region = Annotated[str, typer.Option(
    "--region", "-r", help="Default region for numbers without a country code (ISO 3166 alpha-2).")]

NORMALISE_EXAMPLE = """[bold]Examples[/bold]

  toex phones normalise calls.csv -c Caller -c Callee -o calls_norm.csv

  toex phones normalise subscribers.xlsx -c msisdn --region GB -o subs.parquet

  cat calls.csv | toex phones normalise - -c Callee | toex inspect -

[bold]Columns added after each COL[/bold] (COL itself is never changed)

  COL_e164     +447700900123 when the number is possible
  COL_valid    is_valid_number (drama numbers never are)
  COL_status   ok possible invalid empty withheld
               short_code multiple unparseable
  COL_type     mobile, fixed_line, voip, toll_free, ...
  COL_country  ISO 3166 alpha-2
  COL_network  original allocation (ignores porting)
  COL_reason   why, e.g. "rounded scientific notation"
"""

EXTRACT_EXAMPLE = """[bold]Examples[/bold]

  toex phones extract messages.csv -c text -o numbers.csv

  toex phones extract notes.txt -c text --keep-all

  toex phones extract chats.csv -c body -k sender --leniency possible

[bold]Leniency[/bold]

  context   (default) dialled forms (+, 0) unless after order, code...;
            bare digits only after call/text/mob/number...

  valid     phonenumbers' VALID matcher: misses Ofcom drama numbers

  possible  its POSSIBLE matcher as is: also order numbers and codes
"""


def _normalise(
    inputs: cliutil.Inputs = None,
    column: cliutil.Columns = ...,
    region: Region = "GB",
    no_reason: Annotated[bool, typer.Option("--no-reason", help="Do not add COL_reason.")] = False,
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
    """Add E.164, validity, status, type, country and network beside each phone column.

    Every distinct value is parsed once; the input streams through in batches. Messy inputs
    are handled by a documented policy (README, section phones): 07700900150, 7700900150,
    447700900150, +44 (0)7700..., 0044..., Excel 7700900150.0 and 7.700900150E+09 all give
    +447700900150; a rounded 7.7009E+09 is rejected, never guessed.
    """
    from ..errors import UsageError
    from .policy import SUFFIXES, ArrowNormaliser, check_region

    region = check_region(region)
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format,
                               no_provenance=no_provenance, batch_rows=1 << 17)
    source = ", ".join(s.name for s in table.sources) if table.sources else "input"
    table.require(column)
    suffixes = SUFFIXES if not no_reason else SUFFIXES[:-1]
    clashes = [f"{c}_{s}" for c in column for s in suffixes if f"{c}_{s}" in table.columns]
    if clashes:
        raise UsageError(f"{source}: column '{clashes[0]}' already exists; rename it or normalise "
                         "a different column (toex never overwrites a column)")

    fn = ArrowNormaliser(column, region, reason=not no_reason)
    cliutil.stream(table, fn, output=output, to=to, force=force, excel_safe=excel_safe,
                   label="normalising phones", arrow=True)


app.command("normalise", epilog=NORMALISE_EXAMPLE)(_normalise)
app.command("normalize", epilog=NORMALISE_EXAMPLE, hidden=True)(_normalise)


@app.command("extract", epilog=EXTRACT_EXAMPLE)
def extract_command(
    inputs: cliutil.Inputs = None,
    column: cliutil.Columns = ...,
    region: Region = "GB",
    keep_all: Annotated[bool, typer.Option(
        "--keep-all", help="Also write a row (status no_match) for each input row with no number.")] = False,
    keep: Annotated[Optional[list[str]], typer.Option(
        "-k", "--keep", help="Carry this input column into the output (repeat for several).",
        show_default=False)] = None,
    leniency: Annotated[str, typer.Option(
        "--leniency", help="context (default), valid or possible: see below.")] = "context",
    output: cliutil.Output = None,
    to: cliutil.To = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
):
    """Find every phone number in free text: one row per number found.

    Each row has _source, _row, the column, the raw match, its character offsets (start, end;
    end exclusive), e164, valid, status, type, country and network.
    """
    from ..errors import UsageError
    from .extraction import LENIENCIES, extract
    from .policy import check_region

    region = check_region(region)
    if leniency not in LENIENCIES:
        raise UsageError(f"--leniency must be one of {', '.join(LENIENCIES)}, not '{leniency}'")
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format)
    source = ", ".join(s.name for s in table.sources) if table.sources else "input"
    table.require(list(column) + list(keep or []))

    def fn(batch):
        return extract(batch, column, region, keep_all, leniency=leniency, keep=keep or (),
                       source=source)

    cliutil.stream(table, fn, output=output, to=to, force=force, excel_safe=excel_safe,
                   label="extracting phones")
