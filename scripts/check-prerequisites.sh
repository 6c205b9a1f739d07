#!/usr/bin/env bash
# Fails early, with the fix, when a tool the project needs is missing.
set -euo pipefail
need() { command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' is not installed. $2" >&2; exit 1; }; }
need node "Install Node.js 20.11 or newer."
need npx "npx ships with npm; install npm 10 or newer."
need java "Install a Java 17+ runtime (the tests and the demo start a real Kafka broker)."
need mvn "Install Maven 3.8+ (it fetches the Kafka broker's jars from Maven Central)."
node -e 'const [major, minor] = process.versions.node.split(".").map(Number); if (major < 20 || (major === 20 && minor < 11)) { console.error(`error: Node.js ${process.versions.node} is too old; install 20.11 or newer.`); process.exit(1); }'
