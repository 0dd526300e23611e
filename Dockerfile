# syntax=docker/dockerfile:1
#
# One image per process, each a build target, compiled JavaScript and production packages only:
#
#   docker build --target pipeline -t delivery/pipeline:<tag> .
#
# Targets: gateway, pipeline, hitl, job-runner, job-runner-worker, template-blueprint,
# template-blueprint-worker. Each runs `node dist/<entry>.js` from /app/services/<service> as
# user 10001:10001 and writes nothing outside /tmp, so it runs with a read-only root filesystem
# and a writable volume (emptyDir or tmpfs) at /tmp.
#
# No Docker engine runs where the tests run: test/deploy/compiled-build.test.ts lays each image
# out as this file does (the same install, the same files) and runs the whole system from them.

# node:24-bookworm-slim, pinned: the tag's digest when it was Node 24.18.0. Move it on with the tag.
ARG NODE_IMAGE=node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d

# What `npm ci` reads: the lockfile and every workspace's package.json (a change in sources
# alone reuses the installs below).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/embedded-mongo/package.json packages/embedded-mongo/
COPY packages/messaging/package.json packages/messaging/
COPY packages/service-kit/package.json packages/service-kit/
COPY packages/testing/package.json packages/testing/
COPY services/gateway/package.json services/gateway/
COPY services/hitl/package.json services/hitl/
COPY services/job-runner/package.json services/job-runner/
COPY services/pipeline/package.json services/pipeline/
COPY services/template-blueprint/package.json services/template-blueprint/
COPY services/web/package.json services/web/

# Compiles every service (esbuild, services/*/dist) and builds the web app (services/web/dist).
# No install script is needed: the build tools' binaries come as packages of their own.
FROM manifests AS build
RUN npm ci --ignore-scripts
COPY . .
ENV TURBO_TELEMETRY_DISABLED=1
RUN npm run build

# Production packages of one service. Its workspace packages are bundled into its dist, so their
# links go; the service's own node_modules (what npm could not hoist) is made to exist for COPY.
FROM manifests AS deps-gateway
RUN npm ci --omit=dev --ignore-scripts --workspace=@delivery/gateway \
  && rm -r node_modules/@delivery && mkdir -p services/gateway/node_modules
FROM manifests AS deps-pipeline
RUN npm ci --omit=dev --ignore-scripts --workspace=@delivery/pipeline \
  && rm -r node_modules/@delivery && mkdir -p services/pipeline/node_modules
FROM manifests AS deps-hitl
RUN npm ci --omit=dev --ignore-scripts --workspace=@delivery/hitl \
  && rm -r node_modules/@delivery && mkdir -p services/hitl/node_modules
FROM manifests AS deps-job-runner
RUN npm ci --omit=dev --ignore-scripts --workspace=@delivery/job-runner \
  && rm -r node_modules/@delivery && mkdir -p services/job-runner/node_modules
FROM manifests AS deps-template-blueprint
RUN npm ci --omit=dev --ignore-scripts --workspace=@delivery/template-blueprint \
  && rm -r node_modules/@delivery && mkdir -p services/template-blueprint/node_modules

# What every process image shares. The files are root's and read-only to the process.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production NODE_OPTIONS=--enable-source-maps
# The only place a process may write: mount an emptyDir or tmpfs here under a read-only root.
VOLUME /tmp
USER 10001:10001

# ---- gateway: the API, the web app at /, and the identity tools (dist/identity-keys.js, dist/token.js)
FROM runtime AS gateway
WORKDIR /app/services/gateway
COPY --from=deps-gateway /app/node_modules /app/node_modules
COPY --from=deps-gateway /app/services/gateway/node_modules ./node_modules
COPY --from=build /app/services/gateway/package.json ./
COPY --from=build /app/services/gateway/dist ./dist
COPY --from=build /app/services/web/dist /app/services/web/dist
ENV PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]

# ---- pipeline
FROM runtime AS pipeline
WORKDIR /app/services/pipeline
COPY --from=deps-pipeline /app/node_modules /app/node_modules
COPY --from=deps-pipeline /app/services/pipeline/node_modules ./node_modules
COPY --from=build /app/services/pipeline/package.json ./
COPY --from=build /app/services/pipeline/dist ./dist
ENV PORT=4004
EXPOSE 4004
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]

# ---- hitl
FROM runtime AS hitl
WORKDIR /app/services/hitl
COPY --from=deps-hitl /app/node_modules /app/node_modules
COPY --from=deps-hitl /app/services/hitl/node_modules ./node_modules
COPY --from=build /app/services/hitl/package.json ./
COPY --from=build /app/services/hitl/dist ./dist
ENV PORT=4003
EXPOSE 4003
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]

# ---- job-runner: the API (job-runner) and the worker (job-runner-worker) share their files
FROM runtime AS job-runner-files
WORKDIR /app/services/job-runner
COPY --from=deps-job-runner /app/node_modules /app/node_modules
COPY --from=deps-job-runner /app/services/job-runner/node_modules ./node_modules
COPY --from=build /app/services/job-runner/package.json ./
COPY --from=build /app/services/job-runner/dist ./dist

FROM job-runner-files AS job-runner
ENV PORT=4001
EXPOSE 4001
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]

# A worker serves /healthz, /readyz and /metrics on METRICS_PORT.
FROM job-runner-files AS job-runner-worker
ENV METRICS_PORT=9464
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.METRICS_PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/worker.js"]

# ---- template-blueprint: the API and the generator worker share their files
FROM runtime AS template-blueprint-files
WORKDIR /app/services/template-blueprint
COPY --from=deps-template-blueprint /app/node_modules /app/node_modules
COPY --from=deps-template-blueprint /app/services/template-blueprint/node_modules ./node_modules
COPY --from=build /app/services/template-blueprint/package.json ./
COPY --from=build /app/services/template-blueprint/dist ./dist

FROM template-blueprint-files AS template-blueprint
ENV PORT=4002
EXPOSE 4002
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]

FROM template-blueprint-files AS template-blueprint-worker
ENV METRICS_PORT=9464
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.METRICS_PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/worker.js"]
