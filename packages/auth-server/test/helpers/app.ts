/** Builds a real auth-server app for tests (cheap argon2, silent logs, fast mail worker). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { OutboxMessage, Session } from '@emotion-app/protocol';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type BuildOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { Dialect, TestDb } from './db.js';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
export const TEST_SERVICE_KEY = 'test-service-key-that-is-at-least-32-bytes!';
export const PASSWORD = 'correct horse battery staple';

export function testConfig(env: Record<string, string> = {}, overrides: Partial<Config> = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-test-'));
  const base = loadConfig({
    JWT_SECRET_KEY: TEST_SECRET,
    SERVICE_KEY: TEST_SERVICE_KEY,
    // The existing suites pin the seed's shared-secret mode; the key-ring suites pass JWT_ALG.
    JWT_ALG: 'HS256',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return {
    ...base,
    argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    mail: { pollMs: 25, retryBaseMs: 50, retryMaxMs: 1000, maxAttempts: 5 },
    ...overrides,
  };
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  testDb: TestDb;
}

export async function startApp(
  t: TestContext,
  dialect: Dialect,
  options: { env?: Record<string, string>; overrides?: Partial<Config>; build?: BuildOptions } = {},
): Promise<TestApp> {
  const testDb = await dialect.open();
  const config = testConfig(options.env, options.overrides);
  const app = await buildApp(config, { logger: false, ...options.build, db: testDb.db });
  t.after(async () => {
    await app.close();
    await testDb.cleanup();
    rmSync(config.dataDir, { recursive: true, force: true });
  });
  return { app, config, testDb };
}

export function post(
  app: FastifyInstance,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function outbox(app: FastifyInstance, to: string): Promise<OutboxMessage[]> {
  const res = await app.inject({ method: 'GET', url: `/api/dev/outbox?to=${encodeURIComponent(to)}` });
  if (res.statusCode !== 200) throw new Error(`outbox: ${res.statusCode} ${res.body}`);
  return res.json().messages;
}

export function tokenFromLink(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

export async function latestToken(app: FastifyInstance, to: string, path: string): Promise<string> {
  const messages = await outbox(app, to);
  for (const m of messages) {
    const link = m.links.find((l) => new URL(l).pathname === path);
    if (link) return tokenFromLink(link);
  }
  throw new Error(`no ${path} mail for ${to}`);
}

export async function register(app: FastifyInstance, email: string, password = PASSWORD, name = 'Test User') {
  return post(app, '/api/auth/register', { name, email, password });
}

/** Registers, verifies through the outbox link and returns the session from verify. */
export async function signUp(app: FastifyInstance, email: string, password = PASSWORD): Promise<Session> {
  const reg = await register(app, email, password);
  if (reg.statusCode !== 201) throw new Error(`register: ${reg.statusCode} ${reg.body}`);
  const token = await latestToken(app, email, '/verify-email');
  const res = await post(app, '/api/auth/verify', { token });
  if (res.statusCode !== 200) throw new Error(`verify: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function login(app: FastifyInstance, email: string, password = PASSWORD, extra = {}) {
  return post(app, '/api/auth/login', { email, password, ...extra });
}

export function problem(res: LightMyRequestResponse): { code: string; status: number; [k: string]: unknown } {
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${res.headers['content-type']}: ${res.body}`);
  }
  return res.json();
}
