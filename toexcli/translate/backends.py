"""Translation backends: a self-hosted LibreTranslate server (default) and, only on request,
public web services through deep-translator.

LibreTranslate is spoken to directly over its HTTP API: a JSON POST body (the text never goes
in a URL, so it does not land in proxy logs), real batches with ``q`` as a list, connect/read
timeouts, retries with exponential back-off on 429 and 5xx (``Retry-After`` honoured) and
errors reported per text. deep-translator's own LibreTranslator is not used: it wants an API key
even for self-hosted servers, falls back to a public server, rejects sq/ro/lt and puts the text
in the query string.

deep-translator has no timeouts and lets raw ``requests`` errors escape; every call here runs
with a default timeout injected into ``requests`` and inside a daemon thread with a deadline,
and any exception becomes a per-text error message.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlparse

LIBRE_ENV_URL = "TOEX_LIBRETRANSLATE_URL"
LIBRE_ENV_KEY = "TOEX_LIBRETRANSLATE_API_KEY"

# Hosts of public LibreTranslate instances: sending there is "online" too.
PUBLIC_LIBRE_HOSTS = ("libretranslate.com", "libretranslate.de", "translate.argosopentech.com",
                      "translate.terraprint.co", "lt.vern.cc", "translate.fedilab.app")


class BackendError(Exception):
    """A backend failure. ``network`` means the service is unreachable (stop sending)."""

    def __init__(self, message: str, *, status: int | None = None, network: bool = False,
                 timeout: bool = False):
        super().__init__(message)
        self.status = status
        self.network = network
        self.timeout = timeout


def is_public_host(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in PUBLIC_LIBRE_HOSTS)


class LibreTranslateClient:
    """A small client for one LibreTranslate server."""

    name = "libre"
    online = False

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 60.0,
                 connect_timeout: float = 5.0, retries: int = 3, backoff: float = 1.0,
                 batch_size: int = 50, max_batch_chars: int = 10_000):
        from ..errors import UsageError

        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise UsageError(f"--url: '{url}' is not an http(s) URL; give the LibreTranslate server, "
                             "e.g. http://10.0.0.5:5000")
        self.url = url.rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get(LIBRE_ENV_KEY) or None
        self.timeout = float(timeout)
        self.connect_timeout = min(float(connect_timeout), self.timeout)
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.batch_size = max(1, int(batch_size))
        self.max_batch_chars = max(1, int(max_batch_chars))
        self.requests_sent = 0
        self._languages: dict[str, set[str]] | None = None
        self._session = None

    @property
    def where(self) -> str:
        return f"LibreTranslate at {self.url}"

    def _http(self):
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.trust_env = False  # no proxy from the environment for a local server
        return self._session

    def _request(self, method: str, path: str, payload: dict | None = None):
        """One call with retries; returns decoded JSON or raises BackendError."""
        import requests

        attempt = 0
        while True:
            attempt += 1
            wait = self.backoff * (2 ** (attempt - 1))
            try:
                self.requests_sent += 1
                resp = self._http().request(method, self.url + path, json=payload,
                                            timeout=(self.connect_timeout, self.timeout))
            except requests.exceptions.Timeout:
                err = BackendError(f"timed out after {self.timeout:g}s", timeout=True)
            except requests.exceptions.ConnectionError:
                err = BackendError(f"cannot reach {self.where}", network=True)
            except requests.exceptions.RequestException as exc:
                err = BackendError(f"request failed: {type(exc).__name__}", network=True)
            else:
                if resp.status_code == 200:
                    try:
                        return resp.json()
                    except ValueError:
                        raise BackendError("the server's answer is not JSON", status=200)
                message = _error_message(resp, secret=self.api_key)  # a server may echo the body
                err = BackendError(f"HTTP {resp.status_code}: {message}", status=resp.status_code)
                if resp.status_code in (429, 500, 502, 503, 504):
                    retry_after = resp.headers.get("Retry-After", "")
                    if retry_after.strip().isdigit():
                        wait = min(float(retry_after), 60.0)
                else:
                    raise err  # 400 / 403 / 404: retrying will not help
            if attempt > self.retries:
                raise err
            time.sleep(wait)

    def languages(self) -> dict[str, set[str]]:
        """{code: {target codes}} from GET /languages (empty when the server lacks it)."""
        if self._languages is None:
            try:
                data = self._request("GET", "/languages")
            except BackendError as exc:
                if exc.network or exc.timeout:
                    raise
                data = []
            langs: dict[str, set[str]] = {}
            if isinstance(data, list):
                for item in data:
                    if isinstance(item, dict) and "code" in item:
                        langs[str(item["code"])] = set(map(str, item.get("targets") or []))
            self._languages = langs
        return self._languages

    def code(self, lang: str) -> str | None:
        """The server's code for an ISO 639-1 ``lang`` (``zh`` -> ``zh-Hans`` on newer servers)."""
        langs = self.languages()
        if not langs or lang == "auto" or lang in langs:
            return lang
        for code in langs:
            if code.split("-")[0] == lang:
                return code
        return None

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        payload = {"q": list(texts), "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        data = self._request("POST", "/translate", payload)
        out = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(out, str) and len(texts) == 1:
            out = [out]
        if not isinstance(out, list) or len(out) != len(texts):
            raise BackendError("the server's answer does not match the request (translatedText)")
        return [str(x) for x in out]

    def detect(self, text: str) -> list[dict]:
        data = self._request("POST", "/detect", {"q": text, **({"api_key": self.api_key}
                                                                 if self.api_key else {})})
        return data if isinstance(data, list) else []


def _error_message(resp, secret: str | None = None) -> str:
    """The server's error text (at most 200 characters), with ``secret`` masked before cutting."""
    message = resp.reason or "error"
    try:
        data = resp.json()
        if isinstance(data, dict) and data.get("error"):
            message = str(data["error"])
    except ValueError:
        pass
    if secret:
        message = message.replace(secret, "***")
    return message[:200]


# ------------------------------------------------------------------ public services (online)
@dataclass(frozen=True)
class OnlineSpec:
    name: str
    title: str
    max_chars: int
    key_env: str | None = None


ONLINE_BACKENDS = {
    "google": OnlineSpec("google", "Google Translate (public web service)", 4999),
    "mymemory": OnlineSpec("mymemory", "MyMemory (public web service)", 499),
    "deepl": OnlineSpec("deepl", "DeepL API", 4999, "TOEX_DEEPL_API_KEY"),
    "microsoft": OnlineSpec("microsoft", "Microsoft Translator", 4999, "TOEX_MICROSOFT_API_KEY"),
    "yandex": OnlineSpec("yandex", "Yandex Translate", 4999, "TOEX_YANDEX_API_KEY"),
}
BACKENDS = ("libre", *ONLINE_BACKENDS)

_PATCH_LOCK = threading.Lock()
_LOCAL = threading.local()
_PATCHED = False


def _install_request_timeout() -> None:
    """Wrap ``requests``' Session.request once so that, in a thread that asked for it
    (``_LOCAL.timeout``), a call without a timeout gets one. Other callers are unaffected."""
    global _PATCHED
    with _PATCH_LOCK:
        if _PATCHED:
            return
        import requests

        original = requests.sessions.Session.request

        def request(self, method, url, **kwargs):
            default = getattr(_LOCAL, "timeout", None)
            if default is not None and kwargs.get("timeout") is None:
                kwargs["timeout"] = default
            return original(self, method, url, **kwargs)

        requests.sessions.Session.request = request
        _PATCHED = True


def call_with_deadline(fn, deadline: float):
    """Run ``fn()`` in a daemon thread; BackendError if it raises or is not done in time."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - every failure becomes a per-row error
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True, name="toex-translate")
    thread.start()
    thread.join(deadline)
    if thread.is_alive():
        raise BackendError(f"timed out after {deadline:g}s", timeout=True)
    if "error" in box:
        raise _as_backend_error(box["error"])
    return box["value"]


def _as_backend_error(exc: BaseException) -> BackendError:
    if isinstance(exc, BackendError):
        return exc
    import requests

    if isinstance(exc, requests.exceptions.Timeout):
        return BackendError("timed out", timeout=True)
    if isinstance(exc, requests.exceptions.RequestException):
        return BackendError("cannot reach the service", network=True)
    text = " ".join(str(exc).split())[:200] or type(exc).__name__
    return BackendError(f"{type(exc).__name__}: {text}")


class OnlineTranslator:
    """A public service through deep-translator, one text per request, with timeouts."""

    online = True

    def __init__(self, name: str, timeout: float = 30.0, retries: int = 1, backoff: float = 1.0):
        from ..errors import UsageError, did_you_mean

        if name not in ONLINE_BACKENDS:
            raise UsageError(f"--backend: unknown '{name}'{did_you_mean(name, BACKENDS)}; "
                             f"choose from {', '.join(BACKENDS)}")
        self.spec = ONLINE_BACKENDS[name]
        self.name = name
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.batch_size = 1
        self.max_batch_chars = self.spec.max_chars
        self.requests_sent = 0
        self._key = os.environ.get(self.spec.key_env) if self.spec.key_env else None
        if self.spec.key_env and not self._key:
            raise UsageError(f"--backend {name} needs an API key in the environment variable "
                             f"{self.spec.key_env}")

    @property
    def where(self) -> str:
        return self.spec.title

    def languages(self) -> dict[str, set]:
        """The service's language codes as deep-translator knows them (empty: not listed)."""
        from deep_translator import constants as c

        table = {"google": c.GOOGLE_LANGUAGES_TO_CODES, "mymemory": c.MY_MEMORY_LANGUAGES_TO_CODES,
                 "deepl": c.DEEPL_LANGUAGE_TO_CODE}.get(self.name, {})
        return {str(v): set() for v in table.values()}

    def code(self, lang: str) -> str | None:
        """The service's code for ISO 639-1 ``lang`` (``zh`` -> ``zh-CN``, ``sq`` -> ``sq-AL``)."""
        codes = self.languages()
        if lang == "auto" or not codes or lang in codes:
            return lang
        preferred = {"en": "en-GB", "zh": "zh-CN", "pt": "pt-PT"}.get(lang)
        if preferred in codes:
            return preferred
        return next((c for c in codes if c.split("-")[0] == lang), None)

    def _make(self, source: str, target: str):
        import deep_translator as dt

        if self.name == "google":
            return dt.GoogleTranslator(source=source, target=target)
        if self.name == "mymemory":
            return dt.MyMemoryTranslator(source=source, target=target)
        if self.name == "deepl":
            return dt.DeeplTranslator(api_key=self._key, source=source, target=target,
                                      use_free_api=self._key.endswith(":fx"))
        if self.name == "microsoft":
            return dt.MicrosoftTranslator(api_key=self._key, source=source, target=target,
                                          region=os.environ.get("TOEX_MICROSOFT_REGION") or None)
        return dt.YandexTranslator(api_key=self._key, source=source, target=target)

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        _install_request_timeout()
        out = []
        for text in texts:
            out.append(self._one(text, source, target))
        return out

    def _one(self, text: str, source: str, target: str) -> str:
        attempt = 0
        while True:
            attempt += 1
            try:
                def call():
                    _LOCAL.timeout = self.timeout
                    return self._make(source, target).translate(text)

                self.requests_sent += 1
                result = call_with_deadline(call, self.timeout * 2 + 1)
                if result is None:
                    raise BackendError("the service returned no translation")
                return str(result)
            except BackendError as exc:
                exc = self._scrub(exc)
                if attempt > self.retries or not (exc.network or exc.timeout):
                    raise exc
                time.sleep(self.backoff * (2 ** (attempt - 1)))

    def _scrub(self, exc: BackendError) -> BackendError:
        """Never let an API key reach a message, an output or a log."""
        if self._key and self._key in str(exc):
            return BackendError(str(exc).replace(self._key, "***"), status=exc.status,
                                network=exc.network, timeout=exc.timeout)
        return exc
