"""Start a child process with the Ctrl-C disposition an interactive terminal gives it.

A test run started in the background by a non-interactive shell (`make test &`, a CI runner,
`nohup`) has SIGINT ignored, and children inherit that: Python then never raises
KeyboardInterrupt, and a Ctrl-C test would see a clean exit 0 and fail for a reason that has
nothing to do with toex. Pass ``preexec_fn=as_from_a_terminal`` to put the default back."""

from __future__ import annotations

import signal


def as_from_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def as_a_background_job() -> None:
    """What `cmd &` in a shell script does: the script's own Ctrl-C must not reach the job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
