/** Sessions and token pairs: creation at login/verify, refresh rotation, logout scopes. */
import type { LogoutScope, Session } from '@emotion-app/protocol';
import type { AppContext, ClientInfo } from '../context.js';
import type { UserRow } from '../db/schema.js';
import { ProblemError } from '@emotion-app/protocol';
import { invalidToken } from '../errors.js';
import { recordAuthEvent } from '../events/auth-events.js';
import { countRefresh } from '../metrics.js';
import { findUserById, toUser } from '../users/repository.js';
import { insertRefreshToken, rotateRefreshToken, sessionOfRefreshToken } from './refresh.js';
import { insertSession, revokeSession, revokeUserSessions } from './repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A refresh token's lifetime: REFRESH_TOKEN_DAYS, but never past the session's SESSION_MAX_DAYS. */
export function refreshLifetimeMs(ctx: AppContext): number {
  return Math.min(ctx.config.refreshTokenDays, ctx.config.sessionMaxDays) * DAY_MS;
}

function pair(ctx: AppContext, user: UserRow, sessionId: string, refreshToken: string): Session {
  const signed = ctx.jwt.sign({ userId: user.id, sessionId, email: user.email, role: user.role });
  return { ...signed, tokenType: 'Bearer', refreshToken, user: toUser(user) };
}

/** Starts a new session for the user and returns its first token pair. */
export async function startSession(ctx: AppContext, user: UserRow, client: ClientInfo): Promise<Session> {
  const { refreshToken, sessionId } = await ctx.db.transaction().execute(async (trx) => {
    const session = await insertSession(trx, { userId: user.id, userAgent: client.userAgent, ip: client.ip });
    const token = await insertRefreshToken(trx, session.id, refreshLifetimeMs(ctx));
    return { refreshToken: token, sessionId: session.id };
  });
  return pair(ctx, user, sessionId, refreshToken);
}

/**
 * Rotates a refresh token (see sessions/refresh.ts for the grace and reuse rules). A session older
 * than SESSION_MAX_DAYS is ended instead: 401 `session_expired`, the user signs in again.
 * Each outcome is counted in `auth_refresh_total{result}`.
 */
export async function refreshSession(
  ctx: AppContext,
  presented: string,
  client: ClientInfo,
): Promise<Session> {
  const result = await rotateRefreshToken(ctx.db, presented, ctx.refreshChainKey, {
    lifetimeMs: refreshLifetimeMs(ctx),
    sessionMaxMs: ctx.config.sessionMaxDays * DAY_MS,
  });
  if (result.kind !== 'rotated') countRefresh(ctx.metrics, result.kind);
  if (result.kind === 'invalid') {
    throw invalidToken(
      result.reason === 'expired' ? 'The refresh token has expired.' : 'The refresh token is invalid.',
    );
  }
  if (result.kind === 'reused' || result.kind === 'session_expired') ctx.revocations.wake();
  if (result.kind === 'reused') {
    await recordAuthEvent(ctx.db, ctx.log, {
      type: 'refresh_token_reused',
      userId: result.userId,
      ip: client.ip,
      userAgent: client.userAgent,
      detail: { sessionId: result.sessionId },
    });
    throw new ProblemError({
      code: 'refresh_token_reused',
      detail: 'This refresh token was already used; the session has been revoked. Sign in again.',
    });
  }
  if (result.kind === 'session_expired') {
    await recordAuthEvent(ctx.db, ctx.log, {
      type: 'session_revoked',
      userId: result.userId,
      ip: client.ip,
      userAgent: client.userAgent,
      detail: { sessionId: result.sessionId, reason: 'session_expired' },
    });
    throw new ProblemError({
      code: 'session_expired',
      detail: `This session reached its maximum lifetime of ${ctx.config.sessionMaxDays} days. Sign in again.`,
    });
  }
  const user = await findUserById(ctx.db, result.userId);
  countRefresh(ctx.metrics, user ? 'success' : 'invalid');
  if (!user) throw invalidToken('The refresh token is invalid.');
  return pair(ctx, user, result.sessionId, result.refreshToken);
}

export interface LogoutRequest {
  scope: LogoutScope;
  /** From a valid Bearer token. */
  bearer?: { userId: string; sessionId: string } | undefined;
  refreshToken?: string | undefined;
}

/** Revokes the session(s) named by scope; idempotent for an already revoked or unknown refresh token. */
export async function logout(ctx: AppContext, req: LogoutRequest, client: ClientInfo): Promise<void> {
  let who = req.bearer;
  if (!who && req.refreshToken) who = await sessionOfRefreshToken(ctx.db, req.refreshToken);
  if (!who) {
    if (req.refreshToken) return; // unknown or already revoked refresh token: nothing left to do
    throw invalidToken('Send a Bearer access token or a refresh token.');
  }
  let revoked: number;
  if (req.scope === 'global') revoked = await revokeUserSessions(ctx.db, who.userId, 'logout_global');
  else if (req.scope === 'others')
    revoked = await revokeUserSessions(ctx.db, who.userId, 'logout_others', who.sessionId);
  else revoked = (await revokeSession(ctx.db, who.userId, who.sessionId, 'logout')) ? 1 : 0;
  if (revoked > 0) ctx.revocations.wake();
  await recordAuthEvent(ctx.db, ctx.log, {
    type: 'logout',
    userId: who.userId,
    ip: client.ip,
    userAgent: client.userAgent,
    detail: { scope: req.scope, sessionId: who.sessionId, revoked },
  });
}
