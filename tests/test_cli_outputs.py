"""Commands with more than one output (issue 23).

* Two outputs naming one file (the same name, another spelling, a symlink, a hard link) are a
  usage error (exit 2) before anything is read or written, in every such command.
* ``bank parse`` / ``calls parse`` / ``messages parse`` write ``--report`` atomically and only
  after ``-o``: a refused ``-o`` leaves no report.
* ``summarise -o`` takes ``--excel-safe``; ``summarise --html`` with no readable time draws a
  note instead of failing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import run_cli, run_toex

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BANK = str(EXAMPLES / "bank_monzo.csv")
PEOPLE = "name,phone\nA N Other,07700 900123\nA Person,07700 900123\n"

# (command before the outputs, first output option, second output option, table extension)
COMMANDS = [
    (["bank", "parse", BANK], "-o", "--report", ".csv"),
    (["calls", "parse", str(EXAMPLES / "calls_return_t.csv")], "-o", "--report", ".csv"),
    (["messages", "parse", str(EXAMPLES / "case_chat.txt")], "-o", "--report", ".csv"),
    (["summarise", BANK], "-o", "--html", ".csv"),
    (["timeline", BANK], "-o", "--html", ".csv"),
    (["timeline", BANK], "--i2", "--timesketch", ".csv"),
    (["merge", "resolve", "{people}", "--id", "phone:phone"], "-o", "--entities", ".csv"),
    (["merge", "resolve", "{people}", "--id", "phone:phone"], "--entities", "--ignored", ".csv"),
    (["chart", "{people}", "--link", "name", "phone"], "-o", "--nodes", ".csv"),
    (["chart", "{people}", "--link", "name", "phone"], "--nodes", "--i2-events", ".csv"),
]
IDS = [f"{' '.join(c[0][:2])} {a} {b}" for c, a, b, _ in COMMANDS]


def _args(cmd, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE)
    return [a.replace("{people}", str(people)) for a in cmd]


def _left(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir() if p.name != "people.csv")


@pytest.mark.parametrize("cmd,first,second,ext", COMMANDS, ids=IDS)
def test_one_file_named_twice_is_refused_before_anything_is_written(tmp_path, cmd, first, second, ext):
    target = tmp_path / f"out{ext}"
    r = run_cli([*_args(cmd, tmp_path), first, str(target), second, str(target)])
    assert r.exit_code == 2, r.stderr
    assert "name the same file" in r.stderr
    assert _left(tmp_path) == []  # nothing written, no .part left


@pytest.mark.parametrize("cmd,first,second,ext", COMMANDS[:1] + COMMANDS[3:4] + COMMANDS[6:7],
                         ids=IDS[:1] + IDS[3:4] + IDS[6:7])
def test_other_spellings_symlinks_and_hard_links_are_the_same_file(tmp_path, monkeypatch, cmd, first,
                                                                    second, ext):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    spellings = [(f"out{ext}", f"./sub/../out{ext}"), (f"out{ext}", str(tmp_path / f"out{ext}"))]
    os.symlink(f"real{ext}", f"link{ext}")  # dangling: the output does not exist yet
    spellings.append((f"real{ext}", f"link{ext}"))
    (tmp_path / f"old{ext}").write_text("x\n")
    os.link(f"old{ext}", f"hard{ext}")
    spellings.append((f"old{ext}", f"hard{ext}"))
    for a, b in spellings:
        r = run_cli([*_args(cmd, tmp_path), first, a, second, b, "--force"])
        assert r.exit_code == 2, (a, b, r.stderr)
        assert "name the same file" in r.stderr
    assert not (tmp_path / f"out{ext}").exists() and not (tmp_path / f"real{ext}").exists()
    assert (tmp_path / f"old{ext}").read_text() == "x\n"


def test_different_files_and_the_null_device_are_fine(tmp_path):
    r = run_cli(["bank", "parse", BANK, "-o", tmp_path / "tx.csv", "--report", tmp_path / "r.json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads((tmp_path / "r.json").read_text())[0]["transactions"] == 3
    r = run_cli(["bank", "parse", BANK, "-o", os.devnull, "--report", os.devnull, "--force"])
    assert r.exit_code == 0, r.stderr


def test_two_table_outputs_to_stdout_are_refused(tmp_path):
    r = run_cli(["timeline", BANK, "--i2", "-", "--timesketch", "-"])
    assert r.exit_code == 2 and "standard output" in r.stderr


@pytest.mark.parametrize("cmd", [c for c, first, *_ in COMMANDS if first == "-o" and "--report" in _],
                         ids=["bank", "calls", "messages"])
def test_report_is_written_only_after_o_is_accepted(tmp_path, cmd):
    report = tmp_path / "report.json"
    existing = tmp_path / "tx.csv"
    existing.write_text("keep me\n")
    for bad in (existing, tmp_path / "tx.unknown", tmp_path / "missing" / "tx.csv"):
        r = run_cli([*cmd, "-o", bad, "--report", report])
        assert r.exit_code == 2, (bad, r.stderr)
        assert not report.exists(), bad  # nothing written when -o is refused
    assert existing.read_text() == "keep me\n"
    # an existing report without --force is refused before the table is written
    report.write_text("old report\n")
    out = tmp_path / "new.csv"
    r = run_cli([*cmd, "-o", out, "--report", report])
    assert r.exit_code == 2 and not out.exists()
    assert report.read_text() == "old report\n"


def test_report_is_atomic_and_replaces_whole_with_force(tmp_path):
    report = tmp_path / "r.json"
    report.write_text("old")
    r = run_cli(["bank", "parse", BANK, "-o", tmp_path / "tx.csv", "--report", report, "--force"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(report.read_text())[0]["layout"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_report_into_a_fifo_is_written_in_place(tmp_path):
    import threading

    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    r = run_cli(["bank", "parse", BANK, "-o", tmp_path / "tx.csv", "--report", fifo, "--force"])
    reader.join(10)
    assert r.exit_code == 0, r.stderr
    assert json.loads(got[0])[0]["transactions"] == 3
    assert fifo.is_fifo()  # never replaced by a regular file


def test_real_process_refuses_a_symlinked_second_output(tmp_path):
    os.symlink(tmp_path / "tx.csv", tmp_path / "report.json")
    p = run_toex(["bank", "parse", BANK, "-o", tmp_path / "tx.csv", "--report", tmp_path / "report.json"])
    assert p.returncode == 2, p.stderr
    assert b"name the same file" in p.stderr and b"Traceback" not in p.stderr
    assert not (tmp_path / "tx.csv").exists()


def test_summarise_o_takes_excel_safe(tmp_path):
    src = tmp_path / "risky.csv"
    src.write_text('id,text\n1,"=HYPERLINK(""http://example.invalid"",""x"")"\n2,-12\n3,@SUM(A1)\n')
    out = tmp_path / "profile.csv"
    r = run_cli(["summarise", src, "-o", out, "--excel-safe"])
    assert r.exit_code == 0, r.stderr
    text = out.read_text()
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    assert "'-12" not in text and "-12" in text  # a plain number stays a number
    assert "--excel-safe: prefixed" in r.stderr
    book = tmp_path / "profile.xlsx"
    r = run_cli(["summarise", src, "-o", book, "--excel-safe"])
    assert r.exit_code == 0, r.stderr
    from openpyxl import load_workbook

    cells = [c.value for ws in load_workbook(book) for row in ws.iter_rows() for c in row]
    assert "'@SUM(A1)" in cells and "@SUM(A1)" not in cells
    plain = tmp_path / "plain.csv"
    assert run_cli(["summarise", src, "-o", plain]).exit_code == 0
    assert "'=HYPERLINK" not in plain.read_text()  # without the option: as it was


def test_summarise_html_with_no_readable_time(tmp_path):
    src = tmp_path / "calls.csv"
    src.write_text("from,to,time,duration\n07700900123,07700900456,not a time,10\n"
                   "07700900456,07700900123,31/02/2024 10:00,5\n")
    html = tmp_path / "r.html"
    r = run_cli(["summarise", "--kind", "calls", src, "--from", "from", "--to", "to", "--time", "time",
                 "--html", html])
    assert r.exit_code == 0, r.stderr
    page = html.read_text()
    assert "2 records without a readable time" in page
    assert "no record with a readable time, nothing to draw" in page
    from toexcli.summarise.html import svg_bars

    assert "<svg" not in svg_bars([], [], title="records per day")
    assert "<svg" in svg_bars([1, 2], ["a", "b"])
