/**
 * Starts a real auth-server (embedded PGlite in a temp dir) on a free port. Loaded by relative
 * path at run time: auth-server's source is not part of its package exports, and a computed
 * specifier keeps auth-server's files out of this package's typecheck (its rootDir).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutboxResponse } from '../../src/contract.js';

/** The part of auth-server's Config these tests adjust. */
interface ServerConfig {
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  mail: { pollMs: number };
}
interface ServerModules {
  loadConfig(env: Record<string, string>): ServerConfig;
  buildApp(
    config: ServerConfig,
    options: { logger: false },
  ): Promise<{ listen(o: { port: number; host: string }): Promise<string>; close(): Promise<void> }>;
}

async function serverModules(): Promise<ServerModules> {
  const root = new URL('../../../auth-server/src/', import.meta.url);
  const [config, app] = await Promise.all([
    import(new URL('config.ts', root).href) as Promise<Pick<ServerModules, 'loadConfig'>>,
    import(new URL('app.ts', root).href) as Promise<Pick<ServerModules, 'buildApp'>>,
  ]);
  return { loadConfig: config.loadConfig, buildApp: app.buildApp };
}

export const SERVER_SECRET = 'auth-client-integration-secret-0123456789';
/** The server's SERVICE_KEY (what `validateToken` sends). */
export const SERVER_SERVICE_KEY = 'auth-client-integration-service-key-0123';

export interface RunningAuthServer {
  url: string;
  close(): Promise<void>;
  /** Waits for a mail to `to` whose link path is `path` and returns the link's token. */
  mailToken(
    to: string,
    path: '/verify-email' | '/reset-password',
    skip?: ReadonlySet<string>,
  ): Promise<string>;
}

export async function startAuthServer(env: Record<string, string> = {}): Promise<RunningAuthServer> {
  const { loadConfig, buildApp } = await serverModules();
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-client-it-'));
  const base = loadConfig({
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    JWT_SECRET_KEY: SERVER_SECRET,
    SERVICE_KEY: SERVER_SERVICE_KEY,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const config = {
    ...base,
    // cheap hashing and a fast mail worker, as auth-server's own tests do
    argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    mail: { ...base.mail, pollMs: 25 },
  };
  const app = await buildApp(config, { logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });

  async function mailToken(to: string, path: string, skip: ReadonlySet<string> = new Set()): Promise<string> {
    for (let i = 0; i < 400; i++) {
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

  return {
    url,
    mailToken,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
