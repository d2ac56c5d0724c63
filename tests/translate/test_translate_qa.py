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


class _EchoingServer:
    """A LibreTranslate-like server whose error answers echo the request body (some proxies and
    older servers do), so a key sent in the body would come back in the error message."""

    def __enter__(self):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, code, payload):
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._send(200, [{"code": c, "name": c, "targets": ["en", "sq", "pl"]}
                                 for c in ("en", "sq", "pl")])

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                self._send(400, {"error": f"Invalid API key: {body}"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_libretranslate_key_echoed_in_an_error_is_masked(tmp_path, cache_dir, monkeypatch):
    key = "QA-SECRET-KEY-0123456789"
    monkeypatch.setenv("TOEX_LIBRETRANSLATE_API_KEY", key)
    src = tmp_path / "msgs.csv"
    src.write_text(TEXTS, encoding="utf-8")
    with _EchoingServer() as url:
        r = run_cli(["translate", src, "-c", "text", "--url", url, "--retries", "0"])
    assert r.exit_code == 0, r.stderr
    assert "error: HTTP 400" in r.stdout            # the failure is still reported per row
    assert key not in r.stdout and key not in r.stderr


def test_detect_on_a_long_cell_without_spaces_does_not_hang():
    # the noise filter's e-mail pattern backtracked quadratically on one long token
    # (100,000 characters took ~20 s, a 500,000-character cell minutes)
    import time

    import pandas as pd

    from toexcli.translate import detect_languages

    df = pd.DataFrame({"text": ["0x" + "a" * 200_000, "Ku je tani? Më thirr sa më shpejt."]},
                      dtype="str")
    t = time.process_time()  # CPU time: a loaded machine must not fail this, a hang still does
    out = detect_languages(df, "text", languages="sq,en")
    assert time.process_time() - t < 30
    assert out["text_lang"].tolist()[1] == "sq"
