"""Find every identifier in free text: phone numbers, e-mail addresses, URLs, IP addresses,
social-media handles, UK vehicle registrations and postcodes, IBANs, sort code + account pairs,
payment cards (masked), IMEIs and cryptocurrency addresses.

    >>> from toexcli.extract import find_in_text
    >>> [(h["kind"], h["normalised"]) for h in find_in_text("pick up from AB12 CDE at 10 AM")]
    [('vrm', 'AB12CDE')]

``extract(df, columns, kinds)`` gives one row per hit (``_source``, ``_row``, column, kind,
value, normalised, valid, confidence, status, detail, start, end, context). Phone numbers come
from :mod:`toexcli.phones` and crypto addresses from :mod:`toexcli.crypto`.
"""

from .core import KINDS, OUTPUT_COLUMNS, extract, find_in_text, parse_kinds, resolve, search_texts
from .finders import Hit, card_brand, luhn_ok, mask_digits

__all__ = ["KINDS", "OUTPUT_COLUMNS", "Hit", "card_brand", "extract", "find_in_text", "luhn_ok",
           "mask_digits", "parse_kinds", "resolve", "search_texts"]
