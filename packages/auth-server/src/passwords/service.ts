/**
 * Password flows: forgot (mail a 1 h single-use reset link), reset (revokes every session) and
 * change (needs the current password, revokes the other sessions), plus the policy check that
 * register, reset and change share.
 */
import type { StatusMessage } from '@emotion-app/protocol';
import type { AppContext, ClientInfo } from '../context.js';
import { ProblemError } from '@emotion-app/protocol';
import { invalidOrExpiredToken } from '../errors.js';
import { recordAuthEvent } from '../events/auth-events.js';
import { enqueueMail, outboxKey } from '../mail/outbox.js';
import { passwordChangedMail, resetPasswordMail } from '../mail/templates.js';
import { insertUserTokensRevoked } from '../revocations/repository.js';
import { revokeUserSessions } from '../sessions/repository.js';
import { consumeOneTimeToken, invalidateOneTimeTokens, issueOneTimeToken } from '../tokens/one-time.js';
import { sha256 } from '../tokens/opaque.js';
import { normalizeEmail } from '../users/email.js';
import { findUserByEmail, updatePasswordHash } from '../users/repository.js';
import { appLink as link } from '../mail/links.js';
import { requireUser } from '../users/profile.js';
import { checkPasswordPolicy } from './policy.js';

export const FORGOT_ANSWER: StatusMessage = Object.freeze({
  status: 'accepted',
  message: 'If this address has an account, a link to reset the password is on its way.',
});

/** Refuses a password that breaks the policy with 400 weak_password naming the rule. */
export function assertPasswordPolicy(password: string, email: string, field: string): void {
  const violation = checkPasswordPolicy(password, email);
  if (!violation) return;
  throw new ProblemError({
    code: 'weak_password',
    detail: `${violation.message} (rule: ${violation.rule})`,
    errors: [{ path: field, message: violation.message }],
    extensions: { rule: violation.rule },
  });
}

/**
 * Answers at once and queues the per-account work (lookup, token, mail, auth event) to run after
 * the answer: a known and an unknown address take the same path in the request, so neither the
 * answer nor its timing tells them apart. The work is in-process (`mailWorker.defer`): app.close()
 * waits for it, and a crash in between loses one reset mail, which the user can ask for again.
 */
export function forgotPassword(ctx: AppContext, rawEmail: string, client: ClientInfo): StatusMessage {
  const email = normalizeEmail(rawEmail);
  ctx.mailWorker.defer('forgot-password', () => sendResetLink(ctx, email, client));
  return FORGOT_ANSWER;
}

/** The deferred half of forgot-password: a reset link to the account of `email`, if there is one. */
async function sendResetLink(ctx: AppContext, email: string, client: ClientInfo): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) return;
  await ctx.db.transaction().execute(async (trx) => {
    const token = await issueOneTimeToken(trx, user.id, 'reset');
    // No user-supplied text to an address nobody has verified (finding 13).
    const name = user.email_verified_at === null ? undefined : user.name;
    await enqueueMail(
      trx,
      outboxKey(ctx),
      email,
      resetPasswordMail(name, link(ctx, '/reset-password', token)),
    );
  });
  ctx.mailWorker.kick();
  await recordAuthEvent(ctx.db, ctx.log, {
    type: 'password_reset_requested',
    userId: user.id,
    email,
    ...client,
  });
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
    // Every other reset link dies with this one; so do verification links, which would set the
    // password they were bound to.
    await invalidateOneTimeTokens(trx, userId, 'reset');
    await invalidateOneTimeTokens(trx, userId, 'verification');
    // Following the link proves the mailbox is theirs.
    await trx
      .updateTable('users')
      .set({ email_verified_at: new Date(), updated_at: new Date() })
      .where('id', '=', userId)
      .where('email_verified_at', 'is', null)
      .execute();
    // Tokens of the user issued before now are dead, whatever their session (DESIGN §7).
    await insertUserTokensRevoked(trx, userId, Math.floor(Date.now() / 1000));
    return revokeUserSessions(trx, userId, 'password_reset');
  });
  if (revoked === undefined) throw invalidOrExpiredToken();
  ctx.revocations.wake();
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
    throw new ProblemError({
      code: 'invalid_credentials',
      status: 400,
      detail: 'The current password is incorrect.',
      errors: [{ path: 'currentPassword', message: 'is incorrect' }],
    });
  }
  assertPasswordPolicy(input.newPassword, user.email, 'newPassword');
  const passwordHash = await ctx.hasher.hash(input.newPassword);
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    await updatePasswordHash(trx, user.id, passwordHash);
    // A reset link sent before the change must not undo it.
    await invalidateOneTimeTokens(trx, user.id, 'reset');
    await enqueueMail(trx, outboxKey(ctx), user.email, passwordChangedMail(user.name));
    return revokeUserSessions(trx, user.id, 'password_changed', auth.sessionId);
  });
  ctx.mailWorker.kick();
  if (revoked > 0) ctx.revocations.wake();
  await recordAuthEvent(ctx.db, ctx.log, {
    type: 'password_changed',
    userId: user.id,
    email: user.email,
    ...client,
    detail: { revokedSessions: revoked, sessionId: auth.sessionId },
  });
}
