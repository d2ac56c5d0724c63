"""Bad and odd inputs for the robustness fuzz (tests/test_fuzz_robustness.py).

Every input has the columns ``id`` and ``text`` where it has a table at all, so that every
command can be pointed at it. ``build(folder)`` writes them and returns
``{file name: expected data rows}``, where None means the input is bad data (exit 1 expected,
exit 2 tolerated) and a number is the row count a row-preserving command must write on exit 0.

Fictional data only (Ofcom drama numbers).
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import random
import zipfile
from pathlib import Path

GOOD = "id,text\n1,call 07700 900123 today\n2,ring 020 7946 0123 re AB12 CDE\n"


def _typed_parquet(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "id": pa.array([18446744073709551615, 1], pa.uint64()),
        "text": ["call 07700 900123", "x"],
        "blob": pa.array([b"\xff\xfe\x00abc", b"ok"], pa.binary()),
        "f": pa.array([float("nan"), float("inf")]),
        "nested": pa.array([{"a": [1, 2]}, None]),
    })
    pq.write_table(table, path)


def _typed_arrow(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.feather as feather

    table = pa.table({"id": pa.array([2 ** 64 - 1, 0], pa.uint64()), "text": ["a", "07700 900123"],
                      "blob": pa.array([b"\x80\x81", None], pa.binary()),
                      "f": pa.array([float("-inf"), 1.5])})
    feather.write_feather(table, path)


def _xlsx(path: Path, rows) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("data")
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                sheet.write(i, j, v)
    book.close()


def _xlsx_blank_first(path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("empty")
    sheet = book.add_worksheet("calls")
    for i, row in enumerate([["id", "text"], ["1", "call 07700 900123"]]):
        for j, v in enumerate(row):
            sheet.write_string(i, j, v)
    book.close()


def build(folder: Path) -> dict[str, int | None]:
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(21)
    expected: dict[str, int | None] = {}

    def put(name: str, data: bytes | str, rows: int | None) -> None:
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected[name] = rows

    # -- line endings, blank lines, quoting
    put("good.csv", GOOD, 2)
    put("lone_cr.csv", GOOD.replace("\n", "\r"), 2)
    put("lone_cr_quoted.csv", 'id,text\r1,"two\rlines"\r2,x\r', 2)
    put("crlf_quoted_newline.csv", 'id,text\r\n1,"a\r\nb"\r\n2,c\r\n', 2)
    put("mixed_endings.csv", "id,text\r\n1,a\n2,b\r3,c\n", 3)
    put("leading_blank_lines.csv", "\n\n  \n" + GOOD, 2)
    put("one_column_blank_line.csv", "text\nhello\n\nworld\n", 3)
    put("header_only.csv", "id,text\n", 0)
    put("header_newline.csv", '"i\nd",text\n1,a\n', 1)
    put("unclosed_header_quote.csv", 'id,"text\n1,a\n2,b\n', None)
    put("unclosed_data_quote.csv", 'id,text\n1,"a\n2,b\n3,c\n', None)
    put("too_many_fields.csv", "id,text\n1,a\n2,b,c,d\n3,e\n", None)
    put("short_rows.csv", "id,text,x\n1\n2,b\n", 2)
    put("duplicate_headers.csv", "id,text,text,text_2\n1,a,b,c\n", 1)
    put("semicolon.csv", "id;text\n1;a\n2;b\n", 2)
    put("tab.tsv", "id\ttext\n1\ta\n", 1)
    put("bom.csv", "\ufeff" + GOOD, 2)
    put("quotes_escaped.csv", 'id,text\n1,"say ""hi"""\n', 1)
    put("no_trailing_newline.csv", GOOD.rstrip("\n"), 2)
    # -- encodings
    put("utf16_bom.csv", GOOD.encode("utf-16"), 2)
    put("utf16le_no_bom.csv", GOOD.encode("utf-16-le"), 2)
    put("utf32.csv", GOOD.encode("utf-32"), 2)
    put("cp1252.csv", "id,text\n1,£5 to 07700 900123\n".encode("cp1252"), 1)
    put("nul_only.csv", b"\x00" * 4096, None)
    put("nul_in_cell.csv", b"id,text\n1,a\x00b\n", 1)
    put("empty.csv", b"", None)
    put("whitespace_only.csv", "\n\n   \n", None)
    put("garbage.csv", bytes(rnd.randrange(256) for _ in range(3000)), None)
    # -- compressed
    put("good.csv.gz", gzip.compress(GOOD.encode()), 2)
    put("good.csv.bz2", bz2.compress(GOOD.encode()), 2)
    put("good.csv.xz", lzma.compress(GOOD.encode()), 2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("calls.csv", GOOD)
    put("one_member.zip", buf.getvalue(), 2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.csv", GOOD)
        z.writestr("b.csv", GOOD)
    put("two_members.zip", buf.getvalue(), None)
    put("truncated.csv.gz", gzip.compress(GOOD.encode() * 50)[:40], None)
    # -- not tables
    put("table.dbf", b"\x03\x7c\x0b\x06" + bytes(60) + b"\r", None)
    put("array.json", '[{"id": "1", "text": "a"}]', None)
    put("fake.xlsx", b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(500)), None)
    put("truncated.parquet", b"PAR1" + bytes(100), None)
    # -- typed pipes
    _typed_parquet(folder / "typed.parquet")
    expected["typed.parquet"] = 2
    _typed_arrow(folder / "typed.arrow")
    expected["typed.arrow"] = 2
    # -- spreadsheets and HTML
    _xlsx(folder / "long_row.xlsx", [["id", "text"], ["1", "a", "total 5"], ["2", "b"]])
    expected["long_row.xlsx"] = 2
    _xlsx_blank_first(folder / "blank_first_sheet.xlsx")
    expected["blank_first_sheet.xlsx"] = None
    put("long_row.html", "<table><tr><th>id</th><th>text</th></tr><tr><td>1</td><td>a</td>"
                         "<td>note</td></tr></table>", 1)
    # -- JSON Lines
    put("good.jsonl", '{"id": "1", "text": "a"}\n{"id": "2", "text": "07700 900123"}\n', 2)
    put("deep.jsonl", '{"id": "1", "text": ' + "[" * 5000 + "]" * 5000 + "}\n", None)  # refused with its line
    put("surrogate.jsonl", '{"id": "1", "text": "bad \\ud800 here"}\n', 1)
    put("own_provenance.jsonl", '{"id": "1", "text": "a", "_row": "mine", "_source": "me"}\n', 1)
    # -- provenance columns of someone else's, long cells, wide headers
    put("own_provenance.csv", "_source,_row,id,text\nmy evidence,row seven,1,a\n", 1)
    put("long_cell.csv", "id,text\n1," + "x" * (1 << 20) + "\n2,b\n", 2)
    wide = ["id", "text"] + [f"c{i}" for i in range(1000)]
    put("wide_header.csv", ",".join(wide) + "\n" + ",".join(["1", "a"] + [""] * 1000) + "\n", 1)
    put("long_name_header.csv", "id,text," + "n" * 200000 + "\n1,a,b\n", 1)
    # issue 22: wide tables stay linear in the pandas-based commands (20,000 columns: see
    # tests/io/test_io_wide_tables.py); issue 23: calls with no readable time (summarise --html)
    put("wide_5000.csv", ",".join(wide[:2] + [f"w{i}" for i in range(4998)]) + "\n"
        + ",".join(["1", "07700 900123"] + ["x"] * 4998) + "\n", 1)
    put("calls_no_time.csv", "id,text,from,to,time\n1,a,07700900123,07700900456,never\n"
        "2,b,07700900456,07700900123,31/02/2024 10:00\n", 2)
    return expected


# Commands and whether, on exit 0, they write one output row per input row.
COMMANDS: list[tuple[list[str], bool]] = [
    (["convert", "{f}"], True),
    (["inspect", "{f}"], False),
    (["phones", "normalise", "{f}", "-c", "text"], True),
    (["phones", "extract", "{f}", "-c", "text"], False),
    (["bank", "parse", "{f}"], False),
    (["crypto", "check", "{f}", "-c", "text"], True),
    (["crypto", "find", "{f}", "-c", "text"], False),
    (["translate", "detect", "{f}", "-c", "text"], True),
    (["extract", "{f}", "-c", "text"], False),
    (["vehicles", "normalise", "{f}", "-c", "text"], True),
    (["merge", "stack", "{f}"], True),
    (["merge", "join", "{f}", "{f}", "--on", "id"], False),
    (["merge", "resolve", "{f}", "--id", "phone:text"], True),
    (["summarise", "{f}"], False),
    (["summarise", "--kind", "calls", "{f}"], False),
    (["chart", "{f}", "--link", "id", "text"], False),
    (["sql", "SELECT * FROM t", "t={f}"], False),
    # issue 23: a second output naming the first is refused up front (exit 2) whatever the input
    (["bank", "parse", "{f}", "-o", "{f}.out.csv", "--report", "{f}.out.csv"], False),
    (["summarise", "--kind", "calls", "{f}", "--from", "from", "--to", "to", "--time", "time",
      "--html", "{f}.html", "--force"], False),
]


def args_for(command: list[str], path: str) -> list[str]:
    return [a.replace("{f}", path) for a in command]


def count_csv_rows(text: str) -> int:
    import csv
    import sys

    csv.field_size_limit(sys.maxsize)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return max(len(rows) - 1, 0)


def dump_expected(expected: dict) -> str:
    return json.dumps(expected, indent=1)
