"""Issue 19: an interrupted command never exits 0, even when the KeyboardInterrupt was swallowed
on the way (a library's reader, a worker thread) and the command ran on to the end."""

from __future__ import annotations

import subprocess
import sys

from terminal_signals import as_from_a_terminal

SCRIPT = r"""
import os, signal, sys, time
import toexcli.cli as c

built = c.build_app

def build(only=None):
    app = built(only)

    @app.command("swallow")
    def swallow():
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            pass  # what a careless library does
        print("finished")

    return app

c.build_app = build
sys.exit(c.main(["swallow"]))
"""


def test_swallowed_interrupt_still_exits_130():
    r = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60,
                       preexec_fn=as_from_a_terminal)
    assert "finished" in r.stdout, r.stderr
    assert r.returncode == 130, r.stderr
    assert "interrupted" in r.stderr and "Traceback" not in r.stderr


def test_tampered_no_interrupt_exits_0():
    r = subprocess.run([sys.executable, "-c", SCRIPT.replace("os.kill(os.getpid(), signal.SIGINT)",
                                                             "pass")],
                       capture_output=True, text=True, timeout=60,
                       preexec_fn=as_from_a_terminal)
    assert r.returncode == 0, r.stderr
