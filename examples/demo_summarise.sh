#!/usr/bin/env bash
# toex summarise: the one-screen picture of call records, statements and any table.
# Fictional data only (Ofcom drama numbers). Run from anywhere; writes into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
echo "== three handset downloads: top contacts, common contacts, a handset swap, a burst"
toex summarise examples/calls_handset_a.csv examples/summarise_handset_b.csv \
  examples/summarise_handset_c.csv --top 5 -o out/summary_calls.xlsx --html out/summary_calls.html --force
echo
echo "== the same as JSON for a script: who replaced whom, and how alike their contacts are"
toex --quiet summarise examples/summarise_handset_*.csv --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); [print(c["old"], "->", c["new"], "Jaccard", c["jaccard"]) for c in r["replacement_candidates"]]'
echo
echo "== statements (the output of toex bank parse): totals, flags with the rows behind them"
toex summarise examples/summarise_transactions.csv -o out/summary_bank.csv --html out/summary_bank.html --force \
  | tail -n 25
echo
echo "== any table: counts, ranges and what the values look like"
toex summarise examples/calls_handset_a.csv --kind table
echo
echo "reports: out/summary_calls.html out/summary_bank.html (open offline in a browser)"
