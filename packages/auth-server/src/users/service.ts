/**
 * Account flows: register, verify and resend-verification (login: users/login.ts; password flows:
 * passwords/service.ts). Enumeration safety: register and resend answer identically whether or
 * not the address has an account.
 *
 * Pre-hijacking (someone registers an address they cannot read first): a verification link is
 * bound to the password of the registration that sent it, and verifying sets that password. A
 * newer registration of a not yet verified address replaces the name and password and voids the
 * earlier links. Verifying signs in only the browser that registered, when it sent a PKCE code
 * challenge: any other browser gets the user without a session and signs in with the password.
 *
 * Lock order, per user, in every flow that changes a user's verification state: the user row
 * first, then its tokens (no deadlocks between concurrent register, resend and verify).
 */
import type { Session, StatusMessage, VerifyResponse } from '@emotion-app/protocol';
import type { AppContext, ClientInfo } from '../context.js';
import { ProblemError } from '@emotion-app/protocol';
import { invalidOrExpiredToken } from '../errors.js';
import { recordAuthEvent } from '../events/auth-events.js';
import { appLink as link } from '../mail/links.js';
import { enqueueMail, outboxKey } from '../mail/outbox.js';
import {
  alreadyRegisteredMail,
  alreadyRegisteredUnverifiedMail,
  choosePasswordMail,
  verificationMail,
} from '../mail/templates.js';
import { UNUSABLE_PASSWORD_HASH } from '../passwords/hash.js';
import { assertPasswordPolicy } from '../passwords/service.js';
import { startSession } from '../sessions/service.js';
import {
  codeVerifierMatches,
  consumeVerificationToken,
  isContestedSignUp,
  issueOneTimeToken,
  latestCodeChallenge,
} from '../tokens/one-time.js';
import { normalizeEmail } from './email.js';
import {
  findUserByEmail,
  findUserByEmailForUpdate,
  insertUser,
  markEmailVerified,
  replaceUnverifiedRegistration,
  toUser,
} from './repository.js';

export const REGISTER_ANSWER: StatusMessage = Object.freeze({
  status: 'verification_pending',
  message: 'Check your inbox: we sent a link to finish setting up your account.',
});
export const RESEND_ANSWER: StatusMessage = Object.freeze({
  status: 'accepted',
  message: 'If this address has an account waiting for verification, a new link is on its way.',
});

export interface RegisterInput {
  name: string;
  email: string;
  password: string;
  passwordConfirm?: string | undefined;
  /** base64url SHA-256 of a verifier the registering browser keeps (PKCE). */
  codeChallenge?: string | undefined;
}

export async function register(
  ctx: AppContext,
  input: RegisterInput,
  client: ClientInfo,
): Promise<StatusMessage> {
  if (input.passwordConfirm !== undefined && input.passwordConfirm !== input.password) {
    throw new ProblemError({
      code: 'validation_failed',
      detail: 'passwordConfirm must match password',
      errors: [{ path: 'passwordConfirm', message: 'must match password' }],
    });
  }
  const email = normalizeEmail(input.email);
  const name = input.name.trim() || input.name;
  assertPasswordPolicy(input.password, email, 'password');
  const passwordHash = await ctx.hasher.hash(input.password);
  const binding = { passwordHash, codeChallenge: input.codeChallenge };
  const key = outboxKey(ctx);
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const created = await insertUser(trx, { email, name, passwordHash });
    if (created) {
      const token = await issueOneTimeToken(trx, created.id, 'verification', binding);
      await enqueueMail(trx, key, email, verificationMail(link(ctx, '/verify-email', token)));
      return { user: created, existed: false, unverified: true };
    }
    const existing = await findUserByEmail(trx, email);
    if (!existing) throw new Error('user vanished during registration');
    // Not verified yet: this newest registration's name and password replace the earlier ones
    // (no-op when the account got verified meanwhile). Earlier links stay valid: each sets its own
    // registration's password, and the address is now contested (see verifyEmail).
    const replaced = await replaceUnverifiedRegistration(trx, existing.id, { name, passwordHash });
    if (replaced) {
      const token = await issueOneTimeToken(trx, existing.id, 'verification', binding);
      await enqueueMail(trx, key, email, alreadyRegisteredUnverifiedMail(link(ctx, '/verify-email', token)));
      return { user: replaced, existed: true, unverified: true };
    }
    await enqueueMail(
      trx,
      key,
      email,
      alreadyRegisteredMail(existing.name, link(ctx, '/login'), link(ctx, '/forgot-password')),
    );
    return { user: existing, existed: true, unverified: false };
  });
  ctx.mailWorker.kick();
  await recordAuthEvent(ctx.db, ctx.log, {
    type: outcome.existed ? 'register_existing' : 'register',
    userId: outcome.user.id,
    email,
    ...client,
    ...(outcome.existed ? { detail: { unverified: outcome.unverified } } : {}),
  });
  return REGISTER_ANSWER;
}

/**
 * Consumes the link's token (and every other verification token of the user), marks the email
 * verified and sets the password the link was bound to, in one transaction. Signs in (a Session)
 * when `codeVerifier` matches the registration's code challenge, or when it sent none and the
 * address is not contested; otherwise answers `{ user }` only: the address is confirmed, and the
 * user signs in with the password. A contested address (sign-ups with other passwords within 24 h)
 * verified outside the registering browser keeps no password: a "choose your password" link is
 * mailed instead, so no sequence of sign-ups by someone who cannot read the mailbox gets them in.
 */
export async function verifyEmail(
  ctx: AppContext,
  input: { token: string; codeVerifier?: string | undefined },
  client: ClientInfo,
): Promise<VerifyResponse> {
  const verified = await ctx.db.transaction().execute(async (trx) => {
    const consumed = await consumeVerificationToken(trx, input.token);
    if (!consumed) return undefined;
    const { userId, passwordHash, codeChallenge } = consumed;
    const inRegisteringBrowser =
      codeChallenge !== null && codeVerifierMatches(codeChallenge, input.codeVerifier);
    // Outside the registering browser, a contested address keeps no sign-up's password: the link
    // may carry a stranger's. The mailbox owner (who opened it) chooses one by a reset link.
    const contested = !inRegisteringBrowser && (await isContestedSignUp(trx, userId, passwordHash));
    const user = await markEmailVerified(trx, userId, contested ? UNUSABLE_PASSWORD_HASH : passwordHash);
    if (!user) return undefined;
    if (contested) {
      const token = await issueOneTimeToken(trx, userId, 'reset');
      await enqueueMail(
        trx,
        outboxKey(ctx),
        user.email,
        choosePasswordMail(link(ctx, '/reset-password', token)),
      );
    }
    const signIn = inRegisteringBrowser || (codeChallenge === null && !contested);
    return { user, signIn, contested };
  });
  if (!verified) throw invalidOrExpiredToken();
  const { user, signIn, contested } = verified;
  if (contested) ctx.mailWorker.kick();
  await recordAuthEvent(ctx.db, ctx.log, {
    type: 'email_verified',
    userId: user.id,
    email: user.email,
    ...client,
    detail: { signedIn: signIn, contested },
  });
  if (!signIn) return { user: toUser(user) };
  const session: Session = await startSession(ctx, user, client);
  return session;
}

/**
 * A new link for a not yet verified account, bound to its current password and to the code
 * challenge of its newest registration (earlier links stay valid).
 */
export async function resendVerification(ctx: AppContext, rawEmail: string): Promise<StatusMessage> {
  const email = normalizeEmail(rawEmail);
  const key = outboxKey(ctx);
  const sent = await ctx.db.transaction().execute(async (trx) => {
    const user = await findUserByEmailForUpdate(trx, email);
    if (!user || user.email_verified_at !== null) return false;
    const token = await issueOneTimeToken(trx, user.id, 'verification', {
      passwordHash: user.password_hash,
      codeChallenge: await latestCodeChallenge(trx, user.id),
    });
    await enqueueMail(trx, key, email, verificationMail(link(ctx, '/verify-email', token)));
    return true;
  });
  if (sent) ctx.mailWorker.kick();
  return RESEND_ANSWER;
}
