"""The terminal report: rich tables that fit 100 columns."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

WIDTH = 100
BLOCKS = " ▁▂▃▄▅▆▇█"


def _table(title=None, **kw) -> Table:
    return Table(title=title, title_justify="left", title_style="bold", header_style="bold",
                 show_edge=False, pad_edge=False, **kw)


def _fmt_s(seconds: int) -> str:
    h, rem = divmod(int(seconds), 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _short(ts: str | None) -> str:
    return (ts or "")[:16].replace("T", " ")


def render(report: dict, console, top: int = 10) -> None:
    kind = report["kind"]
    console.print(f"[bold]toex summarise[/bold]: {kind} ([dim]{report.get('detected', '')}[/dim])")
    if kind == "messages":
        from .messages import render as _messages

        return _messages(report, console, top)
    {"calls": _calls, "bank": _bank, "table": _plain}[kind](report, console, top)


def spark(values, width: int = 80) -> str:
    """A one-line bar chart: values bucketed into ``width`` cells."""
    values = list(values)
    if not values:
        return ""
    if len(values) > width:
        size = -(-len(values) // width)
        values = [sum(values[i:i + size]) for i in range(0, len(values), size)]
    hi = max(values) or 1
    return "".join(BLOCKS[0 if v == 0 else max(1, round(v / hi * 8))] for v in values)


def _calls(r: dict, console, top: int) -> None:
    span = f", {_short(r['first'])} to {_short(r['last'])}" if r["first"] else ""
    console.print(f"{r['records']:,} records, {len(r['handsets'])} handsets{span}")
    notes = []
    if r["records_without_time"]:
        notes.append(f"{r['records_without_time']:,} records without a readable time")
    if r["records_without_handset"]:
        notes.append(f"{r['records_without_handset']:,} records whose handset number is unreadable")
    if r["records_unattributed"]:
        notes.append(f"{r['records_unattributed']:,} records where neither party is the handset")
    if r.get("records_two_ended_counted_once"):
        notes.append(f"{r['records_two_ended_counted_once']:,} records are the other end of a call "
                     "already counted (duplicate_of): each call counted once")
    for n in notes:
        console.print(f"[yellow]note:[/yellow] {n}")
    for h in r["handsets"]:
        t = _table(f"\n{h['handset']}: {h['records']:,} records, {h['distinct_contacts']:,} contacts, "
                   f"{h['not_contacts']:,} withheld/unknown, {(h['first'] or '')[:10]} to "
                   f"{(h['last'] or '')[:10]}")
        for col, j in (("#", "right"), ("contact", "left"), ("records", "right"), ("calls", "right"),
                       ("texts", "right"), ("duration", "right"), ("first", "left"), ("last", "left")):
            t.add_column(col, justify=j, no_wrap=True)
        for i, c in enumerate(h["contacts"][:top]):
            t.add_row(str(i + 1), c["contact"], f"{c['count']:,}", f"{c['calls']:,}", f"{c['texts']:,}",
                      _fmt_s(c["duration_s"]), _short(c["first"]), _short(c["last"]))
        console.print(t)
    if r["common_contacts"]:
        hs = [h["handset"] for h in r["handsets"]]
        t = _table(f"\ncontacts common to two or more handsets ({len(r['common_contacts']):,}; "
                   f"{len(r['common_to_all']):,} common to all)")
        t.add_column("contact", no_wrap=True)
        t.add_column("handsets", justify="right")
        t.add_column("records per handset", overflow="fold")
        for c in r["common_contacts"][:top]:
            per = ", ".join(f"{h[-6:]}: {c['counts'][h]:,}" for h in hs if h in c["counts"])
            t.add_row(c["contact"] + (" *" if c["all_handsets"] else ""), str(len(c["handsets"])), per)
        console.print(t)
        console.print("[dim]* common to all handsets; handsets shown by their last 6 digits[/dim]")
    if r["replacement_candidates"]:
        t = _table("\nhandset replacement candidates (old number silent, new one with the same contacts)")
        for col in ("old", "new", "Jaccard", "shared", "old last", "new first", "gap d"):
            t.add_column(col, no_wrap=True, justify="right" if col in ("Jaccard", "shared", "gap d") else "left")
        for c in r["replacement_candidates"][:top]:
            t.add_row(c["old"], c["new"], f"{c['jaccard']:.2f}", f"{c['shared']}/{c['old_contacts']}→{c['new_contacts']}",
                      _short(c["old_last"]), _short(c["new_first"]), f"{c['gap_days']:g}")
        console.print(t)
    # activity
    m = r["activity"]["hour_by_weekday"]
    hi = max((v for row in m for v in row), default=0) or 1
    console.print("\n[bold]activity by hour (columns 00-23) and weekday[/bold]")
    console.print("     " + "".join(f"{h:<3d}" if h % 3 == 0 else "   " for h in range(24)))
    for d, name in enumerate(r["activity"]["weekdays"]):
        line = Text(f"{name:<5}")
        for v in m[d]:
            line.append(" " + BLOCKS[0 if v == 0 else max(1, round(v / hi * 8))] * 2)
        line.append(f"  {sum(m[d]):,}")
        console.print(line)
    if r["timeline"]:
        console.print(f"\n[bold]daily records[/bold] {r['timeline'][0]['date']} to {r['timeline'][-1]['date']} "
                      f"(busiest day: {max(r['timeline'], key=lambda d: d['records'])['records']:,})")
        console.print(spark([d["records"] for d in _fill_days(r["timeline"])], 90))
    if r["bursts"]:
        t = _table("\nbursts (days far above the handset's usual)")
        for col in ("handset", "date", "records", "usual (median)", "ratio"):
            t.add_column(col, justify="left" if col in ("handset", "date") else "right")
        for b in r["bursts"][:top]:
            t.add_row(b["handset"], b["date"], f"{b['records']:,}", f"{b['usual']:g}",
                      f"{b['ratio']:g}x" if b["ratio"] else "")
        console.print(t)
    changes = [w for w in r["weekly_contacts"] if w["new"] or w["dropped"]]
    if changes:
        t = _table("\nnew and dropped contacts per week")
        for col in ("handset", "week of", "contacts", "new", "dropped"):
            t.add_column(col, justify="left" if col in ("handset", "week of") else "right")
        for w in changes[: top * 2]:
            t.add_row(w["handset"], w["week"], f"{w['contacts']:,}", f"{w['new']:,}", f"{w['dropped']:,}")
        if len(changes) > top * 2:
            t.add_row(f"+{len(changes) - top * 2:,} more", "(-o / --json)", "", "", "")
        console.print(t)


def _fill_days(timeline):
    import datetime as dt

    if not timeline:
        return []
    by = {d["date"]: d["records"] for d in timeline}
    start = dt.date.fromisoformat(timeline[0]["date"])
    end = dt.date.fromisoformat(timeline[-1]["date"])
    out = []
    while start <= end:
        out.append({"date": start.isoformat(), "records": by.get(start.isoformat(), 0)})
        start += dt.timedelta(days=1)
    return out


def _gbp(v) -> str:
    if v is None:
        return ""
    neg = v.startswith("-")
    whole, _, frac = v.lstrip("-").partition(".")
    return f"{'-' if neg else ''}£{int(whole):,}.{frac or '00'}"


def _bank(r: dict, console, top: int) -> None:
    console.print(f"{r['transactions']:,} transactions in {len(r['accounts'])} accounts")
    if r["without_amount"]["count"]:
        console.print(f"[yellow]note:[/yellow] {r['without_amount']['count']:,} rows without a readable "
                      "amount are not counted")
    nc = r["not_counted"]
    if nc["duplicates"] or nc["pending"]:
        console.print(f"[yellow]note:[/yellow] not counted: {nc['duplicates']:,} duplicates of rows in "
                      f"overlapping statements (duplicate_of), {nc['pending']:,} pending")
    t = _table("\naccounts")
    for col in ("account", "from", "to", "txns", "in", "out", "opening", "closing"):
        t.add_column(col, justify="left" if col in ("account", "from", "to") else "right",
                     no_wrap=col != "account", overflow="fold")
    for a in r["accounts"]:
        t.add_row(a["account"], a["first_date"] or "", a["last_date"] or "", f"{a['transactions']:,}",
                  _gbp(a["total_in"]), _gbp(a["total_out"]), _gbp(a["opening_balance"]),
                  _gbp(a["closing_balance"]))
    console.print(t)
    for a in r["accounts"]:
        t = _table(f"\n{a['account']}: monthly")
        for col in ("month", "in", "out", "net", "txns"):
            t.add_column(col, justify="left" if col == "month" else "right")
        for m in a["monthly"][-24:]:
            t.add_row(m["month"], _gbp(m["in"]), _gbp(m["out"]), _gbp(m["net"]), f"{m['count']:,}")
        console.print(t)
        tc = a["top_counterparties"]
        for direction in ("in", "out"):
            t = _table(f"top counterparties, money {direction}")
            t.add_column("by value", overflow="ellipsis", max_width=28, no_wrap=True)
            t.add_column("value", justify="right")
            t.add_column("by count", overflow="ellipsis", max_width=28, no_wrap=True)
            t.add_column("count", justify="right")
            bv, bc = tc[f"{direction}_by_value"][:5], tc[f"{direction}_by_count"][:5]
            for i in range(max(len(bv), len(bc))):
                v = bv[i] if i < len(bv) else None
                c = bc[i] if i < len(bc) else None
                t.add_row(v["counterparty"] if v else "", _gbp(v["value"]) if v else "",
                          c["counterparty"] if c else "", f"{c['count']:,}" if c else "")
            console.print(t)
        cash = a["cash"]
        console.print(f"cash: {cash['deposits']:,} deposits {_gbp(cash['deposits_total'])}, "
                      f"{cash['withdrawals']:,} withdrawals {_gbp(cash['withdrawals_total'])}; "
                      f"round amounts: {a['round_amounts']['count']:,}")
    t = _table(f"\nflags ({len(r['flags'])})")
    t.add_column("pattern", no_wrap=True)
    t.add_column("account", overflow="fold", max_width=20)
    t.add_column("detail", overflow="fold")
    t.add_column("rows", overflow="fold", max_width=22)
    for f in r["flags"]:
        rows = f["rows"]
        shown = ", ".join(f"{x['_row']}" for x in rows[:6]) + (f" +{len(rows) - 6}" if len(rows) > 6 else "")
        srcs = sorted({x["_source"] for x in rows})
        where = (srcs[0].rsplit("/", 1)[-1] + ": " if len(srcs) == 1 else "") + shown
        t.add_row(f["pattern"], f["account"], f["detail"], where)
    console.print(t)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# Columns listed in the terminal (rich takes ~5 ms a row: a JSON row with 100,000 keys took
# minutes to draw); every column is in -o FILE and --json.
PLAIN_ROWS = 200


def _plain(r: dict, console, top: int) -> None:
    console.print(f"{r['rows']:,} rows, {len(r['columns'])} columns")
    t = _table()
    t.add_column("column", overflow="fold", max_width=18)
    t.add_column("non-empty", justify="right")
    t.add_column("distinct", justify="right")
    t.add_column("range", overflow="fold", max_width=24)
    t.add_column("looks like", overflow="fold", max_width=16)
    t.add_column("top values", overflow="fold")
    shown = r["columns"][:PLAIN_ROWS]  # the terminal shows the first columns; -o/--json all
    for c in shown:
        rng = ""
        if c["dates"] and c["dates"]["count"] >= (c["numbers"] or {}).get("count", 0):
            rng = f"{c['dates']['min'][:10]} – {c['dates']['max'][:10]}"
        elif c["numbers"]:
            rng = f"{c['numbers']['min']:,} – {c['numbers']['max']:,}"
        kinds = ", ".join(f"{k} {v:,}" for k, v in list(c["identifier_kinds"].items())[:2])
        tops = ", ".join(f"{_cut(str(v['value']), 20)} ({v['count']:,})" for v in c["top_values"][:3])
        d = f"{c['distinct']:,}" + ("+" if c["distinct_is_lower_bound"] else "")
        t.add_row(c["name"], f"{c['non_empty']:,}", d, rng, kinds, tops)
    if len(r["columns"]) > len(shown):
        t.add_row(f"+{len(r['columns']) - len(shown):,} more", "", "", "", "(-o / --json)", "")
    console.print(t)
