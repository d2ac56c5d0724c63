#!/usr/bin/env bash
# toex case store: one manifest builds the whole case into one DuckDB file; SQL on top of it.
# Fictional data only (Ofcom drama numbers). Run from anywhere; writes into out/case/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out/case
echo "== toex case build: sources and steps of examples/case.toml into out/case/case.duckdb"
toex case build examples/case.toml
echo
echo "== built again: nothing changed, so nothing is rebuilt"
toex case build examples/case.toml 2>&1 | tail -n 2
echo
echo "== toex inspect: the tables, which column joins which, the history"
toex inspect out/case/case.duckdb
echo
echo "== toex sql over the case: who each handset called most, with the name when known"
toex sql "SELECT handset, other_party, events, known_as FROM contacts ORDER BY events DESC LIMIT 5" \
  out/case/case.duckdb
echo
echo "== toex sql: money in and out per category, straight from the typed (DECIMAL) table"
toex sql "SELECT category, count(*) AS n, sum(amount) AS total FROM transactions
          GROUP BY ALL ORDER BY total" out/case/case.duckdb:transactions
echo
echo "== toex sql joining the store with a plain file (read as text, a view named by its stem)"
toex sql "SELECT p.Name, c.other_party, count(*) AS events FROM calls c
          JOIN chart_people p ON '+44' || substr(replace(p.Phone, ' ', ''), 2) = c.other_party
          WHERE c.duplicate_of = '' GROUP BY ALL ORDER BY events DESC" \
  out/case/case.duckdb:calls examples/chart_people.csv
echo
echo "== any command writes into the store: --replace swaps the table in one transaction"
toex vehicles normalise examples/vehicles_anpr.csv -c plate -o out/case/case.duckdb --table reads_again --replace
echo
echo "== and reads from it; SQLite for Power BI's ODBC route"
toex convert out/case/case.duckdb:transactions -o out/case/case.sqlite --table transactions --replace
toex convert out/case/case.duckdb:calls -o out/case/case.sqlite --table calls --replace
toex inspect out/case/case.sqlite
