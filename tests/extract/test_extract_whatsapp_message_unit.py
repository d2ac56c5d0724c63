"""Issue 19: in a raw WhatsApp export a sort code and account split over the lines of one
message were missed when each line was a row; parsed with `toex messages`, the message is the
unit and the pair is found."""

from __future__ import annotations

import csv
import io

from conftest import run_toex

CHAT = ("14/03/2025, 20:55 - Dardan: pay the rent here\n"
        "20-00-00\n"
        "55779911\n"
        "14/03/2025, 20:57 - Luan: ok\n")


def test_sort_code_and_account_over_lines_of_one_message(tmp_path):
    src = tmp_path / "chat.txt"
    src.write_text(CHAT, encoding="utf-8")
    parsed = run_toex(["messages", "parse", src])
    assert parsed.returncode == 0, parsed.stderr.decode()
    p = run_toex(["extract", "-", "-c", "text", "--kinds", "sortcode_account", "-k", "sender"],
                 input=parsed.stdout)
    assert p.returncode == 0, p.stderr.decode()
    hits = list(csv.DictReader(io.StringIO(p.stdout.decode())))
    assert [(h["sender"], h["normalised"]) for h in hits] == [("Dardan", "20-00-00 55779911")]
