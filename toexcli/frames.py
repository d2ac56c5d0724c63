"""Adding derived columns beside the evidence they come from.

Every command that derives values from a column (``phone`` -> ``phone_e164`` ...) puts them
immediately after that column and never overwrites an existing column: one function does it.
"""

from __future__ import annotations

from .errors import UsageError


def insert_after(df, additions: dict, source: str = "input"):
    """A new DataFrame: ``df`` with, after each column ``c`` in ``additions``, the columns of
    ``additions[c]`` (a ``{name: values}`` dict, in order). The original columns are untouched;
    a new name that already exists is a UsageError (toex never overwrites a column)."""
    import pandas as pd

    clash = [name for new in additions.values() for name in new if name in df.columns]
    if clash:
        raise UsageError(f"{source}: column '{clash[0]}' already exists (from an earlier run?); "
                         "rename it or work on a different column (toex never overwrites a column)")
    pending = dict(additions)
    pieces = []
    for i, col in enumerate(df.columns):
        pieces.append(df.iloc[:, i])
        if col in pending:  # after the first column of that name
            for name, values in pending.pop(col).items():
                pieces.append(pd.Series(values, index=df.index, name=name)
                              if not isinstance(values, pd.Series) else values.rename(name))
    return pd.concat(pieces, axis=1)
