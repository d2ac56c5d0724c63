"""Conflate: give every row an ``entity_id`` so that rows describing the same person share it.

The model (the same one Splink or a graph database would run at larger scale):

1. Every identifier value is normalised by kind (phone -> E.164, email lower-case, IMEI to its
   14 device digits, ...) and namespaced (``phone:+447700900123``).
2. Identifiers that are placeholders (built-in junk list, ``--junk``) or that appear on more than
   ``max_degree`` distinct records (a taxi firm, a shared landline) are not used to link; they
   are reported in ``match_ignored``.
3. Rows sharing a usable identifier are linked; names link rows only when their dates of birth
   agree (the blocking key) and the fuzzy score reaches ``threshold``. Without a date-of-birth
   column, names block on their first letters instead, and such links are weaker still.
4. Entities are the connected components of those links (chains count, not pairs only).
5. The analyst's judgements (pairs marked same / different) are applied last and win.

Ids are numbered in order of each entity's first row, so the same input gives the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError
from .graph import components, constrained_components, key_star_edges
from .keys import (canonical_kind, dob_keys, find_column, identifier_keys, junk_mask, name_keys,
                   name_score)

NEW_COLUMNS = ("entity_id", "entity_size", "match_reasons", "match_ignored")
# link strengths: lower is stronger; "different" judgements cut the weakest first
JUDGED, IDENT, NAME_EXACT, NAME_FUZZY = 0, 1, 2, 3


@dataclass
class ResolveResult:
    table: pd.DataFrame
    ignored: pd.DataFrame  # key, kind, reason, records, rows
    stats: dict = field(default_factory=dict)
    _ctx: dict = field(default_factory=dict, repr=False)

    def entities(self) -> pd.DataFrame:
        """One row per entity: its identifiers, names, dates of birth, sources and row count."""
        return entity_table(self)


def parse_id_specs(specs) -> list[tuple[str, str]]:
    """``['phone:Phone Number', 'email:email']`` -> [('phone', 'Phone Number'), ...]."""
    out = []
    for spec in specs or []:
        if ":" not in spec:
            raise UsageError(f"--id expects KIND:COLUMN (e.g. phone:msisdn), got '{spec}'")
        kind, col = spec.split(":", 1)
        out.append((canonical_kind(kind), col.strip()))
    return out


def _normalise_junk(junk, kinds) -> dict[str, set]:
    """User junk values: 'KIND:value' for one kind, or a bare value tried against every kind."""
    per_kind: dict[str, set] = {k: set() for k in kinds}
    for item in junk or []:
        item = str(item).strip()
        if not item:
            continue
        kind, _, value = item.partition(":")
        try:
            targets = [canonical_kind(kind)] if value and kind.lower() != "mailto" else list(kinds)
        except UsageError:
            targets, value = list(kinds), item
        if len(targets) > 1 or not value:
            value = item
        for k in targets:
            if k not in per_kind:
                continue
            key = identifier_keys(pd.Series([value], dtype="str"), k).iloc[0]
            if isinstance(key, str):
                per_kind[k].add(key)
            per_kind[k].add(value)
    return per_kind


def resolve(df: pd.DataFrame, ids, name: str | None = None, dob: str | None = None, *,
            threshold: float = 90, max_degree: int = 10, junk=(), judgements: pd.DataFrame | None = None,
            region: str = "GB", max_block: int = 500, source: str = "input",
            engine: str = "native", backend: str = "duckdb",
            spark_master: str | None = None) -> ResolveResult:
    """Give every row of ``df`` an ``entity_id`` (see the module docstring for the model).

    ``ids``: list of (kind, column) or 'kind:column' strings. A column may be missing from some
    rows' source (empty there) but must exist in the table. ``max_degree`` 0 turns the degree
    limit off. ``judgements``: a DataFrame with columns ``record_a``, ``record_b``, ``decision``
    (same/different); records are ``SOURCE:ROW`` (as in ``_source``/``_row``) or ``KIND:VALUE``.
    ``engine="splink"`` scores names with Splink on ``backend`` (duckdb, or spark with an
    optional ``spark_master``). Returns a ResolveResult: ``.table`` (input + entity_id, entity_size, match_reasons,
    match_ignored), ``.ignored`` (identifiers not used), ``.entities()``.
    """
    ids = [parse_id_specs([s])[0] if isinstance(s, str) else (canonical_kind(s[0]), s[1]) for s in ids or []]
    if not ids and not name:
        raise UsageError("resolve needs at least one --id KIND:COLUMN (or --name)")
    if not 0 <= threshold <= 100:
        raise UsageError(f"--threshold must be between 0 and 100, got {threshold}")
    if engine not in ("native", "splink"):
        raise UsageError(f"--engine must be native or splink, got '{engine}'")
    df = df.reset_index(drop=True)
    n = len(df)
    cols = [(k, find_column(df.columns, c, source)) for k, c in ids]
    name_col, name_text = _name_columns(df, name, source) if name else (None, None)
    dob_col = find_column(df.columns, dob, source) if dob else None
    kinds = sorted({k for k, _ in cols})
    user_junk = _normalise_junk(junk, kinds)

    # ---- 1. keys per identifier column (namespaced)
    key_cols: list[pd.Series] = []
    shown_cols: list[pd.Series] = []  # what the entities table shows for each key
    long_rows, long_keys, long_junk = [], [], []
    split_notes: list[pd.Series] = []
    todo = list(cols)
    while todo:
        kind, col, *given = todo.pop(0)
        if given:  # the second, third... number of cells holding several (see below)
            keys = given[0]
        else:
            keys = identifier_keys(df[col], kind, region=region)
            if kind == "phone":
                extra, note = _split_phone_cells(df[col], keys, region)
                if note is not None:
                    keys = extra[0]
                    split_notes.append(note)
                    todo[:0] = [(kind, col, e) for e in extra[1:]]
                    cols.extend((kind, col) for _ in extra[1:])
        ns = (kind + ":" + keys).where(keys.notna())
        key_cols.append(ns)
        if kind == "imei" and not given:
            # The key is the 14 digits that identify the handset; people know the IMEI as
            # written (15 digits with its check digit): show that.
            digits = df[col].astype("str").str.replace(r"\D", "", regex=True)
            shown_cols.append((kind + ":" + digits).where(keys.notna()))
        else:
            shown_cols.append(ns)
        present = ns.notna().to_numpy()
        long_rows.append(np.flatnonzero(present))
        long_keys.append(ns.to_numpy(dtype=object)[present])
        # junk: judged once per distinct key
        kc, ku = pd.factorize(keys[present])
        ju = junk_mask(pd.Series(ku, dtype="str"), kind, user_junk.get(kind, ())).to_numpy()
        long_junk.append(ju[kc] if len(kc) else np.zeros(0, bool))
    rows = np.concatenate(long_rows).astype(np.int64) if long_rows else np.zeros(0, np.int64)
    keys_arr = np.concatenate(long_keys) if long_keys else np.zeros(0, object)
    codes, uniq = pd.factorize(keys_arr)
    uniq = pd.Index(pd.array(uniq, dtype="str"))
    junk_u = np.zeros(len(uniq), bool)
    if len(codes):
        junk_u[codes] = np.concatenate(long_junk)
    pairs_rc = pd.DataFrame({"row": rows, "code": codes}).drop_duplicates()  # same key twice in a row
    rows, codes = pairs_rc["row"].to_numpy(), pairs_rc["code"].to_numpy()
    names = name_keys(name_text) if name_col else None
    dobs = dob_keys(df[dob_col]) if dob_col else None

    # ---- 2. degree: distinct records (evidence signatures) per key
    evidence = pd.DataFrame({f"k{i}": s for i, s in enumerate(key_cols)}, index=df.index)
    if names is not None:
        evidence["name"] = names
    if dobs is not None:
        evidence["dob"] = dobs
    sig = pd.util.hash_pandas_object(evidence.fillna(""), index=False).to_numpy() if len(evidence.columns) \
        else np.zeros(n, np.uint64)
    n_keys = len(uniq)
    key_rows = np.bincount(codes, minlength=n_keys)
    distinct = pd.DataFrame({"code": codes, "sig": sig[rows]}).drop_duplicates()
    records = np.bincount(distinct["code"].to_numpy(), minlength=n_keys)
    over = (records > max_degree) if max_degree and max_degree > 0 else np.zeros(n_keys, bool)
    reason = np.where(junk_u, "junk value", np.where(over, np.char.add(np.char.add(
        "on ", records.astype(str)), " records"), ""))
    per_key = pd.DataFrame({"rows": key_rows, "records": records, "reason": pd.array(reason, dtype="str")})
    unused = per_key["reason"] != ""
    used_code = ~unused.to_numpy()
    long_used = used_code[codes]

    # ---- 3. identifier links
    u_id, v_id = key_star_edges(rows[long_used], codes[long_used])
    edges_u, edges_v, edges_s = [u_id], [v_id], [np.full(len(u_id), IDENT, np.int8)]

    # ---- 4. name links (blocked)
    name_best = np.zeros(n, np.float64)  # best name score that tied each row in (0 = none)
    name_mode = None
    skipped_blocks = []
    if names is not None:
        if dobs is not None:
            block, name_mode = dobs, "name+dob"
        else:
            block, name_mode = names.str.split(" ").map(
                lambda t: " ".join(x[:1] for x in t) if isinstance(t, list) else None).astype("str"), "name"
        ok = (names.notna() & block.notna()).to_numpy()
        crow = np.flatnonzero(ok)
        if len(crow):
            bcode, bvals = pd.factorize(block[ok])
            ncode, nvals = pd.factorize(names[ok])
            nvals = np.asarray(nvals, dtype=object)
            grp, _ = pd.factorize(bcode.astype(np.int64) * (len(nvals) + 1) + ncode)
            # rows with the same name in the same block: exact links to the group's first row
            ue, ve = key_star_edges(crow, grp)
            edges_u.append(ue), edges_v.append(ve), edges_s.append(np.full(len(ue), NAME_EXACT, np.int8))
            gsize = np.bincount(grp)
            name_best[crow[gsize[grp] > 1]] = 100
            first = ~pd.Series(grp).duplicated().to_numpy()  # one representative row per group
            rep = pd.DataFrame({"row": crow[first], "b": bcode[first], "nc": ncode[first], "g": grp[first]})
            bsize = np.bincount(rep["b"].to_numpy())
            big = bsize[rep["b"].to_numpy()] > max_block
            if big.any():
                skipped_blocks = sorted(str(bvals[i]) for i in np.unique(rep["b"].to_numpy()[big]))
            rep = rep.loc[~big & (bsize[rep["b"].to_numpy()] > 1)]
            if engine == "splink":
                from .splink_engine import name_links

                # every candidate row goes in: repeated exact names help Splink learn its weights
                pa_, pb_, sc = name_links(pd.DataFrame({"row": crow, "name": nvals[ncode],
                                                        "block": np.asarray(bvals, dtype=object)[bcode]}),
                                          with_dob=dobs is not None, threshold=threshold,
                                          backend=backend, spark_master=spark_master)
                g_of_row = pd.Series(grp, index=crow)
                ga, gb = g_of_row.reindex(pa_).to_numpy(), g_of_row.reindex(pb_).to_numpy()
            else:
                pairs = rep.merge(rep, on="b", suffixes=("_a", "_b"))
                pairs = pairs[pairs["nc_a"].to_numpy() < pairs["nc_b"].to_numpy()]
                # token_sort_ratio can only reach the threshold when the lengths are close enough
                lens = np.fromiter((len(x) for x in nvals), dtype=np.int64, count=len(nvals))
                la, lb = lens[pairs["nc_a"].to_numpy()], lens[pairs["nc_b"].to_numpy()]
                pairs = pairs[200.0 * np.minimum(la, lb) / np.maximum(la + lb, 1) >= threshold]
                score = name_score(nvals[pairs["nc_a"].to_numpy()], nvals[pairs["nc_b"].to_numpy()])
                hit = score >= threshold
                pa_, pb_, sc = pairs["row_a"].to_numpy()[hit], pairs["row_b"].to_numpy()[hit], score[hit]
                ga, gb = pairs["g_a"].to_numpy()[hit], pairs["g_b"].to_numpy()[hit]
            if len(pa_):
                edges_u.append(pa_), edges_v.append(pb_)
                edges_s.append(np.where(sc >= 100, NAME_EXACT, NAME_FUZZY).astype(np.int8))
                # every row of the two name groups was tied in by this score
                g_best = np.zeros(len(gsize), np.float64)
                np.maximum.at(g_best, ga, sc)
                np.maximum.at(g_best, gb, sc)
                name_best[crow] = np.maximum(name_best[crow], g_best[grp])

    # ---- 5. analyst judgements
    cannot: list[tuple[int, int]] = []
    judged_rows = np.zeros(n, bool)
    judge_note = {}
    if judgements is not None and len(judgements):
        same, cannot, judge_note = _judgement_pairs(df, judgements, rows, codes, uniq)
        if same:
            a, b = np.array(same, np.int64).T
            edges_u.append(a), edges_v.append(b), edges_s.append(np.full(len(a), JUDGED, np.int8))
            judged_rows[a] = judged_rows[b] = True

    eu, ev, es = np.concatenate(edges_u), np.concatenate(edges_v), np.concatenate(edges_s)
    label = components(n, eu, ev)
    refused = []
    if cannot:
        label, refused = _apply_cannot(label, eu, ev, es, cannot)

    # ---- 6. deterministic ids, in order of each entity's first row
    ent_codes, _ = pd.factorize(label)
    n_ent = int(ent_codes.max()) + 1 if n else 0
    width = max(6, len(str(n_ent)))
    entity_id = pd.Series(np.char.add("E", np.char.zfill((ent_codes + 1).astype(str), width)) if n else [],
                          index=df.index, dtype="str")
    sizes = np.bincount(ent_codes)[ent_codes] if n else np.zeros(0, np.int64)

    # ---- 7. why each row is in its entity
    keyrows = key_rows
    reasons_parts, ignored_parts = [], []
    for ns in key_cols:
        c = pd.Series(uniq.get_indexer(ns), index=df.index) if len(uniq) else pd.Series(-1, index=df.index)
        cv = c.to_numpy()
        has = cv >= 0
        shared = np.zeros(n, bool)
        shared[has] = used_code[cv[has]] & (keyrows[cv[has]] > 1)
        bad = np.zeros(n, bool)
        bad[has] = ~used_code[cv[has]]
        reasons_parts.append(ns.where(shared))
        reason_or_blank = np.append(per_key["reason"].to_numpy(dtype=object), "")  # code -1: no key
        why = pd.Series(reason_or_blank[cv], index=df.index, dtype="str")
        ignored_parts.append((ns + " (" + why + ")").where(bad))
    if name_mode:
        nb = pd.Series(name_best, index=df.index)
        txt = np.where(nb >= 100, name_mode, name_mode + "~" + nb.round(0).astype(int).astype(str))
        reasons_parts.append(pd.Series(txt, index=df.index, dtype="str").where(nb > 0))
    if judged_rows.any():
        reasons_parts.append(pd.Series("judged same", index=df.index, dtype="str").where(judged_rows))
    reasons = _join_parts(reasons_parts, df.index)
    reasons = reasons.where(sizes > 1, "")
    ignored_txt = _join_parts(ignored_parts + split_notes, df.index)

    out = df.copy()
    pos = next((i for i, c in enumerate(out.columns) if c in ("_source", "_row")), len(out.columns))
    for offset, (col, values) in enumerate([("entity_id", entity_id), ("entity_size", sizes.astype(np.int64)),
                                             ("match_reasons", reasons), ("match_ignored", ignored_txt)]):
        if col in out.columns:
            raise DataError(f"{source}: already has a column '{col}' (resolved twice?); remove it first")
        out.insert(pos + offset, col, values)

    ignored = per_key.loc[unused, ["rows", "records", "reason"]].copy()
    ignored.insert(0, "key", uniq[ignored.index.to_numpy()])
    ignored = ignored.sort_values(["records", "key"], ascending=[False, True]).reset_index(drop=True)
    stats = {
        "rows": n, "entities": n_ent, "multi_row_entities": int((np.bincount(ent_codes) > 1).sum()) if n else 0,
        "identifier_links": int(len(u_id)), "name_links": int(sum(len(x) for x, s in zip(edges_u, edges_s)
                                                               if len(s) and s[0] >= NAME_EXACT)),
        "ignored_identifiers": int(unused.sum()), "skipped_name_blocks": skipped_blocks,
        "refused_links": len(refused), "judgement_notes": judge_note,
    }
    ctx = {"key_cols": key_cols, "shown_cols": shown_cols, "names_col": name_col, "names_text": name_text, "dobs": dobs,
           "ent_codes": ent_codes,
           "entity_id": entity_id, "df": df, "kinds": [k for k, _ in cols],
           "unused_keys": set(ignored["key"])}
    return ResolveResult(out, ignored, stats, ctx)


def _name_columns(df: pd.DataFrame, name: str, source: str) -> tuple[str, pd.Series]:
    """``--name Name`` or ``--name Forename,Surname``: the columns' values joined with a space
    (blank parts skipped). A column whose own name holds a comma is taken as it is."""
    if name in df.columns or "," not in name:
        col = find_column(df.columns, name, source)
        return col, df[col].astype("str")
    cols = [find_column(df.columns, c.strip(), source) for c in name.split(",") if c.strip()]
    parts = [df[c].astype("str").fillna("").str.strip() for c in cols]
    text = parts[0]
    for p in parts[1:]:
        text = (text + " " + p).str.strip()
    text = text.str.replace(r"\s+", " ", regex=True)
    return "+".join(cols), text.where(text != "")


def _split_phone_cells(values: pd.Series, keys: pd.Series, region: str):
    """Cells holding two or more numbers (``+355 67 212 3456 / 07700900303``) read as
    ``multiple`` by toex phones: one key per number (list of key Series: first, second...)
    and a note per such row for ``match_ignored``; (None, None) when there are none."""
    from ..phones import split_multiple

    raw = values.astype("str").fillna("")
    todo = keys.isna() & raw.str.contains(r"\d.*[/,;|&]|\d\s+(?:or|and)\s", regex=True).fillna(False)
    if not todo.any():
        return None, None
    found: dict = {}
    for v in raw[todo].unique().tolist():
        got = [r.e164 for r in split_multiple(v, region) if r.e164 and r.status in ("ok", "possible")]
        if len(got) >= 2:
            found[v] = list(dict.fromkeys(got))
    if not found:
        return None, None
    width = max(len(g) for g in found.values())
    out = []
    for i in range(width):
        k = keys.copy() if i == 0 else pd.Series(None, index=keys.index, dtype="str")
        hit = todo & raw.isin(found.keys())
        k[hit] = raw[hit].map(lambda v: found[v][i] if i < len(found[v]) else None)
        out.append(k.astype("str"))
    hit = todo & raw.isin(found.keys())
    note = pd.Series(None, index=keys.index, dtype="str")
    note[hit] = raw[hit].map(lambda v: f"phone '{v}' holds {len(found[v])} numbers: split into "
                                       + ", ".join(found[v]))
    return out, note


def _join_parts(parts, index) -> pd.Series:
    """'; '.join of the non-missing parts, row by row (vectorised)."""
    result = pd.Series("", index=index, dtype="str")
    for p in parts:
        p = p.astype("str").fillna("")
        result = result.where(p == "", result.where(result == "", result + "; ") + p)
    return result


def _judgement_pairs(df, judgements, rows, codes, uniq):
    """Turn the analyst's judgements into (same pairs, different pairs) of row positions."""
    cols = {c.lower().strip(): c for c in judgements.columns}
    try:
        a_col = next(cols[c] for c in ("record_a", "a", "left", "record1", "id_a") if c in cols)
        b_col = next(cols[c] for c in ("record_b", "b", "right", "record2", "id_b") if c in cols)
        d_col = next(cols[c] for c in ("decision", "judgement", "judgment", "same", "match") if c in cols)
    except StopIteration:
        raise UsageError("judgements file needs columns record_a, record_b, decision "
                         "(same/different); records are SOURCE:ROW or KIND:VALUE")
    if "_source" in df.columns and "_row" in df.columns:
        src = df["_source"].astype("str").to_numpy(dtype=object)
        rowno = df["_row"].astype("str").to_numpy(dtype=object)
        by_ref, by_base, ambiguous = {}, {}, {}
        import os
        for i, (s, r) in enumerate(zip(src, rowno)):
            by_ref.setdefault(f"{s}:{r}", i)
            base = f"{os.path.basename(str(s))}:{r}"
            j = by_base.setdefault(base, i)
            if src[j] != s:  # two inputs share the base name: the short form names neither
                ambiguous.setdefault(base, {src[j]}).add(s)
        for base, i in by_base.items():
            if base not in by_ref and base not in ambiguous:
                by_ref[base] = i
    else:
        by_ref, ambiguous = {f"row {i + 1}": i for i in range(len(df))}, {}
    first_row = np.full(len(uniq), np.iinfo(np.int64).max, np.int64)
    np.minimum.at(first_row, codes, rows)
    first_row_of_key = dict(zip(uniq, first_row))
    from .keys import ID_KINDS, KIND_ALIASES

    def locate(ref: str, line: int) -> int:
        ref = str(ref).strip()
        if ref in by_ref:
            return by_ref[ref]
        if ref in ambiguous:
            raise DataError(f"judgements row {line}: '{ref}' is ambiguous: it could be a row of "
                            f"{' or '.join(sorted(ambiguous[ref]))}; write the file as in _source")
        kind, _, value = ref.partition(":")
        kind_l = KIND_ALIASES.get(kind.lower().strip(), kind.lower().strip())
        if kind_l in ID_KINDS and value:
            key = identifier_keys(pd.Series([value.strip()], dtype="str"), kind_l).iloc[0]
            ns = f"{kind_l}:{key}" if isinstance(key, str) else None
            if ns in first_row_of_key:
                return int(first_row_of_key[ns])
        raise DataError(f"judgements row {line}: '{ref}' is neither a record (SOURCE:ROW as in "
                        "_source/_row) nor an identifier found in the input")

    same, different, notes = [], [], {"same": 0, "different": 0}
    for line, (a, b, d) in enumerate(zip(judgements[a_col], judgements[b_col], judgements[d_col]), start=2):
        d = str(d).strip().lower()
        if d in ("same", "match", "yes", "y", "true", "1", "link", "=") :
            same.append((locate(a, line), locate(b, line)))
            notes["same"] += 1
        elif d in ("different", "not same", "no", "n", "false", "0", "nomatch", "no match", "distinct", "!="):
            different.append((locate(a, line), locate(b, line)))
            notes["different"] += 1
        else:
            raise DataError(f"judgements row {line}: decision '{d}' is not 'same' or 'different'")
    return same, different, notes


def _apply_cannot(label, eu, ev, es, cannot):
    """Re-split the components holding a "different" pair, strongest links first."""
    label = label.copy()
    bad_roots = {int(label[a]) for a, b in cannot if label[a] == label[b]}
    if not bad_roots:
        return label, []
    in_bad = np.isin(label, list(bad_roots))
    nodes = np.flatnonzero(in_bad).tolist()
    m = in_bad[eu]
    order = np.lexsort((ev[m], eu[m], es[m]))
    edges = list(zip(eu[m][order].tolist(), ev[m][order].tolist(), es[m][order].tolist()))
    roots, refused = constrained_components(nodes, edges, [(a, b) for a, b in cannot if in_bad[a]])
    # a split-off part is labelled by its smallest row
    by_root: dict = {}
    for x in nodes:
        by_root.setdefault(roots[x], []).append(x)
    for members in by_root.values():
        label[members] = min(members)
    return label, refused


# ------------------------------------------------------------------------------- entity table

def entity_table(result: ResolveResult) -> pd.DataFrame:
    ctx = result._ctx
    df, ent = ctx["df"], ctx["ent_codes"]
    n_ent = int(ent.max()) + 1 if len(ent) else 0
    eid = ctx["entity_id"].to_numpy()
    first = np.full(n_ent, -1, np.int64)
    if len(ent):
        order = np.arange(len(ent))[::-1]
        first[ent[order]] = order
    out = pd.DataFrame({"entity_id": eid[first] if n_ent else [], "rows": np.bincount(ent, minlength=n_ent)})

    def distinct_join(values: pd.Series) -> np.ndarray:
        s = pd.DataFrame({"e": ent, "v": values.astype("str").to_numpy()}).dropna()
        s = s[s["v"].str.strip() != ""].drop_duplicates()
        joined = s.groupby("e", sort=True)["v"].agg("; ".join)
        return joined.reindex(range(n_ent)).fillna("").to_numpy()

    unused = ctx["unused_keys"]
    longs = []
    for s, shown in zip(ctx["key_cols"], ctx.get("shown_cols") or ctx["key_cols"]):
        v = s.to_numpy(dtype=object)
        has = s.notna().to_numpy()
        longs.append(pd.DataFrame({"e": ent[has], "v": pd.array(v[has], dtype="str"),
                                   "d": pd.array(shown.to_numpy(dtype=object)[has], dtype="str")}))
    long = (pd.concat(longs, ignore_index=True).drop_duplicates(["e", "d"]) if longs else
            pd.DataFrame({"e": pd.Series([], dtype="int64"), "v": pd.Series([], dtype="str"),
                          "d": pd.Series([], dtype="str")}))
    long = long.sort_values(["e"], kind="stable")
    ignored = long["v"].isin(unused).to_numpy()
    kind_of = long["d"].str.split(":", n=1).str[0]
    value = long["d"].str.split(":", n=1).str[1]
    for kind in dict.fromkeys(ctx["kinds"]):
        pick = (kind_of == kind).to_numpy() & ~ignored
        joined = pd.Series(value[pick].to_numpy(), index=long["e"].to_numpy()[pick]).groupby(level=0).agg("; ".join)
        out[kind] = joined.reindex(range(n_ent)).fillna("").to_numpy()
    if ignored.any():
        joined = pd.Series(long["d"][ignored].to_numpy(), index=long["e"].to_numpy()[ignored]).groupby(level=0).agg("; ".join)
        out["not_linked_on"] = joined.reindex(range(n_ent)).fillna("").to_numpy()
    else:
        out["not_linked_on"] = ""
    if ctx["names_col"]:
        out["names"] = distinct_join(ctx["names_text"].str.strip())
    if ctx["dobs"] is not None:
        out["dates_of_birth"] = distinct_join(ctx["dobs"])
    if "_source" in df.columns:
        out["sources"] = distinct_join(df["_source"])
    reasons = result.table["match_reasons"].fillna("")
    exploded = reasons.str.split("; ").explode()
    kinds = exploded.str.replace(r"[:~].*$", "", regex=True)
    s = pd.DataFrame({"e": ent[exploded.index.to_numpy()] if len(exploded) else [], "v": kinds.to_numpy()})
    s = s[s["v"].fillna("") != ""].drop_duplicates().sort_values(["e", "v"])
    out["linked_by"] = s.groupby("e")["v"].agg(", ".join).reindex(range(n_ent)).fillna("").to_numpy()
    return out
