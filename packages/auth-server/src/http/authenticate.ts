/** Bearer authentication for auth-server's own routes: a valid JWT whose session is still live. */
import { type AccessTokenClaims, parseBearer } from '@emotion-app/protocol';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { invalidToken } from '../errors.js';
import { findLiveSession } from '../sessions/repository.js';

export interface AuthContext {
  userId: string;
  sessionId: string;
  claims: AccessTokenClaims;
}

/** The access token of `Authorization: Bearer <token>` (RFC 6750), else undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  return parseBearer(request.headers.authorization);
}

/** Verifies the Bearer token and that its session is live; throws 401 otherwise. */
export async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<AuthContext> {
  const token = bearerToken(request);
  if (!token) {
    // No token is an invalid token too (DESIGN §3 names `invalid_token` and `token_expired` for 401s).
    if (request.headers.authorization)
      throw invalidToken('The Authorization header must be "Bearer <token>".');
    throw invalidToken('Send an access token as "Authorization: Bearer <token>".');
  }
  const claims = await ctx.jwt.verify(token);
  const session = await findLiveSession(ctx.db, claims.sid);
  if (!session || session.user_id !== claims.sub) throw invalidToken('The session has ended. Sign in again.');
  return { userId: claims.sub, sessionId: claims.sid, claims };
}
