#!/usr/bin/env bash
# Proves the container image's layout without a Docker engine (none runs on
# our CI machines): builds the backend bundle as the Dockerfile's build stage
# does, lays it out in a temporary folder as the dependencies and runtime
# stages do, and starts it twice: with the embedded default (SQLite) and with
# the production config against the real PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

work="$(mktemp -d -t causeway-image-XXXXXX)"
backend_pid=""
pg_prefix="causeway_image_$(date +%s)_"
cleanup() {
  [ -n "$backend_pid" ] && kill "$backend_pid" 2>/dev/null && wait "$backend_pid" 2>/dev/null
  # Drop the databases the production start created.
  node -e '
    const { Client } = require("pg");
    (async () => {
      const c = new Client({ host: "127.0.0.1", port: 5432, user: "postgres" });
      await c.connect();
      const { rows } = await c.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [process.argv[1] + "%"]);
      for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await c.end();
    })().catch(() => process.exit(0));' "$pg_prefix" || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  log "FAIL: $*"
  for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }; done
  exit 1
}
pass() { log "PASS: $*"; }

log "Building the backend bundle (build stage)"
yarn workspace backend build >"$work/build.log" 2>&1 || fail "yarn workspace backend build"

log "Installing the bundle's production dependencies (dependencies stage)"
image="$work/app"
mkdir -p "$image"
cp -r .yarn .yarnrc.yml backstage.json package.json yarn.lock "$image/"
tar xzf packages/backend/dist/skeleton.tar.gz -C "$image"
(cd "$image" && NODE_ENV=production yarn workspaces focus --all --production) \
  >"$work/focus.log" 2>&1 || fail "yarn workspaces focus --all --production"

log "Unpacking the bundle (runtime stage)"
tar xzf packages/backend/dist/bundle.tar.gz -C "$image"
cp app-config.yaml app-config.production.yaml catalog-info.yaml "$image/"
cp -r examples platform "$image/"
mkdir -p "$image/data"
[ ! -e "$image/packages/backend/src" ] || fail "the image would carry TypeScript sources"

port=7123
base="http://localhost:$port"

# start_backend NAME CONFIG... : starts the bundled backend as the CMD does.
start_backend() {
  local name="$1"
  shift
  (cd "$image" && NODE_ENV=production exec node packages/backend "$@") >"$work/$name.log" 2>&1 &
  backend_pid=$!
  for _ in $(seq 1 240); do
    kill -0 "$backend_pid" 2>/dev/null || fail "$name: the backend exited"
    curl -fsS -o /dev/null "$base/.backstage/health/v1/readiness" 2>/dev/null && return
    sleep 0.5
  done
  fail "$name: not ready after 120 s"
}

stop_backend() {
  kill "$backend_pid" 2>/dev/null && wait "$backend_pid" 2>/dev/null || true
  backend_pid=""
  # The next start must not meet the previous backend still on the port.
  for _ in $(seq 1 60); do
    curl -s -o /dev/null "$base/" 2>/dev/null || return 0
    sleep 0.5
  done
  fail "the previous backend still answers on $base"
}

assert_serves_app() {
  curl -fsS "$base/" >"$work/index.html" 2>"$work/index-error.log" ||
    fail "$1: GET / failed: $(cat "$work/index-error.log")"
  grep -q '<title>Causeway</title>' "$work/index.html" ||
    fail "$1: / does not serve the Causeway app: $(head -c 300 "$work/index.html")"
  pass "$1: / serves the built frontend"
}

cat >"$work/override.yaml" <<YAML
app: { baseUrl: '$base' }
backend: { baseUrl: '$base', listen: { port: $port }, cors: { origin: '$base' } }
YAML

start_backend sqlite --config app-config.yaml --config "$work/override.yaml"
pass "embedded default: the bundle starts"
assert_serves_app "embedded default"
token="$(curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$base/api/auth/guest/refresh" |
  node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token')" ||
  fail "embedded default: guest sign-in"
pass "embedded default: guest sign-in returns a token"
for _ in $(seq 1 120); do
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
    "$base/api/catalog/entities/by-name/component/default/payment-service")"
  [ "$status" = 200 ] && break
  sleep 0.5
done
[ "$status" = 200 ] || fail "embedded default: payment-service not in the catalog (HTTP $status)"
pass "embedded default: the demo catalog is loaded"
# The golden-path actions work from the bundle: render, validate, claim.
# Sign in again: the first token predates the demo org, so it has no groups.
token="$(curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$base/api/auth/guest/refresh" |
  node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token')"
cat >"$work/dry-run.json" <<'JSON'
{"template":{"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"layout"},
 "spec":{"type":"service","steps":[
  {"id":"render","action":"gitops:service:render","input":{"name":"layout-check","owner":"payments-team","environment":"production","namespace":"payments","image":"registry.example.com/layout@sha256:0000000000000000000000000000000000000000000000000000000000000000","port":8080,"tier":"standard"}},
  {"id":"claim","action":"gitops:claim:render","input":{"kind":"PostgreSQLInstance","name":"layout-db","namespace":"payments","environment":"production","owner":"payments-team","parameters":{"size":"small","storageGB":20}}},
  {"id":"publish","action":"gitops:publish","input":{"message":"layout check"}}]}},
 "values":{},"secrets":{},"directoryContents":[]}
JSON
files="$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data @"$work/dry-run.json" "$base/api/scaffolder/v2/dry-run" |
  node -pe 'JSON.parse(require("fs").readFileSync(0)).directoryContents.length')" ||
  fail "embedded default: the GitOps actions dry run failed"
[ "$files" = 9 ] || fail "embedded default: the dry run rendered $files files, expected 9"
pass "embedded default: the GitOps actions render and validate manifests and a claim"
git --git-dir "$image/data/git/gitops.git" rev-parse --verify -q main >/dev/null ||
  fail "embedded default: data/git/gitops.git was not created"
pass "embedded default: the GitOps repository was created in data/"
stop_backend

cat >"$work/override-production.yaml" <<YAML
backend:
  listen: { port: $port }
  database: { prefix: '$pg_prefix' }
YAML
POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=5432 POSTGRES_USER=postgres POSTGRES_PASSWORD='' \
  CAUSEWAY_BASE_URL="$base" BACKEND_SECRET="layout-test-$(date +%s%N)" \
  AUTH_GITHUB_CLIENT_ID=layout-test AUTH_GITHUB_CLIENT_SECRET=layout-test GITHUB_TOKEN=layout-test \
  GITOPS_REPOSITORY_URL="$work/gitops.git" \
  start_backend postgres --config app-config.yaml --config app-config.production.yaml \
  --config "$work/override-production.yaml"
pass "production config: the bundle starts on PostgreSQL"
assert_serves_app "production config"
guest="$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Requested-With: XMLHttpRequest' "$base/api/auth/guest/refresh")"
[ "$guest" = 404 ] || fail "production config: guest sign-in answers $guest, expected 404 (disabled)"
pass "production config: guest sign-in is off"
stop_backend

log "Image layout: all checks passed"
