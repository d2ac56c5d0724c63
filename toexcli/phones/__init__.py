"""Phone numbers: normalise messy values to E.164 under a documented policy, and extract them
from free text. Plain functions over pandas DataFrames; ``toex phones`` wraps them.

>>> from toexcli.phones import normalise_one
>>> normalise_one("07700 900123").e164
'+447700900123'

``normalise_values(values, region)``  one row per value: e164 valid status type country network reason
``e164_values(values, region)``       only the e164 of each value (faster: keyed spellings, UK fast path)
``normalise(df, columns, region)``     adds COL_e164 ... COL_reason after each column
``extract(df, column, region)``        one row per number found in free text

The submodules load on first use, so ``toex --help`` does not import phonenumbers.
"""

_LAZY = {
    "normalise_values": "policy", "lookup_key": "policy", "e164_values": "policy", "normalise": "policy", "normalise_one": "policy", "split_multiple": "policy",
    "check_region": "policy", "PhoneResult": "policy", "FIELDS": "policy",
    "STATUSES": "policy", "find_numbers": "extraction", "LENIENCIES": "extraction",
}

__all__ = ["FIELDS", "LENIENCIES", "STATUSES", "PhoneResult", "check_region", "extract",
           "e164_values", "find_numbers", "lookup_key", "normalise", "normalise_one", "normalise_values",
           "split_multiple"]


def extract(df, column, region="GB", keep_all=False, **options):
    """One row per phone number found in the text of ``column``: see
    :func:`toexcli.phones.extraction.extract` (``leniency=``, ``keep=`` columns to carry)."""
    from .extraction import extract as _extract

    return _extract(df, column, region=region, keep_all=keep_all, **options)


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
