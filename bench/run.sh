#!/usr/bin/env bash
# npm run bench [-- NAME…]: every benchmark, or the named ones. The load generator runs on
# core 1; each benchmark pins its servers to core 0.
set -euo pipefail
cd "$(dirname "$0")/.."
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then names=(receipts); fi
for name in "${names[@]}"; do
  taskset -c 1 node --import tsx --import ./lib/node/server-only-hook.mjs "bench/$name.ts"
done
