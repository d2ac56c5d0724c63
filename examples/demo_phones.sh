#!/usr/bin/env bash
# toex phones: normalise messy phone columns to E.164, then find numbers in free text.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
echo "== toex phones normalise: two columns of a messy subscriber list (Excel damage, labels, WhatsApp ids)"
toex phones normalise examples/phones_subscribers.csv -c msisdn -c alt_number -o out/phones_subscribers.csv --force
echo "-- msisdn, msisdn_e164, msisdn_status, msisdn_reason"
cut -d, -f2,3,5,9 out/phones_subscribers.csv
echo "-- alt_number, alt_number_e164, alt_number_status, alt_number_type, alt_number_country"
cut -d, -f10,11,13-15 out/phones_subscribers.csv
echo
echo "== toex phones normalise in a pipe: handset call records, then both parties keyed by E.164"
toex convert examples/calls_handset_a.csv -o - --to arrow \
  | toex phones normalise - -c Caller -c Callee -o out/calls_phones.parquet --force
toex inspect out/calls_phones.parquet --sample 3
echo
echo "== toex phones extract: every number in free-text notes, with offsets (order numbers and codes are not numbers)"
toex phones extract examples/phones_notes.txt -c text --keep-all -o out/phones_notes_numbers.csv --force
cat out/phones_notes_numbers.csv
