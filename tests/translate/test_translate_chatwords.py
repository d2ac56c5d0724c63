"""Language detection: the conversational word frequencies (toexcli/translate/data/chatwords.tsv.gz).

Two- and three-word messages are where lingua's character models (trained on prose) fail and
where the words themselves are among the most frequent of one language's dialogue. Each test
here fails when the word model is switched off or fed the wrong language's list.
"""

from __future__ import annotations

import pytest

from toexcli.translate import detect as mod
from toexcli.translate.detect import ChatWords, Detector, chat_words

# (message, language): short chat that lingua alone leaves `und` (vetoed by Zulu, Danish,
# Latin, Basque, ... or below the class's confidence) and the word model labels right.
SHORT_CHAT = [
    ("gdzie jestes", "pl"),
    ("unde esti", "ro"),
    ("vin acum", "ro"),
    ("po vij tani", "sq"),
    ("me thirr", "sq"),
    ("skambink man", "lt"),
    ("on my way", "en"),
    ("где ты", "ru"),
    ("де ти", "uk"),
]


@pytest.fixture(scope="module")
def det():
    return Detector()


@pytest.mark.parametrize("text,lang", SHORT_CHAT)
def test_short_chat_labelled_with_the_word_model(det, text, lang):
    got = det.detect(text)
    assert (got.lang, got.reason) == (lang, ""), got


def test_without_the_word_model_short_chat_is_und():
    plain = Detector(word_weight=0)
    labelled = [t for t, lang in SHORT_CHAT if plain.detect(t).lang == lang]
    assert len(labelled) <= 2, labelled  # the word model is what labels them


def test_a_wrong_list_is_caught(monkeypatch):
    """Feed Albanian's words as Romanian's: 'po vij tani' must then not come out Albanian."""
    words = chat_words()
    swapped = ChatWords([])
    swapped.exact = {**words.exact, "ro": words.exact["sq"], "sq": words.exact["ro"]}
    swapped.folded = {**words.folded, "ro": words.folded["sq"], "sq": words.folded["ro"]}
    swapped.floor = {**words.floor, "ro": words.floor["sq"], "sq": words.floor["ro"]}
    swapped.languages = words.languages
    monkeypatch.setattr(mod, "_CHAT_WORDS", swapped)
    assert Detector().detect("po vij tani").lang != "sq"


def test_words_typed_without_accents_fold_onto_the_list():
    words = chat_words()
    ll = words.loglik(["jestes"], ["pl", "cs"])
    assert ll["pl"] == pytest.approx(words.folded["pl"]["jestes"])
    assert ll["pl"] > words.floor["pl"] + 5  # 'jesteś' is a top word of Polish dialogue
    # a word written with accents must match as written
    assert words.loglik(["jestęs"], ["pl"])["pl"] == words.floor["pl"]


def test_a_language_without_a_list_is_left_where_lingua_put_it():
    words = chat_words()
    assert "so" not in words.languages and "zu" not in words.languages
    every = {"so": 0.4, "zu": 0.2, "sq": 0.2, "ro": 0.2}
    tilted = words.tilt("ku je", every, 0.3)
    assert tilted["so"] == every["so"] and tilted["zu"] == every["zu"]
    assert tilted["sq"] > every["sq"] > tilted["ro"]
    # nothing to go on (no listed language among the scores): unchanged
    assert words.tilt("ku je", {"so": 0.5, "zu": 0.5}, 0.3) == {"so": 0.5, "zu": 0.5}


def test_the_tilt_is_bounded():
    words = chat_words()
    text = " ".join(["shumë"] * 400)  # hundreds of one language's words
    tilted = words.tilt(text, {"sq": 1e-3, "ro": 1.0}, 5.0)
    assert all(v == v and v != float("inf") for v in tilted.values())


def test_the_shipped_list_is_whole():
    words = chat_words()
    for lang in ("en", "sq", "vi", "ro", "pl", "lt", "lv", "bg", "cs", "sk", "hu", "pt", "tr",
                 "ru", "uk", "ar", "fa", "ur", "es", "fr", "de", "it", "hr", "sr", "bs", "sl",
                 "sv", "nl", "da", "mk"):
        assert lang in words.languages, lang
        assert len(words.exact[lang]) >= 4000, lang
        assert max(words.exact[lang].values()) > words.floor[lang] + 5, lang


def _tatoeba(per_language=40):
    """A seeded sample of the public short-text set (Tatoeba via LASER; see data/README.md)."""
    import csv
    import random
    from collections import defaultdict
    from pathlib import Path

    by_lang = defaultdict(list)
    with open(Path(__file__).parent / "data" / "tatoeba_short.tsv", encoding="utf-8",
              newline="") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            by_lang[r["lang"]].append(r["text"])
    rng = random.Random("tatoeba-test")
    return [(lang, t) for lang in sorted(by_lang) for t in rng.sample(by_lang[lang], per_language)]


def _scores(detector, rows):
    got = [(lang, detector.detect(t).lang) for lang, t in rows]
    labelled = [(lang, g) for lang, g in got if g not in ("und", "")]
    cands = [(lang, g) for lang, g in got if lang in detector.languages]
    return (sum(lang == g for lang, g in labelled) / len(labelled),
            sum(lang == g for lang, g in cands) / len(cands))


def test_public_short_texts_meet_the_goals(det):
    """Short everyday sentences in 33 languages (13 not candidates): labels right >= 98 %,
    candidate-language texts labelled right >= 92 % (the issue's goals; full set in the README)."""
    rows = _tatoeba()
    precision, right = _scores(det, rows)
    assert precision >= 0.98 and right >= 0.92, (precision, right)
    # Tampered: lingua and the rules alone, same thresholds, label far fewer of them right.
    bare_precision, bare_right = _scores(Detector(word_weight=0), rows)
    assert bare_right < right - 0.03, (bare_right, right)


# English loanwords in another language's chat: the slang lexicon must stand aside.
CODE_SWITCHED = [("ok bro gdzie jestes", "pl"), ("bro nuk kam lek", "sq"), ("bro unde esti", "ro")]


@pytest.mark.parametrize("text,lang", CODE_SWITCHED)
def test_english_loanwords_do_not_make_a_message_english(det, text, lang):
    assert det.detect(text).lang == lang


def test_ambiguous_code_switched_message_is_und_not_english(det):
    # 'ku je' is Albanian (or Somali, which has no word list): never English because of 'ok bro'
    assert det.detect("ok bro ku je").lang == "und"


@pytest.mark.parametrize("text", ["yo fam wys", "thx bro", "wagwan bro, u good?", "ok bro"])
def test_slang_stays_english(det, text):
    assert det.detect(text).lang == "en"


def test_tampered_mixed_rule_is_caught(monkeypatch):
    monkeypatch.setattr(mod, "MIXED_MARGIN", float("inf"))  # the lexicon always decides
    det = Detector()
    assert det.detect("ok bro gdzie jestes").lang == "en"
    assert det.detect("ok bro ku je").lang == "en"


@pytest.mark.parametrize("text,lang", [("soooo tired omg 😩😩", "en"), ("pleaseeee call me", "en"),
                                       ("gdzie jesteeees???", "pl"), ("unde estiiii", "ro"),
                                       ("ma I caawin kartaaa", "so")])
def test_stretched_words_are_read_as_words(det, text, lang):
    assert det.detect(text).lang == lang


def test_tampered_stretch_rule_is_caught(monkeypatch):
    import re

    monkeypatch.setattr(mod, "_ELONGATED", re.compile(r"(?!)(.)"))  # never matches
    det = Detector()
    assert det.detect("soooo tired omg 😩😩").lang != "en"
    assert det.detect("ma I caawin kartaaa").lang != "so"  # Somali, a stretched 'kartaa'


def test_stretched_lookup_only_for_stretched_words():
    words = chat_words()
    # 'sii' (Somali) is not Slovak/Czech 'si' written twice: only a stretched word is respelled
    assert words.loglik(["sii"], ["sk"])["sk"] == words.floor["sk"]
    assert words.loglik(["sii"], ["sk"], stretched={"sii"})["sk"] > words.floor["sk"]


UKRAINIAN_WITH_SHCHA = ["Ми робимо це щоночі.", "Навіщо мені їхати до Бостона?", "Ви будете щасливі.",
                        "Щось плануєш?"]  # Tatoeba (CC-BY 2.0 FR), see data/README.md


@pytest.mark.parametrize("text", UKRAINIAN_WITH_SHCHA)
def test_ukrainian_with_shcha_is_not_vetoed_by_kazakh(det, text):
    assert det.detect(text).lang == "uk"


def test_tampered_shcha_workaround_is_caught(monkeypatch):
    monkeypatch.setattr(mod, "_for_lingua", lambda text: text)  # lingua's own letter rule
    det = Detector()
    vetoed = [t for t in UKRAINIAN_WITH_SHCHA if det.detect(t).other == "kk"]
    assert len(vetoed) >= 3, vetoed


def test_russian_shcha_is_left_alone(det):
    assert mod._for_lingua("Мы ищем щенка") == "Мы ищем щенка"
    assert det.detect("Мы ищем щенка, ещё раз").lang == "ru"


def test_accents_are_folded_only_in_a_text_typed_without_them(det):
    words = chat_words()
    # Slovak "ma" (me); Czech "má" (has) only counts for "ma" when the writer types no accents
    assert words.loglik(["ma"], ["cs"], fold=False)["cs"] < words.loglik(["ma"], ["cs"])["cs"] - 3
    assert det.detect("Bolí ma srdce.").lang == "sk"  # Tatoeba; with folding: Czech


def test_tampered_folding_of_accented_text_is_caught(monkeypatch):
    real = ChatWords.loglik
    monkeypatch.setattr(ChatWords, "loglik",
                        lambda self, words, langs, stretched=frozenset(), fold=True:
                        real(self, words, langs, stretched, True))
    assert Detector().detect("Bolí ma srdce.").lang != "sk"
