/** The /api/auth/* handlers: thin calls into users/, sessions/ and passwords/. */
import { DEVICE_TOKEN_HEADER, isProblemError } from '@emotion-app/protocol';
import type { AppContext } from '../context.js';
import type { AuthHandlers } from '../http/endpoints.js';
import { authenticate } from '../http/authenticate.js';
import { requireServiceKey } from '../http/service-key.js';
import { forgotPassword, resetPassword } from '../passwords/service.js';
import { findLiveSession } from '../sessions/repository.js';
import { logout, refreshSession } from '../sessions/service.js';
import { normalizeEmail } from '../users/email.js';
import { login } from '../users/login.js';
import { register, resendVerification, verifyEmail } from '../users/service.js';

type AuthRouteHandlers = Pick<
  AuthHandlers,
  | 'register'
  | 'verifyEmail'
  | 'resendVerification'
  | 'login'
  | 'refresh'
  | 'logout'
  | 'forgotPassword'
  | 'resetPassword'
  | 'introspect'
>;

export function authHandlers(ctx: AppContext): AuthRouteHandlers {
  const { throttle } = ctx;

  /**
   * Token-guessing limits count refused one-time tokens only, so many real sign-ups from one IP
   * pass. The failure is reserved before the work (concurrent guesses cannot all slip past the
   * limit) and given back unless the token was refused.
   */
  async function limitTokenGuesses<T>(rule: 'verify' | 'reset', ip: string, work: () => Promise<T>) {
    await throttle.reserve(rule, ip);
    let refused = false;
    try {
      return await work();
    } catch (err) {
      refused = isProblemError(err) && err.code === 'invalid_or_expired_token';
      throw err;
    } finally {
      if (!refused) await throttle.release(rule, ip);
    }
  }

  return {
    async register(request) {
      await throttle.consume('register', request.client.ip);
      return register(ctx, request.body, request.client);
    },

    async verifyEmail(request) {
      return limitTokenGuesses('verify', request.client.ip, () =>
        verifyEmail(ctx, request.body, request.client),
      );
    },

    async resendVerification(request) {
      await throttle.consume('resendIp', request.client.ip);
      await throttle.consume('resendEmail', normalizeEmail(request.body.email));
      return resendVerification(ctx, request.body.email);
    },

    async login(request, reply) {
      const { session, deviceToken } = await login(ctx, request.body, request.client);
      // A header, so the body stays exactly DESIGN's token pair.
      reply.header(DEVICE_TOKEN_HEADER, deviceToken);
      return session;
    },

    async refresh(request) {
      await throttle.consume('refresh', request.client.ip);
      return refreshSession(ctx, request.body.refreshToken, request.client);
    },

    async logout(request) {
      const body = request.body ?? {};
      const scope = body.scope ?? request.query.scope ?? 'local';
      // A request with an Authorization header is authenticated by it; an expired or revoked
      // access token must not stop a logout that also names its refresh token.
      const bearer =
        request.headers.authorization !== undefined
          ? await authenticate(ctx, request).catch((err: unknown) => {
              if (body.refreshToken && isProblemError(err) && err.status === 401) return undefined;
              throw err;
            })
          : undefined;
      await logout(ctx, { scope, bearer, refreshToken: body.refreshToken }, request.client);
      return null;
    },

    async forgotPassword(request) {
      await throttle.consume('forgotIp', request.client.ip);
      await throttle.consume('forgotEmail', normalizeEmail(request.body.email));
      return forgotPassword(ctx, request.body.email, request.client);
    },

    async resetPassword(request) {
      await limitTokenGuesses('reset', request.client.ip, () =>
        resetPassword(ctx, request.body, request.client),
      );
      return null;
    },

    async introspect(request) {
      requireServiceKey(ctx, request);
      const claims = await ctx.jwt.tryVerify(request.body.token);
      if (!claims) return { active: false };
      const session = await findLiveSession(ctx.db, claims.sid);
      if (!session || session.user_id !== claims.sub) return { active: false };
      const { sub, sid, exp, iat, email, role } = claims;
      return { active: true, sub, sid, exp, iat, email, role };
    },
  };
}
