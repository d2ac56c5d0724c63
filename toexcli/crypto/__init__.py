"""Crypto-wallet addresses: identify, validate (exact checksum rules, offline), find in free text,
and -- only when asked -- look them up on a block explorer.

Library API (the CLI ``toex crypto`` is a thin wrapper):

- ``classify(s)`` -> dict(chain, type, valid, normalised, status, confidence, note, alternatives)
- ``check_values(values)`` -> DataFrame (same index): chain, type, valid, normalised, status,
  confidence, note -- each distinct value classified once
- ``check(df, column, recover_case=False)`` -> df with COL_chain, COL_type, COL_valid,
  COL_normalised, COL_status, COL_confidence, COL_note inserted right after COL
- ``find_in_text(text, include_invalid=False)`` -> list of hit dicts (start, end, address, ...)
- ``find(df, column, include_invalid=False)`` -> one row per hit with _source, _row, column, ...
- ``lookup(df, column, ...)`` -> see ``toexcli.crypto.explorer``
"""

from .address import classify, recover_base58_case
from .scan import CANDIDATE_RE, Finder, find_in_text


def __getattr__(name):
    # pandas-based functions are imported on first use (the CLI's --help stays fast)
    if name in ("check", "check_values", "find", "FIELDS", "FIND_COLUMNS"):
        from . import frame

        return getattr(frame, name)
    if name in ("lookup", "lookup_values", "plan_lookup"):
        from . import explorer as _lookup

        return getattr(_lookup, name)
    raise AttributeError(name)


__all__ = ["CANDIDATE_RE", "Finder", "check", "check_values", "classify", "find", "find_in_text",
           "lookup", "recover_base58_case"]
