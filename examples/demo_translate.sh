#!/usr/bin/env bash
# toex translate: offline language triage of fictional chat messages in examples/.
# Nothing leaves the machine: detection is offline, and no translation server is configured here.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out

show() {  # print chosen columns of a CSV as an aligned table
  python3 - "$@" <<'PY'
import csv, sys
path, cols = sys.argv[1], sys.argv[2].split(",")
limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
rows = list(csv.DictReader(open(path, encoding="utf-8")))[:limit]
width = {c: min(38, max(len(c), *(len(r[c]) for r in rows))) for c in cols}
print("  " + "  ".join(c.ljust(width[c]) for c in cols))
for r in rows:
    print("  " + "  ".join(r[c][:width[c]].ljust(width[c]) for c in cols))
PY
}

echo "== toex translate detect: language (ISO 639-1, 'und' when unsure, with the reason), confidence; offline"
toex translate detect examples/translate_messages.csv -c text --transliterate \
  -o out/translate_langs.csv --force
show out/translate_langs.csv msg_id,text,text_lang,text_lang_confidence,text_lang_reason,text_latin

echo
echo "== a message in a language outside the candidates is never given a candidate's label:"
echo "   'und', with the language it is more likely in as text_lang_other; --languages all labels it"
printf 'text\n"¿Dónde estás? Llámame cuando puedas."\n"Gdje si? Nazovi me kad možeš."\n' \
  | toex translate detect - -c text
printf 'text\n"¿Dónde estás? Llámame cuando puedas."\n' | toex translate detect - -c text --languages all

echo
echo "== two- and three-word chat: the words of each language's dialogue decide (kur tu is"
echo "   Latvian and Lithuanian alike: und); English loanwords do not make a message English"
printf 'text\ngdzie jestes\nunde esti\nде ти\nok bro gdzie jestes\nsoooo tired omg\nkur tu\n' \
  | toex translate detect - -c text | cut -d, -f1-3,6

echo
echo "== then translate: no server is configured here, so the detection comes out with status"
echo "   no_backend and nothing is sent (the detect output's text_lang is reused, not recomputed)"
env -u TOEX_LIBRETRANSLATE_URL toex translate out/translate_langs.csv -c text --to en \
  -o out/translate_en.csv --force
show out/translate_en.csv msg_id,text_lang,text_en,text_translation_status 6
echo "   (with your own LibreTranslate server: add --url http://HOST:5000)"
