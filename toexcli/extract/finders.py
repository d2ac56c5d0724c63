"""One finder per kind of identifier. Each takes a text and yields :class:`Hit` records.

The finders run over a whole batch of messages joined by ``SEP`` (a NUL character, which no
pattern matches), so each regular expression scans the batch once instead of once per message;
every look at the words around a hit stops at ``SEP``.

Every rule that rejects a candidate is here, next to the pattern it guards, so the README's
rules and the code say the same thing.
"""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ..spans import Spans
from ..vehicles.vrm import parse_vrm

SEP = "\x00"


@dataclass
class Hit:
    kind: str
    start: int
    end: int
    value: str  # as written
    normalised: str
    valid: bool
    confidence: float
    status: str = "ok"
    detail: dict = field(default_factory=dict)


def _row_window(text: str, start: int, end: int, before: int = 40, after: int = 30) -> tuple[str, str]:
    """The text before and after a hit, cut at the message boundary."""
    lo = max(0, start - before)
    pre = text[lo:start]
    cut = pre.rfind(SEP)
    if cut >= 0:
        pre = pre[cut + 1:]
    post = text[end:end + after]
    cut = post.find(SEP)
    if cut >= 0:
        post = post[:cut]
    return pre, post


# ----------------------------------------------------------------- case-insensitive, but fast
# Python's re is several times slower with (?i). When lower-casing the whole batch keeps every
# offset (it does unless a character expands, e.g. 'İ'), the lower-case pattern runs on the
# lower-cased text and each match is read back from the original text at the same offsets.
_LOWER = [None, None]


def lowered(text: str):
    if _LOWER[0] is not text:
        low = text.lower()
        _LOWER[0], _LOWER[1] = text, (low if len(low) == len(text) else None)
    return _LOWER[1]


class _Span:
    """A match found in the lower-cased text, read from the original text."""

    __slots__ = ("m", "text")

    def __init__(self, m, text):
        self.m, self.text = m, text

    def start(self, g=0):
        return self.m.start(g)

    def end(self, g=0):
        return self.m.end(g)

    def span(self, g=0):
        return self.m.span(g)

    def group(self, g=0):
        a, b = self.m.span(g)
        return None if a < 0 else self.text[a:b]

    def groups(self):
        return tuple(self.group(i) for i in range(1, self.m.re.groups + 1))


class CI:
    """A case-insensitive pattern: ``finditer``/``search`` run the fast lower-case form when they can."""

    def __init__(self, pattern: str):
        self.ci = re.compile("(?i)" + pattern)
        self.lower = re.compile(pattern.replace("A-Z", "a-z"))

    def finditer(self, text: str):
        low = lowered(text)
        if low is None:
            yield from self.ci.finditer(text)
            return
        for m in self.lower.finditer(low):
            yield _Span(m, text)

    def search(self, text: str, pos: int = 0):
        return self.ci.search(text, pos)

    def findall(self, text: str):
        return self.ci.findall(text)


# A message this long or shorter is one thought: a cue word anywhere in it counts.
SHORT_MESSAGE = 200


class WordIndex:
    """Where the words of a CI pattern occur in a batch, to ask 'is one near here?' cheaply."""

    def __init__(self, pattern: CI):
        self.pattern = pattern
        self._text = None
        self._starts: list[int] = []

    def near(self, text: str, start: int, end: int, before: int = 40, after: int = 25) -> bool:
        if self._text is not text:
            self._text = text
            self._starts = [m.start() for m in self.pattern.finditer(text)]
        starts = self._starts
        for i in range(bisect_left(starts, start - before), len(starts)):  # no copy of the tail
            p = starts[i]
            if p > end + after:
                return False
            a, b = (p, start) if p < start else (end, p)
            if SEP not in text[a:b]:
                return True
        return False

    def in_message(self, text: str, start: int, end: int, before: int = 40, after: int = 25,
                   short: int = SHORT_MESSAGE) -> bool:
        """Near the match, or anywhere in its message when that message is short (a cue word
        in a one-line chat message counts wherever it is)."""
        # Look for the message's ends no further than 'short' characters away: on one 10 MB
        # message, searching to its ends for every candidate was quadratic (issue 23).
        lo = text.rfind(SEP, max(0, start - short - 1), start) + 1
        if lo == 0 and start > short:
            return self.near(text, start, end, before, after)  # longer than short: not short
        hi = text.find(SEP, end, end + short + 1)
        hi = len(text) if hi < 0 and end + short + 1 >= len(text) else hi
        if hi >= 0 and hi - lo <= short:
            return self.near(text, start, end, start - lo, hi - end)
        return self.near(text, start, end, before, after)


# ----------------------------------------------------------------------------------- email
_EMAIL = re.compile(
    r"(?<![\w.%+\-@])([A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_%+\-])?)@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![\w\-@]|\.[A-Za-z0-9])")


# WhatsApp ids (447700900123@s.whatsapp.net) are phone numbers, group ids are not addresses.
NOT_EMAIL_DOMAINS = {"s.whatsapp.net", "c.us", "g.us", "broadcast"}


def find_email(text: str):
    for m in _EMAIL.finditer(text):
        local, domain = m.group(1), m.group(2)
        if domain.lower() in NOT_EMAIL_DOMAINS:
            continue
        ok = ".." not in local
        yield Hit("email", m.start(), m.end(), m.group(0), f"{local}@{domain}".lower(), ok,
                  0.97 if ok else 0.6, "ok" if ok else "two dots in a row in the local part",
                  {"domain": domain.lower()})


# ------------------------------------------------------------------------------------- url
# Bare hosts (no scheme, no www.) only under these TLDs: short ones that are also English words
# or typos ('ok.so', 'im.in', 'call.me', 'go.to') are left out; t.me and wa.me links are known.
URL_TLDS = ("com|net|org|uk|io|info|biz|ru|onion|app|xyz|gg|tv|link|shop|online|site|top|"
            "de|fr|eu|ie|cc|ws|su|ro|nl|vn|cn|ua")
_URL = CI(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'\x00]+"
    r"|(?<![\w@.\-/])(?:t|wa)\.me/[^\s<>\"'\x00]+"
    r"|(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?:" + URL_TLDS + r")"
    r"(?::\d{2,5})?(?:/[^\s<>\"'\x00]*)?(?![\w@\-])")
_TRAIL = ".,;:!?'\")]}>*"
_HOST = re.compile(r"(?i)^(?:(?P<scheme>[a-z]+)://)?(?:[^@/\s]*@)?(?P<host>\[[0-9a-f:.]+\]|[^:/?#\s]+)")


def _trim_url(raw: str) -> str:
    while raw and raw[-1] in _TRAIL:
        if raw[-1] == ")" and raw.count("(") >= raw.count(")"):
            break
        raw = raw[:-1]
    return raw


def find_url(text: str):
    for m in _URL.finditer(text):
        raw = _trim_url(m.group(0))
        if not raw:
            continue
        hm = _HOST.match(raw)
        host = (hm.group("host") if hm else "").lower().rstrip(".")
        scheme = (hm.group("scheme") or "").lower() if hm else ""
        if not host or not scheme and "." not in host:
            continue  # a bare word needs a dot to be a host; 'http://localhost:8080' is a URL
        # scheme and host lower case (they are case-insensitive); user info, path, query as written
        h0, h1 = hm.span("host")
        normalised = (scheme or "http") + "://" + raw[hm.end("scheme") + 3 if scheme else 0:h0] \
            + host + raw[h1:]
        if scheme:
            conf = 0.97
        else:
            conf = 0.9 if raw.lower().startswith("www.") or "/" in raw else 0.75
        yield Hit("url", m.start(), m.start() + len(raw), raw, normalised, True, conf, "ok",
                  {"host": host})


# -------------------------------------------------------------------------------------- ip
_IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)?(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")


def _ip_detail(ip) -> dict:
    for name in ("loopback", "private", "link_local", "multicast", "reserved"):
        if getattr(ip, f"is_{name}"):
            scope = name
            break
    else:
        scope = "global" if ip.is_global else "special"
    if isinstance(ip, ipaddress.IPv4Address) and any(ip in n for n in _DOC_NETS_V4):
        scope = "documentation"
    if isinstance(ip, ipaddress.IPv6Address) and ip in _DOC_NET_V6:
        scope = "documentation"
    return {"version": ip.version, "scope": scope}


_DOC_NETS_V4 = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
_DOC_NET_V6 = ipaddress.ip_network("2001:db8::/32")


def find_ip(text: str):
    for m in _IPV4.finditer(text):
        ip = ipaddress.IPv4Address(m.group(0))
        yield Hit("ip", m.start(), m.end(), m.group(0), str(ip), True, 0.9, "ok", _ip_detail(ip))
    for m in _IPV6.finditer(text):
        raw = m.group(0)
        if raw.count(":") < 2 or sum(c.isalnum() for c in raw) < 3:
            continue
        try:
            ip = ipaddress.IPv6Address(raw)
        except ValueError:
            continue
        yield Hit("ip", m.start(), m.end(), raw, ip.compressed, True, 0.9, "ok", _ip_detail(ip))


# ---------------------------------------------------------------------------------- handle
PLATFORM_WORDS = {
    "instagram": "instagram", "insta": "instagram", "ig": "instagram", "gram": "instagram",
    "snapchat": "snapchat", "snap": "snapchat", "sc": "snapchat",
    "tiktok": "tiktok", "tik tok": "tiktok", "tt": "tiktok",
    "telegram": "telegram", "tele": "telegram", "tg": "telegram",
    "whatsapp": "whatsapp", "wa": "whatsapp", "whats app": "whatsapp",
    "twitter": "x", "threads": "threads", "facebook": "facebook", "fb": "facebook",
    "discord": "discord", "kik": "kik", "signal": "signal",
}
_PLATFORM = re.compile(r"(?i)\b(" + "|".join(sorted((re.escape(w) for w in PLATFORM_WORDS),
                                                     key=len, reverse=True)) + r")\b")
_HANDLE = re.compile(r"(?<![\w@.\-/])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,30}[A-Za-z0-9_])?)(?![\w@\-]|\.\w)")
_HANDLE_URL = CI(
    r"\b(?:(?:www\.)?(instagram)\.com/|instagr\.am/|(t)\.me/|(?:www\.)?(tiktok)\.com/@|"
    r"(?:www\.)?(snapchat)\.com/add/)([A-Za-z0-9_][A-Za-z0-9_.\-]{0,31})")
_CUED = CI(
    r"\b(insta(?:gram)?|ig|snap(?:chat)?|sc|tik ?tok|tele(?:gram)?|tg)\b"
    r"(?:\s*(?:name|handle|username|user|id|acc(?:ount)?))?"
    r"\s*(?::|=|-|\bis\b|\bon\b)\s*@?([A-Za-z0-9_][A-Za-z0-9_.]{1,29}[A-Za-z0-9_])(?![\w@])")
_TIME_LIKE = re.compile(r"(?i)^\d{1,2}(?:[:.]\d{2})?(?:am|pm|ish)?$|^\d+$")
HANDLE_STOPWORDS = {
    "home", "work", "gym", "school", "the", "me", "you", "all", "everyone", "here", "there",
    "night", "lunch", "mine", "yours", "uni", "college", "church", "mosque", "station", "park",
    "shop", "shops", "bar", "pub", "club", "night", "noon", "midnight", "tomorrow", "today",
}
PLATFORM_RULES = {
    "instagram": re.compile(r"[A-Za-z0-9_.]{1,30}"),
    "tiktok": re.compile(r"[A-Za-z0-9_.]{2,24}"),
    "snapchat": re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{2,14}"),
    "telegram": re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}"),
}


def _platform_near(text: str, start: int, end: int) -> str:
    pre, post = _row_window(text, start, end, before=30, after=20)
    pre = pre[pre.rfind("@") + 1:]  # a platform word before an earlier handle belongs to that one
    found = _PLATFORM.findall(pre)
    if found:
        return PLATFORM_WORDS[found[-1].lower()]
    m = _PLATFORM.search(post)
    if m and re.match(r"(?i)\s*(?:on|\(|-|via|at)\s*$", post[: m.start()]):
        return PLATFORM_WORDS[m.group(1).lower()]
    return ""


def _handle_hit(name: str, platform: str, start: int, end: int, value: str, conf: float) -> Hit | None:
    if _TIME_LIKE.match(name) or name.lower() in HANDLE_STOPWORDS:
        return None
    rule = PLATFORM_RULES.get(platform)
    valid = bool(rule.fullmatch(name)) if rule else True
    detail = {"platform": platform} if platform else {}
    status = "ok" if valid else f"not a valid {platform} username"
    return Hit("handle", start, end, value, "@" + name.lower(), valid,
               conf if valid else min(conf, 0.5), status, detail)


def find_handle(text: str):
    taken = Spans()
    for m in _HANDLE_URL.finditer(text):
        platform = {"instagram": "instagram", "t": "telegram", "tiktok": "tiktok",
                    "snapchat": "snapchat"}[(m.group(1) or m.group(2) or m.group(3) or m.group(4)
                                             or "instagram").lower()]
        name = m.group(5).rstrip(".-")
        if name.lower() in {"p", "reel", "reels", "explore", "stories", "joinchat", "s", "share"}:
            continue
        s = m.start(5)
        h = _handle_hit(name, platform, s, s + len(name), name, 0.95)
        if h:
            taken.add(h.start, h.end)
            yield h
    for m in _HANDLE.finditer(text):
        name = m.group(1)
        platform = _platform_near(text, m.start(), m.end())
        h = _handle_hit(name, platform, m.start(), m.end(), m.group(0), 0.9 if platform else 0.75)
        if h:
            taken.add(h.start, h.end)
            yield h
    for m in _CUED.finditer(text):
        name = m.group(2)
        s, e = m.start(2), m.end(2)
        if text[s - 1:s] == "@" or taken.overlaps(s, e):
            continue  # the @handle pass has it
        if not re.search(r"[_\d.]", name):
            continue  # a plain word after 'snap:' is too often just a word
        platform = PLATFORM_WORDS.get(m.group(1).lower().replace(" ", ""), "")
        h = _handle_hit(name, platform, s, e, name, 0.8)
        if h:
            yield h


# ------------------------------------------------------------------------------------- vrm
VEHICLE_WORDS = CI(
    r"\b(?:reg|regs|reg\.|registration|plates?|number ?plate|vrm|anpr|car|cars|van|vans|motor|"
    r"vehicle|vehicles|driving|drives|drove|driver|parked|merc|mercedes|bmw|audi|vw|golf|corsa|"
    r"fiesta|focus|astra|transit|taxi|cab|motorbike|moped|jeep|range ?rover|cherished|private plate|"
    r"lorry|truck|hatchback|saloon|swapped|swap|swaps|cloned|clone)\b")
_VRM_CURRENT = re.compile(r"(?<![\w\-/.£$€#@])([A-Za-z]{2}[0-9]{2})( ?)([A-Za-z]{3})(?![\w\-/@])")
# 'AB 12 CDE': a current plate with a space after the letters too (only near a vehicle word).
_VRM_CURRENT_SPACED = re.compile(
    r"(?<![\w\-/.£$€#@])([A-Za-z]{2}) ([0-9]{2}) ?([A-Za-z]{3})(?![\w\-/@])")
# A make followed by its model code ('BMW 320D', 'VW T5', 'Audi RS6') is a product code.
CAR_MAKES = {
    "BMW", "VW", "AUDI", "MERC", "MERCEDES", "BENZ", "FORD", "VAUXHALL", "SEAT", "SKODA", "KIA",
    "HONDA", "TOYOTA", "NISSAN", "PEUGEOT", "RENAULT", "CITROEN", "FIAT", "VOLVO", "LEXUS",
    "JAG", "JAGUAR", "PORSCHE", "HYUNDAI", "MAZDA", "MITSUBISHI", "SUBARU", "TESLA", "DACIA",
    "MINI", "SUZUKI", "YAMAHA", "KAWASAKI", "DUCATI", "TRIUMPH",
}
_MAKE_BEFORE = re.compile(r"(?i)\b(?:" + "|".join(sorted(CAR_MAKES)) + r")\s*$")


def _model_code(text: str, start: int, raw: str, after_make: bool = False) -> bool:
    """Is the plate-shaped ``raw`` at ``start`` a model name: its letters are a make ('BMW 320D'),
    or (``after_make``) it follows one ('VW T5', 'Audi RS6')? A prefix or suffix plate after a
    make ('old merc A123 BCD') is still a plate."""
    letters = re.match(r"[A-Za-z]*", raw).group(0).upper()
    if letters in CAR_MAKES:
        return True
    return after_make and bool(_MAKE_BEFORE.search(text, max(0, start - 16), start))


_VRM_PREFIX = re.compile(r"(?<![\w\-/.£$€#@])[A-Z][1-9][0-9]{0,2} ?[A-Z]{3}(?![\w\-/@])")
_VRM_SUFFIX = re.compile(r"(?<![\w\-/.£$€#@])[A-Z]{3} ?[1-9][0-9]{0,2}[A-Z](?![\w\-/@])")
_VRM_LETTERS_FIRST = re.compile(r"(?<![\w\-/.£$€#@])[A-Z]{1,3} ?[1-9][0-9]{0,3}(?![\w\-/@:.,]\d|[\w\-/@])")
_VRM_DIGITS_FIRST = re.compile(r"(?<![\w\-/.£$€#@:.,])[1-9][0-9]{0,3} ?[A-Z]{1,3}(?![\w\-/@])")
# Words and units that look like dateless plates: '10 AM', 'ROOM 12', 'RTX 3080', '500 MG'.
DATELESS_STOP = {
    "AM", "PM", "ON", "AT", "IN", "TO", "OF", "OR", "BY", "UP", "IS", "IT", "NO", "MY", "ME", "WE",
    "HR", "HRS", "MIN", "MINS", "SEC", "SECS", "KG", "G", "MG", "ML", "L", "MM", "CM", "KM", "M",
    "MB", "GB", "TB", "KB", "MPH", "BHP", "CC", "ST", "ND", "RD", "TH", "X", "K", "P", "PCS",
    "OZ", "LB", "LBS", "YRS", "YR", "DAY", "DAYS", "WK", "WKS", "TEL", "MOB", "ROOM", "FLAT",
    "UNIT", "BOX", "PIN", "ID", "REF", "UK", "SKU", "PS", "GT", "RTX", "GTX", "RX", "HP", "XL",
    "DDR", "USB", "TV", "PC", "CD", "DVD", "BUS", "A", "B", "C", "D", "E", "F", "H", "V", "W",
    "CAR", "VAN", "REG", "THE", "AND", "FOR", "BAG", "BAGS", "ORD", "INV", "APT", "NR", "TAB",
    "TABS", "PKT", "KEY", "KEYS", "GRAM", "OWE", "YES", "NAH", "YEAH", "LOL", "OMW", "ASAP",
}


def _vrm_hit(raw: str, start: int, conf: float, today=None) -> Hit | None:
    v = parse_vrm(raw, today)
    if not v.valid:
        return None
    detail = {"format": v.format}
    if v.period:
        detail["period"] = v.period
    return Hit("vrm", start, start + len(raw), raw, v.vrm, True, conf, "ok", detail)


_VEHICLE_NEAR = WordIndex(VEHICLE_WORDS)
_NOT_A_PLATE_BEFORE = re.compile(
    r"(?i)\b(?:ref|reference|order|ord|invoice|inv|code|sku|model|part|item|booking|ticket|id|pin|"
    r"room|flat|unit|case|job)\.?\s*(?:no\.?|number|#)?\s*[:#=\-]?\s*$")
_POSTCODE_SHAPE = re.compile(r"(?i)[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}")


def find_vrm(text: str, today=None):
    spans = Spans()
    shapes = Spans()  # every plate-shaped token, valid or not: a dateless mark is never part of one
    for m in _VRM_CURRENT.finditer(text):
        shapes.add(m.start(), m.end())
        raw = m.group(0)
        letters = m.group(1)[:2] + m.group(3)
        if not (letters.isupper() or letters.islower()):
            continue  # 'Ab12Cde' mixed case: a code or a word, not a plate
        conf = 0.95
        if letters.islower():
            if m.group(2) and not _VEHICLE_NEAR.near(text, m.start(), m.end(), 40, 30):
                continue  # 'at10 min' style typos; a lower-case spaced plate needs a vehicle word
            conf = 0.8
        h = _vrm_hit(raw, m.start(), conf, today)
        if h:
            spans.add(h.start, h.end)
            yield h
    for m in _VRM_CURRENT_SPACED.finditer(text):
        shapes.add(m.start(), m.end())
        if not (m.group(1) + m.group(3)).isupper() or spans.overlaps(m.start(), m.end()):
            continue  # lower case 'on 12 jan' is a date: only upper case is taken in this spacing
        if not _VEHICLE_NEAR.near(text, m.start(), m.end(), 40, 30):
            continue  # 'GO 24 HRS': that spacing is too often words and numbers
        h = _vrm_hit(m.group(0), m.start(), 0.9, today)
        if h:
            spans.add(h.start, h.end)
            yield h
    for rx, conf in ((_VRM_PREFIX, 0.85), (_VRM_SUFFIX, 0.85)):
        for m in rx.finditer(text):
            shapes.add(m.start(), m.end())
            if spans.overlaps(m.start(), m.end()):
                continue
            if _model_code(text, m.start(), m.group(0)):
                continue  # 'BMW 320D' is a model, not a 1966 suffix plate
            near = _VEHICLE_NEAR.near(text, m.start(), m.end(), 40, 30)
            if " " not in m.group(0) and not near:
                continue  # 'P2PKH' in a crypto note: an older plate run together needs a vehicle word
            h = _vrm_hit(m.group(0), m.start(), 0.9 if near else conf, today)
            if h:
                spans.add(h.start, h.end)
                yield h
    # Dateless and Northern Ireland marks: only with a vehicle word near them.
    for rx in (_VRM_LETTERS_FIRST, _VRM_DIGITS_FIRST):
        for m in rx.finditer(text):
            raw = m.group(0)
            s, e = m.start(), m.end()
            if "".join(c for c in raw if c.isalpha()) in DATELESS_STOP:
                continue
            if not _VEHICLE_NEAR.in_message(text, s, e, 40, 25):
                continue
            if _NOT_A_PLATE_BEFORE.search(text, max(0, s - 16), s):
                continue  # 'ref ABC123', 'order no AB1234': a reference, not a mark
            if _model_code(text, s, raw, after_make=rx is _VRM_LETTERS_FIRST):
                continue  # 'VW T5', 'Audi RS6': a model, not a dateless mark
            if spans.overlaps(s, e) or shapes.overlaps(s, e):
                continue
            lo = max(0, s - 4)
            if any(p.start() + lo < e and s < p.end() + lo
                   for p in _POSTCODE_SHAPE.finditer(text[lo:e + 4])):
                continue  # the 'AB1' of the postcode 'AB1 2DE'
            h = _vrm_hit(raw, s, 0.8, today)
            if h:
                spans.add(h.start, h.end)
                yield h


# -------------------------------------------------------------------------------- postcode
POSTCODE_AREAS = set(
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY "
    "E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE "
    "LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL "
    "SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE".split())
_POSTCODE = CI(
    r"(?<![\w\-/.£$€#@])([A-Z]{1,2})([0-9][A-Z0-9]?)( ?)([0-9])([A-Z]{2})(?![\w\-/@])")
_INWARD_BAD = set("CIKMOV")
POSTCODE_WORDS = CI(
    r"\b(?:post ?code|postcodes|pc|address|addy|addr|deliver|delivery|drop|sat ?nav|street|road|"
    r"lives?|house|flat|parcels?|package|packages|courier|posted|postie|sent to|send to)\b")
_POSTCODE_NEAR = WordIndex(POSTCODE_WORDS)


def find_postcode(text: str):
    for m in _POSTCODE.finditer(text):
        area, district, space, sector, unit = m.groups()
        raw = m.group(0)
        letters = area + district + unit
        alpha = "".join(c for c in letters if c.isalpha())
        cued = _POSTCODE_NEAR.in_message(text, m.start(), m.end(), 40, 30)
        if not (alpha.isupper() or (alpha.islower() and space) or cued):
            continue  # mixed case, or a lower-case postcode with no space and no cue word
        A, D, U = area.upper(), district.upper(), unit.upper()
        if A not in POSTCODE_AREAS:
            continue
        if len(D) == 2 and D[1].isalpha():
            allowed = "ABCDEFGHJKPSTUW" if len(A) == 1 else "ABEHMNPRVWXY"
            if D[1] not in allowed:
                continue
        if set(U) & _INWARD_BAD:
            continue
        if not space and not cued:
            continue  # 'HP305XL' is an ink cartridge; a postcode without its space needs a cue
        outward = A + D
        yield Hit("postcode", m.start(), m.end(), raw, f"{outward} {sector}{U}", True,
                  0.95 if space else 0.85, "ok", {"area": A, "outward": outward})


# ------------------------------------------------------------------------------------ iban
_IBAN_START = re.compile(r"(?<![\w\-/])([A-Za-z]{2})([0-9]{2})(?=[ ]?[A-Za-z0-9])")


_IBAN_LENGTH: dict = {}


def _iban_length(cc: str):
    if cc not in _IBAN_LENGTH:
        from schwifty import registry

        try:
            _IBAN_LENGTH[cc] = registry.get_iban_spec(cc).iban_length
        except Exception:  # not a country with IBANs
            _IBAN_LENGTH[cc] = None
    return _IBAN_LENGTH[cc]


def find_iban(text: str):
    from schwifty import IBAN
    from schwifty import exceptions as sx

    for m in _IBAN_START.finditer(text):
        cc = m.group(1)
        # Case does not decide: 'gb25exmp…' typed on a phone is an IBAN when its checksum holds
        # (a lower-case one that fails it is more likely a word and a number: not reported).
        lower = not cc.isupper()
        cc = cc.upper()
        length = _iban_length(cc)
        if not length:
            continue
        # take exactly length-4 characters, allowing single spaces between them
        need = length - 4
        i, chars = m.end(), []
        while i < len(text) and len(chars) < need:
            ch = text[i]
            if ch.isascii() and ch.isalnum():
                chars.append(ch)
                i += 1
            elif ch == " " and text[i - 1] != " " and i + 1 < len(text) and text[i + 1].isalnum():
                i += 1
            else:
                break
        if len(chars) < need or (i < len(text) and text[i].isascii() and text[i].isalnum()):
            continue
        raw = text[m.start():i]
        compact = (cc + m.group(2) + "".join(chars)).upper()
        detail = {"country": cc}
        try:
            iban = IBAN(compact)
        except sx.InvalidChecksumDigits:
            if not lower:
                yield Hit("iban", m.start(), i, raw, compact, False, 0.7,
                          "mod-97 checksum fails (a typo, or not an IBAN)", detail)
            continue
        except sx.InvalidBBANChecksum:
            if not lower:
                yield Hit("iban", m.start(), i, raw, compact, False, 0.7,
                          "the national check digits fail", detail)
            continue
        except sx.SchwiftyException:
            continue
        try:
            name = iban.bank_name
        except Exception:  # pragma: no cover - registry gaps
            name = None
        if name:
            detail["bank"] = name
        if cc == "GB" and iban.branch_code:
            sc = iban.branch_code
            detail["sort_code"] = f"{sc[:2]}-{sc[2:4]}-{sc[4:]}"
            detail["account"] = iban.account_code
        yield Hit("iban", m.start(), i, raw, compact, True, 0.97, "ok", detail)


# ------------------------------------------------------------------------- sortcode_account
_SC = r"(?P<a>\d{2})(?P<sep>[- ]?)(?P<b>\d{2})(?P=sep)(?P<c>\d{2})"
_ACC_LABEL = r"(?:acc(?:ount)?|acct|a/c|ac)\.?(?:\s*(?:no|number|num|#)\.?)?"
_SC_LABEL = r"(?:sort\s*code|sort|s/c|sc)\.?"
_SORTCODE_ACCOUNT = CI(
    r"(?<![\w\-/.])(?:(?P<l1>" + _SC_LABEL + r")\s*[:=#\-]?\s*)?" + _SC +
    r"\s*[,;/]?\s*(?:" + _ACC_LABEL + r"\s*[:=#\-]?\s*)?(?P<acc>\d{8})(?![\w\-/]|\.\d)")
_ACCOUNT_SORTCODE = CI(
    r"(?<![\w\-/.])(?:(?P<l2>" + _ACC_LABEL + r")\s*[:=#\-]?\s*)?(?P<acc>\d{8})\s*[,;/]?\s*"
    r"(?:(?P<l1>" + _SC_LABEL + r")\s*[:=#\-]?\s*)?" + _SC + r"(?![\w\-/]|\.\d)")


_DATE_BEFORE = re.compile(r"(?i)\b(?:on|dated?|dob|d\.o\.b\.?|born|from|until|till|since|exp(?:ires|iry)?)"
                          r"\s*[:.]?\s*$")


def find_sortcode_account(text: str):
    spans = Spans()
    for rx in (_SORTCODE_ACCOUNT, _ACCOUNT_SORTCODE):
        for m in rx.finditer(text):
            if not m.group("sep") and not m.group("l1"):
                continue  # six bare digits then eight: too easily an order or phone number
            if rx is _ACCOUNT_SORTCODE and not m.group("l1") and not m.group("l2"):
                continue  # '12345678 04-03-24' unlabelled could be a number and a date
            if not m.group("l1") and _DATE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # 'paid on 12-03-20 12345678': a date, then a number
            if spans.overlaps(m.start(), m.end()):
                continue
            sc = f"{m.group('a')}-{m.group('b')}-{m.group('c')}"
            acc = m.group("acc")
            detail = {"sort_code": sc, "account": acc}
            spans.add(m.start(), m.end())
            yield Hit("sortcode_account", m.start(), m.end(), m.group(0), f"{sc} {acc}", True,
                      0.95 if m.group("l1") else 0.9, "ok", detail)


# ------------------------------------------------------------------------------ card, imei
def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_brand(d: str) -> str:
    """The card network from the issuer prefix and length, or '' (not a card number)."""
    n = len(d)
    p2, p3, p4, p6 = int(d[:2]), int(d[:3]), int(d[:4]), int(d[:6])
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (p4 == 6011 or 644 <= p3 <= 649 or p2 == 65 or 622126 <= p6 <= 622925) and 16 <= n <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= n <= 19:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    if (p2 == 50 or 56 <= p2 <= 69) and 13 <= n <= 19:
        return "maestro"
    return ""


_CARD = re.compile(
    r"(?<![\w\-/.+])(?:"
    r"\d{4}(?P<s1>[ \-])\d{4}(?P=s1)\d{4}(?P=s1)\d{4}(?:(?P=s1)\d{3})?"  # 4-4-4-4(-3)
    r"|\d{4}(?P<s2>[ \-])\d{6}(?P=s2)\d{4,5}"  # 4-6-5 (Amex) / 4-6-4 (Diners)
    r"|\d{13,19})(?![\w\-/]|\.\d|[ \-]\d{4}(?!\d))")
_IMEI = re.compile(
    r"(?<![\w\-/.+])(?:\d{2}(?P<s>[ \-/]?)\d{6}(?P=s)\d{6}(?P=s)\d|\d{8}[ \-]\d{6}[ \-]\d|"
    r"\d{6}[ \-]\d{2}[ \-]\d{6}[ \-]\d)(?![\w\-/]|\.\d|[ \-]\d)")
NOT_A_CARD_WORDS = re.compile(
    r"(?i)\b(?:order|ord|ref|reference|invoice|inv|tracking|track|parcel|consignment|booking|"
    r"ticket|receipt|case|urn|crime|imei|serial|s/n|policy|member|membership|customer|cust)\b"
    r"[\s.:#no-]*$")
IMEI_WORDS = re.compile(r"(?i)\b(?:imei|handset|phone|device|serial|s/n|tac)\b")


def mask_digits(raw: str, keep: int = 4) -> str:
    total = sum(c.isdigit() for c in raw)
    out, seen = [], 0
    for c in raw:
        if c.isdigit():
            seen += 1
            out.append(c if seen > total - keep else "*")
        else:
            out.append(c)
    return "".join(out)


def find_card(text: str, unmask: bool = False):
    for m in _CARD.finditer(text):
        raw = m.group(0)
        digits = "".join(c for c in raw if c.isdigit())
        if not luhn_ok(digits) or len(set(digits)) < 2:
            if len(digits) == 19 and m.group("s1"):
                raw, digits = raw[:19], digits[:16]  # 4-4-4-4 followed by three other digits
                if not luhn_ok(digits):
                    continue
            else:
                continue
        brand = card_brand(digits)
        if not brand:
            continue
        pre, _ = _row_window(text, m.start(), m.start() + len(raw), before=25)
        if NOT_A_CARD_WORDS.search(pre):
            continue
        detail = {"brand": brand, "last4": digits[-4:]}
        conf = 0.9 if re.search(r"(?i)\b(?:card|visa|mastercard|amex|debit|credit|cc|long number)\b", pre) else 0.8
        if unmask:
            detail["iin"] = digits[:6]
            yield Hit("card", m.start(), m.start() + len(raw), raw, digits, True, conf, "ok", detail)
        else:
            yield Hit("card", m.start(), m.start() + len(raw), mask_digits(raw),
                      mask_digits(digits), True, conf, "ok", detail)


def find_imei(text: str):
    for m in _IMEI.finditer(text):
        raw = m.group(0)
        digits = "".join(c for c in raw if c.isdigit())
        if not luhn_ok(digits) or len(set(digits)) < 2:
            continue
        pre, _ = _row_window(text, m.start(), m.end(), before=30)
        conf = 0.95 if IMEI_WORDS.search(pre) else 0.75
        if card_brand(digits) and not IMEI_WORDS.search(pre):
            conf = 0.5  # equally a 15-digit card number: both rows are reported
        yield Hit("imei", m.start(), m.end(), raw, digits, True, conf, "ok", {"tac": digits[:8]})
