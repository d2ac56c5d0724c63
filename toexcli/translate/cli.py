"""``toex translate``: offline language detection, and translation that leaks nothing by default.

    toex translate detect IN -c COL            offline detection (subcommand)
    toex translate IN -c COL --to en           detect + translate (the group's default action)
    toex translate --clear-cache               empty the translation cache

The group routes any first argument that is not a subcommand name to the hidden ``run``
command, so both forms work. Nothing heavy is imported at module level.
"""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from .. import cliutil, console


class DefaultRunGroup(TyperGroup):
    """A group that runs ``run`` when the first argument is not one of its subcommands."""

    default_command = "run"

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


GROUP_EPILOG = """[bold]Examples[/bold]

  toex translate detect messages.csv -c text -o langs.csv     [dim]# offline, nothing sent[/dim]

  toex translate messages.csv -c text --to en --url http://10.0.0.5:5000   [dim]# your LibreTranslate[/dim]

  toex translate messages.csv -c text --backend google --allow-online       [dim]# public service[/dim]

  toex translate --clear-cache

[bold]Translate options[/bold]: toex translate run --help
"""

app = typer.Typer(
    cls=DefaultRunGroup,
    no_args_is_help=True,
    rich_markup_mode="rich",
    epilog=GROUP_EPILOG,
    help="Detect the language of messages offline, and translate them through your own "
         "LibreTranslate server (public services only with --allow-online).\n\n"
         "[bold]toex translate IN -c COL [--to en] [--backend libre|google|mymemory|deepl|"
         "microsoft|yandex][/bold] detects and translates (see toex translate run --help); "
         "[bold]toex translate detect IN -c COL[/bold] only detects, offline.",
)

Column = Annotated[list[str], typer.Option("-c", "--column", metavar="COL", help="The text column.", show_default=False)]


def _one_column(columns) -> str | None:
    """The single -c value; typer would silently keep only the last of several."""
    from ..errors import UsageError

    if not columns:
        return None
    if len(columns) > 1:
        raise UsageError(f"-c was given {len(columns)} times ({', '.join(columns)}); translate works "
                         "on one column at a time: run it once per column")
    return columns[0]


def _check_output(output, output_format, force, table) -> None:
    """Refuse an unwritable -o before any text is sent anywhere (not after the translation)."""
    from ..io.writers import check_output_path
    from ..io.writers import output_format as format_of

    format_of(output, output_format)
    check_output_path(output, force, table.sources)
Languages = Annotated[Optional[str], typer.Option(
    "--languages", "-l",
    help="Candidate languages, ISO 639-1, comma-separated (default: en,sq,vi,ro,pl,lt,lv,bg,cs,"
         "sk,hu,pt,tr,so,ru,uk,ar,fa,ur,zh; 'default,xx' adds to it; 'all': the 75 languages "
         "the offline detector knows). A text more likely in a language outside them is 'und', "
         "with that language in COL_lang_other.", show_default=False)]
Threshold = Annotated[Optional[float], typer.Option(
    "--threshold", min=0.0, max=1.0,
    help="One minimum confidence for every text (below it, unless far ahead of the runner-up, "
         "the language is 'und'). Default: a minimum per class of text (1 word, 2 words, 3-5, "
         "6+; with or without accents) calibrated for labels right >= 98% on held-apart public "
         "data (README: accuracy). 0.5 gives more labels on short chat, less precise.",
    show_default=False)]
Transliterate = Annotated[bool, typer.Option(
    "--transliterate", help="Add COL_latin: an offline Latin transliteration (anyascii).")]
OutputFormat = Annotated[Optional[str], typer.Option(
    "--output-format", "--format",
    help="Output format: csv, tsv, parquet, arrow, jsonl, xlsx (--to is the target language).",
    show_default=False)]

DETECT_EPILOG = """[bold]Examples[/bold]

  toex translate detect messages.csv -c text

  toex translate detect chats.xlsx -c body --languages sq,ro,en --transliterate -o langs.csv

Adds COL_lang (ISO 639-1; 'und' when unsure), COL_lang_confidence (0-1), COL_script
(Latin, Cyrillic, Arabic, Han, ...), COL_lang_other (a language outside --languages that
the text is more likely in; COL_lang is then 'und') and COL_lang_reason (why a row is 'und':
other language, too short, low confidence, no letters, script not in candidates) right after
COL. Offline: nothing is sent.
"""


@app.command("detect", epilog=DETECT_EPILOG)
def detect_cmd(
    inputs: cliutil.Inputs = None,
    column: Column = ...,
    languages: Languages = None,
    threshold: Threshold = None,
    transliterate: Transliterate = False,
    output: cliutil.Output = None,
    to: cliutil.To = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
    no_provenance: cliutil.NoProvenance = False,
):
    """Detect each message's language and script offline (short chat messages, UK slang)."""
    from .core import detect_languages
    from .detect import Detector

    column = _one_column(column)
    detector = Detector(languages, threshold=threshold)
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format,
                               no_provenance=no_provenance)
    table.require([column])
    memo: dict = {}
    counts: dict[str, int] = {}

    def fn(df):
        out = detect_languages(df, column, detector=detector, latin=transliterate, _memo=memo)
        for lang, n in out[f"{column}_lang"].value_counts(dropna=False).items():
            counts[lang or "(empty)"] = counts.get(lang or "(empty)", 0) + int(n)
        return out

    cliutil.stream(table, fn, output=output, to=to, force=force, excel_safe=excel_safe,
                   label="detecting languages")
    if counts:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        console.info("languages: " + ", ".join(f"{k} {v:,}" for k, v in ranked))


RUN_EPILOG = """[bold]Examples[/bold]

  export TOEX_LIBRETRANSLATE_URL=http://10.0.0.5:5000      [dim]# your own server[/dim]
  toex translate messages.csv -c text --to en -o translated.csv

  toex translate messages.csv -c text --url http://127.0.0.1:5000 --transliterate

  toex translate messages.csv -c text --backend google --allow-online   [dim]# leaves the machine[/dim]

  toex translate --clear-cache

Adds COL_lang, COL_lang_confidence, COL_script, COL_<to>, COL_translation_backend and
COL_translation_status after COL. Statuses: translated, cached, same_language, empty,
no_backend, unsupported_language, error: ... . Keys come from TOEX_LIBRETRANSLATE_API_KEY,
TOEX_DEEPL_API_KEY, TOEX_MICROSOFT_API_KEY (+ TOEX_MICROSOFT_REGION), TOEX_YANDEX_API_KEY.
"""


@app.command("run", hidden=True, epilog=RUN_EPILOG)
def run_cmd(
    inputs: cliutil.Inputs = None,
    column: Annotated[Optional[list[str]], typer.Option(
        "-c", "--column", metavar="COL", help="The text column.", show_default=False)] = None,
    target: Annotated[str, typer.Option("--to", help="Target language (ISO 639-1).")] = "en",
    backend: Annotated[str, typer.Option(
        "--backend", "-b",
        help="libre (self-hosted LibreTranslate, default), or a public service with "
             "--allow-online: google, mymemory, deepl, microsoft, yandex.")] = "libre",
    url: Annotated[Optional[str], typer.Option(
        "--url", help="LibreTranslate server (default: $TOEX_LIBRETRANSLATE_URL).",
        show_default=False)] = None,
    allow_online: Annotated[bool, typer.Option(
        "--allow-online", help="Allow sending the messages to a public web service.")] = False,
    source_lang: Annotated[Optional[str], typer.Option(
        "--from", help="Source language for every row (default: detected; 'und' -> auto).",
        show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    clear_cache: Annotated[bool, typer.Option(
        "--clear-cache", help="Empty the translation cache (then translate, if given inputs).")] = False,
    languages: Languages = None,
    threshold: Threshold = None,
    transliterate: Transliterate = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for one request.")] = 60.0,
    retries: Annotated[int, typer.Option("--retries", min=0, help="Retries on 429/5xx/network errors.")] = 3,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Texts per LibreTranslate request.")] = 50,
    output: cliutil.Output = None,
    output_format: OutputFormat = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
    no_provenance: cliutil.NoProvenance = False,
):
    """Detect and translate messages: each distinct text once, in batches, cached, with a
    per-row status. Default backend: your own LibreTranslate server."""
    from ..errors import NetworkError, UsageError

    if clear_cache:
        from .cache import cache_dir
        from .cache import clear_cache as do_clear

        n = do_clear()
        console.info(f"cleared the translation cache at {cache_dir()} ({n:,} entries)")
        if not inputs:
            return
    column = _one_column(column)
    if not column:
        raise UsageError("give the text column with -c COLUMN")

    client = _backend(backend, url, allow_online, timeout=timeout, retries=retries,
                      batch_size=batch_size)
    from .cache import TranslationCache
    from .core import translate_frame
    from .detect import parse_languages

    parse_languages(languages)  # usage errors before reading anything
    if source_lang:
        source_lang = source_lang.strip().lower()
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format,
                               no_provenance=no_provenance)
    _check_output(output, output_format, force, table)
    df = table.read()
    cache = None if no_cache else TranslationCache()
    try:
        result, report = translate_frame(
            df, column, to=target, backend=client, cache=cache, languages=languages,
            threshold=threshold, source_lang=source_lang, latin=transliterate,
            source=_names(table))
    finally:
        if cache is not None:
            cache.close()
    cliutil.write_frame(result, output=output, to=output_format, force=force,
                        excel_safe=excel_safe, table=table)
    summary = ", ".join(f"{k} {v:,}" for k, v in sorted(report.statuses.items()))
    if summary:
        console.info(f"distinct texts: {summary}")
    if client is None and report.statuses.get("no_backend"):
        console.warn(
            "no translation backend configured: detection only (status no_backend). Run a "
            "LibreTranslate server inside your network and give --url http://HOST:5000 or set "
            "TOEX_LIBRETRANSLATE_URL; a public service needs --backend google|mymemory|deepl|"
            "microsoft|yandex --allow-online")
    if report.failed and not report.network_failed:
        console.warn(f"{report.failed:,} distinct texts were not translated; see the "
                     f"{column}_translation_status column")
    if report.network_failed:
        raise NetworkError(f"{report.network_message}: {report.failed:,} distinct texts left "
                           "untranslated (status error: ...); the output was written; re-run when "
                           "the service is back (translations already made are cached)")


def _names(table) -> str:
    return ", ".join(str(getattr(s, "name", s)) for s in table.sources) or "input"


def _backend(name: str, url: str | None, allow_online: bool, *, timeout: float, retries: int,
             batch_size: int):
    """Build the backend, or None (detection only) when no server is configured."""
    from ..errors import UsageError, did_you_mean
    from .backends import BACKENDS, ONLINE_BACKENDS, LibreTranslateClient, OnlineTranslator, \
        is_public_host

    name = (name or "libre").strip().lower()
    if name not in BACKENDS:
        raise UsageError(f"--backend: unknown '{name}'{did_you_mean(name, BACKENDS)}; choose from "
                         f"{', '.join(BACKENDS)}")
    if name == "libre":
        url = url or os.environ.get("TOEX_LIBRETRANSLATE_URL") or None
        if not url:
            return None
        if is_public_host(url) and not allow_online:
            raise UsageError(f"{url} is a public LibreTranslate service: the messages would leave "
                             "your network; add --allow-online to confirm, or use your own server")
        return LibreTranslateClient(url, timeout=timeout, retries=retries, batch_size=batch_size)
    if url:
        raise UsageError(f"--url is for --backend libre, not {name}")
    if not allow_online:
        raise UsageError(f"--backend {name} sends the messages to {ONLINE_BACKENDS[name].title}; "
                         "add --allow-online to confirm (nothing was sent)")
    return OnlineTranslator(name, timeout=timeout, retries=min(retries, 2))
