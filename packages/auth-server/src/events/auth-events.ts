/**
 * Auth events: written to `auth_events` and logged as one structured line each. Callers pass
 * only identifiers and metadata; never a password or a token.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type AuthEventType =
  | 'register'
  | 'register_existing'
  | 'email_verified'
  | 'login_success'
  | 'login_failure'
  | 'login_unverified'
  | 'refresh'
  | 'refresh_token_reused'
  | 'logout'
  | 'session_revoked'
  | 'password_changed'
  | 'password_reset_requested'
  | 'password_reset'
  | 'throttled';

export interface AuthEvent {
  type: AuthEventType;
  userId?: string | null;
  email?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  detail?: Record<string, unknown>;
}

const FORBIDDEN_KEYS = /pass|token|secret|hash/i;

function scrub(detail: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!detail) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail)) if (!FORBIDDEN_KEYS.test(k)) out[k] = v;
  return out;
}

export async function recordAuthEvent(
  db: Kysely<Database>,
  log: FastifyBaseLogger,
  event: AuthEvent,
): Promise<void> {
  const detail = scrub(event.detail);
  log.info(
    {
      authEvent: event.type,
      userId: event.userId ?? undefined,
      email: event.email ?? undefined,
      ip: event.ip ?? undefined,
      userAgent: event.userAgent ?? undefined,
      ...(detail ? { detail } : {}),
    },
    `auth event ${event.type}`,
  );
  try {
    await db
      .insertInto('auth_events')
      .values({
        type: event.type,
        user_id: event.userId ?? null,
        email: event.email ?? null,
        ip: event.ip ?? null,
        user_agent: event.userAgent?.slice(0, 512) ?? null,
        detail: detail ? JSON.stringify(detail) : null,
      })
      .execute();
  } catch (err) {
    log.error({ err }, 'could not record auth event');
  }
}
