# syntax=docker/dockerfile:1
# Build stage: dev dependencies and the TypeScript compiler live only here.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies (better-sqlite3 ships prebuilt binaries) and the build.
FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    DATABASE_PATH=/data/auth0-oncall.db \
    HTTP_PORT=3000 \
    HTTP_HOST=0.0.0.0
WORKDIR /app
# packages/ (the fakes, a workspace for the tests) is not in the build context (.dockerignore): npm
# ci finds no workspace to link and installs the production dependencies alone.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY manifest.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.METRICS_PORT || process.env.HTTP_PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=4", "dist/src/main.js"]
