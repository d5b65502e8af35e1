# emotion-api with the built web app. The same steps as CI's production install test
# (test/system/production-install.test.mjs): build the workspace with the full install, copy the
# runtime tree (deploy/runtime-tree.mjs: package.json files, lockfile, dist/, emotion-api's
# models/ and migrations/, the web app's dist/), then `npm ci --omit=dev` of this one workspace
# (its native module better-sqlite3 needs the build tools of the build image when no prebuilt
# binary can be downloaded, hence the same base image in both stages).
# Build from the repo root: docker build -f deploy/emotion-api.Dockerfile -t emotion-api .
FROM node:20-bookworm AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && npm run build && node deploy/runtime-tree.mjs /src /app \
  && cd /app && npm ci --omit=dev --no-audit --no-fund --workspace packages/emotion-api

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=5000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 5000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "packages/emotion-api/dist/main.js"]
