# auth-server: build the workspace, then a production install of auth-server and what it imports.
# Build from the repo root: docker build -f deploy/auth-server.Dockerfile -t auth-server .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages packages
RUN npm ci --no-audit --no-fund \
  && npm run build --workspace packages/protocol --workspace packages/service-kit --workspace packages/auth-server

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8000 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=build /app/packages packages
RUN npm ci --omit=dev --no-audit --no-fund --workspace packages/auth-server \
  && find packages -mindepth 2 -maxdepth 2 -name src -type d -prune -exec rm -rf {} + \
  && mkdir -p /data && chown node:node /data
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "packages/auth-server/dist/main.js"]
