"""A self-contained HTML report: inline CSS and inline SVG charts drawn here, no scripts, no
fonts or images fetched, so it opens offline and sends nothing anywhere."""

from __future__ import annotations

import datetime as dt
import html as _h

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:24px;color:#1b1f24;
max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;
padding-bottom:4px}h3{font-size:14px;margin:18px 0 6px}
.meta{color:#57606a;font-size:13px}table{border-collapse:collapse;font-size:12.5px;margin:6px 0 12px}
th,td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.flag{font-weight:600}.chart{margin:4px 0 14px}.note{color:#9a6700;font-size:13px}
svg text{font-family:inherit;font-size:10px;fill:#57606a}
"""


def esc(v) -> str:
    return _h.escape("" if v is None else str(v), quote=True)


def _table(head: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    out = ["<table><thead><tr>", *(f"<th>{esc(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for r in rows:
        out.append("<tr>" + "".join(
            f"<td class='n'>{esc(v)}</td>" if i in numeric else f"<td>{esc(v)}</td>"
            for i, v in enumerate(r)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def svg_bars(values: list[float], labels: list[str], *, width=1000, height=160, color="#0969da",
             title="", negative: list[float] | None = None, neg_color="#cf222e") -> str:
    """Vertical bars (optionally a second, downward series); every 'step'-th label shown.
    Nothing to draw (no record with a readable time): a note instead of an empty chart."""
    if not values:
        return f"<p class='note'>{esc(title or 'chart')}: no record with a readable time, nothing to draw</p>"
    n = len(values)
    top = max([abs(v) for v in values] + [abs(v) for v in (negative or [])] + [1])
    pad_l, pad_b = 44, 22
    plot_h = height - pad_b - 8
    base = plot_h + 4 if negative is None else 4 + plot_h / 2
    scale = (plot_h if negative is None else plot_h / 2) / top
    bw = min((width - pad_l - 6) / n, 60)
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' width='{width}' height='{height}' "
             f"viewBox='0 0 {width} {height}' role='img' aria-label='{esc(title)}'>",
             f"<title>{esc(title)}</title>",
             f"<line x1='{pad_l}' y1='{base:.1f}' x2='{width - 4}' y2='{base:.1f}' stroke='#8c959f'/>",
             f"<text x='{pad_l - 4}' y='12' text-anchor='end'>{top:,.0f}</text>"]
    for i, v in enumerate(values):
        h = abs(v) * scale
        x = pad_l + i * bw
        parts.append(f"<rect x='{x:.1f}' y='{base - h:.1f}' width='{max(bw - 1, 0.6):.1f}' "
                     f"height='{h:.1f}' fill='{color}'><title>{esc(labels[i])}: {v:,.2f}</title></rect>"
                     .replace(".00</title>", "</title>"))
        if negative is not None:
            nv = abs(negative[i])
            parts.append(f"<rect x='{x:.1f}' y='{base:.1f}' width='{max(bw - 1, 0.6):.1f}' "
                         f"height='{nv * scale:.1f}' fill='{neg_color}'><title>{esc(labels[i])}: "
                         f"-{nv:,.2f}</title></rect>")
    step = max(1, round(n / 10))
    for i in range(0, n, step):
        x = min(pad_l + i * bw + bw / 2, width - 34)
        parts.append(f"<text x='{x:.1f}' y='{height - 6}' "
                     f"text-anchor='middle'>{esc(labels[i])}</text>")
    parts.append("</svg>")
    return "".join(parts)


def svg_heatmap(matrix: list[list[int]], rows: list[str], title: str = "") -> str:
    cell, pad_l, pad_t = 30, 40, 18
    width, height = pad_l + 24 * cell + 4, pad_t + len(rows) * cell + 4
    hi = max((v for r in matrix for v in r), default=0) or 1
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' width='{width}' height='{height}' "
             f"viewBox='0 0 {width} {height}' role='img' aria-label='{esc(title)}'><title>{esc(title)}</title>"]
    for hr in range(24):
        parts.append(f"<text x='{pad_l + hr * cell + cell / 2}' y='12' text-anchor='middle'>{hr:02d}</text>")
    for d, name in enumerate(rows):
        y = pad_t + d * cell
        parts.append(f"<text x='{pad_l - 6}' y='{y + cell / 2 + 4}' text-anchor='end'>{esc(name)}</text>")
        for hr, v in enumerate(matrix[d]):
            a = 0.06 + 0.94 * (v / hi) if v else 0.0
            parts.append(f"<rect x='{pad_l + hr * cell}' y='{y}' width='{cell - 2}' height='{cell - 2}' "
                         f"fill='#0969da' fill-opacity='{a:.3f}' stroke='#eaeef2'>"
                         f"<title>{esc(name)} {hr:02d}:00: {v:,}</title></rect>")
    parts.append("</svg>")
    return "".join(parts)


def svg_hbars(labels: list[str], values: list[float], title: str = "", width: int = 640,
              color: str = "#1a7f37") -> str:
    row, pad_l = 18, 150
    height = row * max(len(values), 1) + 6
    hi = max(values + [1])
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' width='{width}' height='{height}' "
             f"viewBox='0 0 {width} {height}' role='img' aria-label='{esc(title)}'><title>{esc(title)}</title>"]
    for i, (lab, v) in enumerate(zip(labels, values)):
        y = i * row + 3
        w = (width - pad_l - 60) * v / hi
        parts.append(f"<text x='{pad_l - 6}' y='{y + 12}' text-anchor='end'>{esc(str(lab)[:26])}</text>"
                     f"<rect x='{pad_l}' y='{y}' width='{w:.1f}' height='{row - 4}' fill='{color}'>"
                     f"<title>{esc(lab)}: {v:,}</title></rect>"
                     f"<text x='{pad_l + w + 4:.1f}' y='{y + 12}'>{v:,}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _days(timeline: list[dict]) -> tuple[list[str], list[int]]:
    if not timeline:
        return [], []
    by = {d["date"]: d["records"] for d in timeline}
    day = dt.date.fromisoformat(timeline[0]["date"])
    end = dt.date.fromisoformat(timeline[-1]["date"])
    labels, values = [], []
    while day <= end:
        labels.append(day.isoformat())
        values.append(by.get(day.isoformat(), 0))
        day += dt.timedelta(days=1)
    return labels, values


def _calls(r: dict) -> str:
    out = [f"<p class='meta'>{r['records']:,} records, {len(r['handsets'])} handsets, "
           f"{esc(r['first'])} to {esc(r['last'])}</p>"]
    for key, text in (("records_without_time", "records without a readable time"),
                      ("records_without_handset", "records whose handset number is unreadable"),
                      ("records_unattributed", "records where neither party is the handset"),
                      ("records_two_ended_counted_once",
                       "records are the other end of a call already counted (each call counted once)")):
        if r[key]:
            out.append(f"<p class='note'>{r[key]:,} {text}</p>")
    labels, values = _days(r["timeline"])
    out.append("<h2>Daily activity</h2>" + svg_bars(values, labels, title="records per day"))
    out.append("<h2>Hour of day × day of week</h2>" +
               svg_heatmap(r["activity"]["hour_by_weekday"], r["activity"]["weekdays"],
                           "records by weekday and hour"))
    out.append("<h2>Handsets</h2>")
    for h in r["handsets"]:
        out.append(f"<h3>{esc(h['handset'])}: {h['records']:,} records, {h['distinct_contacts']:,} "
                   f"contacts, {h['not_contacts']:,} withheld/unknown</h3>")
        top = h["contacts"][:15]
        out.append(svg_hbars([c["contact"] for c in top], [c["count"] for c in top],
                             f"top contacts of {h['handset']}"))
        out.append(_table(["contact", "records", "calls", "texts", "duration (s)", "first", "last"],
                          [[c["contact"], c["count"], c["calls"], c["texts"], c["duration_s"],
                            c["first"], c["last"]] for c in top], {1, 2, 3, 4}))
    if r["common_contacts"]:
        hs = [h["handset"] for h in r["handsets"]]
        out.append(f"<h2>Contacts common to two or more handsets ({len(r['common_contacts']):,}; "
                   f"{len(r['common_to_all']):,} common to all)</h2>")
        out.append(_table(["contact", "all handsets", *hs],
                          [[c["contact"], "yes" if c["all_handsets"] else "",
                            *[c["counts"].get(h, "") for h in hs]] for c in r["common_contacts"][:100]],
                          set(range(2, 2 + len(hs)))))
    out.append("<h2>Handset replacement candidates</h2>")
    if r["replacement_candidates"]:
        out.append(_table(["old number", "new number", "Jaccard", "shared", "old contacts",
                           "new contacts", "old last", "new first", "gap (days)", "shared contacts"],
                          [[c["old"], c["new"], f"{c['jaccard']:.3f}", c["shared"], c["old_contacts"],
                            c["new_contacts"], c["old_last"], c["new_first"], c["gap_days"],
                            " ".join(c["shared_contacts"][:12])] for c in r["replacement_candidates"]],
                          {2, 3, 4, 5, 8}))
    else:
        out.append("<p class='meta'>none found</p>")
    out.append("<h2>Bursts</h2>")
    if r["bursts"]:
        out.append(_table(["handset", "date", "records", "usual (median)", "ratio"],
                          [[b["handset"], b["date"], b["records"], b["usual"], b["ratio"]]
                           for b in r["bursts"]], {2, 3, 4}))
    else:
        out.append("<p class='meta'>none found</p>")
    changes = [w for w in r["weekly_contacts"] if w["new"] or w["dropped"]]
    if changes:
        out.append("<h2>New and dropped contacts per week</h2>")
        out.append(_table(["handset", "week of", "contacts", "new", "dropped"],
                          [[w["handset"], w["week"], w["contacts"], w["new"], w["dropped"]]
                           for w in changes], {2, 3, 4}))
    return "".join(out)


def _f(v) -> float:
    return float(v) if v not in (None, "") else 0.0


def _bank(r: dict) -> str:
    out = [f"<p class='meta'>{r['transactions']:,} transactions in {len(r['accounts'])} accounts</p>"]
    out.append("<h2>Accounts</h2>")
    out.append(_table(["account", "currency", "from", "to", "transactions", "total in", "total out",
                       "net", "opening", "closing"],
                      [[a["account"], a["currency"], a["first_date"], a["last_date"], a["transactions"],
                        a["total_in"], a["total_out"], a["net"], a["opening_balance"],
                        a["closing_balance"]] for a in r["accounts"]], {4, 5, 6, 7, 8, 9}))
    out.append(f"<h2>Flags ({len(r['flags'])})</h2>")
    out.append(_table(["pattern", "account", "detail", "transactions (_source:_row)"],
                      [[f["pattern"], f["account"], f["detail"],
                        "; ".join(f"{x['_source']}:{x['_row']}" for x in f["rows"][:40]) +
                        (f" … +{len(f['rows']) - 40}" if len(f["rows"]) > 40 else "")]
                       for f in r["flags"]]))
    for a in r["accounts"]:
        out.append(f"<h2>{esc(a['account'])}</h2>")
        months = a["monthly"]
        out.append("<h3>Monthly money in (up) and out (down)</h3>")
        out.append(svg_bars([_f(m["in"]) for m in months], [m["month"] for m in months],
                            negative=[_f(m["out"]) for m in months], color="#1a7f37",
                            title=f"monthly in and out, {a['account']}", height=200))
        out.append(_table(["month", "in", "out", "net", "transactions"],
                          [[m["month"], m["in"], m["out"], m["net"], m["count"]] for m in months],
                          {1, 2, 3, 4}))
        tc = a["top_counterparties"]
        for key, label in (("in_by_value", "money in, by value"), ("out_by_value", "money out, by value"),
                           ("in_by_count", "money in, by count"), ("out_by_count", "money out, by count")):
            if tc[key]:
                out.append(f"<h3>Top counterparties: {label}</h3>")
                out.append(_table(["counterparty", "value", "count"],
                                  [[c["counterparty"], c["value"], c["count"]] for c in tc[key]], {1, 2}))
        cash = a["cash"]
        out.append(f"<p>Cash: {cash['deposits']:,} deposits ({esc(cash['deposits_total'])}), "
                   f"{cash['withdrawals']:,} withdrawals ({esc(cash['withdrawals_total'])}); "
                   f"round amounts: {a['round_amounts']['count']:,} ({esc(a['round_amounts']['total'])})</p>")
    return "".join(out)


def _plain(r: dict) -> str:
    cols = r["columns"]
    out = [f"<p class='meta'>{r['rows']:,} rows, {len(cols)} columns</p>",
           "<h2>Non-empty values per column</h2>",
           svg_hbars([c["name"] for c in cols], [c["non_empty"] for c in cols], "non-empty values")]
    rows = []
    for c in cols:
        n, d = c["numbers"] or {}, c["dates"] or {}
        rows.append([c["name"], c["non_empty"], f"{c['distinct']:,}" + ("+" if c["distinct_is_lower_bound"] else ""),
                     f"{n['min']} – {n['max']}" if n else "", f"{d['min']} – {d['max']}" if d else "",
                     ", ".join(f"{k} {v:,}" for k, v in c["identifier_kinds"].items()),
                     "; ".join(f"{v['value']} ({v['count']:,})" for v in c["top_values"])])
    out.append("<h2>Columns</h2>")
    out.append(_table(["column", "non-empty", "distinct", "numbers", "dates", "looks like", "top values"],
                      rows, {1, 2}))
    return "".join(out)


def render_html(report: dict) -> str:
    kind = report["kind"]
    if kind == "messages":
        from .messages import html as _messages

        body = _messages(report)
    else:
        body = {"calls": _calls, "bank": _bank, "table": _plain}[kind](report)
    # number the sections and put links to them at the top (plain anchors, no script)
    titles = []

    def _anchor(m):
        titles.append(m.group(1))
        return f"<h2 id='s{len(titles)}'>{m.group(1)}</h2>"

    import re

    body = re.sub(r"<h2>(.*?)</h2>", _anchor, body)
    nav = " · ".join(f"<a href='#s{i + 1}'>{t}</a>" for i, t in enumerate(titles))
    body = f"<p class='meta'>{nav}</p>" + body
    sources = ", ".join(report.get("sources") or [])
    made = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            f"<meta name='viewport' content='width=device-width'><title>toex summarise: {esc(kind)}</title>"
            f"<style>{CSS}</style></head><body>"
            f"<h1>toex summarise: {esc(kind)}</h1>"
            f"<p class='meta'>{esc(sources)} · {esc(report.get('detected', ''))} · made {made}</p>"
            f"{body}</body></html>\n")


def write_html(report: dict, path: str, *, force: bool = False, inputs=()) -> None:
    from ..io.writers import check_output_path, write_bytes_atomic

    check_output_path(path, force, inputs)
    write_bytes_atomic(render_html(report).encode("utf-8"), path, force, "--html")
