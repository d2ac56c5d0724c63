"""QA findings on the foundation (convert, inspect, streaming commands): each test is a defect
that was found by using the CLI as an analyst would, and stays as a regression test."""

import os
import subprocess

import pyarrow.parquet as pq

from conftest import TOEX, run_cli


def shell(cmd, cwd, timeout=60):
    env = dict(os.environ, PATH=os.path.dirname(TOEX) + os.pathsep + os.environ["PATH"])
    return subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=cwd, capture_output=True,
                          env=env, timeout=timeout)


def test_header_only_csv_keeps_its_columns_on_stdout(tmp_path):
    # A statement or call record with no rows still tells the analyst which columns it has.
    (tmp_path / "h.csv").write_text("Caller,Callee\n", encoding="utf-8")
    r = run_cli(["convert", str(tmp_path / "h.csv")])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ['"Caller","Callee","_source","_row"']


def test_header_only_csv_keeps_its_columns_in_parquet(tmp_path):
    (tmp_path / "h.csv").write_text("Caller,Callee\n", encoding="utf-8")
    r = run_cli(["convert", str(tmp_path / "h.csv"), "-o", str(tmp_path / "h.parquet")])
    assert r.exit_code == 0, r.stderr
    assert pq.read_schema(tmp_path / "h.parquet").names == ["Caller", "Callee", "_source", "_row"]


def test_header_only_csv_through_phones_normalise_gives_the_new_columns(tmp_path):
    (tmp_path / "h.csv").write_text("Caller,Callee\n", encoding="utf-8")
    r = run_cli(["phones", "normalise", str(tmp_path / "h.csv"), "-c", "Caller"])
    assert r.exit_code == 0, r.stderr
    header = r.stdout.splitlines()[0]
    assert header.startswith('"Caller","Caller_e164","Caller_valid","Caller_status"')


def test_inspect_into_head_exits_0(tmp_path):
    # `toex inspect big.csv | head` must end quietly AND successfully (pipefail scripts).
    with open(tmp_path / "big.csv", "w") as fh:
        fh.write("n,v\n")
        for i in range(300_000):
            fh.write(f"{i:08d},value {i}\n")
    r = shell("toex inspect big.csv --sample 2000 | head -2", tmp_path)
    assert r.returncode == 0, r.stderr
    assert b"Traceback" not in r.stderr


def test_bom_then_cp1252_bytes_error_then_hinted_encoding_gives_clean_header(tmp_path):
    # Excel's "CSV UTF-8" BOM followed by a Windows £ byte: toex stops and says to give
    # --encoding; doing so must not leave the BOM glued to the first column name.
    (tmp_path / "s.csv").write_bytes(b"\xef\xbb\xbfName,Amount\r\nAlice,\xa31.50\r\n")
    r = run_cli(["convert", str(tmp_path / "s.csv")])
    assert r.exit_code == 1 and "line 2" in r.stderr and "--encoding" in r.stderr
    for enc in ("cp1252", "latin-1"):
        r = run_cli(["convert", str(tmp_path / "s.csv"), "--encoding", enc])
        assert r.exit_code == 0, r.stderr
        assert r.stdout.splitlines()[:2] == ['"Name","Amount","_source","_row"',
                                             f'"Alice","£1.50","{tmp_path / "s.csv"}",1']


def test_unnamed_last_column_with_data_is_kept_not_refused(tmp_path):
    # An export whose last column has values but no header name: the column is kept (named
    # column_N like a blank header in the middle), not refused as "3 fields where the header has 2".
    (tmp_path / "n.csv").write_text("Phone,Other,\n07700900123,07700900124,note\n", encoding="utf-8")
    r = run_cli(["convert", str(tmp_path / "n.csv")])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[:2] == ['"Phone","Other","column_3","_source","_row"',
                                         f'"07700900123","07700900124","note","{tmp_path / "n.csv"}",1']


def test_trailing_comma_export_still_has_no_extra_column(tmp_path):
    (tmp_path / "t.csv").write_text("Phone,Other,\n07700900123,07700900124,\n", encoding="utf-8")
    r = run_cli(["convert", str(tmp_path / "t.csv")])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == '"Phone","Other","_source","_row"'


def test_parquet_double_phone_written_to_csv_keeps_every_digit_in_plain_text(tmp_path):
    # A Parquet phone column stored as a double: CSV output must not be '4.4770090015e+11',
    # which toex phones then (rightly, by its policy) rejects as rounded scientific notation.
    import pyarrow as pa

    pq.write_table(pa.table({"ph": pa.array([447700900150.0, 7700900123.0, None, 1.5, -2.0, 1e300])}),
                   tmp_path / "t.parquet")
    r = run_cli(["convert", str(tmp_path / "t.parquet"), "--no-provenance"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ['"ph"', '"447700900150"', '"7700900123"', "", '"1.5"', '"-2"',
                                     '"1e+300"']
    r = shell(f"toex convert {tmp_path / 't.parquet'} | toex phones normalise -c ph | head -2", tmp_path)
    assert r.returncode == 0, r.stderr
    assert ',"+447700900150",' in r.stdout.decode()


def test_unclosed_quote_is_reported_not_swallowing_the_rest_of_the_file(tmp_path):
    # A stray opening quote made every later row part of one cell, silently (exit 0, rows lost
    # as rows). It must stop with the line where the quote opens.
    (tmp_path / "q.csv").write_text('a,b\n1,2\n"unterminated,2\n3,4\n5,6\n', encoding="utf-8")
    r = run_cli(["convert", str(tmp_path / "q.csv"), "-o", str(tmp_path / "q.parquet")])
    assert r.exit_code == 1 and "line 3" in r.stderr and "quote" in r.stderr, r.stderr
    assert not (tmp_path / "q.parquet").exists()
    (tmp_path / "q1.csv").write_text('a\nx\n"y\nz\n', encoding="utf-8")  # one column: Arrow accepts it
    r = run_cli(["convert", str(tmp_path / "q1.csv")])
    assert r.exit_code == 1 and "line 3" in r.stderr and "quote" in r.stderr, r.stderr


def test_balanced_and_stray_quotes_still_read(tmp_path):
    # Quoted newlines, escaped "" and a stray inch mark inside an unquoted field are all fine.
    (tmp_path / "ok.csv").write_text('a,b\n"x\ny","say ""hi"""\n5\'11",tall\n', encoding="utf-8")
    r = run_cli(["convert", str(tmp_path / "ok.csv"), "--no-provenance"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout == '"a","b"\n"x\ny","say ""hi"""\n"5\'11""","tall"\n'


def test_output_folder_that_cannot_be_written_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    # e.g. -o onto a read-only evidence drive: one line naming the file, exit 2, no traceback.
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    (tmp_path / "a.csv").write_text("a\n1\n", encoding="utf-8")
    r = run_cli(["convert", str(tmp_path / "a.csv"), "-o", str(tmp_path / "b.csv")])
    assert r.exit_code == 2 and "b.csv" in r.stderr and "Permission denied" in r.stderr, r.stderr


def test_unwritable_output_real_process_has_no_traceback(tmp_path):
    (tmp_path / "a.csv").write_text("a\n1\n", encoding="utf-8")
    r = shell("toex convert a.csv -o /proc/toex_qa.csv", tmp_path)
    assert r.returncode == 2 and b"Traceback" not in r.stderr, r.stderr
    assert r.stderr.decode().strip().count("\n") == 0


def test_disk_full_is_one_line_not_a_traceback(tmp_path):
    (tmp_path / "a.csv").write_text("a\n1\n", encoding="utf-8")
    r = shell("toex convert a.csv > /dev/full", tmp_path)
    assert r.returncode == 1 and b"Traceback" not in r.stderr, r.stderr
    assert b"No space left" in r.stderr and r.stderr.decode().strip().count("\n") == 0


def test_parquet_with_list_and_struct_columns_reads_them_as_json_text(tmp_path):
    # A Parquet from another pipeline with list/struct columns crashed convert, inspect,
    # phones and merge (Arrow cannot cast a list to text). Read them as JSON text, as JSONL does.
    import pyarrow as pa

    pq.write_table(pa.table({"ph": pa.array([7700900123, 7700900150], pa.int64()),
                             "tags": pa.array([["a", "b"], None]),
                             "st": pa.array([{"x": 1}, {"x": 2}])}), tmp_path / "n.parquet")
    r = run_cli(["convert", str(tmp_path / "n.parquet"), "--no-provenance"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ['"ph","tags","st"', '7700900123,"[""a"", ""b""]","{""x"": 1}"',
                                     '7700900150,,"{""x"": 2}"']
    for args in (["inspect", str(tmp_path / "n.parquet")],
                 ["phones", "normalise", str(tmp_path / "n.parquet"), "-c", "ph"],
                 ["merge", "stack", str(tmp_path / "n.parquet")]):
        r = run_cli(args)
        assert r.exit_code == 0, (args, r.stderr)


def test_unknown_encoding_name_is_a_usage_error_not_a_traceback(tmp_path):
    (tmp_path / "a.csv").write_text("a\n1\n", encoding="utf-8")
    r = run_cli(["convert", str(tmp_path / "a.csv"), "--encoding", "foo"])
    assert r.exit_code == 2 and "--encoding" in r.stderr and "foo" in r.stderr, r.stderr


def test_name_value_option_with_an_empty_side_is_a_usage_error():
    # `--rename Name=` used to rename the column to "" (a nameless column in the output).
    import pytest

    from toexcli.cliutil import parse_pairs
    from toexcli.errors import UsageError

    assert parse_pairs(["a=b, c = d"], "--rename") == {"a": "b", "c": "d"}
    for bad in ("Name=", "=x", " = "):
        with pytest.raises(UsageError, match="--rename"):
            parse_pairs([bad], "--rename")
