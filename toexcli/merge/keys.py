"""Match keys: each kind of identifier normalised to one comparable value.

Every function takes a pandas Series of text and returns a Series of keys (missing = no key),
normalising each DISTINCT value once. Phone numbers go through ``toexcli.phones`` and vehicle
registrations through ``toexcli.vehicles`` (the same code as ``toex phones`` / ``toex vehicles``),
so a number matches here exactly when those commands would give it the same E.164.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ..errors import UsageError

# Kinds an identifier column can be. Aliases map to the canonical kind.
ID_KINDS = ("phone", "email", "imei", "wallet", "account", "vrm", "passport", "id", "exact")
KIND_ALIASES = {
    "tel": "phone", "mobile": "phone", "msisdn": "phone", "number": "phone",
    "mail": "email", "e-mail": "email",
    "imsi": "id", "device": "imei",
    "crypto": "wallet", "address": "wallet",
    "bank": "account", "iban": "account", "sortcode": "account",
    "reg": "vrm", "registration": "vrm", "plate": "vrm", "vehicle": "vrm",
    "licence": "passport", "license": "passport", "document": "passport", "pnc": "id", "cro": "id",
    "nino": "id", "ni": "id",
}
JOIN_KINDS = ("exact", "phone", "email", "vrm", "name")


def canonical_kind(kind: str, allowed=ID_KINDS) -> str:
    k = kind.strip().lower()
    k = KIND_ALIASES.get(k, k)
    if k not in allowed:
        raise UsageError(f"unknown identifier kind '{kind}'; use one of {', '.join(allowed)}")
    return k


def canonical_column_name(name: str) -> str:
    """How column names are compared when stacking: case, spacing and punctuation-insensitive
    (``Phone Number`` = ``phone_number`` = ``PHONE-NUMBER``, ``E-mail`` = ``email``)."""
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    text = re.sub(r"[^0-9a-z]+", "", text)
    return text or str(name)


def find_column(columns, name: str, source: str = "input") -> str:
    """The column of ``columns`` matching ``name`` exactly, else case/spacing-insensitively."""
    from ..errors import require_columns

    columns = list(columns)
    if name in columns:
        return name
    wanted = canonical_column_name(name)
    for c in columns:
        if canonical_column_name(c) == wanted:
            return c
    require_columns(columns, [name], source)
    return name  # unreachable


def factorize_text(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``(codes, uniques)``: each row's position among the distinct values (text; -1 = missing).
    A categorical column (dictionary-encoded when read) is used as it is."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        return codes, pd.Series(values.cat.categories.astype("str"), dtype="str")
    s = values.astype("str") if values.dtype != "str" else values
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, pd.Series(uniques, dtype="str")


def codes_of(codes: np.ndarray, keys: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Row codes into distinct values + a key per distinct value (missing/blank = none) ->
    ``(row codes into the distinct keys, distinct keys)``."""
    keys = pd.Series(keys, dtype="str").reset_index(drop=True)
    keys = keys.where(keys.str.len() > 0)
    kcodes, kuniq = pd.factorize(keys, use_na_sentinel=True)
    small = np.int32 if len(kuniq) < 2**31 - 1 else np.int64
    lookup = np.append(kcodes.astype(small), small(-1))  # code -1 (missing) picks the trailing -1
    return lookup[codes], pd.Series(kuniq, dtype="str")


def distinct_codes(values: pd.Series, fn) -> tuple[np.ndarray, pd.Series]:
    """``fn`` applied once per distinct value, kept as integer codes: ``(codes, keys)`` where
    ``keys`` holds the distinct non-missing keys (text) and ``codes[i]`` is the position of row
    i's key in it, or -1 when the value gives no key (missing, blank). Nothing per row is text,
    so memory grows with the distinct values, not with the rows."""
    codes, uniques = factorize_text(values)
    keys = fn(uniques.str.strip()) if len(uniques) else pd.Series([], dtype="str")
    return codes_of(codes, keys)


def _map_distinct(values: pd.Series, fn) -> pd.Series:
    """Apply ``fn`` (a function over a Series of distinct non-missing values returning keys) once
    per distinct value and map the result back; missing and blank values give no key."""
    s = values.astype("str") if values.dtype != "str" else values
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    uniques = pd.Series(uniques, dtype="str")
    keys = fn(uniques.str.strip()) if len(uniques) else pd.Series([], dtype="str")
    keys = pd.Series(keys, dtype="str").reset_index(drop=True)
    keys = keys.where(keys.str.len() > 0)
    out = keys.to_numpy(dtype=object, na_value=None)
    out = np.append(out, None)[codes]  # code -1 (missing) picks the trailing None
    return pd.Series(out, index=values.index, dtype="str")


# ------------------------------------------------------------------------------ per-kind keys

def _phone_keys(u: pd.Series, region: str = "GB") -> pd.Series:
    try:
        from ..phones import normalise_values
    except ImportError:  # pragma: no cover - the phones domain is part of the package
        raise UsageError("phone matching needs toexcli.phones, which is not installed")
    res = normalise_values(list(u), region=region)
    e164 = pd.Series(res["e164"].to_numpy(dtype=object, na_value=None), dtype="str")
    status = pd.Series(res["status"].to_numpy(dtype=object, na_value=None), dtype="str").str.lower()
    nokey = status.isin(["withheld", "empty", "invalid", "unparseable"])
    return e164.where(~nokey.fillna(False).to_numpy())


def _vrm_keys(u: pd.Series) -> pd.Series:
    try:
        from ..vehicles import normalise_values
    except ImportError:  # pragma: no cover
        raise UsageError("vrm matching needs toexcli.vehicles, which is not installed")
    res = normalise_values(list(u))
    vrm = pd.Series(res["vrm"].to_numpy(dtype=object, na_value=None), dtype="str")
    return vrm


def _email_keys(u: pd.Series) -> pd.Series:
    s = u.str.strip().str.lower().str.replace(r"^mailto:", "", regex=True)
    s = s.str.strip("<>\"' ")
    return s.where(s.str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+").fillna(False))


def _imei_keys(u: pd.Series) -> pd.Series:
    # 14 digits identify the device (TAC + serial): the 15th is a check digit, IMEISV adds 2.
    d = u.str.replace(r"\D", "", regex=True)
    n = d.str.len()
    key = d.where(~n.isin([14, 15, 16]), d.str.slice(0, 14))
    return key.where(n >= 8)


def _wallet_keys(u: pd.Series) -> pd.Series:
    s = u.str.strip()
    low = s.str.lower()
    # hex (0x...) and bech32 (bc1/ltc1/tb1...) addresses are case-insensitive; base58 is not.
    insensitive = low.str.match(r"^(0x[0-9a-f]+|(bc|tb|ltc|bcrt)1[02-9ac-hj-np-z]+)$").fillna(False)
    return s.where(~insensitive, low)


def _alnum_upper(u: pd.Series) -> pd.Series:
    return u.str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)


def _account_keys(u: pd.Series) -> pd.Series:
    s = _alnum_upper(u)
    return s.where(s.str.len() >= 6)


def _exact_keys(u: pd.Series) -> pd.Series:
    return u.str.strip()


def _generic_vrm(u: pd.Series) -> pd.Series:
    return _alnum_upper(u)


KEYERS = {
    "phone": _phone_keys, "email": _email_keys, "imei": _imei_keys, "wallet": _wallet_keys,
    "account": _account_keys, "vrm": _vrm_keys, "passport": _alnum_upper, "id": _alnum_upper,
    "exact": _exact_keys,
}


def identifier_keys(values: pd.Series, kind: str, region: str = "GB") -> pd.Series:
    """Normalised match keys for one identifier column (missing where the value gives no key)."""
    kind = canonical_kind(kind, ID_KINDS + ("name",))
    if kind == "name":
        return name_keys(values)
    fn = KEYERS[kind]
    if kind == "phone":
        # collapse each distinct value's separators first (cheap), then parse each distinct
        # remaining text once through toexcli.phones
        from ..phones import lookup_key

        return _map_distinct(values, lambda u: _map_distinct(lookup_key(u, region),
                                                             lambda v: _phone_keys(v, region)))
    return _map_distinct(values, fn)


def identifier_codes(values: pd.Series, kind: str, region: str = "GB") -> tuple[np.ndarray, pd.Series]:
    """Like :func:`identifier_keys` but as ``(codes, keys)`` (see :func:`distinct_codes`)."""
    kind = canonical_kind(kind, ID_KINDS + ("name",))
    if kind == "name":
        return name_codes(values)
    fn = KEYERS[kind]
    if kind == "phone":
        return distinct_codes(values, phone_keyer(region))
    return distinct_codes(values, fn)


def phone_keyer(region: str = "GB"):
    """The phone key of each of a Series of distinct values: each UK spelling collapsed first
    (cheap), then each remaining text parsed once through toexcli.phones."""
    from ..phones import lookup_key

    return lambda u: _map_distinct(lookup_key(u, region), lambda v: _phone_keys(v, region))


# ------------------------------------------------------------------------------------ junk

# Values that are placeholders, not identifiers: linking on them chains strangers together.
JUNK = {
    "phone": {"+447000000000", "+440000000000", "+4400000000000", "+447777777777", "+447999999999",
              "+441234567890", "+447123456789", "+440", "+44"},
    "email": {"none@none.com", "na@na.com", "n/a@n/a.com", "noemail@noemail.com", "no@email.com",
              "test@test.com", "unknown@unknown.com", "example@example.com", "a@a.com",
              "noemail@gmail.com", "none@gmail.com", "x@x.com", "nil@nil.com"},
    "imei": {"00000000000000", "12345678901234", "35000000000000", "99999999999999"},
    "account": {"00000000", "000000000000", "12345678", "11111111", "99999999", "00000000000000"},
    "passport": {"UNKNOWN", "NONE", "NA", "NIL", "NOTKNOWN", "REFUSED", "000000000"},
    "id": {"UNKNOWN", "NONE", "NA", "NIL", "NOTKNOWN", "REFUSED"},
    "vrm": {"UNKNOWN", "NONE", "NOTKNOWN", "NOPLATE", "NOPLATES", "NA"},
    "wallet": set(),
    "exact": set(),
}
_PLACEHOLDER_TEXT = {"", "unknown", "none", "null", "nil", "n/a", "na", "not known", "refused",
                     "withheld", "private", "-", "--", "?", "0", "x", "xx", "xxx", "tbc", "no"}


def junk_mask(keys: pd.Series, kind: str, extra=()) -> pd.Series:
    """True where a key is a known placeholder: the built-in list for its kind, the ``extra``
    values (already normalised by the caller), one digit repeated, or a run like 123456789."""
    kind = canonical_kind(kind, ID_KINDS + ("name",))
    listed = set(JUNK.get(kind, set())) | set(extra)
    k = keys.fillna("")
    bare = k.str.replace(r"^\+?(44)?", "", regex=True) if kind == "phone" else k
    digits = bare.str.replace(r"\D", "", regex=True)
    repeated = pd.Series(False, index=keys.index)
    for d in "0123456789":  # one digit repeated (RE2 has no back-references)
        repeated |= digits.str.fullmatch(d + "{6,}").fillna(False)
    runs = digits.isin(["123456789", "1234567890", "0123456789", "01234567890", "987654321",
                        "9876543210", "12345678", "7123456789", "7000000000"])
    placeholder = k.str.lower().isin(_PLACEHOLDER_TEXT)
    return (k.isin(listed) | repeated | runs | placeholder) & keys.notna()


# ------------------------------------------------------------------------------------ names

NICKNAMES = {
    "robert": "bob bobby rob robbie robby bert",
    "william": "bill billy will willy liam wil",
    "james": "jim jimmy jamie jimbo",
    "michael": "mike mick mickey mikey micky",
    "david": "dave davy davey",
    "stephen": "steve steven stevie",
    "thomas": "tom tommy",
    "anthony": "tony antony",
    "andrew": "andy drew",
    "christopher": "chris kit",
    "daniel": "dan danny",
    "joseph": "joe joey",
    "john": "jon johnny jonny jack",
    "kenneth": "ken kenny",
    "matthew": "matt matty",
    "nicholas": "nick nicky nicolas",
    "patrick": "pat paddy",
    "peter": "pete",
    "richard": "rick ricky dick rich richie",
    "samuel": "sam sammy",
    "edward": "ted ed eddie ned",
    "alexander": "alex sandy alec",
    "benjamin": "ben benny",
    "charles": "charlie chas chuck",
    "frederick": "fred freddie freddy",
    "gregory": "greg",
    "henry": "harry hal",
    "lawrence": "larry laurence",
    "leonard": "len lenny",
    "philip": "phil phillip",
    "ronald": "ron ronnie",
    "timothy": "tim timmy",
    "vincent": "vince vinny",
    "rebecca": "becky becca",
    "elizabeth": "liz lizzie lizzy beth betty eliza libby",
    "catherine": "cathy kate katie kath kathy katherine kathryn",
    "jennifer": "jen jenny",
    "jessica": "jess jessie",
    "margaret": "maggie meg peggy",
    "amanda": "mandy",
    "pamela": "pam",
    "susan": "sue susie suzy",
    "victoria": "vicky vikki vic",
    "deborah": "debbie debs deb debra",
    "abigail": "abby abbie",
    "mohammed": "mohammad muhammad muhammed mohamed mohamad mohd",
}
NICKNAME = {alias: full for full, aliases in NICKNAMES.items() for alias in aliases.split()}
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "rev", "master", "jnr", "snr",
          "jr", "sr"}


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _to_ascii(text: str) -> str:
    """Latin letters without accents (Ł -> L, ë -> e, Đặng -> Dang); other scripts transliterated
    (anyascii), so one person's name written two ways compares equal."""
    try:
        from anyascii import anyascii
    except ImportError:  # pragma: no cover - anyascii is a dependency; NFKD is the fallback
        text = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in text if not unicodedata.combining(ch))
    return anyascii(unicodedata.normalize("NFC", text))


def normalise_name(name) -> str:
    """Case, accents, punctuation, titles, nicknames and token order removed: the tokens of the
    name, each mapped to its formal form, sorted (``SMITH, Bob`` -> ``robert smith``)."""
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    text = str(name)
    if not text.isascii():
        text = _to_ascii(text)
    text = text.lower()
    text = text.replace("'", "").replace("\u2019", "")
    tokens = [t for t in _NON_ALNUM.split(text) if t and t not in TITLES]
    tokens = [NICKNAME.get(t, t) for t in tokens]
    return " ".join(sorted(tokens))


def name_keys(values: pd.Series) -> pd.Series:
    return _map_distinct(values, _normalise_names)


def _normalise_names(u: pd.Series) -> pd.Series:
    return pd.Series([normalise_name(x) for x in u], dtype="str")


def name_codes(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Normalised names as ``(codes, keys)`` (see :func:`distinct_codes`)."""
    return distinct_codes(values, _normalise_names)


def name_score(a, b) -> np.ndarray:
    """Element-wise similarity 0-100 of two sequences of normalised names (token order already
    removed). Uses rapidfuzz's token_sort_ratio, vectorised."""
    from rapidfuzz import fuzz
    from rapidfuzz.process import cpdist

    if len(a) == 0:
        return np.zeros(0, dtype=np.float64)
    return cpdist(list(a), list(b), scorer=fuzz.token_sort_ratio, workers=-1).astype(np.float64)


_SKELETON_SUBS = (("ks", "x"), ("kh", "h"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("y", "i"),
                  ("j", "i"), ("q", "k"), ("c", "k"), ("z", "s"))


def name_skeleton(token: str) -> str:
    """One spelling for the ways a name is transliterated: Aleksandr/Alexander -> alxndr,
    Mohammed/Muhammad/Mohamed -> md, Iurii/Yuri/Yury -> ir. First letter, then the consonants
    (after ks->x, y->i, c->k, ...; vowels and h dropped), repeats collapsed."""
    t = token
    for a, b in _SKELETON_SUBS:
        t = t.replace(a, b)
    if not t:
        return t
    rest = [ch for ch in t[1:] if ch not in "aeiouh"]
    out = [t[0]]
    for ch in rest:
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


def _sibling_tokens(x: str, y: str) -> bool:
    x, y = x.replace("y", "i"), y.replace("y", "i")
    return x != y and x.endswith("a") != y.endswith("a") and x.rstrip("aeiou") == y.rstrip("aeiou")


def sibling_names(a: str, b: str) -> bool:
    """Normalised names that differ only by a feminine ending (``ivan petrov`` / ``ivana
    petrov``, ``mario`` / ``maria``, ``ivanov`` / ``ivanova``): a brother and sister or twins,
    however close the strings are."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb):
        return False
    diff = [(x, y) for x, y in zip(ta, tb) if x != y]
    if not diff:
        return False
    if all(_sibling_tokens(x, y) for x, y in diff):
        return True
    # tokens are sorted, so a changed ending can move a token: compare as multisets of stems
    sa = sorted(t.replace("y", "i").rstrip("aeiou") for t in ta)
    sb = sorted(t.replace("y", "i").rstrip("aeiou") for t in tb)
    return sa == sb and sorted(t.endswith("a") for t in ta) != sorted(t.endswith("a") for t in tb)


def name_variant(a: str, b: str) -> int:
    """Two normalised names (see :func:`normalise_name`) that are one person's name written two
    ways: 2 when one lacks a (middle) name the other has (``ana popescu`` / ``ana maria
    popescu``), 1 when the tokens are the same transliterated differently (``aleksandr
    ivanov`` / ``alexander ivanov``), else 0. Only used where a date of birth agrees."""
    ta, tb = a.split(), b.split()
    if len(ta) > len(tb):
        ta, tb = tb, ta
    if len(ta) < 2 or len(tb) - len(ta) > 1:
        return 0
    sa, sb = [name_skeleton(t) for t in ta], [name_skeleton(t) for t in tb]
    if len(ta) == len(tb):
        if sorted(sa) != sorted(sb) or not all(len(x) >= 2 for x in sa):
            return 0
        if sibling_names(a, b):
            return 0  # Ivan / Ivana, Mario / Maria: another person (a sibling), not a spelling
        for x, y in zip(sorted(ta, key=name_skeleton), sorted(tb, key=name_skeleton)):
            if _sibling_tokens(x, y):
                return 0
        return 1
    # one name more: the shorter's tokens all in the longer (as written, or transliterated),
    # and the first and last of the longer's... any order (tokens are sorted): a subset
    rest = list(tb)
    for t in ta:
        if t in rest:
            rest.remove(t)
        else:
            return 0
    return 2


class NameVariants:
    """:func:`name_variant` (and :func:`sibling_names`) for many pairs of one list of distinct normalised names, without
    running it on every pair: what it compares is computed once per distinct name (each
    token's skeleton once per distinct token), so most pairs are ruled out by integer
    comparisons.

    ``of_pairs(a, b)`` (positions into ``names``) equals ``[name_variant(names[i], names[j])
    ...]``. Every variant pair passes one of two integer tests: the same number of tokens (two
    or more) with the same multiset of skeletons, or the shorter name's tokens all in the
    longer, which has one token more. The tests compare hashes of that text, so they may let
    a few other pairs through, never stop a variant; the pairs let through go through
    :func:`name_variant` itself. Memory: a few integers per name, no text beyond ``names``."""

    _MIX = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, names):
        self.names = np.asarray(names, dtype=object)
        n = len(self.names)
        skel: dict = {}
        self.ntok = np.zeros(n, np.int16)
        self.skel_hash = np.zeros(n, np.int64)   # hash of the sorted skeletons (0 = no variant)
        self.canon_hash = np.zeros(n, np.int64)  # hash of the sorted tokens
        self.stem_hash = np.zeros(n, np.int64)   # hash of the sorted stems (see sibling_names)
        stem: dict = {}
        drop_hash, drop_full = [], []  # a name of 3+ tokens without one of them
        for i, name in enumerate(self.names.tolist()):
            toks = sorted(str(name).split())
            self.ntok[i] = len(toks)
            self.canon_hash[i] = hash(" ".join(toks))
            st = []
            for t in toks:
                x = stem.get(t)
                if x is None:
                    x = stem[t] = t.replace("y", "i").rstrip("aeiou")
                st.append(x)
            self.stem_hash[i] = hash(" ".join(sorted(st)))
            if len(toks) < 2:
                continue
            sk = []
            for t in toks:
                x = skel.get(t)
                if x is None:
                    x = skel[t] = name_skeleton(t)
                sk.append(x)
            if all(len(x) >= 2 for x in sk):
                self.skel_hash[i] = hash(" ".join(sorted(sk))) or 1
            if len(toks) >= 3:
                for j in range(len(toks)):
                    drop_hash.append(hash(" ".join(toks[:j] + toks[j + 1:])))
                    drop_full.append(i)
        self.drop_keys = np.unique(self._key(np.asarray(drop_hash, np.int64), np.asarray(drop_full, np.int64)))

    @classmethod
    def _key(cls, h, i) -> np.ndarray:
        with np.errstate(over="ignore"):
            return h.astype(np.uint64) + i.astype(np.uint64) * cls._MIX

    def siblings(self, a, b) -> np.ndarray:
        """True per pair where :func:`sibling_names` is (names at positions ``a`` and ``b``):
        it needs the same multiset of stems, so only pairs with equal stem hashes are tried."""
        a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
        out = np.zeros(len(a), bool)
        for i in np.flatnonzero(self.stem_hash[a] == self.stem_hash[b]).tolist():
            out[i] = sibling_names(self.names[a[i]], self.names[b[i]])
        return out

    def of_pairs(self, a, b) -> np.ndarray:
        """0/1/2 per pair (see :func:`name_variant`) of names at positions ``a`` and ``b``."""
        a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
        out = np.zeros(len(a), np.int8)
        if not len(a):
            return out
        na, nb = self.ntok[a], self.ntok[b]
        test = (na == nb) & (self.skel_hash[a] != 0) & (self.skel_hash[a] == self.skel_hash[b])
        middle = (np.abs(na.astype(np.int64) - nb) == 1) & (np.minimum(na, nb) >= 2)
        if middle.any() and len(self.drop_keys):
            m = np.flatnonzero(middle)
            short, long_ = np.where(na[m] < nb[m], a[m], b[m]), np.where(na[m] < nb[m], b[m], a[m])
            key = self._key(self.canon_hash[short], long_)
            at = np.minimum(np.searchsorted(self.drop_keys, key), len(self.drop_keys) - 1)
            test[m] |= self.drop_keys[at] == key
        for i in np.flatnonzero(test).tolist():
            out[i] = name_variant(self.names[a[i]], self.names[b[i]])
        return out


# ------------------------------------------------------------------------------- dates of birth

_JUNK_DOBS = {"1900-01-01", "1901-01-01", "1970-01-01", "1899-12-30", "1899-12-31", "2000-01-01"}


def _parse_dates(u: pd.Series) -> pd.Series:
    s = u.str.strip()
    # ISO first (1990-01-05, 1990-01-05T00:00:00, 1990/01/05, 19900105), then day-first
    # numeric, then an Excel serial day number (33311), then anything with words (14 Mar 1991)
    out = pd.to_datetime(s.str.slice(0, 10).str.replace(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$",
                                                         r"\1-\2-\3", regex=True),
                         format="%Y-%m-%d", errors="coerce")
    compact = out.isna() & s.str.fullmatch(r"(19|20)\d{6}").fillna(False)
    if compact.any():
        out[compact] = pd.to_datetime(s[compact], format="%Y%m%d", errors="coerce")
    numeric = s.str.replace(r"[.\-\s]", "/", regex=True)
    serial = out.isna() & s.str.fullmatch(r"\d{4,5}(\.0+)?").fillna(False)
    if serial.any():  # Excel stores dates as days since 1899-12-30 (1900-2099: 1-73050)
        days = pd.to_numeric(s[serial], errors="coerce")
        days = days.where((days > 366) & (days < 73051))
        out[serial] = pd.Timestamp("1899-12-30") + pd.to_timedelta(days, unit="D")
    for fmt in ("%d/%m/%Y", "%d/%m/%y"):
        todo = out.isna()
        if not todo.any():
            break
        parsed = pd.to_datetime(numeric[todo], format=fmt, errors="coerce")
        if fmt == "%d/%m/%y":  # two-digit years of birth are in the past
            parsed = parsed.where(parsed.dt.year <= pd.Timestamp.now().year,
                                  parsed - pd.DateOffset(years=100))
        out[todo] = parsed
    todo = out.isna() & s.str.contains(r"[A-Za-z]", regex=True).fillna(False)
    if todo.any():
        from dateutil import parser as dparser

        def one(x):
            try:
                return pd.Timestamp(dparser.parse(x, dayfirst=True))
            except (ValueError, OverflowError, TypeError):
                return pd.NaT
        out[todo] = [one(x) for x in s[todo]]
    iso = out.dt.strftime("%Y-%m-%d")
    return iso.where(~iso.isin(_JUNK_DOBS))


def dob_keys(values: pd.Series) -> pd.Series:
    """Dates of birth as ISO dates, read day-first (``5/1/1990`` = ``05/01/1990`` =
    ``1990-01-05``); unparseable values and placeholder dates (1900-01-01...) give no key."""
    return _map_distinct(values, _parse_dates)


def dob_codes(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Dates of birth as ``(codes, keys)`` of ISO dates (see :func:`dob_keys`)."""
    return distinct_codes(values, _parse_dates)
