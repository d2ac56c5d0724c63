#!/usr/bin/env bash
# toex messages: a fictional WhatsApp group export (Albanian and Vietnamese, a number, a wallet,
# a plate, a sort code and account on three lines of one message) and a deal line's SMS backup, into one message table,
# then language triage, identifiers and the summary (with the bulk "flare" texts).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
echo "== toex messages parse: WhatsApp iOS export + SMS Backup & Restore XML -> one table"
toex messages parse examples/messages_whatsapp_rruga4.txt examples/messages_sms_dealline.xml \
  --tz Europe/London --owner Besnik -o out/messages.csv --force
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("out/messages.csv", encoding="utf-8")))
print(f"  {len(rows)} rows; first four:")
for r in rows[:4]:
    print(f"  {r['sent_local']:<20} {r['sent_utc']:<21} {r['sender'][:10]:<10} {r['kind']:<8} {r['text'][:44]!r}")
PY
echo "== toex translate detect on the message text (offline)"
toex translate detect out/messages.csv -c text -o out/messages_lang.csv --force
python3 - <<'PY'
import csv
for r in list(csv.DictReader(open("out/messages_lang.csv", encoding="utf-8")))[2:8]:
    print(f"  {r['text_lang']:<4} {r['sender'][:10]:<10} {r['text'][:50]!r}")
PY
echo "== toex extract: the number, wallet, plate, and the sort code + account spread over three lines"
toex extract out/messages_lang.csv -c text --keep sender --keep sent_local -o out/messages_hits.csv --force
python3 - <<'PY'
import csv
for r in csv.DictReader(open("out/messages_hits.csv", encoding="utf-8")):
    print("  " + "  ".join(f"{k}={v!r}" for k, v in r.items() if k in ("sender", "sent_local", "kind", "value", "normalised")))
PY
echo "== toex summarise --kind messages: who messages whom, activity, languages, flares"
toex summarise out/messages_lang.csv --kind messages
