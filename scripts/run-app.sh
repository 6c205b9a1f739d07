#!/usr/bin/env bash
# Runs one sample app: `bash scripts/run-app.sh <package name> [script]`. Installs everything,
# then runs the app's script (default `start`), which starts a local Kafka broker itself (unless
# KAFKA_BROKERS points at one) and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
bash scripts/check-prerequisites.sh
bash scripts/pnpm.sh install --frozen-lockfile
bash scripts/pnpm.sh --filter "$1" run "${2:-start}"
