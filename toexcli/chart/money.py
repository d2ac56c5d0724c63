"""Money charts: the transaction table of ``toex bank parse`` (recognised by its columns, as
``summarise`` does) becomes payer -> payee links that follow the money.

- A credit (``amount`` > 0) runs counterparty -> account; a debit runs account -> counterparty.
  Every link carries the positive amount in the direction the money moved.
- In and out between the same two nodes are two links with their own totals and counts; they
  are never netted.
- A counterparty that is an account number (``20-32-06 13152170``) is that account's node; a
  name that matches an entity's name (``--entities``; case, order, titles and initials
  allowed, only when one entity fits) becomes that entity's account when it has exactly one,
  else its person node: this is what joins one statement's island to the next.
- Rows marked ``duplicate_of`` (the same transaction in an overlapping statement) count once.
  A transfer between two accounts whose statements are both charted appears twice (a debit on
  one, a credit on the other): the credit that mirrors a debit (same accounts, same amount,
  dates within 3 days) is counted once, from the payer's statement.
- No counterparty: cash rows go to a per-account "Cash" node (a shared one would join strangers),
  anything else to its description.
"""

from __future__ import annotations

import os
import re

import pandas as pd

from .identity import normalise
from .network import parse_amounts

_ACCOUNT_LIKE = re.compile(r"^\s*(\d{2}[- ]?\d{2}[- ]?\d{2}[\s/]*\d{8}|[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\s?[A-Z0-9]{0,3})\s*$")
MIRROR_DAYS = 3


def money_rows(df: pd.DataFrame, entities: list[dict] | None = None, notes: list | None = None) -> pd.DataFrame:
    """payer, payee (typed ``type:value``), amount (positive), date, event, _source, _row,
    duplicate_of: one row per transaction, in the input's order."""
    from .people import name_matcher

    notes = notes if notes is not None else []
    n = len(df)
    col = lambda c: df[c].fillna("").astype(str).str.strip() if c in df.columns else pd.Series("", index=df.index)  # noqa: E731
    src = col("_source") if "_source" in df.columns else pd.Series("input", index=df.index)
    account = col("account")
    blank_acc = account == ""
    if blank_acc.any():
        names = src.map(lambda s: os.path.basename(s) or s)
        account = account.where(~blank_acc, "(no account number) " + names)
        notes.append(f"{int(blank_acc.sum()):,} transaction(s) have no account number: their "
                     f"statement file stands for the account (give one with toex bank parse --account)")
    amount = parse_amounts(df["amount"])
    party = col("counterparty")
    category = col("category").str.lower()
    desc = col("description").str.replace(r"\s+", " ", regex=True)
    cash = (party == "") & (category == "cash")
    party = party.where(~cash, "Cash (" + account + ")")
    party = party.where(party != "", desc)
    party = party.where(party != "", "(no counterparty)")

    acct_like = party.str.upper().str.match(_ACCOUNT_LIKE)
    cp_typed = ("account:" + party).where(acct_like, "entity:" + party)
    matched = 0
    if entities:
        match = name_matcher(entities)
        accounts_of = {}
        for e in entities:
            accs = [v for k, v in e["ids"] if k == "account"]
            accounts_of[e["entity_id"]] = accs
        mapped = {}
        for name in party[~acct_like].unique().tolist():
            e = match(name)
            if e is not None:
                accs = accounts_of.get(e["entity_id"], [])
                mapped[name] = f"account:{accs[0]}" if len(accs) == 1 else f"person:{e['entity_id']}"
        hit = party.isin(mapped.keys()) & ~acct_like
        cp_typed = cp_typed.where(~hit, party.map(mapped))
        matched = int(hit.sum())
        if mapped:
            notes.append(f"--entities: {len(mapped):,} counterparty name(s) matched a person "
                         f"({matched:,} transactions), e.g. "
                         + ", ".join(f"{k!r}" for k in list(mapped)[:3]))
    acc_typed = "account:" + account
    credit = amount > 0
    out = pd.DataFrame({
        "payer": cp_typed.where(credit, acc_typed),
        "payee": acc_typed.where(credit, cp_typed),
        "amount": amount.abs(),
        "date": col("date"),
        "event": credit.map({True: "payment in", False: "payment out"}),
        "duplicate_of": col("duplicate_of"),
        "_source": src,
        "_row": df["_row"] if "_row" in df.columns else pd.Series(range(1, n + 1), index=df.index),
    }, index=df.index)
    out.loc[amount.isna(), "event"] = "payment (no amount)"
    _mirrors(out, acc_typed, credit, notes)
    return out


def _key(typed: pd.Series) -> pd.Series:
    """The normalised node id of typed values (so '30-99-50 31926819' = '309950 31926819')."""
    kind = typed.str.split(":", n=1).str[0]
    raw = typed.str.split(":", n=1).str[1].fillna("")
    out = typed.copy()
    for k in kind.unique().tolist():
        pick = kind == k
        if k in ("account", "entity", "person"):
            got = normalise(raw[pick], k if k != "person" else "entity")["identity"]
            out[pick] = k + ":" + got
    return out


def _mirrors(out: pd.DataFrame, acc_typed: pd.Series, credit: pd.Series, notes: list) -> None:
    """Mark the credit that mirrors a debit between two charted statements (see module doc)."""
    statement = set(_key(acc_typed).unique())
    payer, payee = _key(out["payer"]), _key(out["payee"])
    both = payer.isin(statement) & payee.isin(statement) & (out["duplicate_of"] == "")
    if not both.any():
        return
    from .. import timemodel

    dates = timemodel.parse(out["date"].astype("str")).utc  # the one time model (NaT if unread)
    debits = out[both & ~credit]
    credits = out[both & credit]
    pool: dict[tuple, list] = {}
    for i in debits.index:
        pool.setdefault((payer[i], payee[i], round(float(out.at[i, "amount"]), 2)), []).append(i)
    marked = 0
    for i in credits.sort_values("date").index:
        cands = pool.get((payer[i], payee[i], round(float(out.at[i, "amount"]), 2)), [])
        best = None
        for j in cands:
            if pd.isna(dates[i]) or pd.isna(dates[j]):
                continue
            gap = abs((dates[i] - dates[j]).days)
            if gap <= MIRROR_DAYS and (best is None or gap < best[0]):
                best = (gap, j)
        if best is not None:
            cands.remove(best[1])
            out.at[i, "duplicate_of"] = f"{out.at[best[1], '_source']}:{out.at[best[1], '_row']}"
            marked += 1
    if marked:
        notes.append(f"{marked:,} transfer(s) between two charted statements appear on both: "
                     f"counted once, from the payer's statement")
