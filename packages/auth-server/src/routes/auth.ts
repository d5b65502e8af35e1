/** POST /api/auth/*: thin handlers over users/service.ts and sessions/service.ts. */
import {
  DEVICE_TOKEN_HEADER,
  EmailBody,
  IntrospectBody,
  IntrospectResponse,
  LoginBody,
  LogoutBody,
  LogoutScope,
  RefreshBody,
  RegisterBody,
  ResetPasswordBody,
  Session,
  StatusMessage,
  VerifyBody,
  VerifyResponse,
} from '@emotion-app/auth-client/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { authenticate, bearerToken } from '../http/authenticate.js';
import { AppError } from '../errors.js';
import { errorResponses, NoContent } from '../http/schemas.js';
import { requireServiceKey } from '../http/service-key.js';
import { findLiveSession } from '../sessions/repository.js';
import { logout, refreshSession } from '../sessions/service.js';
import { normalizeEmail } from '../users/email.js';
import { forgotPassword, resetPassword } from '../passwords/service.js';
import { login } from '../users/login.js';
import { register, resendVerification, verifyEmail } from '../users/service.js';

const tags = ['auth'];

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
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
      refused = err instanceof AppError && err.code === 'invalid_or_expired_token';
      throw err;
    } finally {
      if (!refused) await throttle.release(rule, ip);
    }
  }

  app.post(
    '/register',
    { schema: { tags, body: RegisterBody, response: { 201: StatusMessage, ...errorResponses } } },
    async (request, reply) => {
      await throttle.consume('register', request.client.ip);
      const answer = await register(ctx, request.body, request.client);
      return reply.code(201).send(answer);
    },
  );

  app.post(
    '/verify',
    {
      schema: {
        tags,
        description:
          'A token pair when the registration sent no `codeChallenge` or `codeVerifier` matches it; ' +
          'otherwise `{ user }` only: the email is verified and the user signs in with the password.',
        body: VerifyBody,
        response: { 200: VerifyResponse, ...errorResponses },
      },
    },
    async (request) => {
      return limitTokenGuesses('verify', request.client.ip, () =>
        verifyEmail(ctx, request.body, request.client),
      );
    },
  );

  app.post(
    '/resend-verification',
    { schema: { tags, body: EmailBody, response: { 202: StatusMessage, ...errorResponses } } },
    async (request, reply) => {
      await throttle.consume('resendIp', request.client.ip);
      await throttle.consume('resendEmail', normalizeEmail(request.body.email));
      return reply.code(202).send(await resendVerification(ctx, request.body.email));
    },
  );

  app.post(
    '/login',
    {
      schema: {
        tags,
        description:
          'The `Device-Token` response header carries a signed device token: send it back as `deviceToken` ' +
          'on later logins, so failures from other devices cannot throttle this one out of the account.',
        body: LoginBody,
        response: { 200: Session, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { session, deviceToken } = await login(ctx, request.body, request.client);
      // A header, so the body stays exactly DESIGN's token pair.
      return reply.header(DEVICE_TOKEN_HEADER, deviceToken).send(session);
    },
  );

  app.post(
    '/refresh',
    { schema: { tags, body: RefreshBody, response: { 200: Session, ...errorResponses } } },
    async (request) => {
      await throttle.consume('refresh', request.client.ip);
      return refreshSession(ctx, request.body.refreshToken, request.client);
    },
  );

  app.post(
    '/logout',
    {
      schema: {
        tags,
        body: Type.Optional(LogoutBody),
        querystring: Type.Object({ scope: Type.Optional(LogoutScope) }),
        response: { 204: NoContent, ...errorResponses },
      },
      // The body is optional: a Bearer-only logout sends none.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const scope = body.scope ?? request.query.scope ?? 'local';
      // An expired or revoked access token must not stop a logout that also names its refresh token.
      const bearer = bearerToken(request)
        ? await authenticate(ctx, request).catch((err: unknown) => {
            if (body.refreshToken && err instanceof AppError && err.status === 401) return undefined;
            throw err;
          })
        : undefined;
      await logout(ctx, { scope, bearer, refreshToken: body.refreshToken }, request.client);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/forgot-password',
    { schema: { tags, body: EmailBody, response: { 202: StatusMessage, ...errorResponses } } },
    async (request, reply) => {
      await throttle.consume('forgotIp', request.client.ip);
      await throttle.consume('forgotEmail', normalizeEmail(request.body.email));
      return reply.code(202).send(forgotPassword(ctx, request.body.email, request.client));
    },
  );

  app.post(
    '/reset-password',
    { schema: { tags, body: ResetPasswordBody, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await limitTokenGuesses('reset', request.client.ip, () =>
        resetPassword(ctx, request.body, request.client),
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/introspect',
    {
      schema: {
        tags,
        description:
          'For services (RFC 7662): send the service key as `Authorization: Bearer <SERVICE_KEY>`.',
        security: [{ serviceKey: [] }],
        body: IntrospectBody,
        response: { 200: IntrospectResponse, ...errorResponses },
      },
    },
    async (request) => {
      requireServiceKey(ctx, request);
      const claims = ctx.jwt.tryVerify(request.body.token);
      if (!claims) return { active: false };
      const session = await findLiveSession(ctx.db, claims.sid);
      if (!session || session.user_id !== claims.sub) return { active: false };
      const { sub, sid, exp, iat, email, role } = claims;
      return { active: true, sub, sid, exp, iat, email, role };
    },
  );
};
