"""Issue 19: one meaning per short option across every command; flags show no value type."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import typer

from conftest import run_cli
from toexcli.cli import build_app

README = Path(__file__).resolve().parent.parent / "README.md"


def short_options():
    """{'-k': {'--keep': ['toex extract', ...]}, ...} over the whole command tree."""
    found: dict = defaultdict(lambda: defaultdict(list))

    def walk(cmd, path):
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, path + [name])
        for p in cmd.params:
            opts = list(getattr(p, "opts", [])) + list(getattr(p, "secondary_opts", []))
            longs = [o for o in opts if o.startswith("--")]
            for o in opts:
                if re.fullmatch(r"-[A-Za-z0-9]", o):
                    found[o][longs[0] if longs else "?"].append(" ".join(path))

    walk(typer.main.get_command(build_app()), ["toex"])
    return found


def test_one_meaning_per_short_option():
    found = short_options()
    assert "-o" in found and "-k" in found
    clashes = {s: dict(m) for s, m in found.items() if len(m) > 1}
    assert not clashes, clashes
    assert list(found["-k"]) == ["--keep"]


def test_every_short_option_is_in_the_readme_table():
    table = README.read_text(encoding="utf-8").split("**Short options mean one thing everywhere**")[1]
    table = table.split("<!--")[0]
    for short, meanings in short_options().items():
        (long,) = meanings
        assert re.search(rf"\| `{short}` \| `{long}`", table), (short, long)


def test_extract_k_is_keep():
    r = run_cli(["extract", "-", "-c", "text", "-k", "sender"],
                input="sender,text\nAna,ring me on 07700 900123\n")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0].replace('"', "").split(",")[2] == "sender"


def test_help_shows_no_type_against_flags():
    for args in (["extract", "--help"], ["convert", "--help"], ["translate", "detect", "--help"]):
        r = run_cli(args)
        assert r.exit_code == 0
        assert "<bool>" not in r.stdout, args
        assert "<str>" in r.stdout or "<int>" in r.stdout  # options with values keep theirs
