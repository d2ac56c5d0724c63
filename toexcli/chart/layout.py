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


def separate(pos: np.ndarray, sizes, gap: float = 30.0, rounds: int = 400, labels=None,
             linked=None, link_gap: float = 0.0) -> np.ndarray:
    """Push nodes apart until no two footprints overlap: a node's box (and the box of its label
    under it, when ``labels`` gives each label's width and height) plus ``gap``. Nodes on exactly
    the same spot (two deal lines with the same contacts) are split along a fixed direction per
    node, so the result is deterministic. Pairwise: fine up to a couple of thousand nodes (the
    HTML page caps charts at 1,500)."""
    pos = np.array(pos, dtype=float)
    n = len(pos)
    if n < 2:
        return pos
    dy, hw, hh = _boxes(n, sizes, labels)
    hw = hw + gap / 2.0
    hh = hh + gap / 2.0
    need_x = hw[:, None] + hw[None, :]
    need_y = hh[:, None] + hh[None, :]
    if linked is not None and link_gap > 0 and len(linked[0]):
        # linked nodes keep room between them for the link and its label
        extra = np.zeros((n, n))
        a, b = np.asarray(linked[0], dtype=np.int64), np.asarray(linked[1], dtype=np.int64)
        extra[a, b] = extra[b, a] = link_gap
        need_x = need_x + extra
        need_y = need_y + extra / 2.0
    angle = np.arange(n) * 2.399963  # golden angle: a fixed, different direction per node
    jitter = np.stack([np.cos(angle), np.sin(angle)], 1)
    eye = np.eye(n, dtype=bool)
    for _ in range(rounds):
        cx, cy = pos[:, 0], pos[:, 1] + dy
        dx = cx[:, None] - cx[None, :]
        dyy = cy[:, None] - cy[None, :]
        ox = need_x - np.abs(dx)
        oy = need_y - np.abs(dyy)
        hit = (ox > 1e-6) & (oy > 1e-6) & ~eye
        if not hit.any():
            break
        same = (np.abs(dx) < 1e-9) & (np.abs(dyy) < 1e-9) & ~eye
        jx = jitter[:, None, 0] - jitter[None, :, 0]
        jy = jitter[:, None, 1] - jitter[None, :, 1]
        sx = np.where(same, np.sign(jx), np.sign(dx))
        sy = np.where(same, np.sign(jy), np.sign(dyy))
        along_x = ox <= oy
        push_x = np.where(hit & along_x, ox * sx * 0.5, 0.0)
        push_y = np.where(hit & ~along_x, oy * sy * 0.5, 0.0)
        pos[:, 0] += push_x.sum(1) * 0.6
        pos[:, 1] += push_y.sum(1) * 0.6
    return pos


def overlaps(pos: np.ndarray, sizes, gap: float = 0.0, labels=None) -> list[tuple[int, int]]:
    """Pairs of nodes whose footprints (node, and label when ``labels`` is given) overlap."""
    pos = np.asarray(pos, dtype=float)
    n = len(pos)
    dy, hw, hh = _boxes(n, sizes, labels)
    cx, cy = pos[:, 0], pos[:, 1] + dy
    ox = (hw[:, None] + hw[None, :] + gap) - np.abs(cx[:, None] - cx[None, :])
    oy = (hh[:, None] + hh[None, :] + gap) - np.abs(cy[:, None] - cy[None, :])
    bad = (ox > 1e-6) & (oy > 1e-6)
    np.fill_diagonal(bad, False)
    i, j = np.nonzero(np.triu(bad))
    return list(zip(i.tolist(), j.tolist()))


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
    if sizes is not None and n <= 2000:
        out = separate(out, sizes, gap, labels=labels, linked=(s, t), link_gap=link_gap)
    return out
