# syntax=docker/dockerfile:1
# One image for every Aduan service; SERVICE picks which one runs.
#   docker build -t aduan .
#   docker run -e SERVICE=router -e KAFKA_BROKERS=… -e DATABASE_URL=… aduan
#
# Build arguments:
#   NODE_IMAGE  the Node.js base image of every stage (default node:20-bookworm-slim; Node 20.10+ or 22+)
#   SERVICE     a default for the SERVICE variable baked into the image (default: none, so every
#               container names its service: a folder under services/)
# Kubernetes manifests for this image: deploy/k8s (docs/deploy-kubernetes.md).
ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies only: no test runner, linter, bundler or type checker in the image.
# The services are compiled to JavaScript here (npm run build, into dist/): a service started
# from TypeScript would compile itself at every start and keep the compiler in memory (ADR 0079).
FROM ${NODE_IMAGE} AS install
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY . .
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force && node tools/build/compile.js

# The officer console is built here (Vite is a dev dependency), never at start-up (ADR 0060).
# Only its output leaves this stage.
FROM ${NODE_IMAGE} AS console
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY . .
RUN npm ci --no-audit --no-fund && node -r @swc-node/register services/web/src/console-build.ts

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# No browser here: channel-whatsapp's web mode runs on deploy/whatsapp-web, this image plus
# Debian's Chromium.
# Owned by node: whatsapp-web.js (web mode, deploy/whatsapp-web) keeps its cache of WhatsApp Web
# in the working directory. Kubernetes mounts the root file system read-only for every other
# service (deploy/k8s).
COPY --from=install --chown=node:node /app /app
COPY --from=console --chown=node:node /app/services/web/dist/console /app/dist/services/web/dist/console
# Stateful folders (photos, evidence, mail attachments, the WhatsApp session) go under
# /var/lib/aduan, where docker-compose.yml mounts each service's named volume. The folder
# belongs to node so that a new volume, which takes its owner from here, is writable.
RUN mkdir -p /var/lib/aduan && chown node:node /var/lib/aduan
USER node
# The heap's bounds (ADR 0081): a service's live heap is 30-50 MB under a flood, but V8 left
# unbounded grows it to 200+ MB before collecting. Set NODE_OPTIONS per service to change them.
ENV NODE_ENV=production \
    KAFKAJS_NO_PARTITIONER_WARNING=1 \
    NODE_OPTIONS="--max-old-space-size=96 --max-semi-space-size=8"
ARG SERVICE
ENV SERVICE=${SERVICE}
# GET /health/ready on the service's own port (tools/deploy/healthcheck.js); Kubernetes uses
# its own probes instead (deploy/k8s).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD ["node", "tools/deploy/healthcheck.js"]
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "exec node dist/services/${SERVICE:?set SERVICE to one of the folders under services/}/src/main.js"]
