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

echo
echo "== the example case (Operation Kestrel, fictional): who is who, from custody and subscriber records"
toex merge resolve examples/case_custody.csv examples/case_subscribers.csv \
  --id phone:Phone --id account:Account --id vrm:VRM --name Forename,Surname --dob DOB \
  -o out/case_people.csv --entities out/case_entities.csv --force
cut -d, -f1,3-5,7 out/case_entities.csv

echo "== telephony: three downloads, names on the numbers, person nodes, customers collapsed"
toex chart examples/case_calls_deal_a.csv examples/case_calls_deal_b.csv examples/case_calls_daniel.csv \
  --link Caller Callee --date Date --time Time \
  --entities out/case_entities.csv --labels examples/case_labels.csv --people --collapse-leaves \
  --title "Operation Kestrel: telephony" -o out/case_calls.html --force

echo "== the same events for i2: one row per call (timeline), and the chart as ANX"
toex chart examples/case_calls_deal_a.csv examples/case_calls_deal_b.csv examples/case_calls_daniel.csv \
  --link Caller Callee --date Date --time Time --event Type --entities out/case_entities.csv \
  --labels examples/case_labels.csv --i2-events out/case_i2_events.csv --anx out/case_calls.anx \
  -o out/case_links.csv --force
head -4 out/case_i2_events.csv | cut -d, -f1-4,6,8,9,11,12

echo "== money: two statements -> payer -> payee by the sign of the amount, never netted"
toex bank parse examples/case_bank_monzo.csv --account "04-00-04 21345678" -o out/case_tx_monzo.csv --force
toex bank parse examples/case_bank_lloyds.csv -o out/case_tx_lloyds.csv --force
toex chart out/case_tx_monzo.csv out/case_tx_lloyds.csv --entities out/case_entities.csv --people \
  --collapse-leaves --title "Operation Kestrel: money" -o out/case_money.html --force
toex -q chart out/case_tx_monzo.csv out/case_tx_lloyds.csv --entities out/case_entities.csv \
  | cut -d, -f5,6,8,13 | grep -i "okafor\|hoxha" | grep -v "^\"[A-Z] [A-Z]"
echo "open out/case_calls.html and out/case_money.html (offline pages)"
