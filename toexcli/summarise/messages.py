"""Summarise a message table (the output of ``toex messages parse``): who messages whom per
chat and sender, activity by hour and weekday, languages (when a ``*_lang`` column from
``toex translate detect`` is present) and bulk "flare" messages.

A *flare* is how a deal line advertises to its customer list: one sender sends the same or
nearly the same text to many recipients within minutes. Messages of one sender are grouped
when their texts are the same after normalisation (case, punctuation, emoji and digits
ignored) or share at least ``similarity`` of their words (Jaccard), and fall within
``window_minutes`` of the group's first message; a group reaching ``min_recipients``
distinct recipients (the ``recipients`` column, else the chat) is flagged with every
``_source``/``_row`` behind it.

Times: hour and weekday come from ``sent_local`` (the wall clock the phone showed); flares use
``sent_utc`` when present, else ``sent_local``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
NOT_MESSAGES = ("system", "reaction")


@dataclass
class MessageOptions:
    window_minutes: float = 15.0
    min_recipients: int = 5
    similarity: float = 0.7
    min_words: int = 3
    top: int = 10


def _load(table):
    import pandas as pd

    parts = list(table.frames()) if hasattr(table, "frames") else [table]
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    for c in ("platform", "chat", "sender", "recipients", "direction", "kind", "text",
              "sent_local", "sent_utc", "_source", "_row"):
        if c not in df.columns:
            df[c] = ""
        df[c] = df[c].astype("str").fillna("")
    return df


_NORM_DROP = re.compile(r"[^\w\s]|_", re.UNICODE)
_DIGITS = re.compile(r"\d+")


def norm_text(text: str) -> str:
    t = _DIGITS.sub("0", str(text).lower())
    return " ".join(_NORM_DROP.sub(" ", t).split())


def _times(df):
    """(instant ns for ordering, local wall clock) from sent_utc / sent_local."""
    import numpy as np

    from .. import timemodel as tm

    local = tm.walls(df["sent_local"].str.slice(0, 19), dayfirst=False)["wall"]
    utc = tm.walls(df["sent_utc"].str.replace("Z", "", regex=False).str.slice(0, 26),
                   dayfirst=False)["wall"]
    inst = utc.where(utc.notna(), local)
    return inst.to_numpy(dtype="datetime64[ns]").view(np.int64), local


def summarise_messages(table, options: MessageOptions | None = None) -> dict:
    import numpy as np
    import pandas as pd

    opt = options or MessageOptions()
    df = _load(table)
    n = len(df)
    inst_ns, local = _times(df)
    df["_t"] = inst_ns
    df["_local"] = local.to_numpy()
    is_msg = ~df["kind"].isin(NOT_MESSAGES)
    msgs = df[is_msg]
    nat = np.iinfo(np.int64).min

    def iso(ns):
        if ns is None or ns == nat:
            return None
        return pd.Timestamp(int(ns)).isoformat()

    def span(g):
        t = g["_t"][g["_t"] != nat]
        return (iso(t.min()) if len(t) else None, iso(t.max()) if len(t) else None)

    chats = []
    for (platform, chat), g in msgs.groupby(["platform", "chat"], sort=False):
        first, last = span(g)
        chats.append({"platform": platform, "chat": chat, "messages": int(len(g)),
                      "senders": int(g["sender"].replace("", pd.NA).nunique()),
                      "first": first, "last": last})
    chats.sort(key=lambda c: -c["messages"])
    # who messages whom: recipients where listed; else the other member of a two-person chat;
    # else the chat itself (a group)
    members = msgs[msgs["sender"] != ""].groupby("chat")["sender"].unique().to_dict()

    def whom(row_chat, row_sender, row_recips):
        if row_recips:
            return row_recips
        others = [m for m in members.get(row_chat, []) if m != row_sender]
        if len(others) == 1 and len(members.get(row_chat, [])) == 2:
            return others[0]
        return f"(chat) {row_chat}" if row_chat else ""

    pairs = []
    for (chat, sender, recips), g in msgs.groupby(["chat", "sender", "recipients"], sort=False):
        first, last = span(g)
        dirs = g["direction"].value_counts().to_dict()
        pairs.append({"chat": chat, "sender": sender, "to": whom(chat, sender, recips),
                      "messages": int(len(g)), "out": int(dirs.get("out", 0)),
                      "in": int(dirs.get("in", 0)), "first": first, "last": last})
    pairs.sort(key=lambda p: (-p["messages"], p["chat"], p["sender"]))
    # activity by hour x weekday (the phone's wall clock)
    grid = [[0] * 24 for _ in range(7)]
    lt = msgs["_local"].dropna()
    if len(lt):
        wd = lt.dt.day_of_week.to_numpy()
        hr = lt.dt.hour.to_numpy()
        counts = np.zeros((7, 24), dtype=np.int64)
        np.add.at(counts, (wd, hr), 1)
        grid = counts.tolist()
    languages = []
    for col in [c for c in df.columns if c.endswith("_lang")]:
        vc = msgs[col].astype("str").fillna("").replace("", "(none)").value_counts()
        per_sender = (msgs.assign(_l=msgs[col].astype("str").fillna(""))
                      .groupby(["chat", "sender"])["_l"].agg(lambda s: ", ".join(
                          f"{k} {v}" for k, v in s[s != ""].value_counts().head(3).items())))
        languages.append({"column": col,
                          "counts": [{"lang": k, "messages": int(v)} for k, v in vc.items()],
                          "by_sender": [{"chat": c, "sender": s, "languages": v}
                                        for (c, s), v in per_sender.items() if v]})
    flares = find_flares(msgs, opt)
    times = df["_t"][df["_t"] != nat]
    return {
        "kind": "messages",
        "rows": int(n), "messages": int(is_msg.sum()),
        "system": int((df["kind"] == "system").sum()),
        "reactions": int((df["kind"] == "reaction").sum()),
        "without_time": int((df["_t"] == nat).sum()),
        "first": iso(times.min()) if len(times) else None,
        "last": iso(times.max()) if len(times) else None,
        "platforms": {k: int(v) for k, v in msgs["platform"].value_counts().items()},
        "chats": chats, "pairs": pairs,
        "activity": {"weekdays": WEEKDAYS, "hour_by_weekday": grid},
        "languages": languages, "flares": flares,
        "flare_rule": {"window_minutes": opt.window_minutes, "min_recipients": opt.min_recipients,
                       "similarity": opt.similarity},
    }


def find_flares(msgs, opt: MessageOptions) -> list[dict]:
    """Bulk messages: see the module docstring. One pass per sender in time order; a message
    joins an open group (opened within the window) with the same normalised text, the same
    first six words, or (checked against the 10 most recent groups) enough shared words."""
    from collections import deque
    from itertools import islice

    import numpy as np
    import pandas as pd

    nat = np.iinfo(np.int64).min
    window = int(opt.window_minutes * 60 * 1_000_000_000)
    m = msgs[(msgs["_t"] != nat) & (msgs["text"].str.strip() != "")]
    counts = m["sender"].value_counts()
    m = m[m["sender"].isin(counts[counts >= opt.min_recipients].index)]
    if not len(m):
        return []
    m = m.sort_values(["sender", "_t"], kind="stable")
    norm_cache: dict[str, str] = {}
    flares = []
    cols = [m[c].tolist() for c in ("sender", "text", "chat", "recipients", "_source", "_row")]
    times = m["_t"].to_numpy()
    current = None
    open_: deque = deque()
    by_key: dict = {}
    by_prefix: dict = {}
    finished: list = []

    def close(c):
        if len(c["to"]) >= opt.min_recipients:
            finished.append(c)

    for i in range(len(times)):
        sender, text, chat, recips, src, row = (c[i] for c in cols)
        t = int(times[i])
        if sender != current:
            for c in open_:
                close(c)
            open_.clear()
            by_key.clear()
            by_prefix.clear()
            current = sender
        while open_ and t - open_[0]["start"] > window:
            c = open_.popleft()
            close(c)
            if by_key.get(c["key"]) is c:
                del by_key[c["key"]]
            if c["prefix"] and by_prefix.get(c["prefix"]) is c:
                del by_prefix[c["prefix"]]
        key = norm_cache.get(text)
        if key is None:
            key = norm_cache[text] = norm_text(text)
        words = key.split()
        prefix = " ".join(words[:6]) if len(words) >= max(opt.min_words, 6) else ""
        home = by_key.get(key) or (by_prefix.get(prefix) if prefix else None)
        if home is None and len(words) >= opt.min_words and open_:
            wset = set(words)
            n = len(wset)
            for c in islice(reversed(open_), 10):
                cw = c["words"]
                k = len(cw)
                # Jaccard >= s needs the smaller set to be at least s of the larger
                if k < opt.min_words or min(n, k) < opt.similarity * max(n, k):
                    continue
                inter = len(wset & cw)
                if inter >= opt.similarity * (n + k - inter):
                    home = c
                    break
        if home is None:
            home = {"sender": sender, "key": key, "prefix": prefix, "words": set(words),
                    "start": t, "rows": [], "to": set(), "texts": set()}
            open_.append(home)
            by_key.setdefault(key, home)
            if prefix:
                by_prefix.setdefault(prefix, home)
        home["rows"].append((src, row, t))
        for r in (recips.split(";") if recips else [chat]):
            if r:
                home["to"].add(r)
        home["texts"].add(text)
    for c in open_:
        close(c)
    for c in finished:
        ts = [r[2] for r in c["rows"]]
        flares.append({
            "sender": c["sender"], "text": sorted(c["texts"], key=len)[0],
            "variants": len(c["texts"]), "recipients": len(c["to"]), "messages": len(c["rows"]),
            "first": pd.Timestamp(int(min(ts))).isoformat(),
            "last": pd.Timestamp(int(max(ts))).isoformat(),
            "minutes": round((max(ts) - min(ts)) / 60e9, 1), "to": sorted(c["to"])[:50],
            "rows": [{"_source": s_, "_row": _int(r_)} for s_, r_, _ in c["rows"]]})
    flares.sort(key=lambda f: (-f["recipients"], f["first"]))
    return flares


def _int(v):
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return v


# ----------------------------------------------------------------------------- presentation
def render(r: dict, console, top: int) -> None:
    from rich.text import Text

    from .report import BLOCKS, _short, _table

    span = f", {_short(r['first'])} to {_short(r['last'])}" if r["first"] else ""
    plats = ", ".join(f"{k} {v:,}" for k, v in r["platforms"].items())
    console.print(f"{r['messages']:,} messages ({plats}) in {len(r['chats'])} chats{span}; "
                  f"{r['system']:,} system lines, {r['reactions']:,} reactions not counted")
    if r["without_time"]:
        console.print(f"[yellow]note:[/yellow] {r['without_time']:,} rows without a readable time")
    t = _table("\nchats")
    for col in ("chat", "platform", "messages", "senders", "first", "last"):
        t.add_column(col, justify="right" if col in ("messages", "senders") else "left",
                     overflow="fold", max_width=30 if col == "chat" else None)
    for c in r["chats"][:top]:
        t.add_row(c["chat"], c["platform"], f"{c['messages']:,}", f"{c['senders']:,}",
                  _short(c["first"]), _short(c["last"]))
    console.print(t)
    t = _table("\nwho messages whom (per chat and sender)")
    for col in ("chat", "sender", "to", "messages", "first", "last"):
        t.add_column(col, justify="right" if col == "messages" else "left", overflow="fold",
                     max_width=22 if col in ("chat", "sender", "to") else None)
    for p in r["pairs"][: top * 2]:
        t.add_row(p["chat"], p["sender"] or "(not named)", p["to"], f"{p['messages']:,}",
                  _short(p["first"]), _short(p["last"]))
    console.print(t)
    m = r["activity"]["hour_by_weekday"]
    hi = max((v for row in m for v in row), default=0) or 1
    console.print("\n[bold]activity by hour (columns 00-23, phone's clock) and weekday[/bold]")
    console.print("     " + "".join(f"{h:<3d}" if h % 3 == 0 else "   " for h in range(24)))
    for d, name in enumerate(r["activity"]["weekdays"]):
        line = Text(f"{name:<5}")
        for v in m[d]:
            line.append(" " + BLOCKS[0 if v == 0 else max(1, round(v / hi * 8))] * 2)
        line.append(f"  {sum(m[d]):,}")
        console.print(line)
    for lang in r["languages"]:
        console.print(f"\n[bold]languages ({lang['column']})[/bold]: " + ", ".join(
            f"{x['lang']} {x['messages']:,}" for x in lang["counts"][:top]))
        t = _table()
        for col in ("chat", "sender", "languages"):
            t.add_column(col, overflow="fold", max_width=30)
        for x in lang["by_sender"][:top]:
            t.add_row(x["chat"], x["sender"] or "(not named)", x["languages"])
        console.print(t)
    fr = r["flares"]
    rule = r["flare_rule"]
    console.print(f"\n[bold]bulk 'flare' messages ({len(fr)})[/bold] [dim]same or near-same text to "
                  f"≥{rule['min_recipients']} recipients within {rule['window_minutes']:g} min[/dim]")
    if fr:
        t = _table()
        for col in ("sender", "recipients", "messages", "first", "minutes", "text", "rows"):
            t.add_column(col, justify="right" if col in ("recipients", "messages", "minutes") else "left",
                         overflow="fold", max_width=34 if col == "text" else 22)
        for f in fr[:top]:
            rows = f["rows"]
            srcs = sorted({x["_source"] for x in rows})
            where = (srcs[0].rsplit("/", 1)[-1] + ": " if len(srcs) == 1 else "") + ", ".join(
                str(x["_row"]) for x in rows[:6]) + (f" +{len(rows) - 6}" if len(rows) > 6 else "")
            t.add_row(f["sender"] or "(not named)", f"{f['recipients']:,}", f"{f['messages']:,}",
                      _short(f["first"]), f"{f['minutes']:g}", f["text"][:120], where)
        console.print(t)


def tidy(r: dict) -> dict:
    from .tidy import _frame

    out = {}
    out["chats"] = _frame(r["chats"], ["platform", "chat", "messages", "senders", "first", "last"])
    out["pairs"] = _frame(r["pairs"], ["chat", "sender", "to", "messages", "out", "in", "first", "last"])
    wd = r["activity"]["weekdays"]
    out["activity"] = _frame([
        {"weekday": wd[d], "hour": h, "messages": r["activity"]["hour_by_weekday"][d][h]}
        for d in range(7) for h in range(24)], ["weekday", "hour", "messages"])
    out["languages"] = _frame([
        {"column": x["column"], "lang": c["lang"], "messages": c["messages"]}
        for x in r["languages"] for c in x["counts"]], ["column", "lang", "messages"])
    rows = []
    for i, f in enumerate(r["flares"], 1):
        for x in f["rows"]:
            rows.append({"flare": i, "sender": f["sender"], "recipients": f["recipients"],
                         "first": f["first"], "text": f["text"], "_source": x["_source"],
                         "_row": x["_row"]})
    out["flares"] = _frame(rows, ["flare", "sender", "recipients", "first", "text", "_source", "_row"])
    for c in ("messages", "senders", "out", "in", "flare", "recipients", "_row"):
        for df in out.values():
            if c in df.columns:
                df[c] = df[c].astype("Int64")
    return out


def html(r: dict) -> str:
    from .html import _table as table, esc, svg_heatmap

    parts = [f"<p>{r['messages']:,} messages in {len(r['chats'])} chats</p>", "<h2>Chats</h2>",
             table(["chat", "platform", "messages", "senders", "first", "last"],
                   [[c["chat"], c["platform"], c["messages"], c["senders"], c["first"], c["last"]]
                    for c in r["chats"]], {2, 3}),
             "<h2>Who messages whom</h2>",
             table(["chat", "sender", "to", "messages", "first", "last"],
                   [[p["chat"], p["sender"], p["to"], p["messages"], p["first"], p["last"]]
                    for p in r["pairs"][:200]], {3}),
             "<h2>Activity by hour and weekday</h2>",
             svg_heatmap(r["activity"]["hour_by_weekday"], r["activity"]["weekdays"])]
    for lang in r["languages"]:
        parts.append(f"<h2>Languages ({esc(lang['column'])})</h2>")
        parts.append(table(["lang", "messages"], [[x["lang"], x["messages"]] for x in lang["counts"]], {1}))
    parts.append(f"<h2>Bulk 'flare' messages ({len(r['flares'])})</h2>")
    parts.append(table(["sender", "recipients", "messages", "first", "minutes", "text", "rows"],
                       [[f["sender"], f["recipients"], f["messages"], f["first"], f["minutes"],
                         f["text"], ", ".join(f"{x['_source'].rsplit('/', 1)[-1]}:{x['_row']}"
                                              for x in f["rows"])] for f in r["flares"]], {1, 2, 4}))
    return "\n".join(parts)
