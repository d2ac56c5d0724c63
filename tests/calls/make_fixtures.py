"""Writes the fictional call-return fixtures in tests/calls/data (run once; outputs committed).

Every number is an Ofcom drama number (07700 900xxx, 020 7946 0xxx, 0161 496 0xxx); IMEIs and
IMSIs are made up. Each file is a return shape the public samples do not have, so the tests
check recognition on layouts the code was not written against.
"""
import datetime as dt
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def write(name, text, encoding="utf-8", newline="\n"):
    with open(os.path.join(HERE, name), "w", encoding=encoding, newline="") as fh:
        fh.write(text.replace("\n", newline))


# 1. cp1252, preamble, MOC/MTC codes, split date/time, hh:mm:ss, END OF REPORT footer
write("net_s_moc_cp1252.csv", """Opération Réf: OP/2024/0457 – Sûreté
Target MSISDN: 07700 900111
Period: 01/01/2024 to 31/01/2024
,
Record Type,Calling Number,Called Number,Date,Time,Duration (hh:mm:ss),Cell ID,IMEI
MOC,07700900111,07700900222,08/01/2024,10:00:05,00:02:10,23415-1201-5501,353918052611234
MTC,07700900333,07700900111,08/01/2024,11:15:00,00:00:45,23415-1201-5502,353918052611234
SMS-MO,07700900111,07700900222,08/01/2024,11:20:31,00:00:00,23415-1201-5501,353918052611234
SMS-MT,07700900222,07700900111,08/01/2024,11:22:02,00:00:00,23415-1201-5501,353918052611234
GPRS,07700900111,,09/01/2024,08:00:00,01:10:00,23415-1201-5503,353918052611234
MOC,07700900111,02079460123,09/01/2024,13:45:10,00:10:01,23415-1201-5501,353918052611234
MTC,WITHHELD,07700900111,10/01/2024,22:05:59,00:00:12,23415-1201-5504,353918052611234
CFU,07700900444,07700900111,10/01/2024,23:00:00,00:01:00,,353918052611234
END OF REPORT - 8 RECORDS
""", encoding="cp1252", newline="\r\n")

# 2. target + other party, semicolons, ISO times with Z / offset / (UTC+1), seconds
write("net_t_iso_z.csv", """MSISDN;Other Party;Direction;Event;Timestamp;Dur (s);Cell
447700900222;447700900111;Incoming;Voice;2024-01-08T10:00:09Z;129;ECGI 234-20-110011
447700900222;447700900111;Outgoing;SMS;2024-01-08T11:22:00Z;0;ECGI 234-20-110011
447700900222;447700900111;Incoming;SMS;2024-01-08T11:20:50Z;0;ECGI 234-20-110012
447700900222;441614960555;Outgoing;Voice;2024-04-02T18:57:00+01:00;61;ECGI 234-20-110012
447700900222;441614960555;Outgoing;Voice;02/04/2024 19:10:00 (UTC+1);30;ECGI 234-20-110013
447700900222;447700900555;Incoming;Voice;2024-04-02T17:58:00Z;12;ECGI 234-20-110013
""")

# 3. A/B with End time (no duration), tabs, 08-JAN-24 dates, GMT header
write("net_u_tabs_end.tsv", """A Number\tB Number\tCall Type\tStart Time (GMT)\tEnd Time (GMT)\tFirst Cell\tLast Cell\tIMSI
447700900111\t447700900666\tVOICE\t08-JAN-24 14:00:00\t08-JAN-24 14:03:20\t1201\t1202\t234150000000111
447700900666\t447700900111\tVOICE\t08-JAN-24 15:30:00\t08-JAN-24 15:30:40\t1201\t1201\t234150000000111
447700900111\t447700900666\tSMS\t08-JAN-24 16:00:00\t\t1201\t\t234150000000111
""")

# 4. DST: the autumn repeat and the spring gap, separate date/time, no zone anywhere
write("net_v_dst.csv", """Target,Direction,B Party,Call Date,Call Time,Duration
07700900111,OUT,07700900777,31/03/2024,00:59:59,10
07700900111,OUT,07700900777,31/03/2024,01:30:00,10
07700900111,OUT,07700900777,31/03/2024,02:00:00,10
07700900111,IN,07700900777,27/10/2024,00:59:00,10
07700900111,IN,07700900777,27/10/2024,01:30:00,10
07700900111,IN,07700900777,27/10/2024,02:00:00,10
""")

# 5. footer count that does not match (5 stated, 4 rows)
write("net_w_bad_footer.csv", """Subscriber,Caller,Callee,Event,Start Date/Time,Duration
07700900111,07700900111,07700900888,Voice,12/02/2024 09:00:00,60
07700900111,07700900888,07700900111,Voice,12/02/2024 09:10:00,60
07700900111,07700900111,07700900888,SMS,12/02/2024 09:20:00,0
07700900111,07700900888,07700900111,SMS,12/02/2024 09:30:00,0
Total records: 5
""")

# 6. a file that is not a call return
write("not_calls.csv", """Foo,Bar,Baz
1,2,3
4,5,6
""")

# 7. mSOriginating codes (US-style words), one time column with month names, mm:ss
write("net_x_ms_codes.csv", """Subject Number,Call Direction Code,Dialled Digits,Originating Number,Seizure Time,Conversation Time
07700900999,mSOriginating,07700900123,07700900999,"Jan 8, 2024 10:00:00",01:05
07700900999,mSTerminatingSMSinMSC,07700900999,07700900123,"Jan 8, 2024 10:05:00",00:00
07700900999,callForwarding,07700900456,07700900123,"Jan 8, 2024 10:06:00",00:30
""")


# 10. printed pages: the header repeated and "Page n of m" lines mid-file; compact switch times;
# LAC and CI in separate columns; "Voice MO" codes; pipes
write("net_z_pages.txt", """Calling No|Called No|Service|Start YYYYMMDDHHMMSS|Dur Secs|LAC|CI|Location
07700900111|07700900222|Voice MO|20240108100003|129|1201|5501|Fictional Road Mast, Anytown
07700900333|07700900111|Voice MT|20240108111500|45|1201|5502|Fictional Road Mast, Anytown
Page 1 of 2
Calling No|Called No|Service|Start YYYYMMDDHHMMSS|Dur Secs|LAC|CI|Location
07700900111|07700900222|SMS MO|20240108112031|0|1201|5501|Fictional Road Mast, Anytown
Page 2 of 2
""")

# 11. Excel serial date-times written out as numbers (a CSV saved from Excel), Outgoing Call words
write("net_q_serials.csv", """Handset Number,Event,Other Number,Call Date/Time,Duration (Seconds)
07700900111,Outgoing Call,07700900222,45299.4166666667,130
07700900111,Incoming SMS,07700900222,45299.4722337963,0
07700900111,Missed Call,07700900444,45300.5,0
""")

# 8. Excel: a cover sheet, then the call table with numbers stored as numbers and real dates
def excel():
    from openpyxl import Workbook

    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "OFFICIAL-SENSITIVE"
    cover["A2"] = "Communications data return - produced for OP/2024/0457"
    cover["A3"] = "Requested number 07700 900222"
    ws = wb.create_sheet("Call Records")
    ws.append(["Network Y: call records"])
    ws.append(["Times are UTC"])
    ws.append([])
    ws.append(["Type", "Originating", "Terminating", "Event Date", "Event Time", "Length (secs)", "Start Cell", "Handset IMEI"])
    rows = [
        ("MT", 447700900111, 447700900222, dt.date(2024, 1, 8), dt.time(10, 0, 2), 128, 40011, 356938035643809),
        ("MO", 447700900222, 447700900999, dt.date(2024, 1, 8), dt.time(12, 0, 0), 30, 40012, 356938035643809),
        ("SMS MT", 447700900111, 447700900222, dt.date(2024, 1, 8), dt.time(11, 20, 40), 0, 40011, 356938035643809),
        ("MO", 447700900222, 442079460777, dt.date(2024, 4, 2), dt.time(17, 57, 0), 45, 40013, 356938035643809),
    ]
    for r in rows:
        ws.append(list(r))
    for row in ws.iter_rows(min_row=5):
        row[1].number_format = "0"
        row[2].number_format = "0"
        row[7].number_format = "0"
    wb.save(os.path.join(HERE, "net_y_cover.xlsx"))


# 9. phone download: a cover sheet then a Calls sheet (Type, Parties, Timestamp, ...)
def download():
    from openpyxl import Workbook

    wb = Workbook()
    info = wb.active
    info.title = "Summary"
    info["A1"] = "Extraction report"
    info["A2"] = "Device: fictional handset"
    ws = wb.create_sheet("Calls")
    ws.append(["#", "Type", "Parties", "Timestamp", "Duration", "Direction", "Status"])
    ws.append([1, "Outgoing", "To: +447700900222 Bob", "08/01/2024 10:00:04(UTC+0)", "00:02:09", "Outgoing", "Answered"])
    ws.append([2, "Incoming", "From: 07700 900333 Carol", "08/01/2024 11:15:01(UTC+0)", "00:00:44", "Incoming", "Answered"])
    ws.append([3, "Missed", "From: +447700900555", "02/04/2024 18:58:00(UTC+1)", "00:00:00", "Incoming", "Missed"])
    wb.save(os.path.join(HERE, "phone_download.xlsx"))


excel()
download()
