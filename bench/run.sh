#!/usr/bin/env bash
# npm run bench [-- NAME…]: every benchmark, or the named ones. NAME:pg runs one on PostgreSQL
# (127.0.0.1:5432, or BENCH_PG_URL). The load generator runs on core 1; each benchmark pins its
# servers to core 0. BENCH_QUICK=1 runs each on a small data set for a few seconds (CI's smoke
# run: no goals are checked there). The scale data is made once and kept in .bench-data/.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  names=(receipts receipts:pg search search:pg send send:pg reports reports:pg console)
fi
status=0
for name in "${names[@]}"; do
  script=${name%%:pg}
  dialect=sqlite
  [[ $name == *:pg ]] && dialect=postgres
  if [[ ! -f "bench/$script.ts" ]]; then
    echo "unknown benchmark \"$name\" (one of: receipts search send reports console, NAME:pg for PostgreSQL)" >&2
    exit 2
  fi
  echo "=== bench $name"
  if ! BENCH_DIALECT=$dialect taskset -c 1 node --import tsx --import ./lib/node/server-only-hook.mjs "bench/$script.ts"; then
    echo "bench $name FAILED" >&2
    status=1
  fi
done
exit $status
