"""QA findings for `toex vehicles`: the worked examples in --help that use the repository's
examples/ data must run as printed (from the repository root)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from conftest import run_cli
from toexcli.vehicles.cli import NORMALISE_EXAMPLE

ROOT = Path(__file__).resolve().parents[2]


def _example_commands(epilog: str) -> list[str]:
    text = re.sub(r"\[/?[a-z ]+\]", "", epilog).replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip().startswith("toex ")]


def test_help_examples_on_repository_data_run_as_printed():
    assert "Examples" in run_cli(["vehicles", "normalise", "--help"]).stdout
    runnable = [c for c in _example_commands(NORMALISE_EXAMPLE) if "examples/" in c]
    assert runnable, "a worked example on examples/ data"
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    for command in runnable:
        for path in re.findall(r"examples/\S+", command):
            assert (ROOT / path).exists(), f"{command}: {path} does not exist"
        p = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT, env=env,
                           capture_output=True, timeout=120)
        assert p.returncode == 0, (command, p.stderr.decode())
        assert b"_vrm" in p.stdout


def test_group_help_shows_a_worked_example():
    r = run_cli(["vehicles", "--help"])
    assert r.exit_code == 0
    assert "Examples" in r.stdout and "toex vehicles normalise examples/vehicles_anpr.csv" in r.stdout
