"""toexcli: small, composable tools for intelligence analysts working on organised exploitation.

Every command of the ``toex`` CLI is a plain function here, over pandas DataFrames:

>>> import toexcli
>>> df = toexcli.read_table("calls.xlsx")                  # doctest: +SKIP
>>> toexcli.write_table(df, "calls.parquet")               # doctest: +SKIP

Heavy modules (pandas, pyarrow) load on first use so that ``toex --help`` stays fast.
"""

__version__ = "0.1.0"


def _interrupted_early(signum, frame):  # pragma: no cover - exercised through a real process
    import os

    os.write(2, b"toex: error: interrupted\n")
    os._exit(130)


def _guard_startup() -> None:
    """Run as the `toex` command, a Ctrl-C while modules are still importing exits 130 with one
    line (Python's default is a KeyboardInterrupt traceback and death by the signal). The CLI's
    main() puts the normal handler back before a command runs. Library use is unaffected.

    A Ctrl-C that the parent chose to ignore stays ignored: a shell script starts its background
    jobs (`toex convert big.csv -o out.parquet &`) with SIGINT ignored so that the script's own
    Ctrl-C does not kill them, and toex must not undo that.

    This is the first code of toex that a `toex` process runs (the console script imports this
    package before anything else), so it imports nothing that is not already loaded: ``_signal``
    is built in, where ``signal`` would import ``enum`` first (~5-30 ms, the widest part of the
    window in which Ctrl-C still showed a traceback). tests/test_interrupt_startup.py measures
    what is left."""
    import sys

    name = (sys.argv[0] if sys.argv else "").replace("\\", "/").rsplit("/", 1)[-1]
    if name in ("toex", "toex.exe"):
        import _signal

        if _signal.getsignal(_signal.SIGINT) != _signal.SIG_IGN:
            _signal.signal(_signal.SIGINT, _interrupted_early)


_guard_startup()

_LAZY = {
    "read_table": ("toexcli.io", "read_table"),
    "write_table": ("toexcli.io", "write_table"),
    "TableInput": ("toexcli.io", "TableInput"),
    "TableWriter": ("toexcli.io", "TableWriter"),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'toexcli' has no attribute {name!r}")
