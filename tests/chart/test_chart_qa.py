"""QA findings on toex chart, found by using the CLI as an analyst would; each stays as a
regression test."""

from conftest import run_cli

CALLS = "Caller,Callee\n07700 900123,07700900150\n07700900150,07700 900188\n"


def test_existing_nodes_file_is_refused_before_anything_is_written(tmp_path):
    # --nodes names a file that exists: stop before writing the links file, so a re-run with
    # the same command is not then refused on the links file it half-wrote.
    (tmp_path / "calls.csv").write_text(CALLS, encoding="utf-8")
    (tmp_path / "nodes.csv").write_text("keep\n", encoding="utf-8")
    r = run_cli(["chart", str(tmp_path / "calls.csv"), "--link", "Caller", "Callee",
                 "-o", str(tmp_path / "links.csv"), "--nodes", str(tmp_path / "nodes.csv")])
    assert r.exit_code == 2 and "already exists" in r.stderr
    assert not (tmp_path / "links.csv").exists()
    assert (tmp_path / "nodes.csv").read_text() == "keep\n"


def test_unparseable_scientific_phone_keeps_its_decimal_point(tmp_path):
    # A rounded Excel value '7.7009E+09' is no phone number; its node must not be keyed as
    # '77009E+09' (a value that is not in the evidence, and the same key as '77.009E+09').
    (tmp_path / "c.csv").write_text("A,B\n07700900123,7.7009E+09\n07700900123,77.009E+09\n",
                                    encoding="utf-8")
    r = run_cli(["chart", str(tmp_path / "c.csv"), "--link", "A", "B", "--type", "A=phone",
                 "--type", "B=phone", "-o", str(tmp_path / "l.csv"),
                 "--nodes", str(tmp_path / "n.csv")])
    assert r.exit_code == 0, r.stderr
    nodes = (tmp_path / "n.csv").read_text(encoding="utf-8")
    assert '"phone:7.7009E+09"' in nodes and '"phone:77.009E+09"' in nodes


def test_unwritable_output_folder_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    (tmp_path / "calls.csv").write_text(CALLS, encoding="utf-8")
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    for ext in ("html", "graphml", "gexf"):
        r = run_cli(["chart", str(tmp_path / "calls.csv"), "--link", "Caller", "Callee",
                     "-o", str(tmp_path / f"c.{ext}")])
        assert r.exit_code == 2 and "Permission denied" in r.stderr, r.stderr


def test_i2_link_time_is_blank_when_only_a_date_is_known(tmp_path):
    # A date-only column must not give i2 an invented 00:00:00 time for the contact
    # (First Date already shows such a date without a time).
    (tmp_path / "tx.csv").write_text("payer,payee,date\n40-47-78 12345678,20-00-00 11223344,05/01/2024\n",
                                     encoding="utf-8")
    r = run_cli(["chart", str(tmp_path / "tx.csv"), "--link", "payer", "payee", "--type",
                 "payer=account", "--type", "payee=account", "--date", "date", "--i2"])
    assert r.exit_code == 0, r.stderr
    row = r.stdout.splitlines()[1]
    assert '"2024-01-05","",' in row and "00:00:00" not in row
