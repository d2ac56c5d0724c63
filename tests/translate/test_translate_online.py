"""Public services: never without --allow-online; when allowed, wrapped so nothing hangs and no
traceback escapes. Nothing here touches the internet: deep-translator's Google endpoint is
pointed at a local server."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import run_cli
from translate_fakes import cache_dir, no_public_network  # noqa: F401 - fixtures
from toexcli.translate.backends import BackendError, OnlineTranslator, call_with_deadline


@pytest.fixture
def messages(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("id,text\n1,Nuk kam pasaportën time\n2,He still has my passport.\n",
                 encoding="utf-8")
    return p


@pytest.mark.parametrize("backend", ["google", "mymemory", "deepl", "microsoft", "yandex"])
def test_public_backend_refused_without_allow_online(backend, messages, cache_dir,
                                                     no_public_network, monkeypatch):
    monkeypatch.setenv("TOEX_DEEPL_API_KEY", "x")
    r = run_cli(["translate", messages, "-c", "text", "--backend", backend])
    assert r.exit_code == 2
    assert "--allow-online" in r.stderr and "nothing was sent" in r.stderr
    assert r.stdout == ""
    assert not no_public_network  # no connection, not even a DNS lookup


def test_public_libretranslate_host_needs_allow_online(messages, cache_dir, no_public_network):
    r = run_cli(["translate", messages, "-c", "text", "--url", "https://libretranslate.com"])
    assert r.exit_code == 2 and "public LibreTranslate" in r.stderr
    assert not no_public_network


def test_default_and_detect_make_no_connection(messages, cache_dir, no_public_network):
    assert run_cli(["translate", "detect", messages, "-c", "text"]).exit_code == 0
    assert run_cli(["translate", messages, "-c", "text"]).exit_code == 0
    assert not no_public_network


def test_key_required_from_environment(messages, cache_dir, monkeypatch):
    monkeypatch.delenv("TOEX_DEEPL_API_KEY", raising=False)
    r = run_cli(["translate", messages, "-c", "text", "--backend", "deepl", "--allow-online"])
    assert r.exit_code == 2 and "TOEX_DEEPL_API_KEY" in r.stderr


class _Google(BaseHTTPRequestHandler):
    hang = threading.Event()

    def log_message(self, *args):
        pass

    def do_GET(self):
        if "SLOW" in self.path:
            time.sleep(3)
        body = b'<html><div class="result-container">translated by fake google</div></html>'
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the SLOW request's client gave up (what the timeout test wants): no traceback


@pytest.fixture
def fake_google(monkeypatch):
    from deep_translator import constants

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Google)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setitem(constants.BASE_URLS, "GOOGLE_TRANSLATE",
                        f"http://127.0.0.1:{server.server_address[1]}/m")
    yield
    server.shutdown()
    server.server_close()


def test_allowed_online_says_where_and_how_much(messages, cache_dir, fake_google,
                                                no_public_network):
    r = run_cli(["translate", messages, "-c", "text", "--backend", "google", "--allow-online",
                 "--languages", "sq,en"])
    assert r.exit_code == 0, r.stderr
    assert "Google Translate" in r.stderr and "1 distinct texts (23 characters)" in r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows[0]["text_en"] == "translated by fake google"
    assert rows[0]["text_translation_backend"] == "google"
    assert rows[1]["text_translation_status"] == "same_language"
    assert not no_public_network


def test_online_timeout_does_not_hang(messages, cache_dir, fake_google, tmp_path):
    src = tmp_path / "slow.csv"
    src.write_text("text\nNuk kam pasaportën SLOW time\n", encoding="utf-8")
    t0 = time.monotonic()
    r = run_cli(["translate", src, "-c", "text", "--backend", "google", "--allow-online",
                 "--timeout", "0.5", "--retries", "0", "--languages", "sq,en"])
    assert time.monotonic() - t0 < 3
    assert "Traceback" not in r.stderr
    row = list(csv.DictReader(io.StringIO(r.stdout)))[0]
    assert row["text_translation_status"].startswith("error: timed out")


def test_online_host_down_is_clean_error(messages, cache_dir, monkeypatch):
    from deep_translator import constants

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    monkeypatch.setitem(constants.BASE_URLS, "GOOGLE_TRANSLATE", f"http://127.0.0.1:{port}/m")
    r = run_cli(["translate", messages, "-c", "text", "--backend", "google", "--allow-online",
                 "--retries", "0", "--languages", "sq,en"])
    assert r.exit_code == 3
    assert "Traceback" not in r.stderr and "cannot reach" in r.stderr
    row = list(csv.DictReader(io.StringIO(r.stdout)))[0]
    assert row["text_translation_status"].startswith("error: cannot reach")


def test_deadline_wrapper_and_key_scrubbing(monkeypatch):
    with pytest.raises(BackendError, match="timed out"):
        call_with_deadline(lambda: time.sleep(5), 0.2)
    with pytest.raises(BackendError, match="ValueError: bad"):
        call_with_deadline(lambda: (_ for _ in ()).throw(ValueError("bad")), 1)
    monkeypatch.setenv("TOEX_YANDEX_API_KEY", "sekret-key-42")
    t = OnlineTranslator("yandex", retries=0)

    def boom(source, target):
        raise RuntimeError("401 for https://api.example/?key=sekret-key-42")

    monkeypatch.setattr(t, "_make", boom)
    with pytest.raises(BackendError) as info:
        t.translate_batch(["x"], "sq", "en")
    assert "sekret-key-42" not in str(info.value) and "***" in str(info.value)


def test_online_language_codes_mapped_offline():
    g, m = OnlineTranslator("google"), OnlineTranslator("mymemory")
    assert [g.code(c) for c in ("sq", "zh", "auto", "xx")] == ["sq", "zh-CN", "auto", None]
    assert [m.code(c) for c in ("sq", "en", "lt")] == ["sq-AL", "en-GB", "lt-LT"]


def test_help_of_default_form_routes_to_run():
    r = run_cli(["translate", "messages.csv", "--help"])
    assert r.exit_code == 0 and "--allow-online" in r.stdout and "--backend" in r.stdout
