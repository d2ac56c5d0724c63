#!/usr/bin/env bash
# `make bench`: every benchmark once, at modest sizes so the whole run takes minutes, not hours.
# Each script prints its ratio against a baseline measured in the same run (and peak memory);
# run a script alone with a bigger size (--rows/--events/--lines, see its --help) to reproduce
# the README's large-size figures. On a shared machine compare the CPU-time ratios.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
failed=0
run() {
  echo "######## $*"
  "$PY" "$@" || { echo "!! $1 failed"; failed=1; }
}
run benchmarks/bench_convert.py --rows 300000
run benchmarks/bench_phones.py --rows 300000
run benchmarks/bench_bank.py --rows 100000
run benchmarks/bench_calls.py --rows 200000
run benchmarks/bench_messages.py --lines 200000
run benchmarks/bench_summarise.py --rows 300000 --repeat 1
run benchmarks/bench_timeline.py --events 300000
run benchmarks/bench_chart.py --rows 100000
run benchmarks/bench_merge.py --rows 100000
run benchmarks/bench_sql.py --rows 1000000
run benchmarks/bench_vehicles.py --rows 300000
run benchmarks/bench_wide.py --columns 5000
run benchmarks/bench_translate.py --rows 20000
run benchmarks/bench_crypto.py --mb 5
run benchmarks/bench_extract.py --mb 5
run benchmarks/bench_langid.py
exit $failed
