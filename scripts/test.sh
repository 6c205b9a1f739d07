#!/usr/bin/env bash
# The README's test command: installs everything, builds and type-checks every package, runs the
# unit tests, then the integration tests against a real Kafka broker that the test setup starts
# (or the cluster in KAFKA_BROKERS). Ends with one summary line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
bash scripts/check-prerequisites.sh || exit 1
pnpm() { bash scripts/pnpm.sh "$@"; }

pnpm install --frozen-lockfile || exit 1
pnpm exec turbo run build typecheck --output-logs=errors-only || exit 1

reports=$(mktemp -d)
pnpm exec vitest run --project unit --reporter=default --reporter=json --outputFile.json="$reports/unit.json"
unit_status=$?
pnpm exec vitest run --project integration --reporter=default --reporter=json --outputFile.json="$reports/integration.json"
integration_status=$?

node scripts/test-summary.mjs "$reports/unit.json" "$reports/integration.json"
summary_status=$?
rm -rf "$reports"
if [ $unit_status -ne 0 ] || [ $integration_status -ne 0 ] || [ $summary_status -ne 0 ]; then exit 1; fi
