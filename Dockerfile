# Causeway's container image: one backend process that also serves the built
# frontend, on Node 24 and Debian bookworm, running as uid 1000 (numeric, so
# Kubernetes' runAsNonRoot can check it). The application files are owned by
# root and read-only; only /app/data (the embedded default's SQLite and git
# repositories) and /tmp are writable, so it runs with a read-only root
# filesystem and an emptyDir or tmpfs on /tmp.
#
#   docker build -t causeway .            (or: yarn build-image)
#   docker run -p 7007:7007 --env-file causeway.env causeway
#
# Needs BuildKit (the default builder since Docker 23) or buildah 1.28 or
# newer. Yarn's registry comes from the build arg YARN_NPM_REGISTRY_SERVER when
# given (no host is written here): docker build --build-arg
# YARN_NPM_REGISTRY_SERVER=https://... . The runtime reads app-config.yaml and
# app-config.production.yaml (PostgreSQL, GitHub sign-in; every value from the
# environment, see README); a deployment adds its own file with one more
# --config. app-config.guest.yaml (guest sign-in, ./causeway start's) is
# never copied: no configuration in the image turns guest sign-in on.
# scripts/test-image.sh builds this file with podman and runs the image (the
# embedded default, and the production configuration against PostgreSQL and a
# remote GitOps repository); it is part of ./causeway test.

# The same Node as the project's toolchain (scripts/env.sh), so what is built
# and tested locally is what runs here; pinned by digest so that a rebuilt tag
# cannot change the image (NAME:TAG@sha256:DIGEST; a mirror or a local image
# works too: --build-arg NODE_IMAGE=...).
ARG NODE_IMAGE=node:24.18.1-bookworm-slim@sha256:235600a8101ab264e117b1768e925532262668dc9b581ef1dd7d96ced463b8e7

# Only the files `yarn install` reads, so the install layer below is reused
# until a package.json, yarn.lock or the Yarn release changes.
FROM ${NODE_IMAGE} AS packages
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml backstage.json ./
COPY .yarn ./.yarn
COPY packages ./packages
COPY plugins ./plugins
COPY bench/package.json ./bench/
RUN find packages plugins -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

# Compilers for native addons: Yarn runs node-gyp for every package with a
# binding.gyp (better-sqlite3, ssh2) when it installs them.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update && \
    apt-get install -y --no-install-recommends python3 g++ make && \
    rm -rf /var/lib/apt/lists/*
# node-gyp would download Node's headers; the image has them in /usr/local.
ENV npm_config_nodedir=/usr/local
# The work directory and Yarn's cache folder belong to node before anything is
# mounted there (buildah creates a mount's missing parents as root).
RUN mkdir -p /app /home/node/.yarn/berry/cache && chown node:node /app && chown -R node:node /home/node/.yarn

# Install everything, type check, and build the frontend and backend bundle
# (packages/backend/dist/{skeleton,bundle}.tar.gz).
FROM toolchain AS build
ARG YARN_NPM_REGISTRY_SERVER
USER node
WORKDIR /app
COPY --from=packages --chown=node:node /app ./
# An empty YARN_NPM_REGISTRY_SERVER would mean "no registry" to Yarn: unset it.
RUN --mount=type=cache,target=/home/node/.yarn/berry/cache,sharing=locked,uid=1000,gid=1000 \
    if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then unset YARN_NPM_REGISTRY_SERVER; fi && \
    yarn install --immutable
COPY --chown=node:node . .
# Unpacked here, so the stages below COPY the files: buildah caches a COPY by
# its content but a RUN by its text alone, bind mounts and all, so a RUN that
# unpacked a mounted archive would keep an old build's files.
RUN yarn tsc && yarn workspace backend build && \
    cd packages/backend/dist && mkdir skeleton bundle && \
    tar xzf skeleton.tar.gz -C skeleton --no-overwrite-dir && \
    tar xzf bundle.tar.gz -C bundle --no-overwrite-dir

# The bundle's production dependencies only. A stage of its own so the
# compilers stay out of the runtime image.
FROM toolchain AS dependencies
ARG YARN_NPM_REGISTRY_SERVER
USER node
WORKDIR /app
COPY --from=packages --chown=node:node /app/package.json /app/yarn.lock /app/.yarnrc.yml /app/backstage.json ./
COPY --from=packages --chown=node:node /app/.yarn ./.yarn
# The skeleton: package.json of the backend and every workspace package it uses.
COPY --from=build --chown=node:node /app/packages/backend/dist/skeleton/ ./
ENV NODE_ENV=production
RUN --mount=type=cache,target=/home/node/.yarn/berry/cache,sharing=locked,uid=1000,gid=1000 \
    if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then unset YARN_NPM_REGISTRY_SERVER; fi && \
    yarn workspaces focus --all --production

FROM ${NODE_IMAGE} AS runtime
# git: the GitOps plugin shells out to it. ca-certificates: git over HTTPS.
# tini: PID 1 that forwards signals and reaps git's child processes.
# No SQLite library: better-sqlite3 carries its own.
RUN apt-get update && \
    apt-get install -y --no-install-recommends git ca-certificates tini && \
    rm -rf /var/lib/apt/lists/*
# Everything under /app is root's and not writable by others; the user that
# runs it can write only data/. Explicit --chown: buildah keeps a stage's
# owners on COPY --from.
WORKDIR /app
RUN mkdir data && chown 1000:1000 data
COPY --from=dependencies --chown=0:0 /app ./
# The bundle: each workspace package's dist and package.json (main -> dist).
COPY --from=build --chown=0:0 /app/packages/backend/dist/bundle/ ./
COPY app-config.yaml app-config.production.yaml catalog-info.yaml ./
COPY examples ./examples
COPY templates ./templates
COPY platform ./platform
COPY scorecards ./scorecards
ENV NODE_ENV=production
# node (uid 1000 in the Node images), by number: Kubernetes' runAsNonRoot
# refuses a user name it cannot resolve without the image's /etc/passwd.
USER 1000:1000
EXPOSE 7007
ENTRYPOINT ["/usr/bin/tini", "--"]
# instrumentation.js serves Prometheus metrics when CAUSEWAY_METRICS_PORT is set.
CMD ["node", "--require", "./packages/backend/instrumentation.js", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
