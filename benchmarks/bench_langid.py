#!/usr/bin/env python3
"""Accuracy of ``toex translate detect`` against lingua, langdetect and py3langid, same run.

Public labelled text: a sample of lingua-py's own test data (``language-testdata``: single
words, word pairs, sentences; Apache-2.0) shipped in tests/translate/data/lingua_testdata_sample.tsv,
the same sentences and word pairs with accents stripped, and the project's fictional chat
messages (tests/translate/data/*_messages.csv) and 4,950 short public sentences (Tatoeba,
tests/translate/data/tatoeba_short.tsv). Languages: the 20 default candidates and 13
that are *not* candidates (es fr de it hr sr bs sl sv nl da be mk), which a detector restricted
to the candidates can only get wrong.

    .venv/bin/python benchmarks/bench_langid.py                  # the shipped sample (~2,500 texts)
    .venv/bin/python benchmarks/bench_langid.py --tsv dev.tsv    # any lang<TAB>kind<TAB>text file

Per class, for each detector: ``prec`` = right when a label is given (``und`` is no label; a
candidate label on an out-of-candidate text is wrong), ``cover`` = share of texts labelled,
``right`` = share of texts given their true label (candidate languages only: out-of-candidate
texts have no right candidate label). langdetect and py3langid are optional: pip install
langdetect py3langid (they are not dependencies of toex).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "translate" / "data"


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def load(tsv: Path) -> list[tuple[str, str, str]]:
    rows = []
    with open(tsv, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            rows.append((r["lang"], r["kind"], r["text"]))
    # The same sentences and pairs typed without accents (phones, hurried chat); Latin only.
    for lang, kind, text in list(rows):
        if kind in ("sentence", "pair"):
            plain = strip_accents(text)
            if plain != text and all(ord(c) < 0x250 or not c.isalpha() for c in plain):
                rows.append((lang, f"{kind}-noaccent", plain))
    # Short everyday sentences from Tatoeba (CC-BY 2.0 FR) and Somali Common Voice prompts (CC0):
    # 150 per language for the same 33 languages, 1-6 words (see tests/translate/data/README.md).
    short = DATA / "tatoeba_short.tsv"
    if short.exists() and tsv == DATA / "lingua_testdata_sample.tsv":
        with open(short, encoding="utf-8", newline="") as f:
            rows.extend((r["lang"], r["kind"], r["text"])
                        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for name in ("shared_messages.csv", "own_messages.csv", "holdout_messages.csv",
                 "short_messages.csv"):
        p = DATA / name
        if p.exists():
            with open(p, encoding="utf-8", newline="") as f:
                rows.extend((r["lang"], "chat", r["text"]) for r in csv.DictReader(f))
    return rows


def detectors(candidates):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    from toexcli.translate.detect import Detector

    out = {}
    toex = Detector()
    out["toex"] = lambda t: toex.detect(t).lang
    flat = Detector(threshold=0.5)  # one threshold for every text: the pre-calibration default
    out["toex --threshold 0.5"] = lambda t: flat.detect(t).lang
    try:
        toex_all = Detector("all")
        out["toex --languages all"] = lambda t: toex_all.detect(t).lang
    except Exception as exc:  # an older toex without --languages all
        print(f"toex --languages all: {exc}", file=sys.stderr)

    def code(lang):
        return lang.iso_code_639_1.name.lower()

    cand = LanguageDetectorBuilder.from_languages(
        *[Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in candidates]).build()
    out["lingua (candidates)"] = lambda t: (lambda l: code(l) if l else "und")(cand.detect_language_of(t))
    full = LanguageDetectorBuilder.from_all_languages().build()
    out["lingua (all 75)"] = lambda t: (lambda l: code(l) if l else "und")(full.detect_language_of(t))
    try:
        import langdetect

        langdetect.DetectorFactory.seed = 0

        def ld(t):
            try:
                return langdetect.detect(t).split("-")[0]
            except Exception:  # "No features in text"
                return "und"
        out["langdetect"] = ld
    except ImportError:
        print("langdetect not installed: skipped", file=sys.stderr)
    try:
        import py3langid

        out["py3langid"] = lambda t: py3langid.classify(t)[0]
    except ImportError:
        print("py3langid not installed: skipped", file=sys.stderr)
    return out


def calibration(rows, cands):
    """toex's confidence -> share right, for the labels it would give with --threshold 0.

    The per-class curve (the default thresholds) is benchmarks/calibrate_langid.py's job."""
    from toexcli.translate.detect import Detector

    det = Detector(threshold=0.0)
    bins = defaultdict(lambda: [0, 0])
    for lang, kind, text in rows:
        d = det.detect(text)
        if d.lang in ("und", ""):
            continue
        group = "chat" if kind == "chat" else "lingua"
        b = bins[(group, min(int(d.confidence * 10), 9))]
        b[0] += 1
        b[1] += d.lang == lang
    print("\n== calibration: toex confidence -> right when labelled (--threshold 0) ==")
    for group in ("lingua", "chat"):
        cells = [f"{b / 10:.1f}+ {bins[(group, b)][1] / bins[(group, b)][0]:.1%} "
                 f"(n={bins[(group, b)][0]})" for b in range(10) if bins[(group, b)][0]]
        print(f"{group}: " + ", ".join(cells))


def main(argv=None):
    from toexcli.translate.detect import DEFAULT_LANGUAGES

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tsv", type=Path, default=DATA / "lingua_testdata_sample.tsv")
    ap.add_argument("--only", help="comma-separated detector names to run")
    args = ap.parse_args(argv)
    rows = load(args.tsv)
    cands = set(DEFAULT_LANGUAGES)
    dets = detectors(DEFAULT_LANGUAGES)
    if args.only:
        dets = {k: v for k, v in dets.items() if k in args.only.split(",")}
    order = "word pair sentence word-noaccent pair-noaccent sentence-noaccent short chat".split()
    classes = sorted({k for _, k, _ in rows}, key=lambda k: order.index(k) if k in order else 99)
    print(f"{len(rows)} texts; candidates: {','.join(DEFAULT_LANGUAGES)}")
    summary = {}
    for name, fn in dets.items():
        for _, _, text in rows[::50]:  # warm up: load each detector's models before timing
            fn(text)
        t0 = time.perf_counter()
        got = [fn(text) for _, _, text in rows]
        secs = time.perf_counter() - t0
        stats = defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # cand n, cand labelled, cand right, out n, out labelled, out wrong
        for (lang, kind, _), g in zip(rows, got):
            for key in (kind, "all"):
                s = stats[key]
                labelled = g not in ("und", "")
                if lang in cands:
                    s[0] += 1
                    s[1] += labelled
                    s[2] += g == lang
                else:
                    s[3] += 1
                    s[4] += labelled
                    s[5] += labelled and g != lang
        summary[name] = (stats, secs)
    for key in classes + ["all"]:
        print(f"\n== {key} ==")
        print(f"{'detector':24} {'prec':>7} {'cover':>7} {'right':>7} | {'out: wrong label':>17} {'n':>6}")
        for name, (stats, _) in summary.items():
            c_n, c_lab, c_right, o_n, o_lab, o_wrong = stats[key]
            labelled = c_lab + o_lab
            right_labels = c_right + (o_lab - o_wrong)
            prec = right_labels / labelled if labelled else float("nan")
            cover = labelled / (c_n + o_n) if c_n + o_n else float("nan")
            right = c_right / c_n if c_n else float("nan")
            ow = o_wrong / o_n if o_n else float("nan")
            print(f"{name:24} {prec:7.1%} {cover:7.1%} {right:7.1%} | {ow:17.1%} {c_n + o_n:6}")
    calibration(rows, cands)
    print("\nseconds per 1,000 texts:", ", ".join(
        f"{n} {s / len(rows) * 1000:.2f}" for n, (_, s) in summary.items()))


if __name__ == "__main__":
    main()
