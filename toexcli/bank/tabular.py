"""The generic engine for CSV and Excel statements: find the header (past any preamble), pick the
layout whose columns it has, and turn each role's column into the transaction fields, all
vectorised. The layouts themselves are data (layouts.toml)."""

from __future__ import annotations

import csv
import datetime as _dt
import os
import re

import numpy as np
import pandas as pd

from ..errors import DataError
from . import layouts as L
from .statement import Parsed
from .values import no_nulls, parse_amounts, parse_dates, trim_whitespace

HEAD_LINES = 40
DELIMS = (",", ";", "\t", "|")

BALANCE_RX = (r"(?i)^\s*(?:opening balance|closing balance|start(?:ing)? balance|end(?:ing)? balance|"
              r"balance brought forward|balance carried forward|brought forward|carried forward|"
              r"balance b/?f|balance c/?f|b/?f balance|c/?f balance|previous balance|new balance|"
              r"balance from previous statement)\b")
ISO_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S")
UK_NUMERIC_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")
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
    if user is None and forced is None:
        generic = _generic_header(lines)
        if generic is not None:
            return generic
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


# A header row no layout names, found by its column names (past any preamble: bank name,
# account, period), so that an unknown export needs neither --skip nor --map.
_GENERIC_ROLES = {
    "date": r"(?:transaction |posting |posted |booking |value |txn |trans\.? )?date",
    "description": r"(?:transaction |payment )?(?:description|details|narrative|particulars|memo|payee|"
                   r"merchant(?:/description)?)",
    "amount": r"(?:transaction )?(?:amount|value)(?: \(?(?:gbp|£)\)?)?",
    "debit": r"(?:paid out|money out|debits?|withdrawals?|payments?(?: out)?|out)(?: amount)?(?: \(?(?:gbp|£)\)?)?",
    "credit": r"(?:paid in|money in|credits?|deposits?|receipts?|in)(?: amount)?(?: \(?(?:gbp|£)\)?)?",
    "balance": r"(?:running |account )?balance(?: \(?(?:gbp|£)\)?)?",
    "type": r"(?:transaction )?type",
    "reference": r"reference|ref\.?",
}


def _generic_header(lines: list[str]):
    for i, line in enumerate(lines[:HEAD_LINES]):
        if not line.strip():
            continue
        for d in DELIMS:
            cells = _split(line, d)
            if len(cells) < 3:
                continue
            cols: dict = {}
            for role, rx in _GENERIC_ROLES.items():
                hit = next((c for c in cells if re.fullmatch(rx, L.norm_header(c))), None)
                if hit is not None and hit not in cols.values():
                    cols[role] = hit
            if "date" not in cols or not ("amount" in cols or ("debit" in cols and "credit" in cols)):
                continue
            if "amount" in cols:
                cols.pop("debit", None), cols.pop("credit", None)
            lay = L.defaults()
            lay.update({"name": "generic", "banks": ["an export no layout names (columns found by name)"],
                        "columns": cols})
            return i, d, lay, False
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
    if len({(str(L.bind(lay, df_cols)["date"]), tuple(lay["date_formats"])) for lay, _ in same}) == 1:
        return same[0][0]  # same date column and formats: every candidate parses the same dates
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


def parse_tabular(path: str, name: str, *, excel: bool | str = False, encoding: str | None = None,
                  sheet: str | None = None, forced: dict | None = None, user: dict | None = None,
                  year: int | None = None, typed: bool = False) -> Parsed:
    import pyarrow as pa

    from ..io import TableInput

    lines: list[str] = []
    if typed:
        table = TableInput(path, provenance=True, footers=False)
        tbl = pa.Table.from_batches(list(table.batches()), schema=table.schema)
        cols = [c for c in tbl.column_names if c not in ("_source", "_row")]
        tbl = pa.table({c: tbl.column(c).cast(pa.string()) if c != "_row" else tbl.column(c)
                        for c in tbl.column_names})
        lines = [",".join(_csv_cell(c) for c in cols)]
        found = find_header(lines, user, forced)
        if found is None or found[3]:
            raise DataError(no_layout_message(name, lines, user))
        hits = found[2]
        enc = None
    elif excel:
        table = TableInput(path, format="html" if excel == "html" else "excel", header=False,
                           sheet=sheet, provenance=True)
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
        else:
            from ..io.readers import clean_names

            names = clean_names([str(c) for c in head_rows[i]])
            df = grid.iloc[i + 1:].reset_index(drop=True)
            df = df[body_cols[:len(names)] + ["_source", "_row"]]
            df.columns = names + ["_source", "_row"]
        df["_row"] = np.arange(1, len(df) + 1, dtype=np.int64)
        tbl = pa.Table.from_pandas(df.astype({c: "str" for c in df.columns if c != "_row"}),
                                   preserve_index=False)
        enc = None
    else:
        lines, enc = read_head(path, encoding, name)
        found = find_header(lines, user, forced)
        if found is None:
            raise DataError(no_layout_message(name, lines, user))
        i, d, hits, headerless = found
        table = TableInput(path, format="csv", encoding=enc, skip=i, header=not headerless,
                           delimiter=d, provenance=True, batch_rows=1 << 18, footers=False)
        tbl = pa.Table.from_batches(list(table.batches()), schema=table.schema)
    cols = [c for c in tbl.column_names if c not in ("_source", "_row")]
    if isinstance(hits, dict):
        layout = hits
    else:
        sample = {}
        for lay, _ in hits:
            b = L.bind(lay, cols) if not lay.get("headerless") else lay["columns"]
            if b and b.get("date") in cols:
                sample[b["date"]] = pd.Series(tbl.column(b["date"]).slice(0, 200).to_pylist(), dtype="str")
        layout = choose(hits, cols, sample)
    bound = L.bind(layout, cols) if not layout.get("headerless") else dict(layout["columns"], _currency=None)
    if bound is None:
        raise DataError(no_layout_message(name, lines, user))
    return build(tbl, layout, bound, name, enc, path, year)


def _csv_cell(c: str) -> str:
    c = str(c)
    return '"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\n') else c


def _text(tbl, col):
    """A role's cells as stripped Arrow text ('' for blank; a list of columns joined by a space)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if col is None:
        return pa.repeat(pa.scalar("", pa.string()), tbl.num_rows)
    if isinstance(col, list):
        parts = [_text(tbl, c) for c in col]
        out = parts[0]
        for q in parts[1:]:
            out = trim_whitespace(pc.binary_join_element_wise(out, q, " "))
        return out
    return _clean(_raw(tbl, col))


def _raw(tbl, col):
    import pyarrow as pa

    arr = tbl.column(col)
    arr = arr.combine_chunks() if hasattr(arr, "combine_chunks") else arr
    if not pa.types.is_string(arr.type):
        arr = arr.cast(pa.string())
    return no_nulls(arr)


def _clean(arr):
    import pyarrow.compute as pc

    arr = trim_whitespace(arr)
    if _may_start_with_quote(arr):
        quoted = pc.starts_with(arr, "'")  # Excel guard: '12-34-56
        if pc.any(quoted).as_py():
            arr = pc.if_else(quoted, pc.utf8_slice_codeunits(arr, 1), arr)
    return arr


def _may_start_with_quote(arr) -> bool:
    """Does any text start with "'"? (the first bytes read from the Arrow buffers)"""
    import pyarrow as pa

    if not isinstance(arr, pa.Array) or arr.type != pa.string() or arr.null_count or not len(arr):
        return True  # let Arrow look
    bufs = arr.buffers()
    off = np.frombuffer(bufs[1], np.int32, len(arr) + 1, arr.offset * 4)
    if off[-1] == off[0]:
        return False
    data = np.frombuffer(bufs[2], np.uint8)
    first = data[np.minimum(off[:-1], len(data) - 1)]
    return bool(((first == 0x27) & (off[1:] > off[:-1])).any())


def _text_distinct(tbl, col):
    """One column as (its distinct texts, cleaned like _text; each row's index into them): for
    columns with few values (dates, sort codes, account numbers) the clean-up is done once per
    value."""
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(_raw(tbl, col))
    return _clean(enc.dictionary), enc.indices.to_numpy(zero_copy_only=False)


def _account(tbl, cols):
    """The account cells (sort code tidied, several columns joined by a space), worked out per
    distinct combination of values when there are few (one account per file is usual)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [_text_distinct(tbl, c) for c in cols]
    sizes = [len(v) for v, _ in parts]
    if int(np.prod(sizes, dtype=np.float64)) > 65536:
        rows = [_sort_code(v.take(pa.array(c))) for v, c in parts]
        account = rows[0]
        for q in rows[1:]:
            account = trim_whitespace(pc.binary_join_element_wise(account, q, " "))
        return account
    vals, codes = _sort_code_all(parts[0][0]), parts[0][1].astype(np.int64)
    for v, c in parts[1:]:
        v = _sort_code_all(v)
        left = np.repeat(np.arange(len(vals)), len(v))
        right = np.tile(np.arange(len(v)), len(vals))
        vals = trim_whitespace(pc.binary_join_element_wise(vals.take(pa.array(left)),
                                                           v.take(pa.array(right)), " "))
        codes = codes * len(v) + c
    return vals.take(pa.array(codes))


def _on_distinct(arr, fn):
    """Apply an Arrow text function to each distinct value once (for low-cardinality columns)."""
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(arr)
    if len(enc.dictionary) * 4 > len(arr):
        return fn(arr)
    return pc.take(fn(enc.dictionary), enc.indices)


def _sort_code(arr):
    return _on_distinct(arr, _sort_code_all)


def _sort_code_all(arr):
    import pyarrow.compute as pc

    # '601234-11223344' (NatWest: sort code and account in one cell) -> '60-12-34 11223344'
    arr = pc.replace_substring_regex(arr, r"^(\d{2})-?(\d{2})-?(\d{2})[- ](\d{8})$", r"\1-\2-\3 \4")
    digits = pc.replace_substring_regex(arr, r"[\s-]", "")
    is_sc = pc.match_substring_regex(digits, r"^\d{6}$")
    pretty = pc.binary_join_element_wise(pc.utf8_slice_codeunits(digits, 0, 2),
                                         pc.utf8_slice_codeunits(digits, 2, 4),
                                         pc.utf8_slice_codeunits(digits, 4, 6), "-")
    return pc.if_else(is_sc, pretty, arr)


def _np(arr) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


def build(tbl, layout: dict, b: dict, name: str, enc, path: str, year: int | None) -> Parsed:
    import pyarrow as pa
    import pyarrow.compute as pc

    n = tbl.num_rows
    get = b.get
    dec = layout.get("decimal", ".")
    one_date = get("date") is not None and not isinstance(get("date"), list)
    if one_date:  # dates repeat: cleaned and parsed once per distinct text
        date_vals, date_codes = _text_distinct(tbl, get("date"))
        date_t = date_vals.take(pa.array(date_codes))
    else:
        date_t = _text(tbl, get("date"))
    desc = _text(tbl, get("description"))
    type_t = _text(tbl, get("type"))
    left_out: list[dict] = []
    notes: list[str] = []
    rows = _np(tbl.column("_row").combine_chunks()).astype(np.int64)

    def cell(arr, i):
        return arr[int(i)].as_py()

    # ---- amounts
    bad_src: list = []  # (mask, text array) to say which text did not parse
    if get("amount") is not None:
        amt_raw = _text(tbl, get("amount"))
        p, present, bad = parse_amounts(amt_raw, dec)
        if layout.get("sign") == "debit_positive":
            p = -p
        bad_src.append((bad, amt_raw))
        if get("credit") is not None:  # a second column holding only money in (card refunds)
            c_raw = _text(tbl, get("credit"))
            cp, cpres, cbad = parse_amounts(c_raw, dec)
            p = np.where(present, p, 0) + np.where(cpres, np.abs(cp), 0)
            both = present & cpres
            if both.any():
                notes.append(f"{int(both.sum())} rows have an amount in both columns; added")
            present = present | cpres
            bad = bad | cbad
            bad_src.append((cbad, c_raw))
    else:
        d_raw = _text(tbl, get("debit"))
        c_raw = _text(tbl, get("credit"))
        dp, dpres, dbad = parse_amounts(d_raw, dec)
        cp, cpres, cbad = parse_amounts(c_raw, dec)
        p = cp - np.abs(dp)
        present = dpres | cpres
        bad = dbad | cbad
        bad_src += [(dbad, d_raw), (cbad, c_raw)]
        both = dpres & cpres & (dp != 0) & (cp != 0)
        if both.any():
            notes.append(f"{int(both.sum())} rows have both money in and money out; netted")
    fee = None
    fee_present = np.zeros(n, bool)
    if get("fee") is not None:
        fee_raw = _text(tbl, get("fee"))
        fee, fee_present, fbad = parse_amounts(fee_raw, dec)
        p = p - np.where(fee_present, fee, 0)
        bad = bad | fbad
        bad_src.append((fbad, fee_raw))
    bal_present = np.zeros(n, bool)
    bal = np.zeros(n, np.int64)
    bal_bad = np.zeros(n, bool)
    if get("balance") is not None:
        bal_raw = _text(tbl, get("balance"))
        bal, bal_present, bal_bad = parse_amounts(bal_raw, dec)

    # ---- dates
    formats = list(layout.get("date_formats") or L.defaults()["date_formats"])
    formats += [f for f in ISO_FORMATS if f not in formats]  # Excel cells arrive as ISO text
    # UK day-first numeric dates read in every layout, whatever style it usually has (a bank
    # changes its export: Nationwide went from '13 Jun 2025' to '22/03/2024')
    formats += [f for f in UK_NUMERIC_FORMATS if f not in formats]
    if one_date:
        dates, no_year = parse_dates(date_vals, formats, year=year or 2000)
        dates, no_year = dates[date_codes], no_year[date_codes]
    else:
        dates, no_year = parse_dates(date_t, formats, year=year or 2000)
    if get("fallback_date") is not None:
        fb_t = _text(tbl, get("fallback_date"))
        use_fb = _np(pc.and_(pc.equal(date_t, ""), pc.not_equal(fb_t, "")))
        if use_fb.any():
            fbd, fny = parse_dates(fb_t, formats, year=year or 2000)
            dates = np.where(use_fb, fbd, dates)
            no_year = np.where(use_fb, fny, no_year)
            date_t = pc.if_else(pa.array(use_fb), fb_t, date_t)
            one_date = False  # date_t is no longer date_vals[date_codes]
    if no_year.any():
        y, why, export_month = _infer_year(dates, no_year, year, path)
        fixed = dates.copy()
        for i in np.flatnonzero(no_year & ~np.isnat(dates)):
            d0 = dates[i].astype(object)
            # from the export date: a month later than the export month was last year
            yy = y - 1 if export_month and d0.month > export_month else y
            try:
                fixed[i] = np.datetime64(d0.replace(year=yy))
            except ValueError:
                fixed[i] = np.datetime64("NaT")
        dates = fixed
        notes.append(f"{int(no_year.sum())} dates have no year; took {y} from {why}")
    date_bad = np.isnat(dates)

    # ---- non-transaction rows
    # Balance rows have no amount (or 0.00) and footers no date, so only those few rows are
    # looked at with the regexes.
    candidates = np.flatnonzero(~present | (p == 0) | date_bad)
    cand_idx = pa.array(candidates, pa.int64())

    def has(arr, rx):
        out = np.zeros(n, bool)
        if len(candidates):
            out[candidates] = _np(pc.match_substring_regex(pc.take(arr, cand_idx), rx, ignore_case=True))
        return out

    date_blank = _np(pc.equal(date_vals, ""))[date_codes] if one_date else _np(pc.equal(date_t, ""))
    desc_blank = _np(pc.equal(desc, ""))
    is_balance_row = (has(desc, BALANCE_RX) | has(date_t, BALANCE_RX) | has(type_t, BALANCE_RX)) \
        & (~present | (p == 0))
    is_footer = (has(date_t, FOOTER_RX) | has(desc, FOOTER_RX)) & date_bad
    header_again = np.zeros(n, bool)
    if get("date") is not None and not isinstance(get("date"), list):
        head = str(get("date")).strip().lower()
        header_again = (_np(pc.equal(pc.utf8_lower(date_vals), head))[date_codes] if one_date
                        else _np(pc.equal(pc.utf8_lower(date_t), head)))
    blank = date_blank & ~present & desc_blank & ~bal_present
    no_tx = date_blank & ~present & ~bad & ~is_balance_row & ~is_footer & ~blank & ~header_again
    opening = closing = None
    for i in np.flatnonzero(is_balance_row):
        text = cell(desc, i) or cell(date_t, i) or cell(type_t, i)
        if bal_present[i]:
            if re.search(OPENING_RX, text):
                opening = int(bal[i]) if opening is None else opening
            else:
                closing = int(bal[i])
        left_out.append({"row": int(rows[i]), "reason": "balance row, not a transaction", "text": text})
    for i in np.flatnonzero(is_footer & ~is_balance_row):
        left_out.append({"row": int(rows[i]), "reason": "footer, not a transaction",
                         "text": (cell(date_t, i) + " " + cell(desc, i)).strip()})
    for i in np.flatnonzero(header_again):
        left_out.append({"row": int(rows[i]), "reason": "repeated header line"})
    for i in np.flatnonzero(no_tx):
        left_out.append({"row": int(rows[i]), "reason": "no date and no amount, not a transaction",
                         "text": cell(desc, i)})

    # ---- status (pending / declined)
    pending = np.zeros(n, bool)
    excluded = np.zeros(n, bool)
    if get("status") is not None:
        st = pc.utf8_upper(_text(tbl, get("status")))
        pending = _np(pc.is_in(st, pa.array([s.upper() for s in layout.get("pending", [])], pa.string())))
        excluded = _np(pc.is_in(st, pa.array([s.upper() for s in layout.get("excluded_status", [])], pa.string())))
        for i in np.flatnonzero(excluded):
            left_out.append({"row": int(rows[i]), "reason": f"status {cell(st, i)}, not a transaction",
                             "text": cell(desc, i)})
    drop = is_balance_row | is_footer | header_again | blank | no_tx | excluded
    keep = ~drop

    # ---- problems (kept rows whose values did not parse)
    problem: dict[int, str] = {}
    for i in np.flatnonzero(bad & keep):
        text = next((cell(arr, i) for m, arr in bad_src if m[i]), "")
        problem[i] = f"amount '{text}' not understood"
    for i in np.flatnonzero(~present & ~bad & keep):
        problem[i] = "no amount"
    for i in np.flatnonzero(bal_bad & keep):
        msg = f"balance '{cell(bal_raw, i)}' not understood"
        problem[i] = (problem[i] + "; " + msg) if problem.get(i) else msg
    for i in np.flatnonzero(date_bad & keep):
        msg = "no date" if date_blank[i] else f"date '{cell(date_t, i)}' not understood"
        problem[i] = (problem[i] + "; " + msg) if problem.get(i) else msg

    # ---- the other fields
    default_ccy = b.get("_currency") or layout.get("currency", "GBP")
    if get("currency") is not None:
        cur = pc.utf8_upper(_text(tbl, get("currency")))
        currency = pc.if_else(pc.equal(cur, ""), default_ccy, cur)
    else:
        currency = pa.repeat(pa.scalar(default_ccy, pa.string()), n)
    account = pa.repeat(pa.scalar("", pa.string()), n)
    if get("account") is not None and n:
        acc = get("account")
        account = _account(tbl, acc if isinstance(acc, list) else [acc])
    type_out = type_t
    suffix = layout.get("type_from_description")
    if suffix:
        plain = re.sub(r"(?<!\\)\((?!\?)", "(?:", suffix)  # Arrow wants only named groups
        codes = pc.extract_regex(desc, "(?P<code>" + plain + ")")
        code = pc.utf8_trim_whitespace(pc.fill_null(pc.struct_field(codes, [0]), ""))
        type_out = pc.if_else(pc.equal(code, ""), type_t, code)
    counterparty = _text(tbl, get("counterparty"))
    reference = _text(tbl, get("reference"))
    time_of_day = None
    if get("time") is not None and not isinstance(get("time"), list) and n:
        time_of_day = _times(_text(tbl, get("time")), problem)

    keep_all = bool(keep.all())
    keep_idx = pa.array(np.flatnonzero(keep))

    def k(arr):
        if not n:
            return pd.Series([], dtype="str")
        return pd.Series((arr if keep_all else pc.take(arr, keep_idx)).to_pandas(), dtype="str")

    def money(vals, valid):
        return pd.arrays.IntegerArray(vals[keep].astype(np.int64), ~valid[keep])

    frame = pd.DataFrame({
        "account": k(account), "date": dates[keep].astype("datetime64[s]"), "description": k(desc),
        "amount": money(p, present), "currency": k(currency),
        "balance": money(bal, bal_present), "type": k(type_out),
        "counterparty": k(counterparty), "reference": k(reference),
        "fee": money(fee if fee is not None else np.zeros(n, np.int64), fee_present),
        "pending": pending[keep], "problem": k(_problems(problem, n)),
        "_row": rows[keep],
    })
    if time_of_day is not None:  # Monzo, Starling...: the time of day, kept beside the date
        frame.insert(2, "time", k(time_of_day))
    banks = ", ".join(layout.get("banks", []))
    return Parsed(source=name, format=layout["name"], label=banks or layout["name"], frame=frame,
                  encoding=enc, opening=opening, closing=closing, left_out=left_out, notes=notes,
                  type_suffix=suffix)


def _times(text, problem: dict):
    """A time-of-day column -> 'HH:MM:SS' per row (timemodel.read_clock, once per distinct
    value); a value it cannot read is kept as written and named in ``problem``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..timemodel import read_clock

    enc = pc.dictionary_encode(text)
    shown = []
    bad = set()
    for i, v in enumerate(enc.dictionary.to_pylist()):
        v = (v or "").strip()
        r = read_clock(v) if v else None
        if r is None:
            shown.append(v)
            if v:
                bad.add(i)
        else:
            secs = r[0]
            shown.append(f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}")
    idx = enc.indices.to_numpy(zero_copy_only=False)
    for row in np.flatnonzero(np.isin(idx, list(bad))) if bad else ():
        msg = f"time '{text[int(row)].as_py()}' not understood"
        problem[int(row)] = (problem[int(row)] + "; " + msg) if problem.get(int(row)) else msg
    return pa.array(shown, pa.string()).take(enc.indices)


def _problems(problem: dict, n: int):
    import pyarrow as pa

    if not problem:
        return pa.repeat(pa.scalar("", pa.string()), n)
    out = [""] * n
    for i, msg in problem.items():
        out[int(i)] = msg
    return pa.array(out, pa.string())


def _infer_year(dates, no_year, year, path):
    if year:
        return year, "--year", None
    full = dates[~no_year & ~np.isnat(dates)]
    if len(full):  # exports leave the year out of this year's rows only: the latest year given
        ys = full.astype("datetime64[Y]").astype(int) + 1970
        return int(ys.max()), "the latest year the statement's other rows give", None
    try:
        when = _dt.date.fromtimestamp(os.path.getmtime(path))
    except OSError:
        when = _dt.date.today()
    return when.year, (f"the file's export (modification) date {when.isoformat()}, months after "
                       "it taken as the year before; give --year to set it"), when.month
