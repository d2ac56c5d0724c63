"""Language detection and translation over pandas DataFrames (the library behind the CLI).

Every distinct text is detected and translated once and mapped back to its rows; rows are never
dropped or reordered and the original column is never changed. New columns go right after the
column they derive from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import console
from ..errors import UsageError, require_columns
from ..frames import insert_after
from .detect import DEFAULT_THRESHOLD, MAX_CHARS, UNDETERMINED, Detector, transliterate

STATUS_TRANSLATED = "translated"
STATUS_CACHED = "cached"
STATUS_SAME = "same_language"
STATUS_EMPTY = "empty"
STATUS_NO_BACKEND = "no_backend"
STATUS_UNSUPPORTED = "unsupported_language"


def _texts(series):
    """Distinct values (as text) of ``series`` and the integer codes mapping rows to them."""
    import pandas as pd

    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = [("" if v is None else str(v)) for v in uniques]
    return codes, values


def _insert_after(df, column: str, new: dict):
    """A copy of ``df`` with ``new`` columns inserted right after ``column`` (in order)."""
    return insert_after(df, {column: new})


def _take(values: list, codes, default):
    import numpy as np

    arr = np.empty(len(codes), dtype=object)
    for i, c in enumerate(codes):
        arr[i] = values[c] if c >= 0 else default
    return arr


def detect_languages(df, column: str, *, languages=None, threshold: float | None = DEFAULT_THRESHOLD,
                     latin: bool = False, detector: Detector | None = None, source: str = "input",
                     _memo: dict | None = None):
    """Add ``COL_lang`` (ISO 639-1, ``und`` when unsure), ``COL_lang_confidence`` (0–1),
    ``COL_script``, ``COL_lang_other`` and ``COL_lang_reason`` (why a row is ``und``) after
    ``column``; with ``latin=True`` also
    ``COL_latin`` (transliteration).

    Offline: lingua's models ship in its wheel. ``languages`` restricts the candidates
    (default: :data:`toexcli.translate.DEFAULT_LANGUAGES`; ``"all"``: every language lingua
    knows). ``COL_lang_other`` names a language outside the candidates that the text is more
    likely in (then ``COL_lang`` is ``und``: never a confident wrong candidate). Texts longer
    than :data:`~toexcli.translate.detect.MAX_CHARS` are judged on their beginning (stderr
    says how many).
    """
    import pandas as pd

    require_columns(df.columns, [column], source)
    det = detector or Detector(languages, threshold=threshold)
    memo = _memo if _memo is not None else {}
    codes, values = _texts(df[column])
    results = []
    prefixed = 0
    for v in values:
        r = memo.get(v)
        if r is None:
            r = memo[v] = det.detect(v)
            prefixed += r.prefix
        results.append(r)
    if prefixed:
        console.info(f"{prefixed:,} distinct text(s) longer than {MAX_CHARS:,} characters: their "
                     f"language was judged on the first {MAX_CHARS:,}")
    empty = det.detect("")
    rows = _take(results, codes, empty)
    new = {
        f"{column}_lang": pd.array([r.lang for r in rows], dtype="str"),
        f"{column}_lang_confidence": pd.array(
            [None if r.lang == "" else r.confidence for r in rows], dtype="Float64"),
        f"{column}_script": pd.array([r.script for r in rows], dtype="str"),
        f"{column}_lang_other": pd.array([r.other for r in rows], dtype="str"),
        f"{column}_lang_reason": pd.array([r.reason for r in rows], dtype="str"),
    }
    if latin:
        lat = [transliterate(v) for v in values]
        new[f"{column}_latin"] = pd.array(list(_take(lat, codes, "")), dtype="str")
    return _insert_after(df, column, new)


@dataclass
class TranslateReport:
    distinct: int = 0
    to_send: int = 0
    chars_sent: int = 0
    translated: int = 0
    cached: int = 0
    failed: int = 0
    same_language: int = 0
    network_failed: bool = False
    network_message: str = ""
    requests: int = 0
    statuses: dict = field(default_factory=dict)


def translate_frame(df, column: str, *, to: str = "en", backend=None, cache=None,
                    languages=None, threshold: float | None = DEFAULT_THRESHOLD, source_lang: str | None = None,
                    latin: bool = False, source: str = "input", announce: bool = True):
    """Detect and translate ``column`` into ``to``.

    Adds (after ``column``) ``COL_lang``, ``COL_lang_confidence``, ``COL_script`` (reused when
    the input already has them, e.g. from ``toex translate detect``), optionally ``COL_latin``,
    then ``COL_<to>``, ``COL_translation_backend`` and ``COL_translation_status``.

    ``backend`` is a :class:`LibreTranslateClient` / :class:`OnlineTranslator` (None: detection
    only, status ``no_backend``); ``cache`` a :class:`TranslationCache` (None: no cache).
    Returns ``(DataFrame, TranslateReport)``; a failure never aborts the table: each row says
    what happened in its status.
    """
    import pandas as pd

    from .cache import cache_key

    require_columns(df.columns, [column], source)
    to = (to or "en").strip().lower()
    if not to.isalpha() or len(to) not in (2, 3):
        raise UsageError(f"--to: '{to}' is not a language code; use ISO 639-1, e.g. en")
    lang_col, conf_col, script_col = (f"{column}_lang", f"{column}_lang_confidence",
                                      f"{column}_script")
    out = df
    if lang_col not in df.columns:
        out = detect_languages(df, column, languages=languages, threshold=threshold,
                               latin=latin, source=source)
    elif latin:
        codes, values = _texts(df[column])
        lat = [transliterate(v) for v in values]
        anchor = next(c for c in (f"{column}_lang_reason", f"{column}_lang_other", script_col,
                                  lang_col) if c in df.columns)
        out = _insert_after(df, anchor, {f"{column}_latin": pd.array(
            list(_take(lat, codes, "")), dtype="str")})

    # One decision per distinct (text, detected language).
    texts = out[column].astype("str").where(out[column].notna(), "").tolist() if len(out) else []
    langs = out[lang_col].astype("str").where(out[lang_col].notna(), "").tolist() if len(out) else []
    pairs = list(zip(texts, langs))
    distinct = list(dict.fromkeys(pairs))
    report = TranslateReport(distinct=len(distinct))
    result: dict[tuple, tuple[str, str, str]] = {}  # pair -> (translation, backend, status)
    pending: list[tuple] = []
    for text, lang in distinct:
        if not text.strip():
            result[(text, lang)] = ("", "", STATUS_EMPTY)
        elif lang.split("-")[0] == to and not source_lang:
            result[(text, lang)] = (text, "", STATUS_SAME)
        elif backend is None:
            result[(text, lang)] = ("", "", STATUS_NO_BACKEND)
        else:
            pending.append((text, lang))

    if pending:
        _translate_pending(pending, result, backend=backend, cache=cache, to=to,
                           source_lang=source_lang, report=report, announce=announce,
                           cache_key=cache_key)

    rows = [result[p] for p in pairs]
    for _, _, status in result.values():
        key = status.split(":")[0]
        report.statuses[key] = report.statuses.get(key, 0) + 1
    report.same_language = sum(1 for r in rows if r[2] == STATUS_SAME)
    anchor = next(c for c in (f"{column}_latin", f"{column}_lang_reason", f"{column}_lang_other",
                              script_col, conf_col,
                              lang_col) if c in out.columns)
    new = {
        f"{column}_{to}": pd.array([r[0] for r in rows], dtype="str"),
        f"{column}_translation_backend": pd.array([r[1] for r in rows], dtype="str"),
        f"{column}_translation_status": pd.array([r[2] for r in rows], dtype="str"),
    }
    return _insert_after(out, anchor, new), report


def _batches(items: list[tuple], size: int, max_chars: int):
    batch, chars = [], 0
    for item in items:
        n = len(item[0])
        if batch and (len(batch) >= size or chars + n > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += n
    if batch:
        yield batch


def _translate_pending(pending, result, *, backend, cache, to, source_lang, report, announce,
                       cache_key):
    from .backends import BackendError

    name = backend.name
    # Source language per text: the forced one, the detected one, or "auto" when undetermined.
    def src_of(lang):
        if source_lang:
            return source_lang
        return "auto" if lang in ("", UNDETERMINED) else lang

    keys = {p: cache_key(name, src_of(p[1]), to, p[0]) for p in pending}
    hits = cache.get_many(list(set(keys.values()))) if cache is not None else {}
    misses = []
    for p in pending:
        if keys[p] in hits:
            result[p] = (hits[keys[p]], name, STATUS_CACHED)
            report.cached += 1
        else:
            misses.append(p)
    if not misses:
        if announce and report.cached:
            console.info(f"all {report.cached:,} texts to translate were in the cache; nothing sent")
        return

    def fail_all(items, message):
        for p in items:
            result[p] = ("", name, f"error: {message}")
            report.failed += 1

    # Map languages to the backend's codes; this is also the reachability check for LibreTranslate.
    try:
        target = backend.code(to)
    except BackendError as exc:
        report.network_failed = True
        report.network_message = str(exc)
        fail_all(misses, str(exc))
        return
    if target is None:
        raise UsageError(f"{backend.where} cannot translate into '{to}'; it offers: "
                         f"{', '.join(sorted(backend.languages())) or '(none)'}")
    by_source: dict[str, list[tuple]] = {}
    for p in misses:
        by_source.setdefault(src_of(p[1]), []).append(p)
    sendable: list[tuple[str, list[tuple]]] = []
    for src, items in by_source.items():
        code = backend.code(src)
        if code is None:
            for p in items:
                result[p] = ("", name, STATUS_UNSUPPORTED)
                report.failed += 1
            if announce:
                console.warn(f"{backend.where} does not translate from '{src}': {len(items):,} "
                             f"distinct texts left untranslated (status {STATUS_UNSUPPORTED})")
            continue
        sendable.append((code, items))
    n_send = sum(len(items) for _, items in sendable)
    chars = sum(len(p[0]) for _, items in sendable for p in items)
    report.to_send, report.chars_sent = n_send, chars
    if not n_send:
        return
    if announce:
        cached = f" ({report.cached:,} more from the cache)" if report.cached else ""
        say = console.warn if getattr(backend, "online", False) else console.info
        say(f"sending {n_send:,} distinct texts ({chars:,} characters) to "
                     f"{backend.where}{cached}")

    def send(batch, code):
        """Translate one batch; split it when the server rejects it, to isolate the bad text."""
        try:
            got = backend.translate_batch([p[0] for p in batch], code, target)
        except BackendError as exc:
            if exc.network:
                raise
            if exc.timeout or len(batch) == 1:
                fail_all(batch, str(exc))
                return
            mid = len(batch) // 2
            send(batch[:mid], code)
            send(batch[mid:], code)
            return
        fresh = {}
        for p, t in zip(batch, got):
            result[p] = (t, name, STATUS_TRANSLATED)
            fresh[keys[p]] = t
            report.translated += 1
        if cache is not None:
            cache.put_many(fresh, backend=name)

    # LibreTranslate detects once per request for source "auto": undetermined texts, which may
    # each be in a different language, go one per request.
    remaining = [(code, b) for code, items in sendable
                 for b in _batches(items, 1 if code == "auto" else backend.batch_size,
                                   backend.max_batch_chars)]
    for i, (code, batch) in enumerate(remaining):
        try:
            send(batch, code)
        except BackendError as exc:
            report.network_failed = True
            report.network_message = str(exc)
            fail_all([p for _, b in remaining[i:] for p in b if p not in result], str(exc))
            break
    report.requests = getattr(backend, "requests_sent", 0)
