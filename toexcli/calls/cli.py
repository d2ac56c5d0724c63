"""`toex calls`: call records from any network return or phone download into one call table
(a thin wrapper over toexcli.calls)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .. import cliutil, console

app = typer.Typer(no_args_is_help=True, rich_markup_mode="rich",
                  help="Call records (network returns, phone-download call logs) into one call "
                       "table with times you can swear to.")

PARSE_EXAMPLE = """[bold]Examples[/bold]

  toex calls parse examples/calls_return_s.xlsx examples/calls_return_t.csv examples/calls_return_u.csv -o calls.csv

  toex calls parse return.csv --handset 07700900648 --report report.json

  toex calls parse odd.csv --map start=When,a_party=Orig,b_party=Dest,call_type=Kind

  toex calls parse local.csv --tz Europe/Dublin | toex summarise -
"""


@app.command(epilog=PARSE_EXAMPLE)
def parse(
    inputs: cliutil.Inputs = None,
    output: cliutil.Output = None,
    to: cliutil.To = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    report: Annotated[Optional[str], typer.Option(
        "--report", help="Also write the per-file report (layout and the role of each column, "
                         "handset, rows, events, first/last time, zone decision, preamble, footer, "
                         "duplicates) as JSON here.", show_default=False)] = None,
    tz: Annotated[str, typer.Option(
        "--tz", help="Zone of times that state none (no Z/offset in the value, no zone in the "
                     "header): IANA name.")] = "Europe/London",
    handset: Annotated[Optional[list[str]], typer.Option(
        "--handset", help="The number a return is about, for returns that do not say (no target "
                          "column, preamble line or party common to every row): NUMBER for all, "
                          "or FILE=NUMBER (repeat).", show_default=False)] = None,
    map_: Annotated[Optional[list[str]], typer.Option(
        "--map", help="Columns of an unrecognised return: ROLE=COLUMN,... Roles: start (date-time), "
                      "date, time, end, duration, target, a_party, b_party, other_party, parties, "
                      "forwarded_to, call_type, direction, imei, imsi, cell_first, cell_last, lac, ci, "
                      "location, lat, lon, easting, northing, status.", show_default=False)] = None,
    map_file: Annotated[Optional[str], typer.Option(
        "--map-file", help="A TOML file: [columns] ROLE = \"Header\".", show_default=False)] = None,
    encoding: cliutil.Encoding = None,
    sheet: Annotated[Optional[str], typer.Option(
        "--sheet", help="Excel sheet (default: the sheet that holds the call table; cover "
                        "sheets are skipped).", show_default=False)] = None,
):
    """Parse call records from any network return (CSV in any encoding, Excel) or phone-download call log into one table: handset, direction, event, a_party, b_party, other_party, start_utc, start_local, tz_status, duration_s, imei, imsi, cell_first, cell_last, duplicate_of, format, problem, _source, _row (+ *_raw, start_raw, event_raw).

    Each return is recognised by its header words and values, not by exact header strings; the header row is found below any preamble, footers are left out (a record count they state is checked), and in a workbook the sheet holding the call table is used. Times with Z or an offset, or under a header naming the zone, are declared; others are --tz wall clock (assumed), the spring gap and autumn repeat are flagged. The same call held by both ends' returns is paired: the later file's row gets duplicate_of=FILE:ROW; nothing is dropped.
    """
    from ..errors import UsageError
    from ..io.writers import output_format
    from . import layouts, parse_with_report

    if map_ and map_file:
        raise UsageError("give --map or --map-file, not both")
    mapping = None
    if map_:
        mapping = layouts.from_map(cliutil.parse_pairs(map_, "--map"))
    elif map_file:
        mapping = layouts.from_file(map_file)
    hs: object = None
    if handset:
        per = {}
        common = None
        for h in handset:
            if "=" in h:
                f, num = h.rsplit("=", 1)
                per[f.strip()] = num.strip()
            else:
                common = h.strip()
        if per:
            hs = _PerFile(per, common)
        else:
            hs = common
    from ..io.writers import write_json_atomic

    _steady_memory_pool()
    sources = cliutil.parser_sources(inputs, encoding=encoding, output=output, report=report, to=to,
                                     force=force)
    df, reports = parse_with_report([s.path for s in sources], names=[s.name for s in sources],
                                    tz=tz, handset=hs, mapping=mapping, encoding=encoding,
                                    sheet=sheet)
    for rep in reports:
        _print_report(rep)
    if len(reports) > 1:
        dup = int((df["duplicate_of"] != "").sum())
        console.info(f"{len(reports)} returns, {len(df):,} rows; {dup} two-ended call(s) seen from "
                     "both ends (the later file's row has duplicate_of; count each once)")
    fmt = output_format(output, to)
    if fmt not in ("parquet", "arrow"):
        from ..timemodel import iso_utc

        df = df.assign(start_utc=iso_utc(df["start_utc"]))
        if "end_utc" in df.columns:
            df = df.assign(end_utc=iso_utc(df["end_utc"]))

    class _Table:  # the inputs' provenance for the output's processing history
        history: list = []

    _Table.sources = sources
    cliutil.write_frame(df, output=output, to=to, force=force, excel_safe=excel_safe, table=_Table,
                        rows_in=len(df))
    if report:  # after the table: a refused or failed -o leaves no report behind
        write_json_atomic(reports, report, force)


def _steady_memory_pool() -> None:
    """Arrow's jemalloc pool for this process when the wheel has it: a parse allocates and frees
    many column-sized buffers, and the default mimalloc pool hands their pages back to the
    system and faults them in again each time (at 1M rows that was ~1.4 s of system CPU, more
    than the parse itself; jemalloc keeps them for reuse). The output is the same either way."""
    import pyarrow as pa

    try:
        pa.jemalloc_set_decay_ms(10_000)
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except (NotImplementedError, AttributeError, pa.ArrowException):
        pass  # a build without jemalloc: the default pool is only slower


class _PerFile(dict):
    """--handset FILE=NUMBER: looked up by the name given or its base name; else the common one."""

    def __init__(self, per: dict, common: str | None):
        super().__init__(per)
        self.common = common

    def get(self, key, default=None):  # noqa: D401
        import os

        if key in self:
            return self[key]
        base = os.path.basename(str(key))
        for k, v in self.items():
            if os.path.basename(k) == base:
                return v
        return self.common if default is None else default


def _print_report(rep: dict) -> None:
    roles = ", ".join(f"{r}={c}" for r, c in rep["columns"].items())
    console.info(f"{rep['file']}: {rep['layout']} [{rep['read_as']}]; handset {rep['handset'] or '?'} "
                 f"(from {rep['handset_from']})")
    console.info(f"  columns: {roles}")
    ev = ", ".join(f"{v} {k}" for k, v in rep["events"].items())
    span = f"{rep['first_utc']} to {rep['last_utc']}" if rep["first_utc"] else "no readable times"
    console.info(f"  {rep['rows']:,} rows ({ev}); {span}")
    say = console.warn if rep["zone"].startswith("ASSUMED") else console.info
    say(f"{rep['file']}: times {rep['zone']}" if say is console.warn else f"  times {rep['zone']}")
    odd = {k: v for k, v in rep["tz_status"].items() if k in ("nonexistent", "ambiguous", "unreadable")}
    if odd:
        console.warn(f"{rep['file']}: " + ", ".join(f"{v} {k}" for k, v in odd.items())
                     + " time(s) (kept; see columns tz_status and problem)")
    if rep["sheets_skipped"]:
        console.info(f"  sheets not read: {', '.join(rep['sheets_skipped'])}")
    if rep["preamble"]:
        console.info(f"  preamble ({len(rep['preamble'])} lines) left out: " + " | ".join(rep["preamble"][:4]))
    if rep["footer"]:
        console.info(f"  footer left out: " + " | ".join(rep["footer"][:4]))
    if rep["footer_check"] and rep["footer_check"] != "ok":
        console.warn(f"{rep['file']}: {rep['footer_check']}")
    elif rep["footer_check"] == "ok":
        console.info(f"  footer count {rep['footer_count']} matches the rows read")
    console.rows_left_out(rep.get("rows_left_out") or [])
    if rep["blank_rows_left_out"]:
        console.info(f"  {rep['blank_rows_left_out']} blank rows left out")
    if rep["problems"]:
        console.warn(f"{rep['file']}: {rep['problems']} rows have a note in column 'problem' "
                     "(a value not read, or a clock-change time; the rows are kept)")
    if not rep["handset"]:
        console.warn(f"{rep['file']}: the handset is not known; give --handset {rep['file']}=NUMBER")
    for note in rep["notes"]:
        console.info(f"  note: {note}")
    if rep.get("duplicates"):
        console.info(f"  {rep['duplicates']} rows are the other end of a call in an earlier return")


LAYOUTS_EXAMPLE = """[bold]Examples[/bold]

  toex calls layouts

  toex calls layouts --json | jq '.roles | keys'
"""


@app.command(epilog=LAYOUTS_EXAMPLE)
def layouts(
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
):
    """List the roles a column can play (with the header words that name them) and the layouts."""
    import json

    from .layouts import config

    cfg = config()
    if json_out:
        sys.stdout.write(json.dumps({"roles": cfg["roles"], "codes": cfg["codes"],
                                     "layouts": cfg["layout"]}, ensure_ascii=False, indent=2) + "\n")
        return
    for lay in cfg["layout"]:
        sys.stdout.write(f"layout {lay['name']}: {lay['note']} (needs {', '.join(lay['needs'])})\n")
    for role, spec in cfg["roles"].items():
        sys.stdout.write(f"{role:13s} [{spec.get('shape', 'any')}] {', '.join(spec['synonyms'][:8])}"
                         f"{' ...' if len(spec['synonyms']) > 8 else ''}\n")
