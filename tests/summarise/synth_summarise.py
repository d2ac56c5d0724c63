"""Synthetic call records and bank transactions with planted patterns (fictional numbers from
the Ofcom drama ranges). Deterministic: no randomness, so every expected finding is exact.

Calls (a provider CDR with a target column), 56 days from Monday 2024-03-04:
- T1 07700 900001 is used for the first 28 days, then goes silent; T4 07700 900004 takes over
  on day 28 with 8 of T1's 10 regular contacts (a handset swap: Jaccard 9/13 with C160).
- T2's top contact is C150 (one record every day, written four different ways) = 56 records.
- C150 is common to T2 and T3; C160 is called by every handset every Monday (common to all).
- T2 gets a withheld call every Monday (not a contact, still a record).
- T3 has a burst on 2024-04-10: 40 extra records.

Bank (the output of `toex bank parse`), two accounts:
- A 12-34-56 12345678: salary, rent, card spend; a structuring run of 4 cash deposits
  (950, 980, 900, 990) on 5, 7, 9 and 12 Feb; a rapid in-out pair: 5,000 in on 10 Mar,
  4,900 out on 11 Mar.
- B 20-00-00 87654321: in March, 12 distinct payers send 20-80 each (many small payers).
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

START = dt.datetime(2024, 3, 4, 0, 0, 0)  # a Monday

T1, T2, T3, T4 = "447700900001", "447700900002", "447700900003", "447700900004"
C150_FORMS = ["07700900150", "447700900150", "7700900150", "+44 7700 900150"]
CDR_HEADER = ["Target Number", "Record ID", "Event Type", "Direction", "A Number", "B Number",
              "Start Date/Time", "Duration", "First Cell ID"]


def c(n: int) -> str:
    """Contact number 07700 900nnn in the international form (a provider CDR)."""
    return f"447700900{n:03d}"


def call_rows() -> list[list[str]]:
    rows: list[list[str]] = []

    def add(target, other, day, hour, minute, kind="Voice", outgoing=True, seconds=60, raw_other=None):
        when = START + dt.timedelta(days=day, hours=hour, minutes=minute)
        other_text = raw_other if raw_other is not None else other
        a, b = (target, other_text) if outgoing else (other_text, target)
        dur = "00:00:00" if kind == "SMS" else f"00:{seconds // 60:02d}:{seconds % 60:02d}"
        rows.append([target, f"R{len(rows) + 1:05d}", kind, "Outgoing" if outgoing else "Incoming",
                     a, b, when.strftime("%d/%m/%Y %H:%M:%S"), dur, "31201"])

    t4_contacts = [100, 101, 102, 103, 104, 105, 106, 107, 120, 121]
    for day in range(56):
        # T2: C150 every day (alternating voice/SMS, four spellings) + a background contact
        add(T2, c(150), day, 10, 5, "Voice" if day % 2 == 0 else "SMS", outgoing=day % 3 != 0,
            seconds=90, raw_other=C150_FORMS[day % 4])
        add(T2, c(200 + day % 8), day, 14, 30, "Voice", seconds=30)
        # T3: background every day, C150 every other day
        add(T3, c(300 + day % 8), day, 9, 0, "SMS")
        if day % 2 == 0:
            add(T3, c(150), day, 20, 15, "Voice", outgoing=False, seconds=120)
        # T1 then T4
        if day < 28:
            add(T1, c(100 + day % 10), day, 18, 0, "Voice", seconds=45)
        else:
            add(T4, c(t4_contacts[day % 10]), day, 18, 0, "Voice", seconds=45)
        if day % 7 == 0:  # Mondays
            for t in (T1 if day < 28 else T4, T2, T3):
                add(t, c(160), day, 12, 0, "Voice", outgoing=False, seconds=300)
            add(T2, "Withheld", day, 23, 0, "Voice", outgoing=False, seconds=0)
    burst_day = (dt.date(2024, 4, 10) - START.date()).days
    for i in range(40):
        add(T3, c(300), burst_day, 15, i, "SMS")
    return rows


def write_calls(path) -> int:
    rows = call_rows()
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(CDR_HEADER)
        w.writerows(rows)
    return len(rows)


BANK_HEADER = ["account", "date", "description", "amount", "currency", "balance", "type",
               "category", "counterparty", "reference", "format", "_source", "_row"]
ACC_A = "12-34-56 12345678"
ACC_B = "20-00-00 87654321"


def bank_rows() -> list[dict]:
    tx = []

    def add(account, date, amount, category, counterparty, description=None, type_="", ref=""):
        tx.append({"account": account, "date": date, "amount": Decimal(amount), "category": category,
                   "counterparty": counterparty, "description": description or counterparty.upper(),
                   "type": type_, "reference": ref})

    for month in (1, 2, 3):
        add(ACC_A, f"2024-{month:02d}-01", "2150.00", "transfer_in", "Fictional Employer Ltd", type_="BGC")
        add(ACC_A, f"2024-{month:02d}-03", "-750.00", "standing_order", "Made Up Lettings", type_="SO")
        for d in (6, 13, 20, 27):
            add(ACC_A, f"2024-{month:02d}-{d:02d}", f"-{40 + d}.37", "card", "Imaginary Supermarket",
                type_="DEB")
        add(ACC_A, f"2024-{month:02d}-15", "-21.00", "direct_debit", "Fictional Mobile Ltd", type_="DD")
    # structuring: four cash deposits just under GBP 1,000 within a week of each other
    for date, amt in (("2024-02-05", "950.00"), ("2024-02-07", "980.00"), ("2024-02-09", "900.00"),
                      ("2024-02-12", "990.00")):
        add(ACC_A, date, amt, "cash", "", description="CASH DEPOSIT SOMEWHERE BRANCH", type_="CSH")
    # a single deposit in the band a month later is not a run
    add(ACC_A, "2024-03-20", "960.00", "cash", "", description="CASH DEPOSIT SOMEWHERE BRANCH", type_="CSH")
    # rapid in-out
    add(ACC_A, "2024-03-10", "5000.00", "transfer_in", "J Doe", type_="FPI")
    add(ACC_A, "2024-03-11", "-4900.00", "transfer_out", "Quick Exchange Ltd", type_="FPO")
    add(ACC_A, "2024-03-25", "-60.00", "cash", "", description="CASH WITHDRAWAL ATM", type_="CPT")
    # account B: many small payers in March
    payers = ["A Smith", "B Jones", "C Brown", "D Taylor", "E Wilson", "F Evans", "G Thomas",
              "H Roberts", "I Walker", "J Wright", "K Green", "L Hall"]
    for i, p in enumerate(payers):
        add(ACC_B, f"2024-03-{i + 2:02d}", f"{20 + i * 5}.00", "transfer_in", p, type_="FPI")
    add(ACC_B, "2024-03-28", "-250.00", "transfer_out", "Someone Else", type_="FPO")
    # statements are listed by account, in date order; balances run from an opening balance
    tx.sort(key=lambda t: (t["account"], t["date"]))
    opening = {ACC_A: Decimal("1000.00"), ACC_B: Decimal("50.00")}
    bal = dict(opening)
    rows = []
    per_source_row: dict[str, int] = {}
    for t in tx:
        bal[t["account"]] += t["amount"]
        src = "statement_a.csv" if t["account"] == ACC_A else "statement_b.csv"
        per_source_row[src] = per_source_row.get(src, 1) + 1
        rows.append({**t, "currency": "GBP", "balance": bal[t["account"]], "format": "generic",
                     "_source": src, "_row": per_source_row[src]})
    return rows


def write_bank_csv(path) -> list[dict]:
    rows = bank_rows()
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=BANK_HEADER)
        w.writeheader()
        for r in rows:
            w.writerow({**r, "amount": f"{r['amount']:.2f}", "balance": f"{r['balance']:.2f}"})
    return rows


def write_bank_parquet(path) -> list[dict]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = bank_rows()
    cols = {k: [r[k] for r in rows] for k in BANK_HEADER}
    arrays = {}
    for k, v in cols.items():
        if k in ("amount", "balance"):
            arrays[k] = pa.array(v, pa.decimal128(18, 2))
        elif k == "date":
            arrays[k] = pa.array([dt.date.fromisoformat(x) for x in v], pa.date32())
        elif k == "_row":
            arrays[k] = pa.array(v, pa.int64())
        else:
            arrays[k] = pa.array(v, pa.string())
    pq.write_table(pa.table(arrays), path)
    return rows
