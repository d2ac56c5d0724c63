"""`toex summarise` on a JSON Lines row with very many keys (issue 23: 100,000 keys took minutes).

The bound is structural: each batch's text columns are examined in one pass over all their
values (not one round of string operations per column), and the terminal lists at most
PLAIN_ROWS columns (rich takes milliseconds a row); -o and --json keep every column.
"""

from __future__ import annotations

import json
import subprocess

import pyarrow as pa
from conftest import TOEX, run_cli

from toexcli.summarise import report, table
from toexcli.summarise.table import ColumnProfile, profile_columns


def _wide(path, n):
    row = {"id": "1", "text": "call 07700 900123"}
    row.update({f"k{i}": ("31/12/2023" if i % 3 == 0 else "07700 900%03d" % (i % 1000) if i % 3 == 1
                          else "1,250.50") for i in range(n)})
    path.write_text(json.dumps(row) + "\n" + json.dumps({"id": "2", "text": "x", "k0": "01/01/2024"}) + "\n")


def test_one_detection_pass_per_batch_however_many_columns(tmp_path, monkeypatch):
    calls = []
    real = table._detect

    def counting(profiles, *args):
        calls.append(len(profiles))
        return real(profiles, *args)

    monkeypatch.setattr(table, "_detect", counting)
    p = tmp_path / "wide.jsonl"
    _wide(p, 3000)
    r = run_cli(["summarise", p, "--json"])
    assert r.exit_code == 0, r.stderr
    assert calls == [3002]  # one pass, all the columns (was one pass per column)
    cols = {c["name"]: c for c in json.loads(r.stdout)["columns"]}
    assert len(cols) == 3002
    assert cols["k0"]["dates"] == {"count": 2, "min": "2023-12-31T00:00:00", "max": "2024-01-01T00:00:00"}
    assert cols["k1"]["identifier_kinds"] == {"phone": 1}
    assert cols["k2"]["numbers"] == {"count": 1, "min": 1250.5, "max": 1250.5}


def test_columns_examined_together_give_each_column_its_own_figures():
    cols = [pa.array(["a@b.com", "not one", None, " "]), pa.array(["no", "31/12/2023", "x", "31/12/2023"]),
            pa.array(["12", "(3.5)", "07700 900123", "12"]), pa.array([1, 2, None, 4], pa.int64())]
    together = [ColumnProfile(str(i), "string", 100) for i in range(4)]
    profile_columns(together, cols)
    for i, col in enumerate(cols):
        alone = ColumnProfile(str(i), "string", 100)
        alone.add(col)
        assert alone.result(5) == together[i].result(5)
    r = [p.result(5) for p in together]
    assert r[0]["identifier_kinds"] == {"email": 1} and r[0]["non_empty"] == 2
    # a date among values that are not dates is still counted (the parse was aligned on labels)
    assert r[1]["dates"] == {"count": 2, "min": "2023-12-31T00:00:00", "max": "2023-12-31T00:00:00"}
    assert r[2]["numbers"] == {"count": 3, "min": -3.5, "max": 12}
    assert r[2]["identifier_kinds"] == {"phone": 1}
    assert r[3]["numbers"] == {"count": 3, "min": 1, "max": 4}


def test_terminal_lists_the_first_columns_and_says_how_many_more(tmp_path):
    p = tmp_path / "wide.jsonl"
    n = report.PLAIN_ROWS + 300
    _wide(p, n)
    r = run_cli(["summarise", p])
    assert r.exit_code == 0, r.stderr
    assert "+302 more" in r.stdout and "(-o / --json)" in r.stdout
    assert f"k{report.PLAIN_ROWS - 3} " in r.stdout and f"k{n - 1} " not in r.stdout
    out = tmp_path / "profile.csv"
    assert run_cli(["summarise", p, "-o", out]).exit_code == 0
    assert f"k{n - 1}" in out.read_text()


def test_subprocess_pipe_wide_row(tmp_path):
    p = tmp_path / "wide.jsonl"
    _wide(p, 2000)
    r = subprocess.run([TOEX, "summarise", "-", "--json"],
                       input=p.read_bytes(), capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    assert len(json.loads(r.stdout)["columns"]) == 2002
