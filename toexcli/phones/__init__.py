"""Phone numbers: normalise messy values to E.164 under a documented policy, and extract them
from free text. Plain functions over pandas DataFrames; ``toex phones`` wraps them.

>>> from toexcli.phones import normalise_one
>>> normalise_one("07700 900123").e164
'+447700900123'
"""

from .normalise import (FIELDS, STATUSES, PhoneResult, check_region, normalise, normalise_one,
                        normalise_values)

__all__ = ["FIELDS", "STATUSES", "PhoneResult", "check_region", "extract", "normalise",
           "normalise_one", "normalise_values"]


def extract(df, column, region="GB", keep_all=False, **options):
    """Find every phone number in the text of ``column`` (see ``toexcli.phones.extraction``)."""
    from .extraction import extract as _extract

    return _extract(df, column, region=region, keep_all=keep_all, **options)
