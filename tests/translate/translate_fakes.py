"""A real LibreTranslate-shaped HTTP server on 127.0.0.1 for the translate tests, and a guard
that fails loudly if anything tries to connect to a host other than 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

LANGS = ["en", "sq", "vi", "ro", "pl", "lt", "ar", "zh-Hans", "ru"]


class FakeLibre:
    """State shared with the handler: what to answer, and every request received."""

    def __init__(self):
        self.requests: list[tuple[str, str, dict | None]] = []
        self.fail_429 = 0          # answer this many /translate calls with 429 first
        self.languages = list(LANGS)
        self.slow_seconds = 2.0    # texts containing SLOW take this long
        self.lock = threading.Lock()

    def translate_posts(self):
        return [r for r in self.requests if r[0] == "POST" and r[1] == "/translate"]

    def texts_sent(self):
        out = []
        for _, _, body in self.translate_posts():
            q = body.get("q") if body else None
            out.extend(q if isinstance(q, list) else [q])
        return out


def _handler(state: FakeLibre):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, code, payload, headers=None):
            data = json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            with state.lock:
                state.requests.append(("GET", self.path, None))
            if self.path == "/languages":
                self._send(200, [{"code": c, "name": c.upper(),
                                  "targets": [t for t in state.languages if t != c]}
                                 for c in state.languages])
            elif self.path == "/health":
                self._send(200, {"status": "ok"})
            elif self.path == "/translate":
                self._send(405, {"error": "Method Not Allowed"})
            else:
                self._send(404, {"error": "Not Found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            with state.lock:
                state.requests.append(("POST", self.path, body))
                n_translate = len(state.translate_posts())
            if self.path == "/detect":
                if not body.get("q"):
                    return self._send(400, {"error": "Invalid request: missing q parameter"})
                return self._send(200, [{"confidence": 90.0, "language": "en"}])
            if self.path != "/translate":
                return self._send(404, {"error": "Not Found"})
            q = body.get("q")
            if not q:
                return self._send(400, {"error": "Invalid request: missing q parameter"})
            source, target = body.get("source", "auto"), body.get("target")
            for code in (source, target):
                if code != "auto" and code not in state.languages:
                    return self._send(400, {"error": f"{code} is not supported"})
            if n_translate <= state.fail_429:
                return self._send(429, {"error": "Too many request limits violations"},
                                  {"Retry-After": "0"})
            texts = q if isinstance(q, list) else [q]
            if any("BOOM" in t for t in texts):
                return self._send(500, {"error": "Cannot translate text: model crashed"})
            if any("SLOW" in t for t in texts):
                time.sleep(state.slow_seconds)
            out = [f"<{source}>{t}" if target == "en" else f"<{source}:{target}>{t}" for t in texts]
            payload = {"translatedText": out if isinstance(q, list) else out[0]}
            if source == "auto":
                payload["detectedLanguage"] = {"confidence": 80.0, "language": "en"}
            self._send(200, payload)

    return Handler


@pytest.fixture
def libre():
    """(url, state) of a fake LibreTranslate server on 127.0.0.1."""
    state = FakeLibre()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("TOEX_CACHE_DIR", str(d))
    monkeypatch.delenv("TOEX_LIBRETRANSLATE_URL", raising=False)
    return d


@pytest.fixture
def no_public_network(monkeypatch):
    """Any connection to a host other than 127.0.0.1 fails the test loudly."""
    attempts: list = []
    real_connect = socket.socket.connect
    real_create = socket.create_connection

    def local(address):
        host = address[0] if isinstance(address, tuple) else address
        return host in ("127.0.0.1", "localhost", "::1")

    def guarded_connect(self, address):
        if not local(address):
            attempts.append(address)
            raise AssertionError(f"attempted network connection to {address}")
        return real_connect(self, address)

    def guarded_create(address, *args, **kwargs):
        if not local(address):
            attempts.append(address)
            raise AssertionError(f"attempted network connection to {address}")
        return real_create(address, *args, **kwargs)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost", "::1", None):
            attempts.append(host)
            raise AssertionError(f"attempted DNS lookup of {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", guarded_create)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts
