"""QA findings on toex merge, found by using the CLI as an analyst would; each stays as a
regression test."""

import os
import pty
import subprocess

import pytest

from conftest import TOEX


@pytest.mark.parametrize("args", [["merge", "stack"], ["merge", "resolve", "--id", "phone:Phone"]])
def test_no_input_on_a_terminal_gives_hint_not_hang(args):
    # Like every other command: no file and stdin a terminal -> exit 2 at once with a hint.
    master, slave = pty.openpty()
    try:
        r = subprocess.run([TOEX, *args], stdin=slave, capture_output=True, timeout=20)
    finally:
        os.close(master)
        os.close(slave)
    assert r.returncode == 2 and b"standard input is a terminal" in r.stderr, r.stderr


def test_stack_mixed_types_gives_the_same_text_as_convert(tmp_path):
    # A Parquet phone column stored as a double stacked with a CSV's text column: the number is
    # written as toex convert writes it (7700900123), never with a manufactured Excel '.0'.
    import pyarrow as pa
    import pyarrow.parquet as pq

    from conftest import run_cli

    pq.write_table(pa.table({"msisdn": pa.array([7700900123.0, None]),
                             "amount": pa.array([1.5, 2.0])}), tmp_path / "t.parquet")
    (tmp_path / "s.csv").write_text("msisdn,amount\n07700900150,3\n", encoding="utf-8")
    inputs = [str(tmp_path / "t.parquet"), str(tmp_path / "s.csv")]
    stacked = run_cli(["merge", "stack", *inputs])
    converted = run_cli(["convert", *inputs])
    assert stacked.exit_code == 0, stacked.stderr
    assert stacked.stdout == converted.stdout
    assert '"7700900123","1.5"' in stacked.stdout and '"2"' in stacked.stdout


def test_excel_float_phone_gets_the_same_key_as_toex_phones():
    # '7700900123.0' is Excel's float damage of 07700 900123 (README, phones policy rule 3).
    # Collapsing separators must not turn its '.' into a digit run '77009001230' (+7 700...).
    import pandas as pd

    from toexcli.merge.keys import identifier_keys
    from toexcli.phones import normalise_one

    values = pd.Series(["7700900123.0", "07700 900123", "7700900123.00", "447700900150.0"],
                       dtype="str")
    keys = identifier_keys(values, "phone").tolist()
    assert keys == [normalise_one(v).e164 for v in values]
    assert keys[:3] == ["+447700900123"] * 3


def test_join_on_excel_float_phone_matches_the_real_number(tmp_path):
    from conftest import run_cli

    (tmp_path / "l.csv").write_text("ph\n7700900123.0\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("Phone,who\n07700 900123,Alice\n", encoding="utf-8")
    r = run_cli(["merge", "join", str(tmp_path / "l.csv"), str(tmp_path / "r.csv"),
                 "--on", "ph=Phone", "--as", "phone"])
    assert r.exit_code == 0, r.stderr
    assert '"+447700900123","phone","100",1' in r.stdout and "Alice" in r.stdout


def test_stack_mixed_types_large_double_phone_is_plain_digits(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from conftest import run_cli

    pq.write_table(pa.table({"ph": pa.array([447700900150.0])}), tmp_path / "t.parquet")
    (tmp_path / "s.csv").write_text("ph\n07700900150\n", encoding="utf-8")
    r = run_cli(["merge", "resolve", str(tmp_path / "t.parquet"), str(tmp_path / "s.csv"),
                 "--id", "phone:ph"])
    assert r.exit_code == 0, r.stderr
    rows = r.stdout.splitlines()
    assert rows[1].startswith('"447700900150","E000001",2,"phone:+447700900150"')
    assert rows[2].startswith('"07700900150","E000001",2,"phone:+447700900150"')


def test_group_help_shows_a_worked_example():
    from conftest import run_cli

    r = run_cli(["merge", "--help"])
    assert r.exit_code == 0 and "Examples" in r.stdout and "toex merge resolve" in r.stdout


@pytest.mark.parametrize("args", [["merge", "stack", "-", "-"],
                                  ["merge", "join", "-", "-", "--on", "a"],
                                  ["merge", "resolve", "-", "-", "--id", "phone:a"]])
def test_stdin_named_twice_is_a_usage_error(args):
    # '-' twice cannot work (stdin is read once): say so (exit 2), not "standard input is empty".
    from conftest import run_cli

    r = run_cli(args, input="a\n07700900123\n")
    assert r.exit_code == 2 and "only once" in r.stderr, r.stderr


def test_join_input_that_already_has_join_columns_is_a_clear_error_not_a_traceback(tmp_path):
    # e.g. joining the output of an earlier join again, or a sheet with its own 'match_score'.
    from conftest import run_cli

    (tmp_path / "l.csv").write_text("Phone,match_score\n07700900123,high\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("Phone Number,who\n07700 900123,Alice\n", encoding="utf-8")
    r = run_cli(["merge", "join", str(tmp_path / "l.csv"), str(tmp_path / "r.csv"),
                 "--on", "Phone=Phone Number", "--as", "phone"])
    assert r.exit_code == 2 and "match_score" in r.stderr and "l.csv" in r.stderr, r.stderr


def test_dedupe_twice_is_a_clear_error_not_a_traceback(tmp_path):
    from conftest import run_cli

    (tmp_path / "d.csv").write_text("Phone,_seen_in,_seen_count\n07700900123,a.csv:1,1\n",
                                    encoding="utf-8")
    r = run_cli(["merge", "stack", str(tmp_path / "d.csv"), "--dedupe", "Phone"])
    assert r.exit_code == 2 and "_seen_in" in r.stderr, r.stderr


def test_judgement_by_base_name_shared_by_two_inputs_is_refused_not_guessed(tmp_path):
    # a/c.csv and b/c.csv both have row 1: 'c.csv:1' must not silently mean the first one.
    from conftest import run_cli

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "c.csv").write_text("Name,Phone\nAl,07700900123\nBo,07700900123\n")
    (tmp_path / "b" / "c.csv").write_text("Name,Phone\nCy,07700900124\n")
    (tmp_path / "j.csv").write_text("record_a,record_b,decision\nc.csv:1,c.csv:2,different\n")
    args = ["merge", "resolve", str(tmp_path / "a" / "c.csv"), str(tmp_path / "b" / "c.csv"),
            "--id", "phone:Phone", "--judgements", str(tmp_path / "j.csv")]
    r = run_cli(args)
    assert r.exit_code == 1 and "c.csv:1" in r.stderr and "ambiguous" in r.stderr, r.stderr
    # the full name as in _source still works, and an unambiguous base name too
    (tmp_path / "j.csv").write_text("record_a,record_b,decision\n"
                                    f"{tmp_path / 'a' / 'c.csv'}:1,c.csv:2,different\n")
    r = run_cli(args)
    assert r.exit_code == 0, r.stderr
