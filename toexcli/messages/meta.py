"""Facebook Messenger and Instagram "Download your information" JSON (``message_N.json``).

Messages are newest first in the file; the file order is kept (sort by ``sent_utc`` to read a
thread). ``timestamp_ms`` is UTC. Every non-ASCII character is written as ``\\u00XX`` escapes of
its UTF-8 bytes ("mojibake"): strings are repaired by a latin-1 -> UTF-8 round trip, guarded so
that text that is already right is left alone (a file holding any character above U+00FF is
not mojibake; a string that does not round-trip is kept as it is).
"""

from __future__ import annotations

import json
import re

from .common import Builder, Chunk, clean

# reactions, likes and poll events that Meta writes as ordinary content
_SYSTEM = re.compile(
    r"^Reacted .+ to your message|reacted .+ to your message|^Liked a message$|liked a message$|"
    r"created a poll: | in the poll\.$|^You sent an attachment\.$|started a video chat$|"
    r"joined the video chat$|named the group |changed the group photo|added .+ to the group|"
    r"left the group\.?$|removed .+ from the group|set the nickname|set your nickname|"
    r"changed the chat theme|changed the theme|set the emoji|missed a call from|"
    r"^Messages and calls are secured with end-to-end encryption", re.I)


def fix_mojibake(s: str) -> str:
    """``RadosÅ\\x82aw`` -> ``Radosław``; anything that does not round-trip stays as it is."""
    if not s or s.isascii():
        return s
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def _has_wide(obj) -> bool:
    """True when any string holds a character above U+00FF (then the file is real Unicode)."""
    if isinstance(obj, str):
        return any(ord(ch) > 0xFF for ch in obj)
    if isinstance(obj, dict):
        return any(_has_wide(k) or _has_wide(v) for k, v in obj.items())
    if isinstance(obj, list):
        return any(_has_wide(v) for v in obj)
    return False


def _files(m: dict) -> str:
    out = []
    for key in ("photos", "videos", "audio_files", "files", "gifs"):
        for item in m.get(key) or []:
            if isinstance(item, dict) and item.get("uri"):
                out.append(str(item["uri"]))
    if isinstance(m.get("sticker"), dict) and m["sticker"].get("uri"):
        out.append(str(m["sticker"]["uri"]))
    if isinstance(m.get("share"), dict) and m["share"].get("link"):
        out.append(str(m["share"]["link"]))
    return ";".join(out)


def read(data: bytes, source: str, report, *, dayfirst=None, owner=None, path=None) -> Chunk:
    text = data.decode("utf-8-sig", errors="replace")
    try:
        obj = json.loads(text)
    except ValueError as exc:
        report.broken = f"not complete JSON ({exc.msg} at line {exc.lineno})"
        obj = _salvage(text)
    repair = not _has_wide(obj)
    repaired = [0]

    def fix(s: str) -> str:
        if not repair:
            return s
        out = fix_mojibake(s)
        repaired[0] += out != s
        return out

    path_s = str(path or source).lower()
    instagram = "instagram" in path_s or "thread_type" not in obj
    platform = "instagram" if instagram else "messenger"
    report.format = platform
    title = fix(str(obj.get("title", "") or ""))
    participants = [fix(str(p.get("name", ""))) for p in obj.get("participants", []) or []
                    if isinstance(p, dict)]
    b = Builder()
    for i, m in enumerate(obj.get("messages", []) or [], 1):
        if not isinstance(m, dict):
            continue
        sender = fix(str(m.get("sender_name", "") or ""))
        content = fix(str(m.get("content", "") or ""))
        mtype = str(m.get("type", "") or "")
        kind = "message"
        if mtype in ("Subscribe", "Unsubscribe") or (content and _SYSTEM.search(content)):
            kind = "system"
        elif mtype == "Call" or "call_duration" in m:
            kind = "call"
        flags = []
        if m.get("is_unsent"):
            flags.append("deleted")
        direction = ""
        if owner:
            direction = "out" if sender == owner else "in"
        recipients = ";".join(p for p in participants if p != sender)
        b.add(i, epoch=m.get("timestamp_ms", ""), platform=platform, chat=title, sender=sender,
              recipients=recipients, direction=direction if kind != "system" else "", kind=kind,
              text=clean(content), attachment=fix(_files(m)), flags=";".join(flags))
    if repaired[0]:
        report.notes.append(f"mojibake (UTF-8 bytes written as \\u00XX) repaired in {repaired[0]} "
                            "strings")
    return Chunk(cols=b.cols, epoch=b.epoch, unit="ms")


def _salvage(text: str) -> dict:
    """A cut-off file: participants, title and every complete message object."""
    out = {"messages": []}
    m = re.search(r'"participants"\s*:\s*(\[.*?\])', text, re.S)
    if m:
        try:
            out["participants"] = json.loads(m.group(1))
        except ValueError:
            pass
    m = re.search(r'"messages"\s*:\s*\[', text)
    if m:
        dec = json.JSONDecoder()
        pos = m.end()
        while True:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(text) or text[pos] == "]":
                break
            try:
                item, pos = dec.raw_decode(text, pos)
            except ValueError:
                break
            out["messages"].append(item)
    t = re.search(r'"title"\s*:\s*("(?:[^"\\]|\\.)*")', text)
    if t:
        out["title"] = json.loads(t.group(1))
    if '"thread_type"' in text:
        out["thread_type"] = "Regular"
    return out
