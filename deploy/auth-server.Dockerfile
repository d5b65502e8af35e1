# auth-server. The same steps as CI's production install test
# (test/system/production-install.test.mjs): build the workspace with the full install, copy the
# runtime tree (deploy/runtime-tree.mjs: package.json files, lockfile, dist/), then
# `npm ci --omit=dev` of this one workspace.
# Build from the repo root: docker build -f deploy/auth-server.Dockerfile -t auth-server .
FROM node:20-bookworm AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund \
  && npm run build --workspace packages/protocol --workspace packages/service-kit --workspace packages/auth-server \
  && node deploy/runtime-tree.mjs /src /app \
  && cd /app && npm ci --omit=dev --no-audit --no-fund --workspace packages/auth-server

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "packages/auth-server/dist/main.js"]
