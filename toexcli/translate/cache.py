"""An on-disk translation cache in a user-private directory.

The cache holds sensitive text (translations of seized messages), so it lives in a directory
only its owner can read: ``$TOEX_CACHE_DIR/translate`` when that variable is set, otherwise
``$XDG_CACHE_HOME/toex/translate`` or ``~/.cache/toex/translate``. The ``translate`` directory
is kept at mode 0700 and the database file at 0600. Keys are SHA-256 digests of
(backend, source language, target language, text), so the original text itself is not stored
as a key; the translation is.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

DB_NAME = "translations.sqlite3"


def cache_root() -> Path:
    env = os.environ.get("TOEX_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "toex"


def cache_dir() -> Path:
    """The translation cache directory (not created)."""
    return cache_root() / "translate"


def _private_dir(path: Path) -> Path:
    """Create ``path`` (and a missing parent) as 0700; tighten ``path`` itself if it is looser."""
    parent = path.parent
    if not parent.exists():
        parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        os.chmod(parent, 0o700)
    path.mkdir(mode=0o700, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != 0o700:
        os.chmod(path, 0o700)
    return path


def cache_key(backend: str, source: str, target: str, text: str) -> str:
    raw = "\x1f".join((backend, source, target, text)).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


class TranslationCache:
    """get_many / put_many over a small SQLite file; ``enabled=False`` makes it a no-op."""

    def __init__(self, enabled: bool = True, directory: Path | None = None):
        self.enabled = enabled
        self.directory = Path(directory) if directory else cache_dir()
        self._db = None

    @property
    def path(self) -> Path:
        return self.directory / DB_NAME

    def _conn(self):
        if self._db is None:
            from ..errors import UsageError

            try:
                _private_dir(self.directory)
                if not self.path.exists():
                    os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
                os.chmod(self.path, 0o600)
                self._db = sqlite3.connect(self.path, timeout=30)
                self._db.execute("CREATE TABLE IF NOT EXISTS translations ("
                                 "key TEXT PRIMARY KEY, translation TEXT NOT NULL, "
                                 "backend TEXT, created TEXT DEFAULT CURRENT_TIMESTAMP)")
            except (OSError, sqlite3.Error) as exc:
                raise UsageError(f"translation cache {self.directory}: {exc}; set TOEX_CACHE_DIR "
                                 "to a writable private directory or use --no-cache") from exc
        return self._db

    def get_many(self, keys: list[str]) -> dict[str, str]:
        if not self.enabled or not keys:
            return {}
        db = self._conn()
        found: dict[str, str] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for k, v in db.execute(f"SELECT key, translation FROM translations WHERE key IN ({marks})",
                                   chunk):
                found[k] = v
        return found

    def put_many(self, items: dict[str, str], backend: str = "") -> None:
        if not self.enabled or not items:
            return
        db = self._conn()
        with db:
            db.executemany("INSERT OR REPLACE INTO translations (key, translation, backend) "
                           "VALUES (?, ?, ?)", [(k, v, backend) for k, v in items.items()])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def clear_cache(directory: Path | None = None) -> int:
    """Delete every cached translation; returns how many entries there were."""
    directory = Path(directory) if directory else cache_dir()
    path = directory / DB_NAME
    count = 0
    if path.exists():
        try:
            with sqlite3.connect(path) as db:
                count = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
        except sqlite3.Error:
            count = 0
    for name in (DB_NAME, DB_NAME + "-journal", DB_NAME + "-wal", DB_NAME + "-shm"):
        try:
            (directory / name).unlink()
        except FileNotFoundError:
            pass
    return count
