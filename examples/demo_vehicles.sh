#!/usr/bin/env bash
# toex vehicles: normalise UK registrations from ANPR reads so they join on one key.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
echo "== toex vehicles normalise: plate -> plate_vrm, plate_format, plate_valid, plate_period, plate_status"
toex vehicles normalise examples/vehicles_anpr.csv -c plate -o out/vehicles_anpr.csv --force
toex convert out/vehicles_anpr.csv -o - --to csv | cut -d, -f1,4-9 | head -14
echo "== the same reads as a typed pipe into Parquet (the join key is plate_vrm)"
toex vehicles normalise examples/vehicles_anpr.csv -c plate -o - --to arrow \
  | toex convert - -o out/vehicles_anpr.parquet --force
