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
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataError, UsageError
from .graph import components, constrained_components, key_star_edges
from .keys import (NameVariants,
                   KEYERS, canonical_kind, codes_of, distinct_codes, dob_codes, factorize_text, find_column,
                   identifier_codes, identifier_keys, junk_mask, name_codes, name_score, phone_keyer)

NEW_COLUMNS = ("entity_id", "entity_size", "match_reasons", "match_ignored")
# link strengths: lower is stronger; "different" judgements cut the weakest first
JUDGED, IDENT, NAME_EXACT, NAME_FUZZY = 0, 1, 2, 3
# why a name variant linked (match_reasons): NOTE_TEXT[code]
NOTE_TRANSLIT, NOTE_MIDDLE, NOTE_DOB_SWAPPED = 1, 2, 3
NOTE_TEXT = {NOTE_TRANSLIT: "name transliterated", NOTE_MIDDLE: "middle name missing",
             NOTE_DOB_SWAPPED: "dob day/month swapped"}


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

    The linking itself (:func:`link`) keeps only integer codes per row; ``toex merge resolve``
    uses it directly and streams the input a second time to write the output.
    """
    df = df.reset_index(drop=True)
    lk = link(df, ids, name=name, dob=dob, threshold=threshold, max_degree=max_degree, junk=junk,
              judgements=judgements, region=region, max_block=max_block, source=source,
              engine=engine, backend=backend, spark_master=spark_master)
    check_new_columns(df.columns, source)
    out = lk.attach(df, 0)
    return ResolveResult(out, lk.ignored, lk.stats, {"link": lk})


def check_new_columns(columns, source: str) -> None:
    for col in NEW_COLUMNS:
        if col in columns:
            raise DataError(f"{source}: already has a column '{col}' (resolved twice?); remove it first")


def link_columns(columns, ids, name=None, dob=None, source: str = "input") -> list[str]:
    """The columns of a table (named ``columns``) that :func:`link` reads: the identifier, name
    and date-of-birth columns, plus ``_source``/``_row`` when present. A missing one is a usage
    error naming ``source``."""
    ids = _parse_ids(ids, name)
    want = [find_column(columns, c, source) for _, c in ids]
    if name:  # --name Forename,Surname names several columns
        parts = [name] if name in columns or "," not in name else [c.strip() for c in name.split(",") if c.strip()]
        want += [find_column(columns, c, source) for c in parts]
    if dob:
        want.append(find_column(columns, dob, source))
    want += [c for c in ("_source", "_row") if c in columns]
    return list(dict.fromkeys(want))


def _parse_ids(ids, name):
    ids = [parse_id_specs([s])[0] if isinstance(s, str) else (canonical_kind(s[0]), s[1]) for s in ids or []]
    if not ids and not name:
        raise UsageError("resolve needs at least one --id KIND:COLUMN (or --name)")
    return ids


def _small(n: int):
    return np.int32 if n < 2**31 - 1 else np.int64


def _distinct_tuples(columns, n: int) -> np.ndarray:
    """One integer per row, equal for two rows exactly when all ``columns`` (code arrays, -1 =
    missing) are equal: successive factorisation, never hashing text."""
    sig = np.zeros(n, np.int64)
    width = 1
    for c in columns:
        combined = sig * (int(c.max(initial=-1)) + 2) + (c.astype(np.int64) + 1)
        sig, uniq = pd.factorize(combined)
        width = len(uniq)
    return sig


def link(df: pd.DataFrame, ids, name: str | None = None, dob: str | None = None, *,
         threshold: float = 90, max_degree: int = 10, junk=(), judgements: pd.DataFrame | None = None,
         region: str = "GB", max_block: int = 500, source: str = "input",
         engine: str = "native", backend: str = "duckdb", spark_master: str | None = None) -> "Linkage":
    """Link the rows of ``df`` (only the columns named are read; see :func:`link_columns`) and
    return a :class:`Linkage`: integer arrays per row and per distinct key, from which the new
    columns of any slice of rows are made (:meth:`Linkage.columns`)."""
    ids = _parse_ids(ids, name)
    if not 0 <= threshold <= 100:
        raise UsageError(f"--threshold must be between 0 and 100, got {threshold}")
    if engine not in ("native", "splink"):
        raise UsageError(f"--engine must be native or splink, got '{engine}'")
    n = len(df)
    cols = [(k, find_column(df.columns, c, source)) for k, c in ids]
    name_col, name_values = _name_columns(df, name, source) if name else (None, None)
    dob_col = find_column(df.columns, dob, source) if dob else None
    kind_order = list(dict.fromkeys(k for k, _ in cols))
    user_junk = _normalise_junk(junk, sorted(kind_order))
    itype = _small(n)

    # ---- 1. keys per identifier column: integer codes into each kind's distinct keys; a phone
    # cell holding several numbers gives one more key column per extra number
    local, split_notes, expanded, shown = [], [], [], []
    for kind, col in cols:
        if kind == "phone":
            got, note = _phone_codes(df[col], region)
            if note is not None:
                split_notes.append(note)
            shown += [None] * len(got)
        elif kind == "imei":
            # the key is the 14 digits that identify the handset; people know the IMEI as
            # written (15 digits with its check digit): the entities table shows that
            rc, raw = factorize_text(df[col])
            got = [codes_of(rc, KEYERS["imei"](raw.str.strip()) if len(raw) else raw)]
            dc, digits = codes_of(rc, raw.str.replace(r"\D", "", regex=True))
            shown.append((np.where(got[0][0] >= 0, dc, -1), digits))
        else:
            got = [identifier_codes(df[col], kind, region=region)]
            shown.append(None)
        local += got
        expanded += [(kind, col)] * len(got)
    cols = expanded
    kind_keys, kind_offset, kind_junk = {}, {}, {}
    col_codes: list[np.ndarray] = [None] * len(cols)
    offset = 0
    for kind in kind_order:
        which = [i for i, (k, _) in enumerate(cols) if k == kind]
        allk = pd.concat([local[i][1] for i in which], ignore_index=True)
        kc, ku = pd.factorize(allk)
        ku = pd.Series(ku, dtype="str")
        start = 0
        for i in which:
            lc, lk_ = local[i]
            remap = np.append(kc[start:start + len(lk_)], -1).astype(np.int64)
            start += len(lk_)
            c = remap[lc]
            col_codes[i] = np.where(c >= 0, c + offset, -1).astype(_small(offset + len(ku)))
        kind_keys[kind], kind_offset[kind] = ku, offset
        kind_junk[kind] = junk_mask(ku, kind, user_junk.get(kind, ())).to_numpy()
        offset += len(ku)
    del local
    n_keys = offset
    code_kind = np.zeros(n_keys, np.int16)
    for i, kind in enumerate(kind_order):
        code_kind[kind_offset[kind]:kind_offset[kind] + len(kind_keys[kind])] = i
    junk_u = np.concatenate([kind_junk[k] for k in kind_order]) if kind_order else np.zeros(0, bool)
    # long form (row, key) of every key present, a key repeated on one row counted once
    long_rows, long_codes = [], []
    for i, c in enumerate(col_codes):
        present = c >= 0
        for j in range(i):  # an earlier column of the same kind with the same key on this row
            if cols[j][0] == cols[i][0]:
                present &= col_codes[j] != c
        long_rows.append(np.flatnonzero(present).astype(itype))
        long_codes.append(c[present])
    rows = np.concatenate(long_rows) if long_rows else np.zeros(0, itype)
    codes = np.concatenate(long_codes) if long_codes else np.zeros(0, itype)
    del long_rows, long_codes
    nkey_codes, nkeys = name_codes(name_values) if name_col else (None, None)
    dob_row, dkeys = dob_codes(df[dob_col]) if dob_col else (None, None)

    # ---- 2. degree: distinct records (evidence signatures) per key
    evidence = list(col_codes) + [c for c in (nkey_codes, dob_row) if c is not None]
    sig = _distinct_tuples(evidence, n)
    key_rows = np.bincount(codes, minlength=n_keys)
    distinct = pd.unique(codes.astype(np.int64) * (int(sig.max(initial=0)) + 1) + sig[rows])
    records = np.bincount(distinct // (int(sig.max(initial=0)) + 1), minlength=n_keys)
    del sig, distinct
    over = (records > max_degree) if max_degree and max_degree > 0 else np.zeros(n_keys, bool)
    used_code = ~(junk_u | over)
    long_used = used_code[codes]

    # ---- 3. identifier links
    u_id, v_id = key_star_edges(rows[long_used], codes[long_used])
    del long_used
    edges_u, edges_v, edges_s = [u_id], [v_id], [np.full(len(u_id), IDENT, np.int8)]

    # ---- 4. name links (blocked)
    name_best = np.zeros(n, np.float64)  # best name score that tied each row in (0 = none)
    name_note = None  # per row: a NOTE_* code when a name variant tied it in
    name_mode = None
    skipped_blocks = []
    if name_col:
        if dob_col:
            block_row, block_keys, name_mode = dob_row, dkeys, "name+dob"
        else:
            initials = nkeys.str.split(" ").map(lambda t: " ".join(x[:1] for x in t)).astype("str")
            ic, block_keys = pd.factorize(initials)
            block_row = np.append(ic, -1)[nkey_codes]
            block_keys, name_mode = pd.Series(block_keys, dtype="str"), "name"
        ok = (nkey_codes >= 0) & (block_row >= 0)
        crow = np.flatnonzero(ok)
        if len(crow):
            bcode, bidx = pd.factorize(block_row[ok])
            bvals = np.asarray(block_keys, dtype=object)[bidx]
            ncode, nidx = pd.factorize(nkey_codes[ok])
            nvals = np.asarray(nkeys, dtype=object)[nidx]
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
            rep_all = rep.loc[~big]
            rep = rep.loc[~big & (bsize[rep["b"].to_numpy()] > 1)]
            if engine == "splink":
                from .splink_engine import name_links

                # every candidate row goes in: repeated exact names help Splink learn its weights
                pa_, pb_, sc = name_links(pd.DataFrame({"row": crow, "name": nvals[ncode],
                                                        "block": bvals[bcode]}),
                                          with_dob=dob_col is not None, threshold=threshold,
                                          backend=backend, spark_master=spark_master)
                g_of_row = pd.Series(grp, index=crow)
                ga, gb = g_of_row.reindex(pa_).to_numpy(), g_of_row.reindex(pb_).to_numpy()
                nt = np.zeros(len(pa_), np.int8)
            else:
                lens = np.fromiter((len(x) for x in nvals), dtype=np.int64, count=len(nvals))
                # what names are compared on (tokens, skeletons, stems), once per distinct name
                names_cmp = NameVariants(nvals) if len(rep_all) else None
                variants = dob_col is not None  # a shared date of birth backs a name variant
                found = [_score_block_pairs(part, nvals, lens, threshold, names_cmp, variants)
                         for part in _block_chunks(rep)]
                src_codes = pd.factorize(df["_source"])[0] if variants and "_source" in df.columns \
                    and len(rep_all) else None
                if src_codes is not None and len(np.unique(src_codes[rep_all["row"].to_numpy()])) > 1:
                    # a date written day/month in one source and month/day in another; within one
                    # source the format is one, so a swapped date there is another date (and
                    # with one source there is no pair to try)
                    swapped = _dob_swapped_rep(rep_all.assign(s=src_codes[rep_all["row"].to_numpy()]),
                                               dkeys, bidx)
                    if len(swapped):
                        found += [_score_block_pairs(part, nvals, lens, threshold, names_cmp, variants,
                                                     note=NOTE_DOB_SWAPPED)
                                  for part in _block_chunks(swapped)]
                pa_, pb_, sc, ga, gb, nt = (np.concatenate([f[i] for f in found]) if found
                                            else np.zeros(0) for i in range(6))
                if len(nt) and (nt > 0).any():
                    # every row of the two name groups was tied in by that variant
                    g_note = np.zeros(int(grp.max()) + 1, np.int8)
                    np.maximum.at(g_note, ga.astype(np.int64), nt.astype(np.int8))
                    np.maximum.at(g_note, gb.astype(np.int64), nt.astype(np.int8))
                    name_note = np.zeros(n, np.int8)
                    name_note[crow] = g_note[grp]
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
    judged_rows = None
    judge_note = {}
    if judgements is not None and len(judgements):
        same, cannot, judge_note = _judgement_pairs(df, judgements, rows, codes, kind_keys, kind_offset, n_keys)
        if same:
            judged_rows = np.zeros(n, bool)
            a, b = np.array(same, np.int64).T
            edges_u.append(a), edges_v.append(b), edges_s.append(np.full(len(a), JUDGED, np.int8))
            judged_rows[a] = judged_rows[b] = True
    del rows, codes

    n_name_links = int(sum(len(x) for x, s in zip(edges_u, edges_s) if len(s) and s[0] >= NAME_EXACT))
    eu = np.concatenate([x.astype(itype, copy=False) for x in edges_u])
    ev = np.concatenate([x.astype(itype, copy=False) for x in edges_v])
    del edges_u, edges_v
    label = components(n, eu, ev)
    refused = []
    if cannot:
        es = np.concatenate(edges_s)
        label, refused = _apply_cannot(label, eu, ev, es, cannot)
    del eu, ev, edges_s

    # ---- 6. deterministic ids, in order of each entity's first row
    ent_codes, _ = pd.factorize(label)
    del label
    ent_codes = ent_codes.astype(itype)
    ent_rows = np.bincount(ent_codes) if n else np.zeros(0, np.int64)
    n_ent = len(ent_rows)

    # ---- identifiers not used, and the text of every key
    key_text = _namespaced(kind_order, kind_keys)
    unused_idx = np.flatnonzero(~used_code)
    reason = np.array(["junk value" if junk_u[i] else f"on {records[i]} records" for i in unused_idx.tolist()],
                      dtype=object)  # only the few keys not used get a text
    ignored = pd.DataFrame({"key": pd.array(key_text.take(pa.array(unused_idx)).to_pylist(), dtype="str")
                            if len(unused_idx) else pd.array([], dtype="str"),
                            "rows": key_rows[unused_idx], "records": records[unused_idx],
                            "reason": pd.array(reason, dtype="str")})
    ignored = ignored.sort_values(["records", "key"], ascending=[False, True]).reset_index(drop=True)
    stats = {
        "rows": n, "entities": n_ent, "multi_row_entities": int((ent_rows > 1).sum()),
        "identifier_links": int(len(u_id)), "name_links": n_name_links,
        "ignored_identifiers": int(len(unused_idx)), "skipped_name_blocks": skipped_blocks,
        "refused_links": len(refused), "judgement_notes": judge_note,
    }
    lk = Linkage(n=n, kind_keys=kind_keys, kind_offset=kind_offset, ent_codes=ent_codes, ent_rows=ent_rows, kinds=[k for k, _ in cols],
                 col_codes=col_codes, key_text=key_text, code_kind=code_kind, kind_order=kind_order,
                 shared=used_code & (key_rows > 1), used=used_code, unused_idx=unused_idx,
                 unused_reason=reason, name_best=name_best if name_mode else None,
                 name_mode=name_mode, judged=judged_rows, ignored=ignored, stats=stats,
                 notes=split_notes, shown=shown, name_note=name_note)
    if name_col:
        lk.names = distinct_codes(name_values, lambda u: u.str.strip())
    if dob_col:
        lk.dobs = (dob_row, dkeys)
    if "_source" in df.columns:
        lk.sources = distinct_codes(df["_source"], lambda u: u)
    return lk


PAIRS_PER_CHUNK = 2_000_000


def _block_chunks(rep: pd.DataFrame, limit: int | None = None):
    """``rep`` (one row per name group: row, b = block, nc = name, g = group) cut into pieces of
    whole blocks holding at most ~``limit`` candidate pairs each, so the pairs of a large table
    are scored a piece at a time (memory bounded by the piece, not by all candidate pairs)."""
    if not len(rep):
        return
    limit = limit or PAIRS_PER_CHUNK
    b = rep["b"].to_numpy()
    order = np.argsort(b, kind="stable")
    rep, b = rep.iloc[order], b[order]
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
    sizes = np.diff(np.r_[starts, len(b)]).astype(np.int64)
    cum = np.cumsum(sizes * sizes)  # a self-merge gives size^2 rows per block
    lo, done = 0, 0
    while lo < len(starts):
        hi = int(np.searchsorted(cum, done + limit, side="right"))
        hi = max(hi, lo + 1)
        end = starts[hi] if hi < len(starts) else len(b)
        yield rep.iloc[starts[lo]:end]
        done = int(cum[hi - 1])
        lo = hi


def _score_block_pairs(rep: pd.DataFrame, nvals, lens, threshold, names: "NameVariants",
                       variants: bool = False, note: int = 0):
    """Score every pair of name groups sharing a block; (row_a, row_b, score, g_a, g_b, note)
    of the pairs at or over ``threshold``. ``names``: a :class:`~toexcli.merge.keys.NameVariants`
    over ``nvals``. With ``variants`` (the block is a date of birth) a pair under the threshold
    still links when the names are one spelling transliterated two ways or one lacks a middle
    name (see :func:`~toexcli.merge.keys.name_variant`); ``note`` says why in match_reasons."""
    pairs = rep.merge(rep, on="b", suffixes=("_a", "_b"))
    if note:  # the swapped-date pass: pairs from two sources whose dates differ (two blocks)
        pairs = pairs[(pairs["d_a"].to_numpy() != pairs["d_b"].to_numpy())
                      & (pairs["s_a"].to_numpy() != pairs["s_b"].to_numpy())]
        pairs = pairs[pairs["g_a"].to_numpy() < pairs["g_b"].to_numpy()]
    else:
        pairs = pairs[pairs["nc_a"].to_numpy() < pairs["nc_b"].to_numpy()]
    a_nc, b_nc = pairs["nc_a"].to_numpy(), pairs["nc_b"].to_numpy()
    # token_sort_ratio can only reach the threshold when the lengths are close enough
    la, lb = lens[a_nc], lens[b_nc]
    close = 200.0 * np.minimum(la, lb) / np.maximum(la + lb, 1) >= threshold
    if not variants:
        pairs, a_nc, b_nc = pairs[close], a_nc[close], b_nc[close]
        score = name_score(nvals[a_nc], nvals[b_nc])
    else:  # a pair of names far apart in length may still be a variant: keep it, score 0
        score = np.zeros(len(a_nc), np.float64)
        score[close] = name_score(nvals[a_nc[close]], nvals[b_nc[close]])
    hit = score >= threshold
    fuzzy = np.flatnonzero(hit & (score < 100))
    # Ivan / Ivana Petrov: a brother and a sister, not a typo
    hit[fuzzy[names.siblings(a_nc[fuzzy], b_nc[fuzzy])]] = False
    notes = np.full(len(score), note, np.int8)
    if variants:
        miss = np.flatnonzero(~hit)
        v = names.of_pairs(a_nc[miss], b_nc[miss])
        got = miss[v > 0]
        hit[got] = True
        score[got] = threshold
        notes[got] = np.maximum(note, v[v > 0])
    return (pairs["row_a"].to_numpy()[hit], pairs["row_b"].to_numpy()[hit], score[hit],
            pairs["g_a"].to_numpy()[hit], pairs["g_b"].to_numpy()[hit], notes[hit])


def _dob_swapped_rep(rep: pd.DataFrame, dkeys, bidx) -> pd.DataFrame:
    """``rep`` re-blocked on the date of birth with day and month in either order (only dates
    whose day and month could be swapped: both 1-12 and different), so 03/04/1990 meets
    04/03/1990; ``d`` keeps the date as given. The key is made once per block (date)."""
    dates = np.asarray(dkeys, dtype=object)[bidx]
    keys = []
    for d in dates.tolist():
        y, m, dd = str(d)[:4], str(d)[5:7], str(d)[8:10]
        if len(str(d)) >= 10 and m.isdigit() and dd.isdigit() and m != dd and int(dd) <= 12:
            keys.append(y + "-" + min(m, dd) + "-" + max(m, dd))
        else:
            keys.append(None)
    kcode, _ = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
    b = rep["b"].to_numpy()
    out = rep.assign(d=b, b=kcode[b])
    out = out[out["b"].to_numpy() >= 0]
    if not len(out):
        return out
    out["b"] = pd.factorize(out["b"])[0]
    sizes = np.bincount(out["b"].to_numpy())
    return out[sizes[out["b"].to_numpy()] > 1]


def _name_columns(df: pd.DataFrame, name: str, source: str) -> tuple[str, pd.Series]:
    """``--name Name`` or ``--name Forename,Surname``: the columns' values joined with a space
    (blank parts skipped), built once per distinct combination (a categorical Series). A column
    whose own name holds a comma is taken as it is."""
    if name in df.columns or "," not in name:
        col = find_column(df.columns, name, source)
        return col, df[col]
    cols = [find_column(df.columns, c.strip(), source) for c in name.split(",") if c.strip()]
    parts = [factorize_text(df[c]) for c in cols]
    combo = _distinct_tuples([p[0] for p in parts], len(df))
    first = pd.Series(combo).drop_duplicates()
    rows_ = first.index.to_numpy()
    text = None
    for codes, uniq in parts:
        c = codes[rows_]
        p = pd.Series(np.append(uniq.to_numpy(dtype=object, na_value=""), "")[c], dtype="str").fillna("").str.strip()
        text = p if text is None else (text + " " + p).str.strip()
    text = text.str.replace(r"\s+", " ", regex=True)
    text = text.where(text != "")
    per_combo = np.zeros(len(first), np.int64)
    per_combo[first.to_numpy()] = np.arange(len(first))
    tc, tu = pd.factorize(text, use_na_sentinel=True)
    cat = pd.Categorical.from_codes(tc[per_combo[combo]], categories=pd.Index(tu, dtype="str"))
    return "+".join(cols), pd.Series(cat, index=df.index)


_MULTI_HINT = r"\d.*[/,;|&]|\d\s+(?:or|and)\s"


def _phone_codes(values: pd.Series, region: str):
    """Phone keys as codes; cells holding two or more numbers (``+355 67 212 3456 / 07700900303``,
    read as ``multiple`` by toex phones) give one key per number: a list of (codes, keys), first
    number first, and a note for ``match_ignored`` as (row codes, text per code), or None."""
    from ..phones import split_multiple

    rc, raw = factorize_text(values)
    keys = phone_keyer(region)(raw.str.strip()) if len(raw) else pd.Series([], dtype="str")
    keys = pd.Series(keys, dtype="str").reset_index(drop=True)
    keys = keys.where(keys.str.len() > 0)
    todo = keys.isna() & raw.str.contains(_MULTI_HINT, regex=True).fillna(False)
    found: dict = {}
    for v in raw[todo].tolist():
        got = [r.e164 for r in split_multiple(v, region) if r.e164 and r.status in ("ok", "possible")]
        if len(got) >= 2:
            found[v] = list(dict.fromkeys(got))
    if not found:
        return [codes_of(rc, keys)], None
    hit = (todo & raw.isin(found.keys())).to_numpy()
    out = []
    for i in range(max(len(g) for g in found.values())):
        k = keys.copy() if i == 0 else pd.Series(None, index=keys.index, dtype="str")
        k[hit] = raw[hit].map(lambda v: found[v][i] if i < len(found[v]) else None)
        out.append(codes_of(rc, k.astype("str")))
    note = np.full(len(raw), None, dtype=object)
    note[hit] = [f"phone '{v}' holds {len(found[v])} numbers: split into " + ", ".join(found[v])
                 for v in raw[hit].tolist()]
    return out, (rc, pa.array(note, pa.string()))


def _namespaced(kind_order, kind_keys) -> pa.Array:
    """'kind:key' for every key, in code order (kinds one after another)."""
    parts = []
    for kind in kind_order:
        keys = pa.array(kind_keys[kind].to_numpy(dtype=object, na_value=None), pa.string()) \
            if len(kind_keys[kind]) else pa.array([], pa.string())
        parts.append(pc.binary_join_element_wise(pa.scalar(kind + ":"), keys, "") if len(keys) else keys)
    if not parts:
        return pa.array([], pa.string())
    total = sum(p.nbytes for p in parts)
    if total >= 2**31 - 1:
        parts = [p.cast(pa.large_string()) for p in parts]
    return pa.concat_arrays(parts)


@dataclass
class Linkage:
    """The outcome of linking, as integer arrays (no text per row): what entity each row is in
    and why. ``columns(start, stop)`` gives the four new columns for a slice of rows, so a
    caller can attach them batch by batch while streaming its input a second time."""

    n: int
    kind_keys: dict                # per kind: its distinct keys (text)
    kind_offset: dict              # per kind: the code of its first key
    ent_codes: np.ndarray          # per row: entity number, in order of each entity's first row
    ent_rows: np.ndarray           # per entity: rows
    kinds: list                    # kind of each identifier column
    col_codes: list                # per identifier column: key code per row (-1 = none)
    key_text: pa.Array             # per key: 'kind:value'
    code_kind: np.ndarray          # per key: index into kind_order
    kind_order: list
    shared: np.ndarray             # per key: used to link and on more than one row
    used: np.ndarray               # per key: used to link
    unused_idx: np.ndarray         # keys not used (junk, over the degree limit)
    unused_reason: np.ndarray      # ... and why
    name_best: np.ndarray | None   # per row: best name score that tied it in (0 = none)
    name_mode: str | None
    judged: np.ndarray | None      # per row: in a pair judged 'same'
    ignored: pd.DataFrame
    stats: dict
    names: tuple | None = None     # (codes, values): the names as written (stripped)
    dobs: tuple | None = None      # (codes, ISO dates)
    sources: tuple | None = None   # (codes, values) of _source
    notes: list = field(default_factory=list)  # (row codes, text per code) for match_ignored
    shown: list = field(default_factory=list)  # per column: None, or (row codes, texts) to show
    name_note: np.ndarray | None = None  # per row: NOTE_* code of a name variant that tied it in

    @property
    def width(self) -> int:
        return max(6, len(str(len(self.ent_rows))))

    def _ignored_text(self) -> pa.Array:
        if not hasattr(self, "_ign"):
            keys = self.key_text.take(pa.array(self.unused_idx, pa.int64())) if len(self.unused_idx) \
                else pa.array([], pa.string())
            why = pa.array(self.unused_reason.astype(object), pa.string())
            self._ign = pc.binary_join_element_wise(keys, pa.scalar(" ("), why, pa.scalar(")"), "")
            self._ign_pos = np.full(len(self.used), -1, np.int64)
            self._ign_pos[self.unused_idx] = np.arange(len(self.unused_idx))
        return self._ign

    def columns(self, start: int = 0, stop: int | None = None) -> dict:
        """entity_id, entity_size, match_reasons, match_ignored for rows [start, stop) (Arrow)."""
        stop = self.n if stop is None else stop
        ent = self.ent_codes[start:stop].astype(np.int64)
        m = len(ent)
        null = pa.scalar(None, pa.string())
        eid = pc.binary_join_element_wise(
            pa.scalar("E"), pc.utf8_lpad(pa.array(ent + 1).cast(pa.string()), self.width, "0"), "")
        size = self.ent_rows[ent].astype(np.int64) if m else np.zeros(0, np.int64)
        reasons, ignored = [], []
        ign = self._ignored_text()
        for c in self.col_codes:
            c = c[start:stop]
            has = c >= 0
            cc = np.where(has, c, 0)
            shared = has & self.shared[cc] if len(self.shared) else np.zeros(m, bool)
            if shared.any():
                reasons.append(self.key_text.take(pa.array(cc, mask=~shared)))
            bad = has & ~self.used[cc] if len(self.used) else np.zeros(m, bool)
            if bad.any():
                pos = self._ign_pos[cc]
                ignored.append(ign.take(pa.array(np.where(bad, pos, 0), mask=~bad)))
        for codes, text in self.notes:
            c = codes[start:stop]
            ignored.append(text.take(pa.array(np.where(c >= 0, c, 0), mask=c < 0)))
        if self.name_mode:
            nb = self.name_best[start:stop]
            score = pa.array(np.round(nb).astype(np.int64)).cast(pa.string())
            fuzzy = pc.binary_join_element_wise(pa.scalar(self.name_mode + "~"), score, "")
            txt = pc.if_else(pa.array(nb >= 100), pa.scalar(self.name_mode), fuzzy)
            reasons.append(pc.if_else(pa.array(nb > 0), txt, null))
            if self.name_note is not None:
                code = self.name_note[start:stop]
                for c, text in NOTE_TEXT.items():
                    if (code == c).any():
                        reasons.append(pc.if_else(pa.array(code == c), pa.scalar(text), null))
        if self.judged is not None:
            reasons.append(pc.if_else(pa.array(self.judged[start:stop]), pa.scalar("judged same"), null))
        reasons = pc.if_else(pa.array(size > 1), _join_arrow(reasons, m), pa.scalar(""))
        return {"entity_id": eid, "entity_size": pa.array(size), "match_reasons": reasons,
                "match_ignored": _join_arrow(ignored, m)}

    def attach(self, frame: pd.DataFrame, start: int) -> pd.DataFrame:
        """``frame`` (rows start.. of the input) with the four new columns inserted before
        ``_source``/``_row`` (or at the end)."""
        cols = self.columns(start, start + len(frame))
        out = frame.copy()
        pos = next((i for i, c in enumerate(out.columns) if c in ("_source", "_row")), len(out.columns))
        for offset, col in enumerate(NEW_COLUMNS):
            arr = cols[col]
            values = arr.to_numpy(zero_copy_only=False) if col == "entity_size" \
                else pd.Series(arr.to_pandas().array, index=out.index)
            out.insert(pos + offset, col, values)
        return out

    def entities(self) -> pd.DataFrame:
        return entity_table(self)


def _join_arrow(parts, m: int) -> pa.Array:
    """'; '.join of the non-null parts, row by row; '' where there are none."""
    if not parts:
        return pc.cast(pa.nulls(m), pa.string()).fill_null("")
    out = parts[0]
    for p in parts[1:]:
        out = pc.coalesce(pc.binary_join_element_wise(out, p, "; "), out, p)
    return out.fill_null("")


def _judgement_pairs(df, judgements, rows, codes, kind_keys, kind_offset, n_keys):
    """Turn the analyst's judgements into (same pairs, different pairs) of row positions. Only
    the records the judgements name are looked up (no table of every row's reference)."""
    import os

    cols = {c.lower().strip(): c for c in judgements.columns}
    try:
        a_col = next(cols[c] for c in ("record_a", "a", "left", "record1", "id_a") if c in cols)
        b_col = next(cols[c] for c in ("record_b", "b", "right", "record2", "id_b") if c in cols)
        d_col = next(cols[c] for c in ("decision", "judgement", "judgment", "same", "match") if c in cols)
    except StopIteration:
        raise UsageError("judgements file needs columns record_a, record_b, decision "
                         "(same/different); records are SOURCE:ROW or KIND:VALUE")
    refs = sorted({str(x).strip() for x in list(judgements[a_col]) + list(judgements[b_col])})
    by_ref, ambiguous = {}, {}
    if "_source" in df.columns and "_row" in df.columns:
        scode, snames = factorize_text(df["_source"])
        snames = [str(x) for x in snames]
        # a source is named by its full name, or by its base name when no other source shares it
        bases: dict = {}
        for s in snames:
            bases.setdefault(os.path.basename(s), []).append(s)
        wanted = []  # (ref, source code, row text, 0 = full source name / 1 = base name)
        for ref in refs:
            if ":" not in ref:
                continue
            for i, s in enumerate(snames):
                if ref.startswith(s + ":"):
                    wanted.append((ref, i, ref[len(s) + 1:], 0))
            src, _, row = ref.rpartition(":")
            for s in bases.get(src, ()):
                wanted.append((ref, snames.index(s), row, 1))
        if wanted:
            rowtext = {w[2] for w in wanted}
            rcol = df["_row"]
            if pd.api.types.is_integer_dtype(rcol.dtype):
                nums = {int(t) for t in rowtext if t.lstrip("-").isdigit()}
                cand = np.flatnonzero(rcol.isin(nums).to_numpy(dtype=bool, na_value=False))
                cand_text = rcol.to_numpy()[cand].astype(str)
            else:
                txt = rcol.astype("str")
                cand = np.flatnonzero(txt.isin(rowtext).to_numpy(dtype=bool, na_value=False))
                cand_text = txt.to_numpy()[cand].astype(str)
            first: dict = {}
            for i, s, t in zip(cand.tolist(), scode[cand].tolist(), cand_text.tolist()):
                first.setdefault((s, t), i)
            found: dict = {}
            for ref, s, t, rank in wanted:
                if (s, t) in first:
                    found.setdefault(ref, {}).setdefault(rank, {})[s] = first[(s, t)]
            # a full reference wins over a base name; a base name two sources share names neither
            for ref, ranks in found.items():
                if 0 in ranks:
                    by_ref[ref] = min(ranks[0].values())
                elif len(ranks[1]) == 1:
                    by_ref[ref] = next(iter(ranks[1].values()))
                else:
                    ambiguous[ref] = {snames[s] for s in ranks[1]}
    else:
        for ref in refs:
            if ref.startswith("row ") and ref[4:].isdigit() and 0 < int(ref[4:]) <= len(df):
                by_ref[ref] = int(ref[4:]) - 1
    from .keys import ID_KINDS, KIND_ALIASES

    first_row = None

    def locate(ref: str, line: int) -> int:
        nonlocal first_row
        ref = str(ref).strip()
        if ref in by_ref:
            return by_ref[ref]
        if ref in ambiguous:
            raise DataError(f"judgements row {line}: '{ref}' is ambiguous: it could be a row of "
                            f"{' or '.join(sorted(ambiguous[ref]))}; write the file as in _source")
        kind, _, value = ref.partition(":")
        kind_l = KIND_ALIASES.get(kind.lower().strip(), kind.lower().strip())
        if kind_l in ID_KINDS and value and kind_l in kind_keys:
            key = identifier_keys(pd.Series([value.strip()], dtype="str"), kind_l).iloc[0]
            if isinstance(key, str):
                at = pd.Index(kind_keys[kind_l]).get_indexer([key])[0]
                if at >= 0:
                    if first_row is None:
                        first_row = np.full(n_keys, np.iinfo(np.int64).max, np.int64)
                        np.minimum.at(first_row, codes, rows.astype(np.int64))
                    return int(first_row[kind_offset[kind_l] + at])
        raise DataError(f"judgements row {line}: '{ref}' is neither a record (SOURCE:ROW as in "
                        "_source/_row) nor an identifier found in the input")

    same, different, notes = [], [], {"same": 0, "different": 0}
    for line, (a, b, d) in enumerate(zip(judgements[a_col], judgements[b_col], judgements[d_col]), start=2):
        d = str(d).strip().lower()
        if d in ("same", "match", "yes", "y", "true", "1", "link", "="):
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
    # only pairs inside one component constrain (a pair already apart stays apart)
    roots, refused = constrained_components(nodes, edges, [(a, b) for a, b in cannot if label[a] == label[b]])
    # a split-off part is labelled by its smallest row
    by_root: dict = {}
    for x in nodes:
        by_root.setdefault(roots[x], []).append(x)
    for members in by_root.values():
        label[members] = min(members)
    return label, refused


# ------------------------------------------------------------------------------- entity table

def entity_table(result) -> pd.DataFrame:
    """One row per entity: its identifiers per kind, those not used to link, names, dates of
    birth, sources and what linked it, from the integer codes (``result``: a ResolveResult or
    a Linkage)."""
    lk = result._ctx["link"] if isinstance(result, ResolveResult) else result
    ent = lk.ent_codes.astype(np.int64)
    n_ent = len(lk.ent_rows)
    eid = pc.binary_join_element_wise(
        pa.scalar("E"), pc.utf8_lpad(pa.array(np.arange(1, n_ent + 1)).cast(pa.string()), lk.width, "0"), "")
    out = pd.DataFrame({"entity_id": pd.Series(eid.to_pandas().array), "rows": lk.ent_rows.astype(np.int64)})

    def join_per_entity(e, text, sep="; ") -> np.ndarray:
        if not len(e):
            return np.full(n_ent, "", dtype=object)
        joined = pd.Series(text, index=e).groupby(level=0, sort=True).agg(sep.join)
        return joined.reindex(range(n_ent)).fillna("").to_numpy()

    def distinct_join(codes_values) -> np.ndarray:
        codes, values = codes_values
        has = codes >= 0
        pairs = pd.DataFrame({"e": ent[has], "v": codes[has]}).drop_duplicates()
        text = np.asarray(values, dtype=object)[pairs["v"].to_numpy()]
        return join_per_entity(pairs["e"].to_numpy(), text)

    # (entity, key, shown) in column order then row order, each (entity, shown) once; shown
    # is the key itself, or for an IMEI the digits as written (the codes after all the keys)
    n_keys = len(lk.used)
    shown_kind, shown_texts, shown_base = {}, [], n_keys
    for kind, sh in zip(lk.kinds, lk.shown or [None] * len(lk.kinds)):
        if sh is not None and kind not in shown_kind:
            shown_kind[kind] = None
    for kind in shown_kind:  # one shown space per kind across its columns
        texts = pd.concat([sh[1] for k, sh in zip(lk.kinds, lk.shown) if k == kind and sh is not None],
                          ignore_index=True)
        tc, tu = pd.factorize(texts)
        shown_kind[kind] = (shown_base, tc)
        shown_texts.append((kind, pd.Series(tu, dtype="str")))
        shown_base += len(tu)
    longs, seen_kind = [], {}
    for kind, c, sh in zip(lk.kinds, lk.col_codes, lk.shown or [None] * len(lk.kinds)):
        has = c >= 0
        if sh is None:
            d = c[has].astype(np.int64)
        else:
            base, tc = shown_kind[kind]
            start = seen_kind.get(kind, 0)
            seen_kind[kind] = start + len(sh[1])
            d = base + tc[start:start + len(sh[1])][sh[0][has]].astype(np.int64)
        longs.append(pd.DataFrame({"e": ent[has], "v": c[has].astype(np.int64), "d": d}))
    long = pd.concat(longs, ignore_index=True).drop_duplicates(["e", "d"]) if longs else \
        pd.DataFrame({"e": np.zeros(0, np.int64), "v": np.zeros(0, np.int64), "d": np.zeros(0, np.int64)})
    long = long.sort_values(["e"], kind="stable")
    e, v, d = long["e"].to_numpy(), long["v"].to_numpy(), long["d"].to_numpy()
    shown_of = {k: t for k, t in shown_texts}

    def text_of(kind, dd) -> np.ndarray:
        if kind in shown_of:
            return shown_of[kind].to_numpy(dtype=object)[dd - shown_kind[kind][0]]
        return lk.kind_keys[kind].to_numpy(dtype=object)[dd - lk.kind_offset[kind]]

    kind_of_d = np.asarray(lk.code_kind, dtype=np.int64)[np.minimum(d, max(n_keys - 1, 0))] if n_keys else \
        np.zeros(len(d), np.int64)
    for kind, (base, tc) in shown_kind.items():
        kind_of_d[(d >= base) & (d < base + len(shown_of[kind]))] = lk.kind_order.index(kind)
    ignored = ~lk.used[v] if len(v) else np.zeros(0, bool)
    bad_text = np.full(len(d), None, dtype=object)
    for kind in dict.fromkeys(lk.kinds):
        k = lk.kind_order.index(kind)
        mine = kind_of_d == k
        pick = mine & ~ignored
        out[kind] = join_per_entity(e[pick], text_of(kind, d[pick]))
        bad = mine & ignored
        if bad.any():
            bad_text[bad] = [f"{kind}:{x}" for x in text_of(kind, d[bad])]
    if ignored.any():
        out["not_linked_on"] = join_per_entity(e[ignored], bad_text[ignored])
    else:
        out["not_linked_on"] = ""
    if lk.names is not None:
        out["names"] = distinct_join(lk.names)
    if lk.dobs is not None:
        out["dates_of_birth"] = distinct_join(lk.dobs)
    if lk.sources is not None:
        out["sources"] = distinct_join(lk.sources)
    # what linked each entity: the kinds named in its rows' match_reasons
    multi = lk.ent_rows[ent] > 1 if len(ent) else np.zeros(0, bool)
    labels, found = [], []
    for kind, c in zip(lk.kinds, lk.col_codes):
        has = c >= 0
        hit = np.zeros(len(c), bool)
        hit[has] = lk.shared[c[has]]
        labels.append(kind), found.append(hit & multi)
    if lk.name_mode:
        labels.append(lk.name_mode), found.append((lk.name_best > 0) & multi)
    if lk.judged is not None:
        labels.append("judged same"), found.append(lk.judged & multi)
    names = sorted(set(labels))
    rank = {x: i for i, x in enumerate(names)}
    parts = [pd.DataFrame({"e": ent[f], "v": rank[lab]}) for lab, f in zip(labels, found) if f.any()]
    if parts:
        s = pd.concat(parts, ignore_index=True).drop_duplicates().sort_values(["e", "v"])
        out["linked_by"] = join_per_entity(s["e"].to_numpy(), np.asarray(names, dtype=object)[s["v"].to_numpy()],
                                           ", ")
    else:
        out["linked_by"] = ""
    return out
