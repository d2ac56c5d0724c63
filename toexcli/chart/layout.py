"""Node positions computed before the page opens: a seeded Fruchterman-Reingold layout in numpy,
one connected group at a time, the groups then packed in rows (largest first).

A browser's force layout on 1,500 nodes takes a minute; this takes about a second, and the same
data always gives the same picture (so two analysts, or two versions of a product, agree).
Laying out each group on its own keeps separate groups from flying apart and squeezing each
group's nodes on top of each other.
"""

from __future__ import annotations

import math

import numpy as np

SPACING = 200.0  # pixels per sqrt(node) of a group's box
GAP = 60.0       # pixels between packed groups
ASPECT = 1.2     # a group's layout is stretched this much sideways (a screen is wider than tall)


def _components(n: int, s: np.ndarray, t: np.ndarray) -> list[np.ndarray]:
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in zip(s.tolist(), t.tolist()):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([find(i) for i in range(n)])
    groups = [np.flatnonzero(roots == r) for r in np.unique(roots)]
    groups.sort(key=lambda g: (-len(g), int(g[0])))
    return groups


def _force(n: int, s: np.ndarray, t: np.ndarray, w: np.ndarray, rng, iterations: int | None) -> np.ndarray:
    """Fruchterman-Reingold in the unit square for one connected group."""
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    pos = rng.random((n, 2)) - 0.5
    k = math.sqrt(1.0 / n)
    iterations = iterations or (150 if n <= 300 else 80 if n <= 1000 else 50)
    temp = 0.1
    cool = temp / (iterations + 1)
    block = 1024  # rows of the pairwise repulsion at a time (bounded memory)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        for start in range(0, n, block):
            dx = x[start:start + block, None] - x[None, :]
            dy = y[start:start + block, None] - y[None, :]
            inv = np.float32(k * k) / np.maximum(dx * dx + dy * dy, np.float32(1e-6))
            disp[start:start + block, 0] += (dx * inv).sum(1)
            disp[start:start + block, 1] += (dy * inv).sum(1)
        if len(s):
            d = pos[s] - pos[t]
            dist = np.sqrt(np.maximum((d * d).sum(-1), 1e-9))
            f = d * (dist * w / k)[:, None]
            np.add.at(disp, s, -f)
            np.add.at(disp, t, f)
        length = np.sqrt(np.maximum((disp * disp).sum(-1), 1e-9))
        pos += disp / length[:, None] * np.minimum(length, temp)[:, None]
        temp -= cool
    pos -= pos.mean(0)
    return pos


def _boxes(n, sizes, labels):
    """Each node's footprint: the node (diameter ``sizes``) with its label under it
    (``labels`` = (width, height) in pixels, or None). Returns centre offsets and half sizes."""
    r = np.asarray(sizes, dtype=float) / 2.0
    if labels is None:
        return np.zeros(n), r.copy(), r.copy()
    lw = np.asarray(labels[0], dtype=float)
    lh = np.asarray(labels[1], dtype=float)
    below = np.where(lh > 0, lh + 4.0, 0.0)
    hw = np.maximum(r, lw / 2.0)
    hh = r + below / 2.0
    dy = below / 2.0
    return dy, hw, hh


def _pairs(cx: np.ndarray, reach: float):
    """Index pairs (i, j) of points whose x differ by less than ``reach`` (sweep over x-sorted
    points, vectorised): the only pairs two boxes of at most ``reach`` width can overlap in."""
    n = len(cx)
    order = np.argsort(cx, kind="stable")
    xs = cx[order]
    right = np.searchsorted(xs, xs + reach, side="right")
    counts = np.maximum(right - np.arange(n) - 1, 0)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    i_sorted = np.repeat(np.arange(n), counts)
    start = np.repeat(np.cumsum(counts) - counts, counts)
    j_sorted = i_sorted + 1 + (np.arange(total) - start)
    return order[i_sorted], order[j_sorted]


def separate(pos: np.ndarray, sizes, gap: float = 30.0, rounds: int = 200, labels=None,
             linked=None, link_gap: float = 0.0) -> np.ndarray:
    """Push nodes apart until no two footprints overlap: a node's box (and the box of its label
    under it, when ``labels`` gives each label's width and height) plus ``gap``; linked nodes
    also keep ``link_gap`` for their link and its label. Nodes on exactly the same spot (two
    deal lines with the same contacts) are split along a fixed direction per node, so the result
    is deterministic. Candidate pairs come from a sweep over x, so a round costs about
    n x (nodes within one box width), not n squared."""
    pos = np.array(pos, dtype=float)
    n = len(pos)
    if n < 2:
        return pos
    dy, hw, hh = _boxes(n, sizes, labels)
    hw = hw + gap / 2.0
    hh = hh + gap / 2.0
    link_keys = None
    if linked is not None and link_gap > 0 and len(linked[0]):
        a, b = np.asarray(linked[0], dtype=np.int64), np.asarray(linked[1], dtype=np.int64)
        link_keys = np.unique(np.minimum(a, b) * n + np.maximum(a, b))
    reach = 2 * hw.max() + (link_gap if link_keys is not None else 0.0)
    # room first: spread the layout until its area could hold every footprint (with slack), so
    # the pushing below only has local work to do
    need = float((4 * hw * hh).sum()) * 2.0
    span = pos.max(0) - pos.min(0)
    have = float(max(span[0], 1.0) * max(span[1], 1.0))
    if have < need:
        pos = (pos - pos.mean(0)) * math.sqrt(need / have)
    angle = np.arange(n) * 2.399963  # golden angle: a fixed, different direction per node
    jitter = np.stack([np.cos(angle), np.sin(angle)], 1)
    for attempt in range(12):
        pos, left = _push(pos, rounds if attempt == 0 else 60, n, dy, hw, hh, reach, link_keys,
                          link_gap, jitter)
        if not left:
            break
        # a crowd the pushing cannot settle: spread the whole layout out a little (every
        # distance grows, so this always ends) and settle again
        pos = pos.mean(0) + (pos - pos.mean(0)) * 1.2
    return pos


def _push(pos, rounds, n, dy, hw, hh, reach, link_keys, link_gap, jitter):
    """Rounds of pairwise pushing; returns (positions, whether overlaps are left)."""
    for _ in range(rounds):
        cx, cy = pos[:, 0], pos[:, 1] + dy
        i, j = _pairs(cx, reach)
        if not len(i):
            return pos, False
        dx, dyy = cx[i] - cx[j], cy[i] - cy[j]
        near = np.abs(dyy) < hh[i] + hh[j] + (link_gap if link_keys is not None else 0.0)
        i, j, dx, dyy = i[near], j[near], dx[near], dyy[near]
        extra = 0.0
        if link_keys is not None and len(i):
            key = np.minimum(i, j) * n + np.maximum(i, j)
            at = np.minimum(np.searchsorted(link_keys, key), len(link_keys) - 1)
            extra = np.where(link_keys[at] == key, link_gap, 0.0)
        ox = hw[i] + hw[j] + extra - np.abs(dx)
        oy = hh[i] + hh[j] + extra - np.abs(dyy)
        hit = (ox > 1e-6) & (oy > 1e-6)
        if not hit.any():
            return pos, False
        i, j, dx, dyy, ox, oy = i[hit], j[hit], dx[hit], dyy[hit], ox[hit], oy[hit]
        same = (np.abs(dx) < 1e-9) & (np.abs(dyy) < 1e-9)
        sx = np.where(same, np.sign(jitter[i, 0] - jitter[j, 0]), np.sign(dx))
        sy = np.where(same, np.sign(jitter[i, 1] - jitter[j, 1]), np.sign(dyy))
        sx = np.where(sx == 0, 1.0, sx)
        sy = np.where(sy == 0, 1.0, sy)
        along_x = ox <= oy
        push = np.zeros((len(i), 2))
        push[along_x, 0] = ox[along_x] * sx[along_x] * 0.5
        push[~along_x, 1] = oy[~along_x] * sy[~along_x] * 0.5
        delta = np.zeros_like(pos)
        np.add.at(delta, i, push * 0.6)
        np.add.at(delta, j, -push * 0.6)
        pos += delta
    cx, cy = pos[:, 0], pos[:, 1] + dy
    i, j = _pairs(cx, reach)
    ox = hw[i] + hw[j] - np.abs(cx[i] - cx[j])
    oy = hh[i] + hh[j] - np.abs(cy[i] - cy[j])
    return pos, bool(((ox > 1e-6) & (oy > 1e-6)).any())


def overlaps(pos: np.ndarray, sizes, gap: float = 0.0, labels=None) -> list[tuple[int, int]]:
    """Pairs of nodes whose footprints (node, and label when ``labels`` is given) overlap."""
    pos = np.asarray(pos, dtype=float)
    n = len(pos)
    if n < 2:
        return []
    dy, hw, hh = _boxes(n, sizes, labels)
    cx, cy = pos[:, 0], pos[:, 1] + dy
    i, j = _pairs(cx, 2 * hw.max() + gap)
    ox = (hw[i] + hw[j] + gap) - np.abs(cx[i] - cx[j])
    oy = (hh[i] + hh[j] + gap) - np.abs(cy[i] - cy[j])
    bad = (ox > 1e-6) & (oy > 1e-6)
    return sorted((int(min(a, b)), int(max(a, b))) for a, b in zip(i[bad], j[bad]))


def spring_layout(n: int, sources, targets, weights=None, *, iterations: int | None = None,
                  seed: int = 7, sizes=None, gap: float = 30.0, labels=None,
                  link_gap: float = 110.0) -> np.ndarray:
    """Positions (n x 2, pixels) for ``n`` nodes joined by index pairs ``sources``/``targets``.
    With ``sizes`` (diameters in pixels), no two nodes overlap, nor (with ``labels``, each
    label's width and height) their labels (see :func:`separate`)."""
    out = np.zeros((n, 2))
    if n == 0:
        return out
    rng = np.random.default_rng(seed)
    s = np.asarray(sources, dtype=np.int64)
    t = np.asarray(targets, dtype=np.int64)
    w = np.ones(len(s)) if weights is None else 1.0 + np.log(np.maximum(np.asarray(weights, float), 1))
    keep = s != t
    s, t, w = s[keep], t[keep], w[keep]
    groups = _components(n, s, t)
    local = np.full(n, -1, dtype=np.int64)
    boxes = []
    for g in groups:
        local[g] = np.arange(len(g))
        inside = np.isin(s, g)
        pos = _force(len(g), local[s[inside]], local[t[inside]], w[inside], rng, iterations)
        pos = pos * np.array([ASPECT, 1.0])  # screens are wider than tall
        span = np.abs(pos).max() or 1.0
        size = SPACING * math.sqrt(len(g)) if len(g) > 1 else 0.0
        boxes.append((g, pos / span * (size / 2), size))
    # pack the groups in rows, largest first, in a roughly square overall shape
    total = sum((b[2] + GAP) ** 2 for b in boxes)
    width = max(boxes[0][2] + GAP, math.sqrt(total) * 1.2)
    x = y = row_h = 0.0
    for g, pos, size in boxes:
        cell = size + GAP
        if x > 0 and x + cell > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        out[g] = pos + np.array([x + cell / 2, y + cell / 2])
        x += cell
        row_h = max(row_h, cell)
    out = out - out.mean(0)
    if sizes is not None:
        if n > 400:  # big charts: room for links' labels is a nicety that costs minutes
            link_gap = 0.0
        if n > 1500:  # GraphML/GEXF scale: keep nodes apart, leave labels to the viewer
            labels = None
        out = separate(out, sizes, gap, labels=labels, linked=(s, t), link_gap=link_gap)
    return out
