"""The ``toex`` command: wiring only. Each command is a thin wrapper around a library function.

Domain commands live in ``toexcli/<domain>/cli.py`` and export either ``app`` (a typer.Typer
with subcommands) or ``command`` (a single function). They are registered below.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Optional

import typer

from . import __version__, cliutil, console
from .errors import ToexError

app = typer.Typer(
    name="toex",
    help="Small, composable tools for intelligence data analysts: read anything, lose nothing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

# (command name, module): the module exports `app` (a group) or `command` (one function).
DOMAIN_COMMANDS = [
    ("phones", "toexcli.phones.cli"),
    ("bank", "toexcli.bank.cli"),
    ("crypto", "toexcli.crypto.cli"),
    ("translate", "toexcli.translate.cli"),
    ("extract", "toexcli.extract.cli"),
    ("vehicles", "toexcli.vehicles.cli"),
    ("merge", "toexcli.merge.cli"),
    ("summarise", "toexcli.summarise.cli"),
    ("chart", "toexcli.chart.cli"),
]
ALIASES = {"summarize": "summarise"}


def _version(value: bool):
    if value:
        print(f"toex {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or notes on stderr.")] = False,
    version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
):
    """toex: read bank statements, phone records, messages and chats; normalise, link and summarise
    them without losing a row. Data goes to stdout (CSV) or -o FILE; messages go to stderr.

    Example: [bold]toex convert calls.xlsx -o calls.parquet[/bold]
    """
    console.set_quiet(quiet)


CONVERT_EXAMPLE = """[bold]Examples[/bold]

  toex convert statement.xlsx -o statement.parquet

  toex convert a.csv b.xlsx c.parquet -o all.csv      [dim]# stacked, columns aligned by name[/dim]

  toex convert calls.csv -o - --to arrow | toex inspect -
"""


@app.command(epilog=CONVERT_EXAMPLE)
def convert(
    inputs: cliutil.Inputs = None,
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
    """Convert any supported table to any other format; several inputs are stacked.

    Every column is read as text (leading zeros kept), and each row gets _source and _row.
    """
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format,
                               no_provenance=no_provenance, batch_rows=1 << 17)
    cliutil.stream(table, None, output=output, to=to, force=force, excel_safe=excel_safe,
                   label="converting")


INSPECT_EXAMPLE = """[bold]Examples[/bold]

  toex inspect statement.csv

  toex inspect tx.parquet --json | jq .history
"""


@app.command(epilog=INSPECT_EXAMPLE)
def inspect(
    inputs: cliutil.Inputs = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    sample: Annotated[int, typer.Option("--sample", help="Rows to show as a sample.")] = 5,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
):
    """Rows, columns, non-empty and distinct counts, a sample, how the file was read, and its
    processing history."""
    import json

    from .inspection import inspect_table, render

    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format)
    report = inspect_table(table, sample_rows=sample)
    if json_out:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        from rich.console import Console

        out = Console(width=100 if not sys.stdout.isatty() else None)
        try:
            render(report, out)
        except SystemExit:
            if out.quiet:  # rich saw a broken pipe (e.g. `| head`): the reader has gone, not an error
                return
            raise


def _register() -> None:
    for name, module_name in DOMAIN_COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that domain is not built in this checkout
            raise
        if hasattr(module, "app"):
            app.add_typer(module.app, name=name)
            for alias, target in ALIASES.items():
                if target == name:
                    app.add_typer(module.app, name=alias, hidden=True)
        else:
            app.command(name, **getattr(module, "COMMAND_SETTINGS", {}))(module.command)
            for alias, target in ALIASES.items():
                if target == name:
                    app.command(alias, hidden=True, **getattr(module, "COMMAND_SETTINGS", {}))(module.command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Console entry point: one-line errors, quiet broken pipes, 130 on Ctrl-C.

    typer turns usage errors into exit 2 and Ctrl-C inside a command into exit 130; a ToexError
    (bad data, bad usage, network) is printed here as one line with its own exit code.
    """
    command = typer.main.get_command(app)
    try:
        try:
            command.main(args=argv, prog_name="toex", standalone_mode=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if type(sys.stdout).__name__ == "PacifyFlushWrapper":
                code = 0  # typer saw a broken pipe (the reader, e.g. `head`, has gone): not an error
        except ToexError as exc:
            console.error(str(exc))
            code = exc.exit_code
        except KeyboardInterrupt:
            console.error("interrupted")
            code = 130
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (e.g. `head`) has gone: stop quietly, and stop Python complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return code


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
