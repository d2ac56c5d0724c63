"""Loading the declarative layouts (layouts.toml, a user's --map-file or --map) and matching a
header row against them."""

from __future__ import annotations

import functools
import os
import re
import tomllib

from ..errors import UsageError

HERE = os.path.dirname(os.path.abspath(__file__))
ROLES = ("date", "time", "fallback_date", "description", "type", "amount", "debit", "credit",
         "balance", "fee", "currency", "account", "counterparty", "reference", "status")
MULTI = ("description", "reference", "account")
OPTIONS = ("name", "banks", "note", "date_formats", "decimal", "sign", "currency", "pending",
           "excluded_status", "type_from_description", "headerless", "width", "detect", "columns")


@functools.lru_cache(maxsize=None)
def load_config() -> dict:
    with open(os.path.join(HERE, "layouts.toml"), "rb") as fh:
        return tomllib.load(fh)


def defaults() -> dict:
    return dict(load_config()["defaults"])


def layouts() -> list[dict]:
    base = defaults()
    out = []
    for lay in load_config()["layout"]:
        full = dict(base)
        full.update(lay)
        out.append(full)
    return out


def by_name(name: str) -> dict | None:
    for lay in layouts():
        if lay["name"] == name:
            return lay
    return None


def norm_header(text: str) -> str:
    return " ".join(str(text).replace("\ufeff", "").strip().lstrip("'").split()).casefold()


def _pattern_matches(pattern: str, header: str) -> re.Match | bool | None:
    if pattern.startswith("re:"):
        return re.fullmatch(pattern[3:], str(header).strip().lstrip("'"), re.I)
    return norm_header(pattern) == norm_header(header)


def bind(layout: dict, header: list[str]) -> dict | None:
    """Map each role of ``layout`` to a header name; None if any column pattern is missing.

    Returns {role: name or [names], '_currency': currency from a header group or None}.
    """
    bound: dict = {"_currency": None}
    for role, pattern in layout.get("columns", {}).items():
        patterns = pattern if isinstance(pattern, list) else [pattern]
        names = []
        for p in patterns:
            hit = None
            for h in header:
                m = _pattern_matches(p, h)
                if m:
                    hit = h
                    if isinstance(m, re.Match) and m.groupdict().get("currency"):
                        bound["_currency"] = m.group("currency").upper()
                    break
            if hit is None:
                return None
            names.append(hit)
        bound[role] = names if isinstance(pattern, list) else names[0]
    return bound


def match_header(header: list[str], candidates: list[dict] | None = None) -> list[tuple[dict, dict]]:
    """Layouts (with their bindings) whose columns are all in ``header``, most specific first."""
    hits = []
    for lay in candidates if candidates is not None else layouts():
        if lay.get("headerless"):
            continue
        b = bind(lay, header)
        if b is not None:
            hits.append((lay, b))
    hits.sort(key=lambda lb: -len(lb[0].get("columns", {})))
    return hits


def match_headerless(row: list[str]) -> list[tuple[dict, dict]]:
    hits = []
    for lay in layouts():
        if not lay.get("headerless") or len(row) != lay.get("width"):
            continue
        ok = True
        for col, rx in lay.get("detect", {}).items():
            i = int(col.split("_")[1]) - 1
            if i >= len(row) or not re.search(rx, row[i].strip()):
                ok = False
                break
        if ok:
            b = {"_currency": None}
            b.update(lay["columns"])
            hits.append((lay, b))
    return hits


# ------------------------------------------------------------------------ user mappings

def from_map(pairs: dict[str, str], name: str = "custom") -> dict:
    """``--map date=Posted,amount=Value`` (plus options) -> a layout."""
    lay = defaults()
    lay.update({"name": name, "banks": ["user mapping"], "columns": {}})
    for key, value in pairs.items():
        k = key.strip().lower()
        if k in ROLES:
            parts = [v.strip() for v in value.split("+")] if k in MULTI and "+" in value else value
            lay["columns"][k] = parts
        elif k in ("date_format", "date_formats"):
            lay["date_formats"] = [v for v in value.split("|") if v]
        elif k == "decimal":
            lay[k] = {"comma": ",", "point": ".", "dot": "."}.get(value.lower(), value)
        elif k in ("sign", "currency"):
            lay[k] = value
        elif k == "headerless":
            lay["headerless"] = value.lower() in ("1", "true", "yes")
        else:
            raise UsageError(f"--map: unknown key '{key}'; use roles {', '.join(ROLES)} or "
                             "date_format, decimal (point/comma), sign, currency")
    return _check_user_layout(lay, "--map")


def from_file(path: str) -> dict:
    """A --map-file: the same keys as one [[layout]] of layouts.toml (or a [layout] table)."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    if "layout" in data:
        data = data["layout"][0] if isinstance(data["layout"], list) else data["layout"]
    lay = defaults()
    lay.update({"name": os.path.splitext(os.path.basename(path))[0], "banks": ["user mapping file"]})
    lay.update(data)
    if "date_format" in lay:
        lay["date_formats"] = [lay.pop("date_format")]
    return _check_user_layout(lay, path)


def _check_user_layout(lay: dict, where: str) -> dict:
    cols = lay.get("columns", {})
    bad = [k for k in cols if k not in ROLES]
    if bad:
        raise UsageError(f"{where}: unknown role '{bad[0]}'; roles are {', '.join(ROLES)}")
    if "date" not in cols:
        raise UsageError(f"{where}: say which column holds the date (date=COLUMN)")
    if "amount" not in cols and not ("debit" in cols or "credit" in cols):
        raise UsageError(f"{where}: say which column holds the amount (amount=COLUMN, or "
                         "debit=COLUMN,credit=COLUMN)")
    if lay.get("decimal", ".") not in (".", ","):
        raise UsageError(f"{where}: decimal must be '.' or ',' (in --map: decimal=point or decimal=comma)")
    if lay.get("sign", "signed") not in ("signed", "debit_positive"):
        raise UsageError(f"{where}: sign must be 'signed' or 'debit_positive'")
    return lay


# ---------------------------------------------------------------------------- categories

@functools.lru_cache(maxsize=None)
def category_table() -> dict[str, str]:
    table = {}
    for cat, codes in load_config()["categories"].items():
        for c in codes:
            table.setdefault(c.strip().casefold(), cat)
    return table


@functools.lru_cache(maxsize=None)
def description_rules() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(r["pattern"], re.I), r["category"], bool(r.get("override")))
            for r in load_config()["description_rule"]]
