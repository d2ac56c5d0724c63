"""Summarise bank transactions (the output of ``toex bank parse``) and flag patterns.

Money is counted in integer pence (exact); amounts are signed as in the statement (credits
positive, debits negative) and shown as decimal text with two places. Every flagged item lists
the ``_source``/``_row`` of the transactions behind it so the analyst can check each one.

Patterns (all thresholds are options):

- ``structuring``: at least ``min_run`` credits in the band just under a threshold
  (``[threshold x (1 - margin), threshold)``, default thresholds GBP 1,000 and 10,000, margin
  10%), each within ``structuring_days`` of the previous one.
- ``rapid_in_out``: a credit of at least ``rapid_min`` followed within ``window`` by a debit
  of between ``rapid_match`` and 100% of it (dates are days, so 48h = two days on).
- ``round_amounts``: transactions of at least ``round_min`` that are exact multiples of
  ``round_unit`` (one flag per account).
- ``cash``: cash deposits and withdrawals (category ``cash``), one flag per account.
- ``many_payers``: in one calendar month, credits of at most ``small`` from at least
  ``many_payers`` distinct payers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .parsing import iso

DAY_NS = 86_400 * 1_000_000_000


@dataclass
class BankOptions:
    thresholds: list[float] = field(default_factory=lambda: [1000.0, 10000.0])
    margin: float = 0.10
    min_run: int = 3
    structuring_days: int = 7
    window_hours: float = 48.0
    rapid_min: float = 500.0
    rapid_match: float = 0.9
    round_unit: float = 100.0
    round_min: float = 500.0
    small: float = 250.0
    many_payers: int = 10
    top: int = 10


def money(pence) -> str | None:
    if pence is None or (isinstance(pence, float) and np.isnan(pence)):
        return None
    pence = int(pence)
    sign = "-" if pence < 0 else ""
    pence = abs(pence)
    return f"{sign}{pence // 100}.{pence % 100:02d}"


def gbp(pence) -> str:
    pence = int(pence)
    sign = "-" if pence < 0 else ""
    return f"{sign}£{abs(pence) // 100:,}.{abs(pence) % 100:02d}"


def _pence(col: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Amounts (decimal128 or text) -> (int64 pence, readable mask); unreadable/empty -> 0."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks() if col.num_chunks else pa.array([], pa.string())
    if pa.types.is_decimal(col.type):
        # exact for amounts below 10^13: a float64 holds every 2-place value there
        f = col.cast(pa.float64()).fill_null(0).to_numpy(zero_copy_only=False)
        return np.round(f * 100).astype(np.int64), pc.is_valid(col).to_numpy(zero_copy_only=False)
    s = pd.Series(col.cast(pa.string()).to_pandas(), dtype="str")
    clean = s.str.replace(r"[£,\s]", "", regex=True)
    num = pd.to_numeric(clean.replace("", None), errors="coerce")
    valid = num.notna().to_numpy()
    return np.round(num.fillna(0).to_numpy(np.float64) * 100).astype(np.int64), valid


def load_transactions(table) -> pd.DataFrame:
    """Read the bank columns of a TableInput into one DataFrame with pence and days."""
    wanted = ["account", "date", "description", "amount", "currency", "balance", "type",
              "category", "counterparty", "reference", "duplicate_of", "pending", "_source", "_row"]
    lower = {c.lower(): c for c in table.columns}
    batches = list(table.batches())
    if batches:
        at = pa.Table.from_batches(batches)
    else:
        at = table.schema.empty_table()
    cols = {}
    for w in wanted:
        real = lower.get(w)
        cols[w] = at.column(real) if real is not None else pa.nulls(at.num_rows, pa.string())
    frame = pd.DataFrame({k: (v.to_pandas() if not pa.types.is_decimal(v.type) else v.cast(pa.string()).to_pandas())
                          for k, v in cols.items()})
    for k in ("account", "description", "currency", "type", "category", "counterparty", "reference",
              "duplicate_of", "pending", "_source"):
        frame[k] = frame[k].astype("str").fillna("")
    frame["account"] = frame["account"].str.strip().replace("", "(no account)")
    pence, valid = _pence(cols["amount"])
    frame["pence"] = pence
    frame["has_amount"] = valid
    bal, bvalid = _pence(cols["balance"])
    frame["bal"] = np.where(bvalid, bal, 0)
    frame["has_bal"] = bvalid
    dates = cols["date"]
    if not pa.types.is_date(dates.type) and not pa.types.is_timestamp(dates.type):
        d = pc.strptime(pc.utf8_slice_codeunits(dates.cast(pa.string()), 0, 10), format="%Y-%m-%d",
                        unit="s", error_is_null=True)
    else:
        d = dates.cast(pa.timestamp("s"))
    dv = pc.is_valid(d).to_numpy(zero_copy_only=False)
    secs = d.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
    frame["day"] = np.where(dv, secs // 86400, -1).astype(np.int64)
    frame["category"] = frame["category"].str.strip().str.lower()
    party = frame["counterparty"].str.strip()
    frame["party"] = party.where(party != "", frame["description"].str.split().str.join(" "))
    frame["pos"] = np.arange(len(frame))
    return frame


def _day(d: int) -> str | None:
    if d < 0:
        return None
    return pd.Timestamp(int(d) * DAY_NS).date().isoformat()


def _rows(g: pd.DataFrame) -> list[dict]:
    return [{"_source": s, "_row": int(r) if pd.notna(r) else None}
            for s, r in zip(g["_source"], g["_row"])]


def _chronological(g: pd.DataFrame) -> pd.DataFrame:
    """Date order; a statement listed newest first keeps its same-day order reversed."""
    parts = []
    for _, s in g.groupby("_source", sort=False):
        days = s["day"].to_numpy()
        days = days[days >= 0]
        if len(days) > 1 and np.all(np.diff(days) <= 0) and days[0] > days[-1]:
            s = s.iloc[::-1]
        parts.append(s)
    g = pd.concat(parts) if parts else g
    g = g.assign(_o=np.arange(len(g)))
    return g.sort_values(["day", "_o"], kind="stable").drop(columns="_o")


def summarise_bank(frame: pd.DataFrame, opt: BankOptions | None = None) -> dict:
    opt = opt or BankOptions()
    accounts = []
    flags: list[dict] = []
    unreadable = frame[~frame["has_amount"]]
    frame = frame[frame["has_amount"]]
    # the same transaction in an overlapping statement, and pending ones, are not counted again
    dup = frame["duplicate_of"].str.strip() != ""
    pending = frame["pending"].str.strip().str.lower().isin(["true", "1", "yes"])
    skipped = frame[dup | pending]
    frame = frame[~(dup | pending)]
    for account, g in frame.groupby("account", sort=True):
        g = _chronological(g)
        g = g.assign(seq=np.arange(len(g)))
        accounts.append(_account(account, g, opt))
        flags.extend(_flags(account, g, opt))
    order = {"structuring": 0, "rapid_in_out": 1, "many_payers": 2, "cash": 3, "round_amounts": 4}
    flags.sort(key=lambda f: (order[f["pattern"]], f["account"], f.get("first_date") or ""))
    counts = {p: sum(1 for f in flags if f["pattern"] == p) for p in order}
    return {"kind": "bank", "transactions": int(len(frame)),
            "without_amount": {"count": int(len(unreadable)), "rows": _rows(unreadable)},
            "not_counted": {"duplicates": int(dup.sum()), "pending": int(pending.sum()),
                            "rows": _rows(skipped)}, "accounts": accounts, "flags": flags,
            "flag_counts": counts,
            "options": {"thresholds": [money(round(t * 100)) for t in opt.thresholds],
                        "margin": opt.margin, "min_run": opt.min_run,
                        "structuring_days": opt.structuring_days, "window_hours": opt.window_hours,
                        "rapid_min": money(round(opt.rapid_min * 100)),
                        "rapid_match": opt.rapid_match,
                        "round_unit": money(round(opt.round_unit * 100)),
                        "round_min": money(round(opt.round_min * 100)),
                        "small": money(round(opt.small * 100)), "many_payers": opt.many_payers}}


def _top(g: pd.DataFrame, n: int) -> dict:
    out = {}
    for direction, part in (("in", g[g["pence"] > 0]), ("out", g[g["pence"] < 0])):
        agg = part.groupby("party").agg(value=("pence", "sum"), count=("pence", "size"))
        agg["abs"] = agg["value"].abs()
        agg = agg.reset_index()
        by_value = agg.sort_values(["abs", "count", "party"], ascending=[False, False, True]).head(n)
        by_count = agg.sort_values(["count", "abs", "party"], ascending=[False, False, True]).head(n)
        for label, t in (("by_value", by_value), ("by_count", by_count)):
            out[f"{direction}_{label}"] = [{"counterparty": r.party, "value": money(r.value),
                                             "count": int(r.count)} for r in t.itertuples()]
    return out


def _account(account, g: pd.DataFrame, opt: BankOptions) -> dict:
    p = g["pence"]
    cin, cout = p[p > 0], p[p < 0]
    currency = ", ".join(sorted(set(c for c in g["currency"] if c))) or None
    opening = closing = None
    withbal = g[g["has_bal"]]
    if len(withbal):
        first, last = withbal.iloc[0], withbal.iloc[-1]
        opening = money(int(first["bal"]) - int(first["pence"]))
        closing = money(int(last["bal"]))
    days = g["day"][g["day"] >= 0]
    month = g["day"].map(lambda d: _day(d)[:7] if d >= 0 else "(no date)")
    monthly = []
    for m, mg in g.groupby(month, sort=True):
        mp = mg["pence"]
        monthly.append({"month": m, "in": money(mp[mp > 0].sum()), "out": money(mp[mp < 0].sum()),
                        "net": money(mp.sum()), "count": int(len(mg))})
    cash = g[g["category"] == "cash"]["pence"]
    unit = round(opt.round_unit * 100)
    rnd = g[(p.abs() >= round(opt.round_min * 100)) & (p % unit == 0)]
    return {
        "account": account, "currency": currency, "transactions": int(len(g)),
        "first_date": _day(int(days.min())) if len(days) else None,
        "last_date": _day(int(days.max())) if len(days) else None,
        "total_in": money(cin.sum()), "total_out": money(cout.sum()), "net": money(p.sum()),
        "count_in": int(len(cin)), "count_out": int(len(cout)),
        "opening_balance": opening, "closing_balance": closing,
        "monthly": monthly,
        "top_counterparties": _top(g, opt.top),
        "cash": {"deposits": int((cash > 0).sum()), "deposits_total": money(cash[cash > 0].sum()),
                 "withdrawals": int((cash < 0).sum()), "withdrawals_total": money(cash[cash < 0].sum())},
        "round_amounts": {"count": int(len(rnd)), "total": money(rnd["pence"].sum())},
    }


def _flag(pattern, account, detail, g: pd.DataFrame, **extra) -> dict:
    days = g["day"][g["day"] >= 0]
    return {"pattern": pattern, "account": account, "detail": detail,
            "first_date": _day(int(days.min())) if len(days) else None,
            "last_date": _day(int(days.max())) if len(days) else None,
            "total": money(g["pence"].sum()), "count": int(len(g)), **extra, "rows": _rows(g)}


def _flags(account, g: pd.DataFrame, opt: BankOptions) -> list[dict]:
    flags = []
    dated = g[g["day"] >= 0]
    credits = dated[dated["pence"] > 0]
    # structuring: runs of credits just under a threshold
    for t in sorted(opt.thresholds):
        hi = round(t * 100)
        lo = round(t * (1 - opt.margin) * 100)
        band = credits[(credits["pence"] >= lo) & (credits["pence"] < hi)]
        if len(band) < opt.min_run:
            continue
        days = band["day"].to_numpy()
        run_id = np.concatenate([[0], np.cumsum(np.diff(days) > opt.structuring_days)])
        for _, run in band.groupby(run_id, sort=True):
            if len(run) >= opt.min_run:
                span = int(run["day"].max() - run["day"].min())
                flags.append(_flag(
                    "structuring", account,
                    f"{len(run)} credits of {gbp(lo)}–{gbp(hi - 1)} (just under {gbp(hi)}) "
                    f"over {span + 1} days, totalling {gbp(run['pence'].sum())}",
                    run, threshold=money(hi)))
    # rapid in-out: a credit that leaves again within the window
    window_days = int(np.floor(opt.window_hours / 24))
    debits = dated[dated["pence"] < 0]
    used: set[int] = set()
    for c in credits[credits["pence"] >= round(opt.rapid_min * 100)].itertuples():
        cand = debits[(debits["seq"] > c.seq) & (debits["day"] <= c.day + window_days)
                      & (-debits["pence"] >= np.ceil(c.pence * opt.rapid_match))
                      & (-debits["pence"] <= c.pence)]
        cand = cand[~cand["pos"].isin(used)]
        if not len(cand):
            continue
        d = cand.iloc[0]
        used.add(int(d["pos"]))
        pair = g.loc[[c.Index, cand.index[0]]]
        lag = int(d["day"] - c.day)
        flags.append(_flag(
            "rapid_in_out", account,
            f"{gbp(c.pence)} in from {c.party or '(unnamed)'} on {_day(c.day)}, "
            f"{gbp(-d['pence'])} out to {d['party'] or '(unnamed)'} on {_day(int(d['day']))} "
            f"({lag} day{'s' if lag != 1 else ''} later)",
            pair, amount_in=money(c.pence), amount_out=money(d["pence"]), days=lag))
    # many small payers in one month
    small = credits[credits["pence"] <= round(opt.small * 100)]
    if len(small):
        month = small["day"].map(lambda d: _day(d)[:7])
        for m, mg in small.groupby(month, sort=True):
            payers = mg["party"].nunique()
            if payers >= opt.many_payers:
                flags.append(_flag(
                    "many_payers", account,
                    f"{payers} distinct payers sent {len(mg)} credits of at most "
                    f"{gbp(round(opt.small * 100))} in {m}, totalling {gbp(mg['pence'].sum())}",
                    mg, payers=int(payers), month=m))
    # cash
    cash = g[g["category"] == "cash"]
    if len(cash):
        dep, wd = cash[cash["pence"] > 0], cash[cash["pence"] < 0]
        flags.append(_flag(
            "cash", account,
            f"{len(dep)} cash deposit{'s' if len(dep) != 1 else ''} totalling {gbp(dep['pence'].sum())}; "
            f"{len(wd)} cash withdrawal{'s' if len(wd) != 1 else ''} totalling {gbp(-wd['pence'].sum())}",
            cash, deposits=int(len(dep)), withdrawals=int(len(wd))))
    # round amounts
    unit = round(opt.round_unit * 100)
    rnd = g[(g["pence"].abs() >= round(opt.round_min * 100)) & (g["pence"] % unit == 0)]
    if len(rnd):
        flags.append(_flag(
            "round_amounts", account,
            f"{len(rnd)} transactions of at least {gbp(round(opt.round_min * 100))} in exact "
            f"multiples of {gbp(unit)}, totalling {gbp(rnd['pence'].abs().sum())} moved",
            rnd))
    return flags
