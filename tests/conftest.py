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

from toexcli.cli import app
from toexcli.errors import ToexError

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TOEX = shutil.which("toex", path=os.path.dirname(sys.executable)) or shutil.which("toex")


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
