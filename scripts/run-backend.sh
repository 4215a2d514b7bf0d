#!/usr/bin/env bash
# Runs the backend from its TypeScript sources (transpiled on load, as
# `backstage-cli package start` does, without its file watcher) from the
# repository root, so config paths like ./data and ./examples mean the same
# here as in the container image. It serves the built frontend too, and says
# where the portal is once it answers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

node --enable-source-maps \
  --require "$(node -p 'require.resolve("@backstage/cli-node/config/nodeTransform.cjs")')" \
  packages/backend/src/index.ts "$@" &
backend=$!
trap 'kill -TERM $backend 2>/dev/null; wait $backend' INT TERM

base_url="${CAUSEWAY_URL:-http://localhost:3000}"
for _ in $(seq 1 240); do
  if ! kill -0 $backend 2>/dev/null; then
    wait $backend
    exit $?
  fi
  if curl -fsS -o /dev/null "$base_url/.backstage/health/v1/readiness" 2>/dev/null; then
    log "Causeway is up: open $base_url (sign in as guest). Stop with Ctrl-C."
    break
  fi
  sleep 0.5
done
wait $backend
