"""Collation and conflation: stack sources, join one table to another on normalised keys, and
resolve the rows that describe the same person, phone, account or wallet into entities.

>>> from toexcli.merge import stack, join, resolve           # doctest: +SKIP
>>> res = resolve(df, ["phone:msisdn", "email:email"], name="name", dob="dob")  # doctest: +SKIP
>>> res.table[["entity_id", "match_reasons"]]                 # doctest: +SKIP
>>> res.entities()                                            # doctest: +SKIP
"""

from .keys import dob_keys, identifier_keys, name_keys, normalise_name
from .stack import read_stacked, stack

__all__ = ["dob_keys", "identifier_keys", "join", "name_keys", "normalise_name", "read_stacked",
           "resolve", "ResolveResult", "stack"]


def __getattr__(name):
    if name in ("resolve", "ResolveResult"):
        from . import resolve as _r
        return getattr(_r, name)
    if name == "join":
        from .join import join
        return join
    raise AttributeError(name)
