"""What every format parser hands over (``Parsed``), and what happens next for all of them:
categories, counterparties, the running-balance check, the per-file report, duplicates across
statements, and the output table with exact decimals."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from . import layouts
from .values import money_type, no_nulls, pennies_text, pennies_to_arrow

OUTPUT_COLUMNS = ["account", "date", "description", "amount", "currency", "balance", "type",
                  "category", "counterparty", "reference", "fee", "format", "balance_ok",
                  "duplicate_of", "problem"]
GENERIC_TYPES = frozenset({"debit", "credit", "dr"})
CATEGORIES = ("card", "cash", "transfer_in", "transfer_out", "direct_debit", "standing_order",
              "cheque", "fee", "interest", "other")

# internal frame: these columns, amounts/balances/fees as nullable Int64 pennies
INTERNAL = ["account", "date", "description", "amount", "currency", "balance", "type",
            "counterparty", "reference", "fee", "pending", "problem", "_row"]


@dataclass
class Parsed:
    source: str
    format: str
    label: str
    frame: pd.DataFrame
    encoding: str | None = None
    opening: int | None = None
    closing: int | None = None
    chronological: bool | None = None  # None: decide from the dates
    left_out: list = field(default_factory=list)  # {"row", "reason", "text"}
    notes: list = field(default_factory=list)
    type_suffix: str | None = None
    scale: int = 2  # amounts are integers in units of 10**-scale (pennies unless a file needs more)
    # the statements the file states balances for: {"id", "account", "opening", "closing",
    # "rows" (the _row of each of its transactions; None: every row), and for MT942 the stated
    # "debits"/"credits" as (count, sum)}
    statements: list = field(default_factory=list)


def empty_internal() -> pd.DataFrame:
    return pd.DataFrame({
        "account": pd.Series([], dtype="str"), "date": pd.Series([], dtype="datetime64[s]"),
        "description": pd.Series([], dtype="str"), "amount": pd.Series([], dtype="Int64"),
        "currency": pd.Series([], dtype="str"), "balance": pd.Series([], dtype="Int64"),
        "type": pd.Series([], dtype="str"), "counterparty": pd.Series([], dtype="str"),
        "reference": pd.Series([], dtype="str"), "fee": pd.Series([], dtype="Int64"),
        "pending": pd.Series([], dtype=bool), "problem": pd.Series([], dtype="str"),
        "_row": pd.Series([], dtype="int64"),
    })


def records_frame(records: list[dict]) -> pd.DataFrame:
    """Build the internal frame from per-transaction dicts (the text formats)."""
    if not records:
        return empty_internal()
    df = pd.DataFrame.from_records(records)
    for c in INTERNAL:
        if c not in df.columns:
            df[c] = None
    out = pd.DataFrame({
        "account": df["account"].astype("str"),
        "date": pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce").astype("datetime64[s]"),
        "description": df["description"].astype("str"),
        "amount": pd.array(df["amount"].tolist(), dtype="Int64"),
        "currency": df["currency"].astype("str"),
        "balance": pd.array(df["balance"].tolist(), dtype="Int64"),
        "type": df["type"].astype("str"),
        "counterparty": df["counterparty"].astype("str"),
        "reference": df["reference"].astype("str"),
        "fee": pd.array(df["fee"].tolist(), dtype="Int64"),
        "pending": df["pending"].fillna(False).astype(bool),
        "problem": df["problem"].fillna("").astype("str"),
        "_row": df["_row"].astype("int64"),
    })
    return out


# ------------------------------------------------------------------------- categories

def _arrow_text(series) -> pa.Array:
    import pyarrow.compute as pc

    arr = pa.array(series.astype("str") if not isinstance(series, (pa.Array, pa.ChunkedArray)) else series)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return no_nulls(arr.cast(pa.string()))


_QUANTIFIER = re.compile(r"(?<!\\)\{\d+(?:,\d*)?\}")
_BRACKET = re.compile(r"(?<!\\)\[[^\]]*\]")


def digit_blind(patterns) -> bool:
    """True when none of the regexes can tell one ASCII digit from another (they use \\d, [0-9],
    [A-Z0-9] and {m,n} counts, but no literal digit), so that they give the same answer, at the
    same byte positions, on a text whose digits are all written as 0."""
    for p in patterns:
        if p is None:
            continue
        q = _QUANTIFIER.sub("", p)
        q = _BRACKET.sub(lambda m: m.group(0).replace("0-9", ""), q)
        if re.search(r"[0-9]", q):
            return False
    return True


def _string_parts(arr: pa.Array):
    """A string array (no nulls) -> (offsets int64 numpy of len n+1, data uint8 numpy)."""
    bufs = arr.buffers()
    n = len(arr)
    off = np.frombuffer(bufs[1], dtype=np.int32 if arr.type == pa.string() else np.int64,
                        count=n + 1, offset=arr.offset * (4 if arr.type == pa.string() else 8))
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return off.astype(np.int64), data


def _zero_digits(arr: pa.Array) -> pa.Array:
    """The same texts with every ASCII digit written as '0' (same bytes, same offsets)."""
    bufs = arr.buffers()
    if bufs[2] is None or bufs[2].size == 0:
        return arr
    data = np.frombuffer(bufs[2], dtype=np.uint8)
    data = np.where((data - np.uint8(0x31)) <= 8, np.uint8(0x30), data)  # UTF-8: only ASCII digits
    return pa.Array.from_buffers(arr.type, len(arr), [None, bufs[1], pa.py_buffer(data)],
                                 null_count=0, offset=arr.offset)


def _slices(arr: pa.Array, start: np.ndarray, length: np.ndarray) -> pa.Array:
    """Row i -> arr[i] bytes [start[i], start[i] + length[i]) as a new string array."""
    n = len(arr)
    if n == 0:
        return pa.array([], pa.string())
    off, data = _string_parts(arr)
    length = length.astype(np.int64)
    new_off = np.zeros(n + 1, np.int64)
    np.cumsum(length, out=new_off[1:])
    total = int(new_off[-1])
    src = off[:-1] + start.astype(np.int64)
    if total == 0:
        out = np.zeros(0, np.uint8)
    else:
        idx = np.repeat(src - new_off[:-1], length)
        idx += np.arange(total, dtype=np.int64)
        out = data[idx]
    otype, odt = (pa.string(), np.int32) if total < 2**31 - 1 else (pa.large_string(), np.int64)
    res = pa.Array.from_buffers(otype, n, [None, pa.py_buffer(new_off.astype(odt)), pa.py_buffer(out)],
                                null_count=0)
    return res if otype == pa.string() else res.cast(pa.string())


class Distinct:
    """A text column's distinct values and where each row's value is, so that regex work on
    descriptions is done once per distinct text when many repeat (real statements do).

    With ``digits=False`` texts that differ only in their digits (card numbers, dates,
    references) count as one: the distinct values are then written with every digit as '0',
    which only digit-blind regexes (see ``digit_blind``) may look at."""

    def __init__(self, values, ratio: float = 0.7, digits: bool = True):
        import pyarrow.compute as pc

        self.arr = values if isinstance(values, pa.Array) else (
            _arrow_text(values) if len(values) else pa.array([], pa.string()))
        self.digits = digits
        key = self.arr if digits else _zero_digits(self.arr)
        enc = pc.dictionary_encode(key)
        uniq = enc.dictionary
        self.used = len(uniq) < ratio * len(self.arr)
        self.values = uniq if self.used else key
        self.index = enc.indices.to_numpy(zero_copy_only=False) if self.used else None

    def back(self, result):
        """Per-distinct result (Arrow or numpy) -> per-row."""
        import pyarrow.compute as pc

        if not self.used:
            return result
        if isinstance(result, np.ndarray):
            return result[self.index]
        return pc.take(result, pa.array(self.index))


def categorise(types: pd.Series, descriptions, amounts: pd.Series) -> pa.DictionaryArray:
    """The bank's type code -> category (layouts.toml [categories]); rows whose code says nothing
    take the first matching description rule, and an 'override' rule (the last that matches)
    wins over the code; 'transfer' becomes _in/_out by the sign."""
    import pyarrow.compute as pc

    table = layouts.category_table()
    rules = layouts.description_rules()
    names = ["", "other", "transfer", "transfer_in", "transfer_out"]
    names += [c for c in list(table.values()) + [c for _, c, _ in rules] if c not in names]
    code_of = {c: i for i, c in enumerate(names)}
    types = types.astype("str")
    tcodes, tuniq = pd.factorize(types.fillna("") if types.hasnans else types)
    tcat = np.array([code_of[table.get(str(t).strip().casefold(), "")] for t in tuniq] + [0],
                    dtype=np.int16)
    cat = tcat[tcodes]
    if isinstance(descriptions, Distinct) and (descriptions.digits
                                               or digit_blind(rx.pattern for rx, _, _ in rules)):
        d = descriptions
    else:
        d = Distinct(descriptions if not isinstance(descriptions, Distinct) else descriptions.arr)

    def matches(pattern):
        return pc.match_substring_regex(d.values, pattern, ignore_case=True).to_numpy(zero_copy_only=False)

    nv = len(d.values)
    over = np.zeros(nv, np.int16)  # per distinct text: the last override rule that matches
    for rx, c, override in rules:
        if override:
            over[matches(rx.pattern)] = code_of[c]
    over = d.back(over)
    cat = np.where(over != 0, over, cat)
    empty = cat == 0
    if empty.any():
        fill = np.zeros(nv, np.int16)  # per distinct text: the first rule that matches
        for rx, c, _ in rules:
            todo = fill == 0
            if not todo.any():
                break
            fill[todo & matches(rx.pattern)] = code_of[c]
        cat = np.where(empty, d.back(fill), cat)
    # A generic debit/credit code (OFX DEBIT, CREDIT) says only the direction: the description
    # rules go first, then it is a transfer (out or in by the sign), never 'other'.
    generic = np.array([str(t).strip().casefold() in GENERIC_TYPES for t in tuniq] + [False])[tcodes]
    cat = np.where((cat == 0) & generic, code_of["transfer"], cat)
    cat = np.where(cat == 0, code_of["other"], cat)
    neg = (amounts.fillna(0).to_numpy() < 0)
    cat = np.where(cat == code_of["transfer"],
                   np.where(neg, code_of["transfer_out"], code_of["transfer_in"]), cat)
    return pa.DictionaryArray.from_arrays(pa.array(cat.astype(np.int32)), pa.array(names, pa.string()))


_CP_PREFIX = (
    r"(?i)^(?:FASTER PAYMENTS? (?:RECEIVED |RECEIPT )?(?:FROM|TO)|CARD PAYMENT(?: TO| AT)?|"
    r"CONTACTLESS(?: PAYMENT)?(?: TO| AT)?|DIRECT DEBIT(?: TO| PAYMENT TO)?|TRANSFER (?:FROM|TO)|"
    r"PAYMENT (?:FROM|TO)|BANK CREDIT|STANDING ORDER(?: TO)?|BILL PAYMENT(?: TO| FROM)?|"
    r"REFUND(?: FROM)?|TFR(?: TO| FROM)?|CREDIT FROM|DEBIT TO|BACS(?: CREDIT)?|"
    r"CHAPS(?: PAYMENT)?(?: FROM| TO)?)\s+")
_CP_CUT = (
    r"(?is)(?:\s{2,}|\s+CD \d{4}\b|\s+REF\b|\s+REFERENCE\b|\s+ON \d{2}[ -][A-Z0-9]{2,3}\b|"
    r"\s+\d{6,}|\s+\d{1,2} \d{2}[A-Z]{3}\d{2}\b|\s+\d{2}[A-Z]{3}(?:\d{2})?\b|\s+[A-Z]{1,4}\d{6,}|"
    r"\s+\d{8,}|\s+[A-Z]{3} \d+\.\d{2}\b|"
    r"\s+VIA\b|\s+MANDATE\b|\s+\d{2}:\d{2}).*$")


def _counterparty_span(t: pa.Array, suffix_rx: str | None):
    """Where the counterparty is in each text: (byte start, byte length) numpy arrays. Every step
    only cuts from the left or the right, so the counterparty is one span of the text."""
    import pyarrow.compute as pc

    def nbytes(a):
        return pc.binary_length(a).to_numpy(zero_copy_only=False).astype(np.int64)

    start = nbytes(t) - nbytes(pc.utf8_ltrim(t, " '"))
    t = pc.utf8_trim(t, " '")
    if suffix_rx:
        t = pc.utf8_rtrim_whitespace(pc.replace_substring_regex(t, suffix_rx, ""))
    hit = pc.match_substring_regex(t, _CP_PREFIX)
    if pc.any(hit).as_py():  # replace only where needed: a match is much cheaper than a rewrite
        idx = pa.array(np.flatnonzero(hit.to_numpy(zero_copy_only=False)))
        fixed = pc.replace_substring_regex(pc.take(t, idx), _CP_PREFIX, "", max_replacements=1)
        t2 = pc.replace_with_mask(t, hit, fixed)
        start += nbytes(t) - nbytes(t2)
        t = t2
    t = pc.replace_substring_regex(t, _CP_CUT, "", max_replacements=1)  # every cut starts with a space
    start += nbytes(t) - nbytes(pc.utf8_ltrim(t, " ,;:-/"))
    return start, nbytes(pc.utf8_trim(t, " ,;:-/"))


def derive_counterparty(descriptions, suffix_rx: str | None) -> pa.Array:
    """Best effort from a description: drop the type code and words like 'FASTER PAYMENT FROM',
    then cut at padding, card numbers, references, dates and long numbers."""
    if not isinstance(descriptions, Distinct):
        t = descriptions if isinstance(descriptions, pa.Array) else _arrow_text(
            descriptions if not isinstance(descriptions, list) else pd.Series(descriptions))
        descriptions = Distinct(t, ratio=0.0)
    d = descriptions
    if not d.digits and not digit_blind([_CP_PREFIX, _CP_CUT, suffix_rx]):
        d = Distinct(d.arr)
    start, length = _counterparty_span(d.values, suffix_rx)
    if d.digits or not d.used:
        return _slices(d.arr, d.back(start), d.back(length))
    # A counterparty without a digit is the same text for every row of its distinct value; only
    # rows whose counterparty has digits (written as 0 in d.values) are cut from their own text.
    import pyarrow.compute as pc

    spans = _slices(d.values, start, length)
    per_value = pc.match_substring(spans, "0").to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(per_value[d.index])
    if not len(rows):
        return spans.take(pa.array(d.index))
    own = _slices(d.arr.take(pa.array(rows)), start[d.index[rows]], length[d.index[rows]])
    pick = d.index.astype(np.int64)  # rows -> spans, and those rows -> their own cut after them
    pick[rows] = len(spans) + np.arange(len(rows))
    return pa.concat_arrays([spans, own]).take(pa.array(pick))


# ------------------------------------------------------------------------ balance check

def _chain(amount: np.ndarray, balance: np.ndarray, has_bal: np.ndarray, opening: int | None):
    """Rows in statement order -> (ok array of 1/0/-1 (unknown), derived opening, closing)."""
    s = np.cumsum(amount)
    k = balance - s  # constant (the opening balance) while every row adds up
    ok = np.full(len(amount), -1, dtype=np.int8)
    pos = np.flatnonzero(has_bal)
    if len(pos) == 0:
        return ok, None, None
    kk = k[pos]
    prev = np.empty_like(kk)
    prev[1:] = kk[:-1]
    if opening is not None:
        prev[0] = opening
        ok[pos] = (kk == prev).astype(np.int8)
    else:
        ok[pos[1:]] = (kk[1:] == prev[1:]).astype(np.int8)
    derived_open = int(opening) if opening is not None else int(kk[0])
    closing = int(balance[pos[-1]])
    return ok, derived_open, closing


def balance_check(df: pd.DataFrame, parsed: Parsed):
    """Adds balance_ok (in file order) and returns per-account balance facts."""
    n = len(df)
    result = np.full(n, -1, dtype=np.int8)
    facts = []
    if n == 0:
        return result, facts
    amount = df["amount"].fillna(0).to_numpy(dtype=np.int64)
    has_bal = df["balance"].notna().to_numpy() & ~df["pending"].to_numpy()
    balance = df["balance"].fillna(0).to_numpy(dtype=np.int64)
    counted = ~df["pending"].to_numpy()
    dates = df["date"].to_numpy()
    acc = df["account"]
    codes, names = pd.factorize(acc.fillna("") if acc.hasnans else acc)
    single = len(names) == 1
    for code, acct in enumerate(names):
        idx = np.flatnonzero(counted) if single else np.flatnonzero((codes == code) & counted)
        if len(idx) == 0:
            continue
        d = dates[idx]
        valid = ~np.isnat(d)
        orders = []
        if parsed.chronological is not None:
            orders = [parsed.chronological]
        elif valid.any():
            first, last = d[valid][0], d[valid][-1]
            orders = [True] if first < last else [False] if first > last else [True, False]
        else:
            orders = [True, False]
        best = None
        for chrono in orders:
            order = idx if chrono else idx[::-1]
            ok, op, cl = _chain(amount[order], balance[order], has_bal[order],
                                parsed.opening if single else None)
            breaks = int((ok == 0).sum())
            if best is None or breaks < best[0]:
                best = (breaks, chrono, order, ok, op, cl)
        breaks, chrono, order, ok, op, cl = best
        result[order] = ok
        sum_amt = int(amount[idx].sum())
        stated_open = single and parsed.opening is not None
        # the stated opening first: an opening worked out as closing - transactions would make
        # "opening + transactions = closing" true whatever the transactions are
        if op is None and stated_open:
            op = parsed.opening
        if cl is None and single and parsed.closing is not None:
            cl = parsed.closing
        derived = None
        if op is None and cl is not None:
            op, derived = cl - sum_amt, "opening"
        if cl is None and op is not None:
            cl, derived = op + sum_amt, "closing"
        sc = parsed.scale
        fact = {"account": acct or None, "order": "oldest first" if chrono else "newest first",
                "opening_balance": pennies_text(op, sc), "closing_balance": pennies_text(cl, sc),
                "rows_checked": int((ok >= 0).sum()),
                "breaks": sorted(int(r) for r in df["_row"].to_numpy()[order][ok == 0])}
        if derived:
            fact["derived"] = derived  # not stated by the file: worked out from the other
        facts.append(fact)
    return result, facts


def statement_checks(df: pd.DataFrame, parsed: Parsed) -> list[dict]:
    """Each statement's stated opening + its transactions against its stated closing (and, for
    MT942, the stated number and sum of debits and credits). Only stated balances are used: a
    check without a stated opening and closing is reported as not done, never as passed."""
    sts = parsed.statements
    has_running = bool(df["balance"].notna().any()) if len(df) else False
    if not sts and parsed.opening is not None and parsed.closing is not None and not has_running:
        sts = [{"id": "", "account": None, "opening": parsed.opening, "closing": parsed.closing, "rows": None}]
    if not sts:
        return []
    sc = parsed.scale
    amount = df["amount"].fillna(0).to_numpy(dtype=np.int64)
    counted = ~df["pending"].to_numpy()
    rows = df["_row"].to_numpy()
    out = []
    prev: dict = {}
    for st in sts:
        mask = counted if st.get("rows") is None else counted & np.isin(rows, np.asarray(st["rows"], np.int64))
        amt = amount[mask]
        total = int(amt.sum())
        op, cl = st.get("opening"), st.get("closing")
        c = {"statement": st.get("id") or "", "account": st.get("account") or None,
             "transactions": int(mask.sum()), "net": pennies_text(total, sc),
             "opening_balance": pennies_text(op, sc), "closing_balance": pennies_text(cl, sc)}
        problems = []
        if op is not None and cl is not None:
            c["expected_closing"] = pennies_text(op + total, sc)
            diff = op + total - cl
            c["difference"] = pennies_text(diff, sc)
            if diff:
                problems.append(f"opening {pennies_text(op, sc)} + transactions {pennies_text(total, sc)} = "
                                f"{pennies_text(op + total, sc)}, but the stated closing is "
                                f"{pennies_text(cl, sc)} (off by {pennies_text(diff, sc)})")
        for side, sel in (("debits", amt < 0), ("credits", amt > 0)):
            if st.get(side) is not None:
                n_st, sum_st = st[side]
                n_got, sum_got = int(sel.sum()), int(np.abs(amt[sel]).sum())
                if (n_st, sum_st) != (n_got, sum_got):
                    problems.append(f"stated {n_st} {side} totalling {pennies_text(sum_st, sc)}, found "
                                    f"{n_got} totalling {pennies_text(sum_got, sc)} (off by "
                                    f"{pennies_text(sum_got - sum_st, sc)})")
        key = st.get("account") or ""
        if op is not None and key in prev and prev[key] is not None and prev[key] != op:
            problems.append(f"opens at {pennies_text(op, sc)} but the previous statement of this "
                            f"account closed at {pennies_text(prev[key], sc)}")
        prev[key] = cl
        checkable = (op is not None and cl is not None) or st.get("debits") is not None \
            or st.get("credits") is not None
        if problems:
            c["result"] = "break"
            c["problem"] = "; ".join(problems)
        elif checkable:
            c["result"] = "ok"
        else:
            c["result"] = "not checked"
            c["problem"] = ("no stated opening balance" if op is None else "no stated closing balance") \
                + (" (closing balance " + pennies_text(cl, sc) + ")" if op is None and cl is not None else "")
        out.append(c)
    return out


# ------------------------------------------------------------------------------ finalise

def repeat_text(value: str, index) -> pd.Series:
    """A str column holding ``value`` on every row (what assigning a scalar gives, built by Arrow
    in one go)."""
    return pd.Series(pd.array(pa.repeat(pa.scalar(value, pa.large_string()), len(index)), dtype="str"),
                     index=index)



def finalise(parsed: Parsed, *, include_pending: bool = False, account: str | None = None):
    """Parsed -> (internal frame with category/balance_ok, report dict)."""
    df = parsed.frame
    if account:
        acc = df["account"].fillna("").astype("str")
        df = df.assign(account=acc.where(acc.str.strip() != "", account))
    pending_rows = int(df["pending"].sum())
    if pending_rows and not include_pending:
        for r in df.loc[df["pending"], "_row"].tolist():
            parsed.left_out.append({"row": int(r), "reason": "pending (use --include-pending)"})
        df = df[~df["pending"]].reset_index(drop=True)
    # regexes on descriptions run once per distinct text, digits written as 0 when no regex
    # cares which digit it is (card numbers, dates and references then repeat)
    blind = digit_blind([_CP_PREFIX, _CP_CUT, parsed.type_suffix]
                        + [rx.pattern for rx, _, _ in layouts.description_rules()])
    desc = Distinct(df["description"], digits=not blind)
    cp = df["counterparty"].fillna("").astype("str")
    missing = cp.str.strip() == ""
    if missing.any():
        derived = pd.Series(derive_counterparty(desc, parsed.type_suffix).to_pandas(),
                            dtype="str", index=df.index)
        df = df.assign(counterparty=derived if missing.all() else cp.where(~missing, derived))
    cats = categorise(df["type"], desc, df["amount"]).cast(pa.string())
    df = df.assign(category=pd.Series(pd.array(cats, dtype="str"), index=df.index))
    ok, facts = balance_check(df, parsed)
    df = df.assign(balance_ok=pd.arrays.BooleanArray(ok == 1, ok < 0))
    df = df.assign(format=repeat_text(parsed.format, df.index))
    report = make_report(parsed, df, facts, pending_rows, include_pending)
    report["statement_checks"] = statement_checks(df, parsed)
    report["statement_breaks"] = sum(1 for c in report["statement_checks"] if c["result"] == "break")
    return df, report


def make_report(parsed: Parsed, df: pd.DataFrame, facts, pending_rows, include_pending) -> dict:
    counted = df[~df["pending"]] if df["pending"].any() else df
    amt = counted["amount"].to_numpy(dtype=np.int64, na_value=0)  # a missing amount adds nothing
    dates = counted["date"].dropna()
    one = facts[0] if len(facts) == 1 else {}
    breaks = [r for f in facts for r in f["breaks"]]
    has_problem = (df["problem"] != "").to_numpy()
    problems = [{"row": int(r), "problem": p} for r, p in
                zip(df.loc[has_problem, "_row"], df.loc[has_problem, "problem"])] if has_problem.any() else []
    return {
        "file": parsed.source, "format": parsed.format, "layout": parsed.label,
        "encoding": parsed.encoding,
        "accounts": sorted(a for a in pd.unique(counted["account"].fillna("")) if a),
        "transactions": int(len(counted)),
        "pending_included": int(df["pending"].sum()) if include_pending else 0,
        "total_in": pennies_text(int(amt[amt > 0].sum()), parsed.scale),
        "total_out": pennies_text(int(amt[amt < 0].sum()), parsed.scale),
        "net": pennies_text(int(amt.sum()), parsed.scale),
        "decimal_places": parsed.scale,
        "first_date": dates.min().date().isoformat() if len(dates) else None,
        "last_date": dates.max().date().isoformat() if len(dates) else None,
        "opening_balance": one.get("opening_balance"),
        "closing_balance": one.get("closing_balance"),
        "balance_breaks": breaks,
        "balances": facts,
        "left_out": parsed.left_out,
        "problems": problems,
        "notes": parsed.notes,
    }


# ---------------------------------------------------------------------------- duplicates

def mark_duplicates(df: pd.DataFrame) -> pd.Series:
    """duplicate_of for rows that repeat a transaction of an EARLIER file (overlapping
    statements). The k-th identical row of a file matches the k-th of the earlier file, so two
    genuine identical bus fares in one statement are never duplicates of each other."""
    out = pd.Series("", index=df.index, dtype="str")
    if df.empty or df["_source"].nunique() < 2:
        return out
    key = pd.DataFrame({
        "f": pd.factorize(df["_source"])[0],
        "a": df["account"].fillna("").astype("str"),
        "d": df["date"].astype("str"),
        "m": df["amount"].astype("str"),
        "t": df["description"].fillna("").astype("str").str.upper().str.split().str.join(" "),
    }, index=df.index)
    key["k"] = key.groupby(["f", "a", "d", "m", "t"], sort=False).cumcount()
    first = key.groupby(["a", "d", "m", "t", "k"], sort=False)["f"].transform("min")
    dup = key["f"] > first
    if not dup.any():
        return out
    origin = key[key["f"] == first].copy()
    origin["ref"] = df.loc[origin.index, "_source"].astype("str") + ":" + df.loc[origin.index, "_row"].astype("str")
    origin = origin.drop_duplicates(["a", "d", "m", "t", "k"])
    merged = key[dup].reset_index().merge(origin[["a", "d", "m", "t", "k", "ref"]],
                                          on=["a", "d", "m", "t", "k"], how="left").set_index("index")
    out.loc[merged.index] = merged["ref"].fillna("").astype("str")
    return out


# ------------------------------------------------------------------------------- output

def rescale(df: pd.DataFrame, factor: int) -> pd.DataFrame:
    """Money columns multiplied by ``factor`` (a file read with fewer decimal places stacked with
    one that needs more)."""
    if factor == 1:
        return df
    return df.assign(**{c: df[c] * factor for c in ("amount", "balance", "fee")})


def to_output(df: pd.DataFrame, include_pending: bool = False, scale: int = 2) -> pd.DataFrame:
    """Internal frame -> the published table (exact decimals, ISO dates, stable column order)."""
    def money(col):
        s = df[col]
        valid = s.notna().to_numpy()
        arr = pennies_to_arrow(s.fillna(0).to_numpy(dtype=np.int64), valid, scale)
        return pd.array(arr, dtype=pd.ArrowDtype(money_type(scale)))

    dates = df["date"].to_numpy().astype("datetime64[D]")
    out = pd.DataFrame({
        "account": df["account"].fillna("").astype("str"),
        "date": pd.array(pa.array(dates, pa.date32()), dtype=pd.ArrowDtype(pa.date32())),
        "description": df["description"].fillna("").astype("str"),
        "amount": money("amount"),
        "currency": df["currency"].fillna("").astype("str"),
        "balance": money("balance"),
        "type": df["type"].fillna("").astype("str"),
        "category": df["category"].astype("str"),
        "counterparty": df["counterparty"].fillna("").astype("str"),
        "reference": df["reference"].fillna("").astype("str"),
        "fee": money("fee"),
        "format": df["format"].astype("str"),
        "balance_ok": df["balance_ok"],
        "duplicate_of": df["duplicate_of"].astype("str") if "duplicate_of" in df else "",
    }, index=df.index)
    if "time" in df.columns and df["time"].fillna("").astype("str").ne("").any():
        # the time of day where the statement gives one (Monzo): beside the date, never dropped
        out.insert(2, "time", df["time"].fillna("").astype("str"))
    if include_pending:
        out["pending"] = df["pending"].astype(bool)
    out["problem"] = df["problem"].fillna("").astype("str")
    out["_source"] = df["_source"].astype("str")
    out["_row"] = df["_row"].astype("int64")
    return out.reset_index(drop=True)
