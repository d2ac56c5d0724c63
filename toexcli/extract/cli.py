"""``toex extract``: thin typer wrapper over :func:`toexcli.extract.extract` (no pandas at import)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import cliutil

KIND_NAMES = ("phone,email,url,ip,handle,vrm,postcode,iban,sortcode_account,card,imei,crypto")

COMMAND_SETTINGS = {"epilog": """[bold]Examples[/bold]

  toex extract messages.csv -c text

  toex extract chat.xlsx -c body --kinds vrm,postcode,phone -o leads.csv

  toex extract notes.txt -c text --kinds card,iban,sortcode_account --keep sender

  toex extract examples/extract_chat.csv -c message --keep sender | toex summarise -

[bold]Output[/bold]: one row per hit: _source, _row, (--keep columns), column, kind, value (as written; card numbers masked to the last four digits unless --unmask), normalised, valid (checksum or format verdict), confidence, status, detail (format, period, platform, bank, brand, TAC...), start, end (character offsets in the cell) and context. A string that could be two kinds (a 15-digit Amex number that is also a valid IMEI) gives two rows.

[bold]Kinds[/bold]: """ + KIND_NAMES + "\n"}


def command(
    inputs: cliutil.Inputs = None,
    columns: cliutil.Columns = None,
    kinds: Annotated[Optional[str], typer.Option(
        "--kinds", help=f"Comma-separated kinds to look for (default: all): {KIND_NAMES}.",
        show_default=False)] = None,
    keep: Annotated[Optional[list[str]], typer.Option(
        "--keep", "-k", help="Carry this input column into every hit row (repeat for several).",
        show_default=False)] = None,
    region: Annotated[str, typer.Option(
        "--region", "-r", help="Default country for phone numbers written without +.")] = "GB",
    unmask: Annotated[bool, typer.Option(
        "--unmask", help="Show card numbers in full (default: masked except the last 4).")] = False,
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
    """Find every identifier in free text: phone numbers, e-mails, URLs, IPs, handles, UK vehicle
    registrations and postcodes, IBANs, sort code + account pairs, cards, IMEIs, crypto addresses.

    One output row per hit, with the input's _source and _row, so every lead traces back to its
    message. Nothing leaves the machine. A plain .txt input is one message per line (column text).
    """
    from ..errors import UsageError
    from .core import extract, parse_kinds

    wanted = parse_kinds(kinds)
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format,
                               no_provenance=no_provenance, batch_rows=1 << 15)
    if not columns:
        text_cols = [c for c in table.columns if not c.startswith("_")]
        if len(text_cols) == 1:
            columns = text_cols
        else:
            raise UsageError("give the text column(s) to search with -c COL; columns are: "
                             + ", ".join(text_cols))
    table.require(list(columns) + list(keep or []))
    seen = {"rows": 0}

    def run(df):
        out = extract(df, columns, wanted, region=region, unmask=unmask, keep=keep or (),
                      source=table.name, row_offset=seen["rows"])
        seen["rows"] += len(df)
        return out

    cliutil.stream(table, run, output=output, to=to, force=force, excel_safe=excel_safe,
                   label="extracting")
