/**
 * `@emotion-app/emotion-api/testing`: a real emotion-api for other packages' tests (the web
 * app's browser suite): the app built from an environment, listening on 127.0.0.1, in a
 * temporary DATA_DIR unless one is given. `buildApp` and `loadConfig` are here too, for a test
 * that wires the app itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type AppDeps, buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';

export { type AppDeps, buildApp, type Config, ConfigError, loadConfig };

/** A running test emotion-api. */
export interface TestEmotionApi {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  app: FastifyInstance;
  config: Config;
  /** Its DATA_DIR (emotion.db and images/). */
  dataDir: string;
  /** Stops the server and removes DATA_DIR when the helper created it. */
  close(): Promise<void>;
}

/**
 * Starts emotion-api for a test. `env` overrides the defaults: `NODE_ENV=test`, silent logs,
 * PORT 0, one model worker, no web app (`WEB_DIST=none`), a new temporary DATA_DIR. Give it
 * `AUTH_URL` of the auth-server it trusts and `AUTH_SERVICE_KEY` (its service key, for the
 * revocation feed); without `AUTH_JWT_SECRET` it verifies through that auth-server's JWKS
 * (JWT_ALG ES256, RS256 or EdDSA), with it HS256 only (auth-server on JWT_ALG=HS256). With
 * `DATABASE_URL` predictions and images go to that PostgreSQL (migrated at start) instead of
 * DATA_DIR. The model loads before it listens.
 *
 * @example
 * ```ts
 * const auth = await startTestAuthServer({ JWT_ALG: 'ES256' });
 * const api = await startTestEmotionApi({ AUTH_URL: auth.url, AUTH_SERVICE_KEY: auth.serviceKey });
 * t.after(() => api.close());
 * await fetch(`${api.url}/health`);
 * ```
 */
export async function startTestEmotionApi(
  env: Record<string, string> = {},
  deps: AppDeps = {},
): Promise<TestEmotionApi> {
  const ownDataDir =
    env.DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'emotion-api-test-')) : undefined;
  const removeOwnDataDir = () => {
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
  };
  let app: FastifyInstance | undefined;
  try {
    const config = await loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      MODEL_WORKERS: '1',
      WEB_DIST: 'none',
      ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}),
      ...env,
    });
    app = await buildApp(config, deps);
    const url = await app.listen({ host: '127.0.0.1', port: config.port });
    const running = app;
    let closed = false;
    return {
      url,
      app: running,
      config,
      dataDir: config.dataDir,
      async close() {
        if (closed) return;
        closed = true;
        await running.close();
        removeOwnDataDir();
      },
    };
  } catch (err) {
    await app?.close();
    removeOwnDataDir();
    throw err;
  }
}
