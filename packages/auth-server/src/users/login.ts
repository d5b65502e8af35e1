/**
 * Login: one argon2 verification whether or not the address has an account (a dummy hash for
 * unknown ones), throttled per IP, per account+IP and per account (throttle/throttle.ts).
 * Each outcome is counted in `auth_logins_total{result}`.
 */
import type { Session } from '@emotion-app/protocol';
import type { AppContext, ClientInfo } from '../context.js';
import { isProblemError, ProblemError } from '@emotion-app/protocol';
import { invalidCredentials } from '../errors.js';
import { recordAuthEvent } from '../events/auth-events.js';
import { countLogin, type LoginResult } from '../metrics.js';
import { startSession } from '../sessions/service.js';
import { ThrottledError } from '../throttle/index.js';
import { createDeviceToken, verifyDeviceToken } from '../tokens/device-token.js';
import { normalizeEmail } from './email.js';
import { findUserByEmail } from './repository.js';

type LoginInput = { email: string; password: string; deviceToken?: string | undefined };
type LoginOutput = { session: Session; deviceToken: string };

/** The `result` label of a failed login, or undefined for an unexpected error (not counted). */
function failureResult(err: unknown): LoginResult | undefined {
  if (err instanceof ThrottledError) return 'rate_limited';
  if (!isProblemError(err)) return undefined;
  if (err.code === 'invalid_credentials') return 'invalid_credentials';
  if (err.code === 'email_not_verified') return 'email_not_verified';
  return undefined;
}

export async function login(ctx: AppContext, input: LoginInput, client: ClientInfo): Promise<LoginOutput> {
  let output: LoginOutput;
  try {
    output = await attemptLogin(ctx, input, client);
  } catch (err) {
    const result = failureResult(err);
    if (result) countLogin(ctx.metrics, result);
    throw err;
  }
  countLogin(ctx.metrics, 'success');
  return output;
}

async function attemptLogin(ctx: AppContext, input: LoginInput, client: ClientInfo): Promise<LoginOutput> {
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
