"""iOS / macOS Messages database (``chat.db``; ``sms.db`` in an iOS backup).

``message.date`` counts from 2001-01-01 UTC, in seconds in old databases and nanoseconds since
iOS 11 / macOS 10.13 (decided per value). ``is_from_me`` gives the direction, ``handle`` the
other party, ``chat`` the conversation. Newer systems leave ``text`` empty and keep it in
``attributedBody`` (an Apple typedstream): the text is read from there. Tapbacks
(``associated_message_type`` 2000-2005 added, 3000-3005 removed) are reactions, not messages:
they are kept as ``kind = reaction`` so counts of ``kind = message`` are right.
"""

from __future__ import annotations

import sqlite3

from .common import Builder, Chunk, clean

TAPBACKS = {2000: "loved", 2001: "liked", 2002: "disliked", 2003: "laughed", 2004: "emphasised",
            2005: "questioned", 3000: "removed love", 3001: "removed like",
            3002: "removed dislike", 3003: "removed laugh", 3004: "removed emphasis",
            3005: "removed question"}


def attributed_text(blob) -> str:
    """The plain text of an ``attributedBody`` typedstream (the NSString after its class name)."""
    if not blob:
        return ""
    data = bytes(blob)
    at = data.find(b"NSString")
    if at < 0:
        return ""
    i = at + len(b"NSString")
    # class info then '+' (0x2b) introduces the string bytes with their length
    plus = data.find(b"+", i, i + 16)
    if plus < 0:
        return ""
    i = plus + 1
    n = data[i]
    if n == 0x81:
        n = int.from_bytes(data[i + 1:i + 3], "little")
        i += 3
    elif n == 0x82:
        n = int.from_bytes(data[i + 1:i + 5], "little")
        i += 5
    else:
        i += 1
    return data[i:i + n].decode("utf-8", errors="replace")


def _cols(con, table):
    return {r[1] for r in con.execute(f"pragma table_info({table})")}


def read(db: str, source: str, report, *, dayfirst=None, owner=None, **_) -> Chunk:
    from ..errors import DataError

    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DataError(f"{source}: cannot open the database ({exc})") from None
    b = Builder()
    try:
        mcols = _cols(con, "message")
        opt = [c for c in ("attributedBody", "associated_message_type", "thread_originator_guid",
                           "date_edited", "service", "cache_has_attachments", "is_from_me",
                           "handle_id", "guid", "date", "text", "item_type") if c in mcols]
        handles = {r[0]: str(r[1] or "") for r in con.execute("select ROWID, id from handle")}
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
        chat_of, chat_members = {}, {}
        if {"chat", "chat_message_join"} <= tables:
            ccols = _cols(con, "chat")
            name_expr = "coalesce(nullif(display_name, ''), chat_identifier)" if "display_name" in ccols else "chat_identifier"
            names = {r[0]: str(r[1] or "") for r in con.execute(f"select ROWID, {name_expr} from chat")}
            for cid, mid in con.execute("select chat_id, message_id from chat_message_join"):
                chat_of.setdefault(mid, names.get(cid, ""))
            if "chat_handle_join" in tables:
                for cid, hid in con.execute("select chat_id, handle_id from chat_handle_join"):
                    chat_members.setdefault(names.get(cid, ""), []).append(handles.get(hid, ""))
        files = {}
        if {"attachment", "message_attachment_join"} <= tables:
            acols = _cols(con, "attachment")
            expr = "coalesce(a.transfer_name, a.filename)" if "transfer_name" in acols else "a.filename"
            for mid, name in con.execute(f"select j.message_id, {expr} from message_attachment_join j "
                                         "join attachment a on a.ROWID = j.attachment_id"):
                files.setdefault(mid, []).append(str(name or ""))
        sel = ", ".join(["ROWID"] + opt)
        ns_dates = 0
        tapbacks = 0
        for r in con.execute(f"select {sel} from message order by ROWID"):
            row = dict(zip(["ROWID"] + opt, r))
            rid = row["ROWID"]
            text = row.get("text")
            if (text is None or text == "") and row.get("attributedBody"):
                text = attributed_text(row["attributedBody"])
            date = row.get("date")
            epoch = ""
            if date not in (None, "", 0):
                d = int(date)
                if abs(d) > 100_000_000_000:  # nanoseconds (iOS 11+ / macOS 10.13+)
                    epoch = d
                    ns_dates += 1
                else:
                    epoch = d * 1_000_000_000
            mine = bool(row.get("is_from_me"))
            other = handles.get(row.get("handle_id"), "")
            chat = chat_of.get(rid, other)
            assoc = int(row.get("associated_message_type") or 0)
            kind = "message"
            if assoc in TAPBACKS or 2000 <= assoc < 4000:
                kind = "reaction"
                tapbacks += 1
                text = text or TAPBACKS.get(assoc, f"reaction {assoc}")
            elif int(row.get("item_type") or 0) != 0:
                kind = "system"
            service = str(row.get("service") or "")
            flags = []
            if row.get("date_edited"):
                flags.append("edited")
            if row.get("thread_originator_guid"):
                flags.append("reply")
            members = [m for m in chat_members.get(chat, []) if m] or ([other] if other else [])
            b.add(int(rid), epoch=epoch, platform="imessage" if service in ("", "iMessage") else service.lower(),
                  chat=chat, message_id=row.get("guid", rid),
                  sender=(owner or "") if mine else other, sender_id="" if mine else other,
                  recipients=";".join(members) if mine else (owner or ""),
                  direction="out" if mine else "in", kind=kind, text=clean(text or ""),
                  attachment=";".join(files.get(rid, [])), flags=";".join(flags),
                  reply_to=row.get("thread_originator_guid") or "")
        if tapbacks:
            report.notes.append(f"{tapbacks} tapbacks (reactions) kept as kind 'reaction', not messages")
        if ns_dates:
            report.notes.append("dates in nanoseconds since 2001-01-01 (iOS 11+/macOS 10.13+)")
    except sqlite3.DatabaseError as exc:
        report.broken = f"database unreadable after {len(b)} messages ({exc})"
    finally:
        con.close()
    return Chunk(cols=b.cols, epoch=b.epoch, unit="ns", epoch_kind="cocoa")
