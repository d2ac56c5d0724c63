"""i2 Analyst's Notebook Exchange (ANX) XML: the chart as ANB opens it, laid out.

The element and attribute names follow the schema ANB ships ("Analyst's Notebook 7.xsd"), as
generated into pcbje/pyanx (pyanx/anx.py) and used by its writer (pyanx/pyanx.py): a ``Chart``
holding a ``StrengthCollection``, ``EntityTypeCollection``, ``LinkTypeCollection`` and
``ChartItemCollection``. An entity is a ``ChartItem`` (``Label``, ``XPosition``) with an
``End`` (``X``, ``Y``) holding an ``Entity`` (``EntityId``, ``Identity``) drawn as an ``Icon``
(``IconStyle Type``). A link is a ``ChartItem`` with a ``Link`` (``End1Id``, ``End2Id``) and a
``LinkStyle`` (``Type``, ``ArrowStyle``, ``StrengthReference``, ``MlStyle``, ``LineWidth``).

Identity is the normalised identifier (E.164, compact account, VRM): ANB merges items whose
identities match exactly, so a later import of the same handset joins this one. The label is
the human form with the person's name. ``DateTime`` is the link's first event in UTC (the schema
holds ChartItem dates in UTC); the ``TimeZone`` child and ``DateTimeDescription`` name the zone
the analyst reads (Europe/London). A money link's arrow points the way the money went and its
label carries the positive total.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd

from .export import _link_label, _link_type, _write_xml
from .network import Network
from .styles import I2_TYPE

# Windows' name for the Europe/London zone (what ANB lists), and the id this file gives it
LONDON_ZONE = ("GMT Standard Time", "1")


def _arrow(fwd: int, bwd: int, owns: bool) -> str:
    if owns:
        return "ArrowNone"
    if fwd and bwd:
        return "ArrowOnBoth"
    if fwd:
        return "ArrowOnHead"
    if bwd:
        return "ArrowOnTail"
    return "ArrowNone"


def anx_tree(net: Network) -> ET.Element:
    from .html import positions

    nodes, links = net.nodes, net.links
    chart = ET.Element("Chart", {"IdReferenceLinking": "false", "Rigorous": "true"})
    strengths = ET.SubElement(chart, "StrengthCollection")
    ET.SubElement(strengths, "Strength", {"DotStyle": "DotStyleSolid", "Name": "Solid", "Id": "Solid"})
    ET.SubElement(strengths, "Strength", {"DotStyle": "DotStyleDashed", "Name": "Dashed", "Id": "Dashed"})
    etypes = ET.SubElement(chart, "EntityTypeCollection")
    for t in dict.fromkeys(nodes["type"].tolist()):
        name = I2_TYPE.get(t, "Entity")
        ET.SubElement(etypes, "EntityType", {"Name": name, "IconFile": name,
                                             "PreferredRepresentation": "RepresentAsIcon"})
    ltypes = ET.SubElement(chart, "LinkTypeCollection")
    recs = links.to_dict("records")
    for lt in dict.fromkeys(_link_type(r) for r in recs):
        ET.SubElement(ltypes, "LinkType", {"Name": lt})
    items = ET.SubElement(chart, "ChartItemCollection")

    index = {nid: i for i, nid in enumerate(nodes["id"].tolist())}
    pos = positions(net) if len(nodes) else None
    if pos is not None and len(pos):
        pos = pos - pos.min(0) + 50
    seen_ident: dict[str, int] = {}
    ent_id = {}
    for i, rec in enumerate(nodes.to_dict("records")):
        eid = f"n{i + 1}"
        ent_id[rec["id"]] = eid
        ident = str(rec["identity"])
        if ident in seen_ident:  # Identity must be unique in a chart: a clash is an error in ANB
            ident = f"{rec['type']}:{ident}"
        seen_ident[ident] = i
        x, y = (int(round(pos[i, 0])), int(round(pos[i, 1]))) if pos is not None else (0, 0)
        desc = "; ".join(p for p in (
            f"as written: {rec['values']}" if rec["values"] else "",
            f"entity {rec['entity_id']}" if rec["entity_id"] else "",
            f"sources: {rec['sources']}" if rec["sources"] else "",
            f"rows: {rec['rows']}" if rec["rows"] else "") if p)
        item = ET.SubElement(items, "ChartItem", {"Label": str(rec["label"]), "XPosition": str(x),
                                                  "Description": desc})
        end = ET.SubElement(item, "End", {"X": str(x), "Y": str(y)})
        entity = ET.SubElement(end, "Entity", {"EntityId": eid, "Identity": ident,
                                               "LabelIsIdentity": "false"})
        icon = ET.SubElement(entity, "Icon")
        style = ET.SubElement(icon, "IconStyle", {"Type": I2_TYPE.get(rec["type"], "Entity")})
        if rec["highlight"]:
            ET.SubElement(style, "FrameStyle", {"Colour": "65535", "Visible": "true", "Margin": "5"})
    maxc = max([int(r["count"]) for r in recs] or [1])
    for rec in recs:
        owns = rec["link_type"] == "owns"
        attrs = {"Label": _link_label(rec),
                 "Description": "; ".join(p for p in (f"events: {rec['count']}",
                                                      f"sources: {rec['sources']}" if rec["sources"] else "",
                                                      f"rows: {rec['rows']}" if rec["rows"] else "") if p)}
        first = rec["first"]
        if first is not None and not pd.isna(first):
            t = pd.Timestamp(first)
            t = t.tz_convert("UTC") if t.tzinfo else t
            local = t.tz_convert("Europe/London") if t.tzinfo else t
            attrs.update({"DateTime": t.strftime("%Y-%m-%dT%H:%M:%S"), "DateSet": "true",
                          "TimeSet": "true",
                          "DateTimeDescription": local.strftime("%Y-%m-%d %H:%M:%S") + " Europe/London"
                          + (f" (UTC{local.strftime('%z')[:3]}:{local.strftime('%z')[3:]})" if t.tzinfo else "")})
        item = ET.SubElement(items, "ChartItem", attrs)
        link = ET.SubElement(item, "Link", {"End1Id": ent_id[rec["source"]], "End2Id": ent_id[rec["target"]]})
        width = 1 + int(4 * (int(rec["count"]) / maxc)) if not owns else 1
        ET.SubElement(link, "LinkStyle", {
            "Type": _link_type(rec), "ArrowStyle": _arrow(int(rec["forward"]), int(rec["backward"]), owns),
            "StrengthReference": "Dashed" if owns else "Solid", "MlStyle": "MultiplicityMultiple",
            "LineWidth": str(width), "LineColour": "0"})
        if "DateTime" in attrs:
            ET.SubElement(item, "TimeZone", {"Name": LONDON_ZONE[0], "UniqueID": LONDON_ZONE[1]})
    return chart


def write_anx(net: Network, path: str, force: bool = False) -> None:
    _write_xml(anx_tree(net), path, force)
