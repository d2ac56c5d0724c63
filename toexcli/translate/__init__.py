"""Triage and translate foreign-language messages without leaking them.

Offline language/script detection (lingua, models inside its wheel), offline transliteration
(anyascii), and translation through a self-hosted LibreTranslate server by default; public
services through deep-translator only when explicitly allowed. See ``toex translate --help``.

    >>> from toexcli.translate import detect_languages
    >>> detect_languages(df, "text")            # adds text_lang, text_lang_confidence, text_script

Names are imported lazily so that ``toex --help`` stays fast.
"""

import importlib

_EXPORTS = {
    "BACKENDS": "backends", "ONLINE_BACKENDS": "backends", "BackendError": "backends",
    "LibreTranslateClient": "backends", "OnlineTranslator": "backends",
    "TranslationCache": "cache", "cache_dir": "cache", "clear_cache": "cache",
    "TranslateReport": "core", "detect_languages": "core", "translate_frame": "core",
    "DEFAULT_LANGUAGES": "detect", "DEFAULT_THRESHOLD": "detect", "Detection": "detect",
    "Detector": "detect", "script_of": "detect", "transliterate": "detect",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
