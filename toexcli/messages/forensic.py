"""A forensic report's chats / instant messages / SMS sheet (Cellebrite-style Excel or CSV):
columns such as ``Timestamp: Time``, ``Body``, ``Parties`` (``From:``/``To:`` lines),
``Direction``, ``Source``, ``_ChatId``, ``Deleted``. The header row is found among the first
rows (title lines often come first); every sheet of a workbook that has such a header is read.
Times may state their zone (``18/03/2025 20:14:02(UTC+0)``) or the header may; otherwise they
are wall clocks. Matched by header names, never by position.
"""

from __future__ import annotations

import csv
import io
import re

from ..summarise.detect import loose
from .common import Builder, Chunk, clean

TIME = ("timestamp: time", "timestamp time", "timestamp", "date/time", "datetime", "date time",
        "time stamp", "sent", "date sent", "time", "date")
BODY = ("body", "message", "message body", "content", "text")
PARTIES = ("parties", "participants")
FROM = ("from", "sender", "from name", "author")
TO = ("to", "recipient", "recipients", "recipient(s)")
DIRECTION = ("direction", "folder", "type")
SOURCE = ("source", "source application", "service type", "application", "app", "service")
CHAT = ("_chatid", "chat id", "chatid", "chat", "chat name", "conversation", "thread")
ID = ("#", "id", "item id", "message id")
DELETED = ("deleted", "deleted state", "deleted_state", "record status")
ATTACH = ("attachments", "attachment", "attachment #1")
PLATFORMS = {"whatsapp": "whatsapp", "sms": "sms", "native messages": "sms", "mms": "sms",
             "imessage": "imessage", "telegram": "telegram", "facebook messenger": "messenger",
             "messenger": "messenger", "instagram": "instagram", "signal": "signal"}


def _find(header, names):
    low = {}
    for i, h in enumerate(header):
        low.setdefault(loose(h).rstrip(":"), i)
    for n in names:
        if loose(n) in low:
            return low[loose(n)]
    for n in names:  # "Timestamp: Time (UTC+0)" and the like
        for key, i in low.items():
            if key.startswith(loose(n)) and len(n) > 3:
                return i
    return None


def _header_at(rows):
    for i, r in enumerate(rows[:10]):
        if _find(r, BODY) is not None and _find(r, TIME) is not None:
            return i
    return None


def _sheets(data: bytes, path: str):
    """(sheet name, rows of cell text) for each sheet/table in the file."""
    if data[:4] == b"PK\x03\x04":
        from python_calamine import CalamineWorkbook

        from ..io.readers import cell_text

        book = CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            yield name, [[cell_text(v) for v in r] for r in rows]
        return
    text = data.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()[:10]
    counts = {d: max((ln.count(d) for ln in lines), default=0) for d in (",", ";", "\t", "|")}
    delim = max(counts, key=counts.get)
    yield "", [r for r in csv.reader(io.StringIO(text), delimiter=delim)]


_PARTY = re.compile(r"^\s*(From|To|Cc|Bcc)\s*:\s*(.*)$", re.I)


def _parties(cell: str):
    frm, to = "", []
    for line in str(cell).splitlines():
        m = _PARTY.match(line)
        if not m:
            continue
        if m.group(1).lower() == "from":
            frm = m.group(2).strip()
        else:
            to.append(m.group(2).strip())
    return frm, to


def read(data, source: str, report, *, dayfirst=None, owner=None, path=None) -> Chunk:
    from .. import timemodel as tm

    if isinstance(data, str):
        with open(data, "rb") as fh:
            data = fh.read()
    b = Builder()
    declared = None
    found = 0
    for sheet, rows in _sheets(data, path):
        h = _header_at(rows)
        if h is None:
            continue
        found += 1
        header = rows[h]
        col = {k: _find(header, names) for k, names in (
            ("time", TIME), ("body", BODY), ("parties", PARTIES), ("from", FROM), ("to", TO),
            ("direction", DIRECTION), ("source", SOURCE), ("chat", CHAT), ("id", ID),
            ("deleted", DELETED), ("attach", ATTACH))}
        zone = tm.zone_from_header(header[col["time"]])
        if zone is not None:
            declared = zone
        report.notes.append(f"sheet {sheet or '(csv)'}: header on row {h + 1}, time column "
                            f"'{header[col['time']]}'")

        def cell(r, k):
            i = col[k]
            return r[i].strip() if i is not None and i < len(r) and r[i] is not None else ""

        for n, r in enumerate(rows[h + 1:], h + 2):
            if not any(str(c).strip() for c in r):
                continue
            frm, to = _parties(cell(r, "parties")) if col["parties"] is not None else ("", [])
            frm = frm or cell(r, "from")
            to = to or ([cell(r, "to")] if cell(r, "to") else [])
            d = cell(r, "direction").lower()
            direction = "in" if d.startswith(("in", "received")) else ("out" if d.startswith(("out", "sent")) else "")
            src = cell(r, "source")
            platform = PLATFORMS.get(src.lower(), src.lower() or "report")
            deleted = cell(r, "deleted").lower() in ("deleted", "yes", "true", "trash", "1")
            b.add(n, local=cell(r, "time"), platform=platform, chat=cell(r, "chat"),
                  message_id=cell(r, "id"), sender=clean(frm), recipients=";".join(to),
                  direction=direction, kind="message", text=clean(cell(r, "body")),
                  attachment=cell(r, "attach"), flags="deleted" if deleted else "")
    if not found:
        from ..errors import DataError

        raise DataError(f"{source}: no sheet with a message header (Body/Message and a "
                        "Timestamp/Date column) in its first 10 rows")
    return Chunk(cols=b.cols, local=b.local, dayfirst=dayfirst if dayfirst is not None else True,
                 zoned=True, declared=declared)
