"""SMS Backup & Restore XML (``<smses>`` with ``<sms>`` and ``<mms>``), read as a stream so a
backup cut off mid-element keeps every complete record and reports where it breaks.

``date`` is UTC epoch milliseconds (``readable_date`` is the phone's local rendering and is not
used). ``type`` 1 = received, 2 = sent, 3 = draft, 4 = outbox, 5 = failed, 6 = queued; MMS
``msg_box`` the same; MMS ``addr`` type 137 = from, 151 = to, 130 = cc, 129 = bcc. The string
``null`` means empty. ``count`` on ``<smses>`` is not trusted.
"""

from __future__ import annotations

from xml.parsers import expat

from .common import Builder, Chunk, clean

BOX = {"1": "in", "2": "out", "3": "out", "4": "out", "5": "out", "6": "out"}
BOX_FLAG = {"3": "draft", "4": "outbox", "5": "failed", "6": "queued"}


def _v(attrs, key) -> str:
    v = attrs.get(key, "")
    return "" if v is None or v == "null" else v


def read(data: bytes, source: str, report, *, dayfirst=None, owner=None, path=None) -> Chunk:
    b = Builder()
    state = {"mms": None, "record": 0, "root": None}
    parser = expat.ParserCreate()

    def start(tag, attrs):
        if state["root"] is None:
            state["root"] = tag
        if tag == "sms" and state["mms"] is None:
            state["record"] += 1
            _sms(b, attrs, parser.CurrentLineNumber, owner)
        elif tag == "mms":
            state["record"] += 1
            state["mms"] = {"attrs": attrs, "line": parser.CurrentLineNumber, "parts": [], "addrs": []}
        elif tag == "part" and state["mms"] is not None:
            state["mms"]["parts"].append(attrs)
        elif tag == "addr" and state["mms"] is not None:
            state["mms"]["addrs"].append(attrs)

    def end(tag):
        if tag == "mms" and state["mms"] is not None:
            _mms(b, state["mms"], owner)
            state["mms"] = None

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        pending = " (an unfinished <mms> there is left out)" if state["mms"] is not None else ""
        report.broken = (f"XML breaks at line {exc.lineno}, column {exc.offset + 1}: "
                         f"{expat.ErrorString(exc.code)}{pending}")
    return Chunk(cols=b.cols, local=b.local, epoch=b.epoch, unit="ms")


def _sms(b: Builder, a, line, owner):
    box = _v(a, "type")
    direction = BOX.get(box, "")
    address = _v(a, "address")
    flags = BOX_FLAG.get(box, "")
    b.add(line, epoch=_v(a, "date"), platform="sms", chat=address,
          message_id=_v(a, "_id"), sender=address if direction == "in" else (owner or ""),
          sender_id=address if direction == "in" else "",
          recipients=address if direction == "out" else (owner or ""), direction=direction,
          kind="sms", text=clean(_v(a, "body")), flags=flags)


def _mms(b: Builder, m, owner):
    a = m["attrs"]
    box = _v(a, "msg_box")
    direction = BOX.get(box, "")
    frm = [_v(x, "address") for x in m["addrs"] if _v(x, "type") == "137"]
    to = [_v(x, "address") for x in m["addrs"] if _v(x, "type") in ("151", "130", "129")]
    texts, files = [], []
    for p in m["parts"]:
        ct = _v(p, "ct")
        if ct == "application/smil":
            continue
        if ct == "text/plain":
            texts.append(_v(p, "text"))
        else:
            files.append(_v(p, "name") or _v(p, "cl") or ct)
    sender = frm[0] if frm and direction == "in" else (owner or "" if direction == "out" else (frm[0] if frm else ""))
    if sender == "insert-address-token":
        sender = owner or ""
    b.add(m["line"], epoch=_v(a, "date"), platform="sms", chat=_v(a, "address"),
          message_id=_v(a, "m_id") or _v(a, "_id"), sender=sender,
          sender_id=frm[0] if frm and frm[0] != "insert-address-token" else "",
          recipients=";".join(to), direction=direction, kind="mms", text=clean("\n".join(texts)),
          attachment=";".join(files), flags=BOX_FLAG.get(box, ""))
