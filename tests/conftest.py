"""Shared test helpers: run the CLI in-process (CliRunner) or as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import typer.testing

from toexcli.cli import app
from toexcli.errors import ToexError

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TOEX = shutil.which("toex", path=os.path.dirname(sys.executable)) or shutil.which("toex")


def _build_app_once():
    """typer's CliRunner turns the app into click commands on every invoke: for the full toex
    app that is ~0.1 s of CPU, most of an in-process run (the robustness fuzz invokes toex ~900
    times). The click command of ``toexcli.cli.app`` is built once and reused, as click commands
    are designed to be (a real process builds it once too); any other app is built as before."""
    build = typer.testing._get_command
    built = {}

    def get_command(typer_app):
        if typer_app is app:
            if "app" not in built:
                built["app"] = build(app)
            return built["app"]
        return build(typer_app)

    typer.testing._get_command = get_command


if hasattr(typer.testing, "_get_command"):
    _build_app_once()


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: list[str], input: str | bytes | None = None) -> Result:
    """Invoke ``toex ARGS`` in-process, mapping ToexError exactly as the real entry point does."""
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], input=input)
    code, err = result.exit_code, result.stderr
    if isinstance(result.exception, ToexError):
        code = result.exception.exit_code
        err = err + f"toex: error: {result.exception}\n"
    elif result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(code, result.stdout, err)


def run_toex(args: list[str], input: bytes | str | None = None, cwd=None, env=None,
             timeout: int = 120) -> subprocess.CompletedProcess:
    """Run the installed ``toex`` as a real process (bytes in, bytes out)."""
    if isinstance(input, str):
        input = input.encode("utf-8")
    return subprocess.run([TOEX, *[str(a) for a in args]], input=input, capture_output=True,
                          cwd=cwd, env=env, timeout=timeout)


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside this checkout")
    return SHARED
