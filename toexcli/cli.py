"""The ``toex`` command: wiring only. Each command is a thin wrapper around a library function.

Domain commands live in ``toexcli/<domain>/cli.py`` and export either ``app`` (a typer.Typer
with subcommands) or ``command`` (a single function). They are registered below.
"""

from __future__ import annotations

import errno
import importlib
import os
import signal
import sys
from typing import Annotated, Optional


from . import _interrupted_early  # noqa: E402

import typer  # noqa: E402

from . import __version__, cliutil, console  # noqa: E402
from .errors import ToexError  # noqa: E402

ROOT_SETTINGS = dict(
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
    ("calls", "toexcli.calls.cli"),
    ("crypto", "toexcli.crypto.cli"),
    ("translate", "toexcli.translate.cli"),
    ("extract", "toexcli.extract.cli"),
    ("vehicles", "toexcli.vehicles.cli"),
    ("merge", "toexcli.merge.cli"),
    ("messages", "toexcli.messages.cli"),
    ("summarise", "toexcli.summarise.cli"),
    ("chart", "toexcli.chart.cli"),
    ("timeline", "toexcli.timeline.cli"),
    ("sql", "toexcli.sql.cli"),
    ("case", "toexcli.case.cli"),
]
ALIASES = {"summarize": "summarise"}

# The table a command writes into a case store (-o case.duckdb) unless --table says otherwise.
# A domain module may declare its own with TABLES = {"subcommand": "name"} (or TABLE = "name" for
# a single-command module); None means the first input's file stem (as for convert).
NATURAL_TABLES = {
    "bank parse": "transactions", "calls parse": "calls", "messages parse": "messages",
    "timeline": "timeline", "anpr parse": "reads", "merge resolve": "resolved",
    "merge stack": "stacked", "crypto find": "crypto_found", "crypto lookup": "crypto_lookups",
    "phones extract": "phones_found", "extract": "identifiers", "summarise": "summary",
    "chart": "links",
}


def _natural(path: str, module=None, sub: str | None = None) -> str | None:
    if module is not None:
        if sub is not None and isinstance(getattr(module, "TABLES", None), dict) and sub in module.TABLES:
            return module.TABLES[sub]
        if sub is None and isinstance(getattr(module, "TABLE", None), str):
            return module.TABLE
    return NATURAL_TABLES.get(path)


def _with_store_options(typer_app, prefix: str, module) -> None:
    """Every command of a typer group gets the shared options it lacks: --table/--replace when it
    writes -o, --ragged when it reads tables (see cliutil)."""
    for info in typer_app.registered_commands:
        if info.callback is None:
            continue
        sub = info.name or info.callback.__name__.replace("_", "-")
        info.callback = cliutil.with_shared_options(
            info.callback, _natural(f"{prefix} {sub}", module, sub))
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _with_store_options(group.typer_instance, f"{prefix} {group.name}", module)


def _version(value: bool):
    if value:
        print(f"toex {__version__}")
        raise typer.Exit()


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

  toex convert 'ee.xlsx#sheet=Call Data' three.csv#skip=1 -o case.duckdb --table calls --replace
"""


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
    ragged: cliutil.Ragged = False,
):
    """Convert any supported table to any other format; several inputs are stacked.

    Every column is read as text (leading zeros kept), and each row gets _source and _row.
    """
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format,
                               no_provenance=no_provenance, batch_rows=1 << 17, ragged=ragged)
    cliutil.stream(table, None, output=output, to=to, force=force, excel_safe=excel_safe,
                   label="converting")


INSPECT_EXAMPLE = """[bold]Examples[/bold]

  toex inspect statement.csv

  toex inspect tx.parquet --json | jq .history

  toex inspect case.duckdb         [dim]# its tables, which column joins which, its history[/dim]
"""


def inspect(
    inputs: cliutil.Inputs = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    sample: Annotated[int, typer.Option("--sample", help="Rows to show as a sample.")] = 5,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
    ragged: cliutil.Ragged = False,
):
    """Rows, columns, non-empty and distinct counts, a sample, how it was read, its history."""
    import json

    from .inspection import inspect_table, render

    if inputs and len(inputs) == 1:
        from .io.store import split_target

        target = split_target(inputs[0])
        if target is not None and target[1] is None and os.path.isfile(target[0]):
            _inspect_store(target[0], json_out)
            return
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format, ragged=ragged)
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


def _inspect_store(path: str, json_out: bool) -> None:
    """``toex inspect case.duckdb``: its tables, the relationships between them, its history."""
    import json

    from .io.store import describe, render_description

    report = describe(path)
    if json_out:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    from rich.console import Console

    render_description(report, Console(width=100 if not sys.stdout.isatty() else None))


CORE_COMMANDS = {"convert": (convert, CONVERT_EXAMPLE), "inspect": (inspect, INSPECT_EXAMPLE)}


def _flags_without_type() -> None:
    """typer's rich help shows ``<bool>`` against on/off flags, which take no value: drop it."""
    from typer.core import TyperOption

    original = TyperOption.display_type_rich
    if getattr(original, "_toex_flags", False):
        return

    def display_type_rich(self, ctx):
        if self.is_flag and not self.count:
            return None
        return original(self, ctx)

    display_type_rich._toex_flags = True
    TyperOption.display_type_rich = display_type_rich


def build_app(only: str | None = None) -> typer.Typer:
    """The ``toex`` app with every command, or with the core commands plus the one domain
    ``only`` names. Turning a domain's commands into click commands costs typer about 10 ms
    each, so a single command run from a shell loop builds only what it needs."""
    _flags_without_type()
    root = typer.Typer(**ROOT_SETTINGS)
    root.callback()(_main)
    for name, (func, epilog) in CORE_COMMANDS.items():
        root.command(name, epilog=epilog)(cliutil.with_shared_options(func, NATURAL_TABLES.get(name)))
    for name, module_name in DOMAIN_COMMANDS:
        if only is not None and name != only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that domain is not built in this checkout
            raise
        names = [name] + [alias for alias, target in ALIASES.items() if target == name]
        if hasattr(module, "app"):
            _with_store_options(module.app, name, module)
        for i, label in enumerate(names):
            if hasattr(module, "app"):
                root.add_typer(module.app, name=label, hidden=i > 0)
            else:
                root.command(label, hidden=i > 0, **getattr(module, "COMMAND_SETTINGS", {}))(
                    cliutil.with_shared_options(module.command, _natural(name, module)))
    return root


def _wanted(argv: list[str]) -> str | None:
    """The domain a command line asks for: None (all) for help, unknown words or no command."""
    domains = {name for name, _ in DOMAIN_COMMANDS} | set(ALIASES)
    for token in argv:
        if token.startswith("-"):
            continue  # the root's options are all flags (--quiet, --version, --help)
        if token in CORE_COMMANDS:
            return ""  # core only: no domain matches ""
        if token in domains:
            return ALIASES.get(token, token)
        return None
    return None


_FULL_APP = None


def __getattr__(name):
    """``toexcli.cli.app``: the full app, for tests (CliRunner) and for embedding."""
    global _FULL_APP
    if name == "app":
        if _FULL_APP is None:
            _FULL_APP = build_app()
        return _FULL_APP
    raise AttributeError(name)


class _Interrupts(list):
    def __bool__(self):
        return bool(len(self))


def _note_interrupts() -> _Interrupts:
    """Record every SIGINT (then raise KeyboardInterrupt as Python's own handler does)."""
    import signal
    import threading

    seen = _Interrupts()
    if threading.current_thread() is not threading.main_thread():
        return seen  # only the main thread may set handlers (e.g. main() called from a test)
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return seen  # someone (a test runner, an embedding program) has its own handler

    def on_sigint(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_sigint)
    return seen


def main(argv: list[str] | None = None) -> int:
    """Console entry point: one-line errors, quiet broken pipes, 130 on Ctrl-C.

    typer turns usage errors into exit 2 and Ctrl-C inside a command into exit 130; a ToexError
    (bad data, bad usage, network) is printed here as one line with its own exit code.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    _catch_termination()
    if signal.getsignal(signal.SIGINT) is _interrupted_early:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    interrupted = _note_interrupts()
    try:
        try:
            command = typer.main.get_command(build_app(only=_wanted(args)))
            command.main(args=args, prog_name="toex", standalone_mode=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if type(sys.stdout).__name__ == "PacifyFlushWrapper":
                code = 0  # typer saw a broken pipe (the reader, e.g. `head`, has gone): not an error
            elif code == 130:
                console.error("interrupted")  # typer turns Ctrl-C into a silent exit 130
        except ToexError as exc:
            console.error(str(exc))
            code = exc.exit_code
        except KeyboardInterrupt:
            console.error("interrupted")
            code = 130
        except Terminated as exc:
            console.error(f"stopped by signal {exc.signum}")
            code = 128 + exc.signum
        except BrokenPipeError:
            raise
        except OSError as exc:  # disk full, device gone...: one line, not a traceback
            if exc.errno == errno.EPIPE:
                raise BrokenPipeError(*exc.args) from None
            where = f"{exc.filename}: " if exc.filename else ""
            console.error(f"{where}{exc.strerror or exc}")
            # what is still buffered for stdout cannot be written either: let later flushes (and
            # pyarrow's writer being freed) go to /dev/null instead of aborting the process
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 1
        if sys.stdout is not None:
            sys.stdout.flush()
        if interrupted and code != 130:
            # Ctrl-C was pressed but something on the way swallowed the KeyboardInterrupt (a
            # library's reader, a worker thread) and the command ran on to the end: an
            # interrupted command never reports success.
            console.error("interrupted")
            code = 130
    except BrokenPipeError:
        # The reader (e.g. `head`) has gone: stop quietly, and stop Python complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return code


class Terminated(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C, so that partial outputs (.part files) are removed."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminated(signum, frame):
    raise Terminated(signum)


def _catch_termination() -> None:
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) in (signal.SIG_DFL, None):
            signal.signal(sig, _terminated)


def _release_leaked_import_lock() -> bool:
    """Free the global import lock if this thread still holds it, and say whether it did.

    A Ctrl-C in CPython's own start-up can land inside the weakref callback of a module lock
    (importlib's ``_get_module_lock.<locals>.cb``) between its ``_imp.acquire_lock()`` and the
    ``try`` that releases it: Python prints "Exception ignored ... KeyboardInterrupt", goes on,
    and the main thread keeps the lock. The first worker thread that imports anything then
    waits for ever, and toex hung instead of stopping (seen once in 18 timed Ctrl-Cs under load).
    No import is in progress when run() starts, so a lock held here was leaked that way."""
    import _imp

    leaked = False
    for _ in range(64):
        if not _imp.lock_held():
            break
        try:
            _imp.release_lock()
        except RuntimeError:  # held by another thread: a real import, not ours to touch
            break
        leaked = True
    return leaked


def run() -> None:
    if _release_leaked_import_lock():
        console.error("interrupted")  # the Ctrl-C that leaked it was swallowed by Python
        _finish(130)
    try:
        code = main()
    except KeyboardInterrupt:
        console.error("interrupted")
        code = 130
    _finish(code)


def _finish(code: int) -> None:
    """Leave without Python's interpreter shutdown: exit handlers run and output is flushed,
    then the process ends at once. A reading thread of pyarrow still winding down at shutdown
    aborted the process (exit 134, 'terminate called without an active exception') after its
    work was done; a script with `set -e` then failed at random."""
    import atexit

    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _interrupted_early)
    try:
        atexit._run_exitfuncs()
    except BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BrokenPipeError:
            pass
        except OSError as exc:
            if stream is sys.stdout and code == 0:
                console.error(exc.strerror or str(exc))
                code = 1
        except BaseException:
            pass
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    run()
