"""Pull every identifier out of free text: one row per hit, with provenance, offsets and context.

Phone numbers come from :mod:`toexcli.phones` and cryptocurrency addresses from
:mod:`toexcli.crypto` (one implementation of each in the project); the other kinds are found by
:mod:`toexcli.extract.finders`.

How a batch is searched: the distinct texts are joined with a NUL separator and each kind's
pattern scans the joined text once; hits are mapped back to their message by offset, then to
every row holding that message. Overlaps between kinds are settled per message (see
:func:`resolve`).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..errors import UsageError, did_you_mean, require_columns
from ..spans import Spans
from . import finders
from .finders import SEP, Hit

KINDS = ("phone", "email", "url", "ip", "handle", "vrm", "postcode", "iban", "sortcode_account",
         "card", "imei", "crypto")
OUTPUT_COLUMNS = ("column", "kind", "value", "normalised", "valid", "confidence", "status",
                  "detail", "start", "end", "context")

# A hit inside a longer hit of another kind is dropped (the digits of a sort code and account are
# not also a phone number), except these (inner kind, outer kind) pairs, which are both kept.
KEEP_INSIDE = {("ip", "url"), ("handle", "url"), ("phone", "url"), ("email", "url"),
               ("crypto", "url")}

# Kinds searched as well (and then left out) when a kind is asked for alone, so that overlaps
# settle the same way as in a full search: a sort code + account is not also a phone number.
SUPPORT = {
    "phone": ("email", "url", "ip", "iban", "sortcode_account", "card", "imei", "crypto"),
    "vrm": ("postcode", "email", "url"),
    "postcode": ("email", "url"),
    "card": ("iban", "sortcode_account"),
    "imei": ("iban", "sortcode_account", "card"),  # card: to mask a card number read as an IMEI
    "handle": ("email",),
}

_EXPLAINS_DIGITS = {"sortcode_account", "iban", "card", "imei", "ip", "crypto"}
_PHONE_CANDIDATE = re.compile(r"\d(?:[\s\-.()/]{0,3}\d){6,}")


def parse_kinds(kinds) -> list[str]:
    """'phone,email' or a list -> validated list in the canonical order (all when empty)."""
    if kinds is None or kinds == "" or kinds == []:
        return list(KINDS)
    if isinstance(kinds, str):
        kinds = [kinds]
    wanted = []
    for item in kinds:
        for k in str(item).split(","):
            k = k.strip().lower()
            if not k:
                continue
            if k in ("all", "*"):
                return list(KINDS)
            k = {"phones": "phone", "emails": "email", "urls": "url", "ips": "ip", "handles": "handle",
                 "vrms": "vrm", "reg": "vrm", "postcodes": "postcode", "ibans": "iban",
                 "sortcode": "sortcode_account", "cards": "card", "imeis": "imei"}.get(k, k)
            if k not in KINDS:
                raise UsageError(f"--kinds: unknown kind '{k}'{did_you_mean(k, KINDS)}; "
                                 f"kinds are: {', '.join(KINDS)}")
            wanted.append(k)
    return [k for k in KINDS if k in wanted]


# --------------------------------------------------------------------------- the other engineers'
def _phone_hits(texts: list[str], idxs: list[int], region: str) -> dict[int, list[Hit]]:
    """Phone numbers via toexcli.phones.extract (the same policy as `toex phones`)."""
    import pandas as pd

    from .. import phones

    out: dict[int, list[Hit]] = {}
    if not idxs:
        return out
    frame = pd.DataFrame({"text": pd.array([texts[i] for i in idxs], dtype="str")})
    found = phones.extract(frame, "text", region=region, keep_all=False)
    for row, match, start, end, e164, valid, status, ptype, country, network in zip(
            found["_row"], found["match"], found["start"], found["end"], found["e164"],
            found["valid"], found["status"], found["type"], found["country"], found["network"]):
        detail = {k: v for k, v in (("type", ptype), ("country", country), ("network", network))
                  if isinstance(v, str) and v and v != "None"}
        valid = bool(valid)
        out.setdefault(idxs[int(row)], []).append(Hit(
            "phone", int(start), int(end), match, e164 if isinstance(e164, str) else "", valid,
            0.95 if valid else 0.7, "ok" if valid else (status or "possible"), detail))
    return out


_WA_ME = re.compile(r"(?i)(?<![\w.])wa\.me/\+?(\d{7,15})(?!\d)")


def _wa_me_hits(joined: str, region: str):
    """A wa.me/<digits> link is that international number (read by toexcli.phones' policy)."""
    from ..phones import normalise_one

    for m in _WA_ME.finditer(joined):
        res = normalise_one("+" + m.group(1), region)
        if res.e164:
            yield Hit("phone", m.start(1), m.end(1), m.group(1), res.e164, bool(res.valid),
                      0.95 if res.valid else 0.8, "ok" if res.valid else res.status,
                      {k: v for k, v in (("type", res.type), ("country", res.country),
                                         ("network", res.network)) if v})


def _crypto_available() -> bool:
    try:
        from ..crypto import find_in_text  # noqa: F401
    except ImportError:
        return False
    return True


def _crypto_hits(joined: str):
    """Cryptocurrency addresses via toexcli.crypto.find_in_text (same rules as `toex crypto find`),
    over the whole joined batch in one call (no address spans the NUL separator)."""
    from ..crypto import find_in_text

    for f in find_in_text(joined):
        detail = {k: f.get(k) for k in ("chain", "type") if f.get(k)}
        valid = bool(f.get("valid"))
        yield Hit("crypto", int(f["start"]), int(f["end"]), f.get("address") or joined[f["start"]:f["end"]],
                  f.get("normalised") or f.get("address") or "", valid,
                  float(f.get("confidence") or (0.95 if valid else 0.5)),
                  f.get("status") or ("ok" if valid else "invalid"), detail)


_WARNED: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _WARNED:
        _WARNED.add(message)
        from ..console import warn

        warn(message)


# ------------------------------------------------------------------------------------- search
def resolve(hits: list[Hit]) -> list[Hit]:
    """Settle overlaps between kinds in one message.

    * same kind, overlapping: the longer (then the more confident) hit wins;
    * a hit strictly inside a longer hit of another kind is dropped, except KEEP_INSIDE pairs;
    * two kinds on exactly the same characters are both kept (the string is ambiguous; each row
      carries its confidence);
    * other partial overlaps keep the more confident hit.
    """
    hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start), -h.confidence))
    keep = [True] * len(hits)
    for i, a in enumerate(hits):
        if not keep[i]:
            continue
        for j in range(i + 1, len(hits)):
            b = hits[j]
            if b.start >= a.end:
                break
            if not keep[j]:
                continue
            if a.kind == b.kind:
                loser = j if (a.end - a.start, a.confidence) >= (b.end - b.start, b.confidence) else i
            elif a.start == b.start and a.end == b.end:
                continue  # ambiguous: both reported
            elif a.start <= b.start and b.end <= a.end:
                if (b.kind, a.kind) in KEEP_INSIDE:
                    continue
                loser = j
            elif b.start <= a.start and a.end <= b.end:
                if (a.kind, b.kind) in KEEP_INSIDE:
                    continue
                loser = i
            else:
                loser = j if a.confidence >= b.confidence else i
            keep[loser] = False
            if loser == i:
                break
    return [h for h, k in zip(hits, keep) if k]


# The characters a message must hold for each finder to have anything to find there ("ok", "on my
# way" hold none of them). Each finder scans only the messages that qualify; crypto scans all
# (an address need not hold a digit).
NEEDS = {
    "email": "@", "url": "[.:]", "ip": "[.:]", "handle": "[0-9@._]", "vrm": "[0-9]",
    "postcode": "[0-9]", "iban": "[0-9]", "sortcode_account": "[0-9]", "card": "[0-9]",
    "imei": "[0-9]", "phone": "[0-9]", "crypto": None,
}


class _Containing(Spans):
    """Hit spans, for 'does one of them contain [a, b)?' (built once per message)."""

    def __init__(self, hits):
        super().__init__((h.start, h.end) for h in hits)


class _Subset:
    """Some of the texts joined by SEP, with the offset where each starts."""

    def __init__(self, texts: list[str], idx):
        self.idx = idx
        self.joined = SEP.join(texts[i] for i in idx)
        self.starts = [0] * len(idx)
        pos = 0
        for j, i in enumerate(idx):
            self.starts[j] = pos
            pos += len(texts[i]) + 1

    def locate(self, offset: int) -> tuple[int, int]:
        """(index of the text, offset of that text's start) for an offset in ``joined``."""
        j = bisect_right(self.starts, offset) - 1
        return self.idx[j], self.starts[j]


def _subsets(texts: list[str], kinds) -> dict:
    """One _Subset per distinct NEEDS pattern (Arrow's regex picks the texts: C speed)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = None
    out = {}
    for kind in kinds:
        need = NEEDS[kind]
        if need in out:
            continue
        if need is None:
            idx = range(len(texts))
        else:
            if arr is None:
                arr = pa.array(texts, type=pa.large_string())
            mask = pc.match_substring_regex(arr, need)
            idx = np.flatnonzero(mask.to_numpy(zero_copy_only=False)).tolist()
        out[need] = _Subset(texts, idx)
    return out


def search_texts(texts: list[str], kinds=None, *, region: str = "GB", unmask: bool = False,
                 today=None) -> list[list[Hit]]:
    """The hits in each text (offsets are within that text), overlaps resolved."""
    wanted = parse_kinds(kinds)
    kinds = set(wanted)
    for k in wanted:
        kinds.update(SUPPORT.get(k, ()))
    kinds = [k for k in KINDS if k in kinds]
    n = len(texts)
    per: list[list[Hit]] = [[] for _ in range(n)]
    if not n:
        return per
    texts = [t.replace(SEP, " ") if SEP in t else t for t in texts]
    if "crypto" in kinds and not _crypto_available():
        _warn_once("crypto addresses were not searched: this installation has no "
                   "toexcli.crypto.find_in_text")
        kinds.remove("crypto")
    subsets = _subsets(texts, kinds)

    def place(hit_iter, sub):
        for h in hit_iter:
            i, at = sub.locate(h.start)
            h.start -= at
            h.end -= at
            per[i].append(h)

    simple = {
        "email": finders.find_email, "url": finders.find_url, "ip": finders.find_ip,
        "handle": finders.find_handle, "postcode": finders.find_postcode,
        "iban": finders.find_iban, "sortcode_account": finders.find_sortcode_account,
        "imei": finders.find_imei,
    }
    for kind in kinds:
        sub = subsets[NEEDS[kind]]
        if not sub.idx:
            continue
        if kind in simple:
            place(simple[kind](sub.joined), sub)
        elif kind == "vrm":
            place(finders.find_vrm(sub.joined, today), sub)
        elif kind == "card":
            place(finders.find_card(sub.joined, unmask=unmask), sub)
        elif kind == "crypto":
            place(_crypto_hits(sub.joined), sub)
    if "phone" in kinds:
        # Only messages with a run of 7+ digits that no sort code, account, card, IMEI, IBAN, IP
        # or address already explains go to the (slower) phone matcher.
        sub = subsets[NEEDS["phone"]]
        idxs, seen, explained = [], set(), {}
        for m in _PHONE_CANDIDATE.finditer(sub.joined):
            i, at = sub.locate(m.start())
            if i in seen:
                continue
            a, b = m.start() - at, m.end() - at
            index = explained.get(i)
            if index is None:  # built once per message: one long message has many candidates
                index = explained[i] = _Containing(h for h in per[i] if h.kind in _EXPLAINS_DIGITS)
            if index.contains(a, b):
                continue
            seen.add(i)
            idxs.append(i)
        for i, hs in _phone_hits(texts, sorted(idxs), region).items():
            per[i].extend(hs)
        place(_wa_me_hits(sub.joined, region), sub)
    per = [resolve(hs) if len(hs) > 1 else hs for hs in per]
    if not unmask:
        for hs in per:
            _mask_card_readings(hs)
    if len(kinds) != len(wanted):
        keep = set(wanted)
        per = [[h for h in hs if h.kind in keep] for hs in per]
    return per


def find_in_text(text: str, kinds=None, *, region: str = "GB", unmask: bool = False,
                 today=None) -> list[dict]:
    """Every identifier in one text, as dicts (kind, start, end, value, normalised, valid,
    confidence, status, detail, context)."""
    hits = search_texts([text or ""], kinds, region=region, unmask=unmask, today=today)[0]
    shown = _masked(text or "", hits) if not unmask else (text or "")
    return [{"kind": h.kind, "start": h.start, "end": h.end, "value": h.value,
             "normalised": h.normalised, "valid": h.valid, "confidence": h.confidence,
             "status": h.status, "detail": dict(h.detail), "context": _context(shown, h)}
            for h in hits]


def _mask_card_readings(hits: list[Hit]) -> None:
    """Mask another kind's reading of a card number (a 15-digit Amex number is also a valid
    IMEI), so the card's digits do not show in full in that row."""
    cards = [h for h in hits if h.kind == "card"]
    if not cards:
        return
    for h in hits:
        if h.kind != "card" and any(h.start < c.end and c.start < h.end for c in cards):
            h.value = finders.mask_digits(h.value)
            h.normalised = finders.mask_digits(h.normalised)
            h.detail = {k: ("masked" if k == "tac" else v) for k, v in h.detail.items()}
            h.masked = True


def _masked(text: str, hits: list[Hit]) -> str:
    """The text with every card number masked (so a context snippet never shows one)."""
    cards = [h for h in hits if h.kind == "card" or getattr(h, "masked", False)]
    if not cards:
        return text
    # Pieces joined once (one copy of the text however many cards: issue 23). Overlapping
    # readings form one cluster, masked one after the other as before.
    order = sorted(range(len(cards)), key=lambda k: cards[k].start)
    parts, pos, k = [], 0, 0
    while k < len(order):
        group = [order[k]]
        lo, hi = cards[order[k]].start, cards[order[k]].end
        k += 1
        while k < len(order) and cards[order[k]].start < hi:
            group.append(order[k])
            hi = max(hi, cards[order[k]].end)
            k += 1
        piece = text[lo:hi]
        for g in sorted(group):  # the readings' own order, as the text was masked before
            h = cards[g]
            a, b = h.start - lo, h.end - lo
            piece = piece[:a] + finders.mask_digits(piece[a:b]) + piece[b:]
        parts.append(text[pos:lo])
        parts.append(piece)
        pos = hi
    parts.append(text[pos:])
    return "".join(parts)


_WS = re.compile(r"\s+")


def _context(text: str, h: Hit, width: int = 30) -> str:
    lo, hi = max(0, h.start - width), min(len(text), h.end + width)
    snippet = _WS.sub(" ", text[lo:hi])
    return ("…" if lo > 0 else "") + snippet + ("…" if hi < len(text) else "")


def format_detail(detail: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in detail.items() if v not in (None, ""))


def extract(df, columns, kinds=None, *, region: str = "GB", unmask: bool = False, keep=(),
            source: str = "input", today=None, row_offset: int = 0):
    """One row per identifier found in the text of ``columns`` (a name or a list).

    Columns: ``_source``/``_row`` (from the input; ``_row`` is the index when absent), any
    ``keep`` columns, then ``column kind value normalised valid confidence status detail start
    end context``. ``value`` is the text as written (card numbers masked to the last four digits
    unless ``unmask``); ``start``/``end`` are character offsets into the cell (end exclusive).
    Input rows are never changed; a row with no hit gives no output row. Without a ``_row``
    column, ``_row`` is the row's position counted from 1 (plus ``row_offset``).
    """
    import numpy as np
    import pandas as pd

    columns = [columns] if isinstance(columns, str) else list(dict.fromkeys(columns or []))
    if not columns:
        raise UsageError("give the text column to search (-c COLUMN)")
    keep = [keep] if isinstance(keep, str) else list(dict.fromkeys(keep or []))
    require_columns(df.columns, columns + keep, source)
    clash = [k for k in keep if k in OUTPUT_COLUMNS]
    if clash:  # the hit's own column would silently replace the kept evidence
        raise UsageError(f"--keep {clash[0]}: the output has its own '{clash[0]}' column; rename "
                         f"that input column first (e.g. toex convert, or in the spreadsheet)")
    kinds = parse_kinds(kinds)
    if "phone" in kinds:
        from ..phones import check_region

        region = check_region(region)

    prov = [c for c in ("_source", "_row") if c in df.columns]
    lead = list(dict.fromkeys(prov + ["_row"] + [k for k in keep if k not in prov]))
    rows, cols, hits, contexts = [], [], [], []
    for col in columns:
        codes, uniques = pd.factorize(df[col], use_na_sentinel=True)
        texts = [u if isinstance(u, str) else str(u) for u in uniques]
        found = search_texts(texts, kinds, region=region, unmask=unmask, today=today)
        ctx = []
        for t, hs in zip(texts, found):
            shown = t if unmask else _masked(t, hs)
            ctx.append([_context(shown, h) for h in hs])
        has = np.fromiter((bool(f) for f in found), dtype=bool, count=len(found))
        if not len(has):
            continue
        for r in np.flatnonzero((codes >= 0) & has[np.where(codes >= 0, codes, 0)]):
            code = codes[r]
            for h, c in zip(found[code], ctx[code]):
                rows.append(r)
                cols.append(col)
                hits.append(h)
                contexts.append(c)
    order = np.argsort(np.asarray(rows, dtype=np.int64), kind="stable")
    rows_arr = np.asarray(rows, dtype=np.int64)[order] if rows else np.zeros(0, dtype=np.int64)
    hits = [hits[i] for i in order]
    out = {}
    for c in lead:
        if c in df.columns:
            out[c] = df[c].iloc[rows_arr].reset_index(drop=True)
        else:  # no provenance: the row's position in this frame, counted from 1
            out[c] = pd.Series(rows_arr + 1 + row_offset, dtype="int64")
    out["column"] = pd.array([cols[i] for i in order], dtype="str")
    out["kind"] = pd.array([h.kind for h in hits], dtype="str")
    out["value"] = pd.array([h.value for h in hits], dtype="str")
    out["normalised"] = pd.array([h.normalised for h in hits], dtype="str")
    out["valid"] = np.array([h.valid for h in hits], dtype=bool)
    out["confidence"] = np.array([h.confidence for h in hits], dtype=float)
    out["status"] = pd.array([h.status for h in hits], dtype="str")
    out["detail"] = pd.array([format_detail(h.detail) for h in hits], dtype="str")
    out["start"] = np.array([h.start for h in hits], dtype=np.int64)
    out["end"] = np.array([h.end for h in hits], dtype=np.int64)
    out["context"] = pd.array([contexts[i] for i in order], dtype="str")
    return pd.DataFrame(out)
