"""``toex chart``: a thin wrapper over toexcli.chart (nothing heavy imported at module level)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from typer.core import TyperCommand

from .. import cliutil

EPILOG = """[bold]Examples[/bold]

  toex chart calls_a.csv calls_b.csv --link Caller Callee --date Date --time Time \\
      --entities people_entities.csv --people --collapse-leaves -o case.html

  toex bank parse *.csv -o tx.csv && toex chart tx.csv --entities people_entities.csv --people -o money.html
  [dim]# a transaction table is recognised by its columns: payer -> payee by the sign of amount[/dim]

  toex chart calls.csv                        [dim]# a toex calls parse table: no --link needed[/dim]

  toex chart calls*.csv --link Caller Callee --focus "07700 900123" --hops 2 -o ego.graphml

  toex chart calls.csv --link Caller Callee --labels names.csv --highlight 07700900202 --top 40 -o c.html

  toex chart calls.csv --link Caller Callee --i2 -o i2_import.csv        [dim]# Analyst's Notebook[/dim]

  toex chart calls.csv --link Caller Callee --i2-events events.csv --anx chart.anx

  toex chart calls.csv --link Caller Callee --maltego -o maltego.csv     [dim]# Maltego table import[/dim]
"""

_SEP = "\x1f"


class ChartCommand(TyperCommand):
    """Lets ``--link FROM_COL TO_COL`` take two values and be repeated (typer cannot declare
    a repeated two-value option): each pair is passed on as one value joined by \\x1f."""

    def parse_args(self, ctx, args):
        out, i = [], 0
        while i < len(args):
            a = args[i]
            if a == "--":
                out.extend(args[i:])
                break
            if a == "--link" or a.startswith("--link="):
                if a.startswith("--link="):
                    first, rest = a[len("--link="):], args[i + 1:i + 2]
                    step = 2
                else:
                    first, rest = (args[i + 1] if i + 1 < len(args) else None), args[i + 2:i + 3]
                    step = 3
                if first is None or not rest or rest[0].startswith("--"):
                    raise typer.BadParameter("--link takes two column names: --link FROM_COL TO_COL",
                                             ctx=ctx)
                out.extend(["--link", first + _SEP + rest[0]])
                i += step
                continue
            out.append(a)
            i += 1
        return super().parse_args(ctx, out)


COMMAND_SETTINGS = {"epilog": EPILOG, "cls": ChartCommand}

FORMATS = {".html": "html", ".htm": "html", ".graphml": "graphml", ".gexf": "gexf", ".anx": "anx"}


def command(
    inputs: cliutil.Inputs = None,
    link: Annotated[Optional[list[str]], typer.Option(
        "--link", metavar="FROM_COL TO_COL",
        help="Two columns whose values are linked in each row (repeat for more pairs). Not needed "
             "for a toex bank parse or toex calls parse table (recognised by its columns).",
        show_default=False)] = None,
    type_: Annotated[Optional[list[str]], typer.Option(
        "--type", metavar="COL=TYPE",
        help="A column's node type: phone, person, vehicle, account, wallet, email, address, "
             "entity (guessed from the column name when not given).", show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option(
        "--date", help="Column with each row's date or date-time (read by the time model: zones "
             "in the values or header are exact, else Europe/London; day-first).",
        show_default=False)] = None,
    time: Annotated[Optional[str], typer.Option(
        "--time", help="Column with the time, when it is apart from --date.", show_default=False)] = None,
    amount: Annotated[Optional[str], typer.Option(
        "--amount", help="Column with an amount; links carry the total.", show_default=False)] = None,
    event: Annotated[Optional[str], typer.Option(
        "--event", help="Column naming each row's kind of event (Voice, SMS...): links count each "
             "kind, i2 gets its link types.", show_default=False)] = None,
    entities: Annotated[Optional[str], typer.Option(
        "--entities", metavar="FILE",
        help="Entities table from toex merge resolve --entities: identifiers of one entity are "
             "drawn with the person's name; counterparty names that match join money islands.",
        show_default=False)] = None,
    labels: Annotated[Optional[str], typer.Option(
        "--labels", metavar="FILE",
        help="Identifier -> label table (columns identifier,label[,type]).", show_default=False)] = None,
    people: Annotated[bool, typer.Option(
        "--people", help="Add a person node per entity (or label), linked to its phones, accounts, "
             "wallets and vehicles.")] = False,
    collapse: Annotated[bool, typer.Option(
        "--collapse-leaves", help="Contacts seen by one node only become one group node per hub "
             "('37 contacts', opens on click in the HTML).")] = False,
    output: cliutil.Output = None,
    i2: Annotated[bool, typer.Option(
        "--i2", help="Write an i2 Analyst's Notebook import table (CSV/XLSX), one row per link.")] = False,
    i2_events: Annotated[Optional[str], typer.Option(
        "--i2-events", metavar="OUT.csv",
        help="Also write an i2 import table with one row per call, message or payment (date, time "
             "and zone columns) for timeline and theme-line charts.", show_default=False)] = None,
    anx: Annotated[Optional[str], typer.Option(
        "--anx", metavar="OUT.anx",
        help="Also write the chart as i2 ANX XML (opens laid out in Analyst's Notebook).",
        show_default=False)] = None,
    maltego: Annotated[bool, typer.Option(
        "--maltego", help="Write a Maltego 'Import a 3rd Party Table' table (CSV/XLSX).")] = False,
    nodes_out: Annotated[Optional[str], typer.Option(
        "--nodes", help="Also write the nodes table (identity, type, degree, sources...) here.",
        show_default=False)] = None,
    highlight: Annotated[Optional[list[str]], typer.Option(
        "--highlight", metavar="ID",
        help="Identifiers to draw bold with their links: values (comma-separated, repeatable) or a "
             "file (one per line, or a table's first column).", show_default=False)] = None,
    focus: Annotated[Optional[str], typer.Option(
        "--focus", metavar="VALUE", help="Keep only the network around this value (comma-separate several).",
        show_default=False)] = None,
    hops: Annotated[int, typer.Option("--hops", help="How many links out from --focus.")] = 1,
    min_weight: Annotated[int, typer.Option(
        "--min-weight", help="Drop links with fewer events than this.")] = 1,
    top: Annotated[Optional[int], typer.Option(
        "--top", help="Keep only the N heaviest links (person and named nodes are always kept).",
        show_default=False)] = None,
    max_nodes: Annotated[Optional[int], typer.Option(
        "--max-nodes", help="Refuse charts with more nodes than this (default 1500 for .html, "
                            "i2 and Maltego; 50000 for GraphML/GEXF/CSV).", show_default=False)] = None,
    size_by: Annotated[str, typer.Option(
        "--size-by", help="HTML node size: degree, weight (events) or amount.")] = "degree",
    width_by: Annotated[Optional[str], typer.Option(
        "--width-by", help="HTML line width: count (events) or amount (default for money charts).",
        show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Chart title.", show_default=False)] = None,
    force: cliutil.Force = False,
    to: cliutil.To = None,
    excel_safe: cliutil.ExcelSafe = False,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
):
    """Link chart: rows (call records, transactions, merge output) become a network of
    normalised identities (phones in E.164, plates as VRMs...) drawn in their human forms
    (07700 900202, 20-32-06 13152170, LB07 SEU) with names from --entities/--labels, and their
    links' counts, first/last dates and amounts.

    A toex bank parse table is a money chart (payer -> payee by the sign of amount, in and out
    never netted); a toex calls parse table a call chart (two-ended calls counted once).
    The output format comes from -o: .html (an interactive page that opens offline), .graphml
    (Gephi, yEd), .gexf (Gephi), .anx (i2 Analyst's Notebook); with --i2 or --maltego a CSV/XLSX
    import table; otherwise the links table. Every node and link remembers its files and rows.
    """
    import os

    from .. import console
    from ..errors import UsageError

    pairs = [tuple(v.split(_SEP, 1)) for v in (link or []) if _SEP in v]
    if link and len(pairs) != len(link):
        raise UsageError("--link takes two column names: --link FROM_COL TO_COL")
    if i2 and maltego:
        raise UsageError("choose one of --i2 and --maltego")
    ext = os.path.splitext(output)[1].lower() if output not in (None, "-") else ""
    kind = FORMATS.get(ext, "table")
    if (i2 or maltego) and kind != "table":
        raise UsageError(f"--{'i2' if i2 else 'maltego'} writes a table: use -o FILE.csv or .xlsx, not {ext}")
    if to and kind != "table":
        raise UsageError(f"--to applies to tables; {ext} already names the format")
    if size_by not in ("degree", "weight", "amount", "value"):
        raise UsageError("--size-by must be degree, weight or amount")
    if width_by not in (None, "count", "amount"):
        raise UsageError("--width-by must be count or amount")
    if hops < 0:
        raise UsageError("--hops must be 0 or more")
    if top is not None and top < 1:
        raise UsageError("--top must be 1 or more")
    if people and not (entities or labels):
        raise UsageError("--people needs --entities FILE or --labels FILE (who is behind which identifier)")
    if anx and not anx.lower().endswith(".anx"):
        raise UsageError(f"--anx {anx}: the file name must end in .anx")
    from ..io.writers import check_outputs

    # refuse before anything is read or written: one file named twice (also through a symlink
    # or another spelling), an existing file without --force
    check_outputs([("-o", output), ("--nodes", nodes_out), ("--i2-events", i2_events), ("--anx", anx)],
                  force=force)
    types = {k: v.lower() for k, v in cliutil.parse_pairs(type_, "--type").items()}

    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format)
    df = table.read() if hasattr(table, "read") else None
    ents = _side_table(entities, "--entities") if entities else None
    labs = _side_table(labels, "--labels") if labels else None
    highlight_values = [v for spec in (highlight or []) for v in _highlight_values(spec)]
    from .build import chart

    big = kind in ("graphml", "gexf") or (kind == "table" and not (i2 or maltego))
    limit_nodes = max_nodes if max_nodes else (50_000 if big else 1_500)
    limit_links = None if max_nodes else (250_000 if big else 6_000)
    # Nothing will cut the network (no --top, --focus, --min-weight, --collapse-leaves): refuse a
    # too-big chart as soon as its nodes and links are counted, not after building it (issue 23).
    cuts = bool(top or focus or min_weight > 1 or collapse)
    net = chart(df, pairs, types, date=date, time=time, amount=amount, event=event, entities=ents, labels=labs,
                people=people, source_name=table.name, title=title,
                limits=None if cuts else (limit_nodes, limit_links))
    built = (len(net.nodes), len(net.links))
    from . import check_size, focus as focus_net, links_table, min_weight as minw, nodes_table, top as top_net
    from .network import collapse_leaves, mark_highlight

    net = minw(net, min_weight)
    if focus:
        net = focus_net(net, [v for v in focus.split(",") if v.strip()], hops)
    if top:
        net = top_net(net, top)
    if highlight_values:
        net = mark_highlight(net, highlight_values)
    if collapse:
        net = collapse_leaves(net)
    for note in net.notes:
        console.info(note)
    if len(df) and not len(net.links):
        console.warn("no links to draw: every row lacks a value at one end of each --link pair "
                     "(check the column names, or --min-weight/--focus)")
    check_size(net, limit_nodes, limit_links)
    wby = width_by or ("amount" if net.kind == "money" else "count")

    if kind == "html":
        from .html import write_html

        write_html(net, output, force=force, title=title, size_by=size_by, width_by=wby)
    elif kind == "graphml":
        from .export import write_graphml

        write_graphml(net, output, force=force)
    elif kind == "gexf":
        from .export import write_gexf

        write_gexf(net, output, force=force)
    elif kind == "anx":
        from .anx import write_anx

        write_anx(net, output, force=force)
    else:
        from .export import i2_table, maltego_table

        frame = i2_table(net) if i2 else maltego_table(net) if maltego else links_table(net)
        cliutil.write_frame(frame, output=output, to=to, force=force, excel_safe=excel_safe,
                            table=table, rows_in=len(df))
    if nodes_out:
        cliutil.write_frame(nodes_table(net), output=nodes_out, force=force, excel_safe=excel_safe,
                            table=table, rows_in=len(df))
    if i2_events:
        from .export import i2_events_table

        ev = i2_events_table(net)
        cliutil.write_frame(ev, output=i2_events, force=force, excel_safe=excel_safe,
                            table=table, rows_in=len(df))
        console.info(f"i2 events: {len(ev):,} events -> {i2_events}")
    if anx:
        from .anx import write_anx

        write_anx(net, anx, force=force)
        console.info(f"ANX chart -> {anx}")
    console.info(f"chart: {len(net.nodes):,} nodes, {len(net.links):,} links from {len(df):,} rows"
                 + (f" (built {built[0]:,} nodes, {built[1]:,} links before cutting)"
                    if built != (len(net.nodes), len(net.links)) else "")
                 + (f" -> {output}" if output not in (None, "-") else ""))


def _side_table(path: str, option: str):
    import os

    from ..errors import UsageError
    from ..io import read_table

    if not os.path.isfile(path):
        raise UsageError(f"{option} {path}: no such file")
    return read_table([path], provenance=False)


def _highlight_values(spec: str) -> list[str]:
    """A file of values (one per line, or a table's first column), else comma-separated values."""
    import os

    if os.path.isfile(spec):
        if spec.lower().endswith((".txt", ".lst")):
            with open(spec, encoding="utf-8-sig") as fh:
                return [line.strip() for line in fh if line.strip() and not line.startswith("#")]
        from ..io import read_table

        df = read_table([spec], provenance=False)
        return [v for v in df.iloc[:, 0].astype(str).tolist() if v.strip()]
    return [v.strip() for v in spec.split(",") if v.strip()]
