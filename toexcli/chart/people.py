"""Names on a chart: who is behind each phone, account, wallet and vehicle.

Two inputs give names:

- an entities table from ``toex merge resolve --entities`` (``entity_id``, ``names`` and one
  column per identifier kind: ``phone``, ``account``, ``vrm``, ``wallet``, ``email``);
- a labels table: identifier -> label (columns ``identifier``/``id``/``value`` and
  ``label``/``name``, else the first two columns; an optional ``type`` column).

``apply_names`` draws each identifier of an entity with the person's name beside its human
display form (``Daniel OKAFOR · 07700 900202``); the identity stays normalised. With
``people=True`` each entity (not a label) also becomes a person node linked (link type ``owns``) to all of its
phones, accounts, wallets and vehicles, including those the data itself never mentions.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import DataError
from .identity import MULTI, TYPES, display, normalise
from .network import Network, _finish

# merge resolve's identifier kinds -> chart node types
KIND_TO_TYPE = {"phone": "phone", "account": "account", "vrm": "vehicle", "vehicle": "vehicle",
                "wallet": "wallet", "email": "email"}
SEP = " · "


def person_name(names: str) -> str:
    """The name to draw from an entity's ``names`` (``;``-separated spellings): the fullest
    spelling; ``OKAFOR, Daniel`` reads ``Daniel OKAFOR``."""
    cands = [n.strip() for n in re.split(r";|\|", str(names or "")) if n.strip()]
    if not cands:
        return ""
    def score(n: str):
        words = re.findall(r"[^\W\d_]{2,}", n)
        # the police convention (Daniel OKAFOR) wins a tie: forename as written, SURNAME in capitals
        convention = len(words) >= 2 and words[-1].isupper() and not words[0].isupper()
        return (len(words), len(n), convention)

    best = max(cands, key=score)
    if "," in best:
        surname, _, fore = best.partition(",")
        if fore.strip():
            best = f"{fore.strip()} {surname.strip().upper()}"
    return re.sub(r"\s+", " ", best)


# other spellings of those columns in hand-made people tables
ALIASES = {"phones": "phone", "mobile": "phone", "mobiles": "phone", "telephone": "phone",
           "msisdn": "phone", "accounts": "account", "vrms": "vrm", "vehicles": "vehicle",
           "registration": "vrm", "plate": "vrm", "plates": "vrm", "wallets": "wallet",
           "emails": "email", "e-mail": "email"}


def read_entities(df: pd.DataFrame, source: str = "--entities") -> list[dict]:
    """One dict per entity: ``entity_id``, ``name``, ``ids`` [(type, raw value)...]."""
    cols = {}
    for c in df.columns:
        key = str(c).lower().strip()
        cols.setdefault(ALIASES.get(key, key), c)
    kinds = [(k, cols[k]) for k in KIND_TO_TYPE if k in cols]
    name_col = (cols.get("names") or cols.get("name") or cols.get("full name") or cols.get("person")
                or cols.get("label"))
    if not kinds or not name_col:
        raise DataError(f"{source}: not an entities table (needs a names column and at least one of "
                        f"{', '.join(KIND_TO_TYPE)}; make it with toex merge resolve --entities FILE)")
    eid_col = cols.get("entity_id")
    out = []
    for i, rec in enumerate(df.to_dict("records")):
        name = person_name(rec.get(name_col, ""))
        ids = []
        for kind, col in kinds:
            for v in re.split(r";|\|", "" if rec.get(col) is None else str(rec.get(col))):
                v = v.strip()
                if v and v.lower() != "nan":
                    ids.append((KIND_TO_TYPE[kind], v))
        eid = str(rec.get(eid_col) or "").strip() if eid_col else ""
        out.append({"entity_id": eid or f"E{i + 1:06d}", "name": name, "ids": ids})
    return out


def read_labels(df: pd.DataFrame, source: str = "--labels") -> list[dict]:
    """One dict per label row: ``value``, ``label``, ``type`` ('' = any type in the chart)."""
    if len(df.columns) < 2:
        raise DataError(f"{source}: a labels table needs two columns: identifier, label")
    cols = {c.lower().strip(): c for c in df.columns if not str(c).startswith("_")}
    ident = next((cols[c] for c in ("identifier", "identity", "id", "value", "number") if c in cols),
                 list(cols.values())[0])
    label = next((cols[c] for c in ("label", "name", "names") if c in cols),
                 next(c for c in cols.values() if c != ident))
    tcol = cols.get("type")
    out = []
    for rec in df.to_dict("records"):
        v, lab = str(rec.get(ident) or "").strip(), str(rec.get(label) or "").strip()
        t = str(rec.get(tcol) or "").strip().lower() if tcol else ""
        if v and lab and v.lower() != "nan" and lab.lower() != "nan":
            if t and t not in TYPES:
                raise DataError(f"{source}: type '{t}' of {v}: use one of {', '.join(TYPES)}")
            out.append({"value": v, "label": lab, "type": t})
    return out


def _ids_of(values: list[str], kind: str) -> list[str]:
    """The node id of each value ('' when it has none; a cell with two numbers: the first)."""
    return [ids[0] if ids else "" for ids in _all_ids_of(values, kind)]


def _all_ids_of(values: list[str], kind: str) -> list[list[str]]:
    """Every node id of each value (a cell holding two numbers gives two)."""
    got = normalise(pd.Series(values, dtype=object), kind)["identity"].tolist()
    return [[f"{kind}:{x}" for x in g.split(MULTI)] if g else [] for g in got]


def entity_index(entities: list[dict]) -> dict[str, tuple[str, str]]:
    """node id -> (entity_id, name) for every identifier of every entity."""
    index: dict[str, tuple[str, str]] = {}
    by_kind: dict[str, list] = {}
    for e in entities:
        for kind, v in e["ids"]:
            by_kind.setdefault(kind, []).append((v, e))
    for kind, items in by_kind.items():
        for nids, (_, e) in zip(_all_ids_of([v for v, _ in items], kind), items):
            for nid in nids:
                index.setdefault(nid, (e["entity_id"], e["name"]))
    return index


def _set_names(nodes: pd.DataFrame, named: dict[str, tuple[str, str]]) -> pd.DataFrame:
    nodes = nodes.copy()
    hit = nodes["id"].isin(named.keys()) & (nodes["type"] != "person")
    if hit.any():
        eid = nodes.loc[hit, "id"].map(lambda i: named[i][0])
        name = nodes.loc[hit, "id"].map(lambda i: named[i][1])
        nodes.loc[hit, "entity_id"] = eid
        nodes.loc[hit, "name"] = name
        nodes.loc[hit, "label"] = [f"{n}{SEP}{d}" if n and n != d else d
                                   for n, d in zip(name, nodes.loc[hit, "display"])]
    return nodes


def apply_names(net: Network, entities: list[dict] | None = None, labels: list[dict] | None = None,
                people: bool = False) -> Network:
    """Names from an entities table and/or a labels table onto the chart (see the module doc)."""
    nodes, links = net.nodes.copy(), net.links.copy()
    named: dict[str, tuple[str, str]] = {}
    notes = []
    groups: dict[str, dict] = {}  # person key -> {name, ids}
    if entities:
        index = entity_index(entities)
        present = set(nodes["id"])
        named.update({k: v for k, v in index.items() if k in present})
        ents_used = {v[0] for v in named.values()}
        notes.append(f"--entities: {len(named):,} node(s) of {len(ents_used):,} entit(y/ies) named")
        if people:
            by_id = {e["entity_id"]: e for e in entities}
            for eid in sorted(ents_used):
                e = by_id[eid]
                ids = [nid for nid, (x, _) in index.items() if x == eid]
                groups[eid] = {"name": e["name"] or eid, "ids": ids}
    if labels:
        present_types = sorted(set(nodes["type"]))
        hits = 0
        for kind in present_types:
            rows = [r for r in labels if r["type"] in ("", kind)]
            if not rows:
                continue
            for nid, r in zip(_ids_of([r["value"] for r in rows], kind), rows):
                if nid and nid in set(nodes["id"]) and nid not in named:
                    key = "L:" + re.sub(r"\s+", " ", r["label"]).strip().upper()
                    named[nid] = (key, r["label"])
                    hits += 1
        missing = len(labels) - hits
        notes.append(f"--labels: {hits:,} node(s) labelled" + (
            f"; {missing:,} label row(s) match no node" if missing > 0 else ""))
    if entities:  # person nodes a money chart made from a counterparty name (person:E000003)
        names = {e["entity_id"].upper(): e for e in entities}
        pick = (nodes["type"] == "person") & nodes["identity"].isin(names.keys())
        for i in nodes.index[pick]:
            e = names[nodes.at[i, "identity"]]
            nodes.loc[i, ["label", "display", "name", "entity_id"]] = [e["name"], e["name"], e["name"], e["entity_id"]]
            if people and e["entity_id"] not in groups:
                ids = [nid for nid, (x, _) in entity_index([e]).items()]
                groups[e["entity_id"]] = {"name": e["name"] or e["entity_id"], "ids": ids}
    nodes = _set_names(nodes, named)
    if people and groups:
        add_nodes, add_links = [], []
        have = set(nodes["id"])
        for key, grp in groups.items():
            pid = f"person:{key.upper()}" if not key.startswith("L:") else f"person:{key}"
            if pid not in have:
                add_nodes.append({"id": pid, "type": "person", "identity": key, "label": grp["name"],
                                  "display": grp["name"], "name": grp["name"], "entity_id": key,
                                  "values": grp["name"], "status": "ok", "first": pd.NaT,
                                  "last": pd.NaT, "sources": "entities", "rows": "",
                                  "highlight": False, "members": ""})
                have.add(pid)
            for nid in dict.fromkeys(grp["ids"]):
                if nid not in have:  # an identifier the data never mentions (a car, an account)
                    kind, ident = nid.split(":", 1)
                    disp = display(ident, kind)
                    add_nodes.append({"id": nid, "type": kind, "identity": ident,
                                      "label": f"{grp['name']}{SEP}{disp}", "display": disp,
                                      "name": grp["name"], "entity_id": key, "values": ident,
                                      "status": "from the entities file", "first": pd.NaT,
                                      "last": pd.NaT, "sources": "entities", "rows": "",
                                      "highlight": False, "members": ""})
                    have.add(nid)
                add_links.append({"source": pid, "target": nid, "count": 1, "forward": 1,
                                  "backward": 0, "first": pd.NaT, "last": pd.NaT,
                                  "amount": float("nan"), "events": "", "link_type": "owns",
                                  "kinds": "uses / holds", "sources": "entities", "rows": ""})
        if add_nodes:
            extra = pd.DataFrame(add_nodes)
            for c in ("first", "last"):
                extra[c] = pd.to_datetime(extra[c], utc=True)
            nodes = pd.concat([nodes, extra], ignore_index=True)
        if add_links:
            extra = pd.DataFrame(add_links)
            for c in ("first", "last"):
                extra[c] = pd.to_datetime(extra[c], utc=True)
            links = pd.concat([links, extra], ignore_index=True)
        notes.append(f"--people: {len(groups):,} person node(s) linked to {len(add_links):,} identifier(s)")
    out = _finish(net.copy(nodes=nodes, links=links))
    out.notes.extend(notes)
    return out


# ------------------------------------------------------------------------------ names in money
def _tokens(name: str) -> list[str]:
    from ..merge.keys import normalise_name

    return normalise_name(name).split()


def name_matcher(entities: list[dict]):
    """A function: counterparty name -> entity dict or None. Exact (normalised: case, order,
    titles, accents, nicknames) first; else initials for forenames (``D OKAFOR`` = ``Daniel
    OKAFOR``) when exactly one entity fits."""
    exact: dict[str, list] = {}
    toks = []
    for e in entities:
        t = _tokens(e["name"]) if e["name"] else []
        if t:
            exact.setdefault(" ".join(t), []).append(e)
            toks.append((t, e))

    def fits(short: list[str], full: list[str]) -> bool:
        rest = list(full)
        whole = 0
        for s in sorted(short, key=len, reverse=True):
            if s in rest:
                rest.remove(s)
                whole += len(s) > 1
                continue
            m = next((f for f in rest if len(s) == 1 and f.startswith(s)), None)
            if m is None:
                return False
            rest.remove(m)
        return whole >= 1

    cache: dict[str, object] = {}

    def match(name: str):
        if name in cache:
            return cache[name]
        t = _tokens(name)
        hit = None
        if t:
            ex = exact.get(" ".join(t), [])
            if len(ex) == 1:
                hit = ex[0]
            elif not ex:
                cands = [e for ft, e in toks if len(t) <= len(ft) and fits(t, ft)]
                if len({c["entity_id"] for c in cands}) == 1:
                    hit = cands[0]
        cache[name] = hit
        return hit

    return match
