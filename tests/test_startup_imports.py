"""Start-up stays light for every command (issue 20): `toex X --help` and an argument error must
not import the heavy libraries, so each stage of a pipe pays only the interpreter and typer.

The commands are discovered from the app itself, so a new command is covered the day it lands.
Not a timing test: it asserts which modules are imported, which cannot flake under load.
"""

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "pyarrow", "numpy", "phonenumbers", "lingua", "duckdb", "splink", "pyspark",
         "rapidfuzz", "schwifty", "calamine", "python_calamine", "xlsxwriter", "requests")

_LIST = """
import json, typer
from toexcli.cli import app
def walk(cmd, path):
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            if not sub.hidden:
                yield from walk(sub, path + [name])
    else:
        yield path
print(json.dumps(list(walk(typer.main.get_command(app), []))))
"""

_PROBE = """
import sys, io, contextlib
from toexcli.cli import main
args = sys.argv[1:]
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(args)
heavy = [m for m in %r if m in sys.modules]
print(code, ",".join(heavy))
""" % (HEAVY,)


def _commands():
    out = subprocess.run([sys.executable, "-c", _LIST], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


COMMANDS = _commands()


def test_every_command_is_listed():
    assert ["convert"] in COMMANDS and ["merge", "resolve"] in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p))
def test_help_and_usage_errors_import_nothing_heavy(path):
    for extra, want in ((["--help"], 0), (["--no-such-option"], 2)):
        r = subprocess.run([sys.executable, "-c", _PROBE, *path, *extra], capture_output=True,
                           text=True, timeout=60)
        code, _, heavy = r.stdout.strip().partition(" ")
        assert code == str(want), (path, extra, r.stdout, r.stderr)
        assert heavy == "", f"`toex {' '.join(path)} {extra[0]}` imported {heavy}"
