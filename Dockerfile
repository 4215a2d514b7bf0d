# Causeway's container image: the backend bundle, which also serves the
# built frontend, on Node 24 and Debian bookworm, running as a non-root user.
#
#   docker build -t causeway .
#   docker run -p 7007:7007 --env-file causeway.env causeway
#
# The runtime reads app-config.yaml and app-config.production.yaml (PostgreSQL,
# GitHub sign-in; every value from the environment, see README).
# scripts/test-image-layout.sh reproduces the build and runtime stages without
# a Docker engine and is part of ./causeway test.

# Same Node as the project's toolchain (scripts/env.sh): native addons built
# here must match the runtime.
ARG NODE_IMAGE=node:24.18.1-bookworm-slim

# Stage 1: everything needed to install, build and bundle.
FROM ${NODE_IMAGE} AS build
# Yarn takes its registry from here when given; no host is written anywhere.
ARG YARN_NPM_REGISTRY_SERVER
ENV YARN_NPM_REGISTRY_SERVER=${YARN_NPM_REGISTRY_SERVER}
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && \
    apt-get install -y --no-install-recommends python3 g++ make git ca-certificates
USER node
WORKDIR /app
COPY --chown=node:node .yarn ./.yarn
COPY --chown=node:node .yarnrc.yml backstage.json package.json yarn.lock tsconfig.json ./
COPY --chown=node:node packages ./packages
COPY --chown=node:node plugins ./plugins
RUN --mount=type=cache,target=/home/node/.yarn/berry/cache,sharing=locked,uid=1000,gid=1000 \
    yarn install --immutable
RUN yarn tsc && yarn workspace backend build

# Stage 2: production dependencies of the bundle only.
FROM ${NODE_IMAGE} AS dependencies
ARG YARN_NPM_REGISTRY_SERVER
ENV YARN_NPM_REGISTRY_SERVER=${YARN_NPM_REGISTRY_SERVER}
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && \
    apt-get install -y --no-install-recommends python3 g++ make
USER node
WORKDIR /app
COPY --chown=node:node .yarn ./.yarn
COPY --chown=node:node .yarnrc.yml backstage.json package.json yarn.lock ./
COPY --from=build --chown=node:node /app/packages/backend/dist/skeleton.tar.gz ./
RUN tar xzf skeleton.tar.gz && rm skeleton.tar.gz
ENV NODE_ENV=production
RUN --mount=type=cache,target=/home/node/.yarn/berry/cache,sharing=locked,uid=1000,gid=1000 \
    yarn workspaces focus --all --production

# Stage 3: the runtime. No compilers; git for the GitOps repository.
FROM ${NODE_IMAGE}
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && \
    apt-get install -y --no-install-recommends git ca-certificates tini && \
    rm -rf /var/lib/apt/lists/*
USER node
WORKDIR /app
COPY --from=dependencies --chown=node:node /app ./
COPY --from=build --chown=node:node /app/packages/backend/dist/bundle.tar.gz ./
RUN tar xzf bundle.tar.gz && rm bundle.tar.gz && mkdir -p data
COPY --chown=node:node app-config.yaml app-config.production.yaml catalog-info.yaml ./
COPY --chown=node:node examples ./examples
COPY --chown=node:node platform ./platform
ENV NODE_ENV=production
EXPOSE 7007
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
