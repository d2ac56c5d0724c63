"""Build a link-chart network from table rows, and cut it down to something readable.

``build_network(df, links=[("Caller", "Callee")], types={"Caller": "phone"})`` gives a
:class:`Network` with two DataFrames:

- ``nodes``: one row per distinct normalised identity: ``id`` (``type:identity``), ``type``,
  ``identity``, ``label``, ``values`` (the raw spellings seen), ``status``, ``degree``
  (distinct neighbours), ``weight`` (events), ``amount``, ``first``/``last`` (dates),
  ``sources`` and ``rows`` (where it came from), ``highlight``.
- ``links``: one row per pair of identities (undirected; ``forward``/``backward`` keep the
  direction counts): ``source``, ``target``, their types and labels, ``count``, ``first``,
  ``last``, ``amount``, ``kinds`` (which column pairs), ``sources``, ``rows``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from ..errors import DataError, UsageError, require_columns
from .identity import MULTI, TYPES, display, guess_type, normalise

ROWS_SHOWN = 20  # rows listed per node/link in the `rows` provenance text


@dataclass
class Network:
    nodes: pd.DataFrame
    links: pd.DataFrame
    notes: list[str] = field(default_factory=list)  # what was skipped or guessed, for stderr
    title: str = ""
    sources: list[str] = field(default_factory=list)
    events: pd.DataFrame | None = None  # one row per counted event (source, target, when, ...)
    directed: bool = False               # links keep their direction (money): never netted
    groups: dict = field(default_factory=dict)  # group node id -> members (collapsed leaves)
    kind: str = "links"                  # calls, money or links: what the chart shows

    def copy(self, nodes=None, links=None) -> "Network":
        return Network(self.nodes if nodes is None else nodes, self.links if links is None else links,
                       list(self.notes), self.title, list(self.sources), self.events, self.directed,
                       dict(self.groups), self.kind)

    def __repr__(self) -> str:
        return f"Network({len(self.nodes)} nodes, {len(self.links)} links)"


# ------------------------------------------------------------------------------ parsing helpers
_DAY_FIRST = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M:%S",
              "%d-%m-%Y %H:%M", "%d-%m-%Y", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y")


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates and times through the toolbox's one time model (:mod:`toexcli.timemodel`), shown
    as Europe/London wall clock (naive); NaT where unreadable. A ``Z`` or offset is an exact
    instant (``2024-04-02T17:57:00Z`` is 18:57 BST), never read as local time; a value with no
    zone is UK wall clock; numeric dates are day first."""
    from ..timemodel import parse

    utc = parse(values.fillna("").astype(str), dayfirst=True)["utc"]
    return utc.dt.tz_convert("Europe/London").dt.tz_localize(None).set_axis(values.index)


_MONEY_JUNK = re.compile(r"[£$€¥,\s]|GBP|EUR|USD", re.IGNORECASE)


def parse_amounts(values: pd.Series) -> pd.Series:
    """Numbers from money text (``£1,250.00``, ``(12.50)`` = -12.50); NaN where not a number."""
    text = values.fillna("").astype(str).str.strip()
    codes, uniques = pd.factorize(text)
    distinct = pd.Series(list(uniques), dtype=object)
    neg = distinct.str.match(r"^\(.*\)$") | distinct.str.upper().str.endswith(("DR", " D"))
    clean = distinct.str.replace(_MONEY_JUNK, "", regex=True).str.strip("()").str.replace(
        r"(?i)(CR|DR)$", "", regex=True)
    num = pd.to_numeric(clean, errors="coerce")
    num = num.where(~neg, -num.abs())
    return pd.Series(num.to_numpy()[codes], index=values.index, dtype="float64")


def _iso(ts) -> str:
    if ts is None or pd.isna(ts):
        return ""
    ts = pd.Timestamp(ts)
    if ts.tzinfo is not None:  # instants are UTC; people read Europe/London wall clock
        ts = ts.tz_convert("Europe/London").tz_localize(None)
    if ts.hour == 0 and ts.minute == 0 and ts.second == 0:
        return ts.strftime("%Y-%m-%d")
    return ts.strftime("%Y-%m-%d %H:%M:%S" if ts.second else "%Y-%m-%d %H:%M")


def _codes(values) -> tuple:
    import numpy as np

    codes, uniques = pd.factorize(pd.Series(values, dtype=object) if not isinstance(values, pd.Series)
                                  else values, use_na_sentinel=False)
    return np.asarray(codes, dtype="int64"), list(uniques)


def _rows_text(frame: pd.DataFrame, key: str) -> pd.Series:
    """'calls.csv: 2, 3, 5; b.csv: 7 (+12 more)' per key, from columns key, _source, _row.

    Sorted and ranked with numpy; Python only touches the first ROWS_SHOWN rows of each key.
    """
    import numpy as np

    kc, keys = _codes(frame[key])
    sc, srcs = _codes(frame["_source"].astype(str))
    rows = frame["_row"].to_numpy(dtype="int64")
    order = np.lexsort((rows, sc, kc))
    kc, sc, rows = kc[order], sc[order], rows[order]
    dup = np.zeros(len(kc), dtype=bool)
    dup[1:] = (kc[1:] == kc[:-1]) & (sc[1:] == sc[:-1]) & (rows[1:] == rows[:-1])
    kc, sc, rows = kc[~dup], sc[~dup], rows[~dup]
    total = np.bincount(kc, minlength=len(keys))
    starts = np.r_[0, np.flatnonzero(kc[1:] != kc[:-1]) + 1] if len(kc) else np.array([], "int64")
    first_of_key = np.zeros(len(keys), dtype="int64")
    first_of_key[kc[starts]] = starts
    rank = np.arange(len(kc)) - first_of_key[kc]
    keep = rank < ROWS_SHOWN
    out: dict = {}
    for k, s_, r in zip(kc[keep].tolist(), sc[keep].tolist(), rows[keep].tolist()):
        out.setdefault(k, []).append((s_, r))
    result = {}
    for k, pairs in out.items():
        parts, cur, buf = [], None, []
        for s_, r in pairs:
            if s_ != cur:
                if buf:
                    parts.append(f"{srcs[cur]}: " + ", ".join(buf))
                cur, buf = s_, []
            buf.append(str(r))
        if buf:
            parts.append(f"{srcs[cur]}: " + ", ".join(buf))
        text = "; ".join(parts)
        more = int(total[k]) - len(pairs)
        result[keys[k]] = text + (f" (+{more} more)" if more > 0 else "")
    return pd.Series(result, dtype=object)


def _joined(frame: pd.DataFrame, key: str, col: str, limit: int = 10) -> pd.Series:
    """The distinct non-empty values of ``col`` per ``key``, in first-seen order, joined by ' | '."""
    import numpy as np

    kc, keys = _codes(frame[key])
    vc, vals = _codes(frame[col].astype(str))
    pair = kc * (len(vals) + 1) + vc
    _, first = np.unique(pair, return_index=True)
    first.sort()
    groups: dict = {}
    for k, v in zip(kc[first].tolist(), vc[first].tolist()):
        text = vals[v]
        if text != "":
            groups.setdefault(k, []).append(text)
    out = {}
    for k, vs in groups.items():
        more = len(vs) - limit
        out[keys[k]] = " | ".join(vs[:limit]) + (f" (+{more} more)" if more > 0 else "")
    return pd.Series(out, dtype=object)


# ------------------------------------------------------------------------------ building
def _when(df: pd.DataFrame, date: str, time: str | None, notes: list[str]) -> pd.Series:
    """Each row's instant (UTC, tz-aware) through the one time model: zones in the values or
    named in the header are exact; anything else is Europe/London wall time."""
    from .. import timemodel

    text = df[date]
    if time:
        text = timemodel.combine(df[date], df[time])
    declared = timemodel.zone_from_header(date)  # a timedelta; UTC's is 0, so test for None
    if declared is None and time:
        declared = timemodel.zone_from_header(time)
    parsed = timemodel.parse(text, dayfirst=True, declared=declared)
    bad = int((parsed["tz_status"] == timemodel.UNREADABLE).sum())
    if bad:
        notes.append(f"{bad:,} rows have a {date} that is not a date; they count in links "
                     f"but not in first/last dates")
    odd = int(parsed["tz_status"].isin([timemodel.NONEXISTENT, timemodel.AMBIGUOUS]).sum())
    if odd:
        notes.append(f"{odd:,} rows fall in a clock change (skipped or repeated hour); read as "
                     f"the time model says (see toex's README, time model)")
    return parsed["utc"]


def _normalise_typed(values: pd.Series) -> pd.DataFrame:
    """Values already written ``type:value`` (money charts mix accounts, people and names in one
    column): each normalised by its own type; the type stays in front of the identity."""
    text = values.fillna("").astype(str)
    kind = text.str.split(":", n=1).str[0]
    raw = text.str.split(":", n=1).str[1].fillna("")
    out = pd.DataFrame({"identity": "", "status": "blank"}, index=values.index)
    for k in kind.unique().tolist():
        pick = kind == k
        if k not in TYPES:
            continue
        # a counterparty name is one node however a bank cases it (K EXAMPLE = K Example)
        got = normalise(raw[pick], "person" if k == "entity" else k)
        out.loc[pick, "identity"] = (k + ":" + got["identity"]).where(got["identity"] != "", "")
        out.loc[pick, "status"] = got["status"]
    return out


def build_network(df: pd.DataFrame, links, types: dict[str, str] | None = None, *,
                  date: str | None = None, time: str | None = None, amount: str | None = None,
                  highlight=None, source_name: str = "input", title: str = "",
                  directed: bool = False, event: str | None = None,
                  duplicate: str | None = None, link_type: str = "link",
                  limits: tuple[int, int | None] | None = None) -> Network:
    """Turn rows into a network: each (FROM_COL, TO_COL) pair in ``links`` links the two values
    of a row. ``types`` maps a column to one of TYPES (guessed from its name or values when
    not given), or ``typed`` for values written ``type:value``. ``date``/``time``/``amount``
    name the columns giving a link's dates and amount; ``event`` a column naming each row's
    kind of event (voice, sms...). ``duplicate``: a column that is non-empty on a row already
    counted elsewhere (``duplicate_of`` of a two-ended call): such rows are not counted again.
    ``directed``: links keep FROM -> TO (money: one link per direction, never netted); else one
    link per pair with ``forward``/``backward`` counts.
    ``highlight``: values to mark as targets (normalised like the nodes).
    ``limits``: (max nodes, max links): refuse (:func:`check_size`'s error) as soon as the
    identities are known, before the nodes and links are aggregated and drawn.
    """
    links = [tuple(pair) for pair in (links or [])]
    if not links:
        raise UsageError("give at least one --link FROM_COL TO_COL")
    types = dict(types or {})
    notes: list[str] = []
    wanted = ([c for pair in links for c in pair] + [c for c in (date, time, amount, event, duplicate) if c]
              + list(types))
    require_columns(df.columns, wanted, source_name)
    for col, kind in types.items():
        if kind not in TYPES and kind != "typed":
            raise UsageError(f"--type {col}={kind}: unknown type; use one of {', '.join(TYPES)}")
    guessed_cols = []
    for col in dict.fromkeys(c for pair in links for c in pair):
        if col not in types:
            types[col] = guess_type(col, df[col]) or "entity"
            guessed_cols.append(f"{col} as {types[col]}")
    if guessed_cols:
        notes.append(f"charting {', '.join(guessed_cols)} (guessed from the names and values; "
                     f"set with --type COL=TYPE)")

    if duplicate:
        dup = df[duplicate].fillna("").astype(str).str.strip() != ""
        if dup.any():
            notes.append(f"{int(dup.sum()):,} row(s) are the other end of an event already counted "
                         f"({duplicate}): counted once")
            df = df[~dup]
    n = len(df)
    src = df["_source"].astype(str) if "_source" in df.columns else pd.Series(source_name, index=df.index)
    row = df["_row"] if "_row" in df.columns else pd.Series(range(1, n + 1), index=df.index)
    when = _when(df, date, time, notes) if date else None
    money = parse_amounts(df[amount]) if amount else None
    if money is not None:
        bad = int((money.isna() & (df[amount].fillna("").astype(str).str.strip() != "")).sum())
        if bad:
            notes.append(f"{bad:,} rows have a {amount} that is not a number; not added to amounts")

    # one identity per column, each distinct value normalised once
    ident = {}
    cols = list(dict.fromkeys(c for pair in links for c in pair))
    for kind in dict.fromkeys(types[c] for c in cols):  # columns of a type share one pass
        same = [c for c in cols if types[c] == kind]
        stacked = pd.concat([df[c] for c in same], ignore_index=True)
        both = _normalise_typed(stacked) if kind == "typed" else normalise(stacked, kind)
        if kind != "typed":
            both["identity"] = (kind + ":" + both["identity"]).where(both["identity"] != "", "")
            multi = both["identity"].str.contains(MULTI, regex=False)
            if multi.any():
                both.loc[multi, "identity"] = both.loc[multi, "identity"].str.replace(
                    MULTI, MULTI + kind + ":", regex=False)
        for i, c in enumerate(same):
            part = both.iloc[i * n:(i + 1) * n]
            ident[c] = part.set_axis(df.index)
    for col in cols:
        res = ident[col]
        skipped = res.loc[res["identity"] == "", "status"]
        skipped = skipped[skipped != "blank"]
        if len(skipped):
            examples = df.loc[skipped.index, col].astype(str).drop_duplicates().head(3).tolist()
            notes.append(f"{len(skipped):,} '{col}' values have no identity and are not charted "
                         f"(e.g. {', '.join(repr(e) for e in examples)})")
        split = int(res["identity"].str.contains(MULTI, regex=False).sum())
        if split:
            notes.append(f"{split:,} '{col}' cell(s) hold two or more numbers: each number is its "
                         f"own node (toex phones' multiple handling)")

    def raw_of(col):
        raw = df[col].fillna("").astype(str).str.strip()
        if types[col] == "typed":
            raw = raw.str.split(":", n=1).str[1].fillna("")
        return raw.to_numpy()

    ends = []
    for a, b in links:
        ia, ib = ident[a]["identity"], ident[b]["identity"]
        frame = pd.DataFrame({
            "a": ia.to_numpy(), "b": ib.to_numpy(),
            "a_ok": (ia != "").to_numpy(), "b_ok": (ib != "").to_numpy(),
            "a_raw": raw_of(a), "b_raw": raw_of(b),
            "a_status": ident[a]["status"].to_numpy(), "b_status": ident[b]["status"].to_numpy(),
            "kind": f"{a} → {b}", "_source": src.to_numpy(), "_row": row.to_numpy(),
            "when": when.to_numpy() if when is not None else pd.NaT,
            "amount": money.to_numpy() if money is not None else float("nan"),
            "event": (df[event].fillna("").astype(str).str.strip().str.lower().to_numpy()
                      if event else ""),
        })
        for end in ("a", "b"):  # a cell with several numbers: one row per number
            many = frame[end].str.contains(MULTI, regex=False)
            if many.any():
                frame[end] = frame[end].where(~many, frame[end].str.split(MULTI))
                frame = frame.explode(end, ignore_index=True)
        ends.append(frame)
    rows = pd.concat(ends, ignore_index=True)
    rows["when"] = pd.to_datetime(rows["when"], utc=True)
    usable = rows["a_ok"] & rows["b_ok"]
    half = ((rows["a_ok"] & ~rows["b_ok"] & (rows["b_status"] != "blank"))
            | (rows["b_ok"] & ~rows["a_ok"] & (rows["a_status"] != "blank")))
    if half.any():
        notes.append(f"{int(half.sum()):,} row(s) link a value to a placeholder such as Withheld: "
                     f"the known end is still a node, but no link is drawn")
    lone = ((rows["a_ok"] & (rows["b_status"] == "blank")) | (rows["b_ok"] & (rows["a_status"] == "blank")))
    if lone.any():
        notes.append(f"{int(lone.sum()):,} row(s) have only one end (a data session, a blank cell): "
                     f"the known end is a node, no link is drawn")

    # nodes: every identity seen at either end of a row
    end_a = rows.loc[rows["a_ok"], ["a", "a_raw", "a_status", "_source", "_row", "when"]]
    end_a.columns = ["id", "raw", "status", "_source", "_row", "when"]
    end_b = rows.loc[rows["b_ok"], ["b", "b_raw", "b_status", "_source", "_row", "when"]]
    end_b.columns = ["id", "raw", "status", "_source", "_row", "when"]
    seen = pd.concat([end_a, end_b], ignore_index=True)
    if limits is not None:  # count before aggregating: a too-big chart is refused in seconds
        check_counts(*count_network(seen["id"], rows.loc[usable, "a"], rows.loc[usable, "b"],
                                    directed), *limits)

    lk = rows[usable].copy()
    swap = (lk["a"] > lk["b"]) if not directed else pd.Series(False, index=lk.index)
    lk["source"] = lk["a"].where(~swap, lk["b"])
    lk["target"] = lk["b"].where(~swap, lk["a"])
    lk["fwd"] = (~swap).astype("int64")
    lk["bwd"] = swap.astype("int64")
    lk.loc[lk["a"] == lk["b"], "bwd"] = 0
    lk["pair"] = lk["source"] + "\x1f" + lk["target"]
    g = lk.groupby("pair", sort=False)
    links_df = pd.DataFrame({
        "source": g["source"].first(), "target": g["target"].first(),
        "count": g.size(), "forward": g["fwd"].sum(), "backward": g["bwd"].sum(),
        "first": g["when"].min(), "last": g["when"].max(),
        "amount": g["amount"].sum(min_count=1),
    })
    one_source = src.nunique() <= 1
    links_df["kinds"] = f"{links[0][0]} → {links[0][1]}" if len(links) == 1 else _joined(lk, "pair", "kind")
    links_df["events"] = _event_counts(lk)
    links_df["link_type"] = link_type
    links_df["sources"] = str(src.iloc[0]) if one_source and n else _joined(lk, "pair", "_source")
    links_df["rows"] = _rows_text(lk, "pair")
    links_df = links_df.reset_index(drop=True)

    gs = seen.groupby("id", sort=False)
    nodes = pd.DataFrame({"first": gs["when"].min(), "last": gs["when"].max()})
    nodes.index.name = "id"
    odd = seen.loc[~seen["status"].isin(["ok", ""]), ["id", "status"]].drop_duplicates("id")
    odd_map = dict(zip(odd["id"].tolist(), odd["status"].tolist()))
    nodes["status"] = [odd_map.get(i, "ok") for i in nodes.index.tolist()]
    nodes["values"] = _joined(seen, "id", "raw")
    nodes["sources"] = str(src.iloc[0]) if one_source and n else _joined(seen, "id", "_source")
    nodes["rows"] = _rows_text(seen, "id")
    nodes = nodes.reset_index()
    nodes.insert(1, "type", nodes["id"].str.split(":", n=1).str[0])
    nodes.insert(2, "identity", nodes["id"].str.split(":", n=1).str[1])
    # people and addresses are matched in capitals but read better as first written; phones,
    # accounts and plates read in their human forms (the identity stays normalised)
    first_raw = seen.drop_duplicates("id").set_index("id")["raw"].str.replace(r"\s+", " ", regex=True)
    nodes.insert(3, "label", [display(i, t, r) for i, t, r in zip(
        nodes["identity"].tolist(), nodes["type"].tolist(), nodes["id"].map(first_raw).tolist())])
    nodes["display"] = nodes["label"]
    nodes["name"] = ""
    nodes["entity_id"] = ""
    events = lk[["a", "b", "when", "amount", "event", "kind", "_source", "_row"]].rename(
        columns={"a": "source", "b": "target"}).reset_index(drop=True)
    net = Network(nodes, links_df, notes, title, events=events, directed=directed)
    net.sources = list(dict.fromkeys(src.tolist()))
    net = _finish(net)
    if highlight:
        net = mark_highlight(net, highlight)
    return net


def _event_counts(lk: pd.DataFrame) -> pd.Series:
    """'voice 5; sms 2' per pair (largest first)."""
    c = lk.groupby(["pair", "event"], sort=False).size().reset_index(name="n")
    c = c[c["event"] != ""].sort_values(["pair", "n", "event"], ascending=[True, False, True])
    text = (c["event"] + " " + c["n"].astype(str)).groupby(c["pair"]).agg("; ".join)
    return text


NODE_ORDER = ["id", "type", "identity", "label", "display", "name", "entity_id", "values", "status",
              "degree", "weight", "amount", "first", "last", "sources", "rows", "highlight",
              "members"]
LINK_ORDER = ["source", "target", "source_type", "target_type", "source_label", "target_label",
              "link_type", "count", "forward", "backward", "first", "last", "amount", "events",
              "kinds", "sources", "rows"]


def _finish(net: Network) -> Network:
    """Recompute degree/weight/amount for the nodes of (a possibly cut) network; tidy types."""
    nodes, links = net.nodes.copy(), net.links.copy()
    for col, default in (("display", None), ("name", ""), ("entity_id", ""), ("members", ""),
                         ("highlight", False)):
        if col not in nodes.columns:
            nodes[col] = nodes["label"] if default is None else default
    for col, default in (("events", ""), ("link_type", "link")):
        if col not in links.columns:
            links[col] = default
    links["events"] = links["events"].fillna("")
    real = links[links["link_type"] != "owns"]
    ends = pd.concat([
        links[["source", "target", "count", "amount"]].rename(columns={"source": "id", "target": "other"}),
        links[["target", "source", "count", "amount"]].rename(columns={"target": "id", "source": "other"}),
    ], ignore_index=True)
    loops = links["source"] == links["target"]
    ends = pd.concat([ends.iloc[: len(links)], ends.iloc[len(links):][~loops.to_numpy()]])
    g = ends.groupby("id")
    rends = pd.concat([
        real[["source", "count", "amount"]].rename(columns={"source": "id"}),
        real.loc[real["source"] != real["target"], ["target", "count", "amount"]].rename(columns={"target": "id"}),
    ], ignore_index=True)
    rg = rends.groupby("id")
    nodes["degree"] = nodes["id"].map(g["other"].nunique()).fillna(0).astype("int64")
    nodes["weight"] = nodes["id"].map(rg["count"].sum()).fillna(0).astype("int64")
    nodes["amount"] = nodes["id"].map(rg["amount"].sum(min_count=1)).astype("float64")
    label = nodes.set_index("id")["label"]
    tmap = nodes.set_index("id")["type"]
    links["source_type"] = links["source"].map(tmap)
    links["target_type"] = links["target"].map(tmap)
    links["source_label"] = links["source"].map(label)
    links["target_label"] = links["target"].map(label)
    links["count"] = links["count"].astype("int64")
    links = links[LINK_ORDER]
    nodes = nodes[NODE_ORDER]
    return net.copy(nodes=nodes.reset_index(drop=True), links=links.reset_index(drop=True))


# ------------------------------------------------------------------------------ highlight / find
def match_values(net: Network, values) -> tuple[list[str], list[str]]:
    """Node ids matching each of ``values`` (normalised with each node type present; a raw
    spelling seen in the data also matches). Returns (ids, values that matched nothing)."""
    values = [str(v).strip() for v in values if str(v).strip()]
    ids: list[str] = []
    missing: list[str] = []
    present = set(net.nodes["type"]) & set(TYPES)
    by_id = set(net.nodes["id"])
    raw_index: dict[str, set] = {}
    for nid, vals in zip(net.nodes["id"], net.nodes["values"].fillna("")):
        for v in str(vals).split(" | "):
            raw_index.setdefault(v.strip().lower(), set()).add(nid)
    norm = {kind: normalise(pd.Series(values, dtype=object), kind)["identity"].tolist()
            for kind in present}
    for i, v in enumerate(values):
        found = {f"{kind}:{norm[kind][i]}" for kind in present if norm[kind][i]} & by_id
        found |= raw_index.get(v.lower(), set())
        if v in by_id:
            found.add(v)
        if found:
            ids.extend(sorted(found))
        else:
            missing.append(v)
    return list(dict.fromkeys(ids)), missing


def mark_highlight(net: Network, values) -> Network:
    ids, missing = match_values(net, values)
    nodes = net.nodes.copy()
    nodes["highlight"] = nodes["highlight"] | nodes["id"].isin(ids)
    out = net.copy(nodes=nodes)
    out.notes.append(f"highlighted {len(ids):,} node(s)")
    if missing:
        shown = ", ".join(missing[:5]) + (f" (+{len(missing) - 5} more)" if len(missing) > 5 else "")
        out.notes.append(f"{len(missing):,} highlight value(s) are not in the chart: {shown}")
    return out


# ------------------------------------------------------------------------------ cutting down
def _keep(net: Network, links: pd.DataFrame, keep_ids=()) -> Network:
    """Keep ``links`` and the nodes they touch (plus ``keep_ids``)."""
    ids = set(links["source"]) | set(links["target"]) | set(keep_ids)
    nodes = net.nodes[net.nodes["id"].isin(ids)]
    return _finish(net.copy(nodes=nodes, links=links))


def min_weight(net: Network, n: int) -> Network:
    """Links with at least ``n`` events, and the nodes they join."""
    if n <= 1:
        return net
    keep = net.links[net.links["count"] >= n]
    out = _keep(net, keep, net.nodes.loc[net.nodes["highlight"], "id"])
    out.notes.append(f"--min-weight {n}: kept {len(keep):,} of {len(net.links):,} links")
    return out


def focus(net: Network, values, hops: int = 1) -> Network:
    """The ego network: nodes within ``hops`` links of the node(s) matching ``values``."""
    if isinstance(values, str):
        values = [values]
    ids, missing = match_values(net, values)
    if not ids:
        raise UsageError(f"--focus {', '.join(missing)}: not in the chart (check the value, or "
                         f"whether --min-weight removed its links)")
    if hops < 0:
        raise UsageError("--hops must be 0 or more")
    adj: dict[str, set] = {}
    for s, t in zip(net.links["source"], net.links["target"]):
        adj.setdefault(s, set()).add(t)
        adj.setdefault(t, set()).add(s)
    reached, frontier = set(ids), set(ids)
    for _ in range(hops):
        frontier = {m for v in frontier for m in adj.get(v, ())} - reached
        reached |= frontier
        if not frontier:
            break
    keep = net.links[net.links["source"].isin(reached) & net.links["target"].isin(reached)]
    out = _keep(net, keep, ids)
    nodes = out.nodes.copy()
    nodes["highlight"] = nodes["highlight"] | nodes["id"].isin(ids)
    out = out.copy(nodes=nodes)
    out.notes.append(f"--focus: {len(out.nodes):,} nodes within {hops} hop(s) of "
                     f"{', '.join(ids)}")
    return out


def top(net: Network, n: int) -> Network:
    """The ``n`` heaviest links (ties: earliest first date, then identities, so it is stable).
    Person nodes, named nodes (from ``--entities``/``--labels``) and highlighted nodes are always
    kept, with the links that tie a person to their identifiers: cutting a chart to its busiest
    links must never drop the people it is about."""
    if n is None:
        return net
    if n < 1:
        raise UsageError("--top must be 1 or more")
    nodes, links = net.nodes, net.links
    keep_ids = set(nodes.loc[(nodes["type"] == "person") | (nodes["name"] != "") | nodes["highlight"], "id"])
    owns = links["link_type"] == "owns"
    ranked = links[~owns]
    if n >= len(ranked):
        return net
    first = pd.to_datetime(ranked["first"], utc=True)
    ordered = ranked.assign(_f=first.fillna(pd.Timestamp.max.tz_localize("UTC"))).sort_values(
        ["count", "_f", "source", "target"], ascending=[False, True, True, True], kind="stable")
    keep = ordered.head(n).drop(columns="_f")
    ids = set(keep["source"]) | set(keep["target"]) | keep_ids
    own = links[owns & links["source"].isin(ids) & links["target"].isin(ids)]
    kept = pd.concat([keep, own]).sort_index()
    out = _keep(net, kept, keep_ids)
    out.notes.append(f"--top {n}: kept the {n:,} heaviest of {len(ranked):,} links"
                     + (f" and every person/named node ({len(keep_ids):,})" if keep_ids else ""))
    return out


def collapse_leaves(net: Network, min_group: int = 2, significant: float = 0.2) -> Network:
    """Contacts seen by only one node and nothing else become one group node per hub ("37
    contacts"), so the few nodes that matter are not lost in a hairball. A leaf is a node with
    one neighbour; named, person and highlighted nodes are never collapsed; in a money chart
    payers and payees of a hub are grouped apart (in and out are never mixed); a leaf carrying
    ``significant`` (a fifth) or more of its hub's events or money on that side stays. The members are
    kept in ``net.groups`` (the HTML page expands a group on click)."""
    nodes, links = net.nodes, net.links
    if not len(links):
        return net
    real = links[links["source"] != links["target"]]
    nb = pd.concat([real[["source", "target"]].set_axis(["id", "other"], axis=1),
                    real[["target", "source"]].set_axis(["id", "other"], axis=1)])
    deg = nb.groupby("id")["other"].nunique()
    info = nodes.set_index("id")
    protected = (info["type"] == "person") | (info["name"] != "") | info["highlight"].astype(bool)
    leaf_ids = [i for i, d in deg.items() if d == 1 and not protected.get(i, False)]
    leaf = set(leaf_ids)
    cand = real[real["source"].isin(leaf) ^ real["target"].isin(leaf)].copy()
    if not len(cand):
        return net
    cand["leaf"] = cand["source"].where(cand["source"].isin(leaf), cand["target"])
    cand["hub"] = cand["target"].where(cand["source"].isin(leaf), cand["source"])
    cand = cand[cand["hub"].map(deg).fillna(0) > 1]
    # in a directed chart a leaf that only pays the hub and one the hub only pays go apart
    cand["side"] = ""
    if net.directed:
        cand["side"] = cand["source"].where(cand["source"].isin(leaf), "").map(lambda v: "in" if v else "out")
    # a leaf that carries a fifth or more of its hub's events (or money) on that side stays:
    # a supplier paid £4,000 is not "one of 3 payees"
    measure = cand["amount"].abs().fillna(0) if net.kind == "money" else cand["count"].astype(float)
    hub_total = real.assign(_m=(real["amount"].abs().fillna(0) if net.kind == "money"
                                else real["count"].astype(float)))
    side_of = (lambda hub, side: hub_total.loc[hub_total["target"] == hub, "_m"].sum() if side == "in"
               else hub_total.loc[hub_total["source"] == hub, "_m"].sum() if side == "out"
               else hub_total.loc[(hub_total["source"] == hub) | (hub_total["target"] == hub), "_m"].sum())
    totals = {key: side_of(*key) for key in set(zip(cand["hub"], cand["side"]))}
    share = measure / [max(totals[k], 1e-9) for k in zip(cand["hub"], cand["side"])]
    cand = cand[share < significant]
    sizes = cand.groupby(["hub", "side"])["leaf"].transform("size")
    cand = cand[sizes >= min_group]
    if not len(cand):
        return net
    new_nodes, new_links, groups = [], [], dict(net.groups)
    for (hub, side), part in cand.groupby(["hub", "side"], sort=True):
        gid = f"group:{hub}" + (f":{side}" if side else "")
        kinds = set(info.loc[part["leaf"], "type"])
        noun = ("payers" if side == "in" else "payees" if side == "out"
                else "contacts" if kinds <= {"phone", "email"} else "links")
        label = f"{len(part)} {noun}"
        members = []
        for rec in part.sort_values(["count", "leaf"], ascending=[False, True]).to_dict("records"):
            m = info.loc[rec["leaf"]]
            members.append({"id": rec["leaf"], "label": str(m["label"]), "type": str(m["type"]),
                            "identity": str(m["identity"]), "count": int(rec["count"]),
                            "amount": None if pd.isna(rec["amount"]) else float(rec["amount"]),
                            "forward": int(rec["forward"]), "backward": int(rec["backward"]),
                            "hub_is_source": bool(rec["source"] == hub)})
        groups[gid] = members
        amt = part["amount"].sum(min_count=1)
        new_nodes.append({
            "id": gid, "type": "group", "identity": gid[len("group:"):], "label": label,
            "display": label, "name": "", "entity_id": "",
            "values": " | ".join(x["label"] for x in members[:10]) + (
                f" (+{len(members) - 10} more)" if len(members) > 10 else ""),
            "status": "ok", "first": part["first"].min(), "last": part["last"].max(),
            "sources": " | ".join(dict.fromkeys(" | ".join(part["sources"].astype(str)).split(" | "))),
            "rows": "", "highlight": False, "members": "; ".join(x["label"] for x in members)})
        hub_src = side == "out" or (side == "" and True)
        fwd = int(part.loc[part["source"] == hub, "forward"].sum() + part.loc[part["target"] == hub, "backward"].sum())
        bwd = int(part.loc[part["source"] == hub, "backward"].sum() + part.loc[part["target"] == hub, "forward"].sum())
        src_, dst_ = (hub, gid) if hub_src else (gid, hub)
        if not hub_src:
            fwd, bwd = bwd, fwd
        new_links.append({
            "source": src_, "target": dst_, "count": int(part["count"].sum()),
            "forward": fwd, "backward": bwd, "first": part["first"].min(), "last": part["last"].max(),
            "amount": amt, "events": "", "link_type": str(part["link_type"].iloc[0]),
            "kinds": " | ".join(dict.fromkeys(part["kinds"].astype(str))),
            "sources": " | ".join(dict.fromkeys(" | ".join(part["sources"].astype(str)).split(" | "))),
            "rows": f"{len(part)} links collapsed"})
    gone = set(cand["leaf"])
    kept_nodes = nodes[~nodes["id"].isin(gone)]
    kept_links = links[~(links["source"].isin(gone) | links["target"].isin(gone))]
    add_n = pd.DataFrame(new_nodes)
    for c in ("first", "last"):
        add_n[c] = pd.to_datetime(add_n[c], utc=True)
    add_l = pd.DataFrame(new_links)
    for c in ("first", "last"):
        add_l[c] = pd.to_datetime(add_l[c], utc=True)
    all_nodes = pd.concat([kept_nodes, add_n], ignore_index=True)
    all_links = pd.concat([kept_links, add_l], ignore_index=True)
    out = _finish(net.copy(nodes=all_nodes, links=all_links))
    out.groups = groups
    out.notes.append(f"--collapse-leaves: {len(gone):,} contacts seen by one node only became "
                     f"{len(new_nodes):,} group node(s)")
    return out


def count_network(ids: pd.Series, a: pd.Series, b: pd.Series, directed: bool) -> tuple[int, int]:
    """(nodes, links) the network of these node ids and link ends will have: distinct ids,
    distinct (a, b) pairs (unordered unless ``directed``), counted on integer codes."""
    import numpy as np

    nodes = int(pd.unique(ids.to_numpy()).size) if len(ids) else 0
    if not len(a):
        return nodes, 0
    codes, uniq = pd.factorize(pd.concat([a, b], ignore_index=True).to_numpy(), sort=True)
    ca, cb = codes[: len(a)].astype(np.int64), codes[len(a):].astype(np.int64)
    if not directed:
        ca, cb = np.minimum(ca, cb), np.maximum(ca, cb)
    return nodes, int(np.unique(ca * len(uniq) + cb).size)


def check_counts(nodes: int, links: int, max_nodes: int, max_links: int | None = None) -> None:
    """Refuse a chart of ``nodes`` and ``links`` too large to read, saying how to narrow it."""
    max_links = max_links if max_links is not None else max_nodes * 4
    if nodes > max_nodes or links > max_links:
        suggest = max(1, min(max_links, max_nodes) // 2)
        raise DataError(
            f"the chart would have {nodes:,} nodes and {links:,} links, more "
            f"than can be read (limit {max_nodes:,} nodes, {max_links:,} links); narrow it with "
            f"--top {suggest}, --min-weight N or --focus VALUE --hops 1, or raise --max-nodes")


def check_size(net: Network, max_nodes: int, max_links: int | None = None) -> None:
    """Refuse a chart too large to read, saying how to narrow it."""
    check_counts(len(net.nodes), len(net.links), max_nodes, max_links)


# ------------------------------------------------------------------------------ tables
def nodes_table(net: Network) -> pd.DataFrame:
    out = net.nodes.copy()
    for c in ("first", "last"):
        out[c] = out[c].map(_iso)
    return out


def links_table(net: Network) -> pd.DataFrame:
    out = net.links.copy()
    for c in ("first", "last"):
        out[c] = out[c].map(_iso)
    return out


def fmt_amount(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return f"{v:.2f}"
