"""signal-export (``sigexport``) output: ``data.json`` (one JSON object per line: ``date``,
``sender``, ``body``, ``quote``, ``sticker``, ``reactions``, ``attachments``) or ``chat.md``
(``[YYYY-MM-DD HH:MM:SS] Sender: body``, read by the WhatsApp engine). Times are the local
clock of the PC that ran the export (no zone): ``sent_utc`` needs ``--tz``. ``Me`` is the
exporter. The chat is the folder's name.
"""

from __future__ import annotations

import json
import os

from .common import Builder, Chunk, clean


def chat_name(path: str) -> str:
    folder = os.path.basename(os.path.dirname(os.path.abspath(path.split("!/")[0])))
    return folder or "signal"


def read_json(data: bytes, path: str, report, *, owner=None) -> Chunk:
    b = Builder()
    chat = chat_name(path)
    me = owner or "Me"
    for n, line in enumerate(data.decode("utf-8-sig", errors="replace").split("\n"), 1):
        if not line.strip():
            continue
        try:
            m = json.loads(line)
        except ValueError as exc:
            report.broken = f"line {n} is not a complete JSON object ({exc.msg})"
            break
        if not isinstance(m, dict):
            continue
        sender = str(m.get("sender", "") or "")
        files = [str(a.get("name") or a.get("path") or a.get("fileName") or "") if isinstance(a, dict)
                 else str(a) for a in (m.get("attachments") or [])]
        flags = []
        if m.get("deleted"):
            flags.append("deleted")
        if m.get("quote"):
            flags.append("reply")
        kind = "call" if m.get("call") or m.get("missed") else "message"
        b.add(n, local=str(m.get("date", "") or ""), platform="signal", chat=chat,
              sender=me if sender == "Me" else clean(sender),
              direction="out" if sender in ("Me", me) else "in", kind=kind,
              text=clean(m.get("body") or ""), attachment=";".join(f for f in files if f),
              flags=";".join(flags))
    return Chunk(cols=b.cols, local=b.local, dayfirst=False)
