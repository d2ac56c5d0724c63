"""The generic engine for CSV and Excel statements: find the header (past any preamble), pick the
layout whose columns it has, and turn each role's column into the transaction fields, all
vectorised. The layouts themselves are data (layouts.toml)."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import re

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError
from . import layouts as L
from .statement import Parsed
from .values import parse_amounts, parse_dates

HEAD_LINES = 40
DELIMS = (",", ";", "\t", "|")

BALANCE_RX = (r"(?i)^\s*(?:opening balance|closing balance|start(?:ing)? balance|end(?:ing)? balance|"
              r"balance brought forward|balance carried forward|brought forward|carried forward|"
              r"balance b/?f|balance c/?f|b/?f balance|c/?f balance|previous balance|new balance|"
              r"balance from previous statement)\b")
OPENING_RX = r"(?i)opening|start|brought|b/?f|previous"
FOOTER_RX = (r"(?i)(?:arranged overdraft limit|overdraft limit|end of statement|^\s*totals?\b|"
             r"total (?:debits|credits|paid (?:in|out)|money (?:in|out))|available balance|"
             r"account balance|^\s*balance\s*$)")


def _split(line: str, delim: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delim))
    except (StopIteration, csv.Error):
        return []


def find_header(lines: list[str], user: dict | None, forced: dict | None):
    """-> (line index, delimiter, layout, headerless) or raise with the headers seen."""
    candidates = [forced] if forced is not None else None
    for i, line in enumerate(lines[:HEAD_LINES]):
        if not line.strip():
            continue
        for d in DELIMS:
            cells = _split(line, d)
            if len(cells) < 2:
                continue
            if user is not None:
                if user.get("headerless"):
                    continue
                if L.bind(user, cells) is not None:
                    return i, d, user, False
                continue
            hits = L.match_header(cells, candidates)
            if hits:
                return i, d, hits, False
    # headerless layouts: the first non-blank line is data
    first = next((ln for ln in lines if ln.strip()), "")
    for d in DELIMS:
        cells = _split(first, d)
        if user is not None and user.get("headerless"):
            if len(cells) >= 2:
                return lines.index(first), d, user, True
            continue
        hits = [h for h in L.match_headerless(cells)
                if forced is None or h[0]["name"] == forced["name"]]
        if hits:
            return lines.index(first), d, hits, True
    return None


def no_layout_message(name: str, lines: list[str], user: dict | None) -> str:
    shown = ""
    for line in lines[:HEAD_LINES]:
        if line.strip():
            best = max(DELIMS, key=lambda d: len(_split(line, d)))
            cells = [c.strip() for c in _split(line, best)]
            if len(cells) >= 3:
                shown = ", ".join(cells)
                break
    if user is not None:
        want = ", ".join(str(v) for v in user.get("columns", {}).values())
        return (f"{name}: the mapped columns ({want}) are not all in one header line; "
                f"headers were: {shown or '(none found)'}")
    return (f"{name}: no known layout matches; headers were: {shown or '(none found)'}; try "
            "--map date=COLUMN,amount=COLUMN,description=COLUMN (or debit=...,credit=...), or "
            "--map-file layout.toml; `toex bank formats` lists the known layouts")


def choose(hits, df_cols, sample_dates: pd.Series):
    """Several layouts share a header (Lloyds and TSB): keep the one whose dates parse."""
    if isinstance(hits, dict):
        return hits
    if len(hits) == 1:
        return hits[0][0]
    top = len(hits[0][0].get("columns", {}))
    same = [h for h in hits if len(h[0].get("columns", {})) == top]
    best, best_n = same[0][0], -1
    for lay, _ in same:
        col = L.bind(lay, df_cols)["date"]
        vals = sample_dates.get(col)
        if vals is None:
            continue
        parsed, _ = parse_dates(vals, lay["date_formats"])
        n = int((~np.isnat(parsed)).sum())
        if n > best_n:
            best, best_n = lay, n
    return best


def read_head(path: str, encoding: str | None, name: str) -> tuple[list[str], str]:
    from ..io.sources import detect_encoding

    enc = encoding or detect_encoding(path, name)
    with open(path, "r", encoding=enc, errors="replace", newline="") as fh:
        text = fh.read(1 << 16)
    text = text.lstrip("\ufeff")
    return text.splitlines()[:HEAD_LINES + 5], enc


def parse_tabular(path: str, name: str, *, excel: bool = False, encoding: str | None = None,
                  sheet: str | None = None, forced: dict | None = None, user: dict | None = None,
                  year: int | None = None) -> Parsed:
    from ..io import TableInput

    if excel:
        table = TableInput(path, format="excel", header=False, sheet=sheet, provenance=True)
        grid = table.read()
        body_cols = [c for c in grid.columns if c not in ("_source", "_row")]
        head_rows = grid[body_cols].head(HEAD_LINES).fillna("").astype("str").values.tolist()
        lines = [",".join(_csv_cell(c) for c in r) for r in head_rows]
        found = find_header(lines, user, forced)
        if found is None:
            raise DataError(no_layout_message(name, lines, user))
        i, _, hits, headerless = found
        if headerless:
            df = grid.iloc[i:].reset_index(drop=True)
            df["_row"] = np.arange(1, len(df) + 1, dtype=np.int64)
        else:
            from ..io.readers import clean_names

            names = clean_names([str(c) for c in head_rows[i]])
            df = grid.iloc[i + 1:].reset_index(drop=True)
            df = df[body_cols[:len(names)] + ["_source", "_row"]]
            df.columns = names + ["_source", "_row"]
            df["_row"] = np.arange(1, len(df) + 1, dtype=np.int64)
        enc = None
    else:
        lines, enc = read_head(path, encoding, name)
        found = find_header(lines, user, forced)
        if found is None:
            raise DataError(no_layout_message(name, lines, user))
        i, d, hits, headerless = found
        table = TableInput(path, format="csv", encoding=enc, skip=i, header=not headerless,
                           delimiter=d, provenance=True, batch_rows=1 << 18)
        df = table.read()
    cols = [c for c in df.columns if c not in ("_source", "_row")]
    if isinstance(hits, dict):
        layout = hits
    else:
        sample = {}
        for lay, _ in hits:
            b = L.bind(lay, cols) if not lay.get("headerless") else lay["columns"]
            if b and b.get("date") in df.columns:
                sample[b["date"]] = df[b["date"]].head(200)
        layout = choose(hits, cols, sample)
    bound = L.bind(layout, cols) if not layout.get("headerless") else dict(layout["columns"], _currency=None)
    if bound is None:
        raise DataError(no_layout_message(name, lines if not excel else [], user))
    return build(df, layout, bound, name, enc, path, year)


def _csv_cell(c: str) -> str:
    c = str(c)
    return '"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\n') else c


def _text(df: pd.DataFrame, col) -> pd.Series:
    """A role's cells as stripped text (a list of columns is joined with a space)."""
    if col is None:
        return pd.Series("", index=df.index, dtype="str")
    if isinstance(col, list):
        parts = [_text(df, c) for c in col]
        out = parts[0]
        for p in parts[1:]:
            out = (out + " " + p).str.strip()
        return out
    s = df[col].fillna("").astype("str").str.strip()
    return s.str.replace(r"^'", "", regex=True)


def _sort_code(s: pd.Series) -> pd.Series:
    digits = s.str.replace(r"[\s-]", "", regex=True)
    is_sc = digits.str.fullmatch(r"\d{6}")
    pretty = digits.str.slice(0, 2) + "-" + digits.str.slice(2, 4) + "-" + digits.str.slice(4, 6)
    return s.where(~is_sc, pretty)


def build(df: pd.DataFrame, layout: dict, b: dict, name: str, enc, path: str,
          year: int | None) -> Parsed:
    n = len(df)
    get = lambda role: b.get(role)  # noqa: E731
    dec = layout.get("decimal", ".")
    date_t = _text(df, get("date"))
    desc = _text(df, get("description"))
    type_t = _text(df, get("type"))
    left_out: list[dict] = []
    notes: list[str] = []
    rows = df["_row"].to_numpy(dtype=np.int64)

    # ---- amounts
    if get("amount") is not None:
        amt_raw = _text(df, get("amount"))
        p, present, bad = parse_amounts(amt_raw.array if hasattr(amt_raw, "array") else amt_raw, dec)
        if layout.get("sign") == "debit_positive":
            p = -p
        bad_text = np.where(bad, amt_raw.to_numpy(dtype=object), None)
    else:
        d_raw = _text(df, get("debit"))
        c_raw = _text(df, get("credit"))
        dp, dpres, dbad = parse_amounts(d_raw, dec)
        cp, cpres, cbad = parse_amounts(c_raw, dec)
        p = cp - np.abs(dp)
        present = dpres | cpres
        bad = dbad | cbad
        bad_text = np.where(dbad, d_raw.to_numpy(dtype=object), np.where(cbad, c_raw.to_numpy(dtype=object), None))
        both = dpres & cpres & (dp != 0) & (cp != 0)
        if both.any():
            notes.append(f"{int(both.sum())} rows have both money in and money out; netted")
    fee = None
    fee_present = np.zeros(n, bool)
    if get("fee") is not None:
        fee_raw = _text(df, get("fee"))
        fp, fee_present, fbad = parse_amounts(fee_raw, dec)
        p = p - np.where(fee_present, fp, 0)
        bad = bad | fbad
        bad_text = np.where(fbad & (bad_text == None), fee_raw.to_numpy(dtype=object), bad_text)  # noqa: E711
        fee = fp
    bal_present = np.zeros(n, bool)
    bal = np.zeros(n, np.int64)
    if get("balance") is not None:
        bal_raw = _text(df, get("balance"))
        bal, bal_present, bbad = parse_amounts(bal_raw, dec)

    # ---- dates
    formats = layout.get("date_formats") or L.defaults()["date_formats"]
    dates, no_year = parse_dates(date_t, formats, year=year or 2000)
    if get("fallback_date") is not None:
        fb_t = _text(df, get("fallback_date"))
        use_fb = (date_t == "").to_numpy() & (fb_t != "").to_numpy()
        if use_fb.any():
            fbd, fny = parse_dates(fb_t, formats, year=year or 2000)
            dates = np.where(use_fb, fbd, dates)
            no_year = np.where(use_fb, fny, no_year)
            date_t = date_t.where(~use_fb, fb_t)
    if no_year.any():
        y, why = _infer_year(dates, no_year, year, path)
        if y is not None:
            shift = np.array([np.timedelta64(0, "D")] * n)
            fixed = []
            for v, ny in zip(dates, no_year):
                if ny and not np.isnat(v):
                    dd = v.astype(object)
                    try:
                        fixed.append(np.datetime64(dd.replace(year=y)))
                    except ValueError:
                        fixed.append(np.datetime64("NaT"))
                else:
                    fixed.append(v)
            dates = np.array(fixed, dtype="datetime64[D]")
            del shift
            notes.append(f"{int(no_year.sum())} dates have no year; took {y} from {why}")
    date_bad = np.isnat(dates)

    # ---- non-transaction rows
    date_blank = (date_t == "").to_numpy()
    desc_np = desc.to_numpy(dtype=object)
    is_balance_row = (desc.str.contains(BALANCE_RX, regex=True) | date_t.str.contains(BALANCE_RX, regex=True)
                      | type_t.str.contains(BALANCE_RX, regex=True)).to_numpy() & (~present | (p == 0))
    is_footer = ((date_t.str.contains(FOOTER_RX, regex=True) | desc.str.contains(FOOTER_RX, regex=True))
                 .to_numpy() & date_bad)
    header_again = np.zeros(n, bool)
    if get("date") is not None and not isinstance(get("date"), list):
        header_again = (date_t.str.casefold() == str(get("date")).strip().casefold()).to_numpy()
    blank = date_blank & ~present & (desc == "").to_numpy() & ~bal_present
    no_tx = date_blank & ~present & ~bad & ~is_balance_row & ~is_footer & ~blank & ~header_again
    opening = closing = None
    for i in np.flatnonzero(is_balance_row):
        text = desc_np[i] or date_t.iat[i] or type_t.iat[i]
        if bal_present[i]:
            if re.search(OPENING_RX, text):
                opening = int(bal[i]) if opening is None else opening
            else:
                closing = int(bal[i])
        left_out.append({"row": int(rows[i]), "reason": "balance row, not a transaction", "text": text})
    for i in np.flatnonzero(is_footer & ~is_balance_row):
        left_out.append({"row": int(rows[i]), "reason": "footer, not a transaction",
                         "text": (date_t.iat[i] + " " + desc_np[i]).strip()})
    for i in np.flatnonzero(header_again):
        left_out.append({"row": int(rows[i]), "reason": "repeated header line"})
    for i in np.flatnonzero(no_tx):
        left_out.append({"row": int(rows[i]), "reason": "no date and no amount, not a transaction",
                         "text": desc_np[i]})

    # ---- status (pending / declined)
    pending = np.zeros(n, bool)
    excluded = np.zeros(n, bool)
    if get("status") is not None:
        st = _text(df, get("status")).str.upper()
        pending = st.isin([s.upper() for s in layout.get("pending", [])]).to_numpy()
        excluded = st.isin([s.upper() for s in layout.get("excluded_status", [])]).to_numpy()
        for i in np.flatnonzero(excluded):
            left_out.append({"row": int(rows[i]), "reason": f"status {st.iat[i]}, not a transaction",
                             "text": desc_np[i]})
    drop = is_balance_row | is_footer | header_again | blank | no_tx | excluded
    keep = ~drop

    # ---- problems (kept rows whose values did not parse)
    problem = np.full(n, "", dtype=object)
    amt_bad_rows = np.flatnonzero(bad & keep)
    for i in amt_bad_rows:
        problem[i] = f"amount '{bad_text[i]}' not understood"
    miss_amt = np.flatnonzero(~present & ~bad & keep)
    for i in miss_amt:
        problem[i] = "no amount"
    for i in np.flatnonzero(date_bad & keep):
        msg = "no date" if date_t.iat[i] == "" else f"date '{date_t.iat[i]}' not understood"
        problem[i] = (problem[i] + "; " + msg) if problem[i] else msg

    # ---- the other fields
    currency = None
    if get("currency") is not None:
        currency = _text(df, get("currency")).str.upper()
        currency = currency.where(currency != "", b.get("_currency") or layout.get("currency", "GBP"))
    else:
        currency = pd.Series(b.get("_currency") or layout.get("currency", "GBP"), index=df.index, dtype="str")
    account = pd.Series("", index=df.index, dtype="str")
    if get("account") is not None:
        acc = get("account")
        parts = [_sort_code(_text(df, c)) for c in (acc if isinstance(acc, list) else [acc])]
        account = parts[0]
        for q in parts[1:]:
            account = (account + " " + q).str.strip()
    type_out = type_t
    suffix = layout.get("type_from_description")
    if suffix:
        codes = desc.str.extract(suffix, expand=False).fillna("").astype("str")
        type_out = codes.where(codes != "", type_t)
    counterparty = _text(df, get("counterparty")) if get("counterparty") is not None else \
        pd.Series("", index=df.index, dtype="str")
    reference = _text(df, get("reference")) if get("reference") is not None else \
        pd.Series("", index=df.index, dtype="str")

    frame = pd.DataFrame({
        "account": account, "date": dates.astype("datetime64[s]"), "description": desc,
        "amount": pd.array(p, dtype="Int64"), "currency": currency,
        "balance": pd.array(bal, dtype="Int64"), "type": type_out,
        "counterparty": counterparty, "reference": reference,
        "fee": pd.array(fee if fee is not None else np.zeros(n, np.int64), dtype="Int64"),
        "pending": pending, "problem": pd.Series(problem, index=df.index, dtype="str"),
        "_row": rows,
    })
    frame.loc[~present, "amount"] = pd.NA
    frame.loc[~bal_present, "balance"] = pd.NA
    if fee is None or True:
        frame.loc[~fee_present, "fee"] = pd.NA
    frame = frame[keep].reset_index(drop=True)
    banks = ", ".join(layout.get("banks", []))
    return Parsed(source=name, format=layout["name"], label=banks or layout["name"], frame=frame,
                  encoding=enc, opening=opening, closing=closing, left_out=left_out, notes=notes,
                  type_suffix=suffix)


def _infer_year(dates, no_year, year, path):
    if year:
        return year, "--year"
    full = dates[~no_year & ~np.isnat(dates)]
    if len(full):
        ys = full.astype("datetime64[Y]").astype(int) + 1970
        vals, counts = np.unique(ys, return_counts=True)
        return int(vals[np.argmax(counts)]), "the statement's other rows"
    try:
        y = _dt.date.fromtimestamp(os.path.getmtime(path)).year
    except OSError:
        y = _dt.date.today().year
    return y, "the file's export (modification) date; give --year to set it"
