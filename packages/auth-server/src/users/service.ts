/**
 * Account flows: register, verify and resend-verification (login: users/login.ts; password flows:
 * passwords/service.ts). Enumeration safety: register and resend answer identically whether or
 * not the address has an account.
 */
import type { Session, StatusMessage } from '@emotion-app/auth-client/contract';
import type { AppContext, ClientInfo } from '../context.js';
import { AppError, invalidOrExpiredToken } from '../errors.js';
import { appLink as link } from '../mail/links.js';
import { recordAuthEvent } from '../events/auth-events.js';
import { enqueueMail } from '../mail/outbox.js';
import {
  alreadyRegisteredMail,
  alreadyRegisteredUnverifiedMail,
  verificationMail,
} from '../mail/templates.js';
import { assertPasswordPolicy } from '../passwords/service.js';
import { startSession } from '../sessions/service.js';
import { consumeOneTimeToken, issueOneTimeToken } from '../tokens/one-time.js';
import { normalizeEmail } from './email.js';
import { findUserByEmail, insertUser, markEmailVerified } from './repository.js';

export const REGISTER_ANSWER: StatusMessage = Object.freeze({
  status: 'verification_pending',
  message: 'Check your inbox: we sent a link to finish setting up your account.',
});
export const RESEND_ANSWER: StatusMessage = Object.freeze({
  status: 'accepted',
  message: 'If this address has an account waiting for verification, a new link is on its way.',
});

export async function register(
  ctx: AppContext,
  input: { name: string; email: string; password: string; passwordConfirm?: string | undefined },
  client: ClientInfo,
): Promise<StatusMessage> {
  if (input.passwordConfirm !== undefined && input.passwordConfirm !== input.password) {
    throw new AppError(400, 'validation_failed', 'Validation failed', 'passwordConfirm must match password', {
      errors: [{ path: 'passwordConfirm', message: 'must match password' }],
    });
  }
  const email = normalizeEmail(input.email);
  const name = input.name.trim() || input.name;
  assertPasswordPolicy(input.password, email, 'password');
  const passwordHash = await ctx.hasher.hash(input.password);
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const created = await insertUser(trx, { email, name, passwordHash });
    if (created) {
      const token = await issueOneTimeToken(trx, created.id, 'verification');
      await enqueueMail(trx, email, verificationMail(created.name, link(ctx, '/verify-email', token)));
      return { user: created, existed: false };
    }
    const existing = await findUserByEmail(trx, email);
    if (!existing) throw new Error('user vanished during registration');
    if (existing.email_verified_at === null) {
      // Not verified yet: the "someone tried to register" notice carries a fresh verification link.
      const token = await issueOneTimeToken(trx, existing.id, 'verification');
      await enqueueMail(
        trx,
        email,
        alreadyRegisteredUnverifiedMail(existing.name, link(ctx, '/verify-email', token)),
      );
    } else {
      await enqueueMail(
        trx,
        email,
        alreadyRegisteredMail(existing.name, link(ctx, '/login'), link(ctx, '/forgot-password')),
      );
    }
    return { user: existing, existed: true };
  });
  ctx.mailWorker.kick();
  await recordAuthEvent(ctx.db, ctx.log, {
    type: outcome.existed ? 'register_existing' : 'register',
    userId: outcome.user.id,
    email,
    ...client,
  });
  return REGISTER_ANSWER;
}

export async function verifyEmail(ctx: AppContext, token: string, client: ClientInfo): Promise<Session> {
  const user = await ctx.db.transaction().execute(async (trx) => {
    const userId = await consumeOneTimeToken(trx, token, 'verification');
    if (!userId) return undefined;
    return markEmailVerified(trx, userId);
  });
  if (!user) throw invalidOrExpiredToken();
  await recordAuthEvent(ctx.db, ctx.log, {
    type: 'email_verified',
    userId: user.id,
    email: user.email,
    ...client,
  });
  return startSession(ctx, user, client);
}

export async function resendVerification(ctx: AppContext, rawEmail: string): Promise<StatusMessage> {
  const email = normalizeEmail(rawEmail);
  const user = await findUserByEmail(ctx.db, email);
  if (user && user.email_verified_at === null) {
    await ctx.db.transaction().execute(async (trx) => {
      const token = await issueOneTimeToken(trx, user.id, 'verification');
      await enqueueMail(trx, email, verificationMail(user.name, link(ctx, '/verify-email', token)));
    });
    ctx.mailWorker.kick();
  }
  return RESEND_ANSWER;
}
