"""Node identities: each distinct value of a column becomes one normalised identity of a type.

A link chart is only as good as its identities: ``07700 900123``, ``07700900123`` and
``+44 7700 900123`` are one handset, ``ab12 cde`` and ``AB12CDE`` one vehicle. Every distinct
raw value is normalised once (``pd.unique`` then mapped back), by the project's own normaliser
for the type where there is one (``toexcli.phones.normalise_values``,
``toexcli.vehicles.normalise_vrm``).

Values that name nobody (blank, ``Withheld``, ``Unknown``, ``N/A``...) get no identity: a chart
node called "Withheld" would join every withheld call into one fake hub. They are counted and
reported, never silently dropped from the evidence (the input table is not changed).
"""

from __future__ import annotations

import re

import pandas as pd

TYPES = ("phone", "person", "vehicle", "account", "wallet", "email", "address", "entity")

# Words that mean "no value" in exports; compared after lower-casing and stripping punctuation.
PLACEHOLDERS = {
    "", "withheld", "withheld number", "private", "private number", "unknown", "unavailable",
    "not available", "restricted", "anonymous", "n/a", "na", "none", "null", "nil", "-", "--",
    "?", "number withheld", "no caller id", "blocked", "hidden",
}

# Column-name hints, tried in order; the first type whose pattern matches the name wins.
_NAME_HINTS = [
    ("email", r"e-?mail"),
    ("wallet", r"wallet|crypto|btc|eth|usdt|address_?to|address_?from|blockchain"),
    ("vehicle", r"\bvrm\b|vehicle|\breg\b|registration|number_?plate|plate|\banpr\b"),
    ("account", r"account|acct|iban|sort_?code|\bpayee\b|\bpayer\b|beneficiary"),
    ("phone", r"phone|mobile|msisdn|caller|callee|number|\bnum\b|\btel\b|a_?party|b_?party|"
              r"\bfrom\b|\bto\b|sender|recipient|contact|handset|target"),
    ("address", r"address|postcode|street|premises|location"),
    ("person", r"name|person|suspect|nominal|subject|owner|keeper|driver|victim"),
]

MULTI = "\x1e"  # joins the identities of a cell holding several numbers (split into nodes)

_PHONE_LIKE = re.compile(r"^\s*\+?[\d\s().-]{6,20}\s*$")


def guess_type(column: str, values: pd.Series | None = None) -> str | None:
    """A type for ``column`` from its name, else from its values; None when nothing fits."""
    name = re.sub(r"[\s/]+", "_", column.strip().lower())
    for kind, pattern in _NAME_HINTS:
        if re.search(pattern, name):
            return kind
    if values is not None:
        sample = pd.Series(pd.unique(values.dropna().astype(str)))[:500]
        sample = sample[sample.str.strip() != ""]
        if len(sample):
            if sample.str.contains("@", regex=False).mean() > 0.8:
                return "email"
            if sample.str.match(_PHONE_LIKE).mean() > 0.8:
                return "phone"
    return None


def is_placeholder(values: pd.Series) -> pd.Series:
    low = values.fillna("").astype(str).str.strip().str.lower().str.strip(" .:;,()[]")
    return low.isin(PLACEHOLDERS)


def _collapse(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.replace(r"\s+", " ", regex=True).str.strip()


def _phones(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """E.164 where the number parses; the compacted raw digits otherwise (status says why)."""
    result = None
    try:
        from ..phones import normalise_values  # the project's phone policy
    except ImportError:
        normalise_values = None
    if normalise_values is not None:
        result = normalise_values(values, region="GB")
        e164 = pd.Series(result["e164"].to_numpy(dtype=object), index=values.index)
        status = pd.Series(result["status"].to_numpy(dtype=object), index=values.index)
    else:
        e164, status = _phones_fallback(values)
    if normalise_values is not None and (status == "multiple").any():
        # two numbers in one cell: one identity per number (joined by MULTI, exploded later),
        # read by toexcli.phones' own splitting, never one joined bogus number
        from ..phones import split_multiple

        for i in status.index[status == "multiple"]:
            got = [r.e164 for r in split_multiple(values[i], "GB") if r.e164]
            if len(got) >= 2:
                e164[i] = MULTI.join(dict.fromkeys(got))
                status[i] = f"{len(got)} numbers in one cell (split)"
    e164 = e164.astype(object).where(e164.notna(), "")
    e164 = e164.map(lambda v: "" if v is None or v != v else str(v))
    status = status.astype(object).map(lambda v: "" if v is None or v != v else str(v))
    raw = values.fillna("").astype(str)
    compact = raw.str.replace(r"[\s().-]", "", regex=True)
    # scientific notation (a rounded Excel number) keeps its point: 7.7009E+09, not 77009E+09
    sci = raw.str.contains(r"\d[eE][+-]?\d", regex=True)
    compact = compact.where(~sci, raw.str.replace(r"\s", "", regex=True))
    has_digits = raw.str.contains(r"\d", regex=True)
    ident = e164.where(e164 != "", compact.where(has_digits, ""))
    ok = (e164 != "")
    status = status.where(~ok | (status != ""), "ok")
    status = status.where(ok | (status != ""), "not a phone number")
    return ident, status


def _phones_fallback(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Used only when toexcli.phones is not in this checkout: phonenumbers, region GB."""
    import phonenumbers

    def one(v: str):
        try:
            n = phonenumbers.parse(v, "GB")
        except phonenumbers.NumberParseException as exc:
            return "", f"not a phone number ({exc.error_type.name.lower()})"
        if not phonenumbers.is_possible_number(n):
            return "", "not a possible number"
        return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164), "ok"

    pairs = [one(v) for v in values.fillna("").astype(str)]
    return (pd.Series([p[0] for p in pairs], index=values.index, dtype=object),
            pd.Series([p[1] for p in pairs], index=values.index, dtype=object))


def _vehicles(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    try:
        from ..vehicles import normalise_vrm
    except ImportError:
        normalise_vrm = None
    simple = values.fillna("").astype(str).str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)
    if normalise_vrm is None:
        return simple, pd.Series("ok", index=values.index, dtype=object)
    out = pd.Series([normalise_vrm(v) for v in values], index=values.index, dtype=object)
    out = out.map(lambda v: "" if v is None or v != v else str(v))
    status = pd.Series("ok", index=values.index, dtype=object)
    return out.where(out != "", simple), status


def _accounts(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.upper().str.replace(r"[\s\-./]", "", regex=True)


_EVM = re.compile(r"^0[xX][0-9a-fA-F]{40}$")
_BECH32 = re.compile(r"^(bc|tb|ltc|bcrt)1[0-9a-zA-Z]{6,}$", re.IGNORECASE)


def _wallet(v: str) -> str:
    v = v.strip()
    if _EVM.match(v) or _BECH32.match(v):
        return v.lower()  # case carries no identity here (checksum casing only)
    return v


def _emails(values: pd.Series) -> pd.Series:
    return (values.fillna("").astype(str).str.strip().str.replace(r"^mailto:", "", regex=True,
                                                                       case=False).str.lower())


def normalise(values, kind: str) -> pd.DataFrame:
    """Identity and status for each value (index kept): ``identity`` is '' for no identity.

    Works on the distinct values only and maps them back, so a million call records with ten
    thousand numbers normalise ten thousand values.
    """
    if kind not in TYPES:
        raise ValueError(f"unknown type {kind!r}; use one of {', '.join(TYPES)}")
    values = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    raw = values.astype(object).map(lambda v: "" if v is None or v != v else str(v))
    codes, uniques = pd.factorize(raw)
    distinct = pd.Series(list(uniques), dtype=object)
    placeholder = is_placeholder(distinct)
    if kind == "phone":
        ident, status = _phones(distinct)
    elif kind == "vehicle":
        ident, status = _vehicles(distinct)
    else:
        if kind == "account":
            ident = _accounts(distinct)
        elif kind == "wallet":
            ident = distinct.map(_wallet)
        elif kind == "email":
            ident = _emails(distinct)
        elif kind in ("person", "address"):
            ident = _collapse(distinct).str.upper()
        else:
            ident = _collapse(distinct)
        status = pd.Series("ok", index=distinct.index, dtype=object)
    ident = pd.Series(list(ident), dtype=object)
    status = pd.Series(list(status), dtype=object)
    blank = distinct.str.strip() == ""
    ident = ident.where(~placeholder, "")
    status = status.where(~placeholder, "no identity (placeholder)")
    status = status.where(~blank, "blank")
    status = status.where((ident != "") | blank | placeholder, status.where(status != "ok", "no identity"))
    out = pd.DataFrame({"identity": ident.to_numpy()[codes], "status": status.to_numpy()[codes]},
                       index=values.index)
    return out


# ------------------------------------------------------------------------------ display forms
_SORT_ACC = re.compile(r"^(\d{2})(\d{2})(\d{2})(\d{8})$")
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_VRM_CURRENT = re.compile(r"^([A-Z]{2}\d{2})([A-Z]{3})$")
_VRM_PREFIX = re.compile(r"^([A-Z]\d{1,3})([A-Z]{3})$")
_VRM_SUFFIX = re.compile(r"^([A-Z]{3})(\d{1,3}[A-Z])$")


def _phone_display(e164: str) -> str:
    if not e164.startswith("+"):
        return e164
    try:
        import phonenumbers

        n = phonenumbers.parse(e164, None)
        fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if n.country_code == 44
               else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return phonenumbers.format_number(n, fmt)
    except Exception:  # noqa: BLE001 - a display form must never stop a chart
        return e164


def display(identity: str, kind: str, raw: str = "") -> str:
    """The form a person reads (``07700 900202``, ``20-32-06 13152170``, ``LB07 SEU``) of a
    normalised identity (``+447700900202``, ``20320613152170``, ``LB07SEU``). Identities stay
    normalised for matching and export; only labels use this. An account whose identity is not
    a UK sort code + number or an IBAN keeps the spelling first seen (its separators)."""
    identity = "" if identity is None else str(identity)
    raw = re.sub(r"\s+", " ", "" if raw is None else str(raw)).strip()
    if kind == "phone":
        return _phone_display(identity)
    if kind == "account":
        m = _SORT_ACC.match(identity)
        if m:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)} {m.group(4)}"
        if _IBAN.match(identity):
            return " ".join(identity[i:i + 4] for i in range(0, len(identity), 4))
        return raw or identity
    if kind == "vehicle":
        for pattern in (_VRM_CURRENT, _VRM_PREFIX, _VRM_SUFFIX):
            m = pattern.match(identity)
            if m:
                return f"{m.group(1)} {m.group(2)}"
        return identity
    if kind == "wallet":
        return identity if len(identity) <= 16 else f"{identity[:8]}…{identity[-6:]}"
    if kind in ("person", "address", "entity", "group"):
        return raw or identity
    return identity
