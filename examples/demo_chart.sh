#!/usr/bin/env bash
# toex chart: link charts from the fictional call records and sightings in examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
CALLS="examples/calls_handset_a.csv examples/chart_calls_handset_b.csv"

echo "== toex chart: two handsets' call records -> one offline interactive page"
toex chart $CALLS --link Caller Callee --date Date --time Time \
  --highlight "07700 900188" --title "Handsets A and B" -o out/chart_calls.html --force

echo "== the same network for Gephi and yEd (GraphML; .gexf works the same way)"
toex chart $CALLS --link Caller Callee --date Date --time Time -o out/chart_calls.graphml --force

echo "== an i2 Analyst's Notebook import table (identities normalised, so i2 merges them)"
toex chart $CALLS --link Caller Callee --date Date --time Time --i2 -o out/chart_i2.csv --force
cat out/chart_i2.csv | cut -d, -f1-8,11-12

echo "== the ego network of 07700 900188, two hops out, as a links table on stdout"
toex chart $CALLS --link Caller Callee --date Date --time Time --focus "07700 900188" --hops 2 \
  | cut -d, -f5-11

echo "== people, phones and vehicles from sightings -> a Maltego import table"
toex chart examples/chart_people.csv --link Name Phone --link Name VRM --date Seen \
  --type Name=person --type Phone=phone --type VRM=vehicle --maltego -o out/chart_maltego.csv --force
cut -d, -f1-5 out/chart_maltego.csv
echo "open out/chart_calls.html in a browser (works offline, loads nothing)"
