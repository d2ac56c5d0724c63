"""Issue 21: --ragged has one meaning on every command that reads tables through the shared input
options: a CSV row longer than the header is kept, the header padded with _extra_1, _extra_2...,
and stderr warns. Without it the row is refused by line, naming --ragged."""

from __future__ import annotations

import csv
import io

import pytest
import typer
from conftest import run_cli, run_toex

from toexcli.cli import build_app
from toexcli.io import read_table

LONG = "id,text\n1,call 07700 900123\n2,ring 07700 900456,note,more\n3,x\n"


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def long_csv(tmp_path):
    f = tmp_path / "long.csv"
    f.write_text(LONG)
    return f


@pytest.mark.parametrize("args", [
    ["phones", "normalise", "{f}", "-c", "text"],
    ["extract", "{f}", "-c", "text"],
    ["crypto", "check", "{f}", "-c", "text"],
    ["vehicles", "normalise", "{f}", "-c", "text"],
    ["merge", "stack", "{f}"],
    ["sql", "SELECT * FROM t ORDER BY _row", "t={f}"],
])
def test_ragged_keeps_long_rows_on_every_reading_command(long_csv, args):
    args = [a.replace("{f}", str(long_csv)) for a in args]
    refused = run_cli(args)
    assert refused.exit_code == 1, refused.stderr
    assert "line 3" in refused.stderr and "--ragged" in refused.stderr
    r = run_cli(args + ["--ragged"])
    assert r.exit_code == 0, r.stderr
    assert "more fields than the header" in r.stderr and "_extra_1, _extra_2" in r.stderr
    out = rows(r.stdout)
    if args[0] == "extract":  # one row per identifier found, each pointing at its input row
        assert sorted({o["_row"] for o in out}) == ["1", "2"]
        return
    assert [o["_row"] for o in out] == ["1", "2", "3"]
    assert [(o["_extra_1"], o["_extra_2"]) for o in out] == [("", ""), ("note", "more"), ("", "")]


def test_ragged_through_a_real_process_and_stdin(long_csv):
    p = run_toex(["translate", "detect", "-", "-c", "id", "--ragged"], input=LONG)
    assert p.returncode == 0, p.stderr
    out = rows(p.stdout.decode())
    assert [o["_extra_1"] for o in out] == ["", "note", ""]
    assert b"_extra_1" in p.stderr
    p = run_toex(["merge", "join", long_csv, long_csv, "--on", "id", "--ragged"])
    assert p.returncode == 0, p.stderr
    p = run_toex(["merge", "join", long_csv, long_csv, "--on", "id"])
    assert p.returncode == 1 and b"--ragged" in p.stderr


def test_library_default_is_strict_and_the_flag_does_not_leak(long_csv):
    """The command line's --ragged lasts for that command only; library calls stay strict."""
    assert run_cli(["merge", "stack", long_csv, "--ragged"]).exit_code == 0
    with pytest.raises(Exception, match="--ragged"):
        read_table([str(long_csv)])
    assert len(read_table([str(long_csv)], ragged=True)) == 3
    assert run_cli(["merge", "stack", long_csv]).exit_code == 1


def test_every_command_with_table_inputs_has_ragged():
    """Walks the whole command tree: a command with the shared --delimiter reads tables, and so
    takes --ragged; the format-specific parsers (bank, calls, messages) do not."""
    with_delimiter, with_ragged = set(), set()

    def walk(cmd, path):
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, path + [name])
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        if "--delimiter" in opts:
            with_delimiter.add(" ".join(path))
        if "--ragged" in opts:
            with_ragged.add(" ".join(path))

    walk(typer.main.get_command(build_app()), [])
    assert with_delimiter and with_ragged == with_delimiter
    assert {"merge join", "sql", "extract", "convert", "inspect", "phones normalise"} <= with_ragged
    assert not any(c.startswith(("bank", "calls", "messages")) for c in with_ragged)
