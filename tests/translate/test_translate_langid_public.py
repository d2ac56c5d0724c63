"""Language detection on public labelled text (lingua's held-out test data, see data/README.md).

The point is precision: a label, when given, must be right, also on languages that are not
candidates (Spanish must never come out Portuguese). Thresholds below are the measured figures
minus a little slack for model updates.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import run_cli, run_toex
from toexcli.translate import Detector, detect_languages
from toexcli.translate.detect import DEFAULT_LANGUAGES, DEFAULT_THRESHOLD, MAX_CHARS, Detection

DATA = Path(__file__).parent / "data"


def sample(kinds):
    with open(DATA / "lingua_testdata_sample.tsv", encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f, delimiter="\t") if r["kind"] in kinds]


@pytest.fixture(scope="module")
def detector():
    return Detector()


def test_out_of_candidate_sentences_are_never_labelled_a_candidate(detector):
    rows = [r for r in sample({"sentence"}) if r["lang"] not in DEFAULT_LANGUAGES]
    assert len(rows) == 13 * 25
    results = [detector.detect(r["text"]) for r in rows]
    wrong = [(r["lang"], d.lang) for r, d in zip(rows, results) if d.lang != "und"]
    # Measured: 1 of 325 (an old veto-less detector: 75% got a candidate label, es->pt, fr->en).
    assert len(wrong) <= 5, wrong
    named = sum(d.other == r["lang"] for r, d in zip(rows, results))
    assert named / len(rows) >= 0.9  # COL_lang_other says which language it is


def test_precision_on_public_pairs_and_sentences(detector):
    rows = sample({"pair", "sentence"})
    evidence = [detector.evidence(r["text"]) for r in rows]

    def answers(det):
        return [ev.lang if isinstance(ev, Detection) else det.decide(ev).lang for ev in evidence]

    # One flat threshold (--threshold 0.5): 97.4% right when labelled, 96% of candidate texts
    # right (measured before the per-class calibration; the same or better since).
    for det, precision, coverage in ((Detector(threshold=0.5), 0.96, 0.93),
                                     # the calibrated default: 99.0% right when labelled
                                     # (measured), at a lower coverage (91%)
                                     (detector, 0.98, 0.88)):
        got = answers(det)
        labelled = [(r["lang"], g) for r, g in zip(rows, got) if g != "und"]
        right = sum(t == g for t, g in labelled)
        assert right / len(labelled) >= precision, [(t, g) for t, g in labelled if t != g][:20]
        cand = [(r["lang"], g) for r, g in zip(rows, got) if r["lang"] in DEFAULT_LANGUAGES]
        assert sum(t == g for t, g in cand) / len(cand) >= coverage


def test_languages_all_labels_every_language():
    rows = [r for r in sample({"sentence"}) if r["lang"] in ("es", "fr", "de", "hr", "sv", "mk")]
    det = Detector("all")
    assert len(det.languages) == 75
    got = [det.detect(r["text"]) for r in rows]
    right = sum(d.lang == r["lang"] for r, d in zip(rows, got))
    labelled = sum(d.lang != "und" for d in got)
    assert right / len(rows) >= 0.9 and right / labelled >= 0.97  # measured 92%, 100%
    assert all(d.other == "" for d in got)


def test_script_is_decided_after_links_handles_and_emails_are_removed(detector):
    d = detector.detect("@KetiLazova Лека нощ :)")
    assert (d.lang, d.script) == ("bg", "Cyrillic")
    d = detector.detect("Позвони мне, vasya.petrov@mail.ru")
    assert (d.lang, d.script) == ("ru", "Cyrillic")
    assert detector.detect("https://example.com/abc www.example.org").lang == "und"


def test_tampered_veto_is_caught(detector, monkeypatch):
    # Without the veto (and the share floor) the same sentences get candidate labels: proof that
    # the test above tests something.
    from toexcli.translate import detect as mod

    monkeypatch.setattr(mod, "VETO_RATIO", 1e9)
    monkeypatch.setattr(mod, "SHARE_FLOOR", 0.0)
    rows = [r for r in sample({"sentence"}) if r["lang"] in ("es", "fr", "it", "hr")]
    wrong = sum(detector.detect(r["text"]).lang != "und" for r in rows)
    assert wrong > 30


def test_very_long_text_is_judged_on_a_prefix_quickly(detector):
    import time

    text = "Nuk kam pasaportën time, e mban shefi. " * 30000  # ~1.2 MB in one cell
    t0 = time.perf_counter()
    d = detector.detect(text)
    assert time.perf_counter() - t0 < 5
    assert (d.lang, d.prefix) == ("sq", True)
    assert not detector.detect("Nuk kam pasaportën time.").prefix
    assert MAX_CHARS >= 1000


def test_frame_has_lang_other_and_says_when_a_prefix_was_used(detector, capsys):
    import pandas as pd

    df = pd.DataFrame({"text": ["¿Dónde estás? Llámame cuando puedas.", "Ku je tani? Më thirr.",
                                "Nuk kam pasaportën time, e mban shefi. " * 80]}, dtype="str")
    out = detect_languages(df, "text", detector=detector)
    assert out["text_lang"].tolist() == ["und", "sq", "sq"]
    assert out["text_lang_other"].tolist() == ["es", "", ""]
    assert "judged on the first" in capsys.readouterr().err


def test_cli_default_threshold_is_the_library_default():
    from toexcli.translate import cli

    import inspect

    for fn in (cli.detect_cmd, cli.run_cmd):
        assert inspect.signature(fn).parameters["threshold"].default == DEFAULT_THRESHOLD


def test_cli_languages_all_and_lang_other(tmp_path):
    src = tmp_path / "m.csv"
    src.write_text("text\n\"¿Dónde estás? Llámame cuando puedas.\"\n", encoding="utf-8")
    r = run_cli(["translate", "detect", src, "-c", "text"])
    assert r.exit_code == 0, r.stderr
    row = next(csv.DictReader(io.StringIO(r.stdout)))
    assert (row["text_lang"], row["text_lang_other"]) == ("und", "es")
    p = run_toex(["translate", "detect", "-", "-c", "text", "--languages", "all"],
                 input=src.read_bytes())
    assert p.returncode == 0, p.stderr.decode()
    row = next(csv.DictReader(io.StringIO(p.stdout.decode())))
    assert (row["text_lang"], row["text_lang_other"]) == ("es", "")
