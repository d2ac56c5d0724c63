"""Bad input gives one clear line on stderr, the right exit code, and no traceback."""

import pyarrow as pa
import pytest

from conftest import run_cli, run_toex
from toexcli.errors import UsageError, require_columns


def check(r, code, *words):
    assert r.exit_code == code, (r.exit_code, r.stderr)
    assert "Traceback" not in r.stderr
    for w in words:
        assert w in r.stderr, r.stderr


def test_file_not_found(tmp_path):
    check(run_cli(["convert", str(tmp_path / "nope.csv")]), 2, "nope.csv", "no such file")


def test_directory_given(tmp_path):
    check(run_cli(["convert", str(tmp_path)]), 2, "is a directory")


def test_empty_file(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    check(run_cli(["convert", str(tmp_path / "e.csv")]), 1, "e.csv", "empty")


def test_whitespace_only_file(tmp_path):
    (tmp_path / "w.csv").write_bytes(b"\n\n  \n")
    check(run_cli(["convert", str(tmp_path / "w.csv")]), 1, "empty")


def test_undecodable_bytes_named_with_line_and_offset(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_bytes(b"a,b\n1,2\n3,\x81\x8d\x90\n")  # bytes undefined in both UTF-8 and cp1252
    check(run_cli(["convert", str(p)]), 1, "bad.csv", "line 3", "byte offset 10", "--encoding")


def test_wrong_explicit_encoding(tmp_path):
    p = tmp_path / "w.csv"
    p.write_bytes(b"a\n\xa3\n")
    check(run_cli(["convert", str(p), "--encoding", "utf-8"]), 1, "line 2", "utf-8")


def test_corrupt_parquet(tmp_path):
    p = tmp_path / "c.parquet"
    p.write_bytes(b"PAR1" + b"\x00garbage" * 10)
    check(run_cli(["convert", str(p)]), 1, "c.parquet", "Parquet")


def test_corrupt_xlsx(tmp_path):
    p = tmp_path / "c.xlsx"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    check(run_cli(["convert", str(p)]), 1, "c.xlsx", "Excel")


def test_html_with_no_table(tmp_path):
    p = tmp_path / "page.xlsx"
    p.write_text("<html><body>Session expired</body></html>")
    check(run_cli(["convert", str(p)]), 1, "page.xlsx", "HTML")


def test_unknown_sheet_did_you_mean(tmp_path):
    import xlsxwriter

    p = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("Calls").write_row(0, 0, ["a"])
    wb.close()
    check(run_cli(["convert", str(p), "--sheet", "calls"]), 2, "did you mean 'Calls'")


def test_unknown_input_format(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("a\n1\n")
    check(run_cli(["convert", str(p), "--input-format", "pdf"]), 2, "unknown input format")


def test_too_many_fields_reported_by_line(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("a,b\n1,2\n3,4,5\n")
    check(run_cli(["convert", str(p)]), 1, "m.csv", "line 3", "3 fields")


def test_unclosed_quote(tmp_path):
    p = tmp_path / "q.csv"
    p.write_text('a,b\n1,"unclosed\n2,3\n')
    r = run_cli(["convert", str(p)])
    # the quote swallows the rest of the file: one row, nothing silently dropped or an error
    assert r.exit_code in (0, 1) and "Traceback" not in r.stderr


def test_missing_column_did_you_mean():
    with pytest.raises(UsageError, match="did you mean 'Caller'"):
        require_columns(["Caller", "Callee", "_source"], ["caller"], "calls.csv")


def test_stdin_terminal_gives_hint_not_hang():
    import os
    import pty
    import subprocess

    from conftest import TOEX

    master, slave = pty.openpty()
    try:
        r = subprocess.run([TOEX, "convert"], stdin=slave, capture_output=True, timeout=20)
    finally:
        os.close(master)
        os.close(slave)
    assert r.returncode == 2 and b"standard input is a terminal" in r.stderr


def test_real_process_error_is_one_line(tmp_path):
    r = run_toex(["convert", str(tmp_path / "missing.csv")])
    assert r.returncode == 2
    assert r.stderr.decode().strip().count("\n") == 0 and b"Traceback" not in r.stderr


def test_mixed_encodings_are_reported_not_guessed(tmp_path):
    # UTF-8 'é' in the first lines, a cp1252 '£' byte beyond the first megabyte
    body = "n,v\n1,café\n" + "".join(f"{i},x\n" for i in range(200_000))
    p = tmp_path / "mixed.csv"
    p.write_bytes(body.encode("utf-8") + b"9,\xa35\n")
    check(run_cli(["convert", str(p)]), 1, "mixed.csv", "line 200003", "mixes encodings")
