/** What every proxied call shares: the client's address, the caller's access token, the route's path. */
import type { RequestOptions } from '@emotion-app/auth-client';
import { type Endpoint, ProblemError } from '@emotion-app/protocol';
import type { FastifyRequest } from 'fastify';
import type { SessionCookies } from '../auth/cookies.js';
import { credentialsOf } from '../auth/credentials.js';

/** Client IP and user agent, so auth-server's throttling and sessions list see the real client. */
export function forwardClient(request: FastifyRequest): RequestOptions {
  const headers: Record<string, string> = { 'x-forwarded-for': request.ip };
  const ua = request.headers['user-agent'];
  if (ua) headers['user-agent'] = ua;
  return { headers };
}

/** The access token the request authenticates with (its Bearer header, else its cookie); 401 without one. */
export function accessTokenOf(request: FastifyRequest, cookies: SessionCookies): string {
  const token = credentialsOf(request, cookies).accessToken;
  if (!token) throw new ProblemError({ code: 'invalid_token', title: 'Authentication required' });
  return token;
}

/**
 * emotion-api's path of an auth-server endpoint: `/api/auth/x` → `/auth/x`, `/api/users/me` →
 * `/auth/me`, `/api/users/me/x` → `/auth/x`.
 *
 * @example
 * ```ts
 * proxyPath(authEndpoints.revokeSession); // '/auth/sessions/:id'
 * ```
 */
export function proxyPath(endpoint: Endpoint): string {
  return endpoint.path
    .replace(/^\/api\/auth\//, '/auth/')
    .replace(/^\/api\/users\/me$/, '/auth/me')
    .replace(/^\/api\/users\/me\//, '/auth/');
}
