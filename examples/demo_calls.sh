#!/usr/bin/env bash
# toex calls: three networks' returns in three shapes -> one call table, then summarise and chart
# it with no renames. All numbers are Ofcom drama numbers; the case is made up.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
RETURNS="examples/calls_return_s.xlsx examples/calls_return_t.csv examples/calls_return_u.csv"

echo "== three returns: Excel behind a cover sheet (numbers stored as numbers, UTC header),"
echo "   cp1252 CSV with a preamble and an END OF REPORT footer (UK local time), ISO times ending in Z"
toex calls parse $RETURNS -o out/calls_table.csv --report out/calls_report.json --force

echo "== one table: handset, direction, event, other party, start in UTC and UK time, how sure"
cut -d, -f1-3,6-10,15 out/calls_table.csv | head -20

echo "== the same call from both ends: 18:57 BST in return T is 17:57Z in return U (paired, not dropped)"
grep -E '17:57|duplicate_of' out/calls_table.csv | cut -d, -f1,2,6,7,8,9,15

echo "== per-file report: layout, role of each column, zone decision, footer check"
python3 -c "import json; [print(r['file'], '|', r['layout'], '|', r['zone'], '|', r['footer_check'], '|', r['duplicates'], 'duplicates') for r in json.load(open('out/calls_report.json'))]"

echo "== toex summarise reads the call table with no options (a two-ended call counted once)"
toex summarise out/calls_table.csv --top 5

echo "== toex chart: the call network from the standard columns (a two-ended call counted once)"
toex chart out/calls_table.csv --link handset other_party --date start_utc -o out/calls_chart.html --force
toex -q chart out/calls_table.csv --link handset other_party --date start_utc | cut -d, -f5,6,8,11,12,14 | head -10
