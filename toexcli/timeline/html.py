"""The timeline as one self-contained page: the page's own script and style inlined (no library,
nothing fetched), the events in a JSON block, and a Content-Security-Policy that allows nothing
but those exact inline blocks (by SHA-256), so the page opens offline and cannot send the
evidence anywhere. The canvas drawing aggregates events closer than a few pixels, so it stays
quick with tens of thousands of events."""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from importlib import resources

import numpy as np
import pandas as pd

from .. import __version__
from ..csp import csp_hash

COLOURS = {"call": "#1f6fb4", "sms": "#17a2b8", "mms": "#5bc0de", "data": "#8a8f98",
           "voicemail": "#7aa6d6", "message": "#2e9d43", "payment_in": "#d9a400",
           "payment_out": "#d2382f", "payment": "#8c564b", "anpr": "#8e58c7", "custom": "#e06aa8"}
FIELDS = ["time_local", "time_utc", "precision", "tz_status", "kind", "subject", "subject_name",
          "counterpart", "counterpart_name", "summary", "amount", "currency", "location", "problem",
          "duplicate_of", "_source", "_row"]
BIG = 250_000


def _asset(name: str) -> str:
    return resources.files("toexcli.timeline").joinpath(name).read_text(encoding="utf-8")



def page_data(events: pd.DataFrame, tz: str = "Europe/London") -> dict:
    e = events.reset_index(drop=True)
    fields = [f for f in FIELDS if f in e.columns]
    dated = (e["time_utc"] != "").to_numpy()
    ms = np.zeros(len(e), dtype=np.int64)
    if dated.any():
        ms[dated] = (pd.to_datetime(e.loc[dated, "time_utc"], utc=True, format="ISO8601")
                     .to_numpy(dtype="datetime64[ns]").view(np.int64) // 1_000_000)
    from .build import _keys

    subject = e["subject"].astype("str")
    names = e["subject_name"].astype("str") if "subject_name" in e else pd.Series([""] * len(e))
    label = (names + " · " + subject).where(names != "", subject)
    label = label.where(subject != "", "(no subject)")
    # one lane per subject however it is spelled (+44 7700 900501 in a chat export and
    # +447700900501 in a return), in the order the first event appears (the table is in time
    # order), labelled with the first spelling seen
    key = _keys(subject).where(subject != "", "")
    lane_codes, lane_keys = pd.factorize(key, sort=False)
    first = pd.Series(np.arange(len(e))).groupby(lane_codes).first() if len(e) else pd.Series([])
    lane_labels = []
    for i, k in enumerate(lane_keys):
        j = int(first.iat[i])
        text = label.iat[j]
        if k.startswith("+"):   # a phone: shown in E.164 whichever spelling came first
            text = f"{names.iat[j]} · {k}" if names.iat[j] else k
        lane_labels.append(text)
    undated_only = np.ones(len(lane_labels), dtype=bool)
    if dated.any():
        undated_only[np.unique(lane_codes[dated])] = False
    kinds = [k for k in COLOURS if k in set(e["kind"])] + sorted(set(e["kind"]) - set(COLOURS))
    kidx = {k: i for i, k in enumerate(kinds)}
    counts = e["kind"].value_counts()
    rows = e.loc[dated, fields].astype("str").to_numpy().tolist()
    undated = e.loc[~dated, ["summary", "subject", "_source", "_row", "problem"]].astype(
        "str").to_numpy().tolist()
    return {
        "tz": tz,
        "fields": fields,
        "lanes": [{"label": str(lab), "undatedOnly": bool(u)} for lab, u in zip(lane_labels,
                                                                                 undated_only)],
        "kinds": [{"kind": k, "color": COLOURS.get(k, "#555"), "count": int(counts.get(k, 0))}
                  for k in kinds],
        "t": ms[dated].tolist(),
        "lane": lane_codes[dated].tolist(),
        "k": e.loc[dated, "kind"].map(kidx).astype(int).tolist(),
        "day": (e.loc[dated, "precision"] == "day").astype(int).tolist(),
        "rows": rows,
        "undated": undated,
    }


def render_html(events: pd.DataFrame, *, title: str | None = None, sources=()) -> str:
    title = title or "Timeline"
    data = page_data(events)
    data_json = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    data_json = data_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    app = _asset("page.js").replace("</script", "<\\/script")
    css = _asset("page.css")
    csp = "; ".join(["default-src 'none'", f"script-src {csp_hash(app)}",
                     f"style-src {csp_hash(css)}", "img-src data:", "base-uri 'none'",
                     "form-action 'none'"])
    n = len(events)
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    esc = html.escape
    src = ", ".join(sources) if sources else "input"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(csp, quote=False)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="toex {esc(__version__)} timeline">
<title>{esc(title)} — {n:,} events</title>
<style>{css}</style>
</head>
<body data-ready="" data-events="" data-drawn="">
<header>
<h1>{esc(title)}</h1>
<input id="search" type="search" placeholder="Search a number, plate, name, text…" aria-label="Search">
<div id="legend" title="Click a kind to hide or show it"></div>
<button id="reset" type="button">Whole period</button>
<span id="stats"></span>
</header>
<main>
<div id="plot"><canvas id="main"></canvas><canvas id="overview" title="Drag to choose the period shown; click to move there"></canvas><div id="tip"></div></div>
<aside>
<h2>Event</h2>
<div id="detail"><p class="meta">Hover an event for a summary; click it for its whole row and
source. A bar is several events close together: click it to zoom in.</p></div>
<div id="undated"></div>
<h2>How to use</h2>
<p class="meta">One lane per subject (handset, account, vehicle, chat member). Scroll to zoom,
drag to pan, drag up/down or scroll over the names to see more lanes; drag across the strip at
the bottom to choose a period. Times are Europe/London; a date-only payment fills its day.</p>
</aside>
</main>
<footer>Made by toex {esc(__version__)} on {made} from {esc(src)}. Opens offline; loads nothing
from the network.</footer>
<script type="application/json" id="timeline-data">{data_json}</script>
<script>{app}</script>
</body>
</html>
"""


def write_html(events: pd.DataFrame, path: str, *, force: bool = False, title=None,
               sources=()) -> None:
    from .. import console
    from ..chart.export import write_bytes

    if len(events) > BIG:
        console.warn(f"--html: {len(events):,} events make a heavy page (browsers cope best below "
                     f"{BIG:,}); --from/--to or --entity narrow it")
    write_bytes(render_html(events, title=title, sources=sources).encode("utf-8"), path, force)
