/**
 * `@emotion-app/auth-server/testing`: a real auth-server for other packages' tests (embedded
 * PGlite in a temporary DATA_DIR, a free port on 127.0.0.1, cheap argon2, fast mail delivery,
 * the development outbox on).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutboxResponse } from '@emotion-app/protocol';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

/** A running test auth-server. */
export interface TestAuthServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Its JWT_SECRET_KEY (what verifiers need as their secret with JWT_ALG=HS256). */
  secret: string;
  /** Its JWT_ALG (HS256 unless given). */
  alg: string;
  /** `${url}/.well-known/jwks.json` (empty key list with HS256). */
  jwksUrl: string;
  /** Its SERVICE_KEY (what introspection and the revocation feed need). */
  serviceKey: string;
  /** Its DATA_DIR (dev-jwt-secret and dev-service-key live there when not given). */
  dataDir: string;
  /**
   * Waits (up to 10 s) for a mail to `to` with a link to `path` (e.g. `/verify-email`) and
   * returns the link's token; tokens in `skip` are passed over (to wait for a newer mail).
   */
  mailToken(to: string, path: string, skip?: ReadonlySet<string>): Promise<string>;
  /** Stops the server and removes DATA_DIR when the helper created it. */
  close(): Promise<void>;
}

/**
 * Starts auth-server for a test. `env` overrides the defaults: `NODE_ENV=test`, silent logs, a
 * random JWT_SECRET_KEY and SERVICE_KEY (pass `''` to have the development files generated),
 * `JWT_ALG=HS256` (pass `ES256`, `RS256` or `EdDSA` for signing keys and the JWKS at
 * `${url}/.well-known/jwks.json`), a new temporary DATA_DIR, PORT 0. Any other variable of
 * auth-server's `.env.example` may be given too (e.g. `KEY_ROTATION_DELAY_SECONDS`,
 * `REVOCATION_HEARTBEAT_SECONDS`, `DATABASE_URL`).
 *
 * @example
 * ```ts
 * const server = await startTestAuthServer({ RATE_LIMIT_LOGIN_IP: '3/60' });
 * t.after(() => server.close());
 * const auth = new AuthClient({ baseUrl: server.url });
 * await auth.register({ name: 'Ada', email, password });
 * const session = await auth.verifyEmail(await server.mailToken(email, '/verify-email'));
 * ```
 */
export async function startTestAuthServer(env: Record<string, string> = {}): Promise<TestAuthServer> {
  const ownDataDir =
    env.DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'auth-server-test-')) : undefined;
  const base = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    JWT_SECRET_KEY: randomBytes(32).toString('base64url'),
    SERVICE_KEY: randomBytes(32).toString('base64url'),
    // Pinned, so other packages' tests keep their shared-secret setup whatever auth-server's
    // default: pass JWT_ALG (ES256, RS256, EdDSA) to test against the JWKS.
    JWT_ALG: 'HS256',
    ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}),
    ...env,
  });
  const config = {
    ...base,
    // The OWASP cost is pinned by auth-server's own tests; here it would only slow the suites.
    argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    mail: { pollMs: 25, retryBaseMs: 50, retryMaxMs: 1000, maxAttempts: 5 },
  };
  const app = await buildApp(config, { logger: false });
  let url: string;
  try {
    url = await app.listen({ host: '127.0.0.1', port: config.port });
  } catch (err) {
    await app.close();
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    throw err;
  }

  async function mailToken(to: string, path: string, skip: ReadonlySet<string> = new Set()): Promise<string> {
    for (let attempt = 0; attempt < 400; attempt++) {
      const res = await fetch(`${url}/api/dev/outbox?to=${encodeURIComponent(to)}`);
      const { messages } = (await res.json()) as OutboxResponse;
      for (const message of messages) {
        for (const link of message.links) {
          const parsed = new URL(link);
          const token = parsed.searchParams.get('token');
          if (parsed.pathname === path && token && !skip.has(token)) return token;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no ${path} mail for ${to}`);
  }

  let closed = false;
  return {
    url,
    secret: config.jwt.secret,
    alg: config.jwt.alg,
    jwksUrl: `${url}/.well-known/jwks.json`,
    serviceKey: config.serviceKey,
    dataDir: config.dataDir,
    mailToken,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    },
  };
}
