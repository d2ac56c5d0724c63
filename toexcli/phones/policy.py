"""Normalise messy phone numbers to E.164 under a documented policy (see the README, `phones`).

The policy in order:

1. Clean: strip whitespace, no-break spaces, bidi and zero-width marks; undo Excel guards (a
   leading ``'``, ``="07700900123"``); full-width and Arabic-Indic digits become ASCII; ``tel:``
   URIs; ``+44 (0)``, ``0044``, ``44…`` without ``+``, a stray trunk 0 after ``+44`` and the
   separators ``- . / ( )`` are left for phonenumbers, which understands them.
2. Null tokens (Withheld, Private, Unknown, Anonymous, Restricted, No Caller ID, N/A, ``-``,
   empty) give no number and status ``withheld`` or ``empty``.
3. Excel damage: a trailing ``.0`` is dropped; scientific notation is accepted only when the
   mantissa holds every digit (``7.700900123E+09``); a rounded one (``7.7009E+09``) is rejected.
4. WhatsApp ids (``447700900123@s.whatsapp.net``) are that number; the dialling prefixes
   ``141``, ``1470``, ``#31#``, ``*31#`` before a 0-led number are stripped.
5. Labels (``Mob:``) and bracketed notes with letters (``(mum)``) are removed; extensions
   (``ext. 5``, ``x5``, ``#22``) are kept out of the E.164; any other letter rejects the value
   (phonenumbers would silently read letters as keypad digits). Two numbers in one cell give
   ``multiple``; all-zero placeholders are rejected.
6. Parse with the default region; if not valid, the digits do not start with 0 and there are
   11 or more of them, retry as ``+digits`` and keep that reading only if it is valid.
7. ``e164`` is filled whenever the number is possible; ``valid`` is ``is_valid_number``.

Every distinct raw value is parsed once (an LRU cache over the values; the DataFrame functions
factorize a column and map the results back).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType, shortnumberinfo
from phonenumbers.phonenumberutil import ValidationResult

from ..errors import UsageError, did_you_mean, require_columns

FIELDS = ("e164", "valid", "status", "type", "country", "network", "reason")
STATUSES = ("ok", "possible", "invalid", "empty", "withheld", "short_code", "multiple", "unparseable")
SUFFIXES = ("e164", "valid", "status", "type", "country", "network", "reason")


class PhoneResult(NamedTuple):
    """The reading of one raw value. ``e164`` etc. are None when there is nothing to say."""

    e164: str | None
    valid: bool
    status: str
    type: str | None
    country: str | None
    network: str | None
    reason: str | None

    def as_dict(self) -> dict:
        return self._asdict()


def _nothing(status: str, reason: str | None) -> PhoneResult:
    return PhoneResult(None, False, status, None, None, None, reason)


EMPTY = _nothing("empty", None)

# ------------------------------------------------------------------------------------- tokens
WITHHELD_TOKENS = {
    "withheld", "number withheld", "withheld number", "cli withheld", "caller id withheld",
    "private", "private number", "private caller", "unknown", "unknown number", "unknown caller",
    "anonymous", "anonymous caller", "restricted", "restricted number", "no caller id",
    "no callerid", "no caller-id", "no cli", "no number", "cli not available", "not available",
    "unavailable", "number unavailable", "blocked", "hidden", "presentation restricted",
}
EMPTY_TOKENS = {
    "", "-", "--", "---", "n/a", "na", "n.a", "n/k", "nk", "none", "null", "nil", "nan", "#n/a",
    "?", "??", "not known", "not recorded", "tbc", ".",
}

TYPE_NAMES = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
}
MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.PAGER)

NOT_POSSIBLE = {
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
    ValidationResult.INVALID_LENGTH: "impossible length for this country",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "possible only as a local number (area code missing?)",
}
PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "no country code understood",
    NumberParseException.NOT_A_NUMBER: "not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}

# ----------------------------------------------------------------------------------- patterns
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")
_EXCEL_FORMULA = re.compile(r'=\s*"(.*)"')
_URI = re.compile(r"(?i)^(?:tel|callto|phone|sms|whatsapp):/{0,2}")
_WHATSAPP = re.compile(r"(?i)^\+?(\d{6,15})(?::\d+)?@(?:s\.whatsapp\.net|c\.us)$")
_LABEL = re.compile(
    r"(?i)^(?:(?:mob(?:ile)?|tel(?:ephone)?|phone|ph|cell|home|work|office|landline|fax|"
    r"contact|number|no|num|m|t|h|w)\b\.?\s*(?:no\.?|number|num)?\s*[:=.\-]?|"
    r"[^\W\d_][^\W\d_ .'/]*(?:[ .'/][^\W\d_]+){0,3}\s*[:=])\s*(?=[\d+(])")
_NOTE = re.compile(r"[(\[{][^)\]}]*[^\W\d_][^)\]}]*[)\]}]")
# ``ext. 5``, ``x5``, ``#22`` and RFC 3966's ``;ext=22`` (the form phonenumbers itself writes)
_EXTENSION = re.compile(r"(?i)[\s,;]*(?:ext(?:ension|n)?\.?\s*[=:]?|x|#)\s*(\d{1,7})\s*$")
# a marker with no digits after it (``07700 900164 x``): an empty extension, nothing to keep
_EMPTY_EXTENSION = re.compile(r"(?i)[\s,;]*(?:ext(?:ension|n)?\.?\s*[=:]?|x|#)\s*$")
_FLOAT_ZERO = re.compile(r"(\+?\d+)\.0+")
_SCIENTIFIC = re.compile(r"(\+?)(\d)(?:[.,](\d*))?[eE]\+?(\d{1,2})")
_PREFIX = re.compile(r"^(#31#|\*31#|1470|141)\s*(?=0)")
_MULTI_SPLIT = re.compile(r"\s*(?:[/,;|&\n]|\s(?:or|and)\s)\s*", re.I)
_LETTER = re.compile(r"[^\W\d_]")
_ALLOWED = re.compile(r"[^\d\s+\-./()\[\]]")
_NON_DIGIT = re.compile(r"\D")


def _ascii_digits(text: str) -> str:
    out = []
    for ch in text:
        if not ch.isascii() and ch.isdecimal():
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return "".join(out)


_DIGIT = re.compile(r"\d")


def _digit_count(text: str) -> int:
    return len(_DIGIT.findall(text))


NO_REGION = "ZZ"  # phonenumbers' unknown region: only numbers written with a country code parse


def check_region(region: str | None) -> str:
    """Upper-case a region code and check phonenumbers knows it (UsageError otherwise).

    ``None`` is the default GB; an explicit empty string means *no* default region: national
    numbers (``07700 900123``) then get no E.164 rather than silently a British one.
    """
    if region is not None and not region.strip():
        return NO_REGION
    region = (region or "GB").strip().upper()
    if region == NO_REGION:
        return region
    if region == "UK":
        region = "GB"
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise UsageError(f"unknown region '{region}'{did_you_mean(region, sorted(phonenumbers.SUPPORTED_REGIONS))}; "
                         "give an ISO 3166 alpha-2 code such as GB, AL, VN")
    return region


def as_text(value) -> str | None:
    """Turn a cell of any type into the text the policy works on (None for a missing cell)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e17:
            return str(int(value))  # a numeric cell: 7700900150.0 -> 7700900150
        return repr(value)
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    text = str(value)
    if hasattr(value, "is_integer"):  # numpy floats, Decimal
        try:
            if value != value:
                return None
            if value.is_integer():
                return str(int(value))
        except (TypeError, ValueError):
            pass
    return text


def normalise_one(value, region: str = "GB") -> PhoneResult:
    """Read one raw value under the policy; returns a :class:`PhoneResult` (a named tuple)."""
    return _normalise_cached(value, check_region(region))


@lru_cache(maxsize=1 << 18, typed=True)
def _normalise_cached(value, region: str) -> PhoneResult:
    text = as_text(value)
    if text is None:
        return EMPTY
    return _normalise_text(text, region)


_PLAIN_DIGITS = re.compile(r"\+?[0-9]{1,20}")


def _normalise_text(raw: str, region: str) -> PhoneResult:
    if _PLAIN_DIGITS.fullmatch(raw) and not raw.startswith(("141", "1470")):
        # the commonest cell of all (07700900123, 447700900123, +447700900123): no cleaning
        # step applies to it, so go straight to the all-zero check and the parse
        digits = raw.lstrip("+")
        if digits.strip("0") == "":
            return _nothing("invalid", "all-zero placeholder")
        return _read_digits(raw.startswith("+"), digits, region)
    notes: list[str] = []
    s = raw
    # 1. cleaning ---------------------------------------------------------------------------
    if not s.isascii():
        s = _INVISIBLE.sub("", s)
        s = unicodedata.normalize("NFKC", s)
        s = _DASHES.sub("-", s)
        s = _ascii_digits(s)
    s = _SPACES.sub(" ", s).strip()
    m = _EXCEL_FORMULA.fullmatch(s)
    if m:
        s = m.group(1).strip()
        notes.append('Excel ="…" guard removed')
    if s.startswith("'"):
        s = s[1:].strip()
        notes.append("Excel ' guard removed")
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        s = s[1:-1].strip()
    # 2. null tokens ------------------------------------------------------------------------
    low = s.lower().strip(" .:;,")
    if low in EMPTY_TOKENS and not (low == "" and s):
        return _nothing("empty", None if not low else f"null token '{s}'")
    if low in WITHHELD_TOKENS or low.replace("_", " ") in WITHHELD_TOKENS:
        return _nothing("withheld", f"null token '{s}'")
    # 4. URIs and WhatsApp ids ---------------------------------------------------------------
    m = _URI.match(s)
    if m:
        s = s[m.end():]
        if ";" in s:
            s, *params = s.split(";")
            for p in params:
                k, _, v = p.partition("=")
                if k.strip().lower() in ("ext", "extension", "postd") and v.strip():
                    s = f"{s} ext {v.strip()}"
        s = s.strip()
        notes.append("URI scheme removed")
    m = _WHATSAPP.match(s)
    if m:
        s = "+" + m.group(1)
        notes.append("WhatsApp id")
    # 5. labels and notes --------------------------------------------------------------------
    m = _LABEL.match(s)
    if m and m.end() > 0:
        notes.append(f"label '{s[:m.end()].strip()}' removed")
        s = s[m.end():].strip()
    if _NOTE.search(s):
        notes.append("note " + ", ".join(f"'{n}'" for n in _NOTE.findall(s)) + " removed")
        s = _SPACES.sub(" ", _NOTE.sub(" ", s)).strip()
    # two numbers in one cell
    parts = _multi_parts(s)
    if len(parts) >= 2:
        return _nothing("multiple", f"{len(parts)} numbers in one cell (use `toex phones extract` to split them)")
    # 3. Excel damage ------------------------------------------------------------------------
    m = _FLOAT_ZERO.fullmatch(s)
    if m:
        s = m.group(1)
        notes.append("trailing .0 (Excel float) removed")
    m = _SCIENTIFIC.fullmatch(s)
    if m:
        sign, lead, frac, exp = m.group(1), m.group(2), m.group(3) or "", int(m.group(4))
        if len(frac) == exp:
            s = sign + lead + frac
            notes.append("scientific notation expanded (every digit present)")
        elif len(frac) < exp:
            return _nothing("unparseable", "rounded scientific notation: digits lost")
        else:
            return _nothing("unparseable", "a decimal number, not a phone number")
    # extension
    extension = None
    m = _EXTENSION.search(s)
    if m and _digit_count(s[:m.start()]) >= 6:
        extension = m.group(1)
        s = s[:m.start()].strip()
    else:
        m = _EMPTY_EXTENSION.search(s)
        if m and _digit_count(s[:m.start()]) >= 6:
            notes.append(f"empty extension marker '{s[m.start():].strip(' ,;')}' removed")
            s = s[:m.start()].strip()
    # dialling prefixes
    m = _PREFIX.match(s)
    if m and _digit_count(s[m.end():]) >= 10:
        notes.append(f"dialling prefix {m.group(1)} removed")
        s = s[m.end():].strip()
    # letters and stray characters
    m = _LETTER.search(s)
    if m:
        return _nothing("unparseable", f"letters in the value ('{m.group(0)}'): not read as keypad digits")
    m = _ALLOWED.search(s)
    if m:
        return _nothing("unparseable", f"unexpected character '{m.group(0)}'")
    s = re.sub(r"^\+[\s+]*\+", "+", s)
    digits = _NON_DIGIT.sub("", s)
    if not digits:
        return _nothing("unparseable", "no digits")
    if digits.strip("0") == "":
        return _nothing("invalid", "all-zero placeholder")
    if extension:
        notes.append(f"extension {extension} not in E.164")
    result = _read_digits(s.lstrip("([ ").startswith("+"), digits, region)
    if notes:
        result = result._replace(reason="; ".join(notes + ([result.reason] if result.reason else [])))
    return result


def _multi_parts(s: str) -> list[str]:
    """The numbers of a cell holding two or more (``+355 67 212 3456 / 07700900303``): split on
    / , ; | & "or" "and", else on spaces between 10+ digit runs that start like a number."""
    parts = [p.strip() for p in _MULTI_SPLIT.split(s) if _digit_count(p) >= 9]
    if len(parts) < 2:
        parts = [p for p in s.split(" ") if _digit_count(p) >= 10 and p[:1] in "0+("]
    return parts


def split_multiple(value, region: str = "GB") -> list[PhoneResult]:
    """Each number of a cell that :func:`normalise_one` reads as ``multiple``, read on its own
    under the same policy (a cell with one number gives a one-item list of its own reading).
    Callers that need one identity per number (chart nodes, merge keys) use this instead of
    inventing a joined number such as ``+355672123456/07700900303``."""
    first = normalise_one(value, region)
    if first.status != "multiple":
        return [first]
    text = _SPACES.sub(" ", str(as_text(value) or "")).strip()
    if _NOTE.search(text):
        text = _SPACES.sub(" ", _NOTE.sub(" ", text)).strip()
    return [normalise_one(p, region) for p in _multi_parts(text)]


def _read_digits(has_plus: bool, digits: str, region: str) -> PhoneResult:
    # Everything phonenumbers uses is now in the sign and the digits: parse each such
    # canonical form once, however many ways it was written.
    if not has_plus and digits.startswith("00") and _idd_is_00(region) and len(digits) > 4:
        has_plus, digits = True, digits[2:]          # 0044... is +44... (the region's IDD)
    return _read_number(("+" if has_plus else "") + digits, region)


@lru_cache(maxsize=1 << 17)
def _read_number(canonical: str, region: str) -> PhoneResult:
    """Steps 6 and 7 of the policy on ``+digits`` or ``digits``."""
    has_plus = canonical.startswith("+")
    digits = canonical.lstrip("+")
    notes: list[str] = []
    try:
        number = phonenumbers.parse(canonical, region)
    except NumberParseException as exc:
        if not has_plus and len(digits) <= 6:
            short = _short_code(digits, region, notes)
            if short is not None:
                return short
        if region == NO_REGION and not has_plus:
            return _nothing("unparseable", "no country code, and no default region (--region '')")
        return _nothing("unparseable", PARSE_ERRORS.get(exc.error_type, "not a phone number"))
    if number.national_number == 0:
        return _nothing("invalid", "all-zero placeholder")
    valid, country, kind = _classify(number)
    if not valid and not has_plus and not digits.startswith("0") and len(digits) >= 11:
        try:
            retry = phonenumbers.parse("+" + digits, None)
        except NumberParseException:
            retry = None
        if retry is not None:
            r_valid, r_country, r_kind = _classify(retry)
            if r_valid:
                number, valid, country, kind = retry, True, r_country, r_kind
                notes.append("international number stored without '+'")
    possible = (ValidationResult.IS_POSSIBLE if valid
                else phonenumbers.is_possible_number_with_reason(number))
    if not valid and number.italian_leading_zero and possible == ValidationResult.IS_POSSIBLE:
        # phonenumbers kept the trunk 0 because the number is not possible without it
        # (e.g. 077009001): +44077009001 is no E.164 at all.
        return _nothing("invalid", "not possible: too short after its trunk 0")
    if not valid and possible != ValidationResult.IS_POSSIBLE:
        if not has_plus and len(digits) <= 6:
            short = _short_code(digits, region, notes)
            if short is not None:
                return short
        why = NOT_POSSIBLE.get(possible, "not a possible number")
        return _nothing("invalid", "; ".join(notes + [f"not possible: {why}"]))
    # 7. a possible (maybe valid) number --------------------------------------------------------
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not has_plus and not notes:
        if e164[1:] == digits:
            notes.append("country code written without '+'")
        elif not digits.startswith("0") and e164.endswith(digits) and _has_trunk_zero(region):
            notes.append("no trunk 0: read as a national number")
    if valid:
        network = ""
        if kind in MOBILE_TYPES:
            # loaded on first use: its data (all carriers' prefixes) costs ~0.1 s to import,
            # which callers that need only the e164 (summarise, merge keys) never pay
            from phonenumbers import carrier

            network = carrier.name_for_valid_number(number, "en")
        return PhoneResult(e164, True, "ok", TYPE_NAMES.get(kind), country, network or None,
                           "; ".join(notes) or None)
    country = phonenumbers.region_code_for_country_code(number.country_code)
    return PhoneResult(e164, False, "possible", None, country if country != "ZZ" else None, None,
                       "; ".join(notes) or None)


@lru_cache(maxsize=None)
def _idd_is_00(region: str) -> bool:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return bool(metadata is not None and metadata.international_prefix == "00")


@lru_cache(maxsize=None)
def _has_trunk_zero(region: str) -> bool:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return bool(metadata is not None and metadata.national_prefix == "0")


def _classify(number) -> tuple[bool, str | None, int]:
    """(is_valid_number, region_code_for_number, number_type) in one pass.

    The public functions each look the region up again and re-match the type patterns (three
    times for a valid +44 number); this does the same steps as phonenumbers'
    ``region_code_for_number`` + ``is_valid_number_for_region`` + ``number_type`` but matches
    each candidate region's patterns once. Falls back to the public functions if phonenumbers'
    internals ever change.
    """
    try:
        from phonenumbers.phonenumberutil import (COUNTRY_CODE_TO_REGION_CODE,
                                                  _number_type_helper)
    except ImportError:  # pragma: no cover - a future phonenumbers
        return _classify_public(number)
    regions = COUNTRY_CODE_TO_REGION_CODE.get(number.country_code)
    if not regions:
        return False, None, PhoneNumberType.UNKNOWN
    nsn = phonenumbers.national_significant_number(number)
    country, kind = None, PhoneNumberType.UNKNOWN
    if len(regions) == 1:
        country = regions[0]
    else:
        for region in regions:
            metadata = phonenumbers.PhoneMetadata.metadata_for_region(region.upper(), None)
            if metadata is None:
                continue
            if metadata.leading_digits is not None:
                if re.match(metadata.leading_digits, nsn):
                    country = region
                    break
            else:
                kind = _number_type_helper(nsn, metadata)
                if kind != PhoneNumberType.UNKNOWN:
                    return True, region, kind
        if country is None:
            return False, None, PhoneNumberType.UNKNOWN
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        number.country_code, country.upper())
    if metadata is None or (country != phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY and
                            number.country_code != phonenumbers.country_code_for_valid_region(country)):
        return False, country, PhoneNumberType.UNKNOWN
    kind = _number_type_helper(nsn, metadata)
    return kind != PhoneNumberType.UNKNOWN, country, kind


def _classify_public(number) -> tuple[bool, str | None, int]:
    valid = phonenumbers.is_valid_number(number)
    kind = phonenumbers.number_type(number) if valid else PhoneNumberType.UNKNOWN
    return valid, phonenumbers.region_code_for_number(number), kind


def _short_code(digits: str, region: str, notes: list[str]) -> PhoneResult | None:
    try:
        number = phonenumbers.parse(digits, region)
    except NumberParseException:
        return None
    if shortnumberinfo.is_emergency_number(digits, region):
        kind = "emergency"
    elif shortnumberinfo.is_valid_short_number_for_region(number, region):
        kind = "short_code"
    elif len(digits) == 5 and digits[0] != "0" and shortnumberinfo.is_possible_short_number_for_region(number, region):
        kind = "short_code"  # 5-digit SMS short codes are not all in the metadata
    else:
        return None
    return PhoneResult(None, False, "short_code", kind, region, None,
                       "; ".join(notes + [f"short code {digits}"]))


# ---------------------------------------------------------------------------- pandas functions
def _results(uniques, region: str) -> list[PhoneResult]:
    """One result per distinct value, plus EMPTY at the end (where missing values point)."""
    cached = _normalise_cached
    out = [cached(u.item() if hasattr(u, "item") else u, region) for u in uniques]
    out.append(EMPTY)
    return out


def _arrow_fields(results: list[PhoneResult], indices, suffixes=FIELDS) -> list:
    """Arrow arrays (one per field) built over the distinct results, then taken by index."""
    import pyarrow as pa

    arrays = []
    for name in suffixes:
        i = FIELDS.index(name)
        column = [r[i] for r in results]
        small = pa.array(column, type=pa.bool_() if name == "valid" else pa.string())
        arrays.append(small.take(indices))
    return arrays


_ONE_NUMBER = r"^(\+?\d[\d .\-]*|\(0\d{2,5}\)[\d .\-]+)$"


def lookup_key(values, region: str = "GB"):
    """A cheap spelling key for callers that need only ``e164`` (join keys, contact counting):
    values that can only be one number (digits with spaces, dots, hyphens, a bracketed area code;
    at most 15 digits) lose those separators, so ``07700 900123`` and ``07700-900123`` cost one
    parse. With the default region GB, the UK's international spellings of a national number
    (``+44 7700 900123``, ``0044…``, ``447700900123``) and ten digits without the trunk 0
    (``7700900123``) are keyed as the national form (``07700900123``): the policy gives them the
    same ``e164``, so a call table holding each number in four spellings costs one parse a
    number. Anything else (letters, notes, two numbers, Excel's ``.0``) is returned as written.
    The key gives the same ``e164`` as the original value; ``status``/``reason`` may differ."""
    import pandas as pd

    s = pd.Series(values, dtype="str") if not isinstance(values, pd.Series) else values.astype("str")
    stripped = s.str.strip()
    simple = stripped.str.fullmatch(_ONE_NUMBER).fillna(False)
    simple &= s.str.count(r"\d") <= 15
    # a trailing .0 is Excel's float artefact (7700900123.0), not a separator: the policy drops
    # it, while collapsing would read 77009001230
    simple &= ~stripped.str.contains(r"\d\.0+$").fillna(False)
    collapsed = s.str.replace(r"[ .\-()]", "", regex=True)
    if str(region).upper() == "GB":
        national = collapsed.str.replace(r"^(?:\+44|0044|44)([1-9]\d{9})$", r"0\1", regex=True)
        national = national.str.replace(r"^((?!44)[1-9]\d{9})$", r"0\1", regex=True)
        collapsed = national
    return s.where(~simple, collapsed)


def normalise_values(values, region: str = "GB"):
    """Normalise a list or Series of raw values: a DataFrame with one row per value, same order
    and index, columns ``e164 valid status type country network reason``.

    Each distinct value is parsed once (factorize, then the results are taken back by code).
    """
    import numpy as np
    import pandas as pd

    region = check_region(region)
    if isinstance(values, pd.Series):
        series = values
    else:
        series = pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    results = _results(uniques, region)
    codes = np.where(codes < 0, len(results) - 1, codes)
    columns = {}
    for name, arr in zip(FIELDS, _arrow_fields(results, codes)):
        if name == "valid":
            columns[name] = arr.to_numpy(zero_copy_only=False)
        else:
            columns[name] = pd.array(arr, dtype="str")
    return pd.DataFrame(columns, index=series.index)


class ArrowNormaliser:
    """The streaming form of :func:`normalise`: Arrow batches in, the same batches with the
    derived columns inserted after each named column out.

    It remembers every distinct raw value it has seen (and the Arrow arrays of their results),
    so a value repeated across batches costs one dictionary look-up, and each batch is a few
    vectorised ``take``s.
    """

    def __init__(self, columns, region: str = "GB", *, reason: bool = True):
        self.columns = list(dict.fromkeys(columns))
        self.region = check_region(region)
        self.suffixes = SUFFIXES if reason else SUFFIXES[:-1]
        self._reset()

    def _reset(self):
        self._ids: dict = {}                          # raw value -> result id
        self._results: list[PhoneResult] = [EMPTY]   # id 0: a missing cell
        self._arrays = None                           # per suffix: Arrow array over the ids
        self._known: dict = {}                        # column -> (values seen, their ids)

    def _field_arrays(self):
        import pyarrow as pa

        built = 0 if self._arrays is None else len(self._arrays[0])
        if built < len(self._results):
            new = self._results[built:]
            chunks = [pa.array([r[FIELDS.index(n)] for r in new],
                               type=pa.bool_() if n == "valid" else pa.string())
                      for n in self.suffixes]
            self._arrays = chunks if self._arrays is None else [
                pa.concat_arrays([old, chunk]) for old, chunk in zip(self._arrays, chunks)]
        return self._arrays

    def _global_ids(self, col, dictionary):
        """Result ids for the distinct values of one batch's column (an Arrow array)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if len(self._results) > 1 << 20:             # bound memory on endless distinct values
            self._reset()
        known = self._known.get(col)
        if known is not None and known[0].type != dictionary.type:
            known = None
        if known is None:
            known = (pa.array([], type=dictionary.type), pa.array([], type=pa.int32()))
        values, ids = known
        pos = pc.index_in(dictionary, value_set=values)
        missing = pc.is_null(pos)
        if pc.any(missing).as_py():
            new_values = dictionary.filter(missing)
            new_ids = []
            for value in new_values.to_pylist():
                i = self._ids.get(value)
                if i is None:
                    i = self._ids[value] = len(self._results)
                    self._results.append(_normalise_cached(value, self.region))
                new_ids.append(i)
            values = pa.concat_arrays([values, new_values])
            ids = pa.concat_arrays([ids, pa.array(new_ids, type=pa.int32())])
            self._known[col] = (values, ids)
            pos = pc.index_in(dictionary, value_set=values)
        return ids.take(pos)

    def __call__(self, batch):
        import pyarrow as pa
        import pyarrow.compute as pc

        derived = {}
        for col in self.columns:
            data = batch.column(col)
            if isinstance(data, pa.ChunkedArray):
                data = data.combine_chunks()
            encoded = data if pa.types.is_dictionary(data.type) else pc.dictionary_encode(data)
            gid = self._global_ids(col, encoded.dictionary)
            rows = pc.fill_null(gid.take(encoded.indices), 0)
            derived[col] = [(f"{col}_{s}", arr.take(rows))
                            for s, arr in zip(self.suffixes, self._field_arrays())]
        names, arrays = [], []
        for i, field in enumerate(batch.schema):
            names.append(field.name)
            arrays.append(batch.column(i))
            for name, arr in derived.pop(field.name, ()):
                names.append(name)
                arrays.append(arr)
        cls = pa.Table if isinstance(batch, pa.Table) else pa.RecordBatch
        return cls.from_arrays(arrays, names=names)


def normalise(df, columns=None, region: str = "GB", *, source: str = "input", reason: bool = True):
    """Add ``COL_e164 COL_valid COL_status COL_type COL_country COL_network`` (and
    ``COL_reason`` unless ``reason=False``) immediately after each named column.

    The original columns are untouched; a missing column raises UsageError (with "did you
    mean"). A Series is treated as a one-column frame named after it (or ``phone``).
    """
    import pandas as pd

    if isinstance(df, pd.Series):
        name = df.name if df.name is not None else "phone"
        df = df.to_frame(name)
        columns = [name] if columns is None else columns
    if isinstance(columns, str):
        columns = [columns]
    columns = list(dict.fromkeys(columns or []))
    if not columns:
        raise UsageError("give at least one column to normalise (-c COLUMN)")
    require_columns(df.columns, columns, source)
    region = check_region(region)
    suffixes = SUFFIXES if reason else SUFFIXES[:-1]
    from ..frames import insert_after

    derived = {}
    for col in columns:
        result = normalise_values(df[col], region)
        derived[col] = {f"{col}_{s}": result[s] for s in suffixes}
    return insert_after(df, derived, source)


# ------------------------------------------------------------------------- e164 only, fast
@lru_cache(maxsize=None)
def _uk_fast_rules():
    """What the fast path needs from phonenumbers' GB metadata, or None when the metadata is not
    the shape the fast path was proved against (then every value takes the full path).

    The proof (phonenumbers 9.x ``parse`` + the policy's steps 6-7), for ASCII digits
    ``0`` + NSN with NSN ``[1-9]`` and a length GB numbers may have (10):
    no ``+`` and not the IDD ``00``, so the country code is GB's 44 (the "starts with 44" rule
    only looks at digits starting 44); the national prefix for parsing matches exactly the
    leading ``0`` and GB has no transform rule, so the ``0`` is stripped unless the whole
    11-digit text is itself a viable GB national number (checked per value); the NSN's length is
    a possible GB length and not a local-only one, so ``is_possible_number`` says IS_POSSIBLE
    and the policy gives an E.164 (valid or merely possible) of ``+44`` + NSN; no leading zero
    is kept (the NSN starts 1-9), and the policy's retry as ``+digits`` only happens for values
    not starting 0. ``+44`` + NSN: the country code is read from the ``+``; the national prefix
    pattern is applied to the NSN itself, and is stripped only when it matches and the NSN is
    not viable as it stands (checked per value); then the same length rule.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("GB")
    if metadata is None or metadata.country_code != 44:
        return None
    if phonenumbers.region_code_for_country_code(44) != "GB":
        return None
    if metadata.national_prefix != "0" or metadata.national_prefix_transform_rule:
        return None
    if metadata.international_prefix != "00" or not metadata.national_prefix_for_parsing:
        return None
    desc = metadata.general_desc
    lengths = tuple(desc.possible_length or ())
    local = tuple(desc.possible_length_local_only or ())
    if 10 not in lengths or 10 in local or lengths[0] == -1:
        return None
    return (re.compile(metadata.national_prefix_for_parsing),
            re.compile(desc.national_number_pattern))


_UK_NATIONAL = re.compile(r"0[1-9][0-9]{9}")
_UK_E164 = re.compile(r"\+44[1-9][0-9]{9}")


def _uk_fast_e164(value: str, rules) -> str | None:
    """The E.164 of a plain UK national (``07700900123``) or E.164 (``+447700900123``) text,
    exactly as the full policy gives it; None when the value is not one of these two shapes
    or the fast path cannot be sure (the caller then takes the full path)."""
    prefix, general = rules
    if _UK_NATIONAL.fullmatch(value):
        m = prefix.match(value)
        if m is None or m.end() != 1 or general.fullmatch(value):
            return None
        return "+44" + value[1:]
    if _UK_E164.fullmatch(value):
        nsn = value[3:]
        if prefix.match(nsn) and not general.fullmatch(nsn):
            return None
        return value
    return None


_ASCII_DIGITS = re.compile(r"\+?[0-9]{1,15}")
_UK_INTERNATIONAL = re.compile(r"(?:\+44|0044|44)([1-9][0-9]{9})")
_UK_NO_TRUNK = re.compile(r"[1-9][0-9]{9}")


def _digit_key(value: str) -> str:
    """:func:`lookup_key` of a value of ASCII digits with at most one leading ``+`` (at most 15
    digits), region GB, without pandas: such a value has no separator to remove, so its key is
    only the UK folding (``+44``/``0044``/``44`` + 10 digits, or 10 digits not starting 44,
    become ``0`` + 10 digits). A test checks it against lookup_key on thousands of values."""
    m = _UK_INTERNATIONAL.fullmatch(value)
    if m:
        return "0" + m.group(1)
    if _UK_NO_TRUNK.fullmatch(value) and not value.startswith("44"):
        return "0" + value
    return value


def e164_values(values, region: str = "GB") -> list:
    """Only the ``e164`` of each value (None where the policy gives none): the same as
    ``normalise_values(values, region)["e164"]``, for callers that need nothing else (contact
    counting, join keys). Spellings are keyed first (:func:`lookup_key`), and with the region
    GB a plain national ``0`` + 10 digits or ``+44`` + 10 digits is written as E.164 straight
    away (see :func:`_uk_fast_rules` for why that is what phonenumbers gives); every other
    value goes through the full policy, once per distinct key."""
    import pandas as pd

    region = check_region(region)
    values = values.tolist() if isinstance(values, pd.Series) else list(values)
    rules = _uk_fast_rules() if region == "GB" else None
    keys: list = [None] * len(values)
    rest = []
    for i, v in enumerate(values):
        if rules is not None and isinstance(v, str) and _ASCII_DIGITS.fullmatch(v):
            keys[i] = _digit_key(v)      # lookup_key's own answer, without pandas
        else:
            rest.append(i)
    if rest:
        looked = lookup_key(pd.Series([values[i] for i in rest], dtype="str"), region=region).tolist()
        for i, k in zip(rest, looked):
            keys[i] = k
    found: dict = {}
    for k in dict.fromkeys(keys):
        e = None
        if isinstance(k, str):
            if rules is not None:
                e = _uk_fast_e164(k, rules)
            if e is None:
                e = _normalise_cached(k, region).e164
        found[k] = e
    return [found[k] for k in keys]
