#!/usr/bin/env bash
# The HA harness (issue #12 part 4): three replicas of Causeway's image
# (podman run --network host) on a private PostgreSQL cluster, behind
# haproxy, with a GitOps remote over git smart HTTP and the stand-in GitHub,
# all on loopback. Each scenario prints PASS or FAIL; the last line is
# `N passed, N failed`, and the exit code is non-zero when any failed.
#   scripts/ha/run.sh                 the fast tier (about 10 minutes)
#   scripts/ha/run.sh --long          every scenario
#   scripts/ha/run.sh --only 2,5      scenario 1 (the boot) and these
#   --image IMAGE                     use IMAGE instead of building one
#   --keep                            keep the work folder (logs, config)
# Needs root (rootful podman; the PostgreSQL cluster runs as user postgres).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
# shellcheck source=scripts/podman-env.sh
source scripts/podman-env.sh

image=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --image)
      image="$2"
      shift 2
      ;;
    *)
      args+=("$1")
      shift
      ;;
  esac
done

podman_setup
apt_install haproxy
if [ -z "$image" ]; then
  # Reuses the layers of an earlier build (scripts/test-image.sh's in ./causeway test).
  image=localhost/causeway:ha
  log "Building $image for the HA harness"
  scripts/build-image.sh "$image" >/dev/null
fi

exec node --require "$(node -p 'require.resolve("@backstage/cli-node/config/nodeTransform.cjs")')" \
  scripts/ha/harness.ts --image "$image" "${args[@]}"
