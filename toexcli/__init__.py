"""toexcli: small, composable tools for intelligence analysts working on organised exploitation.

Every command of the ``toex`` CLI is a plain function here, over pandas DataFrames:

>>> import toexcli
>>> df = toexcli.read_table("calls.xlsx")                  # doctest: +SKIP
>>> toexcli.write_table(df, "calls.parquet")               # doctest: +SKIP

Heavy modules (pandas, pyarrow) load on first use so that ``toex --help`` stays fast.
"""

__version__ = "0.1.0"

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
