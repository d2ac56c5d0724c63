"""UK vehicle registrations: one normaliser for ANPR reads, custody records and intelligence logs.

    >>> import toexcli.vehicles as v
    >>> v.normalise_vrm(" ab12 cde ")
    'AB12CDE'
    >>> v.normalise_values(["AB12 CDE", "10 AM"])[["vrm", "format", "valid", "period"]]

``normalise_values`` gives one row per input value (same index) with ``vrm``, ``format``,
``valid``, ``period`` and ``status``; ``normalise`` inserts ``COL_vrm``, ``COL_format``,
``COL_valid``, ``COL_period`` and ``COL_status`` right after each named column.
"""

from __future__ import annotations

from .vrm import (FORMATS, Vrm, age_identifier_period, describe_period, latest_age_identifier,
                  normalise_vrm, parse_vrm)
from .normalise import OUTPUT_FIELDS, normalise, normalise_values

__all__ = [
    "FORMATS", "OUTPUT_FIELDS", "Vrm", "age_identifier_period", "describe_period",
    "latest_age_identifier", "normalise", "normalise_values", "normalise_vrm", "parse_vrm",
]
