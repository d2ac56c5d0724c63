"""``toex case``: thin typer wrapper over :mod:`toexcli.case` (nothing heavy at import)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import cliutil

app = typer.Typer(
    no_args_is_help=True,
    help="The case store from one manifest: `case init` writes a starter case.toml from a folder "
         "of files, `case build` runs its sources and steps into one case.duckdb plus reports, "
         "rebuilding only what changed.",
    rich_markup_mode="rich",
    epilog="[bold]Examples[/bold]\n\n"
           "  toex case init returns/               [dim]# writes returns/case.toml[/dim]\n\n"
           "  toex case build returns/case.toml     [dim]# again after adding a file: only that[/dim]\n\n"
           "  toex sql \"SELECT kind, count(*) FROM toex_history GROUP BY ALL\" returns/out/case.duckdb\n",
)

BUILD_EXAMPLE = """[bold]Examples[/bold]

  toex case build examples/case.toml

  toex case build case.toml --store /cases/op_example.duckdb

  toex case build case.toml --check       [dim]# what would be rebuilt, without building[/dim]

[bold]Manifest[/bold] (TOML; paths relative to it):

  [case]      name, store = "out/case.duckdb", reports = "out/reports"
  [[source]]  table, kind (table people bank calls messages anpr), paths = [files or globs],
              options = { sheet, skip, encoding, delimiter, format }, hints = { account, plate, ... }
  [[step]]    do = "phones normalise" | "vehicles normalise" | "merge resolve" | "summarise" | "sql" |
              "timeline" | "chart"; table (what it reads; timeline: tables = [...]), into (what it writes),
              and the step's own settings
  [[relationship]]  from = "calls.Callee_e164", to = "people_phones.Phone_e164"
"""


@app.command("build", epilog=BUILD_EXAMPLE)
def build(
    manifest: Annotated[str, typer.Argument(help="The case manifest (case.toml).", show_default=False)],
    store: Annotated[Optional[str], typer.Option(
        "--store", help="Build into this .duckdb/.sqlite instead of the manifest's store.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild everything, changed or not.")] = False,
    check: Annotated[bool, typer.Option(
        "--check", help="Only say what is up to date and what would be built.")] = False,
):
    """Run a case manifest: every source into its table, every step in order, into one case
    store plus reports. Idempotent: a source or step whose inputs (by SHA-256) and settings are
    unchanged since the last build is skipped."""
    from .. import console
    from . import build_case

    done = build_case(manifest, store=store, force=force, only_check=check)
    verb = "would build" if check else "built"
    console.info(f"{done['store']}: {verb} {len(done['built'])}, up to date "
                 f"{len(done['up_to_date'])}" + (f"; reports: {', '.join(done['reports'])}"
                                                  if done["reports"] else ""))
    if not check:
        console.info(f"next: toex inspect {done['store']}   |   toex sql \"SELECT ...\" {done['store']}")


@app.command("init")
def init(
    folder: Annotated[str, typer.Argument(help="The folder of case files.", show_default=False)],
    out: Annotated[Optional[str], typer.Option(
        "-o", "--output", help="Write the manifest here (default: FOLDER/case.toml).",
        show_default=False)] = None,
    force: cliutil.Force = False,
):
    """Write a starter manifest (FOLDER/case.toml) from the files found, the kind of each
    detected from its content (bank statement, call records, chat export, ANPR reads, people)."""
    from .. import console
    from . import init_manifest

    path, found = init_manifest(folder, out, force)
    for rel, kind, why in found:
        console.info(f"  {rel}: {kind or 'left out'} ({why})")
    console.info(f"wrote {path}; review it, then: toex case build {path}")
