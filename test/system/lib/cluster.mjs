/**
 * The system as production runs it: N auth-servers and M emotion-apis (built dist/, separate
 * processes, NODE_ENV=production) behind Debian's nginx, sharing a fresh PostgreSQL database,
 * the machine's Redis and a real SMTP listener.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNginx } from './nginx.mjs';
import { freePort } from './ports.mjs';
import { createDatabase, dropDatabase } from './postgres.mjs';
import { startService } from './service.mjs';
import { startSmtp } from './smtp.mjs';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const REDIS_URL = process.env.SYSTEM_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const METRICS_TOKEN = 'metrics-token-for-the-system-tests';

const secret = () => randomBytes(48).toString('base64url');

/**
 * Starts everything; `stop()` ends it and drops the databases. Each service gets a database of
 * its own; `emotionOnPostgres: false` leaves each emotion-api on SQLite in its own DATA_DIR.
 */
export async function startCluster({
  root = REPO_ROOT,
  authRoot = root,
  apiRoot = root,
  authServers = 2,
  emotionApis = 2,
  emotionOnPostgres = true,
  env = {},
  authEnv = {},
  apiEnv = {},
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'system-'));
  const cleanups = [];
  const cluster = { dir, auth: [], api: [], cleanups };
  cluster.stop = async () => {
    const codes = {};
    for (const fn of cleanups.reverse()) {
      try {
        Object.assign(codes, (await fn()) ?? {});
      } catch (err) {
        console.error('cleanup failed:', err);
      }
    }
    if (!process.env.SYSTEM_KEEP_LOGS) rmSync(dir, { recursive: true, force: true });
    return codes;
  };
  try {
    const authDb = createDatabase('cluster_auth');
    cleanups.push(() => dropDatabase(authDb.name));
    const apiDb = emotionOnPostgres ? createDatabase('cluster_api') : undefined;
    if (apiDb) cleanups.push(() => dropDatabase(apiDb.name));
    const smtp = await startSmtp();
    cluster.smtp = smtp;
    // A test may replace the listener (SMTP down, then up): close whichever is there at the end.
    cleanups.push(() => cluster.smtp.close());
    const authPorts = await Promise.all(Array.from({ length: authServers }, freePort));
    const apiPorts = await Promise.all(Array.from({ length: emotionApis }, freePort));
    const nginx = await startNginx(root, dir, { apiPorts, authPorts });
    cleanups.push(() => nginx.stop());
    const secrets = { JWT_SECRET_KEY: secret(), SERVICE_KEY: secret() };
    const common = { NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: 'warn', TRUST_PROXY: '127.0.0.1' };
    const authBase = {
      ...common,
      ...secrets,
      DATABASE_URL: authDb.url,
      REDIS_URL,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Emotion <no-reply@system.test>',
      PUBLIC_APP_URL: nginx.apiUrl,
      CORS_ORIGINS: nginx.apiUrl,
      METRICS_TOKEN,
      ...env,
      ...authEnv,
    };
    const startAuth = (port, i) =>
      startService({
        name: 'auth-server',
        label: `auth-${i + 1}`,
        root: authRoot,
        logDir: dir,
        env: { ...authBase, PORT: String(port), DATA_DIR: join(dir, `auth-${i + 1}`) },
      });
    // The first creates the schema and the signing key; the others find them.
    cluster.auth.push(await startAuth(authPorts[0], 0));
    cleanups.push(async () => ({ 'auth-1': await cluster.auth[0].stop() }));
    for (const [i, port] of authPorts.entries()) {
      if (i === 0) continue;
      const s = await startAuth(port, i);
      cluster.auth.push(s);
      cleanups.push(async () => ({ [s.label]: await s.stop() }));
    }
    const apiBase = {
      ...common,
      AUTH_URL: nginx.authUrl,
      AUTH_SERVICE_KEY: secrets.SERVICE_KEY,
      CORS_ORIGINS: nginx.apiUrl,
      MODEL_WORKERS: '1',
      METRICS_TOKEN,
      ...(apiDb ? { DATABASE_URL: apiDb.url } : {}),
      ...env,
      ...apiEnv,
    };
    // One after the other: two model loads at once on a busy machine can overrun the start-up timeout.
    for (const [i, port] of apiPorts.entries()) {
      const s = await startService({
        name: 'emotion-api',
        label: `api-${i + 1}`,
        root: apiRoot,
        logDir: dir,
        env: { ...apiBase, PORT: String(port), DATA_DIR: join(dir, `api-${i + 1}`) },
      });
      cluster.api.push(s);
      cleanups.push(async () => ({ [s.label]: await s.stop() }));
    }
    Object.assign(cluster, { nginx, secrets, authDb, apiDb, emotionOnPostgres });
    return cluster;
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}
