#!/usr/bin/env python3
"""Build toex's conversational word-frequency table (toexcli/translate/data/chatwords.tsv.gz).

Source: Hermit Dave's FrequencyWords, 2018 lists (``content/2018/<lang>/<lang>_50k.txt``,
github.com/hermitdave/FrequencyWords, content CC-BY-SA-4.0), word counts from the OpenSubtitles
2018 corpus (opus.nlpl.eu). Subtitles are dialogue, which is what chat messages are made of: the
statistical character models of lingua (trained on news and web prose) are weakest on exactly
the two- and three-word messages ("ku je", "gdzie jestes") whose words head these lists.

Kept: the languages lingua also knows written in a script shared by several languages (Latin,
Cyrillic, Arabic), Brazilian and European Portuguese summed; per language the TOP most frequent
lower-cased words made only of letters, with their counts, and the corpus total. The output is a
derived data file under the same licence (CC-BY-SA-4.0); see toexcli/translate/data/README.md.

    git clone https://github.com/hermitdave/FrequencyWords /tmp/FrequencyWords
    .venv/bin/python benchmarks/build_chatwords.py /tmp/FrequencyWords
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "toexcli" / "translate" / "data" / "chatwords.tsv.gz"
# FrequencyWords directory -> ISO 639-1 code as lingua spells it (several lists may feed one).
SOURCES = {"no": "nb", "pt_br": "pt"}
DIRECTORIES = """af ar bg bs ca cs da de en eo es et eu fa fi fr hr hu id is it kk lt lv mk ms
no nl pl pt pt_br ro ru sk sl sq sr sv tl tr uk ur vi""".split()
WORD = re.compile(r"^[^\W\d_]+$")
TOP = 5000
# A list from fewer running words than this is too thin to give frequencies (Kazakh: 14,123,
# Tagalog: 95,408): left out, so the detector treats the language as having no word list.
MIN_TOTAL = 200_000


# Serbian subtitles are written in Latin letters, Serbian chat in either script: the Latin words are
# also listed in Cyrillic. The two alphabets map one to one (Vuk's Cyrillic, Gaj's Latin; the
# digraphs lj, nj, dž are single Cyrillic letters), so the Cyrillic spelling is exact.
SERBIAN_CYRILLIC = {"lj": "љ", "nj": "њ", "dž": "џ", "a": "а", "b": "б", "c": "ц", "č": "ч",
                    "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и",
                    "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р",
                    "s": "с", "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж"}


# Cyrillic alphabets: a word with a Cyrillic letter its language does not write is another
# language's word in that language's subtitles (the Ukrainian corpus holds Russian lines: "это",
# "всё"), and is left out of the list.
ALPHABETS = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюяѝ",
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш",
}
_CYRILLIC = re.compile(r"[\u0400-\u052f]")


def foreign_letters(lang: str, word: str) -> bool:
    alphabet = ALPHABETS.get(lang)
    return bool(alphabet) and any(_CYRILLIC.match(ch) and ch not in alphabet for ch in word)


def serbian_cyrillic(word: str) -> str | None:
    """``"ljubav"`` -> ``"љубав"``; None when the word has a letter Serbian does not write."""
    out, i = [], 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in SERBIAN_CYRILLIC:
            out.append(SERBIAN_CYRILLIC[pair])
            i += 2
        elif word[i] in SERBIAN_CYRILLIC:
            out.append(SERBIAN_CYRILLIC[word[i]])
            i += 1
        else:
            return None
    return "".join(out)


def read_list(repo: Path, name: str) -> str:
    """The 50k list, or the full list where a language has no 50k one (af, eo, kk, tl, ur)."""
    for rel in (f"content/2018/{name}/{name}_50k.txt", f"content/2018/{name}/{name}_full.txt"):
        if (repo / rel).exists():
            return (repo / rel).read_text(encoding="utf-8", errors="replace")
        r = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{rel}"], capture_output=True)
        if r.returncode == 0:
            return r.stdout.decode("utf-8", errors="replace")
    return ""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repo", type=Path, help="a FrequencyWords checkout (or bare clone)")
    ap.add_argument("--top", type=int, default=TOP)
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args(argv)
    counts: dict[str, Counter] = {}
    totals: Counter = Counter()
    for name in DIRECTORIES:
        lang = SOURCES.get(name, name)
        text = read_list(args.repo, name)
        if not text:
            print(f"{name}: no list", file=sys.stderr)
            continue
        c = counts.setdefault(lang, Counter())
        for line in text.splitlines():
            word, _, n = line.rpartition(" ")
            if not n.isdigit():
                continue
            totals[lang] += int(n)
            word = word.strip().lower()
            if WORD.match(word) and not foreign_letters(lang, word):
                c[word] += int(n)
    if "sr" in counts:
        latin = counts["sr"]
        counts["sr"] = Counter()
        for word, n in latin.most_common(args.top):
            counts["sr"][word] += n
            cyrillic = serbian_cyrillic(word)
            if cyrillic and cyrillic != word:
                counts["sr"][cyrillic] += n
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.output, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("lang\tword\tcount\n")
        for lang in sorted(l for l in counts if totals[l] >= MIN_TOTAL):
            f.write(f"{lang}\t\t{totals[lang]}\n")  # the empty word carries the corpus total
            top = args.top * (2 if lang == "sr" else 1)  # both spellings of Serbian's top words
            for word, n in counts[lang].most_common(top):
                f.write(f"{lang}\t{word}\t{n}\n")
    kept = sorted(l for l in counts if totals[l] >= MIN_TOTAL)
    print(f"{args.output}: {len(kept)} languages ({' '.join(kept)}), top {args.top} words each, "
          f"{args.output.stat().st_size:,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
