"""Triage and translate foreign-language messages without leaking them.

Offline language/script detection (lingua, models inside its wheel), offline transliteration
(anyascii), and translation through a self-hosted LibreTranslate server by default; public
services through deep-translator only when explicitly allowed. See ``toex translate --help``.

    >>> from toexcli.translate import detect_languages
    >>> detect_languages(df, "text")            # adds text_lang, text_lang_confidence, text_script
"""

from .backends import BACKENDS, ONLINE_BACKENDS, BackendError, LibreTranslateClient, OnlineTranslator
from .cache import TranslationCache, cache_dir, clear_cache
from .core import TranslateReport, detect_languages, translate_frame
from .detect import DEFAULT_LANGUAGES, DEFAULT_THRESHOLD, Detection, Detector, script_of, transliterate

__all__ = [
    "BACKENDS", "ONLINE_BACKENDS", "BackendError", "LibreTranslateClient", "OnlineTranslator",
    "TranslationCache", "cache_dir", "clear_cache", "TranslateReport", "detect_languages",
    "translate_frame", "DEFAULT_LANGUAGES", "DEFAULT_THRESHOLD", "Detection", "Detector",
    "script_of", "transliterate",
]
