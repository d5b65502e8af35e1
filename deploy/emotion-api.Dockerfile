# emotion-api with the built web app: build the workspace, then a production install of
# emotion-api and what it imports. The model weights come from npm (@vladmandic/human) and
# packages/emotion-api/models. Build from the repo root:
#   docker build -f deploy/emotion-api.Dockerfile -t emotion-api .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages packages
RUN npm ci --no-audit --no-fund && npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=5000 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=build /app/packages packages
RUN npm ci --omit=dev --no-audit --no-fund --workspace packages/emotion-api \
  && find packages -mindepth 2 -maxdepth 2 -name src -type d -prune -exec rm -rf {} + \
  && mkdir -p /data && chown node:node /data
USER node
EXPOSE 5000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "packages/emotion-api/dist/main.js"]
