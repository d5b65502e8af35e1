/**
 * Account flows: register, verify, resend, login, forgot/reset and change password, profile.
 * Enumeration safety: register, resend and forgot answer identically whether or not the address
 * has an account; login spends one argon2 verification either way.
 */
import type { Session, StatusMessage } from '@emotion-app/auth-client/contract';
import type { AppContext, ClientInfo } from '../context.js';
import type { UserRow } from '../db/schema.js';
import { AppError, invalidCredentials, invalidOrExpiredToken } from '../errors.js';
import { recordAuthEvent } from '../events/auth-events.js';
import { enqueueMail } from '../mail/outbox.js';
import {
  alreadyRegisteredMail,
  passwordChangedMail,
  resetPasswordMail,
  verificationMail,
} from '../mail/templates.js';
import { checkPasswordPolicy } from '../passwords/policy.js';
import { revokeUserSessions } from '../sessions/repository.js';
import { startSession } from '../sessions/service.js';
import { createDeviceToken, verifyDeviceToken } from '../tokens/device-token.js';
import { consumeOneTimeToken, invalidateOneTimeTokens, issueOneTimeToken } from '../tokens/one-time.js';
import { sha256 } from '../tokens/opaque.js';
import { normalizeEmail } from './email.js';
import {
  findUserByEmail,
  findUserById,
  insertUser,
  markEmailVerified,
  updatePasswordHash,
  updateUserName,
} from './repository.js';

export const REGISTER_ANSWER: StatusMessage = Object.freeze({
  status: 'verification_pending',
  message: 'Check your inbox: we sent a link to finish setting up your account.',
});
export const RESEND_ANSWER: StatusMessage = Object.freeze({
  status: 'accepted',
  message: 'If this address has an account waiting for verification, a new link is on its way.',
});
export const FORGOT_ANSWER: StatusMessage = Object.freeze({
  status: 'accepted',
  message: 'If this address has an account, a link to reset the password is on its way.',
});

/** Refuses a password that breaks the policy with 400 weak_password naming the rule. */
export function assertPasswordPolicy(password: string, email: string, field: string): void {
  const violation = checkPasswordPolicy(password, email);
  if (!violation) return;
  throw new AppError(
    400,
    'weak_password',
    'Weak password',
    `${violation.message} (rule: ${violation.rule})`,
    {
      errors: [{ path: field, message: violation.message }],
      extensions: { rule: violation.rule },
    },
  );
}

const link = (ctx: AppContext, path: string, token?: string) =>
  `${ctx.config.publicAppUrl}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;

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
      // Not verified yet: a fresh link is the most useful "someone tried to register" notice.
      const token = await issueOneTimeToken(trx, existing.id, 'verification');
      await enqueueMail(trx, email, verificationMail(existing.name, link(ctx, '/verify-email', token)));
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

export async function login(
  ctx: AppContext,
  input: { email: string; password: string; deviceToken?: string | undefined },
  client: ClientInfo,
): Promise<Session> {
  const email = normalizeEmail(input.email);
  const user = await findUserByEmail(ctx.db, email);
  const knownDevice = user ? verifyDeviceToken(ctx.config.jwt.secret, input.deviceToken, user.id) : false;
  const attempt = { ip: client.ip, account: email, knownDevice };
  await ctx.throttle.checkLogin(attempt);

  const ok = user ? await ctx.hasher.verify(user.password_hash, input.password) : false;
  if (!user) await ctx.hasher.verifyDummy(input.password);
  if (!user || !ok) {
    await ctx.throttle.recordLoginFailure(attempt);
    await recordAuthEvent(ctx.db, ctx.log, {
      type: 'login_failure',
      userId: user?.id ?? null,
      email,
      ...client,
      detail: { reason: user ? 'wrong_password' : 'unknown_email', knownDevice },
    });
    throw invalidCredentials();
  }
  await ctx.throttle.recordLoginSuccess(attempt);
  if (user.email_verified_at === null) {
    await recordAuthEvent(ctx.db, ctx.log, { type: 'login_unverified', userId: user.id, email, ...client });
    throw new AppError(
      403,
      'email_not_verified',
      'Email not verified',
      'Verify your email address before signing in.',
    );
  }
  const session = await startSession(ctx, user, client);
  await recordAuthEvent(ctx.db, ctx.log, {
    type: 'login_success',
    userId: user.id,
    email,
    ...client,
    detail: { sessionId: session.user ? sessionIdOf(ctx, session) : undefined, knownDevice },
  });
  return { ...session, deviceToken: createDeviceToken(ctx.config.jwt.secret, user.id) };
}

function sessionIdOf(ctx: AppContext, session: Session): string | undefined {
  return ctx.jwt.tryVerify(session.accessToken)?.sid;
}

export async function forgotPassword(
  ctx: AppContext,
  rawEmail: string,
  client: ClientInfo,
): Promise<StatusMessage> {
  const email = normalizeEmail(rawEmail);
  const user = await findUserByEmail(ctx.db, email);
  if (user) {
    await ctx.db.transaction().execute(async (trx) => {
      const token = await issueOneTimeToken(trx, user.id, 'reset');
      await enqueueMail(trx, email, resetPasswordMail(user.name, link(ctx, '/reset-password', token)));
    });
    ctx.mailWorker.kick();
    await recordAuthEvent(ctx.db, ctx.log, {
      type: 'password_reset_requested',
      userId: user.id,
      email,
      ...client,
    });
  }
  return FORGOT_ANSWER;
}

export async function resetPassword(
  ctx: AppContext,
  input: { token: string; password: string },
  client: ClientInfo,
): Promise<void> {
  // Look the token up without consuming it, so a weak new password does not burn the link.
  const pending = await ctx.db
    .selectFrom('one_time_tokens')
    .innerJoin('users', 'users.id', 'one_time_tokens.user_id')
    .select(['users.id as userId', 'users.email as email'])
    .where('one_time_tokens.token_hash', '=', sha256(input.token))
    .where('one_time_tokens.kind', '=', 'reset')
    .where('one_time_tokens.used_at', 'is', null)
    .where('one_time_tokens.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!pending) throw invalidOrExpiredToken();
  assertPasswordPolicy(input.password, pending.email, 'password');
  const passwordHash = await ctx.hasher.hash(input.password);
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    const userId = await consumeOneTimeToken(trx, input.token, 'reset');
    if (!userId) return undefined;
    await updatePasswordHash(trx, userId, passwordHash);
    await invalidateOneTimeTokens(trx, userId, 'reset');
    // Following the link proves the mailbox is theirs.
    await trx
      .updateTable('users')
      .set({ email_verified_at: new Date() })
      .where('id', '=', userId)
      .where('email_verified_at', 'is', null)
      .execute();
    return revokeUserSessions(trx, userId, 'password_reset');
  });
  if (revoked === undefined) throw invalidOrExpiredToken();
  await recordAuthEvent(ctx.db, ctx.log, {
    type: 'password_reset',
    userId: pending.userId,
    email: pending.email,
    ...client,
    detail: { revokedSessions: revoked },
  });
}

export async function changePassword(
  ctx: AppContext,
  auth: { userId: string; sessionId: string },
  input: { currentPassword: string; newPassword: string },
  client: ClientInfo,
): Promise<void> {
  const user = await requireUser(ctx, auth.userId);
  if (!(await ctx.hasher.verify(user.password_hash, input.currentPassword))) {
    throw new AppError(
      400,
      'invalid_credentials',
      'Invalid credentials',
      'The current password is incorrect.',
      {
        errors: [{ path: 'currentPassword', message: 'is incorrect' }],
      },
    );
  }
  assertPasswordPolicy(input.newPassword, user.email, 'newPassword');
  const passwordHash = await ctx.hasher.hash(input.newPassword);
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    await updatePasswordHash(trx, user.id, passwordHash);
    await enqueueMail(trx, user.email, passwordChangedMail(user.name));
    return revokeUserSessions(trx, user.id, 'password_changed', auth.sessionId);
  });
  ctx.mailWorker.kick();
  await recordAuthEvent(ctx.db, ctx.log, {
    type: 'password_changed',
    userId: user.id,
    email: user.email,
    ...client,
    detail: { revokedSessions: revoked, sessionId: auth.sessionId },
  });
}

export async function requireUser(ctx: AppContext, userId: string): Promise<UserRow> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AppError(401, 'invalid_token', 'Invalid token', 'The account no longer exists.');
  return user;
}

export async function renameUser(ctx: AppContext, userId: string, name: string): Promise<UserRow> {
  const user = await updateUserName(ctx.db, userId, name.trim() || name);
  if (!user) throw new AppError(401, 'invalid_token', 'Invalid token', 'The account no longer exists.');
  return user;
}
