"""WhatsApp "Export chat" text (Android ``date, time - Name: text`` and iOS
``[date, time] Name: text``), plain or in the ``.zip`` WhatsApp makes.

How a file is read:

1. The header shape is learnt from the file's first lines (bracket or dash, date separator,
   year first or not, what stands between date and time, seconds, AM/PM) and then *locked*: one
   exact pattern for the whole file, so a continuation line that looks like a header in another
   style (a pasted message, a date at line start) stays inside its message.
2. Every line is matched at once by Arrow's RE2 engine; a line that is not a header continues
   the previous message (joined with ``\\n``, empty lines kept).
3. Day/month order is decided from all the file's dates (a part above 12 settles it); a file
   whose every date is ambiguous uses ``dayfirst`` (default UK day-first) and says so.
4. Dates and clocks are read by :func:`toexcli.timemodel.split_walls` (each distinct value once).
   There is no zone in the file: ``sent_local`` is the wall clock; ``sent_utc`` needs ``tz``.
"""

from __future__ import annotations

import os
import re
from collections import Counter

from .common import INVISIBLE, Chunk, Report, clean

NAME = "whatsapp"

_INV = f"[{INVISIBLE}]*"
_SP = "[ \u00a0\u202f]"
_AMPM_PREFIX = "上午|下午|午前|午後|오전|오후"
_AMPM_SUFFIX = (f"(?:[aApP]\\.?{_SP}?[mM]\\.?|[aApP]\\.|vorm\\.|nachm\\.)")

# The loose pattern, used only on a sample to learn the file's header shape (Python re).
_LOOSE = re.compile(
    f"^{_INV}(?P<open>\\[)?{_INV}"
    r"(?P<date>(?P<a>\d{1,4})(?P<dsep>[./-])[ ]?(?P<b>\d{1,2})[./-][ ]?(?P<c>\d{1,4})\.?)"
    f"(?P<sep>,?{_SP}(?:klo{_SP}|à{_SP}|um{_SP})?|{_SP}?-{_SP}|,)"
    f"(?P<pre>(?:{_AMPM_PREFIX}){_SP}?)?"
    r"(?P<clock>\d{1,2}[:.]\d{2})(?P<secs>[:.]\d{2})?"
    f"(?P<post>{_SP}?{_AMPM_SUFFIX})?"
    f"{_INV}(?P<close>\\])?"
    f"(?P<after>{_SP}*[-–]{_SP}+|[:;]{_SP}|{_SP})"
    r"(?P<rest>.*)$")

_SYSTEM_TEXT = re.compile(
    r"end-to-end encrypted|Ende-zu-Ende-verschlüsselt|cifrados de extremo a extremo|"
    r"chiffrés de bout en bout|crittografia end-to-end|"
    r"created (?:this )?group|created group|hat die Gruppe .* erstellt|added |hinzugefügt|"
    r"joined using this group's invite link|changed the subject|changed this group's|"
    r"changed the group description|deleted this group's icon| left$|^You left|removed |"
    r"You're now an admin|security code (?:with .+ )?changed|changed their phone number|"
    r"changed to \+|turned (?:on|off) disappearing messages|"
    r"This chat is with a business account|pinned a message|now an admin|"
    r"Sicherheitsnummer|hat die Gruppe verlassen|Du hast .* hinzugefügt")
_DELETED = (r"^(?:This message was deleted\.?|You deleted this message\.?|"
            r"Diese Nachricht wurde gelöscht\.?|Du hast diese Nachricht gelöscht\.?|"
            r"Se eliminó este mensaje\.?|Eliminaste este mensaje\.?|Ce message a été supprimé\.?|"
            r"Vous avez supprimé ce message\.?|Questo messaggio è stato eliminato\.?|"
            r"Hai eliminato questo messaggio\.?|Esta mensagem foi apagada\.?|"
            r"Você apagou esta mensagem\.?)$")
_EDITED = r"<(?:This message was edited|Diese Nachricht wurde bearbeitet|Se editó este mensaje\.?|Ce message a été modifié|Mensagem editada)>\s*$"
_OMITTED = (r"^(?:<Media omitted>|<Medien ausgeschlossen>|<Multimedia omitido>|<Médias omis>|"
            r"<Media omessi>|<Mídia oculta>|(?:image|video|audio|GIF|sticker|document|Contact card|"
            r"photo) omitted|(?:Bild|Video|Audio|GIF|Sticker|Dokument) weggelassen|"
            r"(?:imagen|video|audio|sticker|documento) omitid[oa]|(?:image|vidéo|audio) absente?)$")
_ATTACHED = (r"< ?(?:attached|Anhang|adjunto|allegato|pièce jointe|anexo): (?P<a>[^>]+?) ?>|"
             r"^(?P<b>.+?) <attached>|"
             r"^(?P<c>.+?) \((?:file attached|Datei angehängt|archivo adjunto|fichier joint|"
             r"file allegato|arquivo anexado)\)")
_LOCATION = r"^(?:location|Standort|ubicación|posizione|localização): https?://|^live location shared|^Live-Standort"
_POLL = r"^(?:POLL|UMFRAGE|ENCUESTA|SONDAGGIO|SONDAGE|ENQUETE):"
_CALL = r"^(?:Missed voice call|Missed video call|Voice call|Video call|Verpasster Sprachanruf)"
# sender and text: the first ": " (a name holds no colon or quote); ":" at the end = empty text
_SPLIT = f"^(?P<sender>[^:\"“”]{{1,120}}?):(?:{_SP}(?P<text>.*)|(?P<none>))$"


def looks_like(head: str) -> bool:
    """True when the first lines of a text hold WhatsApp headers."""
    lines = [ln for ln in head.splitlines()[:40] if ln.strip()]
    hits = [bool(_LOOSE.match(ln)) for ln in lines]
    # headers among the first lines (one preamble line, e.g. an encryption notice, allowed)
    return sum(hits) >= 2 or any(hits[:2])


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), UTF-16 by BOM, else cp1252."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _style(sample_lines):
    """The dominant header shape of the file: a key of the parts that vary between phones."""
    keys = Counter()
    for ln in sample_lines:
        m = _LOOSE.match(ln)
        if not m:
            continue
        after = m.group("after")
        after_kind = ("dash" if ("-" in after or "–" in after) else "colon" if ":" in after
                      else "semicolon" if ";" in after else "space")
        sep = re.sub(f"{_SP}", " ", m.group("sep"))
        keys[(bool(m.group("open")), m.group("dsep"), len(m.group("a")) == 4,
              bool(re.search(r"\d[./-] \d", m.group("date"))), m.group("date").endswith("."),
              sep, bool(m.group("pre")), bool(m.group("secs")), bool(m.group("post")),
              bool(m.group("close")), after_kind)] += 1
    if not keys:
        return None
    return keys.most_common(1)[0][0]


def _locked(style) -> str:
    """The exact RE2 pattern of one header shape (see _style)."""
    (open_, dsep, yfirst, spaced, enddot, sep, pre, secs, post, close, after) = style
    d = re.escape(dsep) + ("[ ]?" if spaced else "")
    date = (f"\\d{{4}}{d}\\d{{1,2}}{d}\\d{{1,2}}" if yfirst
            else f"\\d{{1,2}}{d}\\d{{1,2}}{d}(?:\\d{{4}}|\\d{{2}})") + ("\\." if enddot else "")
    sep_re = "".join(_SP if ch == " " else re.escape(ch) for ch in sep)
    clock = (f"(?:{_AMPM_PREFIX}){_SP}?" if pre else "") + r"\d{1,2}[:.]\d{2}" + \
        (r"[:.]\d{2}" if secs else "") + (f"{_SP}?{_AMPM_SUFFIX}" if post else "")
    after_re = {"dash": f"{_SP}*[-–]{_SP}+", "colon": f":{_SP}", "semicolon": f";{_SP}",
                "space": _SP}[after]
    return (f"^{_INV}" + ("\\[" + _INV if open_ else "") + f"(?P<date>{date}){sep_re}"
            f"(?P<time>{clock}){_INV}" + ("\\]" if close else "") + f"{after_re}(?P<rest>.*)$")


_CHAT_FROM_NAME = re.compile(r"^WhatsApp[ -]Chat(?: with| mit| con| avec| - |-|:)\s*(.+?)(?:\.txt|\.zip)?$", re.I)


def chat_name(path: str, inner: str | None = None) -> str | None:
    for p in (path, inner):
        if p:
            m = _CHAT_FROM_NAME.match(os.path.basename(p))
            if m:
                return m.group(1).strip()
    return None


def read(text: str, source: str, report: Report, *, dayfirst=None, owner=None, chat=None,
         platform: str = NAME) -> Chunk:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from .. import timemodel as tm

    fast = None
    if isinstance(text, list):  # [bytes] handed over by the reader: freed below
        data = text.pop()
        fast = _lines_from_bytes(data)
        if fast is None:
            text, enc = decode(data)
            if enc != "utf-8":
                report.notes.append(f"text encoding {enc}")
        del data
    from_bytes = fast is not None
    if from_bytes:
        lines, sample, has_invisible = fast
        fast = None
    else:
        if text.endswith("\n"):
            text = text[:-1]
        text = text[:-1] if text.endswith("\r") else text
        sample = text[:200_000].split("\n")[:4000]
    style = _style(s.rstrip("\r") for s in sample)
    if style is None:
        report.broken = "no WhatsApp message header found"
        return None
    pattern = _locked(style)
    if platform == NAME and style[0] and style[1] == "-" and style[2]:
        # [YYYY-MM-DD, HH:MM] Name: -- signal-export's chat.md layout, not a WhatsApp phone's
        platform = "signal"
        owner = owner or "Me"
        report.format = "signal-md"
        report.notes.append("[YYYY-MM-DD HH:MM] headers: read as signal-export chat.md")
    if platform == NAME:
        report.format = "whatsapp-ios" if style[0] else "whatsapp-android"
    if not from_bytes:
        # str.split is far faster than Arrow's split_pattern on one huge string
        crlf = "\r\n" in text[:100_000]
        lines = pa.array(text.split("\r\n" if crlf else "\n"), pa.large_string())
        if crlf:  # a stray \r left at a line end (mixed endings)
            lines = pc.utf8_rtrim(lines, characters="\r")
        has_invisible = _INVISIBLE_RE.search(text) is not None
        del text
    hdr, dates, times, rest = _headers(lines, pattern, style)
    heads = np.flatnonzero(hdr)
    if not len(heads):
        report.broken = "no WhatsApp message header found"
        return None
    has_sender, sender, body = _split_sender(rest)
    sender, body, has_sender = _no_space_authors(rest, sender, body, has_sender)
    # continuation lines: joined to the message they follow
    ends = np.append(heads[1:], len(lines))
    extra = np.flatnonzero(ends - heads > 1)
    if len(extra):
        firsts = body.take(pa.array(extra)).to_pylist()
        repl = []
        for first, k in zip(firsts, extra):
            chunk = lines.slice(heads[k] + 1, ends[k] - heads[k] - 1).to_pylist()
            repl.append(first + "\n" + "\n".join(chunk))
        mask = np.zeros(len(heads), dtype=bool)
        mask[extra] = True
        body = pc.replace_with_mask(body, pa.array(mask), pa.array(repl, body.type))
    # lines before the first header (an encryption notice without a time): one system row
    pre_text = None
    if heads[0] > 0:
        pre_text = "\n".join(lines.slice(0, heads[0]).to_pylist())
    del lines
    inv = f"[{INVISIBLE}]"
    raw_body = body
    if has_invisible:  # most Android exports have none: skip the pass
        body = pc.replace_substring_regex(body, inv, "")
        sender = pc.replace_substring_regex(sender, inv, "")
    sender = pc.utf8_rtrim_whitespace(sender)
    # system lines: no author (Android), or an iOS author line whose text is a system notice
    # marked by U+200E (the encryption notice written as if the other party or the group sent it)
    system = pc.invert(has_sender)
    marked = pc.starts_with(raw_body, "\u200e") if has_invisible else pc.equal(raw_body, "\u200e\u200e")
    system = pc.or_(system, pc.and_(marked, _where(body, marked, _SYSTEM_TEXT.pattern)))
    kind = pc.if_else(system, "system", "message")
    for pat, name in ((_LOCATION, "location"), (_POLL, "poll"), (_CALL, "call")):
        kind = pc.if_else(pc.and_(pc.invert(system), pc.match_substring_regex(body, pat)), name, kind)
    deleted = pc.match_substring_regex(body, _DELETED)
    edited = _where(body, pc.match_substring(body, ">"), _EDITED)
    flags = pc.if_else(deleted, "deleted", pc.if_else(edited, "edited", ""))
    omitted = pc.match_substring_regex(body, _OMITTED)
    # attachment names: only rows holding "<" or "(" can have one (a cheap literal test first)
    maybe = pc.or_(pc.match_substring(body, "<"), pc.match_substring(body, "("))
    att = pc.extract_regex(pc.if_else(maybe, body, ""), _ATTACHED)
    att_name = pc.coalesce(
        pc.if_else(pc.equal(pc.struct_field(att, "a"), ""), None, pc.struct_field(att, "a")),
        pc.if_else(pc.equal(pc.struct_field(att, "b"), ""), None, pc.struct_field(att, "b")),
        pc.if_else(pc.equal(pc.struct_field(att, "c"), ""), None, pc.struct_field(att, "c")))
    attachment = pc.if_else(omitted, pc.utf8_trim_whitespace(body), pc.fill_null(att_name, ""))
    attachment = pc.if_else(system, "", attachment)
    # dates: order from the whole file
    order = tm.date_order(tm._date_token(v) for v in pc.unique(dates).to_pylist())
    if order == "ambiguous":
        use = True if dayfirst is None else dayfirst
        report.notes.append("every date could be day/month or month/day: read as "
                            + ("day first (UK default; --monthfirst to change)" if dayfirst is None
                               else ("day first (--dayfirst)" if use else "month first (--monthfirst)")))
    else:
        use = order == "dayfirst"
        if dayfirst is not None and dayfirst != use:
            report.notes.append(f"dates are {order.replace('first', ' first')} in this file "
                                "(a part above 12 says so): the file wins over the option")
        report.notes.append(f"dates read {order.replace('first', ' first')} (a date part above 12)")
    walls = tm.split_walls(dates, times, dayfirst=use)
    n = len(heads)
    row_no = pa.array(heads + 1, pa.int64())
    name = chat or _group_name(body, system) or _stem(source)
    cols = {
        "platform": _const(platform, n),
        "chat": _const(name, n), "message_id": _const("", n),
        "sender": sender, "sender_id": _const("", n), "recipients": _const("", n),
        "direction": _direction(sender, system, owner, n), "kind": kind, "text": body,
        "attachment": attachment, "flags": flags, "reply_to": _const("", n), "_row": row_no,
    }
    cols = {k: (v if k == "_row" or v.type == pa.large_string() else v.cast(pa.large_string()))
            for k, v in cols.items()}
    wall = walls["wall"]
    wprob = walls["problem"].to_numpy(dtype=object)
    if pre_text is not None:
        import pandas as pd
        cols = {k: pa.concat_arrays([pa.array([_pre_value(k, pre_text, name, platform)], type=v.type), v])
                for k, v in cols.items()}
        wall = pd.concat([pd.Series([pd.NaT], dtype="datetime64[ns]"), wall], ignore_index=True)
        wprob = np.concatenate([np.array([""], dtype=object), wprob])
    return Chunk(cols=cols, wall=wall.to_numpy(), wall_problem=wprob)


def _pre_value(k, pre_text, chat, platform="whatsapp"):
    return {"platform": platform, "chat": chat, "kind": "system", "text": clean(pre_text),
            "_row": 1}.get(k, "")


def _const(v, n):
    import numpy as np
    import pyarrow as pa

    return pa.array([v], pa.large_string()).take(pa.array(np.zeros(n, dtype=np.int32)))


def _group_name(body, system) -> str | None:
    import pyarrow.compute as pc

    sys_text = body.filter(system)
    found = pc.extract_regex(sys_text, r"(?:created group|created this group|changed the subject(?: from .*)? to) [\"“](?P<g>[^\"”]+)[\"”]")
    vals = [v["g"] for v in found.drop_null().to_pylist()]
    return vals[0] if vals else None


def _direction(sender, system, owner, n):
    import pyarrow as pa
    import pyarrow.compute as pc

    if not owner:
        return _const("", n)
    mine = pc.equal(sender, owner)
    out = pc.if_else(mine, "out", "in")
    return pc.if_else(pc.or_(system, pc.equal(sender, "")), "", out)


def _stem(source: str) -> str:
    base = os.path.basename(source.split("!/")[0] if "!/" in source else source)
    return os.path.splitext(base)[0]


_NO_SPACE = re.compile("^([^:\"“”]{1,120}?):(\\S.*)$")


def _no_space_authors(rest, sender, body, has_sender):
    """``Bob:Hi`` (no space after the colon, some exports) is a message when ``Bob`` is a name
    that writes elsewhere in the file; otherwise the line stays a system line."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    missing = np.flatnonzero(~has_sender.to_numpy(zero_copy_only=False))
    if not len(missing):
        return sender, body, has_sender
    known = set(pc.unique(sender.filter(has_sender)).to_pylist())
    texts = rest.take(pa.array(missing)).to_pylist()
    hits = {}
    for i, t in zip(missing, texts):
        m = _NO_SPACE.match(clean(t))
        if m and m.group(1).strip() in known:
            hits[int(i)] = (m.group(1).strip(), m.group(2))
    if not hits:
        return sender, body, has_sender
    mask = np.zeros(len(rest), dtype=bool)
    mask[list(hits)] = True
    order = sorted(hits)
    m = pa.array(mask)
    sender = pc.replace_with_mask(sender, m, pa.array([hits[i][0] for i in order], sender.type))
    body = pc.replace_with_mask(body, m, pa.array([hits[i][1] for i in order], body.type))
    return sender, body, pc.or_(has_sender, m)


def _where(arr, mask, pattern):
    """match_substring_regex only on the rows of ``mask`` (False elsewhere): the regex is the
    slow part, and most rows are ruled out by a cheap test."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    idx = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    out = np.zeros(len(arr), dtype=bool)
    if len(idx):
        hit = pc.match_substring_regex(arr.take(pa.array(idx)), pattern)
        out[idx] = hit.to_numpy(zero_copy_only=False)
    return pa.array(out)


_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_INVISIBLE_BYTES = re.compile("|".join(re.escape(ch.encode("utf-8")).decode("latin-1")
                                       for ch in INVISIBLE).encode("latin-1"))


def _lines_from_bytes(data: bytes):
    """(lines, sample lines, has invisible marks) straight from UTF-8 bytes: the line array
    is built over the file's own buffer (no decoding to Python text, no list of lines), then
    line ends are trimmed by Arrow. None when the bytes are not plain UTF-8 (UTF-16, cp1252):
    the caller decodes them instead."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10) + 1
    if data[-1:] != b"\n":
        ends = np.append(ends, len(data))
    offsets = np.concatenate([np.zeros(1, np.int64), ends.astype(np.int64)])
    arr = pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets),
                                           pa.py_buffer(data))
    try:
        arr.validate(full=True)  # invalid UTF-8 -> the careful decode
    except pa.ArrowInvalid:
        return None
    lines = pc.utf8_rtrim(arr, characters="\r\n")
    sample = data[:200_000].decode("utf-8", errors="ignore").split("\n")[:4000]
    return lines, sample, _INVISIBLE_BYTES.search(data) is not None
_LITERAL_AFTER = {"dash": " - ", "colon": ": ", "semicolon": "; "}


def _headers(lines, pattern, style):
    """(header mask, dates, times, rest) for the lines matching the locked ``pattern``.

    A regex extraction over whole lines is the slow part of a big export, so where the header
    ends in a fixed separator (`` - ``, ``] ``, ``: ``, ``; ``) the lines are only *tested*
    against the pattern, split once at that separator, and the short header part is taken
    apart. Otherwise (or when a line does not split) the full pattern is used."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    sep = "] " if style[0] and style[9] and style[10] == "space" else _LITERAL_AFTER.get(style[10])
    if sep is not None:
        hdr = pc.match_substring_regex(lines, pattern).to_numpy(zero_copy_only=False)
        hl = lines.filter(pa.array(hdr))
        parts = pc.split_pattern(hl, sep, max_splits=1)
        ok = pc.equal(pc.list_value_length(parts), 2)
        head = pc.list_element(pc.if_else(ok, parts, pa.scalar(["", ""], parts.type)), 0)
        cut = pattern.rindex("(?P<rest>")
        # the header part (with its separator put back) matched against the pattern's head
        lsep = pa.scalar(sep, head.type)
        probe = pc.binary_join_element_wise(head, lsep, pa.scalar("", head.type))
        f = pc.extract_regex(probe, pattern[:cut] + "$")
        good = pc.and_(ok, pc.is_valid(f)).to_numpy(zero_copy_only=False)
        if good.all():
            rest = pc.list_element(parts, 1)
            if sep == " - ":  # "-  Name" (two spaces after the dash) as the pattern allows
                rest = pc.utf8_ltrim(rest, characters=" \u00a0\u202f")
            return hdr, pc.struct_field(f, "date"), pc.struct_field(f, "time"), rest
    m = pc.extract_regex(lines, pattern)
    hdr = pc.is_valid(m).to_numpy(zero_copy_only=False)
    mh = m.filter(pa.array(hdr))
    del m
    return hdr, pc.struct_field(mh, "date"), pc.struct_field(mh, "time"), pc.struct_field(mh, "rest")


def _split_sender(rest):
    """(has_sender, sender, text): split at the first ": " (a name holds no colon or quote, and
    is at most 120 characters); ``Name:`` at the end of the line is a message with empty text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.split_pattern(rest, ": ", max_splits=1)
    two = pc.equal(pc.list_value_length(parts), 2)
    first = pc.list_element(pc.if_else(two, parts, pa.scalar(["", ""], parts.type)), 0)
    ends = pc.and_(pc.invert(two), pc.ends_with(rest, ":"))
    cand = pc.if_else(two, first, pc.if_else(ends, pc.utf8_slice_codeunits(rest, 0, -1), ""))
    okname = pc.and_(pc.greater(pc.utf8_length(cand), 0),
                     pc.and_(pc.less_equal(pc.utf8_length(cand), 120),
                             pc.invert(pc.match_substring_regex(cand, "[:\"“”]"))))
    has = pc.and_(pc.or_(two, ends), okname)
    second = pc.list_element(pc.if_else(two, parts, pa.scalar(["", ""], parts.type)), 1)
    sender = pc.if_else(has, cand, "")
    body = pc.if_else(has, pc.if_else(two, second, ""), rest)
    return has, sender, body
