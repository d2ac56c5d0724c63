"""File exporters: GraphML (Gephi, yEd), GEXF (Gephi), and the i2 / Maltego import tables.

GraphML and GEXF are written with the standard library's XML writer, so every value is escaped
and every attribute carries its type (string, int, double, boolean).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pandas as pd

from .network import Network, _iso, fmt_amount
from .styles import I2_TYPE, MALTEGO_TYPE, NODE_STYLE

NODE_ATTRS = [  # (column, GraphML/GEXF type)
    ("type", "string"), ("identity", "string"), ("label", "string"), ("values", "string"),
    ("status", "string"), ("degree", "int"), ("weight", "int"), ("amount", "double"),
    ("first", "string"), ("last", "string"), ("sources", "string"), ("rows", "string"),
    ("highlight", "boolean"),
]
LINK_ATTRS = [
    ("count", "int"), ("forward", "int"), ("backward", "int"), ("first", "string"),
    ("last", "string"), ("amount", "double"), ("kinds", "string"), ("sources", "string"),
    ("rows", "string"),
]


def _text(value, kind: str) -> str | None:
    """The attribute's text, or None when it has no value (so it is left out)."""
    if value is None:
        return None
    if kind == "string":
        if isinstance(value, pd.Timestamp) or (hasattr(value, "year") and not isinstance(value, str)):
            return _iso(value) or None
        if isinstance(value, float) and math.isnan(value):
            return None
        if value is pd.NaT:
            return None
        return str(value)
    if kind == "boolean":
        return "true" if bool(value) else "false"
    if kind == "int":
        return str(int(value))
    if isinstance(value, float) and math.isnan(value):
        return None
    return repr(float(value))


def _write_xml(root: ET.Element, path: str, force: bool) -> None:
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    write_bytes(data + b"\n", path, force)


def write_bytes(data: bytes, path: str | None, force: bool = False) -> None:
    """Write atomically (temp file + rename); never over an existing file without ``force``; a
    FIFO or device is written into, never replaced."""
    import sys

    from ..io.writers import write_bytes_atomic

    if path in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_bytes_atomic(data, path, force)


# ------------------------------------------------------------------------------ GraphML
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def graphml_tree(net: Network) -> ET.Element:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    for name, kind in NODE_ATTRS:
        ET.SubElement(root, "key", {"id": f"n_{name}", "for": "node", "attr.name": name,
                                    "attr.type": kind})
    ET.SubElement(root, "key", {"id": "n_color", "for": "node", "attr.name": "color",
                                "attr.type": "string"})
    for name, kind in LINK_ATTRS:
        ET.SubElement(root, "key", {"id": f"e_{name}", "for": "edge", "attr.name": name,
                                    "attr.type": kind})
    ET.SubElement(root, "key", {"id": "e_weight", "for": "edge", "attr.name": "weight",
                                "attr.type": "double"})
    graph = ET.SubElement(root, "graph", {"id": "toex", "edgedefault": "undirected"})
    for rec in net.nodes.to_dict("records"):
        node = ET.SubElement(graph, "node", {"id": rec["id"]})
        for name, kind in NODE_ATTRS:
            text = _text(rec[name], kind)
            if text is not None:
                ET.SubElement(node, "data", {"key": f"n_{name}"}).text = text
        ET.SubElement(node, "data", {"key": "n_color"}).text = NODE_STYLE.get(
            rec["type"], NODE_STYLE["entity"])[0]
    for i, rec in enumerate(net.links.to_dict("records")):
        edge = ET.SubElement(graph, "edge", {"id": f"e{i}", "source": rec["source"],
                                              "target": rec["target"]})
        for name, kind in LINK_ATTRS:
            text = _text(rec[name], kind)
            if text is not None:
                ET.SubElement(edge, "data", {"key": f"e_{name}"}).text = text
        ET.SubElement(edge, "data", {"key": "e_weight"}).text = repr(float(rec["count"]))
    return root


def write_graphml(net: Network, path: str, force: bool = False) -> None:
    """GraphML for Gephi and yEd: typed node and link attributes (``weight`` = event count)."""
    _write_xml(graphml_tree(net), path, force)


# ------------------------------------------------------------------------------ GEXF
GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
LAYOUT_MAX = 5000  # nodes up to which the GEXF carries positions (Gephi can lay out the rest)
_GEXF_TYPE = {"string": "string", "int": "integer", "double": "double", "boolean": "boolean"}


def gexf_tree(net: Network) -> ET.Element:
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "toex chart"
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = net.title or "link chart"
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {"defaultedgetype": "undirected",
                                                           "mode": "static"})
    nattrs = [(n, k) for n, k in NODE_ATTRS if n != "label"]
    na = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "node"})
    for i, (name, kind) in enumerate(nattrs):
        ET.SubElement(na, f"{{{GEXF_NS}}}attribute", {"id": str(i), "title": name,
                                                        "type": _GEXF_TYPE[kind]})
    ea = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "edge"})
    for i, (name, kind) in enumerate(LINK_ATTRS):
        ET.SubElement(ea, f"{{{GEXF_NS}}}attribute", {"id": str(i), "title": name,
                                                        "type": _GEXF_TYPE[kind]})
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    wmax = max(1, int(net.nodes["degree"].max())) if len(net.nodes) else 1
    pos = None
    if 0 < len(net.nodes) <= LAYOUT_MAX:  # the same seeded layout as the HTML page
        from .html import positions

        pos = positions(net)
    for ni, rec in enumerate(net.nodes.to_dict("records")):
        node = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": rec["id"], "label": str(rec["label"])})
        av = ET.SubElement(node, f"{{{GEXF_NS}}}attvalues")
        for i, (name, kind) in enumerate(nattrs):
            text = _text(rec[name], kind)
            if text is not None:
                ET.SubElement(av, f"{{{GEXF_NS}}}attvalue", {"for": str(i), "value": text})
        hexc = NODE_STYLE.get(rec["type"], NODE_STYLE["entity"])[0]
        ET.SubElement(node, f"{{{VIZ_NS}}}color", {"r": str(int(hexc[1:3], 16)),
                                                   "g": str(int(hexc[3:5], 16)),
                                                   "b": str(int(hexc[5:7], 16))})
        size = 10 + 40 * math.sqrt(int(rec["degree"]) / wmax)
        ET.SubElement(node, f"{{{VIZ_NS}}}size", {"value": f"{size:.1f}"})
        if pos is not None:
            ET.SubElement(node, f"{{{VIZ_NS}}}position", {"x": f"{pos[ni, 0]:.1f}",
                                                          "y": f"{-pos[ni, 1]:.1f}", "z": "0.0"})
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for j, rec in enumerate(net.links.to_dict("records")):
        edge = ET.SubElement(edges, f"{{{GEXF_NS}}}edge", {
            "id": str(j), "source": rec["source"], "target": rec["target"],
            "weight": str(int(rec["count"]))})
        av = ET.SubElement(edge, f"{{{GEXF_NS}}}attvalues")
        for i, (name, kind) in enumerate(LINK_ATTRS):
            text = _text(rec[name], kind)
            if text is not None:
                ET.SubElement(av, f"{{{GEXF_NS}}}attvalue", {"for": str(i), "value": text})
    return root


def write_gexf(net: Network, path: str, force: bool = False) -> None:
    """GEXF 1.3 for Gephi: typed attributes, colour by type, size by degree, weight = count."""
    _write_xml(gexf_tree(net), path, force)


# ------------------------------------------------------------------------------ import tables
def _direction(fwd: int, bwd: int) -> str:
    if fwd and bwd:
        return "both"
    if fwd:
        return "with"
    if bwd:
        return "against"
    return "none"


def _local(t) -> pd.Timestamp:
    """Europe/London wall clock of an instant (naive values are already wall clock)."""
    t = pd.Timestamp(t)
    return t.tz_convert("Europe/London").tz_localize(None) if t.tzinfo is not None else t


def _link_type(rec: dict) -> str:
    """i2 link type of a link: what the events were."""
    lt = rec.get("link_type", "link")
    if lt == "owns":
        return "Uses"
    if lt == "payment":
        return "Payment"
    ev = str(rec.get("events") or "")
    if ev and all(part.split(" ")[0] in ("sms", "mms", "message") for part in ev.split("; ")):
        return "Message"
    if lt == "call" or ev:
        return "Telephone Call"
    return "Link"


def _link_label(rec: dict) -> str:
    """'voice 5; sms 2', '£1,250.00 ×3', or the column pair ×count."""
    c = int(rec["count"])
    if rec.get("link_type") == "owns":
        return "uses / holds"
    if rec.get("link_type") == "payment" and not pd.isna(rec.get("amount")):
        return f"£{float(rec['amount']):,.2f} ×{c}"
    if rec.get("events"):
        return str(rec["events"])
    k = str(rec.get("kinds") or "")
    return f"{k} ×{c}" if c > 1 else k


def i2_table(net: Network) -> pd.DataFrame:
    """One row per link, in i2 Analyst's Notebook's import shape: two entities and a link.

    Identities are the normalised values, so i2 merges the same handset seen in different
    spellings (it merges entities whose identities match exactly).
    """
    nodes = net.nodes.set_index("id")
    lk = net.links
    first = lk["first"]
    out = pd.DataFrame({
        "Entity1 Identity": lk["source"].map(nodes["identity"]),
        "Entity1 Type": lk["source_type"].map(I2_TYPE),
        "Entity1 Label": lk["source_label"],
        "Entity2 Identity": lk["target"].map(nodes["identity"]),
        "Entity2 Type": lk["target_type"].map(I2_TYPE),
        "Entity2 Label": lk["target_label"],
        "Link Label": [_link_label(r) for r in lk.to_dict("records")],
        "Link Type": [_link_type(r) for r in lk.to_dict("records")],
        "Link Date": first.map(lambda t: "" if pd.isna(t) else _local(t).strftime("%Y-%m-%d")),
        # a date without a time (midnight, as _iso reads it) gets no invented 00:00:00
        "Link Time": first.map(lambda t: "" if pd.isna(t) or _local(t) == _local(t).normalize()
                               else _local(t).strftime("%H:%M:%S")),
        "Link Zone": first.map(lambda t: "" if pd.isna(t) else "Europe/London"),
        "Link Amount": lk["amount"].map(fmt_amount),
        "Link Count": lk["count"].astype("int64"),
        "Link Direction": [_direction(f, b) for f, b in zip(lk["forward"], lk["backward"])],
        "First Date": lk["first"].map(_iso),
        "Last Date": lk["last"].map(_iso),
        "Entity1 Highlight": lk["source"].map(nodes["highlight"]).map(lambda v: "yes" if v else ""),
        "Entity2 Highlight": lk["target"].map(nodes["highlight"]).map(lambda v: "yes" if v else ""),
        "Sources": lk["sources"],
        "Rows": lk["rows"],
    })
    return out.reset_index(drop=True)


def maltego_table(net: Network) -> pd.DataFrame:
    """One row per link for Maltego's "Import a 3rd Party Table": a column per end and entity
    type (``From maltego.PhoneNumber``...), so each column maps to one entity type in the
    wizard; then link properties (label, weight, dates, amount)."""
    lk = net.links
    nodes = net.nodes.set_index("id")
    ident_s = lk["source"].map(nodes["identity"])
    ident_t = lk["target"].map(nodes["identity"])
    cols = {}
    for kind in sorted(set(lk["source_type"])):
        cols[f"From {MALTEGO_TYPE[kind]}"] = ident_s.where(lk["source_type"] == kind, "")
    for kind in sorted(set(lk["target_type"])):
        cols[f"To {MALTEGO_TYPE[kind]}"] = ident_t.where(lk["target_type"] == kind, "")
    cols["Link Label"] = [f"{k} ×{c}" if c > 1 else k for k, c in zip(lk["kinds"], lk["count"])]
    cols["Link Weight"] = lk["count"].astype("int64")
    cols["First Seen"] = lk["first"].map(_iso)
    cols["Last Seen"] = lk["last"].map(_iso)
    cols["Amount"] = lk["amount"].map(fmt_amount)
    cols["Sources"] = lk["sources"]
    return pd.DataFrame(cols).reset_index(drop=True)


# ------------------------------------------------------------------------------ i2 events
I2_EVENT_TYPE = {"voice": "Telephone Call", "call": "Telephone Call", "sms": "SMS", "mms": "MMS",
                 "message": "Message", "data": "Data Session", "voicemail": "Voicemail",
                 "payment in": "Payment", "payment out": "Payment", "payment": "Payment"}


def i2_events_table(net: Network, tz: str = "Europe/London") -> pd.DataFrame:
    """One row per call, message or payment for i2's timeline and theme-line charts: date, time
    and zone columns (local wall clock in ``tz`` with its UTC offset, and the UTC instant), both
    identities with their types and labels, link type, amount (positive, in the direction of
    End1 -> End2), source file and row. Events whose ends were cut from the chart (``--top``,
    ``--focus``) are left out; collapsed contacts are still listed."""
    ev = net.events
    cols = ["Date", "Time", "Zone", "UTC Offset", "Date Time UTC", "Entity1 Identity", "Entity1 Type",
            "Entity1 Label", "Entity2 Identity", "Entity2 Type", "Entity2 Label", "Link Type",
            "Event", "Direction", "Amount", "Source", "Row"]
    if ev is None or not len(ev):
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols})
    label = dict(zip(net.nodes["id"], net.nodes["label"]))
    for members in net.groups.values():
        for m in members:
            label.setdefault(m["id"], m["label"])
    ev = ev[ev["source"].isin(label.keys()) & ev["target"].isin(label.keys())]
    ev = ev.sort_values(["when", "_source", "_row"], kind="stable", na_position="last")
    when = pd.to_datetime(ev["when"], utc=True)
    local = when.dt.tz_convert(tz)
    midnight = (local.dt.hour == 0) & (local.dt.minute == 0) & (local.dt.second == 0)
    off = local.map(lambda t: "" if pd.isna(t) else t.strftime("%z")).str.replace(
        r"^([+-]\d\d)(\d\d)$", r"\1:\2", regex=True)
    split = lambda s, i: s.str.split(":", n=1).str[i]  # noqa: E731
    amount = ev["amount"].abs()
    out = pd.DataFrame({
        "Date": local.dt.strftime("%Y-%m-%d").fillna(""),
        "Time": local.dt.strftime("%H:%M:%S").where(~midnight, "").fillna(""),
        "Zone": pd.Series(tz, index=ev.index).where(when.notna(), ""),
        "UTC Offset": off.fillna(""),
        "Date Time UTC": when.dt.strftime("%Y-%m-%dT%H:%M:%SZ").fillna(""),
        "Entity1 Identity": split(ev["source"], 1), "Entity1 Type": split(ev["source"], 0).map(I2_TYPE),
        "Entity1 Label": ev["source"].map(label),
        "Entity2 Identity": split(ev["target"], 1), "Entity2 Type": split(ev["target"], 0).map(I2_TYPE),
        "Entity2 Label": ev["target"].map(label),
        "Link Type": ev["event"].map(lambda e: I2_EVENT_TYPE.get(str(e), "Link")),
        "Event": ev["event"].astype(str),
        "Direction": "with",
        "Amount": amount.map(fmt_amount),
        "Source": ev["_source"].astype(str), "Row": ev["_row"].astype(str),
    })
    return out.reset_index(drop=True)
