"""Offline language detection: accuracy on labelled short messages, scripts, columns, CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_cli, run_toex
from toexcli.errors import UsageError
from toexcli.translate import Detector, detect_languages, script_of, transliterate

DATA = Path(__file__).parent / "data"


def labelled(*names):
    rows = []
    for name in names:
        with open(DATA / name, newline="", encoding="utf-8") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


@pytest.fixture(scope="module")
def detector():
    return Detector()  # lingua detectors are cached per process: built once for all tests


def score(detector, rows):
    got = [detector.detect(r["text"]).lang for r in rows]
    right = sum(g == r["lang"] for g, r in zip(got, rows))
    answered = sum(g != "und" for g in got)
    wrong = [(r["id"], r["lang"], g) for g, r in zip(got, rows) if g not in (r["lang"], "und")]
    return right, answered, wrong


def test_accuracy_on_labelled_short_messages(detector):
    rows = labelled("shared_messages.csv", "own_messages.csv")
    assert len(rows) >= 40
    right, answered, wrong = score(detector, rows)
    # Measured: 74/74 with the default candidate set. Allow a little slack for model updates,
    # but a confident wrong answer is worse than "und": precision must stay very high.
    assert right / len(rows) >= 0.93, (right, len(rows), wrong)
    assert len(wrong) <= 1, wrong


def test_accuracy_on_held_out_messages(detector):
    # Written after the rules were tuned, never used to tune them.
    rows = labelled("holdout_messages.csv")
    right, answered, wrong = score(detector, rows)
    assert right / len(rows) >= 0.89, (right, len(rows), wrong)
    assert not wrong, wrong


def test_shared_samples_all_right(detector, shared):
    rows = labelled(shared / "samples" / "messages" / "messages.csv")
    right, _, wrong = score(detector, rows)
    assert right == len(rows), wrong


@pytest.mark.parametrize("text,lang", [
    ("wagwan bro, u good?", "en"),
    ("bell me when ur outside innit", "en"),
    ("where r u? call me asap", "en"),
    ("anh o dau vay, em doi o ga tau", "vi"),
    ("Де ти зараз? Зателефонуй мені.", "uk"),
    ("Где ты сейчас? Позвони мне срочно.", "ru"),
    ("你现在在哪里？快给我打电话。", "zh"),
    ("ring me on 07700 900123 not this number", "en"),
])
def test_hard_cases(detector, text, lang):
    assert detector.detect(text).lang == lang


def test_abstains_rather_than_guessing(detector):
    for text in ("ok", "xyz qwv", "?? !!", "12345"):
        d = detector.detect(text)
        assert d.lang in ("und", "en"), (text, d)
    assert detector.detect("12345").lang == "und"
    assert detector.detect("").lang == ""
    assert detector.detect(None).lang == ""


def test_scripts():
    assert script_of("Ku je tani?") == "Latin"
    assert script_of("أين أنت الآن؟") == "Arabic"
    assert script_of("老板拿走了我的护照") == "Han"
    assert script_of("Хозяин забрал мой паспорт") == "Cyrillic"
    assert script_of("ሰላም ነው") == "Ethiopic"
    assert script_of("Hello Москва друг") == "Cyrillic+Latin"
    assert script_of("12345 !!") == ""


def test_script_decides_when_one_candidate(detector):
    d = detector.detect("老板拿走了我的护照。")
    assert (d.lang, d.confidence, d.script) == ("zh", 1.0, "Han")
    only_latin = Detector(["en", "sq"])
    assert only_latin.detect("老板拿走了我的护照。").lang == "und"  # no Han candidate given
    assert Detector(["ar", "en"]).detect("أين أنت الآن؟ اتصل بي بسرعة.").lang == "ar"


def test_languages_option_validated():
    with pytest.raises(UsageError, match="xx"):
        Detector("sq,xx")
    assert Detector("default,mk").languages[-1] == "mk"
    assert Detector("SQ, en").languages == ("sq", "en")


def test_transliterate():
    assert transliterate("Алексей Смирнов") == "Aleksey Smirnov"
    assert transliterate("Nguyễn Văn Anh") == "Nguyen Van Anh"
    assert transliterate("محمد").isascii()
    assert transliterate(None) == ""


def test_frame_columns_inserted_after_text_and_rows_kept(detector):
    df = pd.DataFrame({"id": ["1", "2", "3", "4", "5"],
                       "text": ["Ku je tani? Më thirr.", None, "", "Ku je tani? Më thirr.",
                                "Хозяин забрал мой паспорт."],
                       "_row": [1, 2, 3, 4, 5]}).astype({"id": "str", "text": "str"})
    out = detect_languages(df, "text", detector=detector, latin=True)
    assert list(out.columns) == ["id", "text", "text_lang", "text_lang_confidence", "text_script",
                                 "text_lang_other", "text_lang_reason", "text_latin", "_row"]
    assert out["text_lang"].tolist() == ["sq", "", "", "sq", "ru"]
    assert out["text_script"].tolist() == ["Latin", "", "", "Latin", "Cyrillic"]
    assert pd.isna(out["text_lang_confidence"][1])
    assert out["text_latin"][4].startswith("Khozyain")
    pd.testing.assert_series_equal(out["text"], df["text"])  # evidence unchanged
    assert out["_row"].tolist() == [1, 2, 3, 4, 5]


def test_cli_detect_csv(tmp_path):
    src = tmp_path / "m.csv"
    src.write_text("id,text\n1,Nuk kam pasaportën time\n2,where r u? call me asap\n3,\n",
                   encoding="utf-8")
    r = run_cli(["translate", "detect", src, "-c", "text"])
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [x["text_lang"] for x in rows] == ["sq", "en", ""]
    assert list(rows[0])[:5] == ["id", "text", "text_lang", "text_lang_confidence", "text_script"]
    assert "languages: (empty) 1, en 1, sq 1" in r.stderr


def test_cli_detect_missing_column_is_usage_error(tmp_path):
    src = tmp_path / "m.csv"
    src.write_text("id,text\n1,hello there\n", encoding="utf-8")
    r = run_cli(["translate", "detect", src, "-c", "txt"])
    assert r.exit_code == 2
    assert "did you mean 'text'" in r.stderr and "m.csv" in r.stderr


def test_cli_help_forms():
    r = run_cli(["translate", "--help"])
    assert r.exit_code == 0 and "detect" in r.stdout and "Examples" in r.stdout
    r = run_cli(["translate", "detect", "--help"])
    assert r.exit_code == 0 and "--languages" in r.stdout and "Examples" in r.stdout
    r = run_cli(["translate", "run", "--help"])
    assert r.exit_code == 0 and "--allow-online" in r.stdout and "Examples" in r.stdout
    r = run_cli(["translate"])
    assert r.exit_code == 2 or "Usage" in r.stdout


def test_subprocess_pipe_detect(tmp_path):
    data = 'text\n"Nuk kam pasaportën time, e mban shefi."\n"I\'m so tired, I just want to go home."\n'
    p = run_toex(["translate", "detect", "-", "-c", "text", "--languages", "sq,en",
                  "--transliterate"], input=data, env=None)
    assert p.returncode == 0, p.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(p.stdout.decode("utf-8"))))
    assert [r["text_lang"] for r in rows] == ["sq", "en"]
    assert rows[0]["text_latin"] == "Nuk kam pasaporten time, e mban shefi."
    assert p.stderr.decode().count("Traceback") == 0


def test_very_short_messages_abstain_rather_than_guess(detector):
    # 2-3 word messages are the hardest class: measured 13/22 right, 8 'und', 1 wrong
    # ("di dau day", toneless Vietnamese, taken for English) with one flat threshold of 0.5
    # (--threshold 0.5). The point is precision.
    rows = labelled("short_messages.csv")
    right, answered, wrong = score(Detector(threshold=0.5), rows)
    assert right >= 11, (right, wrong)
    assert len(wrong) <= 2, wrong
    # The default (calibrated per class: 1-2 word texts need 0.87+) abstains more: never wrong.
    right, answered, wrong = score(detector, rows)
    assert right >= 5 and not wrong, (right, wrong)
