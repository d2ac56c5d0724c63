#!/usr/bin/env bash
# toex timeline: one ordered picture of the fictional Ipswich case in examples/timeline_*:
# the deal line's network return (UTC) and the runner's phone download (UK wall clock) across
# the clock change of 31/03/2024, the WhatsApp chat, the runner's bank statement and ANPR reads.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
CALLS=out/timeline_calls.csv

echo "== the sources in their standard tables: calls parse, messages parse, bank parse"
toex calls parse examples/timeline_return_deal.csv examples/timeline_return_runner.csv \
  -o out/timeline_calls.csv --force
toex bank parse examples/timeline_statement.csv -o out/timeline_tx.csv --force
toex messages parse examples/timeline_whatsapp.txt --tz Europe/London --owner Rhys \
  -o out/timeline_messages.csv --force
toex merge resolve examples/timeline_people.csv --id phone:Phone --id account:Account \
  --id vrm:VRM --name Name -o out/timeline_people.csv --entities out/timeline_entities.csv --force

echo "== toex timeline: everything on one clock, the HTML page and the i2 import table"
toex timeline $CALLS out/timeline_messages.csv out/timeline_tx.csv examples/timeline_anpr.csv \
  --entities out/timeline_entities.csv --title "Op Example: deal line and runner" \
  -o out/timeline.csv --html out/timeline.html --i2 out/timeline_i2.csv \
  --timesketch out/timeline_timesketch.csv --force
cut -d, -f2,5,8 out/timeline.csv

echo "== one person over two days: Rhys Runner (E000002: his phone, account and car), 31/03-01/04/2024"
toex timeline $CALLS out/timeline_messages.csv out/timeline_tx.csv examples/timeline_anpr.csv \
  --entities out/timeline_entities.csv --entity E000002 --from 2024-03-31 --to 2024-04-01 \
  | cut -d, -f2,5,8
echo "open out/timeline.html in a browser (works offline, loads nothing)"
