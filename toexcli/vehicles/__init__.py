"""UK vehicle registrations: one normaliser for ANPR reads, custody records and intelligence logs.

    >>> import toexcli.vehicles as v
    >>> v.normalise_vrm(" ab12 cde ")
    'AB12CDE'
    >>> v.parse_vrm("AB62 CDE").period
    '2012-09/2013-02'

``normalise_values(values)`` gives one row per input value (same index) with ``vrm``,
``format``, ``valid``, ``period`` and ``status``; ``normalise(df, columns)`` inserts
``COL_vrm``, ``COL_format``, ``COL_valid``, ``COL_period`` and ``COL_status`` right after each
named column. The pandas functions load on first use, so ``toex --help`` stays fast.
"""

from __future__ import annotations

from .vrm import (FORMATS, Vrm, age_identifier_period, describe_period, latest_age_identifier,
                  normalise_vrm, parse_vrm)

_LAZY = {"normalise", "normalise_values", "OUTPUT_FIELDS"}

__all__ = [
    "FORMATS", "OUTPUT_FIELDS", "Vrm", "age_identifier_period", "describe_period",
    "latest_age_identifier", "normalise", "normalise_values", "normalise_vrm", "parse_vrm",
]


def __getattr__(name):
    if name in _LAZY:
        from . import frame as _module

        return getattr(_module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
