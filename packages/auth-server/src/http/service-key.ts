/**
 * Service authentication (DESIGN §7, RFC 7662 §2.1): routes meant for other services, such as
 * introspection, require `Authorization: Bearer <SERVICE_KEY>`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { ProblemError, parseBearer } from '@emotion-app/protocol';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Throws 401 `invalid_token` unless the request carries the service key as its Bearer token.
 * Both sides are hashed first, so the comparison is constant-time whatever their lengths.
 */
export function requireServiceKey(ctx: AppContext, request: FastifyRequest): void {
  if (hasServiceKey(ctx, request)) return;
  throw new ProblemError({
    code: 'invalid_token',
    detail: 'This endpoint is for services: send the service key as "Authorization: Bearer <SERVICE_KEY>".',
    headers: { 'www-authenticate': 'Bearer realm="auth-server"' },
  });
}

/** Whether the request carries the service key as its Bearer token (constant-time comparison). */
export function hasServiceKey(ctx: AppContext, request: FastifyRequest): boolean {
  // Any non-space characters: the operator chooses the key.
  const given = parseBearer(request.headers.authorization, { opaque: true });
  return given !== undefined && timingSafeEqual(digest(given), digest(ctx.config.serviceKey));
}
