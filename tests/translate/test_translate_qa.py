"""QA findings for `toex translate`: nothing is sent when the output cannot be written, and a
repeated -c is refused instead of silently using only the last column."""

from __future__ import annotations

from conftest import run_cli
from translate_fakes import cache_dir, libre  # noqa: F401 - fixtures

TEXTS = "id,text,note\n1,Ku je tani? Më thirr sa më shpejt.,x\n2,Gdzie jesteś? Zadzwoń do mnie.,y\n"


def test_existing_output_is_refused_before_any_text_is_sent(tmp_path, libre, cache_dir):
    url, state = libre
    src = tmp_path / "msgs.csv"
    src.write_text(TEXTS, encoding="utf-8")
    out = tmp_path / "translated.csv"
    out.write_text("earlier work\n")
    r = run_cli(["translate", src, "-c", "text", "--url", url, "-o", out])
    assert r.exit_code == 2
    assert "already exists" in r.stderr
    assert state.translate_posts() == []          # the messages never left the machine
    assert out.read_text() == "earlier work\n"


def test_unknown_output_format_is_refused_before_any_text_is_sent(tmp_path, libre, cache_dir):
    url, state = libre
    src = tmp_path / "msgs.csv"
    src.write_text(TEXTS, encoding="utf-8")
    r = run_cli(["translate", src, "-c", "text", "--url", url, "-o", tmp_path / "t.docx"])
    assert r.exit_code == 2
    assert state.translate_posts() == []


def test_repeated_column_is_refused_not_silently_dropped(tmp_path, cache_dir):
    src = tmp_path / "msgs.csv"
    src.write_text(TEXTS, encoding="utf-8")
    for cmd in (["translate", "detect"], ["translate"]):
        r = run_cli([*cmd, src, "-c", "text", "-c", "note"])
        assert r.exit_code == 2, (cmd, r.stdout, r.stderr)
        assert "one column" in r.stderr
        assert r.stdout == ""
