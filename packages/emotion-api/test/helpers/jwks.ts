/**
 * Test wiring for the JWKS and revocation-feed tests: a REAL auth-server signing with ES256
 * (`@emotion-app/auth-server/testing`), a REAL emotion-api listening on a port
 * (`@emotion-app/emotion-api/testing`) that verifies through auth-server's JWKS and follows its
 * revocation feed with the service key, and users made and signed in over HTTP through
 * emotion-api.
 */
import { startTestAuthServer, type TestAuthServer } from '@emotion-app/auth-server/testing';
import { startTestEmotionApi, type TestEmotionApi } from '@emotion-app/emotion-api/testing';
import type { AppDeps } from '../../src/app.js';
import type { EmotionDetector } from '../../src/model/index.js';
import { PASSWORD, uniqueEmail } from './servers.js';

/** A detector that never loads: these tests need no model. */
export const idleDetector: EmotionDetector = {
  model: 'idle',
  loaded: false,
  load: async () => {},
  detect: async () => [],
  close: async () => {},
};

/** auth-server with JWT_ALG=ES256 (and any `env` on top). */
export function startEs256AuthServer(env: Record<string, string> = {}): Promise<TestAuthServer> {
  return startTestAuthServer({
    JWT_ALG: 'ES256',
    PUBLIC_APP_URL: 'http://localhost:5000',
    TRUST_PROXY: '127.0.0.1',
    ...env,
  });
}

/** emotion-api against `auth` with no secret (JWKS) and auth-server's service key (the feed). */
export function startJwksApi(
  auth: { url: string; serviceKey: string },
  env: Record<string, string> = {},
  deps: AppDeps = {},
): Promise<TestEmotionApi> {
  return startTestEmotionApi(
    { AUTH_URL: auth.url, AUTH_SERVICE_KEY: auth.serviceKey, ...env },
    { detector: idleDetector, ...deps },
  );
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Registers through emotion-api and confirms the address with the mailed link; returns the email. */
export async function createUser(
  apiUrl: string,
  auth: Pick<TestAuthServer, 'mailToken'>,
  label: string,
): Promise<string> {
  const email = uniqueEmail(label);
  const register = await post(`${apiUrl}/auth/register`, { name: label, email, password: PASSWORD });
  if (register.status !== 201) throw new Error(`register: ${register.status} ${await register.text()}`);
  const token = await auth.mailToken(email, '/verify-email');
  const verify = await post(`${apiUrl}/auth/verify`, { token });
  if (verify.status !== 200) throw new Error(`verify: ${verify.status} ${await verify.text()}`);
  return email;
}

export interface Login {
  accessToken: string;
  refreshToken: string;
  userId: string;
  /** The access token's `sid`. */
  sessionId: string;
}

/** Signs in through emotion-api's POST /auth/login. */
export async function login(apiUrl: string, email: string, password = PASSWORD): Promise<Login> {
  const res = await post(`${apiUrl}/auth/login`, { email, password });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { accessToken: string; refreshToken: string; user: { id: string } };
  const { sid } = decodeJwt(body.accessToken).payload as { sid: string };
  return {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    userId: body.user.id,
    sessionId: sid,
  };
}

/** The status and problem code of GET /logs with `token` as Bearer (verified locally by emotion-api). */
export async function useToken(apiUrl: string, token: string): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${apiUrl}/logs`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { code?: string };
  return res.status === 200 ? { status: 200 } : { status: res.status, code: body.code };
}

/**
 * Polls `/logs` with `token` until emotion-api answers 401 `session_revoked` or `withinMs` pass
 * (the 2 s bound of DESIGN §7, counted from when the revoking call returned); the last answer.
 */
export async function waitUntilRevoked(
  apiUrl: string,
  token: string,
  since = Date.now(),
  withinMs = 2000,
): Promise<{ status: number; code?: string }> {
  for (;;) {
    const answer = await useToken(apiUrl, token);
    if (answer.code === 'session_revoked' || Date.now() - since > withinMs) return answer;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Polls until `check` holds (every 50 ms, up to `timeoutMs`); throws with `what` otherwise. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** emotion-api's `/health` `revocations`. */
export async function revocationsStatus(apiUrl: string): Promise<string> {
  const res = await fetch(`${apiUrl}/health`);
  return ((await res.json()) as { revocations: string }).revocations;
}

/** Header and payload of a JWT (unverified). */
export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header = '', payload = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()),
  };
}
