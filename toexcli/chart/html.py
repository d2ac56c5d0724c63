"""The self-contained interactive page: cytoscape.js (vendored, pinned) and the page's own
script and style inlined, the chart's data in a JSON block, and a Content-Security-Policy that
allows nothing but those exact inline blocks (by SHA-256 hash): no remote script, style, font,
image or connection, so the page opens offline and cannot send the evidence anywhere.
"""

from __future__ import annotations

import html
import json
import math
from datetime import datetime, timezone
from importlib import resources

from .. import __version__
from ..csp import csp_hash
from .network import Network, _iso, fmt_amount
from .styles import NODE_STYLE

CYTOSCAPE_VERSION = "3.34.4"  # toexcli/chart/vendor/cytoscape.min.js, from the npm registry
CYTOSCAPE_FILE = "cytoscape.min.js"
# The stylesheet cytoscape.js would otherwise add itself (a CSP violation): given here, by id.
CYTOSCAPE_CSS = ".__________cytoscape_container { position: relative; }"


def _asset(name: str) -> str:
    return resources.files("toexcli.chart").joinpath(name).read_text(encoding="utf-8")


def vendor_js() -> str:
    return resources.files("toexcli.chart").joinpath("vendor", CYTOSCAPE_FILE).read_text(encoding="utf-8")



def _script_safe(text: str) -> str:
    """Text that cannot end its <script> block early."""
    return text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _dir_text(fwd: int, bwd: int, s: str, t: str) -> str:
    parts = []
    if fwd:
        parts.append(f"{s} → {t}: {fwd}")
    if bwd:
        parts.append(f"{t} → {s}: {bwd}")
    return "; ".join(parts)


def node_sizes(net: Network, size_by: str = "degree"):
    """Node diameters in pixels: 24-72 by the square root of degree, events or amount."""
    nodes = net.nodes
    key = {"degree": "degree", "weight": "weight", "amount": "amount", "value": "amount"}.get(size_by)
    if key is None:
        raise ValueError(f"size_by must be degree, weight or amount, not {size_by!r}")
    measure = nodes[key].fillna(0).abs().astype(float) if len(nodes) else nodes[key]
    if len(nodes) and key == "amount" and float(measure.max() or 0) == 0:
        measure = nodes["degree"].astype(float)
    if len(nodes) and key == "degree" and (nodes["type"] == "group").any():
        # a group of 16 contacts is drawn as big as a node with 16 links
        group = nodes["type"] == "group"
        measure = measure.where(~group, nodes["members"].fillna("").str.count("; ") + 1)
    top = float(measure.max()) if len(nodes) and float(measure.max()) > 0 else 1.0
    sizes = [round(24 + 48 * math.sqrt(max(m, 0.0) / top), 1) for m in measure.tolist()] if len(nodes) else []
    sizes = [max(s, 40.0) if t == "person" else s for s, t in zip(sizes, nodes["type"].tolist())]
    return sizes


FONT_PX = 13.0  # label font at zoom 1; the page keeps labels >= 12 px on screen at fit


def label_text(rec: dict) -> str:
    """Name over the human display form (two lines) for named nodes; the label otherwise."""
    if rec["name"] and rec["name"] != rec["display"]:
        return f"{rec['name']}\n{rec['display']}"
    return str(rec["label"])


def label_boxes(net: Network):
    """(widths, heights) in pixels of each node's label at FONT_PX (a generous estimate: 0.62
    of the font size per character, 1.25 line height)."""
    widths, heights = [], []
    for rec in net.nodes.to_dict("records"):
        lines = label_text(rec).split("\n")
        widths.append(max(len(x) for x in lines) * FONT_PX * 0.62 + 8)
        heights.append(len(lines) * FONT_PX * 1.25 + 4)
    return widths, heights


VIEW = (1010.0, 690.0)  # the page's chart area at a 1280 x 800 window, in pixels
MIN_PX = 12.0


def fit_zoom(pos, sizes, labels, view=VIEW, pad: float = 40.0) -> float:
    """The zoom at which the page's opening view fits the chart (as page.js estimates it)."""
    import numpy as np

    if not len(pos):
        return 1.0
    r = np.asarray(sizes, dtype=float) / 2
    hw = np.maximum(r, np.asarray(labels[0]) / 2)
    x1, x2 = (pos[:, 0] - hw).min(), (pos[:, 0] + hw).max()
    y1 = (pos[:, 1] - r).min()
    y2 = (pos[:, 1] + r + 4 + np.asarray(labels[1])).max()
    return float(min(1.2, (view[0] - 2 * pad) / max(x2 - x1, 1), (view[1] - 2 * pad) / max(y2 - y1, 1)))


def positions(net: Network, sizes=None, with_scale: bool = False):
    """The seeded layout of the chart with no node or label on another (HTML, GEXF, ANX).

    The page draws labels at least MIN_PX on screen at the opening (fitted) view, so a chart
    that only fits at a zoom below MIN_PX / FONT_PX has larger label text in chart units: the
    layout is redone (up to five times) with label boxes of that size, so they still do not
    overlap."""
    from .layout import separate, spring_layout

    nodes = net.nodes
    sizes = node_sizes(net) if sizes is None else sizes
    index = {nid: i for i, nid in enumerate(nodes["id"].tolist())}
    src = [index[v] for v in net.links["source"].tolist()]
    dst = [index[v] for v in net.links["target"].tolist()]
    widths, heights = label_boxes(net)
    pos = spring_layout(len(nodes), src, dst, net.links["count"].to_numpy(), sizes=sizes,
                        labels=(widths, heights))
    if not 1 < len(nodes) <= 400:  # bigger charts are not read label by label at fit
        return (pos, 1.0) if with_scale else pos
    scale = 1.0
    for _ in range(5):
        z = fit_zoom(pos, [x * scale for x in sizes], ([w * scale for w in widths], [h * scale for h in heights]))
        need = max(1.0, MIN_PX / FONT_PX / max(z, 0.05) * 1.04)
        if need <= scale * 1.02:
            break
        scale = need
        # labels (and nodes, so they stay visible beside their labels) grow by the same factor
        pos = separate(pos, [x * scale for x in sizes],
                       labels=([w * scale for w in widths], [h * scale for h in heights]),
                       linked=(src, dst), link_gap=110.0)
    # a tall chart on a wide screen: spread it sideways (moving centres apart never makes an
    # overlap), so it fills the view and the fitted zoom, hence the text, is larger
    import numpy as np

    want = VIEW[0] / VIEW[1]
    for _ in range(3):
        sz = [x * scale for x in sizes]
        lw = np.asarray(widths) * scale
        hw = np.maximum(np.asarray(sz) / 2, lw / 2)
        w = (pos[:, 0] + hw).max() - (pos[:, 0] - hw).min()
        h = ((pos[:, 1] + np.asarray(sz) / 2 + np.asarray(heights) * scale).max()
             - (pos[:, 1] - np.asarray(sz) / 2).min())
        if w / max(h, 1) >= want * 0.95:
            break
        pos = pos.copy()
        pos[:, 0] = (pos[:, 0] - pos[:, 0].mean()) * min(2.0, want * h / max(w, 1) * 1.1)
    return (pos, scale) if with_scale else pos


def _width(values, maximum: float):
    out = []
    for v in values:
        v = 0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else abs(float(v))
        out.append(round(1.5 + 10.5 * (math.log1p(v) / math.log1p(maximum) if maximum > 0 else 0.0), 2))
    return out


def chart_data(net: Network, size_by: str = "degree", directed: bool = True,
               width_by: str = "count") -> dict:
    nodes = net.nodes
    if width_by not in ("count", "amount"):
        raise ValueError(f"width_by must be count or amount, not {width_by!r}")
    sizes = node_sizes(net, size_by)
    pos, scale = positions(net, sizes, with_scale=True)
    sizes = [round(x * scale, 1) for x in sizes]
    hl_ids = set(nodes.loc[nodes["highlight"].astype(bool), "id"]) if len(nodes) else set()
    out_nodes = []
    for i, rec in enumerate(nodes.to_dict("records")):
        color, shape, label = NODE_STYLE.get(rec["type"], NODE_STYLE["entity"])
        text = label_text(rec)
        out_nodes.append({
            "id": rec["id"], "label": text, "type": rec["type"], "typeLabel": label,
            "identity": str(rec["identity"]), "values": rec["values"] or "", "status": rec["status"],
            "name": rec["name"] or "", "degree": int(rec["degree"]), "weight": int(rec["weight"]),
            "amountText": fmt_amount(rec["amount"]), "first": _iso(rec["first"]),
            "last": _iso(rec["last"]), "sources": rec["sources"] or "", "rows": rec["rows"] or "",
            "hl": bool(rec["highlight"]), "named": bool(rec["name"]) or rec["type"] == "person",
            "color": color, "shape": shape, "size": sizes[i],
            "members": net.groups.get(rec["id"], []) if rec["type"] == "group" else [],
            "x": round(float(pos[i, 0]), 1), "y": round(float(pos[i, 1]), 1),
        })
    real = net.links[net.links["link_type"] != "owns"]
    maxc = int(real["count"].max()) if len(real) else 1
    maxa = float(real["amount"].abs().max()) if len(real) and real["amount"].notna().any() else 0.0
    widths = (_width(net.links["amount"].tolist(), maxa) if width_by == "amount" and maxa > 0
              else _width(net.links["count"].tolist(), maxc))
    out_links = []
    for i, rec in enumerate(net.links.to_dict("records")):
        c = int(rec["count"])
        fwd, bwd = int(rec["forward"]), int(rec["backward"])
        owns = rec["link_type"] == "owns"
        amt = fmt_amount(rec["amount"])
        out_links.append({
            "id": f"e{i}", "source": rec["source"], "target": rec["target"], "count": c,
            "w": round((2.0 if owns else widths[i]) * scale, 2), "first": _iso(rec["first"]), "last": _iso(rec["last"]),
            "amountText": amt, "kinds": rec["kinds"] or "", "events": rec["events"] or "",
            "sources": rec["sources"] or "", "rows": rec["rows"] or "", "owns": owns,
            "money": rec["link_type"] == "payment",
            "text": ("" if owns else (f"£{float(rec['amount']):,.0f} ×{c}" if amt and rec["link_type"] == "payment"
                                      else str(c))),
            "hl": rec["source"] in hl_ids or rec["target"] in hl_ids,
            "sourceLabel": str(rec["source_label"]).replace("\n", " "),
            "targetLabel": str(rec["target_label"]).replace("\n", " "),
            "dirText": _dir_text(fwd, bwd, str(rec["source_label"]), str(rec["target_label"])),
            "arrow": "triangle" if directed and fwd and not owns else "none",
            "sarrow": "triangle" if directed and bwd and not owns else "none",
        })
    counts = nodes["type"].value_counts() if len(nodes) else {}
    types = [{"type": t, "label": NODE_STYLE[t][2], "color": NODE_STYLE[t][0], "shape": NODE_STYLE[t][1],
              "count": int(counts[t])} for t in NODE_STYLE if len(nodes) and t in counts]
    return {"nodes": out_nodes, "links": out_links, "types": types, "maxCount": maxc,
            "highlighted": int(nodes["highlight"].sum()) if len(nodes) else 0,
            "sizeBy": size_by, "widthBy": "amount" if (width_by == "amount" and maxa > 0) else "count",
            "money": net.kind == "money", "owns": bool((net.links["link_type"] == "owns").any()),
            "groups": int((nodes["type"] == "group").sum()) if len(nodes) else 0,
            "labelScale": round(scale, 3)}


def render_html(net: Network, *, title: str | None = None, size_by: str = "degree",
                directed: bool = True, png_name: str = "chart.png", width_by: str = "count") -> str:
    """The whole page as one string."""
    title = title or net.title or "Link chart"
    data = chart_data(net, size_by=size_by, directed=directed, width_by=width_by)
    data["pngName"] = png_name
    data_json = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    data_json = data_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    lib = _script_safe(vendor_js())
    app = _script_safe(_asset("page.js"))
    css = _asset("page.css")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {csp_hash(lib)} {csp_hash(app)}",
        f"style-src {csp_hash(css)} {csp_hash(CYTOSCAPE_CSS)}",
        "img-src data: blob:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    n, m = len(net.nodes), len(net.links)
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sources = ", ".join(net.sources) if net.sources else "input"
    esc = html.escape
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(csp, quote=False)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="toex {esc(__version__)} (cytoscape.js {CYTOSCAPE_VERSION})">
<title>{esc(title)} — {n} nodes, {m} links</title>
<style id="__________cytoscape_stylesheet">{CYTOSCAPE_CSS}</style>
<style>{css}</style>
</head>
<body data-nodes="" data-links="" data-ready="">
<header>
<h1>{esc(title)}</h1>
<input id="search" type="search" placeholder="Search a number, name, plate…" aria-label="Search">
<span id="found"></span>
<label>min. events <input id="minweight" type="range" min="1" max="1" value="1" step="1">
<span id="minweight-value">1</span></label>
<button id="reset" type="button">Reset</button>
<button id="relayout" type="button" title="Run the browser's force layout (slow on big charts)">Re-layout</button>
<button id="png" type="button">Save PNG</button>
<span id="stats" data-total-nodes="{n}" data-total-links="{m}">{n} nodes, {m} links</span>
</header>
<main>
<div id="cy"><div id="tip"></div></div>
<aside>
<h2>Legend (click to filter)</h2>
<div id="legend"></div>
<div id="legend-more"></div>
<h2>How to use</h2>
<p class="meta">Hover for details. Click a node to light up its neighbours; click a group
("37 contacts") to open it; click the background to clear. Drag nodes to arrange; scroll to
zoom.</p>
</aside>
</main>
<footer>Made by toex {esc(__version__)} on {made} from {esc(sources)}. Opens offline; loads
nothing from the network.</footer>
<script type="application/json" id="chart-data">{data_json}</script>
<script>{lib}</script>
<script>{app}</script>
</body>
</html>
"""


def write_html(net: Network, path: str | None, *, force: bool = False, **options) -> None:
    from .export import write_bytes

    name = "chart.png"
    if path not in (None, "-"):
        import os

        name = os.path.splitext(os.path.basename(path))[0] + ".png"
    write_bytes(render_html(net, png_name=name, **options).encode("utf-8"), path, force)
