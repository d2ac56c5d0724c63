"""chart --date through the time model (issue 13 regressions): a Z time never crashes, UTC is
never read as local time, and a file mixing zones orders by the real instant."""

from __future__ import annotations

import csv
import io

from conftest import run_cli, run_toex


def _links(tmp_path, text, *args):
    p = tmp_path / "t.csv"
    p.write_text(text)
    r = run_cli(["chart", p, "--link", "A", "B", "--date", "When", *args])
    assert r.exit_code == 0, r.stderr
    return list(csv.DictReader(io.StringIO(r.stdout)))


def test_z_time_does_not_crash_and_is_shown_in_uk_time(tmp_path):
    links = _links(tmp_path, "A,B,When\n07700900111,07700900222,2024-01-08T10:00:00Z\n"
                             "07700900111,07700900222,2024-04-02T17:57:00Z\n")
    assert len(links) == 1
    assert links[0]["first"].startswith("2024-01-08 10:00")
    assert links[0]["last"].startswith("2024-04-02 18:57")     # 17:57Z is 18:57 BST


def test_mixed_zones_order_by_instant(tmp_path):
    links = _links(tmp_path, "A,B,When\n"
                             "07700900111,07700900222,2024-04-02T18:30:00+00:00\n"   # 19:30 BST
                             "07700900111,07700900222,2024-04-02T19:00:00+01:00\n"   # 19:00 BST
                             "07700900111,07700900222,02/04/2024 19:10:00\n")        # 19:10 BST
    assert links[0]["first"].startswith("2024-04-02 19:00")
    assert links[0]["last"].startswith("2024-04-02 19:30")


def test_real_process_with_z_times(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("A,B,When\n07700900111,07700900222,2024-01-08T10:00:00Z\n")
    r = run_toex(["chart", p, "--link", "A", "B", "--date", "When"])
    assert r.returncode == 0 and b"Traceback" not in r.stderr
