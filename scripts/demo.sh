#!/usr/bin/env bash
# The README's demo command: installs everything, starts a local Kafka broker (unless
# KAFKA_BROKERS points at one), runs the sample app against it, and stops the broker.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
bash scripts/check-prerequisites.sh
bash scripts/pnpm.sh install --frozen-lockfile
bash scripts/pnpm.sh --filter @kstreams/demo run demo
