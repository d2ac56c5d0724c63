"""Robustness of the reader/writer layer (issues 21, 22, 23): one test per point.

Public files from other CSV tools' suites are in tests/io/data/public (README cites them).
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import TOEX, run_cli, run_toex
from terminal_signals import as_from_a_terminal

PUBLIC = Path(__file__).parent / "data" / "public"
GOOD = "id,text\n1,call 07700 900123\n2,hello\n"

csv.field_size_limit(sys.maxsize)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# `toex convert FILE`: (exit code, data rows). Refusals are bad data the file really has.
PUBLIC_EXPECTED = {
    "csvkit_bad.csv": (1, 0),  # a row longer than the header (kept with --ragged, below)
    "csvkit_blanks.csv": (0, 1),
    "csvkit_mac_newlines.csv": (0, 2),  # lone CR line ends
    "csvkit_null_byte.csv": (0, 1),
    "csvkit_test_empty_columns_long_row.csv": (0, 1),
    "csvkit_test_header_newline.csv": (0, 1),  # a quoted line break in the header
    "csvkit_test_latin1.csv": (0, 2),
    "csvkit_test_skip_lines.csv": (0, 1),  # leading blank lines
    "csvkit_test_utf16_little.csv": (0, 2),
    "csvlint_cr-line-endings.csv": (0, 2),
    "csvlint_inconsistent-line-endings-unquoted.csv": (0, 2),
    "csvlint_inconsistent-line-endings.csv": (0, 2),
    "csvlint_invalid-byte-sequence.csv": (0, 23),  # cp1252
    "csvlint_title-row.csv": (0, 3),
    "csvlint_windows-line-endings.csv": (0, 1),
    "messytables_complex.csv": (1, 0),  # a long row (kept with --ragged)
    "messytables_null.csv": (0, 9),
    "messytables_skip_initials.csv": (0, 2),
    "messytables_small.csv": (0, 0),
    "messytables_utf8bom.csv": (0, 0),
    "messytables_weird_head_padding.csv": (1, 0),  # title lines above the header: --skip
    "spectrum_comma_in_quotes.csv": (0, 1),
    "spectrum_empty.csv": (0, 2),
    "spectrum_empty_crlf.csv": (0, 2),
    "spectrum_escaped_quotes.csv": (0, 2),
    "spectrum_json.csv": (0, 1),
    "spectrum_location_coordinates.csv": (0, 1),
    "spectrum_newlines.csv": (0, 3),
    "spectrum_newlines_crlf.csv": (0, 3),
    "spectrum_quotes_and_newlines.csv": (0, 2),
    "spectrum_simple.csv": (0, 1),
    "spectrum_simple_crlf.csv": (0, 1),
    "spectrum_utf8.csv": (0, 2),
    "csvkit_dummy.xls": (0, 1),
    "csvkit_dummy.xlsx": (0, 1),
    "csvkit_sheets.xlsx": (1, 0),  # first sheet empty: names the sheets with data
    "messytables_simple.xls": (0, 6),
    "messytables_unicode_sheet_name.xls": (0, 0),
    "messytables_blank_line.ods": (0, 4),
    "messytables_multilineods.ods": (0, 0),
    "messytables_badcolspan.html": (0, 3),
    "messytables_complex.html": (0, 2),  # the table nested in a layout table
    "messytables_rowcolspan.html": (0, 9),  # rows longer than the header: _extra_1
    "messytables_simple.zip": (0, 6),  # one-member zip
    "csvkit_dummy.csv.gz": (0, 1),
    "csvkit_dummy.csv.bz2": (0, 1),
    "csvkit_testdbf.dbf": (1, 0),  # refused clearly
    "messytables_simple.psv": (0, 28),
}


@pytest.mark.parametrize("name", sorted(PUBLIC_EXPECTED))
def test_public_files(name):
    code, n = PUBLIC_EXPECTED[name]
    r = run_cli(["convert", PUBLIC / name])
    assert "Traceback" not in r.stderr
    assert r.exit_code == code, r.stderr
    if code == 0:
        assert len(rows_of(r.stdout)) - 1 == n
    else:
        assert r.stderr.count("\n") <= 2 and "toex: error:" in r.stderr


# ---------------------------------------------------------------------------- line endings


def test_lone_cr_line_endings_quoted_or_not(tmp_path):
    f = tmp_path / "mac.csv"
    f.write_bytes(b'id,text\r1,"two\rlines"\r2,plain\r')
    r = run_cli(["convert", f])
    rows = rows_of(r.stdout)
    assert r.exit_code == 0 and rows[1][:2] == ["1", "two\rlines"] and rows[2][:2] == ["2", "plain"]
    r = run_cli(["convert", PUBLIC / "csvkit_mac_newlines.csv"])
    assert rows_of(r.stdout)[1][:3] == ["1", "2", "3"]


def test_one_column_blank_line_is_a_row(tmp_path):
    f = tmp_path / "one.csv"
    f.write_text("text\nhello\n\nworld\n")
    for args in (["convert", f], ["phones", "normalise", f, "-c", "text"],
                 ["translate", "detect", f, "-c", "text"]):
        r = run_cli(args)
        assert r.exit_code == 0 and len(rows_of(r.stdout)) == 4, (args, r.stdout)
    assert [row[0] for row in rows_of(run_cli(["convert", f]).stdout)[1:]] == ["hello", "", "world"]


def test_leading_blank_lines_skipped_without_skip(tmp_path):
    f = tmp_path / "blank.csv"
    f.write_text("\n\n   \nid,text\n1,a\n")
    r = run_cli(["convert", f])
    assert r.exit_code == 0 and rows_of(r.stdout) == [["id", "text", "_source", "_row"], ["1", "a", str(f), "1"]]


def test_header_cell_with_quoted_newline_stays_in_the_header(tmp_path):
    f = tmp_path / "h.csv"
    f.write_text('"first\nname",text\nAnn,a\nBob,b\n')
    rows = rows_of(run_cli(["convert", f]).stdout)
    assert rows[0][:2] == ["first\nname", "text"] and [r[0] for r in rows[1:]] == ["Ann", "Bob"]


def test_very_wide_header_and_very_long_header_name(tmp_path):
    f = tmp_path / "wide.csv"
    names = ["id", "text"] + [f"c{i}" for i in range(100_000)]
    f.write_text(",".join(names) + "\n" + ",".join(["1", "a"] + ["x"] * 100_000) + "\n")
    r = run_toex(["convert", f, "-o", tmp_path / "wide.parquet"])
    assert r.returncode == 0, r.stderr
    t = pq.read_table(tmp_path / "wide.parquet")
    assert t.num_columns == 100_002 + 2 and t.num_rows == 1
    g = tmp_path / "longname.csv"
    g.write_text("id," + "n" * 300_000 + ",text\n1,b,c\n")
    rows = rows_of(run_cli(["convert", g]).stdout)
    assert len(rows[0]) == 5 and rows[1][:3] == ["1", "b", "c"]


def test_ten_megabyte_cell(tmp_path):
    f = tmp_path / "big_cell.csv"
    big = "word " * (2 * 1024 * 1024)
    f.write_text(f'id,text\n1,"{big}"\n2,short\n')
    r = run_toex(["convert", f, "-o", tmp_path / "out.parquet"])
    assert r.returncode == 0, r.stderr
    t = pq.read_table(tmp_path / "out.parquet")
    assert t.column("text").to_pylist() == [big, "short"]
    # the Python fallback (a ragged short row sends the read there) has no field limit either
    f.write_text(f'id,text,x\n1,"{big}"\n2,short\n')
    r = run_cli(["convert", f])
    assert r.exit_code == 0 and rows_of(r.stdout)[1][1] == big


# ---------------------------------------------------------------------------- bad data


def test_nul_only_file_is_bad_data(tmp_path):
    f = tmp_path / "wiped.csv"
    f.write_bytes(b"\x00" * 10_000)
    r = run_cli(["convert", f])
    assert r.exit_code == 1 and "only NUL bytes" in r.stderr


def test_unclosed_quote_in_header_is_bad_data(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text('id,"text\n1,a\n2,b\n')
    r = run_cli(["convert", f])
    assert r.exit_code == 1 and "line 1" in r.stderr and "never closed" in r.stderr


def test_too_many_fields_refused_then_kept_with_ragged(tmp_path):
    f = tmp_path / "long.csv"
    f.write_text("id,text\n1,a\n2,b,note\n")
    r = run_cli(["convert", f])
    assert r.exit_code == 1 and "line 3" in r.stderr and "--ragged" in r.stderr
    r = run_cli(["convert", "--ragged", f])
    assert r.exit_code == 0 and "_extra_1" in r.stderr
    assert rows_of(r.stdout) == [["id", "text", "_extra_1", "_source", "_row"],
                                 ["1", "a", "", str(f), "1"], ["2", "b", "note", str(f), "2"]]


def test_dbf_refused_clearly():
    r = run_cli(["convert", PUBLIC / "csvkit_testdbf.dbf"])
    assert r.exit_code == 1 and "dBase" in r.stderr and "not a table format" in r.stderr


# ---------------------------------------------------------------------------- compressed


@pytest.mark.parametrize("ext,pack", [(".gz", gzip.compress), (".bz2", bz2.compress),
                                      (".xz", lzma.compress)])
def test_compressed_inputs_are_read(tmp_path, ext, pack):
    f = tmp_path / f"calls.csv{ext}"
    f.write_bytes(pack(GOOD.encode()))
    r = run_cli(["convert", f])
    assert r.exit_code == 0 and len(rows_of(r.stdout)) == 3 and rows_of(r.stdout)[1][-2] == str(f)
    r = run_toex(["convert", "-"], input=f.read_bytes())  # from a pipe too
    assert r.returncode == 0 and len(rows_of(r.stdout.decode())) == 3


def test_zip_with_one_member_read_and_with_several_refused(tmp_path):
    one, two = tmp_path / "one.zip", tmp_path / "two.zip"
    with zipfile.ZipFile(one, "w") as z:
        z.writestr("calls.csv", GOOD)
    with zipfile.ZipFile(two, "w") as z:
        z.writestr("a.csv", GOOD)
        z.writestr("b.csv", GOOD)
    assert len(rows_of(run_cli(["convert", one]).stdout)) == 3
    r = run_cli(["convert", two])
    assert r.exit_code == 1 and "a.csv, b.csv" in r.stderr


def test_corrupt_compressed_file_is_bad_data(tmp_path):
    f = tmp_path / "cut.csv.gz"
    f.write_bytes(gzip.compress(GOOD.encode() * 100)[:30])
    r = run_cli(["convert", f])
    assert r.exit_code == 1 and "gzip" in r.stderr


# ---------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_wide_encodings_with_or_without_bom(tmp_path, encoding):
    f = tmp_path / "wide.csv"
    f.write_bytes("id,text\n1,café 07700 900123\n".encode(encoding))
    rows = rows_of(run_cli(["convert", f]).stdout)
    assert rows[1][:2] == ["1", "café 07700 900123"]


# ---------------------------------------------------------------------------- typed pipes


def test_typed_parquet_columns_become_text_losslessly(tmp_path):
    f = tmp_path / "typed.parquet"
    pq.write_table(pa.table({
        "u": pa.array([18446744073709551615, 7], pa.uint64()),
        "blob": pa.array([b"\xff\xfe\x00a", None], pa.binary()),
        "f": pa.array([float("nan"), float("-inf")]),
        "text": ["a", "b"]}), f)
    r = run_cli(["convert", f])
    assert r.exit_code == 0 and "hexadecimal" in r.stderr
    rows = rows_of(r.stdout)
    assert rows[1][:3] == ["18446744073709551615", "fffe0061", "nan"] and rows[2][2] == "-inf"
    for args in (["vehicles", "normalise", f, "-c", "text"], ["merge", "resolve", f, "--id", "phone:text"]):
        r = run_cli(args)
        assert r.exit_code == 0 and rows_of(r.stdout)[1][:3] == ["18446744073709551615", "fffe0061", "nan"]
    r = run_cli(["convert", f, "-o", tmp_path / "out.xlsx"])
    assert r.exit_code == 0, r.stderr
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_index(0).to_python()
    assert sheet[1][:3] == ["18446744073709551615", "fffe0061", "nan"] and sheet[2][2] == "-inf"


# ---------------------------------------------------------------------------- Excel and HTML


def _xlsx(path, sheets):
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                sheet.write_string(i, j, v)
    book.close()


def test_excel_row_longer_than_header_kept_in_extra_column(tmp_path):
    f = tmp_path / "note.xlsx"
    _xlsx(f, {"data": [["id", "text"], ["1", "a", "total 5"], ["2", "b"]]})
    r = run_cli(["convert", f])
    # a sheet is rectangular: the cell sits under a blank header cell, named column_N as in CSV
    assert r.exit_code == 0 and "column_3" in r.stderr
    assert rows_of(r.stdout)[:2] == [["id", "text", "column_3", "_source", "_row"], ["1", "a", "total 5", str(f), "1"]]


def test_html_row_longer_than_header_kept():
    r = run_cli(["convert", PUBLIC / "messytables_rowcolspan.html"])
    assert r.exit_code == 0 and rows_of(r.stdout)[0][-3] == "_extra_1"


def test_empty_chosen_sheet_names_the_sheets_with_data(tmp_path):
    f = tmp_path / "book.xlsx"
    _xlsx(f, {"cover": [], "calls": [["id", "text"], ["1", "a"]], "notes": [["only a title"]]})
    r = run_cli(["convert", f])
    assert r.exit_code == 1 and "sheets with data: calls" in r.stderr and "notes" not in r.stderr
    r = run_cli(["convert", PUBLIC / "csvkit_sheets.xlsx"])
    assert r.exit_code == 1 and "sheets with data: data" in r.stderr
    assert len(rows_of(run_cli(["convert", f, "--sheet", "calls"]).stdout)) == 2


def test_table_nested_in_layout_table():
    rows = rows_of(run_cli(["convert", PUBLIC / "messytables_complex.html"]).stdout)
    assert [r[0] for r in rows] == ["head", "foot", "body"]


# ---------------------------------------------------------------------------- pipes, FIFOs


def test_fifo_input_is_read_once(tmp_path):
    fifo = tmp_path / "calls.csv"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w") as fh:
            fh.write(GOOD)

    t = threading.Thread(target=feed, daemon=True)
    t.start()
    r = run_toex(["convert", fifo], timeout=30)
    t.join(5)
    assert r.returncode == 0, r.stderr
    assert len(rows_of(r.stdout.decode())) == 3 and b"calls.csv" in r.stdout


def test_process_substitution(tmp_path):
    f = tmp_path / "calls.csv"
    f.write_text(GOOD)
    r = subprocess.run(["bash", "-c", f'"{TOEX}" convert <(cat "{f}") <(gzip -c "{f}")'],
                       capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert len(rows_of(r.stdout.decode())) == 5


# ---------------------------------------------------------------------------- output hazards


def test_closed_stdout_is_a_usage_error(tmp_path):
    f = tmp_path / "calls.csv"
    f.write_text(GOOD)
    for extra in ([], ["--to", "xlsx"]):
        r = subprocess.run([TOEX, "convert", str(f), *extra], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), timeout=60)
        assert r.returncode == 2 and b"standard output is closed" in r.stderr and b"Traceback" not in r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_disk_on_stdout_is_one_line(tmp_path):
    f = tmp_path / "calls.csv"
    f.write_text(GOOD * 2000)
    for extra in ([], ["--to", "xlsx"], ["--to", "parquet"]):
        with open("/dev/full", "wb") as full:
            r = subprocess.run([TOEX, "convert", str(f), *extra], stdout=full, stderr=subprocess.PIPE,
                               timeout=60)
        assert r.returncode == 1 and b"No space left" in r.stderr and b"Traceback" not in r.stderr


def test_full_disk_on_output_file(tmp_path, monkeypatch):
    """-o FILE on a full disk: one line, exit 1, no partial file left."""
    import errno

    from toexcli.io import writers

    class Full(io.BytesIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    real_fdopen = os.fdopen
    monkeypatch.setattr(writers.os, "fdopen", lambda fd, mode: (os.close(fd), Full())[1])
    f = tmp_path / "calls.csv"
    f.write_text(GOOD)
    from toexcli.cli import main

    for out in ("out.xlsx", "out.csv", "out.jsonl"):
        code = main(["convert", str(f), "-o", str(tmp_path / out)])
        assert code == 1, out
    monkeypatch.setattr(writers.os, "fdopen", real_fdopen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.csv"]


def test_xlsx_to_a_pipe_closed_early(tmp_path):
    f = tmp_path / "calls.csv"
    f.write_text(GOOD * 5000)
    p = subprocess.Popen([TOEX, "convert", str(f), "--to", "xlsx"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(60) == 0 and b"Traceback" not in err


def test_commands_stop_promptly_when_stdout_closes(tmp_path):
    f = tmp_path / "big.csv"
    with open(f, "w") as fh:
        fh.write("id,text\n")
        for i in range(150_000):
            fh.write(f"{i},call 07700 900{i % 1000:03d} or 020 7946 0{i % 1000:03d}\n")
    for cmd in (["phones", "extract"], ["extract"]):
        start = time.monotonic()
        r = subprocess.run(["bash", "-c", f'"{TOEX}" {" ".join(cmd)} "{f}" -c text | head -1; '
                            'exit ${PIPESTATUS[0]}'], capture_output=True, timeout=120)
        assert r.returncode == 0 and b"Traceback" not in r.stderr, r.stderr
        assert time.monotonic() - start < 60


def test_ctrl_c_early_exits_130_without_traceback(tmp_path):
    f = tmp_path / "big.csv"
    f.write_text("id,text\n" + "".join(f"{i},call 07700 900{i % 1000:03d}\n" for i in range(200_000)))
    # Python's own start-up (before any toex code runs) is out of reach: interrupt after it
    for delay in (1.0, 2.0):
        p = subprocess.Popen([TOEX, "merge", "resolve", str(f), "--id", "phone:text"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             preexec_fn=as_from_a_terminal)
        time.sleep(delay)
        p.send_signal(signal.SIGINT)
        err = p.communicate(timeout=60)[1]
        assert p.returncode in (130, 0) and b"Traceback" not in err, (delay, p.returncode, err[-500:])


# ---------------------------------------------------------------------------- issue 22


def test_foreign_provenance_columns_kept_renamed(tmp_path):
    f = tmp_path / "export.csv"
    f.write_text("_source,_row,a,b\nmy evidence,row seven,1,2\n")
    r = run_cli(["convert", f])
    assert r.exit_code == 0 and "_source_in" in r.stderr
    assert rows_of(r.stdout) == [["_source_in", "_row_in", "a", "b", "_source", "_row"],
                                 ["my evidence", "row seven", "1", "2", str(f), "1"]]
    j = tmp_path / "export.jsonl"
    j.write_text('{"a":"1","_row":"mine","_source":"me"}\n')
    rows = rows_of(run_cli(["convert", j]).stdout)
    assert rows[0] == ["a", "_row_in", "_source_in", "_source", "_row"] and rows[1][:3] == ["1", "mine", "me"]
    lone = tmp_path / "lone.csv"
    lone.write_text("_row,a\n7,x\n")
    assert rows_of(run_cli(["convert", lone]).stdout)[1] == ["7", "x", str(lone), "1"]


def test_toex_own_provenance_from_an_earlier_step_is_kept(tmp_path):
    f = tmp_path / "calls.csv"
    f.write_text(GOOD)
    step1 = tmp_path / "step1.csv"
    step1.write_text(run_cli(["convert", f]).stdout)
    r = run_cli(["convert", step1])
    assert r.exit_code == 0 and "_source_in" not in r.stdout
    assert rows_of(r.stdout)[1][-2:] == [str(f), "1"]


def test_jsonl_deep_nesting_refused_with_line(tmp_path):
    f = tmp_path / "deep.jsonl"
    f.write_text('{"a": "1"}\n{"a": ' + "[" * 5000 + "]" * 5000 + "}\n")
    r = run_cli(["convert", f])
    assert r.exit_code == 1 and "line 2" in r.stderr and "nested" in r.stderr


def test_jsonl_lone_surrogate_written_as_replacement(tmp_path):
    f = tmp_path / "s.jsonl"
    f.write_text('{"a": "bad \\ud800 here", "n": {"k": "\\udc00"}}\n{"a": "pair \\ud83d\\ude00"}\n')
    r = run_cli(["convert", f])
    assert r.exit_code == 0 and "U+FFFD" in r.stderr
    rows = rows_of(r.stdout)
    assert rows[1][0] == "bad \ufffd here" and json.loads(rows[1][1]) == {"k": "\ufffd"}
    assert rows[2][0] == "pair \U0001F600"


# ---------------------------------------------------------------------------- issue 23


def test_repeated_conversions_always_exit_0(tmp_path):
    """pyarrow's reading threads winding down at interpreter exit used to abort (134) at random."""
    f = tmp_path / "calls.csv"
    f.write_text(GOOD * 2000)
    from concurrent.futures import ThreadPoolExecutor

    def once(i):
        return run_toex(["convert", f, "-o", tmp_path / f"o{i}.jsonl"]).returncode

    with ThreadPoolExecutor(2) as pool:
        codes = list(pool.map(once, range(24)))
    assert codes == [0] * 24


def test_duplicate_header_renaming_never_collides_with_a_real_name(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("a,a,a_2\n1,2,3\n")
    assert rows_of(run_cli(["convert", f]).stdout)[:2] == [["a", "a_3", "a_2", "_source", "_row"],
                                                           ["1", "2", "3", str(f), "1"]]


def test_parquet_duplicate_column_names_keep_their_values(tmp_path):
    f = tmp_path / "dup.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array(["1"]), pa.array(["x"])], names=["a", "a"]), f)
    r = run_cli(["convert", f])
    assert rows_of(r.stdout)[:2] == [["a", "a_2", "_source", "_row"], ["1", "x", str(f), "1"]]


def test_small_file_mixing_utf8_and_cp1252_is_refused(tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_bytes("name,text\nJosé,café\n".encode("utf-8") + "Zoë,£5\n".encode("cp1252"))
    r = run_cli(["convert", f])
    assert r.exit_code == 1 and "mixes encodings" in r.stderr and "line 3" in r.stderr
    assert run_cli(["convert", f, "--encoding", "latin-1"]).exit_code == 0


def test_excel_data_under_a_blank_header_cell_is_column_n(tmp_path):
    f = tmp_path / "blank_head.xlsx"
    _xlsx(f, {"data": [["id", "text", ""], ["1", "a", "under blank"]]})
    r = run_cli(["convert", f])
    assert r.exit_code == 0 and rows_of(r.stdout)[:2] == [["id", "text", "column_3", "_source", "_row"],
                                                          ["1", "a", "under blank", str(f), "1"]]


def test_output_to_a_device_or_fifo_writes_into_it(tmp_path):
    f = tmp_path / "calls.csv"
    f.write_text(GOOD)
    before = os.stat("/dev/null")
    r = run_toex(["convert", f, "-o", "/dev/null", "--force"])
    assert r.returncode == 0 and os.stat("/dev/null").st_rdev == before.st_rdev
    import stat

    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    got = []
    t = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
    t.start()
    r = run_toex(["convert", f, "-o", fifo, "--force"], timeout=30)
    t.join(10)
    assert r.returncode == 0 and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert len(rows_of(got[0].decode())) == 3


def test_sigterm_leaves_no_part_file(tmp_path):
    f = tmp_path / "big.csv"
    f.write_text("id,text\n" + "".join(f"{i},call 07700 900{i % 1000:03d}\n" for i in range(300_000)))
    p = subprocess.Popen([TOEX, "phones", "normalise", str(f), "-c", "text", "-o", str(tmp_path / "out.parquet")],
                         stderr=subprocess.PIPE)
    time.sleep(2.0)
    p.send_signal(signal.SIGTERM)
    err = p.communicate(timeout=60)[1]
    assert p.returncode in (143, 0) and b"Traceback" not in err
    if p.returncode == 143:
        assert sorted(x.name for x in tmp_path.iterdir()) == ["big.csv"]


def test_summarise_into_head_exits_0(tmp_path):
    f = tmp_path / "calls.csv"
    f.write_text("id,text\n" + "".join(f"{i},t{i}\n" for i in range(2000)))
    r = subprocess.run(["bash", "-c", f'"{TOEX}" summarise "{f}" | head -1; exit ${{PIPESTATUS[0]}}'],
                       capture_output=True, timeout=60)
    assert r.returncode == 0 and b"Traceback" not in r.stderr


def test_excel_safe_covers_header_names_and_provenance(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "=x.csv").write_text("=cmd,b\n=1+1,-5\n")
    rows = rows_of(run_cli(["convert", "=x.csv", "--excel-safe"]).stdout)
    assert rows[0][0] == "'=cmd" and rows[1] == ["'=1+1", "-5", "'=x.csv", "1"]
