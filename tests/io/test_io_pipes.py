"""Real processes in real shell pipes."""

import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq

from conftest import TOEX
from terminal_signals import as_a_background_job, as_from_a_terminal

ROWS = [
    ["07700900123", "£12.50", "Nguyễn Văn An", "0012345678"],
    ["+447700900150", "-£3.00", "محمد علي", "00"],
    ["NA", "null", "Łukasz Żółć", ""],
]


def shell(cmd, cwd, timeout=60):
    env = dict(os.environ, PATH=os.path.dirname(TOEX) + os.pathsep + os.environ["PATH"])
    return subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=cwd, capture_output=True,
                          env=env, timeout=timeout)


def test_arrow_pipe_cell_by_cell(tmp_path):
    import csv

    with open(tmp_path / "a.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["phone", "amount", "name", "account"])
        w.writerows(ROWS)
    r = shell("toex convert a.csv -o - --to arrow | toex convert - -o b.parquet", tmp_path)
    assert r.returncode == 0, r.stderr
    table = pq.read_table(tmp_path / "b.parquet")
    got = table.select(["phone", "amount", "name", "account"]).to_pylist()
    assert [list(row.values()) for row in got] == ROWS
    assert table.column("_source").to_pylist() == ["a.csv"] * 3
    assert table.column("_row").to_pylist() == [1, 2, 3]
    import json

    history = json.loads(pq.ParquetFile(tmp_path / "b.parquet").metadata.metadata[b"toex.history"])
    assert [h["command"] for h in history] == ["toex convert a.csv -o - --to arrow",
                                               "toex convert - -o b.parquet"]
    assert [(h["rows_in"], h["rows_out"]) for h in history] == [(3, 3), (3, 3)]


def test_csv_stdin_to_stdout(tmp_path):
    r = shell("printf 'a,b\\n007,x\\n' | toex convert", tmp_path)
    assert r.returncode == 0
    assert r.stdout.decode().splitlines() == ['"a","b","_source","_row"', '"007","x","-",1']


def test_head_ends_quietly(tmp_path):
    with open(tmp_path / "big.csv", "w") as fh:
        fh.write("n,v\n")
        for i in range(300_000):
            fh.write(f"{i:08d},value {i}\n")
    r = shell("toex convert big.csv | head -2", tmp_path)
    assert r.returncode == 0
    assert r.stdout.decode().splitlines()[1] == '"00000000","value 0","big.csv",1'
    assert r.stderr == b""


def _unread(pipe) -> int:
    """Bytes written to ``pipe`` that the process at the other end has not read yet."""
    import fcntl
    import struct
    import termios

    return struct.unpack("i", fcntl.ioctl(pipe.fileno(), termios.FIONREAD, b"\0\0\0\0"))[0]


def _reading_stdin(preexec):
    """A `toex convert -` that has read the first rows of stdin and waits for more."""
    proc = subprocess.Popen([TOEX, "convert", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=preexec)
    proc.stdin.write(b"a,b\n1,2\n")
    proc.stdin.flush()
    # Wait until it has started reading (the pipe is drained): a fixed sleep was not enough on
    # a loaded machine, and Ctrl-C during start-up is another test's business.
    deadline = time.monotonic() + 60
    while _unread(proc.stdin) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert _unread(proc.stdin) == 0, "toex never started reading stdin"
    time.sleep(0.2)  # it is now waiting for more of stdin
    return proc


def test_ctrl_c_exits_130_without_traceback(tmp_path):
    proc = _reading_stdin(as_from_a_terminal)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err  # never 0: an interrupted command did not succeed
    assert b"Traceback" not in err


def test_help_imports_no_heavy_modules():
    code = ("import sys, toexcli.cli; heavy = [m for m in ('pandas', 'pyarrow', 'numpy') "
            "if m in sys.modules]; print(heavy)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr


def test_ignored_ctrl_c_stays_ignored():
    """A script's background job (`toex convert big.csv -o x &`) starts with SIGINT ignored so
    that the script's own Ctrl-C does not kill it: toex keeps it ignored and finishes."""
    proc = _reading_stdin(as_a_background_job)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.2)
    out, err = proc.communicate(b"3,4\n", timeout=60)
    assert proc.returncode == 0, err
    assert out.decode().splitlines()[1:] == ['"1","2","-",1', '"3","4","-",2']
