#!/usr/bin/env bash
# Runs every test of the project and ends with one line: `N passed, M failed`.
# Steps: typecheck, lint, API/unit tests on SQLite (and on PostgreSQL when
# TEST_DATABASE_URL is set), production build, end-to-end tests in Chromium.
# A failing step does not stop the others; the exit code is non-zero if anything
# failed or nothing ran. Assumes `npm ci` has run.
set -uo pipefail

cd "$(dirname "$0")/.."

# No internet here; Next would otherwise try to send telemetry.
export NEXT_TELEMETRY_DISABLED=1

OUT=.test-output
STEPS="$OUT/steps.tsv"
rm -rf "$OUT"
mkdir -p "$OUT"
: >"$STEPS"

# run <kind> <name> <json report or -> <command...>: runs one step and records its outcome.
run() {
  local kind=$1 name=$2 report=$3
  shift 3
  echo
  echo "=== $name: $*"
  local started=$SECONDS
  "$@"
  local code=$?
  printf '%s\t%s\t%s\t%s\t%s\n' "$kind" "$name" "$code" "$report" "$((SECONDS - started))" >>"$STEPS"
  return "$code"
}

skip() {
  echo
  echo "=== $1: skipped ($2)"
  printf 'skipped\t%s\t-\t-\t0\n' "$1" >>"$STEPS"
}

# The end-to-end tests drive Debian's Chromium; Playwright never downloads a browser here.
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    echo "=== installing chromium (apt-get)"
    apt-get update && apt-get install -y chromium
  else
    echo "warning: /usr/bin/chromium is missing and we are not root; end-to-end tests will fail" >&2
  fi
fi

# The API tests run on PostgreSQL too: the one at 127.0.0.1:5432 when nothing else is named.
if [[ -z "${TEST_DATABASE_URL:-}" ]] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
fi

run check "typecheck (tsc)" - npx tsc --noEmit
run check "lint (eslint)" - npx eslint .

# Dependency hygiene: a high or critical advisory in the production dependencies fails; when the
# registry's advisory endpoint does not answer, the step says so and counts as unchecked, not passed.
echo
echo "=== npm audit (production dependencies): node scripts/audit.mjs"
audit_started=$SECONDS
node scripts/audit.mjs
audit_code=$?
if [[ $audit_code -eq 3 ]]; then audit_kind=unchecked; else audit_kind=check; fi
printf '%s\t%s\t%s\t-\t%s\n' "$audit_kind" "npm audit (production)" "$audit_code" "$((SECONDS - audit_started))" >>"$STEPS"

# The SQLite run must not pick up a PostgreSQL URL from the caller's environment.
run vitest "vitest (sqlite)" "$OUT/vitest-sqlite.json" \
  env -u TEST_DATABASE_URL npx vitest run \
  --reporter=default --reporter=json --outputFile="$OUT/vitest-sqlite.json"

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  run vitest "vitest (postgres)" "$OUT/vitest-pg.json" \
    npx vitest run \
    --reporter=default --reporter=json --outputFile="$OUT/vitest-pg.json"
else
  echo
  echo "=== vitest (postgres): not run, TEST_DATABASE_URL is not set"
fi

# Without a fresh build, Playwright would test a stale one (or none): skip it instead.
if run check "build (next build)" - npx next build; then
  run playwright "playwright (e2e)" "$OUT/playwright.json" npx playwright test
else
  skip "playwright (e2e)" "the build failed"
fi

# Every benchmark for a few seconds on a small data set, so none of them rots (no goals are
# checked here: the figures of this machine under test load mean nothing; `npm run bench` does).
if [[ -f .next/BUILD_ID ]]; then
  benches=(receipts search send reports console)
  [[ -n "${TEST_DATABASE_URL:-}" ]] && benches+=(receipts:pg search:pg send:pg reports:pg)
  run check "bench (smoke)" - env BENCH_QUICK=1 BENCH_SECONDS=1 BENCH_ROUNDS=2 bash bench/run.sh "${benches[@]}"
fi

node scripts/sum-results.mjs "$STEPS"
