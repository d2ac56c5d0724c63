"""Telegram Desktop JSON export (``result.json``): one chat ``{name, type, id, messages}`` or a
full export ``{personal_information, chats: {list: [...]}, left_chats: {list: [...]}}``.

``date_unixtime`` (a string of UTC epoch seconds) gives ``sent_utc``; ``date`` is the exporting
PC's local wall clock and is kept as ``sent_local``. Old exports have no ``date_unixtime``: then
``sent_utc`` needs ``--tz``. ``text`` is a string or a list of parts, concatenated exactly.
A truncated file keeps every complete message (each is decoded on its own).
"""

from __future__ import annotations

import json
import re

from .common import Builder, Chunk, clean

NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"


def text_of(value) -> str:
    """The message text: a string, or the concatenation of a list of parts (nothing added)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in value)
    return str(value)


def _attachment(m: dict) -> str:
    for key in ("photo", "file"):
        if m.get(key):
            return str(m[key])
    if m.get("media_type") == "sticker":
        return "sticker " + str(m.get("sticker_emoji", ""))
    if m.get("location_information"):
        loc = m["location_information"]
        return f"location: {loc.get('latitude')},{loc.get('longitude')}"
    if m.get("poll"):
        return "poll: " + str(m["poll"].get("question", ""))
    if m.get("contact_information"):
        c = m["contact_information"]
        return "contact: " + " ".join(str(c.get(k, "")) for k in ("first_name", "last_name", "phone_number")).strip()
    if m.get("action"):
        extra = []
        if m.get("duration_seconds") is not None:
            extra.append(f"{m['duration_seconds']} s")
        if m.get("discard_reason"):
            extra.append(str(m["discard_reason"]))
        if m.get("title"):
            extra.append(str(m["title"]))
        if m.get("members"):
            extra.append(", ".join(str(x) for x in m["members"]))
        return f"action: {m['action']}" + (f" ({'; '.join(extra)})" if extra else "")
    return ""


def _owner_id(obj) -> str:
    pi = obj.get("personal_information") if isinstance(obj, dict) else None
    if isinstance(pi, dict) and pi.get("user_id") is not None:
        return f"user{pi['user_id']}"
    return ""


def _chats(obj):
    if isinstance(obj, dict) and "messages" in obj:
        yield obj
        return
    if isinstance(obj, dict):
        for key in ("chats", "left_chats"):
            part = obj.get(key)
            if isinstance(part, dict):
                for chat in part.get("list", []) or []:
                    if isinstance(chat, dict):
                        yield chat


def _chat_name(chat: dict) -> str:
    if chat.get("name"):
        return str(chat["name"])
    if chat.get("type") == "saved_messages":
        return "Saved Messages"
    return str(chat.get("id", ""))


def _add(b: Builder, m: dict, chat: str, record: int, owner: str | None, owner_id: str):
    service = m.get("type") == "service"
    sender = m.get("actor" if service else "from")
    if sender is None:
        sender = m.get("from", m.get("actor", "")) or ""
    sender_id = m.get("actor_id" if service else "from_id", m.get("from_id", ""))
    flags = []
    if m.get("edited"):
        flags.append("edited")
    if m.get("forwarded_from") is not None:
        flags.append("forwarded")
    if m.get("reply_to_message_id") is not None:
        flags.append("reply")
    direction = ""
    if (owner and sender == owner) or (owner_id and str(sender_id) == owner_id):
        direction = "out"
    elif owner or owner_id:
        direction = "in"
    date = str(m.get("date", "") or "")
    b.add(record, local=date, epoch=m.get("date_unixtime", ""), platform="telegram", chat=chat,
          message_id=m.get("id", ""), sender=clean(sender), sender_id=sender_id,
          direction="" if service else direction, kind="system" if service else (
              "message" if m.get("type", "message") == "message" else str(m.get("type"))),
          text=clean(text_of(m.get("text"))), attachment=_attachment(m), flags=";".join(flags),
          reply_to=m.get("reply_to_message_id", ""))


def read(data: bytes, source: str, report, *, dayfirst=None, owner=None, path=None) -> Chunk:
    text = data.decode("utf-8-sig", errors="replace")
    b = Builder()
    try:
        obj = json.loads(text)
    except ValueError as exc:
        _salvage(text, b, report, owner, exc)
    else:
        owner_id = _owner_id(obj)
        if owner_id:
            report.notes.append(f"full export of {owner_id}: their messages are 'out'")
        record = 0
        nchats = 0
        for chat in _chats(obj):
            nchats += 1
            name = _chat_name(chat)
            for m in chat.get("messages", []) or []:
                record += 1
                if isinstance(m, dict):
                    _add(b, m, name, record, owner, owner_id)
        if nchats > 1:
            report.format = "telegram-full-export"
    return Chunk(cols=b.cols, local=b.local, epoch=b.epoch, unit="s", local_is_iso=True)


_MSGS = re.compile(r'"messages"\s*:\s*\[')
_NAME = re.compile(r'"name"\s*:\s*("(?:[^"\\]|\\.)*")')


def _salvage(text: str, b: Builder, report, owner, exc) -> None:
    """A file that is not whole JSON (cut off while copying): decode message by message."""
    dec = json.JSONDecoder()
    record = 0
    owner_id = ""
    m_pi = re.search(r'"personal_information"\s*:\s*\{[^{}]*"user_id"\s*:\s*(\d+)', text[:100000])
    if m_pi:
        owner_id = f"user{m_pi.group(1)}"
    stop = None
    for arr in _MSGS.finditer(text):
        names = _NAME.findall(text, max(0, arr.start() - 2000), arr.start())
        chat = json.loads(names[-1]) if names else ""
        pos = arr.end()
        while True:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(text) or text[pos] == "]":
                break
            try:
                m, pos = dec.raw_decode(text, pos)
            except ValueError as e:
                stop = (pos, e)
                break
            record += 1
            if isinstance(m, dict):
                _add(b, m, chat, record, owner, owner_id)
        if stop:
            break
    where = stop[0] if stop else len(text)
    line = text.count("\n", 0, where) + 1
    report.broken = (f"not complete JSON ({exc.msg} at line {exc.lineno}); "
                     f"messages read up to line {line}")
