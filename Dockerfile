# One image for every Aduan service; SERVICE picks which one runs.
#   docker build -t aduan .
#   docker run -e SERVICE=router -e KAFKA_BROKERS=… -e DATABASE_URL=… aduan
FROM node:20-bookworm-slim AS install
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY . .
RUN npm ci --omit=dev --no-audit --no-fund

# The officer console is built here (Vite is a dev dependency), never at start-up (ADR 0060).
FROM node:20-bookworm-slim AS console
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY . .
RUN npm ci --no-audit --no-fund && node -r @swc-node/register services/web/src/console-build.ts

FROM node:20-bookworm-slim
WORKDIR /app
# No browser here: channel-whatsapp's web mode runs on deploy/whatsapp-web, this image plus
# Debian's Chromium.
COPY --from=install --chown=node:node /app /app
COPY --from=console --chown=node:node /app/services/web/dist/console /app/services/web/dist/console
# Stateful folders (photos, evidence, mail attachments, the WhatsApp session) go under
# /var/lib/aduan, where docker-compose.yml mounts each service's named volume. The folder
# belongs to node so that a new volume, which takes its owner from here, is writable.
RUN mkdir -p /var/lib/aduan && chown node:node /var/lib/aduan
USER node
ENV NODE_ENV=production \
    KAFKAJS_NO_PARTITIONER_WARNING=1
ARG SERVICE
ENV SERVICE=${SERVICE}
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "exec node -r @swc-node/register services/${SERVICE:?set SERVICE to one of the folders under services/}/src/main.ts"]
