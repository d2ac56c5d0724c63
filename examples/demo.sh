#!/usr/bin/env bash
# A short, real pipeline over the fictional data in examples/. Run by `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
echo "== convert: CSV -> Parquet (every column as text, _source/_row added)"
toex convert examples/calls_handset_a.csv -o out/calls.parquet --force
echo "== inspect the Parquet file, with its processing history"
toex inspect out/calls.parquet
