"""UK vehicle registration marks (VRMs): recognise the format, check the letters the DVLA issues,
decode the age identifier to a registration period.

Formats (on the compact, upper-case form, spaces removed):

- ``current`` (September 2001 on): ``AB12CDE`` - two memory-tag letters, a two-digit age identifier,
  three random letters. The age identifier is the year (``12`` = March-August 2012) or the year
  + 50 (``62`` = September 2012-February 2013).
- ``prefix`` (August 1983-August 2001): ``A123BCD`` - the year letter first.
- ``suffix`` (1963-July 1983): ``ABC123D`` - the year letter last.
- ``q_plate``: ``Q123ABC`` - a vehicle of unknown age or origin.
- ``northern_ireland``: ``ABZ1234`` / ``AZ1234`` - a Northern Ireland code (containing I or Z)
  and 1-4 digits (also the reversed ``1234AZ``).
- ``dateless`` (before 1963, and cherished marks): ``ABC123``, ``AB1234``, ``1234AB``, ``123ABC``.

The rules are the DVLA's published issuing rules: I, Q and Z never appear in a current-format
memory tag and I and Q never in its random letters; the first letter of a current plate is a
region letter (A-H, K-P, R, S, V, W, Y; X for personal exports); the year letters of prefix and
suffix plates skip I, O, Q, U and Z; GB letter groups of older plates never use I, Q or Z (those
are Irish codes); numbers never start with 0.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

CURRENT_REGION_LETTERS = set("ABCDEFGHKLMNOPRSVWXY")
NOT_IN_MEMORY_TAG = set("IQZ")
NOT_IN_RANDOM = set("IQ")
YEAR_LETTERS = "ABCDEFGHJKLMNPRSTVWXY"  # I, O, Q, U, Z never year letters
NOT_IN_GB_GROUP = set("IQZ")

# Northern Ireland two-letter codes (each contains I or Z).
NI_CODES = {
    "AZ", "BZ", "CZ", "DZ", "EZ", "FZ", "GZ", "HZ", "IA", "IB", "IG", "IJ", "IL", "IW", "JZ", "KZ",
    "LZ", "MZ", "NZ", "OI", "OZ", "PZ", "RZ", "SZ", "TZ", "UI", "UZ", "VZ", "WZ", "XI", "XZ", "YZ",
}

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Prefix year letters: A = August 1983-July 1984 ... R = August 1997-July 1998, then six-monthly.
_PREFIX_PERIODS: dict[str, tuple[str, str]] = {}
for _i, _letter in enumerate("ABCDEFGHJKLMNPR"):
    _PREFIX_PERIODS[_letter] = (f"{1983 + _i}-08", f"{1984 + _i}-07")
_PREFIX_PERIODS.update({
    "S": ("1998-08", "1999-02"), "T": ("1999-03", "1999-08"), "V": ("1999-09", "2000-02"),
    "W": ("2000-03", "2000-08"), "X": ("2000-09", "2001-02"), "Y": ("2001-03", "2001-08"),
})
# Suffix year letters: A = 1963, B-D calendar years, E = January-July 1967, then August-July.
_SUFFIX_PERIODS: dict[str, tuple[str, str]] = {
    "A": ("1963-01", "1963-12"), "B": ("1964-01", "1964-12"), "C": ("1965-01", "1965-12"),
    "D": ("1966-01", "1966-12"), "E": ("1967-01", "1967-07"),
}
for _i, _letter in enumerate("FGHJKLMNPRSTVWXY"):
    _SUFFIX_PERIODS[_letter] = (f"{1967 + _i}-08", f"{1968 + _i}-07")

_RE_CURRENT = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z]{3}")
_RE_PREFIX = re.compile(r"[A-Z][1-9][0-9]{0,2}[A-Z]{3}")
_RE_SUFFIX = re.compile(r"[A-Z]{3}[1-9][0-9]{0,2}[A-Z]")
_RE_LETTERS_FIRST = re.compile(r"([A-Z]{1,3})([0-9]{1,4})")
_RE_DIGITS_FIRST = re.compile(r"([0-9]{1,4})([A-Z]{1,3})")
_RE_SPACES = re.compile(r"[\s\-\.]+")

FORMATS = ("current", "prefix", "suffix", "q_plate", "northern_ireland", "dateless")


@dataclass(frozen=True)
class Vrm:
    """The verdict on one value."""

    vrm: str  # compact upper-case form ('' when no UK format matches)
    format: str  # one of FORMATS, or ''
    valid: bool
    period: str  # 'YYYY-MM/YYYY-MM' when the plate dates the vehicle, else ''
    status: str  # 'ok' or why not


def normalise_vrm(value) -> str:
    """Upper-case, no spaces, hyphens or dots: the join key (``'ab12 cde'`` -> ``'AB12CDE'``)."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN / NA
            return ""
    except (TypeError, ValueError):
        return ""
    return _RE_SPACES.sub("", str(value)).upper()


def latest_age_identifier(today: _dt.date | None = None) -> int:
    """The newest current-format age identifier issued on ``today`` (76 from September 2026)."""
    today = today or _dt.date.today()
    yy = today.year % 100
    if today.month >= 9:
        return yy + 50
    if today.month >= 3:
        return yy
    return yy - 1 + 50


def age_identifier_period(code: int) -> tuple[str, str] | None:
    """``12`` -> ('2012-03', '2012-08'); ``62`` -> ('2012-09', '2013-02'); None if never valid."""
    if 2 <= code <= 50:
        return f"{2000 + code}-03", f"{2000 + code}-08"
    if 51 <= code <= 99:
        year = 2000 + code - 50
        return f"{year}-09", f"{year + 1}-02"
    return None


def describe_period(period: str) -> str:
    """'2012-03/2012-08' -> 'Mar 2012 - Aug 2012' (for people; the data keeps the ISO form)."""
    if not period:
        return ""
    a, b = period.split("/")
    return f"{_MONTHS[int(a[5:]) - 1]} {a[:4]} - {_MONTHS[int(b[5:]) - 1]} {b[:4]}"


def _bad_letters(letters: str, banned: set[str]) -> list[str]:
    return sorted({c for c in letters if c in banned})


def _issued(code: int, latest: int) -> bool:
    """Has current-format age identifier ``code`` been issued when ``latest`` is the newest?"""
    if code <= 50:
        newest_march = latest if latest <= 50 else latest - 50
        return code <= newest_march
    return code <= latest


def _check_old(c: str, fmt: str, year_letter: str, group: str, periods) -> Vrm:
    problems = []
    if year_letter not in periods:
        problems.append(f"'{year_letter}' was never a year letter")
    bad = _bad_letters(group, NOT_IN_GB_GROUP)
    if bad:
        problems.append(f"{'/'.join(bad)} never issued in a GB letter group")
    span = periods.get(year_letter)
    period = f"{span[0]}/{span[1]}" if span else ""
    if problems:
        return Vrm(c, fmt, False, "", "; ".join(problems))
    return Vrm(c, fmt, True, period, "ok")


def _check_dateless(c: str, letters: str, digits: str) -> Vrm:
    problems = []
    if digits.startswith("0"):
        problems.append("numbers never start with 0")
    ni = letters[-2:] in NI_CODES if len(letters) >= 2 else False
    if ni:
        if "Q" in letters:
            problems.append("Q is never issued")
        if problems:
            return Vrm(c, "northern_ireland", False, "", "; ".join(problems))
        return Vrm(c, "northern_ireland", True, "", "ok")
    bad = _bad_letters(letters, NOT_IN_GB_GROUP)
    if bad:
        problems.append(f"{'/'.join(bad)} never issued in a GB letter group")
    if len(letters) == 3 and len(digits) == 4:
        problems.append("three letters with four digits is a Northern Ireland form without an NI code")
    if problems:
        return Vrm(c, "dateless", False, "", "; ".join(problems))
    return Vrm(c, "dateless", True, "", "ok")


def parse_vrm(value, today: _dt.date | None = None) -> Vrm:
    """Recognise one registration (any spacing or case) and check it against the DVLA rules."""
    c = normalise_vrm(value)
    if not c:
        return Vrm("", "", False, "", "empty")
    if not c.isascii() or not c.isalnum():
        return Vrm("", "", False, "", "not a UK registration: contains characters other than A-Z 0-9")
    if _RE_CURRENT.fullmatch(c):
        v = _check_current(c, today)
        return v
    if _RE_PREFIX.fullmatch(c):
        if c[0] == "Q":
            bad = _bad_letters(c[-3:], NOT_IN_GB_GROUP)
            if bad:
                return Vrm(c, "q_plate", False, "", f"{'/'.join(bad)} never issued in a GB letter group")
            return Vrm(c, "q_plate", True, "", "ok")
        return _check_old(c, "prefix", c[0], c[-3:], _PREFIX_PERIODS)
    if _RE_SUFFIX.fullmatch(c):
        return _check_old(c, "suffix", c[-1], c[:3], _SUFFIX_PERIODS)
    m = _RE_LETTERS_FIRST.fullmatch(c)
    if m:
        return _check_dateless(c, m.group(1), m.group(2))
    m = _RE_DIGITS_FIRST.fullmatch(c)
    if m:
        return _check_dateless(c, m.group(2), m.group(1))
    return Vrm("", "", False, "", "not a UK registration format")


def _check_current(c: str, today) -> Vrm:
    problems = []
    if c[0] not in CURRENT_REGION_LETTERS:
        problems.append(f"'{c[0]}' is not a DVLA region letter")
    if c[1] in NOT_IN_MEMORY_TAG:
        problems.append(f"'{c[1]}' is never issued in a memory tag")
    bad = _bad_letters(c[4:], NOT_IN_RANDOM)
    if bad:
        problems.append(f"{'/'.join(bad)} never issued in the last three letters")
    code = int(c[2:4])
    span = age_identifier_period(code)
    period = ""
    if span is None:
        problems.append(f"age identifier {c[2:4]} was never issued")
    else:
        period = f"{span[0]}/{span[1]}"
        latest = latest_age_identifier(today)
        if not _issued(code, latest):
            problems.append(f"age identifier {c[2:4]} is not issued yet (latest is {latest:02d})")
            period = ""
    if problems:  # no period for a mark that was never issued: it would mislead
        return Vrm(c, "current", False, "", "; ".join(problems))
    return Vrm(c, "current", True, period, "ok")
