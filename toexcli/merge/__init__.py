"""Collation and conflation: stack sources, join one table to another on normalised keys, and
resolve the rows that describe the same person, phone, account or wallet into entities.

>>> from toexcli.merge import stack, join, resolve           # doctest: +SKIP
>>> res = resolve(df, ["phone:msisdn", "email:email"], name="name", dob="dob")  # doctest: +SKIP
>>> res.table[["entity_id", "match_reasons"]]                 # doctest: +SKIP
>>> res.entities()                                            # doctest: +SKIP

``stack(frames, rename=, dedupe=)``            collate DataFrames, columns aligned by name
``read_stacked(paths, rename=, dedupe=)``      read files and stack them
``join(left, right, on, kind=, how=, threshold=)``   enrich on a normalised key
``resolve(df, ids, name=, dob=, ...)``         entity_id for every row (ResolveResult)

Submodules load on first use, so ``toex --help`` does not import pandas.
"""

_LAZY = {
    "stack": "stacking", "read_stacked": "stacking", "dedupe_rows": "stacking",
    "join": "joining",
    "resolve": "resolution", "ResolveResult": "resolution", "parse_id_specs": "resolution",
    "identifier_keys": "keys", "name_keys": "keys", "dob_keys": "keys", "normalise_name": "keys",
    "junk_mask": "keys", "ID_KINDS": "keys",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
