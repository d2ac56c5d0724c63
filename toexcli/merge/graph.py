"""Connected components over row links, vectorised (numpy), plus a constrained union-find for the
few components an analyst's "different" judgements must split."""

from __future__ import annotations

import numpy as np


def components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Label of each of ``n`` nodes: the smallest node index of its connected component.

    Hook-and-shortcut: every edge hooks the larger of its two roots under the smaller, then
    pointers are jumped until every node points at its root. Each round at least halves the
    number of roots joined by an edge, so it finishes in a few rounds on real data.
    """
    dtype = np.int32 if n < 2**31 - 1 else np.int64  # half the memory on up to 2 billion rows
    parent = np.arange(n, dtype=dtype)
    u = np.asarray(u, dtype=dtype)
    v = np.asarray(v, dtype=dtype)
    while len(u):
        pu, pv = parent[u], parent[v]
        lo, hi = np.minimum(pu, pv), np.maximum(pu, pv)
        keep = lo != hi
        if not keep.any():
            break
        lo, hi = lo[keep], hi[keep]
        np.minimum.at(parent, hi, lo)
        while True:
            nxt = parent[parent]
            if np.array_equal(nxt, parent):
                break
            parent = nxt
        # edges already inside one component never matter again
        u, v = u[keep], v[keep]
    return parent


def key_star_edges(rows: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges tying every row carrying a key to the first row carrying it (a star per key)."""
    if len(rows) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((rows, codes))
    r, c = rows[order], codes[order]
    start = np.r_[True, c[1:] != c[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(len(c)), 0))
    root = r[first]
    keep = ~start
    return r[keep], root[keep]


def constrained_components(nodes, edges, cannot) -> tuple[dict, list]:
    """Union-find over ``edges`` (sequence of (a, b, tag), strongest first) that never joins two
    nodes listed as a ``cannot`` pair. Returns (root of each node, edges that were refused)."""
    parent = {x: x for x in nodes}

    def find(x):
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    forbid: dict = {x: set() for x in nodes}
    for a, b in cannot:
        forbid[a].add(b)
        forbid[b].add(a)
    members = {x: {x} for x in nodes}
    refused = []
    for a, b, tag in edges:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if any(find(y) == rb for x in members[ra] for y in forbid[x]):
            refused.append((a, b, tag))
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra] |= members.pop(rb)
    return {x: find(x) for x in nodes}, refused
