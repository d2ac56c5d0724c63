#!/usr/bin/env bash
# A short, real pipeline over the fictional data in examples/. Run by `make demo`.
# Each capability adds its own examples/demo_<domain>.sh, run here in turn.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
echo "== toex convert: CSV -> Parquet (every column as text, _source/_row added)"
toex convert examples/calls_handset_a.csv -o out/calls.parquet --force
echo "== toex convert through a typed Arrow pipe"
toex convert examples/calls_handset_a.csv -o - --to arrow | toex convert - -o out/calls_piped.parquet --force
echo "== toex inspect: columns, counts and the processing history"
toex inspect out/calls_piped.parquet
for demo in examples/demo_*.sh; do
  [ -e "$demo" ] || continue
  echo
  echo "######## $demo"
  bash "$demo"
done
