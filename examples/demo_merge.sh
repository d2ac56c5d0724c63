#!/usr/bin/env bash
# toex merge: collate three fictional sources, enrich one from another, and resolve people.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
RENAME=(--rename "Subscriber Name=Name" --rename "Account Holder=Name" --rename "Date of Birth=DOB"
        --rename "Phone Number=Phone" --rename "Mobile=Phone")

echo "== toex merge stack: three layouts, one table (columns aligned by name, _source/_row kept)"
toex merge stack examples/merge_custody.csv examples/merge_subscriber.csv examples/merge_bank.csv \
  "${RENAME[@]}" -o out/merge_stacked.csv --force

echo "== toex merge join: who subscribes to the numbers in the custody records?"
toex merge join examples/merge_custody.csv examples/merge_subscriber.csv \
  --on "Phone=Phone Number" --as phone -o out/merge_joined.csv --force
cat out/merge_joined.csv

echo "== toex merge resolve: one entity_id per person (phone, e-mail, account; name + date of birth)"
toex merge resolve examples/merge_custody.csv examples/merge_subscriber.csv examples/merge_bank.csv \
  "${RENAME[@]}" --id phone:Phone --id email:Email --id account:Account --name Name --dob DOB \
  --max-degree 3 --judgements examples/merge_judgements.csv \
  -o out/merge_people.csv --entities out/merge_entities.csv --ignored out/merge_ignored.csv --force
cat out/merge_entities.csv
