/**
 * Login: one argon2 verification whether or not the address has an account (a dummy hash for
 * unknown ones), throttled per IP, per account+IP and per account (throttle/throttle.ts).
 */
import type { Session } from '@emotion-app/protocol';
import type { AppContext, ClientInfo } from '../context.js';
import { ProblemError } from '@emotion-app/protocol';
import { invalidCredentials } from '../errors.js';
import { recordAuthEvent } from '../events/auth-events.js';
import { startSession } from '../sessions/service.js';
import { createDeviceToken, verifyDeviceToken } from '../tokens/device-token.js';
import { normalizeEmail } from './email.js';
import { findUserByEmail } from './repository.js';

export async function login(
  ctx: AppContext,
  input: { email: string; password: string; deviceToken?: string | undefined },
  client: ClientInfo,
): Promise<{ session: Session; deviceToken: string }> {
  const email = normalizeEmail(input.email);
  const user = await findUserByEmail(ctx.db, email);
  const knownDevice = user ? verifyDeviceToken(ctx.config.jwt.secret, input.deviceToken, user.id) : false;
  // Counted as a failure before hashing, so concurrent guesses cannot all get past the limit.
  const reservation = await ctx.throttle.reserveLogin({ ip: client.ip, account: email, knownDevice });

  let ok: boolean;
  try {
    ok = user ? await ctx.hasher.verify(user.password_hash, input.password) : false;
    if (!user) await ctx.hasher.verifyDummy(input.password);
  } catch (err) {
    await reservation.cancel();
    throw err;
  }
  if (!user || !ok) {
    await recordAuthEvent(ctx.db, ctx.log, {
      type: 'login_failure',
      userId: user?.id ?? null,
      email,
      ...client,
      detail: { reason: user ? 'wrong_password' : 'unknown_email', knownDevice },
    });
    throw invalidCredentials();
  }
  await reservation.succeeded();
  if (user.email_verified_at === null) {
    await recordAuthEvent(ctx.db, ctx.log, { type: 'login_unverified', userId: user.id, email, ...client });
    throw new ProblemError({
      code: 'email_not_verified',
      detail: 'Verify your email address before signing in.',
    });
  }
  const session = await startSession(ctx, user, client);
  await recordAuthEvent(ctx.db, ctx.log, {
    type: 'login_success',
    userId: user.id,
    email,
    ...client,
    detail: { sessionId: (await ctx.jwt.tryVerify(session.accessToken))?.sid, knownDevice },
  });
  return { session, deviceToken: createDeviceToken(ctx.config.jwt.secret, user.id) };
}
