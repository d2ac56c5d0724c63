#!/usr/bin/env bash
# toex extract: every identifier in a chat export, one row per hit, traced to its message.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
echo "== toex extract: all kinds (card numbers masked), keeping who sent each message"
toex extract examples/extract_chat.csv -c message --keep sender -o out/extract_hits.csv --force
cut -d, -f2,3,5,6,7,8 out/extract_hits.csv
echo "== only vehicles, piped into toex vehicles normalise for the registration period"
toex extract examples/extract_chat.csv -c message --kinds vrm -o - --to arrow \
  | toex vehicles normalise - -c normalised -o out/extract_vrm.csv --force
cut -d, -f3,5,6,8,18 out/extract_vrm.csv
