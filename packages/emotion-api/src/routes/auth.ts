import { createCodeVerifier, type LoginSession } from '@emotion-app/auth-client';
import {
  EmailBody,
  LoginBody,
  LogoutScope,
  RegisterBody,
  ResetPasswordBody,
  StatusMessage,
  User,
  VerifyBody,
} from '@emotion-app/auth-client/contract';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { credentialsOf } from '../auth/credentials.js';
import { AppError } from '../errors.js';
import { toAppError } from '../http/problem.js';
import { forwardClient } from './auth-forward.js';
import { ProblemResponses } from '../http/schemas.js';

const SessionResponse = Type.Object({
  user: User,
  expiresAt: Type.Integer({ description: 'Unix time in seconds when the access token expires' }),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
  accessToken: Type.String({ description: 'for non-browser clients (Bearer); browsers use the cookies' }),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
});

/** `User` without its `$id`, which may appear only once in a response schema (the union below has two). */
const VerifiedUser = Type.Object(User.properties);
/** POST /auth/verify in the browser that registered: signed in, cookies set. */
const VerifiedSignedIn = Type.Object({
  ...SessionResponse.properties,
  user: VerifiedUser,
  signedIn: Type.Literal(true),
});
/** POST /auth/verify anywhere else: the address is confirmed, no session; sign in with the password. */
const VerifiedOnly = Type.Object({ user: VerifiedUser, signedIn: Type.Literal(false) });

const tags = ['auth'];
/** RFC 7636 §4.1 code verifier, as auth-server's schema accepts it. */
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** The `/auth/*` proxy to auth-server (DESIGN §4): cookies for browsers, JSON for everyone. */
export async function authRoutes(instance: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { auth, cookies } = ctx;
  const noCsrf = { csrf: false } as const;

  const sendSession = (reply: FastifyReply, session: LoginSession, keepCsrf?: string) => {
    cookies.set(reply, session, keepCsrf);
    return {
      user: session.user,
      expiresAt: session.expiresAt,
      expiresIn: session.expiresIn,
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      tokenType: session.tokenType,
    };
  };
  const emptyBody = async (request: FastifyRequest) => {
    if (request.body === undefined || request.body === null) request.body = {};
  };

  app.post(
    '/auth/register',
    {
      config: noCsrf,
      schema: {
        tags,
        summary: 'Create an account; binds the verification link to this browser',
        description:
          'Sends auth-server the S256 challenge of a fresh PKCE verifier kept in an HttpOnly cookie ' +
          `(${cookies.names.signupVerifier}, 24 h), so that POST /auth/verify signs in only in this browser. ` +
          'A client that sends its own codeChallenge gets no cookie and passes its codeVerifier to /auth/verify.',
        body: RegisterBody,
        response: { 201: StatusMessage, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      let codeChallenge = body.codeChallenge;
      let verifier: string | undefined;
      if (codeChallenge === undefined) {
        ({ verifier, challenge: codeChallenge } = await createCodeVerifier());
      }
      const result = await auth.register({ ...body, codeChallenge }, forwardClient(request));
      if (verifier !== undefined) cookies.setSignupVerifier(reply, verifier);
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/auth/login',
    {
      config: noCsrf,
      schema: {
        tags,
        summary: 'Sign in; sets the session cookies',
        body: LoginBody,
        response: { 200: SessionResponse, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const deviceToken = body.deviceToken ?? cookies.deviceToken(request);
      const session = await auth.login(
        { email: body.email, password: body.password, ...(deviceToken ? { deviceToken } : {}) },
        forwardClient(request),
      );
      return sendSession(reply, session);
    },
  );

  app.post(
    '/auth/verify',
    {
      config: noCsrf,
      schema: {
        tags,
        summary:
          'Complete email verification with the mailed token; signs in only the browser that registered',
        description:
          `With the ${cookies.names.signupVerifier} cookie set by POST /auth/register in this browser (or the ` +
          'codeVerifier of a codeChallenge the client sent itself): 200 session JSON with `signedIn: true`, ' +
          'and the session cookies. Anywhere else (another browser or device, a mail scanner): the address ' +
          'is confirmed all the same, but the answer is 200 `{ user, signedIn: false }` with no session and ' +
          'no cookies: the user signs in with the password. 400 invalid_or_expired_token for a used, ' +
          'unknown or expired token.',
        body: VerifyBody,
        response: { 200: Type.Union([VerifiedSignedIn, VerifiedOnly]), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { token } = request.body;
      const fromCookie = cookies.signupVerifier(request);
      // A mangled cookie counts as none (the link still verifies the address, without signing in).
      const codeVerifier =
        request.body.codeVerifier ?? (fromCookie && PKCE_VERIFIER.test(fromCookie) ? fromCookie : undefined);
      const answer = await auth.verifyEmail(token, {
        ...forwardClient(request),
        ...(codeVerifier ? { codeVerifier } : {}),
      });
      // The link is spent (verifying consumes every link of the account): so is the verifier.
      cookies.clearSignupVerifier(reply);
      if (!('accessToken' in answer)) return { user: answer.user, signedIn: false as const };
      return { ...sendSession(reply, answer), signedIn: true as const };
    },
  );

  app.get(
    '/auth/verify',
    {
      schema: {
        tags,
        summary: 'Old link shape: redirects to the web page /verify-email without consuming the token',
        querystring: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }),
        response: { 302: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { token } = request.query;
      return reply.redirect(`/verify-email?token=${encodeURIComponent(token)}`, 302);
    },
  );

  app.post(
    '/auth/refresh',
    {
      preValidation: emptyBody,
      schema: {
        tags,
        summary: 'Rotate the refresh token (from the refresh_token cookie or the body); sets the cookies',
        description:
          'A request with an Authorization header is never authenticated by cookies: it must send ' +
          'the refresh token in the body. Cookie requests send X-CSRF-Token.',
        body: Type.Object({ refreshToken: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })) }),
        response: { 200: SessionResponse, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const fromBody = request.body.refreshToken;
      const credentials = credentialsOf(request, cookies);
      const refreshToken = fromBody ?? credentials.refreshToken;
      if (!refreshToken) throw new AppError(401, 'invalid_token', 'No refresh token', 'Sign in again.');
      try {
        const session = await auth.refreshToken(refreshToken, forwardClient(request));
        return sendSession(reply, session, credentials.viaCookies ? cookies.csrfToken(request) : undefined);
      } catch (err) {
        const appError = toAppError(err, reply);
        // The session is over (rotated out, reused, revoked): drop the cookies with it.
        if (appError && appError.status === 401 && fromBody === undefined) cookies.clear(reply);
        throw err;
      }
    },
  );

  app.post(
    '/auth/logout',
    {
      preValidation: emptyBody,
      schema: {
        tags,
        summary: 'Sign out (scope local, global or others); clears the cookies',
        description:
          'Browsers: the session cookies and X-CSRF-Token. Other clients: Authorization: Bearer and/or ' +
          'the refresh token in the body; such a request neither reads nor clears cookies.',
        body: Type.Object({
          refreshToken: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
          scope: Type.Optional(LogoutScope),
        }),
        querystring: Type.Object({ scope: Type.Optional(LogoutScope) }),
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const scope = body.scope ?? request.query.scope ?? 'local';
      const credentials = credentialsOf(request, cookies);
      const refreshToken = body.refreshToken ?? credentials.refreshToken;
      const { accessToken } = credentials;
      // `others` keeps this session signed in; every other scope ends it here too. A request
      // with an Authorization header leaves the cookies alone, as it was not authenticated by them.
      if (scope !== 'others' && credentials.viaCookies) cookies.clear(reply);
      try {
        await auth.logout(
          refreshToken,
          { scope, ...(accessToken ? { accessToken } : {}) },
          forwardClient(request),
        );
      } catch (err) {
        const appError = toAppError(err, reply);
        // An already dead session is signed out all the same; an unreachable auth-server is reported.
        if (!appError || appError.status >= 500 || scope === 'others') throw err;
      }
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/forgot-password',
    {
      config: noCsrf,
      schema: {
        tags,
        summary: 'Mail a password-reset link',
        body: EmailBody,
        response: { 202: StatusMessage, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const result = await auth.forgotPassword(request.body.email, forwardClient(request));
      return reply.code(202).send(result);
    },
  );

  app.post(
    '/auth/resend-verification',
    {
      config: noCsrf,
      schema: {
        tags,
        summary: 'Mail a new verification link',
        body: EmailBody,
        response: { 202: StatusMessage, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const result = await auth.resendVerification(request.body.email, forwardClient(request));
      return reply.code(202).send(result);
    },
  );

  app.post(
    '/auth/reset-password',
    {
      config: noCsrf,
      schema: {
        tags,
        summary: 'Set a new password with the mailed token (signs out every session)',
        body: ResetPasswordBody,
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      await auth.resetPassword(body.token, body.password, forwardClient(request));
      return reply.code(204).send(null);
    },
  );
}
