# syntax=docker/dockerfile:1.7
# One image build, one target per app:
#   docker build --target gateway -t flowdesk-gateway .
#   docker build --target workflow -t flowdesk-workflow .
# Node 24 LTS, the newest line package.json engines allows (^20.19 || ^22.13 || >=24.11). nestjs-pino and
# file-type declare >=22 but run on Node 20.20, which CI uses.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json nest-cli.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
RUN node scripts/build.cjs && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /app/.data/attachments && chown -R node:node /app/.data
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node

FROM runtime AS gateway
# Uploads on local disk (ATTACHMENTS_STORAGE=local): the one folder the app writes, owned by its user so
# a volume mounted there (docker-compose.yml) is writable; every gateway replica must see the same files.
ENV PORT=3000 HOST=0.0.0.0 ATTACHMENTS_DIR=/app/.data/attachments
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3000/api/v1/health/ready || exit 1
CMD ["node", "--enable-source-maps", "dist/bundle/gateway.js"]

FROM runtime AS workflow
ENV WORKFLOW_TCP_HOST=0.0.0.0 WORKFLOW_TCP_PORT=3001 WORKFLOW_HTTP_HOST=0.0.0.0 WORKFLOW_HTTP_PORT=3002
EXPOSE 3001 3002
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3002/api/v1/health/ready || exit 1
# node flags: scripts/lib/app-node-flags.cjs (the young generation: README "Memory")
CMD ["node", "--enable-source-maps", "--max-semi-space-size=32", "dist/bundle/workflow.js"]
