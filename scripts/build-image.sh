#!/usr/bin/env bash
# Builds Causeway's image from the Dockerfile with podman and buildah, on a
# machine without Docker or a registry: the Node base image is made locally
# (scripts/podman-env.sh). Layers and Yarn's download cache are kept between
# builds, so a build after a source change redoes only the type check, the
# backend build and the layers after it.
#   scripts/build-image.sh [TAG]        (default localhost/causeway:latest)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
# shellcheck source=scripts/podman-env.sh
source scripts/podman-env.sh

tag="${1:-localhost/causeway:latest}"
podman_setup
podman_base_images
log "Building $tag from the Dockerfile (podman build)"
podman build --pull=never --layers \
  --build-arg NODE_IMAGE="$CAUSEWAY_NODE_IMAGE" \
  --build-arg YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-}" \
  --tag "$tag" --file Dockerfile .
# Earlier builds' layers that no image uses any more (a layer that a newer
# build still builds on is kept, so the install layer stays cached).
podman image prune --force --filter until=72h >/dev/null
