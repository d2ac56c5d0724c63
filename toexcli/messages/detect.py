"""Which export a file is, from its content (not its name)."""

from __future__ import annotations

import json
import re

FORMATS = {
    "whatsapp": "WhatsApp 'Export chat' text (Android or iOS), or its .zip",
    "telegram": "Telegram Desktop JSON (result.json: one chat or a full export)",
    "messenger": "Facebook Messenger / Instagram 'Download your information' JSON (message_N.json)",
    "sms-xml": "SMS Backup & Restore XML (<smses>)",
    "mmssms": "Android mmssms.db (SQLite: sms, pdu/part/addr)",
    "imessage": "iOS/macOS chat.db / sms.db (SQLite: message, handle, chat)",
    "signal": "signal-export output (data.json lines or chat.md)",
    "report": "forensic report chats/instant messages/SMS sheet (xlsx or csv: Timestamp, Body, Parties)",
}


def _strip(head: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom):]
    return head.lstrip()


def detect(path: str, head: bytes | None = None) -> str | None:
    """The format name of ``path`` (see FORMATS), ``zip`` for an archive, or None."""
    if head is None:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    return detect_bytes(head, path)


def detect_bytes(head: bytes, path: str = "") -> str | None:
    if head.startswith(b"SQLite format 3\x00"):
        return _sqlite_kind(path)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx" if b"xl/" in head[:4096] or b"[Content_Types].xml" in head[:200] and b"xl/" in head else "zip"
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        try:
            text = head.decode("utf-16", errors="ignore")
        except Exception:
            text = ""
        from .whatsapp import looks_like

        return "whatsapp" if looks_like(text) else None
    body = _strip(head)
    if body.startswith(b"<"):
        low = body[:4000].lower()
        if b"<smses" in low or b"<sms " in low or b"<mms " in low:
            return "sms-xml"
        if b"<calls" in low:
            return "calls-xml"
        return None
    if body.startswith(b"{") or body.startswith(b"["):
        kind = _json_kind(body)
        if kind is not None or body.startswith(b"{"):
            return kind
    text = head.decode("utf-8", errors="ignore")
    from .whatsapp import looks_like

    if str(path).lower().endswith(".md") and re.search(r"^\[\d{4}-\d{2}-\d{2}", text, re.M):
        return "signal"
    if looks_like(text):
        return "whatsapp"
    if _report_header(text):
        return "report"
    return None


def _json_kind(body: bytes) -> str | None:
    text = body.decode("utf-8", errors="ignore")
    first = text.split("\n", 1)[0].strip()
    # signal-export data.json: one object per line with date/sender/body
    if first.startswith("{") and first.endswith("}"):
        try:
            obj = json.loads(first)
            if isinstance(obj, dict) and "sender" in obj and "body" in obj and "date" in obj:
                return "signal"
        except ValueError:
            pass
    keys = set(re.findall(r'"([A-Za-z_]+)"\s*:', text[:65536]))
    if "timestamp_ms" in keys or ("participants" in keys and "sender_name" in keys):
        return "messenger"
    if "date_unixtime" in keys or "chats" in keys and "list" in keys or \
            ("messages" in keys and ("from_id" in keys or "text_entities" in keys or "actor" in keys)):
        return "telegram"
    if "messages" in keys and "date" in keys and ("from" in keys or "text" in keys):
        return "telegram"
    return None


def _sqlite_kind(path: str) -> str | None:
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if {"message", "handle"} <= tables:
        return "imessage"
    if "sms" in tables:
        return "mmssms"
    return None


_REPORT_COLS = re.compile(r"\bbody\b|\bmessage\b", re.I)


def _report_header(text: str) -> bool:
    """A forensic report sheet saved as CSV: a header among the first rows with a body/message
    column and a timestamp column."""
    for line in text.splitlines()[:8]:
        low = line.lower()
        if _REPORT_COLS.search(low) and ("timestamp" in low or "date" in low) and \
                ("parties" in low or "from" in low or "direction" in low or "sender" in low):
            return True
    return False
