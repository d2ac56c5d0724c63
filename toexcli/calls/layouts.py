"""Recognising a call-record return: which column plays which role, by header words AND values.

The words and codes are data (``roles.toml``); this module only scores them. A header cell is
normalised (:func:`norm_header`), compared with every role's synonyms (exact beats "all words of
the synonym are in the header"; ties go to the role listed first in the TOML), and a column
keeps a role only when a sample of its values has the role's shape (a ``Record ID`` column of
``R00001`` is not a call type; a ``Start Time`` column of ``07:45:03`` is a time of day, not a
date-time). Columns no header word names may still be recognised by their values (direction
and call-type codes, a column of date-times when nothing else holds the start).
"""

from __future__ import annotations

import functools
import os
import re
import tomllib

from ..errors import UsageError

HERE = os.path.dirname(os.path.abspath(__file__))
TIME_ROLES = ("start", "date", "time")
PARTY_ROLES = ("a_party", "b_party", "other_party", "parties", "target")
SAMPLE = 400


@functools.lru_cache(maxsize=None)
def config() -> dict:
    with open(os.path.join(HERE, "roles.toml"), "rb") as fh:
        return tomllib.load(fh)


def roles() -> dict:
    return config()["roles"]


def role_names() -> list[str]:
    return list(roles())


# ------------------------------------------------------------------------------ headers
_BRACKET_UNITS = re.compile(
    r"[(\[]\s*(?:utc|gmt|bst|z|zulu|local|uk|uk time|local time|secs?|seconds|s|mins?|hh:mm:ss|"
    r"h:mm:ss|mm:ss|m:ss|hh:mm|dd/mm/yyyy|yyyy-mm-dd|dd/mm/yy|utc[+-]\d{1,2}(?::?\d{2})?|"
    r"gmt[+-]\d{1,2}(?::?\d{2})?)\s*[)\]]", re.IGNORECASE)


def norm_header(text) -> str:
    """``'Start Date/Time (UTC)'`` -> ``'start date time'``: lower case, a bracketed zone or unit
    dropped, punctuation and ``_`` as spaces."""
    t = str(text).replace("\ufeff", "").strip().lstrip("'")
    t = _BRACKET_UNITS.sub(" ", t)
    t = re.sub(r"(?<=[a-z])(?=[A-Z][a-z])", " ", t)  # CallType -> Call Type
    t = t.lower()
    t = re.sub(r"\b(utc|gmt|bst)\b", " ", t)
    t = re.sub(r"[^a-z0-9+]+", " ", t)
    return " ".join(t.split())


@functools.lru_cache(maxsize=None)
def _synonyms() -> list[tuple[str, str, frozenset, int]]:
    out = []
    for order, (role, spec) in enumerate(roles().items()):
        for s in spec.get("synonyms", []):
            n = norm_header(s)
            out.append((role, n, frozenset(n.split()), order))
    return out


def header_candidates(header) -> list[tuple[float, int, str]]:
    """Every role a header could name, best first: (score, role order, role). Exact synonym = 2;
    all words of a synonym in the header = share of the header's words it covers (< 1)."""
    n = norm_header(header)
    if not n:
        return []
    words = n.split()
    wset = set(words)
    best: dict[str, tuple[float, int]] = {}
    for role, syn, sw, order in _synonyms():
        if syn == n:
            score = 2.0
        elif sw and sw <= wset and (len(sw) > 1 or len(syn) > 1):
            score = len(sw) / len(wset)
        else:
            continue
        if score > best.get(role, (-1, 0))[0]:
            best[role] = (score, order)
    return sorted(((s, o, r) for r, (s, o) in best.items()), key=lambda x: (-x[0], x[1]))


def header_score(cells) -> tuple[int, set]:
    """How many distinct roles a row of cells names by header words alone (to find the header
    row below a preamble), and which."""
    found = set()
    for c in cells:
        cands = header_candidates(c)
        if cands:
            found.add(cands[0][2])
    return len(found), found


def looks_like_header(cells) -> bool:
    n, found = header_score(cells)
    return n >= 3 and bool(found & set(TIME_ROLES)) and bool(
        found & set(PARTY_ROLES + ("call_type", "direction", "duration")))


# ------------------------------------------------------------------------------ value codes
@functools.lru_cache(maxsize=None)
def _code_table() -> dict[str, tuple[str | None, str | None]]:
    codes = config()["codes"]
    table: dict[str, list] = {}
    for key in ("out", "in", "forward"):
        for phrase in codes[key]:
            table.setdefault(_code_norm(phrase), [None, None])[0] = key
    for key in ("voice", "sms", "mms", "data", "voicemail", "other"):
        for phrase in codes[key]:
            entry = table.setdefault(_code_norm(phrase), [None, None])
            if entry[1] is None:
                entry[1] = key
    return {k: (v[0], v[1]) for k, v in table.items()}


def _code_norm(value: str) -> str:
    v = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(value))
    v = re.sub(r"[^A-Za-z0-9]+", " ", v).upper()
    return " ".join(v.split())


@functools.lru_cache(maxsize=65536)
def decode(value: str) -> tuple[str, str]:
    """``('out'|'in'|'forward'|'', 'voice'|'sms'|...|'')`` from a call-type or direction code
    (``MOC``, ``SMS MO``, ``mSTerminatingSMSinMSC``, ``Incoming``, ``Picture Msg``)."""
    table = _code_table()
    n = _code_norm(value)
    if not n:
        return "", ""
    direction, event = table.get(n, (None, None))
    joined = n.replace(" ", "")
    if direction is None and event is None and joined in table:
        direction, event = table[joined]
    if direction is None or event is None:
        dirs, events = set(), set()
        for w in n.split():
            d, e = table.get(w, (None, None))
            if d:
                dirs.add(d)
            if e:
                events.add(e)
        if direction is None and len(dirs) == 1:
            direction = dirs.pop()
        if event is None and events:
            # the most specific service wins: "SMS CALL" is an SMS, "VOICEMAIL CALL" voicemail
            for e in ("voicemail", "mms", "sms", "data", "voice", "other"):
                if e in events:
                    event = e
                    break
    return direction or "", event or ""


@functools.lru_cache(maxsize=None)
def missed_words() -> frozenset:
    return frozenset(_code_norm(x) for x in config()["codes"].get("missed", []))


# ------------------------------------------------------------------------------ value shapes
_DIGITS = re.compile(r"^\d{6,20}(?:\.0+)?$")
_PHONE = re.compile(r"^\+?[\d\s\-().]{3,24}$")
_NULL_PARTY = re.compile(r"^(?:withheld|private|unknown|restricted|anonymous|hidden|n/?a|none|"
                         r"unavailable|not available|no caller id|-+)$", re.IGNORECASE)
_CLOCK = re.compile(r"^(?:1899-12-3[01][T ])?\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?"
                    r"(?:\s*[AaPp]\.?\s?[Mm]\.?)?$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def shape_ok(shape: str, values: list[str]) -> bool:
    """Does a sample of non-empty values have this shape (at least 60% of them)?"""
    vals = [v for v in values if v]
    if shape == "any" or not vals:
        return True
    need = max(1, int(len(vals) * 0.6 + 0.5))
    if shape == "digits":
        return sum(bool(_DIGITS.match(v)) for v in vals) >= need
    if shape == "phone":
        good = [v for v in vals if _NULL_PARTY.match(v.strip()) or (
            _PHONE.match(v) and sum(ch.isdigit() for ch in v) >= 3)]
        return len(good) >= need and any(sum(ch.isdigit() for ch in v) >= 7 for v in good)
    if shape == "number":
        return sum(bool(_NUMBER.match(v)) for v in vals) >= need
    if shape == "clock":
        return sum(bool(_CLOCK.match(v)) for v in vals) >= need
    if shape in ("datetime", "date"):
        from ..timemodel import read_wall

        hits = 0
        for v in vals:
            if shape == "datetime" and re.fullmatch(r"\d{5}\.\d+", v) and 20000 <= float(v) < 80000:
                hits += 1  # an Excel date-time serial written as a number
                continue
            w = read_wall(v) or read_wall(v, dayfirst=False)  # 01/13/2024 is month first
            if w is None:
                continue
            if shape == "date":
                hits += w.precision == "day" or w.when.time().isoformat() == "00:00:00"
            else:
                hits += w.precision != "day"
        return hits >= need
    if shape == "duration":
        from ..timemodel import durations

        return int(durations(vals).notna().sum()) >= need
    if shape == "direction":
        return sum(bool(decode(v)[0]) for v in vals) >= need
    if shape == "code":
        return sum(any(decode(v)) for v in vals) >= need
    return True


# ------------------------------------------------------------------------------ binding
def recognise(columns: list[str], sample: dict[str, list[str]], *, user: dict | None = None):
    """Map roles to columns -> ``(bound, notes)``: ``bound`` is ``{role: column}``; ``notes``
    lists header matches refused because the values did not fit.

    ``user`` (from --map / --map-file) binds roles to named columns first; the rest are found.
    """
    spec = roles()
    bound: dict[str, str] = {}
    notes: list[str] = []
    taken: set[str] = set()
    if user:
        for role, col in user.items():
            if role not in spec and role not in ("date_time",):
                raise UsageError(f"--map: unknown role '{role}'; roles are: {', '.join(spec)}")
            if col not in columns:
                from ..errors import did_you_mean

                raise UsageError(f"--map {role}={col}: no column '{col}'{did_you_mean(col, columns)}; "
                                 f"columns are: {', '.join(columns)}")
            bound[role] = col
            taken.add(col)
    # every (score, order, role, column) a header suggests, best first
    offers = []
    for ci, col in enumerate(columns):
        if col in taken or col.startswith("_"):
            continue
        for score, order, role in header_candidates(col):
            offers.append((-score, order, ci, role, col))
    offers.sort()
    refused: set[tuple[str, str]] = set()
    for _neg, _order, _ci, role, col in offers:
        if role in bound or col in taken:
            continue
        if not shape_ok(spec[role].get("shape", "any"), sample.get(col, [])):
            if (role, col) not in refused:
                refused.add((role, col))
                notes.append(f"column '{col}' looks like {role} by name but its values do not")
            continue
        bound[role] = col
        taken.add(col)
    # a start column whose values are only dates is a date column (and the reverse)
    if "start" in bound and "date" not in bound and shape_ok("date", sample.get(bound["start"], [])) \
            and not shape_ok("datetime", sample.get(bound["start"], [])):
        bound["date"] = bound.pop("start")
    # by value: codes under headers no synonym names
    for role in ("direction", "call_type"):
        if role in bound:
            continue
        for col in columns:
            if col in taken or col.startswith("_") or not any(sample.get(col, [])):
                continue
            if shape_ok(spec[role]["shape"], sample.get(col, [])) and \
                    (role != "call_type" or sum(bool(decode(v)[1]) for v in sample[col] if v) > 0):
                bound[role] = col
                taken.add(col)
                notes.append(f"column '{col}' read as {role} from its values")
                break
    if not any(r in bound for r in ("start", "date")):
        for col in columns:
            if col in taken or col.startswith("_"):
                continue
            vals = [v for v in sample.get(col, []) if v]
            if vals and shape_ok("datetime", vals) and all(
                    _NUMBER.match(v) is None for v in vals[:20]):
                bound["start"] = col
                taken.add(col)
                notes.append(f"column '{col}' read as the start time from its values")
                break
    # a target's return with one party column (B Party, Called Number): it is the other party
    if "target" in bound and "other_party" not in bound and "parties" not in bound and \
            (("a_party" in bound) != ("b_party" in bound)):
        role = "a_party" if "a_party" in bound else "b_party"
        bound["other_party"] = bound.pop(role)
        notes.append(f"column '{bound['other_party']}' read as the other party (the return has a "
                     f"target column and one party column)")
    # no party column named in any words toex knows: columns of phone numbers, by their values
    # (two: calling then called, in the order of the file; one: the other party)
    if not any(r in bound for r in ("a_party", "b_party", "other_party", "parties")) and \
            any(r in bound for r in ("call_type", "direction", "target")):
        phones = [c for c in columns if c not in taken and not c.startswith("_")
                  and any(sample.get(c, [])) and shape_ok("phone", sample.get(c, []))
                  and not _identifier_like(sample.get(c, []))]
        if "target" not in bound and len(phones) == 2:
            bound["a_party"], bound["b_party"] = phones
            taken.update(phones)
            notes.append(f"columns '{phones[0]}' and '{phones[1]}' read as the calling and called "
                         "party from their values and order")
    # a return with a target and exactly one unnamed phone column: that is the other party
    if "target" in bound and not any(r in bound for r in ("a_party", "b_party", "other_party", "parties")):
        phones = [c for c in columns if c not in taken and not c.startswith("_")
                  and shape_ok("phone", sample.get(c, [])) and any(sample.get(c, []))
                  and not _identifier_like(sample.get(c, []))]
        if len(phones) == 1:
            bound["other_party"] = phones[0]
            notes.append(f"column '{phones[0]}' read as the other party from its values")
    return bound, notes


def _identifier_like(values: list[str]) -> bool:
    """Mostly 14-16 digit values with no leading 0 or +: IMEIs/IMSIs, not phone numbers."""
    vals = [v for v in values if v]
    ids = [v for v in vals if re.fullmatch(r"[1-9]\d{13,15}(?:\.0+)?", v)]
    return bool(vals) and len(ids) * 2 > len(vals)


def layout_name(bound: dict) -> str | None:
    """The first layout of roles.toml whose needed roles are all bound."""
    for lay in config()["layout"]:
        if all(any(alt in bound for alt in need.split("|")) for need in lay["needs"]):
            return lay["name"]
    return None


def layouts() -> list[dict]:
    return list(config()["layout"])


def from_map(pairs: dict) -> dict:
    """``--map start=When,a_party=From`` -> ``{role: column}`` (checked against the role names)."""
    out = {}
    known = roles()
    for k, v in pairs.items():
        role = k.strip().lower().replace("-", "_")
        role = {"a": "a_party", "b": "b_party", "from": "a_party", "to": "b_party",
                "other": "other_party", "type": "call_type", "handset": "target",
                "datetime": "start", "start_time": "start", "cell": "cell_first",
                "first_cell": "cell_first", "last_cell": "cell_last"}.get(role, role)
        if role not in known:
            raise UsageError(f"--map: unknown role '{k}'; roles are: {', '.join(known)}")
        out[role] = v
    return out


def from_file(path: str) -> dict:
    """A --map-file: TOML with ``[columns]`` ROLE = "Header" (or the roles at top level)."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise UsageError(f"--map-file: no such file '{path}'") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"--map-file {path}: not valid TOML ({exc})") from None
    cols = data.get("columns", data)
    return from_map({k: str(v) for k, v in cols.items() if isinstance(v, (str, int))})
