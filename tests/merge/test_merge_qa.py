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


def test_stack_mixed_types_gives_the_same_text_as_convert(tmp_path):
    # A Parquet phone column stored as a double stacked with a CSV's text column: the number is
    # written as toex convert writes it (7700900123), never with a manufactured Excel '.0'.
    import pyarrow as pa
    import pyarrow.parquet as pq

    from conftest import run_cli

    pq.write_table(pa.table({"msisdn": pa.array([7700900123.0, None]),
                             "amount": pa.array([1.5, 2.0])}), tmp_path / "t.parquet")
    (tmp_path / "s.csv").write_text("msisdn,amount\n07700900150,3\n", encoding="utf-8")
    inputs = [str(tmp_path / "t.parquet"), str(tmp_path / "s.csv")]
    stacked = run_cli(["merge", "stack", *inputs])
    converted = run_cli(["convert", *inputs])
    assert stacked.exit_code == 0, stacked.stderr
    assert stacked.stdout == converted.stdout
    assert '"7700900123","1.5"' in stacked.stdout and '"2"' in stacked.stdout
