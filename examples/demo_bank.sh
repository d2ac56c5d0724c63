#!/usr/bin/env bash
# toex bank: a subject's statements from three banks/formats -> one checked transaction table.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
STATEMENTS="examples/bank_lloyds_jan.csv examples/bank_lloyds_feb.csv examples/bank_monzo.csv examples/bank_savings.ofx"

echo "== what toex bank parse recognises (by content, not file name)"
toex bank formats | head -12

echo "== four statements (Lloyds CSV x2 overlapping, Monzo CSV, OFX) -> one Parquet table + a JSON report"
toex bank parse $STATEMENTS -o out/bank_transactions.parquet --report out/bank_report.json --force

echo "== the same as CSV: signed exact amounts, categories, the balance check and the overlap flagged"
toex -q bank parse $STATEMENTS | cut -d, -f1,2,4,6,8,9,13,14 | head -20

echo "== rows whose running balance does not add up (a mis-keyed balance in January)"
toex -q bank parse examples/bank_lloyds_jan.csv | awk -F, 'NR==1 || $13=="false"' | cut -d, -f2,3,4,6,13,17

echo "== per-file report: opening/closing balances and the rows that break"
python3 -c "import json; [print(r['file'], r['transactions'], r['opening_balance'], r['closing_balance'], r['balance_breaks']) for r in json.load(open('out/bank_report.json'))]"
