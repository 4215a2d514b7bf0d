#!/usr/bin/env bash
# The container image, built from the Dockerfile and run with podman (no
# Docker engine and no registry here: scripts/podman-env.sh makes the base
# image). Part of ./causeway test.
#   build       as scripts/build-image.sh does
#   layout      tini, numeric user 1000, /app root's, only data/ writable,
#               every workspace package's main built JavaScript, the frontend
#   embedded    the image's default (SQLite and git in its data folder), with
#               app-config.guest.yaml mounted (the image ships no config that
#               turns guest sign-in on): ready, the app, guest sign-in, the
#               catalog, the GitOps actions, the scorecard's checks; uid 1000
#               cannot write under /app
#   production  app-config.production.yaml plus a deployment file mounted
#               read-only, with --read-only --tmpfs /tmp --user 1000:1000,
#               against PostgreSQL on 127.0.0.1:5432 (databases with a prefix
#               unique to this run, dropped afterwards) and a GitOps remote
#               over git smart HTTP on loopback: ready, migrations ran in
#               PostgreSQL, the GitOps repository fetched, not ready once
#               SIGTERM arrives, and exits 0 (or 143) within the shutdown delay
#               and the events bus's long-poll timeout and a few seconds
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
# shellcheck source=scripts/podman-env.sh
source scripts/podman-env.sh

work="$(mktemp -d -t causeway-image-test-XXXXXX)"
chmod 700 "$work"
name="causeway-image-test-$$"
image=""
git_server_pid=""
# Databases of the production run: <prefix><plugin id>, unique to this run.
pg_prefix="causeway_image_$$_$(date +%s)_"
psql_() { psql -h 127.0.0.1 -p 5432 -U postgres -X -q -A -t "$@"; }
# Short, so the test is quick; the default (20 s) and a chart's own value
# only change how long a stopping replica keeps serving.
shutdown_delay=5
# The events bus (on PostgreSQL) holds the backend's own subscribers' long
# polls open for up to this long (events.notifyTimeoutMs in
# app-config.production.yaml), and the HTTP server's close waits for them
# after the shutdown delay.
notify_timeout=10

pass() { echo "PASS: $*"; }
fail() {
  echo "FAIL: $*"
  local c f
  for c in $(podman ps -a --filter "name=^$name-" --format '{{.Names}}' 2>/dev/null); do
    echo "--- tail of the log of $c"
    podman logs --tail 40 "$c" 2>&1 || true
  done
  for f in "$work"/*.log; do
    [ -s "$f" ] && { echo "--- tail of ${f##*/}"; tail -n 30 "$f"; }
  done
  exit 1
}

cleanup() {
  local c db
  for c in $(podman ps -a --filter "name=^$name-" --format '{{.Names}}' 2>/dev/null); do
    podman rm -f -t 0 "$c" >/dev/null 2>&1 || true
  done
  if [ -n "$git_server_pid" ]; then
    kill "$git_server_pid" 2>/dev/null || true
    wait "$git_server_pid" 2>/dev/null || true
  fi
  for db in $(psql_ -c "SELECT datname FROM pg_database WHERE left(datname, length('$pg_prefix')) = '$pg_prefix'" 2>/dev/null); do
    psql_ -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || echo "warning: could not drop database $db"
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

elapsed() { echo $(($(date +%s) - $1)); }

# --- build -----------------------------------------------------------------
started=$(date +%s)
podman_setup >"$work/setup.log" 2>&1 || fail "podman set-up"
podman_base_images >>"$work/setup.log" 2>&1 || fail "base images"
pass "podman and the base images $CAUSEWAY_NODE_IMAGE ready ($(elapsed "$started") s)"
started=$(date +%s)
# Run by the image's ID: another run may tag a newer build meanwhile.
podman build --pull=never --layers \
  --build-arg NODE_IMAGE="$CAUSEWAY_NODE_IMAGE" \
  --build-arg YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-}" \
  --iidfile "$work/image-id" --tag localhost/causeway:test --file Dockerfile . \
  >"$work/build.log" 2>&1 || fail "podman build"
image="$(cat "$work/image-id")"
podman image prune --force --filter until=72h >/dev/null 2>&1 || true
pass "the Dockerfile builds (podman build, $(elapsed "$started") s)"

# --- layout ----------------------------------------------------------------
# shellcheck disable=SC2016 # Go templates, not shell
config="$(podman image inspect --format '{{.Config.User}} {{json .Config.Entrypoint}}' "$image")"
[ "$config" = '1000:1000 ["/usr/bin/tini","--"]' ] ||
  fail "layout: user and entrypoint are '$config', expected 1000:1000 and tini"
pass "layout: runs as 1000:1000 under tini"
# In the image: /app is root's except data/ (uid 1000's); every workspace
# package's main is built JavaScript; the frontend is there, the sources not.
# shellcheck disable=SC2016 # shell and JavaScript for the container
podman run --rm --network none --entrypoint /bin/sh "$image" -c '
  set -e
  other="$(find /app -path /app/data -prune -o ! -user 0 -print -quit)"
  [ -z "$other" ] || { echo "not owned by root: $other"; exit 1; }
  [ "$(stat -c %u:%g /app/data)" = 1000:1000 ] || { echo "/app/data is not 1000:1000"; exit 1; }
  writable="$(find /app -path /app/data -prune -o -perm /022 ! -type l -print -quit)"
  [ -z "$writable" ] || { echo "writable by group or others: $writable"; exit 1; }
  [ -f packages/app/dist/index.html ] || { echo "the frontend build is missing"; exit 1; }
  [ ! -e packages/backend/src ] || { echo "the image carries TypeScript sources"; exit 1; }
  node -e "
    const fs = require(\"fs\"), path = require(\"path\");
    for (const dir of [\"packages\", \"plugins\"].flatMap(d => fs.readdirSync(d).map(p => path.join(d, p)))) {
      const file = path.join(dir, \"package.json\");
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, \"utf8\"));
      if (pkg.bundled) continue; // the frontend: served as files
      const main = path.join(dir, pkg.main ?? \"index.js\");
      if (!/dist\/.*\.js$/.test(main) || !fs.existsSync(main)) {
        console.error(pkg.name + \": main \" + pkg.main + \" is not a built file\"); process.exit(1);
      }
    }"' >"$work/layout.log" 2>&1 || fail "layout: $(tail -n 3 "$work/layout.log")"
pass "layout: /app is root's and read-only but data/ (1000:1000); workspace packages built; the frontend included"
# Guest sign-in makes everyone a platform admin: only ./causeway start's
# app-config.guest.yaml turns it on, and the image must not carry it.
# shellcheck disable=SC2016 # shell for the container
podman run --rm --network none --entrypoint /bin/sh "$image" -c '
  [ ! -e app-config.guest.yaml ] || { echo "the image ships app-config.guest.yaml"; exit 1; }
  on="$(grep -lE "dangerouslyAllowOutsideDevelopment|^[[:space:]]*guest:[[:space:]]*(#.*)?$" app-config*.yaml)"
  [ -z "$on" ] || { echo "guest sign-in is configured in $on"; exit 1; }' >"$work/guest.log" 2>&1 ||
  fail "layout: $(tail -n 1 "$work/guest.log")"
pass "layout: no configuration in the image turns guest sign-in on"

# A free port: the containers share the host's network (--network host).
port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
base="http://localhost:$port"

# wait_ready CONTAINER: until readiness answers 200, or the container exits.
wait_ready() {
  local started
  started=$(date +%s)
  for _ in $(seq 1 360); do
    [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ] ||
      fail "$1 exited ($(podman inspect --format '{{.State.ExitCode}}' "$1" 2>/dev/null))"
    if curl -fsS -o /dev/null "$base/.backstage/health/v1/readiness" 2>/dev/null; then
      ready_after=$(elapsed "$started")
      return
    fi
    sleep 0.5
  done
  fail "$1 not ready after 180 s"
}

assert_serves_app() {
  curl -fsS "$base/" >"$work/index.html" 2>"$work/index-error.log" || fail "$1: GET / failed"
  grep -q '<title>Causeway</title>' "$work/index.html" ||
    fail "$1: / does not serve the Causeway app: $(head -c 300 "$work/index.html")"
  pass "$1: / serves the built frontend"
}

guest_token() {
  curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$base/api/auth/guest/refresh" |
    node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token'
}

# --- embedded default: SQLite and a local GitOps repository in data/ --------
c="$name-embedded"
cat >"$work/embedded.yaml" <<YAML
app: { baseUrl: '$base' }
backend: { baseUrl: '$base', listen: { port: $port }, cors: { origin: '$base' } }
YAML
chmod 644 "$work/embedded.yaml"
podman run -d --name "$c" --network host \
  -v "$PWD/app-config.guest.yaml:/etc/causeway/app-config.guest.yaml:ro" \
  -v "$work/embedded.yaml:/etc/causeway/app-config.test.yaml:ro" \
  "$image" node packages/backend --config app-config.yaml --config /etc/causeway/app-config.guest.yaml \
  --config /etc/causeway/app-config.test.yaml \
  >/dev/null 2>"$work/run-embedded.log" || fail "embedded default: podman run"
wait_ready "$c"
pass "embedded default: ready on port $port after $ready_after s"
assert_serves_app "embedded default"
[ "$(podman exec "$c" id -u)" = 1000 ] || fail "embedded default: not running as uid 1000"
if podman exec "$c" sh -c 'echo x >>/app/app-config.yaml' 2>/dev/null; then
  fail "embedded default: uid 1000 can write /app/app-config.yaml"
fi
podman exec "$c" sh -c 'touch /app/data/.write-check && rm /app/data/.write-check' ||
  fail "embedded default: uid 1000 cannot write /app/data"
pass "embedded default: runs as uid 1000, which cannot write /app/app-config.yaml but can write /app/data"
token="$(guest_token 2>>"$work/curl.log")" || fail "embedded default: guest sign-in"
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
token="$(guest_token 2>>"$work/curl.log")" || fail "embedded default: second guest sign-in"
cat >"$work/dry-run.json" <<'JSON'
{"template":{"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"image"},
 "spec":{"type":"service","steps":[
  {"id":"render","action":"gitops:service:render","input":{"name":"image-check","owner":"payments-team","environment":"production","namespace":"payments-team","image":"registry.example.com/image@sha256:0000000000000000000000000000000000000000000000000000000000000000","port":8080,"tier":"standard"}},
  {"id":"claim","action":"gitops:claim:render","input":{"kind":"PostgreSQLInstance","name":"image-db","namespace":"payments-team","environment":"production","owner":"payments-team","parameters":{"size":"small","storageGB":20}}},
  {"id":"publish","action":"gitops:publish","input":{"message":"image check"}}]}},
 "values":{},"secrets":{},"directoryContents":[]}
JSON
curl -sS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data @"$work/dry-run.json" "$base/api/scaffolder/v2/dry-run" >"$work/dry-run-result.json" 2>>"$work/curl.log" ||
  fail "embedded default: the GitOps actions dry run request failed"
files="$(node -pe 'JSON.parse(require("fs").readFileSync(0)).directoryContents.length' \
  <"$work/dry-run-result.json" 2>/dev/null)" ||
  fail "embedded default: the GitOps actions dry run failed: $(head -c 400 "$work/dry-run-result.json")"
[ "$files" = 10 ] || fail "embedded default: the dry run rendered $files files, expected 10"
pass "embedded default: the GitOps actions render and validate manifests and a claim"
podman exec "$c" git --git-dir /app/data/git/gitops.git rev-parse --verify -q main >/dev/null ||
  fail "embedded default: /app/data/git/gitops.git was not created"
pass "embedded default: the GitOps repository was created in the image's data folder"
curl -fsS -H "Authorization: Bearer $token" "$base/api/scorecard/checks" >"$work/checks.json" 2>>"$work/curl.log" ||
  fail "embedded default: GET /api/scorecard/checks failed"
checks="$(node -pe 'const c = JSON.parse(require("fs").readFileSync(0)); c.problems.length ? "problems: " + JSON.stringify(c.problems) : c.checks.length' <"$work/checks.json")"
[ "$checks" -ge 30 ] 2>/dev/null || fail "embedded default: the scorecard loaded $checks checks, expected 30 or more"
pass "embedded default: the scorecard loads its $checks checks from scorecards/"
# Not its shutdown under test (below): its events long polls (55 s) would hold it.
podman rm -f -t 10 "$c" >/dev/null 2>&1

# --- production: PostgreSQL, a GitOps remote, read-only root filesystem ------
secret() { node -p 'require("crypto").randomBytes(24).toString("hex")'; }
git_password="$(secret)"
GITOPS_REMOTE_PASSWORD="$git_password" node \
  --require "$(node -p 'require.resolve("@backstage/cli-node/config/nodeTransform.cjs")')" \
  scripts/serve-gitops-remote.ts "$work/git" >"$work/git-server.out" 2>"$work/git-server.log" &
git_server_pid=$!
for _ in $(seq 1 60); do
  [ -s "$work/git-server.out" ] && break
  kill -0 "$git_server_pid" 2>/dev/null || fail "production: the GitOps remote did not start"
  sleep 0.5
done
gitops_url="$(head -n1 "$work/git-server.out")"
[ -n "$gitops_url" ] || fail "production: the GitOps remote did not start"
gitops_head="$(git --git-dir "$work/git/gitops.git" rev-parse main)"

# Secrets reach the container through a file, never a command line.
(
  umask 077
  cat >"$work/production.env" <<ENV
CAUSEWAY_BASE_URL=$base
POSTGRES_HOST=127.0.0.1
POSTGRES_PORT=5432
POSTGRES_USER=postgres
POSTGRES_PASSWORD=
GITHUB_TOKEN=$(secret)
AUTH_GITHUB_CLIENT_ID=causeway-image-test
AUTH_GITHUB_CLIENT_SECRET=$(secret)
AUTH_SESSION_SECRET=$(secret)
GITOPS_REPOSITORY_URL=$gitops_url
GOLDEN_PATHS_GITHUB_OWNER=causeway-image-test
GITOPS_REMOTE_PASSWORD=$git_password
ENV
)
# What a deployment's ConfigMap adds (the chart mounts it the same way).
cat >"$work/deployment.yaml" <<YAML
causeway:
  deployment:
    replicas: 1
backend:
  listen: { port: $port }
  database: { prefix: '$pg_prefix' }
  lifecycle:
    serverShutdownDelay: { seconds: $shutdown_delay }
gitops:
  repository:
    credentials:
      username: causeway-bot
      password: \${GITOPS_REMOTE_PASSWORD}
YAML
chmod 644 "$work/deployment.yaml"
c="$name-production"
podman run -d --name "$c" --network host --read-only --tmpfs /tmp --user 1000:1000 \
  --env-file "$work/production.env" \
  -v "$work/deployment.yaml:/etc/causeway/app-config.deployment.yaml:ro" \
  "$image" node packages/backend --config app-config.yaml --config app-config.production.yaml \
  --config /etc/causeway/app-config.deployment.yaml \
  >/dev/null 2>"$work/run-production.log" || fail "production: podman run"
wait_ready "$c"
pass "production: ready on port $port after $ready_after s"
# shellcheck disable=SC2016 # a Go template
[ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$c")" = true ] ||
  fail "production: the root filesystem is not read-only"
[ "$(podman exec "$c" id -u)" = 1000 ] || fail "production: not running as uid 1000"
if podman exec "$c" sh -c 'echo x >>/app/app-config.yaml' 2>/dev/null; then
  fail "production: /app/app-config.yaml is writable"
fi
podman exec "$c" sh -c 'touch /tmp/.write-check' || fail "production: /tmp is not writable"
pass "production: runs as uid 1000 on a read-only root filesystem, /tmp writable"
databases="$(psql_ -c "SELECT datname FROM pg_database WHERE left(datname, length('$pg_prefix')) = '$pg_prefix' ORDER BY 1")"
migrated=0
for db in $databases; do
  rows="$(psql_ -d "$db" -c "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '%migrations'" 2>/dev/null || echo 0)"
  [ "${rows:-0}" -gt 0 ] && migrated=$((migrated + 1))
done
for plugin in catalog scaffolder scorecard; do
  applied="$(psql_ -d "$pg_prefix$plugin" -c 'SELECT count(*) FROM knex_migrations' 2>/dev/null || true)"
  [ "${applied:-0}" -gt 0 ] || fail "production: no migrations applied in PostgreSQL database $pg_prefix$plugin"
done
pass "production: on PostgreSQL, $(echo "$databases" | wc -w) databases ${pg_prefix}*, $migrated with migrations applied (catalog, scaffolder and scorecard among them)"
assert_serves_app "production"
guest="$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Requested-With: XMLHttpRequest' "$base/api/auth/guest/refresh")"
[ "$guest" = 404 ] || fail "production: guest sign-in answers $guest, expected 404 (disabled)"
pass "production: guest sign-in is off"
grep -q 'git-upload-pack.* 200$' "$work/git-server.out" ||
  fail "production: the backend never fetched the GitOps repository from $gitops_url"
[ "$(git --git-dir "$work/git/gitops.git" rev-parse main)" = "$gitops_head" ] ||
  fail "production: the GitOps remote's main moved without a change"
pass "production: fetches the GitOps repository from the git host over smart HTTP with its credentials"

# SIGTERM (podman stop): not ready at once, exits cleanly within the delay.
started=$(date +%s)
podman stop -t $((shutdown_delay + 15)) "$c" >/dev/null 2>&1 &
stopper=$!
unready=""
for _ in $(seq 1 $((shutdown_delay * 4))); do
  status="$(curl -s -o /dev/null -w '%{http_code}' "$base/.backstage/health/v1/readiness" || true)"
  if [ "$status" = 503 ]; then
    unready=1
    break
  fi
  sleep 0.25
done
wait "$stopper" || true
took=$(elapsed "$started")
code="$(podman inspect --format '{{.State.ExitCode}}' "$c")"
[ -n "$unready" ] || fail "production: readiness did not answer 503 during the shutdown delay"
[ "$code" = 0 ] || [ "$code" = 143 ] || fail "production: exited with $code on SIGTERM, expected 0 or 143"
[ "$took" -le $((shutdown_delay + notify_timeout + 10)) ] ||
  fail "production: took $took s to stop, more than the shutdown delay ($shutdown_delay s), the events long-poll timeout ($notify_timeout s) and 10 s"
pass "production: on SIGTERM readiness answers 503, then it exits with $code after $took s (shutdown delay $shutdown_delay s, events long polls $notify_timeout s)"

echo "PASS: container image: all checks passed"
