"""``toex merge``: stack (collate), join (enrich), resolve (conflate). Thin wrappers over
``toexcli.merge``; nothing heavy is imported at module level."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import cliutil

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode="rich",
    help="Collate sources and conflate the records that are the same person, phone, account or "
         "wallet: stack, join, resolve.",
    epilog="""[bold]Examples[/bold]

  toex merge stack custody.csv subscriber.xlsx -o all.parquet

  toex merge join calls.csv subscribers.csv --on "b_party=Phone Number" --as phone

  toex merge resolve custody.csv subs.csv --id phone:phone --name name -o people.csv

  bash examples/demo_merge.sh      [dim]# all three, on fictional data[/dim]
""",
)

STACK_EXAMPLE = """[bold]Examples[/bold]

  toex merge stack custody.csv subscriber.xlsx calls.parquet -o all.parquet

  toex merge stack a.csv b.csv --rename "Mobile No=phone" --dedupe phone -o phones.csv      [dim]# _seen_in lists every file:row[/dim]
"""

JOIN_EXAMPLE = """[bold]Examples[/bold]

  toex merge join calls.csv subscribers.csv --on "b_party=Phone Number" --as phone

  toex merge join custody.csv intel.csv --on name=subject --as name --threshold 88 --how inner

  toex merge join anpr.csv keepers.csv --on plate=vrm --as vrm -o anpr_keepers.xlsx
"""

RESOLVE_EXAMPLE = """[bold]Examples[/bold]

  toex merge resolve custody.csv subs.csv bank.csv --id phone:phone --id email:email --id account:account --name name --dob dob -o people.csv --entities entities.csv

  toex merge resolve *.csv --id phone:msisdn --id imei:imei --max-degree 5 --junk 07700900999 --judgements judged.csv -o resolved.parquet

  [dim]judged.csv has columns record_a,record_b,decision, e.g. custody.csv:4,bank.csv:17,different[/dim]
"""

Rename = Annotated[Optional[list[str]], typer.Option(
    "--rename", help="OLD=NEW: rename a column before aligning (repeat).", show_default=False)]


def _read(inputs, rename=None, dedupe=None, *, sheet=None, skip=0, encoding=None, delimiter=None,
          input_format=None):
    from .stacking import read_stacked

    df, tables = read_stacked(inputs, rename=cliutil.parse_pairs(rename, "--rename"), dedupe=dedupe,
                              sheet=sheet, skip=skip, encoding=encoding, delimiter=delimiter,
                              format=input_format)
    return df, _Inputs(tables)


class _Inputs:
    """Several opened inputs seen as one, for the writer's processing history."""

    def __init__(self, tables):
        from ..io.history import merged_history

        self.tables = list(tables)
        self.sources = [s for t in tables for s in t.sources]
        self.history = merged_history(self.sources)
        self.rows_read = sum(t.rows_read for t in tables)


@app.command(epilog=STACK_EXAMPLE)
def stack(
    inputs: cliutil.Inputs = None,
    rename: Rename = None,
    dedupe: Annotated[Optional[list[str]], typer.Option(
        "--dedupe", help="Keep the first row of each identical value of COL (repeat for a "
             "composite key); adds _seen_in and _seen_count.", show_default=False)] = None,
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
    """Collate: stack any mix of formats into one table, columns aligned by name.

    Names match ignoring case, spacing and punctuation ('Phone Number' = 'phone_number'); _source and _row are kept on every row.
    """
    from .. import console

    df, table = _read(inputs, rename, dedupe, sheet=sheet, skip=skip, encoding=encoding,
                      delimiter=delimiter, input_format=input_format)
    if dedupe:
        console.info(f"--dedupe: {table.rows_read:,} rows -> {len(df):,} distinct keys "
                     "(every source of each key is in _seen_in)")
    cliutil.write_frame(df, output=output, to=to, force=force, excel_safe=excel_safe, table=table)


@app.command(epilog=JOIN_EXAMPLE)
def join(
    left: Annotated[str, typer.Argument(help="The table to enrich (every row kept), or -.")],
    right: Annotated[str, typer.Argument(help="The table to take columns from.")],
    on: Annotated[str, typer.Option("--on", help="LCOL=RCOL (or COL when both sides share it).")],
    kind: Annotated[str, typer.Option(
        "--as", help="How to compare keys: exact, phone (E.164), email, vrm, name (fuzzy).")] = "exact",
    how: Annotated[str, typer.Option("--how", help="left (all left rows), inner, outer.")] = "left",
    threshold: Annotated[float, typer.Option(
        "--threshold", help="--as name: lowest fuzzy score 0-100 that matches.")] = 90,
    region: Annotated[str, typer.Option("--region", help="Default country for phone numbers.")] = "GB",
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
    """Enrich LEFT with RIGHT's columns where the keys, normalised by kind, match.

    Adds match_key, match_method, match_score and match_count. A left row matching several right rows gives one row per match (match_count > 1), never a silent pick.
    """
    from .. import console
    from .joining import join as join_tables

    from ..errors import UsageError

    if left == right == "-":
        raise UsageError("standard input ('-') can be read only once; give LEFT or RIGHT as a file")
    opts = dict(sheet=sheet, skip=skip, encoding=encoding, delimiter=delimiter, input_format=input_format)
    ldf, ltab = _read([left], **opts)
    rdf, rtab = _read([right], **opts)
    out = join_tables(ldf, rdf, on, kind=kind, how=how, threshold=threshold, region=region,
                      left_name=left, right_name=right)
    multi = int((out["match_count"] > 1).sum())
    matched = int((out["match_count"] > 0).sum())
    console.info(f"join: {matched:,} of {len(out):,} output rows matched"
                 + (f"; {multi:,} rows belong to one-to-many matches (match_count > 1)" if multi else ""))
    both = _Inputs(ltab.tables + rtab.tables)
    both.rows_read = ltab.rows_read  # rows in = the left table's (the right only adds columns)
    cliutil.write_frame(out, output=output, to=to, force=force, excel_safe=excel_safe, table=both)


@app.command(epilog=RESOLVE_EXAMPLE)
def resolve(
    inputs: cliutil.Inputs = None,
    ids: Annotated[Optional[list[str]], typer.Option(
        "--id", help="KIND:COLUMN of a strong identifier (repeat). Kinds: phone, email, imei, "
             "wallet, account, vrm, passport, id, exact.", show_default=False)] = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", help="Column holding the person's name, or several joined with a space "
             "(--name Forename,Surname).", show_default=False)] = None,
    dob: Annotated[Optional[str], typer.Option(
        "--dob", help="Column holding the date of birth; names link only when it agrees. Day-first "
             "(05/01/1990, 5.1.90), ISO (1990-01-05, 19900105), words (5 Jan 1990), Excel day numbers.",
        show_default=False)] = None,
    threshold: Annotated[float, typer.Option(
        "--threshold", help="Lowest fuzzy name score (0-100) that links two names.")] = 90,
    max_degree: Annotated[int, typer.Option(
        "--max-degree", help="An identifier on more than N distinct records is not used to link "
             "(a taxi firm, a shared landline); 0 = no limit.")] = 10,
    junk: Annotated[Optional[list[str]], typer.Option(
        "--junk", help="A value never to link on, as VALUE or KIND:VALUE (repeat).",
        show_default=False)] = None,
    junk_file: Annotated[Optional[str], typer.Option(
        "--junk-file", help="A file of junk values, one per line.", show_default=False)] = None,
    judgements: Annotated[Optional[str], typer.Option(
        "--judgements", help="Analyst decisions applied last: a table with record_a, record_b, "
             "decision (same/different); records are SOURCE:ROW or KIND:VALUE.",
        show_default=False)] = None,
    entities: Annotated[Optional[str], typer.Option(
        "--entities", help="Also write one row per entity (identifiers, names, sources, rows) here.",
        show_default=False)] = None,
    ignored_out: Annotated[Optional[str], typer.Option(
        "--ignored", help="Also write the identifiers not used to link (junk, over --max-degree).",
        show_default=False)] = None,
    rename: Rename = None,
    engine: Annotated[str, typer.Option(
        "--engine", help="Name linkage: native (rapidfuzz score >= --threshold) or splink (Splink's "
             "Fellegi-Sunter model trained on the data, links at match probability >= --threshold %; "
             "optional extra, runs locally on DuckDB).")] = "native",
    backend: Annotated[str, typer.Option(
        "--backend", help="Where --engine splink runs: duckdb (this machine) or spark (local Spark, "
             "or the cluster named by --spark-master; needs pyspark and Java).")] = "duckdb",
    spark_master: Annotated[Optional[str], typer.Option(
        "--spark-master", help="Spark master URL for --backend spark (default local[*]).",
        show_default=False)] = None,
    region: Annotated[str, typer.Option("--region", help="Default country for phone numbers.")] = "GB",
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
    """Conflate: give every row an entity_id; rows describing the same person share it.

    Rows sharing a strong identifier, directly or through a chain, share an id; names link only with an agreeing date of birth and a score above --threshold. Junk values and identifiers on more than --max-degree records are not used. Adds entity_id, entity_size, match_reasons and match_ignored; every row kept, in order.
    """
    from .. import console
    from ..errors import ToexError, UsageError
    from .resolution import resolve as resolve_rows

    if engine not in ("native", "splink"):
        raise UsageError(f"--engine {engine}: use native or splink (Splink's probabilistic name model, "
                         "an optional extra); for data larger than one machine see the README (Spark)")
    if backend not in ("duckdb", "spark"):
        raise UsageError(f"--backend {backend}: use duckdb or spark")
    if (backend != "duckdb" or spark_master) and engine != "splink":
        raise UsageError("--backend and --spark-master go with --engine splink")
    if engine == "splink":
        from .splink_engine import available, spark_available

        if not available():
            raise UsageError("--engine splink needs Splink: pip install 'toexcli[splink]' (or pip install splink)")
        if backend == "spark" and not spark_available():
            raise UsageError("--backend spark needs pyspark and Java: pip install 'toexcli[spark]' and "
                             "a JRE (Debian: apt-get install default-jre-headless)")
        if backend == "spark":
            console.info(f"resolve: names scored by Splink on Spark ({spark_master or 'local[*] on this machine'})")
    from ..io.writers import check_outputs

    # refuse before anything is read or written: one file named twice (also through a symlink
    # or another spelling), an existing file without --force, an unknown format
    check_outputs([("-o", output), ("--entities", entities), ("--ignored", ignored_out)],
                  force=force, table_outputs=("-o", "--entities", "--ignored"), to=to)
    from .resolution import check_new_columns, link, link_columns
    from .stacking import read_opened
    from .streaming import StackedInputs

    tables = read_opened(inputs, sheet=sheet, skip=skip, encoding=encoding, delimiter=delimiter,
                         format=input_format)
    stacked = StackedInputs(tables, cliutil.parse_pairs(rename, "--rename"))
    source = stacked.name
    wanted = link_columns(stacked.columns, ids or [], name=name, dob=dob, source=source)
    if not judgements:  # row numbers are only looked up for judgements
        wanted = [c for c in wanted if c != "_row"]
    check_new_columns(stacked.columns, source)
    junk_values = list(junk or [])
    if junk_file:
        try:
            with open(junk_file, encoding="utf-8-sig") as fh:
                junk_values += [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]
        except OSError as exc:
            raise UsageError(f"--junk-file {junk_file}: {exc.strerror}")
    judged = None
    if judgements:
        from ..io import read_table

        judged = read_table([judgements], provenance=False)
    # first reading: only the columns linking needs; linking keeps integer codes per row
    df = stacked.read_columns(wanted)
    try:
        res = link(df, ids or [], name=name, dob=dob, threshold=threshold, max_degree=max_degree,
                   junk=junk_values, judgements=judged, region=region, engine=engine,
                   backend=backend, spark_master=spark_master, source=source)
    except ToexError as exc:
        if judgements and str(exc).startswith("judgements"):
            raise type(exc)(f"{judgements}: {exc}") from None
        raise
    finally:
        del df
    table = _Inputs(tables)
    table.rows_read = stacked.rows_read
    st = res.stats
    console.info(f"resolve: {st['rows']:,} rows -> {st['entities']:,} entities "
                 f"({st['multi_row_entities']:,} with more than one row)")
    if len(res.ignored):
        top = "; ".join(f"{k} ({r})" for k, r in zip(res.ignored["key"].head(5), res.ignored["reason"].head(5)))
        console.warn(f"{len(res.ignored):,} identifiers not used to link (junk, or over --max-degree "
                     f"{max_degree}): {top}" + (" ..." if len(res.ignored) > 5 else "")
                     + ("" if ignored_out else "; --ignored FILE lists them all"))
    if st["skipped_name_blocks"]:
        console.warn(f"names not compared for {len(st['skipped_name_blocks'])} date(s) of birth shared by "
                     f"too many names (placeholders?): {', '.join(st['skipped_name_blocks'][:5])}")
    if dob and not name:
        console.warn("--dob without --name: dates of birth only link together with a name; not used")
    if name and not dob:
        console.warn("--name without --dob: names link on spelling alone (weak; namesakes may merge)")
    if st["refused_links"]:
        console.info(f"judgements: {st['refused_links']:,} automatic links cut to keep records marked "
                     "'different' apart")
    # second reading: every column, batch by batch, with the new columns attached by position
    writer = cliutil.open_output(output, to=to, force=force, excel_safe=excel_safe, inputs=table.sources,
                                 history=table.history)
    with writer:
        seen = False
        for batch in stacked.batches(res.columns):
            writer.write(batch)
            seen = True
        if not seen:  # a header-only input: the output still gets its columns
            writer.write(stacked.empty_batch(res.columns))
        writer.history = table.history
        writer.close(rows_in=table.rows_read)
    cliutil.report_written(writer)
    if entities:
        cliutil.write_frame(res.entities(), output=entities, force=force, excel_safe=excel_safe,
                            table=table)
    if ignored_out:
        cliutil.write_frame(res.ignored, output=ignored_out, force=force, excel_safe=excel_safe, table=table)
