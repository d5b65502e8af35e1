import type { FastifyRequest } from 'fastify';
import type { SessionCookies } from '../auth/cookies.js';
import { credentialsOf } from '../auth/credentials.js';
import { AppError } from '../errors.js';

/** Client IP and user agent, so auth-server's throttling and sessions list see the real client. */
export function forwardClient(request: FastifyRequest): { headers: Record<string, string> } {
  const headers: Record<string, string> = { 'x-forwarded-for': request.ip };
  const ua = request.headers['user-agent'];
  if (ua) headers['user-agent'] = ua;
  return { headers };
}

/** The access token the request authenticates with (its Bearer header, else its cookie); 401 without one. */
export function accessTokenOf(request: FastifyRequest, cookies: SessionCookies): string {
  const token = credentialsOf(request, cookies).accessToken;
  if (!token) throw new AppError(401, 'invalid_token', 'Authentication required');
  return token;
}
