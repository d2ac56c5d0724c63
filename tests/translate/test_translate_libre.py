"""Translation end to end against a real LibreTranslate-shaped server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import os
import socket
import stat

import pandas as pd
import pytest

from conftest import run_cli, run_toex
from translate_fakes import cache_dir, libre, no_public_network  # noqa: F401 - fixtures
from toexcli.translate import LibreTranslateClient, TranslationCache, translate_frame

MESSAGES = [
    ("1", "Ku je tani? Më thirr sa më shpejt."),
    ("2", "Nuk kam pasaportën time, e mban shefi."),
    ("3", "Gdzie jesteś? Zadzwoń do mnie jak najszybciej."),
    ("4", "He still has my passport and won't give it back."),
    ("5", "Ku je tani? Më thirr sa më shpejt."),  # a duplicate: translated once
    ("6", ""),
    ("7", "老板拿走了我的护照。"),
]


def write_csv(path, rows, header=("id", "text")):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def read(stdout: str):
    return list(csv.DictReader(io.StringIO(stdout)))


@pytest.fixture
def messages(tmp_path):
    return write_csv(tmp_path / "messages.csv", MESSAGES)


def test_translate_end_to_end(libre, cache_dir, messages):
    url, state = libre
    r = run_cli(["translate", messages, "-c", "text", "--to", "en", "--url", url])
    assert r.exit_code == 0, r.stderr
    rows = read(r.stdout)
    assert [x["id"] for x in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert list(rows[0])[:10] == ["id", "text", "text_lang", "text_lang_confidence", "text_script",
                                 "text_lang_other", "text_lang_reason", "text_en", "text_translation_backend", "text_translation_status"]
    assert rows[0]["text_en"] == "<sq>Ku je tani? Më thirr sa më shpejt."
    assert rows[2]["text_en"].startswith("<pl>")
    assert rows[6]["text_en"] == "<zh-Hans>老板拿走了我的护照。"  # zh mapped to the server's code
    assert [x["text_translation_status"] for x in rows] == [
        "translated", "translated", "translated", "same_language", "translated", "empty",
        "translated"]
    assert rows[3]["text_en"] == rows[3]["text"] and rows[3]["text_translation_backend"] == ""
    assert rows[0]["text_translation_backend"] == "libre"
    # Each distinct text sent once, English not sent, text in a JSON body never in the URL.
    sent = state.texts_sent()
    assert sorted(sent) == sorted({t for _, t in MESSAGES if t and not t.startswith("He ")})
    for method, path, body in state.requests:
        assert "?" not in path
    assert "sending 4 distinct texts" in r.stderr and url in r.stderr


def test_batches_group_by_source_and_respect_batch_size(libre, cache_dir, tmp_path):
    url, state = libre
    rows = [(str(i), f"Nuk kam pasaportën time numri {i}, e mban shefi.") for i in range(5)]
    src = write_csv(tmp_path / "b.csv", rows)
    r = run_cli(["translate", src, "-c", "text", "--url", url, "--batch-size", "2"])
    assert r.exit_code == 0, r.stderr
    posts = state.translate_posts()
    assert [len(b["q"]) for _, _, b in posts] == [2, 2, 1]
    assert all(isinstance(b["q"], list) and b["source"] == "sq" and b["target"] == "en"
               and b["format"] == "text" for _, _, b in posts)


def test_cache_second_run_sends_nothing_and_is_private(libre, cache_dir, messages):
    url, state = libre
    assert run_cli(["translate", messages, "-c", "text", "--url", url]).exit_code == 0
    n = len(state.translate_posts())
    assert n >= 1
    r = run_cli(["translate", messages, "-c", "text", "--url", url])
    assert r.exit_code == 0, r.stderr
    assert len(state.translate_posts()) == n  # nothing new sent
    rows = read(r.stdout)
    assert rows[0]["text_translation_status"] == "cached"
    assert rows[0]["text_en"] == "<sq>Ku je tani? Më thirr sa më shpejt."
    d = cache_dir / "translate"
    assert stat.S_IMODE(d.stat().st_mode) == 0o700
    assert stat.S_IMODE((d / "translations.sqlite3").stat().st_mode) == 0o600
    # --no-cache sends again; --clear-cache empties it
    assert run_cli(["translate", messages, "-c", "text", "--url", url, "--no-cache"]).exit_code == 0
    assert len(state.translate_posts()) > n
    r = run_cli(["translate", "--clear-cache"])
    assert r.exit_code == 0 and "cleared" in r.stderr
    m = len(state.translate_posts())
    r = run_cli(["translate", messages, "-c", "text", "--url", url])
    assert len(state.translate_posts()) > m
    assert read(r.stdout)[0]["text_translation_status"] == "translated"


def test_429_then_success(libre, cache_dir, messages):
    url, state = libre
    state.fail_429 = 2
    r = run_cli(["translate", messages, "-c", "text", "--url", url, "--retries", "3"])
    assert r.exit_code == 0, r.stderr
    assert {x["text_translation_status"] for x in read(r.stdout)} <= {
        "translated", "same_language", "empty"}
    assert len(state.translate_posts()) >= 3


def test_500_for_one_text_fails_only_that_row(libre, cache_dir, tmp_path):
    url, state = libre
    rows = [("1", "Nuk kam pasaportën time, e mban shefi."),
            ("2", "Ku je tani? Më thirr BOOM sa më shpejt."),
            ("3", "Jam shumë e lodhur dhe dua të shkoj në shtëpi.")]
    src = write_csv(tmp_path / "m.csv", rows)
    r = run_cli(["translate", src, "-c", "text", "--url", url, "--retries", "0"])
    assert r.exit_code == 0, r.stderr
    out = read(r.stdout)
    assert [x["text_translation_status"] for x in out][0::2] == ["translated", "translated"]
    assert out[1]["text_translation_status"].startswith("error: HTTP 500")
    assert "model crashed" in out[1]["text_translation_status"]
    assert out[1]["text_en"] == "" and out[1]["text"] == rows[1][1]
    assert "1 distinct texts were not translated" in r.stderr


def test_timeout_fails_only_that_batch(libre, cache_dir, tmp_path):
    url, state = libre
    state.slow_seconds = 3
    rows = [("1", "Nuk kam pasaportën time SLOW, e mban shefi."),
            ("2", "Gdzie jesteś? Zadzwoń do mnie jak najszybciej.")]
    src = write_csv(tmp_path / "m.csv", rows)
    r = run_cli(["translate", src, "-c", "text", "--url", url, "--timeout", "0.5",
                 "--retries", "0"])
    assert r.exit_code == 0, r.stderr
    out = read(r.stdout)
    assert out[0]["text_translation_status"].startswith("error: timed out")
    assert out[1]["text_translation_status"] == "translated"


def test_server_down_writes_output_and_exits_3(cache_dir, messages, tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    out = tmp_path / "out.csv"
    r = run_cli(["translate", messages, "-c", "text", "--url", f"http://127.0.0.1:{port}",
                 "--retries", "0", "-o", out])
    assert r.exit_code == 3
    assert "cannot reach LibreTranslate" in r.stderr and "Traceback" not in r.stderr
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert rows[0]["text_lang"] == "sq"
    assert rows[0]["text_translation_status"].startswith("error: cannot reach")
    assert rows[3]["text_translation_status"] == "same_language"


def test_unsupported_source_language(libre, cache_dir, tmp_path):
    url, state = libre
    src = write_csv(tmp_path / "m.csv", [("1", "Neturiu paso, jį laiko šefas.")])
    state.languages = ["en", "sq"]
    r = run_cli(["translate", src, "-c", "text", "--url", url])
    assert r.exit_code == 0, r.stderr
    assert read(r.stdout)[0]["text_translation_status"] == "unsupported_language"
    assert not state.translate_posts()


def test_target_not_offered_is_usage_error(libre, cache_dir, messages):
    url, state = libre
    r = run_cli(["translate", messages, "-c", "text", "--url", url, "--to", "fr"])
    assert r.exit_code == 2 and "cannot translate into 'fr'" in r.stderr


def test_no_backend_outputs_detection(cache_dir, messages, no_public_network):
    r = run_cli(["translate", messages, "-c", "text"])
    assert r.exit_code == 0
    rows = read(r.stdout)
    assert rows[0]["text_lang"] == "sq" and rows[0]["text_translation_status"] == "no_backend"
    assert "TOEX_LIBRETRANSLATE_URL" in r.stderr
    assert not no_public_network


def test_env_url_and_api_key_in_body(libre, cache_dir, messages, monkeypatch):
    url, state = libre
    monkeypatch.setenv("TOEX_LIBRETRANSLATE_URL", url)
    monkeypatch.setenv("TOEX_LIBRETRANSLATE_API_KEY", "k-secret-123")
    r = run_cli(["translate", messages, "-c", "text"])
    assert r.exit_code == 0, r.stderr
    assert all(b.get("api_key") == "k-secret-123" for _, _, b in state.translate_posts())
    assert "k-secret-123" not in r.stdout + r.stderr


def test_undetermined_is_sent_as_auto(libre, cache_dir):
    url, state = libre
    df = pd.DataFrame({"text": ["zzkx qwv"]}, dtype="str")
    client = LibreTranslateClient(url, retries=0)
    out, report = translate_frame(df, "text", backend=client, cache=None, announce=False)
    assert out["text_lang"][0] == "und"
    assert state.translate_posts()[0][2]["source"] == "auto"
    assert out["text_translation_status"][0] == "translated"


def test_library_reuses_detect_output_and_cache(libre, tmp_path):
    url, state = libre
    df = pd.DataFrame({"text": ["Nuk kam pasaportën time."], "text_lang": ["sq"]}, dtype="str")
    cache = TranslationCache(directory=tmp_path / "c")
    client = LibreTranslateClient(url)
    out, report = translate_frame(df, "text", backend=client, cache=cache, announce=False)
    assert list(out.columns) == ["text", "text_lang", "text_en", "text_translation_backend",
                                 "text_translation_status"]
    assert report.translated == 1
    out2, report2 = translate_frame(df, "text", backend=client, cache=cache, announce=False)
    assert report2.cached == 1 and len(state.translate_posts()) == 1
    cache.close()


def test_client_detect_and_405(libre):
    url, state = libre
    client = LibreTranslateClient(url, retries=0)
    assert client.detect("hello")[0]["language"] == "en"
    assert "sq" in client.languages()


def test_subprocess_translate_pipe(libre, tmp_path):
    url, state = libre
    env = dict(os.environ, TOEX_CACHE_DIR=str(tmp_path / "cache"), TOEX_LIBRETRANSLATE_URL=url)
    data = "id,text\n1,Nuk kam pasaportën time\n2,where r u? call me asap\n"
    p = run_toex(["translate", "-", "-c", "text", "--languages", "sq,en"], input=data, env=env)
    assert p.returncode == 0, p.stderr.decode()
    rows = read(p.stdout.decode("utf-8"))
    assert rows[0]["text_en"] == "<sq>Nuk kam pasaportën time"
    assert rows[1]["text_translation_status"] == "same_language"


def test_undetermined_texts_go_one_per_request(libre, cache_dir):
    # LibreTranslate detects once per request for source "auto": never batch them together.
    url, state = libre
    df = pd.DataFrame({"text": ["12345 !!", "0000 ??", "Nuk kam pasaportën time.",
                                "Jam shumë e lodhur dhe dua të shkoj në shtëpi."]}, dtype="str")
    client = LibreTranslateClient(url, retries=0)
    out, _ = translate_frame(df, "text", backend=client, cache=None, announce=False)
    posts = [b for _, _, b in state.translate_posts()]
    assert sorted(len(b["q"]) for b in posts if b["source"] == "auto") == [1, 1]
    assert [len(b["q"]) for b in posts if b["source"] == "sq"] == [2]
