"""QA findings on toex merge, found by using the CLI as an analyst would; each stays as a
regression test."""

import os
import pty
import subprocess

import pytest

from conftest import TOEX


@pytest.mark.parametrize("args", [["merge", "stack"], ["merge", "resolve", "--id", "phone:Phone"]])
def test_no_input_on_a_terminal_gives_hint_not_hang(args):
    # Like every other command: no file and stdin a terminal -> exit 2 at once with a hint.
    master, slave = pty.openpty()
    try:
        r = subprocess.run([TOEX, *args], stdin=slave, capture_output=True, timeout=20)
    finally:
        os.close(master)
        os.close(slave)
    assert r.returncode == 2 and b"standard input is a terminal" in r.stderr, r.stderr
