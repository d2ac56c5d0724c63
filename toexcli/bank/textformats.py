"""Statement formats that are not tables: OFX/QFX (SGML 1.x and XML 2.x), QIF, SWIFT MT940,
ISO 20022 CAMT.053, and Santander's text download. Small careful parsers (standard library
only); ``_row`` is the line of the file where the transaction starts."""

from __future__ import annotations

import datetime as _dt
import html
import re

from ..errors import DataError
from .statement import Parsed, records_frame
from .values import amount_pennies, decimal_text_pennies, decimals_needed


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _sort_code_account(bank_id: str, acct: str) -> str:
    b = re.sub(r"[\s-]", "", bank_id or "")
    if re.fullmatch(r"\d{6}", b):
        b = f"{b[:2]}-{b[2:4]}-{b[4:]}"
    return " ".join(x for x in (b, (acct or "").strip()) if x)


def _ymd(text: str) -> str | None:
    m = re.match(r"\s*(\d{4})(\d{2})(\d{2})", text or "")
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def _problem_amount(rec: dict, text: str, fn) -> None:
    try:
        rec["amount"] = fn(text)
        if rec["amount"] is None:
            rec["problem"] = "no amount"
    except ValueError:
        rec["amount"] = None
        rec["problem"] = f"amount '{text}' not understood"


# ------------------------------------------------------------------------------------ OFX

def decode_ofx(raw: bytes) -> tuple[str, str, list[str]]:
    """OFX bytes -> text. The header's ENCODING/CHARSET (or the XML declaration) is followed;
    a file that says UTF-8 but is not is read as cp1252 and says so."""
    notes = []
    head = raw[:600].decode("latin-1")
    enc = None
    m = re.search(r'encoding="([^"]+)"', head)
    if m:
        enc = m.group(1)
    if re.search(r"ENCODING:\s*UTF-?8", head, re.I):
        enc = "utf-8"
    elif re.search(r"CHARSET:\s*1252", head):
        enc = "cp1252"
    elif re.search(r"CHARSET:\s*ISO-?8859-?1", head, re.I):
        enc = "latin-1"
    if raw.startswith(b"\xef\xbb\xbf"):
        enc, raw = "utf-8", raw[3:]
    enc = enc or "utf-8"
    try:
        return raw.decode(enc), enc, notes
    except (UnicodeDecodeError, LookupError):
        notes.append(f"file says {enc} but is not; read as cp1252")
        return raw.decode("cp1252", errors="replace"), "cp1252", notes


def _leaf(block: str, tag: str) -> str | None:
    m = re.search(r"<" + tag + r">([^<\r\n]*)", block, re.I)
    return html.unescape(m.group(1).strip()) if m else None


_INV_TRANS = ("BUYDEBT", "BUYMF", "BUYOPT", "BUYOTHER", "BUYSTOCK", "CLOSUREOPT", "INCOME", "INVEXPENSE",
              "JRNLFUND", "JRNLSEC", "MARGININTEREST", "REINVEST", "RETOFCAP", "SELLDEBT", "SELLMF",
              "SELLOPT", "SELLOTHER", "SELLSTOCK", "SPLIT", "TRANSFER")
_OPENING_NAME = re.compile(r"(?i)open|start|brought|previous|b/?f\b")


def _ofx_money(text: str, scale: int) -> int | None:
    t = (text or "").strip()
    if not t:
        return None
    try:
        return decimal_text_pennies(t, scale)
    except ValueError:
        return amount_pennies(t, scale=scale)


def _ofx_not_read(text: str) -> list[str]:
    """What an OFX file holds besides bank transactions (investment records, positions, a
    sign-on reply only), so that a file giving few or no rows says why."""
    notes = []
    upper = text.upper()
    inv = {t: len(re.findall(r"<" + t + r">", upper)) for t in _INV_TRANS}
    inv = {t: n for t, n in inv.items() if n}
    pos = len(re.findall(r"<POS(?:STOCK|MF|DEBT|OPT|OTHER)>", upper))
    if "<INVSTMTRS>" in upper or inv or pos:
        what = ", ".join(f"{n} {t}" for t, n in sorted(inv.items()))
        skipped = "; ".join(x for x in (f"investment transactions ({what})" if what else "",
                                        f"{pos} holdings (positions)" if pos else "") if x)
        notes.append("investment statement (INVSTMTRS): only its cash movements (INVBANKTRAN) are "
                     "bank transactions and are read" + (f"; not read: {skipped}" if skipped else ""))
    if not re.search(r"<(?:CC)?STMTRS>|<INVSTMTRS>", upper):
        codes = re.findall(r"<CODE>\s*(\d+)", upper)
        msg = re.search(r"<MESSAGE>([^<\r\n]*)", text, re.I)
        notes.append("no statement in the file (a sign-on or account-list reply only)"
                     + (f"; status {codes[-1]}" if codes else "") + (f": {msg.group(1).strip()}" if msg else ""))
    return notes


def parse_ofx(raw: bytes, name: str) -> Parsed:
    text, enc, notes = decode_ofx(raw)
    if "<OFX" not in text.upper():
        raise DataError(f"{name}: looks like OFX but has no <OFX> body")
    scale = decimals_needed(re.findall(r"<(?:TRNAMT|BALAMT)>\s*([^<\r\n]*)", text, re.I), ".,")
    records = []
    statements = []
    left_out = []
    stmts = list(re.finditer(r"<((?:CC|INV)?STMTRS)>(.*?)</\1>", text, re.S | re.I))
    if not stmts:  # some exporters never close aggregates: treat the whole file as one statement
        stmts = [re.search(r"(.*)", text, re.S)]
    for sm in stmts:
        body = sm.group(0)
        start = sm.start()
        currency = _leaf(body, "CURDEF") or "GBP"
        acctm = re.search(r"<(BANK|CC|INV)ACCTFROM>(.*?)(</(BANK|CC|INV)ACCTFROM>|<BANKTRANLIST>)", body, re.S | re.I)
        account = ""
        if acctm:
            account = _sort_code_account(_leaf(acctm.group(2), "BANKID") or "", _leaf(acctm.group(2), "ACCTID") or "")
        st = {"id": account, "account": account, "opening": None, "closing": None, "rows": []}
        for tm in re.finditer(r"<STMTTRN>(.*?)(</STMTTRN>|(?=<STMTTRN>)|(?=</BANKTRANLIST>))", body, re.S | re.I):
            blk = tm.group(1)
            rec = {"account": account, "currency": _leaf(blk, "CURRENCY") or currency,
                   "_row": _line_of(text, start + tm.start())}
            rec["date"] = _ymd(_leaf(blk, "DTPOSTED") or "") or _ymd(_leaf(blk, "DTUSER") or "")
            if rec["date"] is None:
                rec["problem"] = f"date '{_leaf(blk, 'DTPOSTED') or ''}' not understood"
            amt = _leaf(blk, "TRNAMT") or ""
            prob_before = rec.get("problem")
            _problem_amount(rec, amt, lambda t: _ofx_money(t, scale))
            if prob_before and rec.get("problem") != prob_before:
                rec["problem"] = prob_before + ("; " + rec["problem"] if rec.get("problem") else "")
            name_ = _leaf(blk, "NAME") or _leaf(blk, "PAYEEID") or ""
            pm = re.search(r"<PAYEE>.*?<NAME>([^<\r\n]*)", blk, re.S | re.I)
            if not name_ and pm:
                name_ = html.unescape(pm.group(1).strip())
            memo = _leaf(blk, "MEMO") or ""
            rec["description"] = (name_ + (" " + memo if memo and memo != name_ else "")).strip()
            rec["counterparty"] = name_
            rec["type"] = _leaf(blk, "TRNTYPE") or ""
            rec["reference"] = _leaf(blk, "CHECKNUM") or _leaf(blk, "REFNUM") or _leaf(blk, "FITID") or ""
            records.append(rec)
            st["rows"].append(rec["_row"])
        lb = re.search(r"<LEDGERBAL>(.*?)(</LEDGERBAL>|<AVAILBAL>|$)", body, re.S | re.I)
        if lb and _leaf(lb.group(1), "BALAMT"):
            try:
                st["closing"] = _ofx_money(_leaf(lb.group(1), "BALAMT"), scale)
            except ValueError:
                notes.append(f"LEDGERBAL '{_leaf(lb.group(1), 'BALAMT')}' not understood")
        for bm in re.finditer(r"<BAL>(.*?)(</BAL>|(?=<BAL>)|(?=</BALLIST>))", body, re.S | re.I):
            if _OPENING_NAME.search(_leaf(bm.group(1), "NAME") or "") and _leaf(bm.group(1), "VALUE"):
                try:
                    st["opening"] = _ofx_money(_leaf(bm.group(1), "VALUE"), scale)
                except ValueError:
                    notes.append(f"opening balance '{_leaf(bm.group(1), 'VALUE')}' not understood")
        if st["rows"] or st["closing"] is not None or st["opening"] is not None:
            statements.append(st)
    notes += _ofx_not_read(text)
    one = statements[0] if len(statements) == 1 else {}
    version = "2.x XML" if text.lstrip().startswith("<?xml") or "<?OFX" in text[:400] else "1.x SGML"
    return Parsed(source=name, format="ofx", label=f"OFX {version}", frame=records_frame(records),
                  encoding=enc, opening=one.get("opening"), closing=one.get("closing"), chronological=None,
                  left_out=left_out, notes=notes, scale=scale, statements=statements)


# ------------------------------------------------------------------------------------ QIF

# sections whose records are account transactions (Santander's card QIF is !Type:Oth L)
_QIF_TX_TYPES = {"bank", "cash", "ccard", "oth a", "oth l"}
_QIF_KIND = {"cat": "category", "class": "class", "memorized": "memorised transaction template",
             "security": "security", "invst": "investment transaction", "prices": "price",
             "invoice": "invoice"}
_QIF_DATE = re.compile(r"^\s*(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*(?:[/.\-']\s*(\d{2,4}))?\s*$")


def _qif_date_parts(text: str):
    """'2/14'2020', '1/ 1'00', '08/27/21', '22/12/2017', '2022-09-23' -> (a, b, year, iso) with a/b the
    first two numbers in written order (iso: year first), or None."""
    t = text.strip()
    m = _QIF_DATE.match(t)
    if not m or not m.group(3):
        return None
    a, b_, c = m.group(1), m.group(2), m.group(3)
    if len(a) == 4:  # 2022-09-23
        return int(b_), int(c), int(a), True
    y = int(c)
    if len(c) == 2:
        y += 2000 if y < 80 else 1900  # Quicken writes '00 for 2000, /99 for 1999
    return int(a), int(b_), y, False


def _qif_order(texts) -> tuple[bool, str | None]:
    """Month-first or day-first for the whole file: a first number over 12 shows day-first, a
    second number over 12 month-first; otherwise day-first (UK) with a note."""
    parts = [x for x in (_qif_date_parts(t) for t in texts) if x and not x[3]]
    if not parts:
        return False, None
    if any(a > 12 for a, _, _, _ in parts):
        return False, None
    if any(b > 12 for _, b, _, _ in parts):
        return True, None
    return False, "no date shows whether it is day-first or month-first (no day over 12); read day-first"


def _qif_date(text: str, month_first: bool = False) -> str | None:
    import datetime as dt

    got = _qif_date_parts(text)
    if got is None:
        for fmt in ("%d %b %Y", "%d %B %Y"):
            try:
                return dt.datetime.strptime(text.strip(), fmt).date().isoformat()
            except ValueError:
                continue
        return None
    a, b, y, iso = got
    month, day = (a, b) if iso or month_first else (b, a)
    try:
        return dt.date(y, month, day).isoformat()
    except ValueError:
        return None


def parse_qif(text: str, name: str, enc: str | None) -> Parsed:
    from .tabular import BALANCE_RX

    records, left_out, notes = [], [], []
    account = ""
    kind = ""
    kinds_seen: list[str] = []
    rec: dict = {}
    start = None
    other: dict[str, int] = {}

    def close():
        nonlocal rec, start
        if rec:
            if section in _QIF_TX_TYPES:
                records.append((start, rec, account))
            elif section == "account":
                if rec.get("payee"):
                    globals_account[0] = rec["payee"]
            else:
                label = _QIF_KIND.get(section, f"!Type:{kind}")
                other[label] = other.get(label, 0) + 1
                left_out.append({"row": start, "reason": f"{label} record (!{'Type:' + kind if section != 'account' else 'Account'}), "
                                                         "not a transaction", "text": rec.get("payee", "")})
        rec, start = {}, None

    globals_account = [""]
    section = "bank"
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("!"):
            close()
            head = line[1:].strip()
            low = head.lower()
            if low.startswith("type:"):
                kind = head[5:].strip()
                section = kind.lower()
                if section in _QIF_TX_TYPES and kind not in kinds_seen:
                    kinds_seen.append(kind)
            elif low == "account":
                section = "account"
            # !Option:AutoSwitch / !Clear:AutoSwitch only bracket the account list
            continue
        account = globals_account[0]
        code, value = line[0], line[1:].strip()
        if code == "^":
            close()
            continue
        if start is None:
            start = lineno
        if code == "D" and "date_text" not in rec:
            rec["date_text"] = value
        elif code in ("T", "U") and "amount_text" not in rec:
            rec["amount_text"] = value
        elif code == "P" or (code == "N" and section == "account"):
            rec["payee"] = value
        elif code == "M":
            rec["memo"] = value
        elif code == "N":
            rec["number"] = value
        elif code == "L":
            rec["category"] = value
    close()
    month_first, why = _qif_order([r.get("date_text", "") for _, r, _ in records])
    if why:
        notes.append(why)
    elif month_first:
        notes.append("dates are month-first (a second number over 12 shows it)")
    out = []
    opening = None
    for start, r, acct in records:
        desc = " ".join(x for x in (r.get("payee", ""), r.get("memo", "")) if x).strip()
        o = {"account": acct, "currency": "GBP", "_row": start, "description": desc,
             "counterparty": r.get("payee", ""), "reference": r.get("number", ""),
             "type": r.get("category", "") if r.get("category", "").isupper() and len(r.get("category", "")) <= 5 else ""}
        _problem_amount(o, r.get("amount_text", "").replace(" ", ""), amount_pennies)
        if re.search(BALANCE_RX, r.get("payee", "") or desc):
            if opening is None and o.get("amount") is not None:
                opening = o["amount"]
            left_out.append({"row": start, "reason": "opening balance record, not a transaction", "text": desc})
            continue
        o["date"] = _qif_date(r.get("date_text", ""), month_first)
        if o["date"] is None:
            msg = f"date '{r.get('date_text', '')}' not understood"
            o["problem"] = (o.get("problem", "") + "; " + msg).strip("; ")
        out.append(o)
    if other:
        notes.append("not transactions, left out: " + ", ".join(f"{n} {k} record{'s' if n > 1 else ''}"
                                                              for k, n in other.items()))
    if any(k.lower() == "ccard" for k in kinds_seen):
        notes.append("credit-card QIF: amounts kept as signed in the file (purchases negative)")
    return Parsed(source=name, format="qif", label=f"QIF ({', '.join(kinds_seen) or 'Bank'})",
                  frame=records_frame(out), encoding=enc, opening=opening, chronological=None,
                  left_out=left_out, notes=notes)


# ---------------------------------------------------------------------------------- MT940

_TAG = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
# :61: value date, [entry date], mark (C, D, RC, RD; EC/ED in MT942), [funds code], amount
# (comma or, in old Rabobank files, point), [type code: N/F/S + 3 (old ING and Triodos: 2 letters
# and a space, Sberbank: 3 spaces)], [customer reference], [//bank reference]
_F61 = re.compile(r"^(\d{6})(\d{4})?\s?(RC|RD|EC|ED|C|D)([A-Z])?(\d[\d]*(?:[,.]\d*)?)"
                  r"(?:([NFSM][A-Z0-9][A-Z0-9 ]{2})(?!$))?([^/\n]*?)(?://(.*))?$")
_BAL = re.compile(r"^([CD])(\d{6})([A-Z]{3})?(\d[\d,.]*)$")
_F90 = re.compile(r"^(\d+)([A-Z]{3})(\d[\d,.]*)$")


def _mt_date(yymmdd: str) -> str:
    y = int(yymmdd[:2])
    return f"{2000 + y if y < 80 else 1900 + y}-{yymmdd[2:4]}-{yymmdd[4:6]}"


def _mt_amount(text: str, scale: int = 2) -> int:
    return decimal_text_pennies(text, scale)


def _mt_fields(text: str) -> list[tuple[int, str, str]]:
    """SWIFT text -> (line, tag, value incl. continuation lines), block 4's body only."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fields: list[tuple[int, str, str]] = []
    for lineno, line in enumerate(lines, start=1):
        s = line.strip()
        if s.startswith("{") and ":" not in s[:3] + s[3:4]:
            continue
        if s.startswith("{1:") or s.startswith("{2:") or s.startswith("{3:") or s.startswith("{4:"):
            s = re.sub(r"^(\{[1-3]:[^}]*\})*(\{4:)?", "", s)
            if not s:
                continue
        if s in ("-}", "-", "}") or s.startswith("{5:") or s.startswith("-}{5:"):
            continue
        m = _TAG.match(s)
        if m:
            fields.append((lineno, m.group(1), m.group(2)))
        elif fields and s:
            ln, tag, val = fields[-1]
            fields[-1] = (ln, tag, val + "\n" + s)
    return fields


def _f61_parse(first: str):
    """The first line of a :61: field -> (value date, mark, amount text, type, refs) or None."""
    t = first.strip()
    m = _F61.match(t)
    if not m:
        return None
    vd, _ed, mark, _fund, amt, ttype, cref, bref = m.groups()
    if ttype and ttype.upper().startswith("NON") and (ttype + cref).upper().startswith("NONREF"):
        ttype, cref = None, "NONREF" + (ttype + cref)[6:]  # no type code, then NONREF
    return vd, mark, amt, (ttype or "").strip(), cref, bref


def parse_mt940(text: str, name: str, enc: str | None) -> Parsed:
    fields = _mt_fields(text)
    texts = [m.group(5) for m in (_F61.match(v.split("\n")[0].strip()) for _, t, v in fields if t == "61") if m]
    texts += [m.group(4) for m in (_BAL.match(v.strip().split("\n")[0].strip()) for _, t, v in fields if t in ("60F", "60M", "62F", "62M")) if m]
    texts += [m.group(3) for m in (_F90.match(v.strip().split("\n")[0].strip()) for _, t, v in fields if t in ("90D", "90C")) if m]
    scale = decimals_needed(texts, ",.")
    records, notes, left_out = [], [], []
    statements: list[dict] = []
    account = ""
    currency = "GBP"
    cur = None
    st = None

    def new_statement(lineno):
        nonlocal st
        st = {"id": "", "account": account, "opening": None, "closing": None, "rows": [], "line": lineno}
        statements.append(st)

    def bal(val):
        m = _BAL.match(val.strip().split("\n")[0].strip())
        if not m:
            return None, None
        v = _mt_amount(m.group(4), scale)
        return (-v if m.group(1) == "D" else v), m.group(3)

    for lineno, tag, val in fields:
        if tag == "20":
            cur = None
            new_statement(lineno)
            st["id"] = val.strip()
        elif tag == "25":
            account = val.strip()
            if st is None:
                new_statement(lineno)
            st["account"] = account
        elif tag == "28C" or tag == "28":
            if st is not None and not st["id"]:
                st["id"] = val.strip()
        elif tag in ("60F", "60M"):
            v, ccy = bal(val)
            if st is None or st["opening"] is not None or st["rows"]:
                new_statement(lineno)
            if v is None:
                notes.append(f"line {lineno}: opening balance ':{tag}:{val.strip()}' not understood")
            else:
                currency = ccy or currency
                st["opening"] = v
        elif tag in ("62F", "62M"):
            v, _ = bal(val)
            if st is None:
                new_statement(lineno)
            if v is None:
                notes.append(f"line {lineno}: closing balance ':{tag}:{val.strip()}' not understood")
            else:
                st["closing"] = v
        elif tag in ("90D", "90C"):  # MT942: number and sum of the debit / credit entries
            m = _F90.match(val.strip().split("\n")[0].strip())
            if st is None:
                new_statement(lineno)
            if m:
                st["debits" if tag == "90D" else "credits"] = (int(m.group(1)), _mt_amount(m.group(3), scale))
        elif tag == "34F":
            m = re.match(r"^([A-Z]{3})", val.strip())
            if m:
                currency = m.group(1)
        elif tag == "61":
            if st is None:
                new_statement(lineno)
            first, _, extra = val.partition("\n")
            got = _f61_parse(first)
            if not got and extra:  # Sparkassen break the line before the amount
                second, _, rest = extra.partition("\n")
                got = _f61_parse(first.strip() + second.strip())
                if got:
                    first, extra = first.strip() + second.strip(), rest
            rec = {"account": account, "currency": currency, "_row": lineno, "description": "",
                   "counterparty": "", "reference": "", "type": ""}
            st["rows"].append(lineno)
            if not got:
                rec["problem"] = f"statement line ':61:{first.strip()}' not understood"
                rec["amount"] = None
                rec["date"] = None
            else:
                vd, mark, amt, ttype, cref, bref = got
                try:
                    rec["date"] = _mt_date(vd)
                    _dt.date.fromisoformat(rec["date"])
                except ValueError:
                    rec["problem"] = f"value date '{vd}' is not a date"
                    rec["date"] = None
                try:
                    v = _mt_amount(amt, scale)
                    rec["amount"] = -v if mark in ("D", "RC", "ED") else v
                except ValueError:
                    rec["amount"] = None
                    msg = f"amount '{amt}' not understood"
                    rec["problem"] = (rec["problem"] + "; " + msg) if rec.get("problem") else msg
                rec["type"] = ttype[1:].strip() if ttype else ""
                refs = [x for x in (cref.strip(), (bref or "").strip()) if x and x.upper() != "NONREF"]
                rec["reference"] = " / ".join(refs)
                if extra.strip():
                    rec["description"] = extra.strip()
            records.append(rec)
            cur = rec
        elif tag == "86" and cur is not None:
            narrative = " ".join(x.strip() for x in val.split("\n") if x.strip())
            if "?" in narrative[:4] and re.search(r"\?\d\d", narrative):
                parts = dict((k, v) for k, v in re.findall(r"\?(\d\d)([^?]*)", narrative))
                purpose = " ".join(parts.get(f"{i}", "") for i in range(20, 30)).strip()
                cp = (parts.get("32", "") + parts.get("33", "")).strip()
                cur["description"] = (purpose or narrative).strip()
                if cp:
                    cur["counterparty"] = cp
            else:
                cur["description"] = (cur["description"] + " " + narrative).strip()
                first_line = val.split("\n")[0].strip()
                if first_line:
                    import pandas as pd

                    from .statement import derive_counterparty

                    cur["counterparty"] = derive_counterparty(pd.Series([first_line]), None)[0].as_py()
            cur = None
    statements = [x for x in statements if x["rows"] or x["opening"] is not None or x["closing"] is not None
                  or x.get("debits") or x.get("credits")]
    opens = [x["opening"] for x in statements if x["opening"] is not None]
    closes = [x["closing"] for x in statements if x["closing"] is not None]
    opening = opens[0] if opens else None
    closing = closes[-1] if closes else None
    if len(statements) > 1:
        notes.append(f"{len(statements)} statements in one file")
    for x in statements:
        x.pop("line", None)
    return Parsed(source=name, format="mt940", label="SWIFT MT940" if not any(
                      x.get("debits") or x.get("credits") for x in statements) else "SWIFT MT942",
                  frame=records_frame(records), encoding=enc, opening=opening, closing=closing,
                  chronological=True, left_out=left_out, notes=notes, scale=scale, statements=statements)


# -------------------------------------------------------------------------------- CAMT.053

def parse_camt(raw: bytes, name: str) -> Parsed:
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise DataError(f"{name}: not well-formed XML ({exc})") from None
    text = raw.decode("utf-8", errors="replace")
    ntry_pos = [m.start() for m in re.finditer(r"<(\w+:)?Ntry>", text)]

    def strip(el):
        for e in el.iter():
            if isinstance(e.tag, str) and "}" in e.tag:
                e.tag = e.tag.split("}", 1)[1]
    strip(root)

    def t(el, path):
        x = el.find(path)
        return x.text.strip() if x is not None and x.text else ""

    records, notes = [], []
    statements = []
    stmts = root.findall(".//Stmt") or root.findall(".//Rpt")
    scale = decimals_needed([x.text or "" for x in root.iter("Amt")], ".")
    k = 0
    n_acc = 0
    for st in stmts:
        n_acc += 1
        account = t(st, "Acct/Id/IBAN") or t(st, "Acct/Id/Othr/Id")
        ccy = t(st, "Acct/Ccy") or "GBP"
        stated = {}
        for bal in st.findall("Bal"):
            code = t(bal, "Tp/CdOrPrtry/Cd") or t(bal, "Tp/CdOrPrtry/Prtry")
            try:
                v = decimal_text_pennies(t(bal, "Amt"), scale)
            except ValueError:
                notes.append(f"balance {code} '{t(bal, 'Amt')}' not understood")
                continue
            if t(bal, "CdtDbtInd") == "DBIT":
                v = -v
            stated.setdefault(code, v)
        # OPBD: opening booked; PRCD: the previous statement's closing (the same thing when no
        # OPBD is given); CLBD: closing booked
        statement = {"id": t(st, "Id") or t(st, "ElctrncSeqNb"), "account": account,
                     "opening": stated.get("OPBD", stated.get("PRCD")), "closing": stated.get("CLBD"),
                     "rows": []}
        statements.append(statement)
        for e in st.findall("Ntry"):
            row = _line_of(text, ntry_pos[k]) if k < len(ntry_pos) else 0
            k += 1
            amt_el = e.find("Amt")
            rec = {"account": account, "_row": row,
                   "currency": (amt_el.get("Ccy") if amt_el is not None else None) or ccy}
            _problem_amount(rec, t(e, "Amt"), lambda x: decimal_text_pennies(x, scale))
            if rec.get("amount") is not None and t(e, "CdtDbtInd") == "DBIT":
                rec["amount"] = -rec["amount"]
            if t(e, "RvslInd").lower() == "true" and rec.get("amount") is not None:
                rec["amount"] = -rec["amount"]
            # a date may carry a zone ('2017-04-01+02:00'): the calendar date is what it says
            d = t(e, "BookgDt/Dt") or t(e, "BookgDt/DtTm") or t(e, "ValDt/Dt") or t(e, "ValDt/DtTm")
            m = re.match(r"(\d{4}-\d{2}-\d{2})(?:$|[T+\-Z ])", d)
            rec["date"] = m.group(1) if m else None
            if not d:
                rec["problem"] = "no date"
            elif not m:
                rec["problem"] = f"date '{d}' not understood"
            status = t(e, "Sts") or t(e, "Sts/Cd")
            rec["pending"] = status in ("PDNG", "INFO")
            rec["type"] = (t(e, "BkTxCd/Prtry/Cd") or
                           "-".join(x for x in (t(e, "BkTxCd/Domn/Fmly/Cd"), t(e, "BkTxCd/Domn/Fmly/SubFmlyCd")) if x))
            tx = e.find("NtryDtls/TxDtls")
            cp = ref = ""
            desc = ""
            if tx is not None:
                party = "Dbtr" if t(e, "CdtDbtInd") == "CRDT" else "Cdtr"
                cp = t(tx, f"RltdPties/{party}/Nm") or t(tx, f"RltdPties/{party}/Pty/Nm")
                ref = t(tx, "Refs/EndToEndId")
                if ref == "NOTPROVIDED":
                    ref = ""
                desc = " ".join(x.text.strip() for x in tx.findall("RmtInf/Ustrd") if x.text)
            rec["description"] = (desc or t(e, "AddtlNtryInf") or cp).strip()
            rec["counterparty"] = cp
            rec["reference"] = ref or t(e, "AcctSvcrRef") or t(e, "NtryRef")
            records.append(rec)
            statement["rows"].append(row)
    if n_acc > 1:
        notes.append(f"{n_acc} statements in one file")
    one = statements[0] if len(statements) == 1 else {}
    return Parsed(source=name, format="camt053", label="ISO 20022 CAMT.053", frame=records_frame(records),
                  encoding="utf-8", opening=one.get("opening"), closing=one.get("closing"),
                  chronological=True, notes=notes, scale=scale, statements=statements)


# ---------------------------------------------------------------------------- Santander TXT

def parse_santander_txt(text: str, name: str, enc: str | None) -> Parsed:
    import datetime as dt

    text = text.replace("\u00a0", " ")
    account = ""
    records = []
    rec = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^\s*([A-Za-z ]+):\s*(.*)$", line)
        if not m:
            continue
        key, val = m.group(1).strip().lower(), m.group(2).strip()
        if key == "account" and rec is None:
            account = val
        elif key == "date":
            rec = {"account": account, "_row": lineno, "currency": "GBP", "description": ""}
            try:
                rec["date"] = dt.datetime.strptime(val, "%d/%m/%Y").date().isoformat()
            except ValueError:
                rec["date"] = None
                rec["problem"] = f"date '{val}' not understood"
            records.append(rec)
        elif rec is not None and key == "description":
            rec["description"] = val
        elif rec is not None and key == "amount":
            cm = re.search(r"\b([A-Z]{3})\s*$", val)
            if cm:
                rec["currency"] = cm.group(1)
            prob = rec.get("problem")
            _problem_amount(rec, re.sub(r"\s*[A-Z]{3}\s*$", "", val), amount_pennies)
            if prob:
                rec["problem"] = prob + ("; " + rec["problem"] if rec.get("problem") else "")
        elif rec is not None and key == "balance":
            try:
                rec["balance"] = amount_pennies(re.sub(r"\s*[A-Z]{3}\s*$", "", val))
            except ValueError:
                pass
    return Parsed(source=name, format="santander_txt", label="Santander text download",
                  frame=records_frame(records), encoding=enc, chronological=None)
