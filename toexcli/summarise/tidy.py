"""The summary's numbers as tidy tables (one row per observation), for ``-o``.

``tidy_tables(report)`` gives ``{name: DataFrame}``; an .xlsx output gets one sheet per table,
any other format one table with a ``section`` column first (the tables stacked, columns aligned
by name). Money is decimal text with two places (exact); counts are integers.
"""

from __future__ import annotations

import pandas as pd

INT_COLS = {"count", "calls", "texts", "duration_s", "records", "contacts", "new", "dropped",
            "not_contacts", "distinct_contacts", "non_empty", "distinct", "transactions", "shared",
            "old_contacts", "new_contacts", "count_in", "count_out", "handsets", "hour",
            "deposits", "withdrawals", "row", "rows", "payers"}


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for c in df.columns:
        if c in INT_COLS and (pd.api.types.is_numeric_dtype(df[c]) or df[c].isna().all()):
            df[c] = df[c].astype("Int64")
        elif df[c].dtype == object:
            df[c] = df[c].map(lambda v: v if v is None or isinstance(v, str) else str(v)).astype("str")
    return df


def tidy_tables(report: dict) -> dict[str, pd.DataFrame]:
    kind = report["kind"]
    if kind == "calls":
        return _calls(report)
    if kind == "bank":
        return _bank(report)
    if kind == "messages":
        from .messages import tidy

        return tidy(report)
    return _table(report)


def _calls(r: dict) -> dict[str, pd.DataFrame]:
    out = {}
    out["handsets"] = _frame([
        {k: h[k] for k in ("handset", "records", "not_contacts", "distinct_contacts", "first", "last")}
        for h in r["handsets"]],
        ["handset", "records", "not_contacts", "distinct_contacts", "first", "last"])
    cols = ["handset", "rank", "contact", "count", "calls", "texts", "duration_s", "first", "last"]
    out["contacts"] = _frame([
        {"handset": h["handset"], "rank": i + 1, **c}
        for h in r["handsets"] for i, c in enumerate(h["contacts"])], cols)
    out["contacts"]["rank"] = out["contacts"]["rank"].astype("Int64")
    out["common_contacts"] = _frame([
        {"contact": c["contact"], "handsets": len(c["handsets"]), "all_handsets": c["all_handsets"],
         "handset": h, "count": c["counts"][h]}
        for c in r["common_contacts"] for h in c["handsets"]],
        ["contact", "handsets", "all_handsets", "handset", "count"])
    wd = r["activity"]["weekdays"]
    out["activity"] = _frame([
        {"weekday": wd[d], "hour": hr, "records": r["activity"]["hour_by_weekday"][d][hr]}
        for d in range(7) for hr in range(24)], ["weekday", "hour", "records"])
    out["daily"] = _frame([
        {"handset": t["handset"], "date": d["date"], "records": d["records"]}
        for t in r["handset_timelines"] for d in t["daily"]], ["handset", "date", "records"])
    out["weekly_contacts"] = _frame(r["weekly_contacts"],
                                    ["handset", "week", "contacts", "new", "dropped"])
    out["replacement_candidates"] = _frame([
        {**{k: v for k, v in c.items() if k != "shared_contacts"},
         "shared_contacts": " ".join(c["shared_contacts"])} for c in r["replacement_candidates"]],
        ["old", "new", "jaccard", "shared", "old_contacts", "new_contacts", "old_last",
         "new_first", "gap_days", "shared_contacts"])
    out["bursts"] = _frame(r["bursts"], ["handset", "date", "records", "usual", "ratio"])
    return out


def _bank(r: dict) -> dict[str, pd.DataFrame]:
    out = {}
    acols = ["account", "currency", "transactions", "first_date", "last_date", "total_in",
             "total_out", "net", "count_in", "count_out", "opening_balance", "closing_balance"]
    out["accounts"] = _frame([{k: a[k] for k in acols} for a in r["accounts"]], acols)
    out["monthly"] = _frame([{"account": a["account"], **m} for a in r["accounts"] for m in a["monthly"]],
                            ["account", "month", "in", "out", "net", "count"])
    rows = []
    for a in r["accounts"]:
        for key, lst in a["top_counterparties"].items():
            direction, _, by = key.partition("_by_")
            for i, c in enumerate(lst):
                rows.append({"account": a["account"], "direction": direction, "ranked_by": by,
                             "rank": i + 1, **c})
    out["counterparties"] = _frame(rows, ["account", "direction", "ranked_by", "rank",
                                          "counterparty", "value", "count"])
    out["counterparties"]["rank"] = out["counterparties"]["rank"].astype("Int64")
    out["cash"] = _frame([{"account": a["account"], **a["cash"],
                           "round_amounts": a["round_amounts"]["count"],
                           "round_amounts_total": a["round_amounts"]["total"]} for a in r["accounts"]],
                         ["account", "deposits", "deposits_total", "withdrawals",
                          "withdrawals_total", "round_amounts", "round_amounts_total"])
    out["cash"]["round_amounts"] = out["cash"]["round_amounts"].astype("Int64")
    frows = []
    for i, f in enumerate(r["flags"]):
        for x in f["rows"]:
            frows.append({"flag": i + 1, "pattern": f["pattern"], "account": f["account"],
                          "detail": f["detail"], "_source": x["_source"], "_row": x["_row"]})
    out["flags"] = _frame(frows, ["flag", "pattern", "account", "detail", "_source", "_row"])
    for c in ("flag", "_row"):
        out["flags"][c] = out["flags"][c].astype("Int64")
    return out


def _table(r: dict) -> dict[str, pd.DataFrame]:
    out = {}
    cols = []
    for c in r["columns"]:
        n, d = c["numbers"] or {}, c["dates"] or {}
        cols.append({"column": c["name"], "type": c["type"], "rows": r["rows"],
                     "non_empty": c["non_empty"], "distinct": c["distinct"],
                     "distinct_is_lower_bound": c["distinct_is_lower_bound"],
                     "numbers": n.get("count"), "min_number": n.get("min"), "max_number": n.get("max"),
                     "dates": d.get("count"), "min_date": d.get("min"), "max_date": d.get("max"),
                     "identifier_kinds": " ".join(f"{k}={v}" for k, v in c["identifier_kinds"].items())})
    out["columns"] = _frame(cols, list(cols[0]) if cols else ["column"])
    for k in ("numbers", "dates"):
        if k in out["columns"]:
            out["columns"][k] = out["columns"][k].astype("Int64")
    out["top_values"] = _frame([
        {"column": c["name"], "rank": i + 1, "value": v["value"], "count": v["count"]}
        for c in r["columns"] for i, v in enumerate(c["top_values"])], ["column", "rank", "value", "count"])
    out["top_values"]["rank"] = out["top_values"]["rank"].astype("Int64")
    out["identifier_kinds"] = _frame([
        {"column": c["name"], "kind": k, "count": v}
        for c in r["columns"] for k, v in c["identifier_kinds"].items()], ["column", "kind", "count"])
    return out


def stacked(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """All tables in one, ``section`` first; a column absent from a table is empty there."""
    parts = [df.assign(section=name)[["section", *df.columns]] for name, df in tables.items()]
    parts = [p for p in parts if len(p)] or parts[:1]
    return pd.concat(parts, ignore_index=True)
