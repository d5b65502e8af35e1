/**
 * Test wiring: a REAL auth-server in-process (`@emotion-app/auth-server/testing`: embedded PGlite
 * in a temp DATA_DIR, a free port) and emotion-api apps pointed at it, plus a cookie jar for
 * `app.inject`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestAuthServer } from '@emotion-app/auth-server/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';

export const SECRET = randomBytes(32).toString('hex');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `emotion-api-${prefix}-`));
}

export interface AuthServer {
  url: string;
  dataDir: string;
  /** The token of the newest mail to `email` linking to `path` (e.g. `/verify-email`). */
  mailToken(email: string, path: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts auth-server on 127.0.0.1:0 with a temp DATA_DIR and the test secret (`JWT_SECRET_KEY: ''`
 * has it write `DATA_DIR/dev-jwt-secret`); `stop()` closes it and removes the folder.
 */
export async function startAuthServer(env: Record<string, string> = {}): Promise<AuthServer> {
  const server = await startTestAuthServer({
    JWT_SECRET_KEY: SECRET,
    PUBLIC_APP_URL: 'http://localhost:5000',
    TRUST_PROXY: '127.0.0.1',
    ...env,
  });
  return {
    url: server.url,
    dataDir: server.dataDir,
    mailToken: (email, path) => server.mailToken(email, path),
    stop: () => server.close(),
  };
}

export interface TestApi {
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

/** Builds emotion-api against `authUrl` with a temp DATA_DIR (no web app, silent logs). */
export async function startApi(
  authUrl: string,
  env: Record<string, string> = {},
  deps: AppDeps = {},
): Promise<TestApi> {
  const dataDir = tempDir('api');
  const config = await loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    AUTH_URL: authUrl,
    AUTH_JWT_SECRET: SECRET,
    WEB_DIST: 'none',
    MODEL_WORKERS: '1',
    CORS_ORIGINS: 'http://localhost:5173',
    ...env,
  });
  const app = await buildApp(config, deps);
  await app.ready();
  return {
    app,
    config,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

/** Parses every Set-Cookie header of a response, attributes lower-cased. */
export function setCookies(res: LightMyRequestResponse): SetCookie[] {
  const raw = res.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((line) => {
    const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      if (i < 0) attributes[attr.toLowerCase()] = true;
      else attributes[attr.slice(0, i).toLowerCase()] = attr.slice(i + 1);
    }
    return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
  });
}

/** A minimal browser cookie jar (ignores Path: tests send what a browser would send anyway). */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  update(res: LightMyRequestResponse): this {
    for (const c of setCookies(res)) {
      const maxAge = c.attributes['max-age'];
      const expires = c.attributes.expires;
      const expired =
        (typeof maxAge === 'string' && Number(maxAge) <= 0) ||
        (typeof expires === 'string' && Date.parse(expires) <= Date.now());
      if (expired || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }
}

/** A fresh, unique address for one test user. */
export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}@example.com`;
}

export const PASSWORD = 'correct horse battery staple 42';

/** The latest verification token mailed to `email`, read from auth-server's development outbox. */
export function verificationToken(auth: AuthServer, email: string): Promise<string> {
  return auth.mailToken(email, '/verify-email');
}

export interface SignedInUser {
  email: string;
  jar: CookieJar;
  accessToken: string;
  refreshToken: string;
  userId: string;
}

/**
 * Registers through emotion-api and verifies with the mailed token in the same browser (cookie
 * jar, so the sign-up verifier cookie goes along and verifying signs in); returns the session.
 */
export async function signUp(api: FastifyInstance, auth: AuthServer, label: string): Promise<SignedInUser> {
  const email = uniqueEmail(label);
  const jar = new CookieJar();
  const register = await api.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { name: label, email, password: PASSWORD },
  });
  if (register.statusCode !== 201) throw new Error(`register: ${register.statusCode} ${register.body}`);
  jar.update(register);
  const token = await verificationToken(auth, email);
  const verify = await api.inject({
    method: 'POST',
    url: '/auth/verify',
    headers: { cookie: jar.header() },
    payload: { token },
  });
  if (verify.statusCode !== 200) throw new Error(`verify: ${verify.statusCode} ${verify.body}`);
  const body = verify.json() as {
    accessToken: string;
    refreshToken: string;
    user: { id: string };
    signedIn: boolean;
  };
  if (!body.signedIn) throw new Error(`verify did not sign in: ${verify.body}`);
  return {
    email,
    jar: jar.update(verify),
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    userId: body.user.id,
  };
}

/** Headers a browser sends on a state-changing request: the cookies and the CSRF header. */
export function browserHeaders(jar: CookieJar): Record<string, string> {
  return { cookie: jar.header(), 'x-csrf-token': jar.get('csrf_token') ?? '' };
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An HS256 access token signed with the test secret (for an already expired token). */
export function signAccessToken(claims: Record<string, unknown>): string {
  const head = `${b64url({ alg: 'HS256', typ: 'JWT', kid: 'test' })}.${b64url(claims)}`;
  return `${head}.${createHmac('sha256', SECRET).update(head).digest('base64url')}`;
}

/** A multipart/form-data body with one file part. */
export function multipart(
  field: string,
  content: Buffer,
  filename = 'photo.jpg',
  contentType = 'image/jpeg',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----emotion${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
        `Content-Type: ${contentType}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../fixtures');
