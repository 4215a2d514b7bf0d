#!/usr/bin/env bash
# Renders deploy/kustomize/base/causeway.yaml from the chart with helm
# template, so the kustomize base needs neither Helm nor a network to build.
#
#   scripts/render-kustomize-base.sh [VALUES.yaml]   write it (default values:
#                                                    deploy/helm/causeway/ci/ha-values.yaml)
#   scripts/render-kustomize-base.sh --check         fail when it is stale
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/helm-toolchain.sh
source scripts/helm-toolchain.sh

check=false
if [ "${1:-}" = "--check" ]; then
  check=true
  shift
fi
values="${1:-deploy/helm/causeway/ci/ha-values.yaml}"
target=deploy/kustomize/base/causeway.yaml

render() {
  echo "# Rendered by scripts/render-kustomize-base.sh from deploy/helm/causeway"
  echo "# with $values; do not edit, render again."
  helm template causeway deploy/helm/causeway --namespace causeway -f "$values"
}

if $check; then
  if ! diff -u "$target" <(render) >/dev/null; then
    echo "$target is not what deploy/helm/causeway renders: run scripts/render-kustomize-base.sh" >&2
    exit 1
  fi
else
  render >"$target"
fi
