"""Android ``mmssms.db`` (com.android.providers.telephony): ``sms`` and, when present,
``pdu``/``part``/``addr`` (MMS). SMS ``date`` is UTC epoch milliseconds; MMS ``pdu.date`` is
seconds. ``type``/``msg_box``: 1 received, 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued.
Rows are read in ``_id`` order (SMS first, then MMS); ``_row`` is the ``_id``.
"""

from __future__ import annotations

import sqlite3

from .common import Builder, Chunk, clean
from .smsxml import BOX, BOX_FLAG


def _cols(con, table):
    return {r[1] for r in con.execute(f"pragma table_info({table})")}


def read(db: str, source: str, report, *, dayfirst=None, owner=None, **_) -> Chunk:
    from ..errors import DataError

    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DataError(f"{source}: cannot open the database ({exc})") from None
    b = Builder()
    ms = []  # epoch values need one unit per chunk: MMS seconds are turned into ms here
    try:
        cols = _cols(con, "sms")
        want = [c for c in ("_id", "thread_id", "address", "date", "type", "body", "subject")
                if c in cols]
        for r in con.execute(f"select {', '.join(want)} from sms order by _id"):
            row = dict(zip(want, r))
            box = str(row.get("type") or "")
            direction = BOX.get(box, "")
            addr = str(row.get("address") or "")
            b.add(int(row["_id"]), epoch=row.get("date") or "", platform="sms",
                  chat=addr, message_id=row["_id"], sender=addr if direction == "in" else (owner or ""),
                  sender_id=addr if direction == "in" else "",
                  recipients=addr if direction == "out" else (owner or ""), direction=direction,
                  kind="sms", text=clean(row.get("body") or ""), flags=BOX_FLAG.get(box, ""))
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
        if {"pdu", "part", "addr"} <= tables:
            parts: dict = {}
            for mid, ct, text, name in con.execute("select mid, ct, text, coalesce(name, cl) from part order by _id"):
                parts.setdefault(mid, []).append((ct, text, name))
            addrs: dict = {}
            for mid, address, typ in con.execute("select msg_id, address, type from addr order by _id"):
                addrs.setdefault(mid, []).append((str(address or ""), str(typ)))
            for _id, date, box, thread in con.execute("select _id, date, msg_box, thread_id from pdu order by _id"):
                box = str(box or "")
                direction = BOX.get(box, "")
                frm = [a for a, t in addrs.get(_id, []) if t == "137" and a != "insert-address-token"]
                to = [a for a, t in addrs.get(_id, []) if t in ("151", "130", "129")]
                texts = [t or "" for ct, t, _ in parts.get(_id, []) if ct == "text/plain"]
                files = [n or ct for ct, _, n in parts.get(_id, []) if ct not in ("text/plain", "application/smil")]
                b.add(int(_id), epoch=int(date) * 1000 if date not in (None, "") else "", platform="sms",
                      chat=frm[0] if direction == "in" and frm else ";".join(to), message_id=_id,
                      sender=frm[0] if frm and direction == "in" else (owner or ""),
                      sender_id=frm[0] if frm else "", recipients=";".join(to), direction=direction,
                      kind="mms", text=clean("\n".join(texts)), attachment=";".join(f for f in files if f),
                      flags=BOX_FLAG.get(box, ""))
    except sqlite3.DatabaseError as exc:
        report.broken = f"database unreadable after {len(b)} messages ({exc})"
    finally:
        con.close()
    del ms
    return Chunk(cols=b.cols, epoch=b.epoch, unit="ms")
