#!/usr/bin/env bash
# Runs the pinned pnpm without needing it installed (corepack's signature check fails on some
# machines, so we go through npx).
exec npx --yes pnpm@10.34.8 "$@"
