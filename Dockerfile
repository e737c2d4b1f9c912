# dyte-mock: docker build -t dyte-mock . && docker run -p 4010:4010 -v dyte-mock-data:/data dyte-mock
# Published as ghcr.io/dyte-mock/dyte-mock (linux/amd64, linux/arm64): see .github/workflows/release.yml.

# The Node LTS the image runs on (Node 20 reached its end of life in April 2026).
ARG NODE_IMAGE=node:24-bookworm-slim
# The package version the image carries, in its labels; a build with another value than
# package.json's fails. Kept equal to package.json by test/recipes.test.ts.
ARG VERSION=0.1.0

# Build: compile better-sqlite3 (needs a C++ toolchain when no prebuilt binary is downloaded) and
# the TypeScript, then drop dev dependencies and the addon's compile leftovers.
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Dependencies alone first, so their layer is reused while the lock file stays the same. Scripts
# are skipped (prepare would build sources not copied yet); better-sqlite3's install runs after.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY tsconfig.json ./
COPY scripts ./scripts
ARG VERSION
RUN node scripts/check-release.mjs --version "$VERSION"
COPY spec ./spec
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && node scripts/prune-addon.mjs node_modules

# Run: production dependencies, the compiled server and spec, the specs it serves and the media
# files recordings download as; no toolchain, no tests, no upstream reference copies.
FROM ${NODE_IMAGE}
ARG VERSION
LABEL org.opencontainers.image.title="dyte-mock" \
      org.opencontainers.image.description="Local, stateful emulator of the Dyte v2 REST API (Cloudflare RealtimeKit) for integration tests" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/dyte-mock/dyte-mock" \
      org.opencontainers.image.url="https://github.com/dyte-mock/dyte-mock#readme" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4010 \
    DYTE_MOCK_DB=/data/dyte-mock.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/spec ./dist/spec
COPY --from=build /app/spec/dyte-v2.yaml /app/spec/mock.yaml /app/spec/realtimekit.json ./spec/
COPY assets ./assets
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 4010
# node's own fetch: the slim base has no curl or wget.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4010)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Arguments after the image name are dyte-mock's flags: docker run … ghcr.io/dyte-mock/dyte-mock --seed ci
ENTRYPOINT ["node", "--max-semi-space-size=8", "dist/src/bin.cjs"]
