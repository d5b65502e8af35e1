import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { CSRF_HEADER, ProblemError } from '@emotion-app/protocol';
import type { SessionCookies } from './cookies.js';
import { hasAuthorizationHeader } from './credentials.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HEADER = CSRF_HEADER.toLowerCase();

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` on routes used before a session exists (login, register, ...): no CSRF token needed. */
    csrf?: boolean;
  }
}

function equalConstantTime(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function csrfFailed(detail: string): ProblemError {
  return new ProblemError({ code: 'csrf_failed', detail });
}

/**
 * The one CSRF check: a state-changing request authenticated by cookie (an access or refresh
 * cookie and no Authorization header) must carry `X-CSRF-Token` equal to the CSRF cookie, and its
 * `Origin`, when present, must be an allowed origin or the app's own. Requests with an
 * Authorization header (authenticated by it alone, see `credentialsOf`), safe methods and routes
 * marked `config: { csrf: false }` pass.
 */
export function createCsrfGuard(
  cookies: SessionCookies,
  allowedOrigins: readonly string[],
): preHandlerAsyncHookHandler {
  const allowed = new Set(allowedOrigins);
  return async function csrfGuard(request: FastifyRequest) {
    if (!UNSAFE.has(request.method)) return;
    if (request.routeOptions.config?.csrf === false) return;
    // Such a request is authenticated by that header alone: no route reads its cookies.
    if (hasAuthorizationHeader(request)) return;
    if (cookies.accessToken(request) === undefined && cookies.refreshToken(request) === undefined) return;

    const origin = request.headers.origin;
    if (origin !== undefined) {
      const own = `${request.protocol}://${request.host}`;
      if (origin !== own && !allowed.has(origin)) throw csrfFailed(`Origin ${origin} is not allowed.`);
    }
    const expected = cookies.csrfToken(request);
    const header = request.headers[HEADER];
    const given = Array.isArray(header) ? header[0] : header;
    if (expected === undefined || given === undefined || given === '') {
      throw csrfFailed('Send the csrf_token cookie value in the X-CSRF-Token header.');
    }
    if (!equalConstantTime(given, expected))
      throw csrfFailed('X-CSRF-Token does not match the csrf_token cookie.');
  };
}
