#!/usr/bin/env bash
# Proves the container image's layout without a Docker engine (none runs on
# our machines or CI): does what the Dockerfile's stages do, outside Docker.
#   build:        yarn workspace backend build (assumes `yarn install` ran)
#   dependencies: skeleton.tar.gz + root manifests, yarn workspaces focus
#                 --all --production
#   runtime:      bundle.tar.gz, app-config*.yaml, examples/, templates/, platform/,
#                 scorecards/,
#                 catalog-info.yaml, data/
# Then starts the bundle as the image's CMD does, with plain node: first with
# the embedded default (SQLite), then with app-config.production.yaml against
# the real PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh

work="$(mktemp -d -t causeway-image-XXXXXX)"
image="$work/app"
backend_pid=""
# Databases of the production start: <prefix><plugin id>, unique to this run.
pg_prefix="causeway_image_$$_$(date +%s)_"
psql_() { psql -h 127.0.0.1 -p 5432 -U postgres -X -q -A -t "$@"; }

pass() { echo "PASS: $*"; }
fail() {
  echo "FAIL: $*"
  for f in "$work"/*.log; do
    [ -s "$f" ] && { echo "--- tail of ${f##*/}"; tail -n 30 "$f"; }
  done
  exit 1
}

stop_backend() {
  [ -n "$backend_pid" ] || return 0
  kill "$backend_pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$backend_pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -KILL "$backend_pid" 2>/dev/null || true
  wait "$backend_pid" 2>/dev/null || true
  backend_pid=""
}

cleanup() {
  stop_backend
  local db
  for db in $(psql_ -c "SELECT datname FROM pg_database WHERE left(datname, length('$pg_prefix')) = '$pg_prefix'" 2>/dev/null); do
    psql_ -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || echo "warning: could not drop database $db"
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build stage -----------------------------------------------------------
yarn workspace backend build >"$work/build.log" 2>&1 || fail "yarn workspace backend build"
# Copy the archives at once: other builds in this work tree may replace dist/.
cp packages/backend/dist/skeleton.tar.gz packages/backend/dist/bundle.tar.gz "$work/"
pass "build: skeleton.tar.gz and bundle.tar.gz built"

# --- dependencies stage ----------------------------------------------------
mkdir -p "$image/.yarn"
cp package.json yarn.lock .yarnrc.yml backstage.json "$image/"
cp -r .yarn/releases "$image/.yarn/"
tar xzf "$work/skeleton.tar.gz" -C "$image"
(cd "$image" && NODE_ENV=production yarn workspaces focus --all --production) \
  >"$work/focus.log" 2>&1 || fail "yarn workspaces focus --all --production"
pass "dependencies: production dependencies installed from the skeleton"

# --- runtime stage ---------------------------------------------------------
tar xzf "$work/bundle.tar.gz" -C "$image"
cp app-config.yaml app-config.production.yaml catalog-info.yaml "$image/"
cp -r examples templates platform scorecards "$image/"
mkdir -p "$image/data"
# Every workspace package must load from its built dist with plain node.
# shellcheck disable=SC2016 # JavaScript, not shell
(cd "$image" && node -e '
  const fs = require("fs"), path = require("path");
  for (const dir of ["packages", "plugins"].flatMap(d => fs.readdirSync(d).map(p => path.join(d, p)))) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    if (pkg.bundled) continue; // the frontend: served as files
    const main = path.join(dir, pkg.main ?? "index.js");
    if (!/^.*dist\/.*\.js$/.test(main) || !fs.existsSync(main)) {
      console.error(`${pkg.name}: main ${pkg.main} is not a built file`); process.exit(1);
    }
  }') >"$work/layout.log" 2>&1 || fail "runtime: a workspace package's main is not built JavaScript"
[ -f "$image/packages/app/dist/index.html" ] || fail "runtime: the frontend build is missing"
[ ! -e "$image/packages/backend/src" ] || fail "runtime: the image would carry TypeScript sources"
pass "runtime: every workspace package's main is built JavaScript; the frontend is included"

# A free port, so parallel runs and a running portal do not collide.
port="$(node -e 'const s = require("net").createServer().listen(0, () => { console.log(s.address().port); s.close(); })')"
base="http://localhost:$port"

# start_backend NAME [VAR=value...] : starts the bundle as the image's CMD does.
start_backend() {
  local name="$1"
  shift
  (cd "$image" && exec env NODE_ENV=production "$@") >"$work/$name.log" 2>&1 &
  backend_pid=$!
  for _ in $(seq 1 240); do
    kill -0 "$backend_pid" 2>/dev/null || { backend_pid=""; fail "$name: the backend exited"; }
    curl -fsS -o /dev/null "$base/.backstage/health/v1/readiness" 2>/dev/null && return
    sleep 0.5
  done
  fail "$name: not ready after 120 s"
}

assert_serves_app() {
  curl -fsS "$base/" >"$work/index.html" 2>"$work/index-error.log" ||
    fail "$1: GET / failed"
  grep -q '<title>Causeway</title>' "$work/index.html" ||
    fail "$1: / does not serve the Causeway app: $(head -c 300 "$work/index.html")"
  pass "$1: / serves the built frontend"
}

guest_token() {
  curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$base/api/auth/guest/refresh" |
    node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token'
}

# --- embedded default: SQLite and a local GitOps repository in ./data -------
cat >"$work/override.yaml" <<YAML
app: { baseUrl: '$base' }
backend: { baseUrl: '$base', listen: { port: $port }, cors: { origin: '$base' } }
YAML
start_backend sqlite node packages/backend --config app-config.yaml --config "$work/override.yaml"
pass "embedded default: ready on port $port"
assert_serves_app "embedded default"
token="$(guest_token 2>>"$work/sqlite.log")" || fail "embedded default: guest sign-in"
[ -n "$token" ] || fail "embedded default: guest sign-in returned no token"
pass "embedded default: guest sign-in returns a token"
status=""
for _ in $(seq 1 120); do
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
    "$base/api/catalog/entities/by-name/component/default/payment-service")"
  [ "$status" = 200 ] && break
  sleep 0.5
done
[ "$status" = 200 ] || fail "embedded default: payment-service not in the catalog after 60 s (HTTP $status)"
pass "embedded default: the catalog serves component:default/payment-service"
# The golden-path actions run from the bundle: render, validate, claim.
# Sign in again: the first token may predate the demo org, so have no groups.
token="$(guest_token 2>>"$work/sqlite.log")" || fail "embedded default: second guest sign-in"
cat >"$work/dry-run.json" <<'JSON'
{"template":{"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"layout"},
 "spec":{"type":"service","steps":[
  {"id":"render","action":"gitops:service:render","input":{"name":"layout-check","owner":"payments-team","environment":"production","namespace":"payments","image":"registry.example.com/layout@sha256:0000000000000000000000000000000000000000000000000000000000000000","port":8080,"tier":"standard"}},
  {"id":"claim","action":"gitops:claim:render","input":{"kind":"PostgreSQLInstance","name":"layout-db","namespace":"payments","environment":"production","owner":"payments-team","parameters":{"size":"small","storageGB":20}}},
  {"id":"publish","action":"gitops:publish","input":{"message":"layout check"}}]}},
 "values":{},"secrets":{},"directoryContents":[]}
JSON
curl -sS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data @"$work/dry-run.json" "$base/api/scaffolder/v2/dry-run" >"$work/dry-run-result.json" 2>>"$work/sqlite.log" ||
  fail "embedded default: the GitOps actions dry run request failed"
files="$(node -pe 'JSON.parse(require("fs").readFileSync(0)).directoryContents.length' \
  <"$work/dry-run-result.json" 2>/dev/null)" ||
  fail "embedded default: the GitOps actions dry run failed: $(head -c 400 "$work/dry-run-result.json")"
[ "$files" = 10 ] || fail "embedded default: the dry run rendered $files files, expected 10"
pass "embedded default: the GitOps actions render and validate manifests and a claim"
git --git-dir "$image/data/git/gitops.git" rev-parse --verify -q main >/dev/null ||
  fail "embedded default: data/git/gitops.git was not created"
pass "embedded default: the GitOps repository was created at data/git/gitops.git"
# The scorecard reads its checks from scorecards/ in the image.
curl -fsS -H "Authorization: Bearer $token" "$base/api/scorecard/checks" >"$work/checks.json" 2>>"$work/sqlite.log" ||
  fail "embedded default: GET /api/scorecard/checks failed"
checks="$(node -pe 'const c = JSON.parse(require("fs").readFileSync(0)); c.problems.length ? "problems: " + JSON.stringify(c.problems) : c.checks.length' <"$work/checks.json")"
[ "$checks" -ge 30 ] 2>/dev/null || fail "embedded default: the scorecard loaded $checks checks, expected 30 or more"
pass "embedded default: the scorecard loads its $checks checks from scorecards/"
stop_backend

# --- production config: PostgreSQL, GitHub sign-in, a GitOps remote path -----
cat >"$work/override-production.yaml" <<YAML
backend:
  listen: { port: $port }
  database: { prefix: '$pg_prefix' }
YAML
start_backend postgres \
  POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=5432 POSTGRES_USER=postgres POSTGRES_PASSWORD='' \
  CAUSEWAY_BASE_URL="$base" BACKEND_SECRET="layout-test-$(date +%s%N)" \
  AUTH_GITHUB_CLIENT_ID=layout-test AUTH_GITHUB_CLIENT_SECRET=layout-test GITHUB_TOKEN=layout-test \
  GITOPS_REPOSITORY_URL="$work/gitops-remote.git" \
  node packages/backend --config app-config.yaml --config app-config.production.yaml \
  --config "$work/override-production.yaml"
pass "production config: ready on port $port"
databases="$(psql_ -c "SELECT count(*) FROM pg_database WHERE left(datname, length('$pg_prefix')) = '$pg_prefix'")"
[ "${databases:-0}" -gt 0 ] || fail "production config: no PostgreSQL database named ${pg_prefix}*"
pass "production config: runs on PostgreSQL ($databases databases ${pg_prefix}*)"
assert_serves_app "production config"
guest="$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Requested-With: XMLHttpRequest' "$base/api/auth/guest/refresh")"
[ "$guest" = 404 ] || fail "production config: guest sign-in answers $guest, expected 404 (disabled)"
pass "production config: guest sign-in is off"
git --git-dir "$work/gitops-remote.git" rev-parse --verify -q main >/dev/null ||
  fail "production config: the GitOps repository at GITOPS_REPOSITORY_URL was not created"
pass "production config: the GitOps repository was created at GITOPS_REPOSITORY_URL"
stop_backend

echo "PASS: image layout: all checks passed"
