/**
 * Administration routes (DESIGN §7, key rotation): the service key, or the access token of a user
 * whose role is admin (read from the database, so a demotion applies at once).
 */
import { ProblemError } from '@emotion-app/protocol';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { findUserById } from '../users/repository.js';
import { authenticate } from './authenticate.js';
import { hasServiceKey } from './service-key.js';

/** Who was let in. */
export type AdminCaller = { kind: 'service' } | { kind: 'admin'; userId: string };

/**
 * Lets the service key or an admin's valid access token through; 401 `invalid_token` without
 * valid credentials, 403 `forbidden` for a signed-in user who is not an admin.
 */
export async function requireServiceKeyOrAdmin(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<AdminCaller> {
  if (hasServiceKey(ctx, request)) return { kind: 'service' };
  const auth = await authenticate(ctx, request);
  const user = await findUserById(ctx.db, auth.userId);
  if (user?.role !== 'admin') {
    throw new ProblemError({ code: 'forbidden', detail: 'This endpoint is for administrators.' });
  }
  return { kind: 'admin', userId: auth.userId };
}
