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

SPACING = 160.0  # pixels per sqrt(node) of a group's box
GAP = 60.0       # pixels between packed groups


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


def separate(pos: np.ndarray, sizes, gap: float = 24.0, rounds: int = 200) -> np.ndarray:
    """Push nodes apart until no two centres are closer than their radii plus ``gap`` (their
    circles and the space for a label never overlap). Nodes on exactly the same spot (two deal
    lines with the same contacts) are split along a fixed direction, so it is deterministic.
    Pairwise in blocks: fine up to a few thousand nodes (the HTML page caps charts at 1,500)."""
    pos = np.array(pos, dtype=float)
    n = len(pos)
    if n < 2:
        return pos
    r = np.asarray(sizes, dtype=float) / 2.0
    need_all = r[:, None] + r[None, :] + gap
    np.fill_diagonal(need_all, 0.0)
    jitter = np.stack([np.cos(np.arange(n) * 2.399963), np.sin(np.arange(n) * 2.399963)], 1)
    for _ in range(rounds):
        d = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((d * d).sum(-1))
        short = need_all - dist
        np.fill_diagonal(short, -1.0)
        if short.max() <= 1e-6:
            break
        same = dist < 1e-9
        np.fill_diagonal(same, False)
        unit = np.where(same[..., None], jitter[:, None, :] - jitter[None, :, :], d)
        norm = np.sqrt((unit * unit).sum(-1))
        norm[norm < 1e-12] = 1.0
        unit = unit / norm[..., None]
        push = np.clip(short, 0, None)[..., None] * unit * 0.5
        pos += push.sum(1)
    return pos


def overlaps(pos: np.ndarray, sizes, gap: float = 0.0) -> list[tuple[int, int]]:
    """Pairs of nodes whose circles (diameter ``sizes``) plus ``gap`` overlap."""
    pos = np.asarray(pos, dtype=float)
    r = np.asarray(sizes, dtype=float) / 2.0
    d = np.sqrt(((pos[:, None, :] - pos[None, :, :]) ** 2).sum(-1))
    bad = d < (r[:, None] + r[None, :] + gap - 1e-6)
    np.fill_diagonal(bad, False)
    i, j = np.nonzero(np.triu(bad))
    return list(zip(i.tolist(), j.tolist()))


def spring_layout(n: int, sources, targets, weights=None, *, iterations: int | None = None,
                  seed: int = 7, sizes=None, gap: float = 24.0) -> np.ndarray:
    """Positions (n x 2, pixels) for ``n`` nodes joined by index pairs ``sources``/``targets``.
    With ``sizes`` (diameters in pixels), no two nodes overlap (see :func:`separate`)."""
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
        out = separate(out, sizes, gap)
    return out
