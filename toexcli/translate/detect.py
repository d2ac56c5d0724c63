"""Offline language and script detection for short chat messages.

Nothing is downloaded: lingua's language models ship inside its wheel. The approach:

1. Noise out: URLs, e-mail addresses, @handles, numbers and emoji are removed first, so
   ``ring me on 07700 900123`` is judged on its words and ``@KetiLazova Лека нощ`` is Cyrillic.
2. Script next, on what is left. Letters are counted by Unicode script; a script that only one
   language uses (Han -> zh, Hangul -> ko, Greek -> el, ...) decides the language outright.
   Arabic and Cyrillic narrow the candidates to the languages written that way.
3. English text-speak and UK slang (``wagwan``, ``innit``, ``bell me``, ``u``/``ur``) are
   recognised from a small lexicon, because statistical models trained on edited prose send
   them to random languages.
4. lingua scores the rest over *every* language it knows in that script (one detector per
   script, built lazily once per process). The candidates' relative scores pick the answer;
   the whole picture vetoes it: when a language outside the candidates is more likely than the
   best candidate, the answer is ``und`` and that language is reported (``Detection.other``),
   so Spanish never comes out Portuguese. ``languages="all"`` makes every language a candidate.
5. Words: the likelihood of the text's words in each language's dialogue (conversational word
   frequencies, ChatWords) tilts lingua's scores before 4's comparison and veto, because the
   shortest messages ("ku je", "gdzie jestes") are made of exactly the words that head one
   language's subtitles while their letters fit fifty languages.
6. Abstain: below a confidence threshold (calibrated on lingua's held-out test data, see
   benchmarks/bench_langid.py) the answer is ``und`` rather than a confident wrong language.
7. Bounded work: a text longer than MAX_CHARS is judged on its beginning.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

# A default candidate set for UK exploitation casework: the languages of victims and offenders
# most often met in county lines, labour and sexual exploitation and trafficking cases.
DEFAULT_LANGUAGES = (
    "en",  # English (and UK slang / text-speak)
    "sq",  # Albanian
    "vi",  # Vietnamese
    "ro",  # Romanian
    "pl",  # Polish
    "lt",  # Lithuanian
    "lv",  # Latvian
    "bg",  # Bulgarian
    "cs",  # Czech
    "sk",  # Slovak
    "hu",  # Hungarian
    "pt",  # Portuguese
    "tr",  # Turkish
    "so",  # Somali
    "ru",  # Russian
    "uk",  # Ukrainian
    "ar",  # Arabic
    "fa",  # Persian (Farsi / Dari)
    "ur",  # Urdu
    "zh",  # Chinese
)

UNDETERMINED = "und"
# None: the minimum confidence depends on the text's class (CLASS_THRESHOLDS); a number given
# with --threshold applies to every text instead.
DEFAULT_THRESHOLD = None

# Why a row is "und" (Detection.reason, COL_lang_reason).
REASON_OTHER = "other language"      # more likely a language outside the candidates
REASON_SHORT = "too short"           # a 1-2 word text below its class's calibrated confidence
REASON_UNSURE = "low confidence"     # a longer text below its class's confidence
REASON_NO_LETTERS = "no letters"     # nothing to judge once links, handles and numbers are out
REASON_SCRIPT = "script not in candidates"  # e.g. Han with --languages sq,en; Ethiopic

# Unicode blocks -> script name (letters only are counted).
_SCRIPT_RANGES = sorted([
    (0x0041, 0x024F, "Latin"), (0x1E00, 0x1EFF, "Latin"), (0x2C60, 0x2C7F, "Latin"),
    (0xA720, 0xA7FF, "Latin"), (0xFF21, 0xFF5A, "Latin"),
    (0x0370, 0x03FF, "Greek"), (0x1F00, 0x1FFF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"), (0x1C80, 0x1C8F, "Cyrillic"), (0x2DE0, 0x2DFF, "Cyrillic"),
    (0xA640, 0xA69F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"), (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"), (0x0750, 0x077F, "Arabic"), (0x08A0, 0x08FF, "Arabic"),
    (0xFB50, 0xFDFF, "Arabic"), (0xFE70, 0xFEFF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"), (0x0980, 0x09FF, "Bengali"), (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"), (0x0B80, 0x0BFF, "Tamil"), (0x0C00, 0x0C7F, "Telugu"),
    (0x0E00, 0x0E7F, "Thai"), (0x10A0, 0x10FF, "Georgian"), (0x1100, 0x11FF, "Hangul"),
    (0x1200, 0x139F, "Ethiopic"), (0x2D80, 0x2DDF, "Ethiopic"),
    (0x3040, 0x309F, "Hiragana"), (0x30A0, 0x30FF, "Katakana"), (0x3130, 0x318F, "Hangul"),
    (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"), (0xAC00, 0xD7AF, "Hangul"),
    (0xF900, 0xFAFF, "Han"), (0x20000, 0x2FA1F, "Han"),
])
_STARTS = [r[0] for r in _SCRIPT_RANGES]

# Languages written in each script (lingua's 75 languages, ISO 639-1).
_SCRIPT_LANGUAGES = {
    "Arabic": {"ar", "fa", "ur"},
    "Cyrillic": {"ru", "uk", "bg", "be", "sr", "mk", "kk", "mn"},
    "Han": {"zh", "ja"},
    "Hiragana": {"ja"}, "Katakana": {"ja"},
    "Hangul": {"ko"}, "Greek": {"el"}, "Hebrew": {"he"}, "Armenian": {"hy"},
    "Georgian": {"ka"}, "Thai": {"th"}, "Bengali": {"bn"}, "Gurmukhi": {"pa"},
    "Gujarati": {"gu"}, "Tamil": {"ta"}, "Telugu": {"te"}, "Devanagari": {"hi", "mr"},
    "Ethiopic": set(),  # Tigrinya / Amharic: not in lingua; the script is still reported
}
_NON_LATIN_LANGS = set().union(*_SCRIPT_LANGUAGES.values())

# Noise removed before statistics (kept in the data, of course).
_NOISE = re.compile(
    # the e-mail part starts only at a token start: unanchored, it backtracked quadratically on
    # one long token (the leftmost match is the token start anyway)
    r"https?://\S+|www\.\S+|(?<!\S)\S+@\S+\.\S+|@\w+|#\w+|[+]?\d[\d\s().\-/]{5,}\d|\d+",
    re.UNICODE,
)
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)

# English text-speak and UK street slang that statistical models do not know. "Strong" tokens
# are not words in any default candidate language; "weak" ones (u, r, ur, ...) count only when a
# strong one or lingua also points to English.
_EN_STRONG = frozenset("""
wagwan wagwaan innit init bruv blud fam mandem gyal yute peng ting wys wyd hmu omw otw asap
pls plz thx tnx ty lol lmao idk tbh brb cya gonna wanna gotta tmrw tmr tmoz 2nite 2day 2moro
addy dont cant wont im ive youre thats whats wheres aint bare allow ends linkup link bell
omg lmk ngl smh wbu hbu
where when what who why how the you your yours youre with this that these those there their
here home now just want need send call ring phone text money boss work late early tonight
today tomorrow outside inside come coming going gone got get give back still never always
and but not is are was were be been have has had will would should could can know think
bro sis mate babe hun please thanks sorry okay yeah yes yep nah nope mins hrs
""".split())
_EN_WEAK = frozenset("u r ur ya yh ye k kk ok 2 4 b c n y da dem dat".split())
# Chat in any language borrows "ok", "bro", "lol": when the words outside these lexicons are
# another language's dialogue by this much (log-likelihood over English's, see ChatWords), the
# lexicon stands aside and the message is judged like any other.
MIXED_MARGIN = 4.0

# Vietnamese typed without tone marks ("anh o dau vay") looks like nothing to models trained on
# accented text. Distinctive unaccented syllables (not words in the other default languages) plus
# Vietnamese syllable shape recognise it.
_VI_STRONG = frozenset("""
anh em chi ong khong ko chua roi nhe nha dau vay gi toi minh oi lam dang bao nhieu tien gui goi
lai doi tau voi cua thi nhung duoc dc biet gio ngay hom sao nao muon uong ngu viec tiem xin cam
nguoi vao ra sang chieu toi dem luon ngay bay gio
""".split())
# Letters no other language lingua knows writes: the horn (ơ ư) and the hook above or a tone on
# a circumflex/breve vowel (ả ầ ặ ề ổ ờ ...). lingua, scoring lower-cased chat, still spreads
# "bao giờ anh trả tiền cho em" over Portuguese, Shona and Yoruba. (ă is Romanian too, đ
# Croatian, ạ ẹ ọ Yoruba: not in the set.)
_VI_LETTERS = frozenset("ơưảẻỉỏủỷẩẳểổởửầằềồờừấắếốớứẫẵễỗỡữậặệộợựẽỹ")
_VI_SYLLABLE = re.compile(r"^(ngh|ng|nh|ch|tr|th|ph|kh|gi|qu|[bcdghklmnpqrstvx])?"
                          r"[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$")

# Close relatives are told apart by letters one of them never writes (lingua's models, trained
# on words, still call "V závěru bojů ... nepřítel" Slovak). For each group: the letters that
# discriminate, and which of them each language writes. Among the group's languages in play,
# those needing more foreign letters than the best-fitting one are dropped. Letters were chosen
# from their frequency in lingua's held-apart sentences (present in >= 3 % of one language's
# sentences, < 1 % of the other's) and checked against the languages' alphabets; letters that
# keyboards swap (Arabic ي/ك against Persian ی/ک) are left out.
LETTER_GROUPS = (
    {"cs": "ěřů", "sk": "äôľĺŕ"},
    {"lv": "āēīģķļņ", "lt": "ąęėįų"},
    {"ru": "ыэёъщийьюя", "uk": "щіїєґийьюя", "bg": "ъщѝийьюя", "be": "ыэёіўйьюя",
     "mk": "ѓјљњќџѕи", "sr": "ђјљњћџи"},
    {"ar": "أإةىه", "fa": "هپچژگ", "ur": "پچژگٹڈڑںھہے"},
)
_LETTER_SETS = tuple((frozenset("".join(g.values())), {l: frozenset(a) for l, a in g.items()})
                     for g in LETTER_GROUPS)


# Czech typed without accents has no ě/ř/ů to tell it from Slovak (lingua then calls 29 % of
# Czech word pairs Slovak). Function words that exist in only one of the two, accents stripped:
# one side's words present and none of the other's rules the other out.
WORD_GROUPS = (
    {"cs": frozenset("""se jsem jsi jsme jste jsou pro jen jenom kdyz jeste proto protoze jiz mezi
                       muze muzu ktery ktera ktere kteri byl bylo byla byly neni jako jak neco
                       budou tady ted vsechno chci nevim vim""".split()),
     "sk": frozenset("""sa som sme ste su ako pre nie bol bola bolo ktory ktora ktore ktori tiez
                       medzi moze mozem aj alebo len ked este preto pretoze vsetko teraz chcem
                       neviem viem lebo""".split())},
    # Romanian and Albanian typed without diacritics (both candidates; lingua splits short chat
    # between them): frequent words of one that are not words of the other.
    {"ro": frozenset("""pe si nu ce unde esti sunt este pentru mai cu care dar acum
                       dupa foarte poti vreau""".split()),
     "sq": frozenset("""je ku te nuk po per dhe eshte jam shume mire kam ke
                       nje qe do por dua ketu neser""".split())},
    # Belarusian has no word list (see ChatWords) and shares most letters with Russian and
    # Ukrainian: frequent words spelt differently in each of the three (что / що / што,
    # меня / мене / мяне). Each Russian and Ukrainian word was checked against the other's
    # frequency list; the Ukrainian subtitle corpus itself holds Russian lines, so the letters
    # and these words decide, not the lists.
    {"be": frozenset("""што гэта гэты гэтая мяне табе яго яе вельмі калі толькі дзе цяпер сёння
                       заўтра ёсць няма чаму таксама пра дзякуй хачу ведаю будзе трэба таму
                       нешта нічога усё вось""".split()),
     "ru": frozenset("""что это этот меня его её очень когда только где сейчас сегодня есть нет
                       почему хорошо тоже или от спасибо будет надо нужно можно поэтому ничего
                       всё вот здесь тебя себя был была""".split()),
     "uk": frozenset("""що це цей мене його її дуже коли тільки сьогодні є немає чому добре теж
                       також від дякую буде треба щось нічого ось був була""".split())},
)


def _word_excluded(tokens, pool) -> set:
    """Languages of ``pool`` ruled out by WORD_GROUPS (``tokens``: lower case, accents off)."""
    out: set = set()
    for group in WORD_GROUPS:
        members = [l for l in group if l in pool]
        if len(members) < 2:
            continue
        hits = {l: sum(t in group[l] for t in tokens) for l in members}
        if max(hits.values()) and min(hits.values()) == 0:
            out.update(l for l, n in hits.items() if n == 0)
    return out


def _letter_excluded(text: str, pool) -> set:
    """Languages of ``pool`` that the text's distinctive letters rule out (see LETTER_GROUPS)."""
    out: set = set()
    letters = None
    for union, alphabets in _LETTER_SETS:
        members = [l for l in alphabets if l in pool]
        if len(members) < 2:
            continue
        if letters is None:
            letters = frozenset(text.lower())
        seen = letters & union
        if not seen:
            continue
        foreign = {l: len(seen - alphabets[l]) for l in members}
        fewest = min(foreign.values())
        out.update(l for l, n in foreign.items() if n > fewest)
    return out


# Conversational word frequencies (OpenSubtitles 2018 via FrequencyWords, CC-BY-SA-4.0; built by
# benchmarks/build_chatwords.py): lingua's character models, trained on edited prose, spread a
# two-word message such as "ku je" or "gdzie jestes" over Zulu, Basque and Latin, while both of
# its words are among the most frequent of one language's dialogue. The words' likelihood under
# each language with a list tilts lingua's scores: WORD_WEIGHT scales the log-likelihood ratio
# against the mean of the listed languages, and a language without a list (Somali, Zulu, ...)
# is left where lingua put it, so a list never counts against a language it does not cover.
WORD_WEIGHT = 0.6
WORD_TILT_MAX = 30.0  # bound on the tilt (in log units) so one text cannot overflow it
_WORD_SPLIT = re.compile(r"[^\W\d_]+", re.UNICODE)


class ChatWords:
    """Per-language log-probabilities of the most frequent words of conversational text."""

    def __init__(self, rows):
        exact: dict[str, dict[str, float]] = {}
        folded: dict[str, dict[str, float]] = {}
        floor: dict[str, float] = {}
        counts: dict[str, dict[str, int]] = {}
        totals: dict[str, int] = {}
        for lang, word, n in rows:
            if not word:
                totals[lang] = int(n)
            else:
                counts.setdefault(lang, {})[word] = int(n)
        from math import log

        for lang, words in counts.items():
            total = totals.get(lang) or sum(words.values())
            exact[lang] = {w: log(n / total) for w, n in words.items()}
            plain: dict[str, int] = {}
            for w, n in words.items():
                k = _strip_marks(w)
                plain[k] = plain.get(k, 0) + n
            folded[lang] = {w: log(n / total) for w, n in plain.items()}
            # A word not in the list is rarer than the last one listed.
            floor[lang] = log(0.5 * min(words.values()) / total)
        self.exact, self.folded, self.floor = exact, folded, floor
        self.languages = frozenset(counts)

    @classmethod
    def load(cls):
        import csv
        import gzip
        from importlib.resources import files

        with gzip.open(files(__package__).joinpath("data/chatwords.tsv.gz").open("rb"),
                       "rt", encoding="utf-8") as f:
            reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(reader)
            return cls([tuple(r) for r in reader])

    def loglik(self, words: list[str], langs, stretched=frozenset(),
               fold: bool = True) -> dict[str, float]:
        """Sum of log P(word | language) for the listed languages among ``langs``.

        With ``fold`` (a text typed without accents) a word is looked up with the list's
        accents folded ("jestes" counts as "jesteś"); otherwise every word must match as
        written. A word of ``stretched`` ("soo" from "soooo") missing from a list is looked up
        written once ("so")."""
        # How each word is looked up does not depend on the language: decided once per word.
        keys = [(fold and _strip_marks(w) == w, w, _single(w) if w in stretched else None)
                for w in words]
        out = {}
        for lang in langs:
            if lang not in self.exact:
                continue
            exact, folded, floor = self.exact[lang], self.folded[lang], self.floor[lang]
            total = 0.0
            for use_folded, w, once in keys:
                table = folded if use_folded else exact
                p = table.get(w)
                if p is None and once is not None:
                    p = table.get(once)
                total += floor if p is None else p
            out[lang] = total
        return out

    def tilt(self, text: str, every: dict[str, float], weight: float,
             stretched=frozenset()) -> dict[str, float]:
        """lingua's scores ``every`` multiplied by each listed language's word likelihood ratio."""
        from math import exp

        words = [w.lower() for w in _WORD_SPLIT.findall(text)]
        # Accents folded only in a text typed without any: where the writer types accents, a
        # word without them is meant that way (Slovak "ma", not Czech "má").
        ll = self.loglik(words, every, stretched, fold=all(_strip_marks(w) == w for w in words))
        if len(ll) < 2 or not words:
            return every
        mean = sum(ll.values()) / len(ll)
        out = {}
        for lang, v in every.items():
            d = weight * (ll[lang] - mean) if lang in ll else 0.0
            out[lang] = v * exp(max(-WORD_TILT_MAX, min(WORD_TILT_MAX, d)))
        return out


_CHAT_WORDS: ChatWords | None = None


def chat_words() -> ChatWords:
    global _CHAT_WORDS
    if _CHAT_WORDS is None:
        with _LOCK:
            if _CHAT_WORDS is None:
                _CHAT_WORDS = ChatWords.load()
    return _CHAT_WORDS


@dataclass(frozen=True)
class Detection:
    lang: str          # ISO 639-1, "und" when undetermined, "" for empty text
    confidence: float  # 0..1 (0 for empty / undetermined)
    script: str        # dominant script ("Latin", "Cyrillic", "Arabic+Latin", ...) or ""
    other: str = ""    # a language outside the candidates that the text is more likely in
    prefix: bool = False  # judged on the first MAX_CHARS characters only (a very long text)
    reason: str = ""   # why the answer is "und" (REASON_*); "" when labelled


def script_of(text: str) -> str:
    """The dominant script(s) of the letters in ``text``: "Latin", "Han", "Cyrillic+Latin"..."""
    return _script_label(_script_counts(text))


def _script_label(counts: dict[str, int]) -> str:
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    total = sum(counts.values())
    names = [ranked[0][0]] + [s for s, n in ranked[1:] if n / total >= 0.25]
    return "+".join(names)


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        cp = ord(ch)
        i = bisect_right(_STARTS, cp) - 1
        if i >= 0 and cp <= _SCRIPT_RANGES[i][1]:
            name = _SCRIPT_RANGES[i][2]
        else:
            name = unicodedata.name(ch, "OTHER").split(" ")[0].title()
        counts[name] = counts.get(name, 0) + 1
    return counts


def parse_languages(spec) -> tuple[str, ...]:
    """``"sq,vi,en"`` or a list -> validated ISO 639-1 codes (UsageError on an unknown code).

    ``default`` stands for :data:`DEFAULT_LANGUAGES`, ``all`` for every language lingua knows.
    """
    from ..errors import UsageError, did_you_mean

    if spec is None:
        return DEFAULT_LANGUAGES
    items = spec.split(",") if isinstance(spec, str) else [p for s in spec for p in str(s).split(",")]
    codes = []
    known = _lingua_codes()
    for item in items:
        code = item.strip().lower()
        if not code:
            continue
        if code in ("default", "all"):
            group = DEFAULT_LANGUAGES if code == "default" else sorted(known)
            codes.extend(c for c in group if c not in codes)
            continue
        if code not in known:
            raise UsageError(f"--languages: '{code}' is not a language the offline detector knows"
                             f"{did_you_mean(code, sorted(known))}; use ISO 639-1 codes such as "
                             "sq,vi,ro,pl,lt,ar,en, or 'all'")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise UsageError("--languages: give at least one ISO 639-1 code, e.g. sq,vi,en")
    return tuple(codes)


_LINGUA_CODES: frozenset | None = None


def _lingua_codes() -> frozenset:
    global _LINGUA_CODES
    if _LINGUA_CODES is None:
        from lingua import Language

        _LINGUA_CODES = frozenset(l.iso_code_639_1.name.lower() for l in Language.all())
    return _LINGUA_CODES


def _script_pool(script: str) -> frozenset:
    """Every language lingua knows that is written in ``script`` (the veto's field)."""
    if script == "Latin":
        return _lingua_codes() - _NON_LATIN_LANGS
    if script in ("Hiragana", "Katakana"):
        return frozenset({"ja"})
    return frozenset(_SCRIPT_LANGUAGES.get(script, ()))


# One lingua detector per language set, built lazily and shared by the whole process.
_DETECTORS: dict[tuple[str, ...], object] = {}
_LOCK = threading.Lock()


def _detector(codes, low: bool = False):
    key = (*sorted(codes), "low" if low else "high")
    det = _DETECTORS.get(key)
    if det is None:
        with _LOCK:
            det = _DETECTORS.get(key)
            if det is None:
                from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

                langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper()))
                         for c in key[:-1]]
                builder = LanguageDetectorBuilder.from_languages(*langs)
                if low:
                    builder = builder.with_low_accuracy_mode()
                det = builder.build()
                _DETECTORS[key] = det
    return det


# From this length on lingua's trigram-only ("low accuracy") mode is as accurate as its full
# mode (lingua's own accuracy reports) and several times faster: long texts use it.
LONG_TEXT = 120


# Chat stretches words ("soooo tired", "pleaseee", "jooo"): a letter written three or more times
# in a row is read twice (no language here writes a letter three times), and a word missing from
# a list is looked up again with its doubled letters single ("soo" -> "so").
_ELONGATED = re.compile(r"([^\W\d_])\1{2,}")
_DOUBLED = re.compile(r"([^\W\d_])\1")


def _clean(text: str) -> tuple[str, frozenset]:
    """The text without noise and with stretched letters read twice, and the words that were
    stretched (lower case, as now written: "soooo" -> "soo")."""
    text = " ".join(_NOISE.sub(" ", text).split())
    if not _ELONGATED.search(text):
        return text, frozenset()
    stretched = frozenset(_ELONGATED.sub(r"\1\1", t).lower().replace("'", "")
                          for t in _TOKEN.findall(text) if _ELONGATED.search(t))
    return _ELONGATED.sub(r"\1\1", text), stretched


# lingua 2.1's letter rules do not list Ukrainian among the languages writing щ (fixed upstream
# in the Kotlin lingua, github.com/pemistahl/lingua pull 193): a text with щ and і, such as
# "Ми робимо це щоночі", is given to Kazakh at 1.0 and Ukrainian at 0. When a Ukrainian-only
# or Ukrainian/Belarusian/Kazakh letter (і ї є ґ) is present, lingua reads щ as ш; the letter
# rules and the word frequencies still see the text as written.
_UK_LETTERS = frozenset("іїєґІЇЄҐ")


def _for_lingua(text: str) -> str:
    if ("щ" in text or "Щ" in text) and not _UK_LETTERS.isdisjoint(text):
        return text.replace("щ", "ш").replace("Щ", "Ш")
    return text


def _in_lexicons(word: str) -> bool:
    return word in _EN_STRONG or word in _EN_WEAK or word in _VI_STRONG


def _single(word: str) -> str:
    """``"soo"`` -> ``"so"``: the word with each doubled letter written once."""
    return _DOUBLED.sub(r"\1", word)


def _english_share(tokens: list[str]) -> tuple[float, float]:
    """(strong share, strong+weak share) of tokens that are English text-speak / slang."""
    if not tokens:
        return 0.0, 0.0
    strong = sum(t in _EN_STRONG for t in tokens)
    weak = sum(t in _EN_WEAK for t in tokens)
    return strong / len(tokens), (strong + weak) / len(tokens)


# Texts longer than this are judged on their first MAX_CHARS characters (cut at a space): a
# pasted document or a hex dump would otherwise cost seconds, and a language does not change
# after the first paragraph often enough to pay for it. Detection.prefix says when it happened.
MAX_CHARS = 2000

# Below the threshold a candidate still wins when it has at least LEAD_FLOOR x threshold and
# LEAD_RATIO x the runner-up's share.
LEAD_FLOOR = 0.5
LEAD_RATIO = 2.0
# ... and only when its share among every language of the script is at least this.
SHARE_FLOOR = 0.1
# The veto: a language outside the candidates whose share is above the best candidate's times
# this makes the answer "und" (and that language goes to Detection.other).
VETO_RATIO = 1.0
# ... when that share is at least this (two-word chat spreads thinly over 50 languages).
VETO_MIN = 0.0


def length_class(words: int) -> str:
    return "1 word" if words <= 1 else "2 words" if words == 2 else (
        "3-5 words" if words <= 5 else "6+ words")


# The calibrated default: per class (length, accents), the lowest relative confidence at which
# labels were right >= 98 % on 25,000 texts of lingua's test data held apart from the test
# sample (the first half of each file: words, pairs, sentences, 3-5 word fragments of the
# sentences, and their accent-stripped copies; 20 candidate and 13 non-candidate languages). "plain" = Latin letters a-z only (English, or
# any language typed without accents), "marked" = accented Latin or another script. Recompute
# with benchmarks/calibrate_langid.py; the README gives the curve per class.
CLASS_THRESHOLDS = {
    ("1 word", "plain"): 0.98, ("1 word", "marked"): 0.9,
    ("2 words", "plain"): 0.88, ("2 words", "marked"): 0.57,
    ("3-5 words", "plain"): 0.76, ("3-5 words", "marked"): 0.34,
    ("6+ words", "plain"): 0.37, ("6+ words", "marked"): 0.48,
}
# A text decided by the slang / toneless-Vietnamese lexicon keeps the old flat floor: those
# lexicons are what the class calibration (on edited text) cannot see.
LEXICON_THRESHOLD = 0.5


@dataclass(frozen=True)
class Evidence:
    script: str
    best: str               # the best candidate
    relative: float         # its confidence among the candidates
    relative_second: float  # the runner-up candidate's
    share: float            # its share among every language lingua knows in the script
    other: str              # the most likely language outside the candidates ("" if none)
    other_share: float      # its share
    lexicon: bool           # the slang / toneless-Vietnamese lexicon decided
    prefix: bool
    words: int = 0          # words judged (in the main script)
    plain: bool = False     # Latin letters without any accent (a-z only)

    @property
    def klass(self) -> tuple[str, str]:
        """The calibration class: (length, accents), see CLASS_THRESHOLDS."""
        return length_class(self.words), ("plain" if self.plain else "marked")


class Detector:
    """Detect the language of short texts among ``languages`` (ISO 639-1 codes).

    A text that a detector over every language lingua knows places outside the candidates gets
    ``und`` and that language in :attr:`Detection.other`; ``languages="all"`` labels it.
    """

    def __init__(self, languages=None, threshold: float | None = DEFAULT_THRESHOLD,
                 thresholds: dict | None = None, word_weight: float | None = None):
        self.languages = parse_languages(languages)
        self.word_weight = WORD_WEIGHT if word_weight is None else float(word_weight)
        self.threshold = None if threshold is None else float(threshold)
        self.thresholds = dict(CLASS_THRESHOLDS if thresholds is None else thresholds)
        self._set = frozenset(self.languages)
        self._latin = tuple(c for c in self.languages if c not in _NON_LATIN_LANGS)

    def candidates_for(self, script: str) -> tuple[str, ...]:
        if script in _SCRIPT_LANGUAGES:
            return tuple(c for c in self.languages if c in _SCRIPT_LANGUAGES[script])
        if script == "Latin":
            return self._latin
        return ()

    def detect(self, text) -> Detection:
        ev = self.evidence(text)
        if isinstance(ev, Detection):
            return ev
        return self.decide(ev)

    def decide(self, ev: "Evidence") -> Detection:
        """The answer for the scores in ``ev`` (kept apart so calibration can replay it)."""
        if ev.other and ev.other_share > ev.share * VETO_RATIO and ev.other_share >= VETO_MIN:
            # More likely a language outside the candidates: never a confident wrong label.
            return Detection(UNDETERMINED, round(ev.other_share, 3), ev.script, other=ev.other,
                             prefix=ev.prefix, reason=REASON_OTHER)
        # Answer when the winner is clear among the candidates (their relative confidence)
        # and not a coin toss among every language of the script (its share of the whole).
        conf = ev.relative
        if self.threshold is not None:  # one threshold for every text (--threshold)
            th = self.threshold
            clear = conf >= th or (conf >= th * LEAD_FLOOR
                                   and conf >= LEAD_RATIO * ev.relative_second)
        else:  # calibrated per class of text
            th = LEXICON_THRESHOLD if ev.lexicon else self.thresholds[ev.klass]
            clear = conf >= th
        if not clear or (ev.share < SHARE_FLOOR and not ev.lexicon):
            return Detection(UNDETERMINED, round(conf, 3), ev.script, prefix=ev.prefix,
                             reason=REASON_SHORT if ev.words <= 2 else REASON_UNSURE)
        return Detection(ev.best, round(conf, 3), ev.script, prefix=ev.prefix)

    def evidence(self, text):
        """The scores behind a detection, or the Detection itself when no scoring is needed."""
        if text is None or not isinstance(text, str) or not text.strip():
            return Detection("", 0.0, "")
        prefix = len(text) > MAX_CHARS
        if prefix:
            cut = text.rfind(" ", MAX_CHARS // 2, MAX_CHARS)
            text = text[:cut if cut > 0 else MAX_CHARS]
        # Links, handles, e-mails and numbers out first: the script and the language are decided
        # on what is left ("@KetiLazova Лека нощ" is Cyrillic).
        cleaned, stretched = _clean(text)
        counts = _script_counts(cleaned)
        if not counts:
            return Detection(UNDETERMINED, 0.0, script_of(text), prefix=prefix,
                             reason=REASON_NO_LETTERS)
        script = _script_label(counts)
        main = max(counts, key=counts.get)
        if "Hiragana" in counts or "Katakana" in counts:
            main = "Hiragana"  # kana means Japanese even when most characters are Han
        cands = self.candidates_for(main)
        pool = _script_pool(main) | frozenset(cands)
        outside = pool - self._set
        if len(pool) == 1:
            only = next(iter(pool))
            if cands:
                return Detection(only, 1.0, script, prefix=prefix)
            return Detection(UNDETERMINED, 0.0, script, other=only, prefix=prefix,
                             reason=REASON_OTHER)
        if not pool:
            return Detection(UNDETERMINED, 0.0, script, prefix=prefix, reason=REASON_SCRIPT)
        # Judge on the main script's letters only (a Latin brand name in an Arabic message).
        if len(counts) > 1:
            cleaned = "".join(ch if (not ch.isalpha() or _script_name(ch) == main) else " "
                              for ch in cleaned)
        tokens = [t.lower() for t in _TOKEN.findall(cleaned)]
        if not tokens:
            return Detection(UNDETERMINED, 0.0, script, prefix=prefix, reason=REASON_NO_LETTERS)
        # One lingua call over every language of the script: the candidates' relative scores
        # and the veto both come from it.
        scored = " ".join(tokens) if main == "Latin" else _for_lingua(cleaned)
        every = self._scores(scored, pool)
        ruled = _letter_excluded(cleaned, pool)
        ruled |= _word_excluded([_strip_marks(t) for t in tokens] if main == "Latin" else tokens,
                                pool)
        if ruled and len(ruled) < len(pool):
            if any(v > 0 for l, v in every.items() if l not in ruled):
                every = {l: (0.0 if l in ruled else v) for l, v in every.items()}
            else:  # lingua's own rules gave everything to a ruled-out language: ask again
                every = self._scores(scored, pool - ruled)
        if self.word_weight:
            every = chat_words().tilt(cleaned, every, self.word_weight, stretched)
        whole = sum(every.values()) or 1.0
        share = {l: every.get(l, 0.0) / whole for l in pool}
        total_c = sum(share[c] for c in cands)
        rel = {c: (share[c] / total_c if total_c else 0.0) for c in cands}
        lexicon = False
        if main == "Latin" and cands:
            plain = [t.replace("'", "") for t in tokens]
            if stretched:  # "pleasee" is "please" to the lexicons ("goood" stays "good")
                plain = [_single(t) if t in stretched and _in_lexicons(_single(t))
                         and not _in_lexicons(t) else t for t in plain]
            if "en" in cands and not self._foreign_rest(plain, pool):
                rel, hit = self._english_adjust(plain, rel)
                lexicon |= hit
            if "vi" in cands:
                rel, hit = self._vietnamese_adjust(plain, rel)
                lexicon |= hit
            if lexicon:
                # Slang and toneless Vietnamese are what the statistical models do not know:
                # the lexicon's verdict stands against every language, not just the candidates.
                share = {l: rel.get(l, 0.0) for l in pool}
            else:
                share.update({c: rel[c] * total_c for c in cands})
        other, p_other = "", 0.0
        if outside:
            other, p_other = max(((l, share[l]) for l in outside), key=lambda kv: kv[1])
        if not cands:
            floor = LEXICON_THRESHOLD if self.threshold is None else self.threshold
            return Detection(UNDETERMINED, 0.0, script, other=other if p_other >= floor else "",
                             prefix=prefix, reason=REASON_OTHER if p_other >= floor else REASON_SCRIPT)
        ranked = sorted(rel.values(), reverse=True)
        best = max(rel, key=rel.get)
        return Evidence(script=script, best=best, relative=rel[best],
                        relative_second=ranked[1] if len(ranked) > 1 else 0.0,
                        share=share[best], other=other, other_share=p_other,
                        lexicon=lexicon, prefix=prefix, words=len(tokens),
                        plain=main == "Latin" and all(t.isascii() for t in tokens))

    def _scores(self, text: str, langs) -> dict[str, float]:
        if len(langs) == 1:
            return {next(iter(langs)): 1.0}
        values = _detector(langs, low=len(text) >= LONG_TEXT).compute_language_confidence_values(text)
        return {v.language.iso_code_639_1.name.lower(): float(v.value) for v in values}

    def _foreign_rest(self, tokens: list[str], pool) -> bool:
        """The words the English lexicons do not know fit another language's dialogue better
        than English's by MIXED_MARGIN: English loanwords in a foreign message ("ok bro ku
        je"), not English text-speak, so the slang lexicon must not decide."""
        rest = [t for t in tokens if t not in _EN_STRONG and t not in _EN_WEAK]
        if not rest or not self.word_weight or len(rest) < sum(t in _EN_STRONG for t in tokens):
            return False  # mostly slang ("yo fam wys": 'yo' is Spanish too) stays English
        ll = chat_words().loglik(rest, pool)
        if "en" not in ll or len(ll) < 2:
            return False
        best = max(ll, key=ll.get)
        return best != "en" and ll[best] - ll["en"] >= MIXED_MARGIN

    @staticmethod
    def _english_adjust(tokens: list[str], scores: dict[str, float]):
        strong, any_en = _english_share(tokens)
        en = scores.get("en", 0.0)
        # Text-speak: enough distinctively English tokens, or English tokens plus lingua's vote.
        boost = 0.0
        if strong >= 0.5 or (strong >= 0.25 and any_en >= 0.5):
            boost = 0.9
        elif strong > 0 and any_en >= 0.4 and en >= 0.2:
            boost = 0.6
        if not boost:
            return scores, False
        new = {k: v * (1 - boost) for k, v in scores.items()}
        new["en"] = en * (1 - boost) + boost
        return new, True

    @staticmethod
    def _vietnamese_adjust(tokens: list[str], scores: dict[str, float]):
        if not tokens:
            return scores, False
        strong = sum(t in _VI_STRONG for t in tokens) / len(tokens)
        shaped = sum(bool(_VI_SYLLABLE.match(t)) for t in tokens) / len(tokens)
        # A third of the words carrying a Vietnamese-only letter (a name like "Nguyễn" in an
        # English sentence does not reach it).
        lettered = sum(not _VI_LETTERS.isdisjoint(t) for t in tokens) / len(tokens)
        if (strong < 0.5 or shaped < 0.75) and lettered < 1 / 3:
            return scores, False
        boost = 0.8
        new = {k: v * (1 - boost) for k, v in scores.items()}
        new["vi"] = scores.get("vi", 0.0) * (1 - boost) + boost
        return new, True


def _strip_marks(token: str) -> str:
    if token.isascii():
        return token
    return "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))


def _script_name(ch: str) -> str:
    cp = ord(ch)
    i = bisect_right(_STARTS, cp) - 1
    if i >= 0 and cp <= _SCRIPT_RANGES[i][1]:
        return _SCRIPT_RANGES[i][2]
    return "Other"


def transliterate(text) -> str:
    """An offline Latin (ASCII) transliteration, e.g. ``Алексей`` -> ``Aleksey``."""
    if text is None or not isinstance(text, str):
        return ""
    from anyascii import anyascii

    return anyascii(text)
