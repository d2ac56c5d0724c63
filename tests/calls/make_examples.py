"""Writes the three demo returns in examples/ (fictional; run once, outputs committed).

One made-up case, 25/03/2024 to 07/04/2024 (the clocks go forward on 31/03/2024):
  S: examples/calls_return_s.xlsx - Excel, a cover sheet first, numbers stored as numbers,
     start as Excel date-times under a header naming UTC; handset 07700 900111.
  T: examples/calls_return_t.csv - cp1252 CSV with a preamble and an END OF REPORT footer,
     split date/time in UK local time (no zone: assumed), hh:mm:ss; handset 07700 900222.
  U: examples/calls_return_u.csv - ISO times ending in Z, +44 numbers, a forwarded call;
     handset 07700 900333.
Two-ended pairs: S-T voice (before the clock change), T-U voice (after it: 18:57 BST in T is
17:57Z in U), U-S SMS, S-U voice whose U end also has the forward leg to 07700 900999.
"""
import datetime as dt
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EX = os.path.join(ROOT, "examples")
S, T, U = "447700900111", "447700900222", "447700900333"


def return_s():
    from openpyxl import Workbook

    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    for i, line in enumerate(["OFFICIAL-SENSITIVE (fictional)", "Network S disclosure",
                              "Operation EXAMPLE - reference OP/2024/0099",
                              "This workbook holds call data records on the next sheet."], 1):
        cover.cell(i, 1, line)
    ws = wb.create_sheet("Call Data")
    ws.append(["Network S call data records"])
    ws.append(["Target: 447700900111"])
    ws.append([])
    ws.append(["Record Type", "Originating Number", "Terminating Number", "Event Start (UTC)",
               "Duration (s)", "Cell ID", "IMEI"])
    rows = [
        ("MOC", S, T, dt.datetime(2024, 3, 30, 9, 0, 0), 120),
        ("MTC", 447700900444, S, dt.datetime(2024, 3, 30, 14, 22, 10), 35),
        ("SMS-MO", S, 447700900444, dt.datetime(2024, 3, 31, 8, 5, 0), 0),
        ("MOC", S, 442079460555, dt.datetime(2024, 4, 1, 10, 15, 0), 301),
        ("SMS-MT", U, S, dt.datetime(2024, 4, 3, 8, 10, 40), 0),
        ("MOC", S, U, dt.datetime(2024, 4, 4, 12, 0, 0), 30),
        ("MTC", 441614960777, S, dt.datetime(2024, 4, 5, 19, 45, 0), 88),
    ]
    for code, a, b, when, dur in rows:
        ws.append([code, int(a), int(b), when, dur, 23415120 + dur % 7, 356938035643809])
    for r in ws.iter_rows(min_row=5):
        r[1].number_format = r[2].number_format = r[6].number_format = "0"
        r[3].number_format = "dd/mm/yyyy hh:mm:ss"
    wb.save(os.path.join(EX, "calls_return_s.xlsx"))


def return_t():
    rows = [
        ("MTC", "07700900111", "07700900222", "30/03/2024", "09:00:04", "00:02:01"),
        ("MOC", "07700900222", "07700900666", "30/03/2024", "21:10:00", "00:05:00"),
        ("SMS MO", "07700900222", "07700900666", "31/03/2024", "00:59:30", "00:00:00"),
        ("MOC", "07700900222", "07700900333", "02/04/2024", "18:57:02", "00:01:01"),
        ("MTC", "WITHHELD", "07700900222", "03/04/2024", "22:30:00", "00:00:12"),
        ("SMS MT", "07700900666", "07700900222", "05/04/2024", "07:15:00", "00:00:00"),
    ]
    lines = ["Réf. opération: OP/2024/0099 – Sûreté (fictional)",
             "Target MSISDN: 07700 900222",
             "Period: 25/03/2024 – 07/04/2024 (UK local time)",
             "",
             "Call Type,A Number,B Number,Date,Time,Duration (hh:mm:ss),First Cell,Last Cell"]
    lines += [",".join(r) + ",MN2290-2,MN5120-1" for r in rows]
    lines += [f"END OF REPORT - {len(rows)} RECORDS"]
    with open(os.path.join(EX, "calls_return_t.csv"), "w", encoding="cp1252", newline="") as fh:
        fh.write("\r\n".join(lines) + "\r\n")


def return_u():
    rows = [
        ("+447700900333", "Incoming", "Voice", "+447700900222", "", "2024-04-02T17:57:05Z", "60"),
        ("+447700900333", "Outgoing", "SMS", "+447700900111", "", "2024-04-03T08:10:00Z", "0"),
        ("+447700900333", "Incoming", "Voice", "+447700900111", "", "2024-04-04T12:00:03Z", "30"),
        ("+447700900333", "Forwarded", "Voice", "+447700900111", "+447700900999", "2024-04-04T12:00:03Z", "30"),
        ("+447700900333", "Outgoing", "Voice", "+447700900888", "", "2024-04-06T20:00:00Z", "412"),
    ]
    lines = ["MSISDN,Direction,Service,Other Party,Diverted To,Timestamp,Seconds"]
    lines += [",".join(r) for r in rows]
    with open(os.path.join(EX, "calls_return_u.csv"), "w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(lines) + "\n")


return_s()
return_t()
return_u()
