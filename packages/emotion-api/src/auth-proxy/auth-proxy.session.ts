/**
 * The `/auth/*` routes that do more than pass a call on: registering (the sign-up verifier
 * cookie), signing in and verifying (the session cookies), the old GET link of verify, refresh
 * and logout (tokens from cookies or the body, cookies cleared with a dead session).
 */
import { createCodeVerifier, type LoginSession } from '@emotion-app/auth-client';
import { authEndpoints, isProblemError, LogoutBody, ProblemError, RefreshBody } from '@emotion-app/protocol';
import { ApiSession, ApiVerifyResponse } from '@emotion-app/protocol/emotion';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { credentialsOf } from '../auth/credentials.js';
import type { AppContext } from '../context.js';
import { ProblemResponses } from '../http/schemas.js';
import { forwardClient, proxyPath } from './auth-proxy.forward.js';

const tags = ['auth'];
const noCsrf = { csrf: false } as const;
/** RFC 7636 §4.1 code verifier, as auth-server's schema accepts it. */
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const { register, login, verifyEmail, refresh, logout } = authEndpoints;

/** A missing body counts as `{}` (a cookie refresh or logout sends none). */
async function emptyBody(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

export function registerSessionRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { auth, cookies } = ctx;

  const sendSession = (reply: FastifyReply, session: LoginSession, keepCsrf?: string): ApiSession => {
    cookies.set(reply, session, keepCsrf);
    const { user, expiresAt, expiresIn, accessToken, refreshToken, tokenType } = session;
    return { user, expiresAt, expiresIn, accessToken, refreshToken, tokenType };
  };

  app.post(
    proxyPath(register),
    {
      config: noCsrf,
      schema: {
        tags,
        summary: 'Create an account; binds the verification link to this browser',
        description:
          'Sends auth-server the S256 challenge of a fresh PKCE verifier kept in an HttpOnly cookie ' +
          `(${cookies.names.signupVerifier}, 24 h), so that POST /auth/verify signs in only in this browser. ` +
          'A client that sends its own codeChallenge gets no cookie and passes its codeVerifier to /auth/verify.',
        body: register.body,
        response: { [register.status]: register.response, ...ProblemResponses },
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
      return reply.code(register.status).send(result);
    },
  );

  app.post(
    proxyPath(login),
    {
      config: noCsrf,
      schema: {
        tags,
        summary: 'Sign in; sets the session cookies',
        body: login.body,
        response: { 200: ApiSession, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const deviceToken = request.body.deviceToken ?? cookies.deviceToken(request);
      const session = await auth.login(
        { email, password, ...(deviceToken ? { deviceToken } : {}) },
        forwardClient(request),
      );
      return sendSession(reply, session);
    },
  );

  app.post(
    proxyPath(verifyEmail),
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
        body: verifyEmail.body,
        response: { 200: ApiVerifyResponse, ...ProblemResponses },
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
    proxyPath(verifyEmail),
    {
      schema: {
        tags,
        summary: 'Old link shape: redirects to the web page /verify-email without consuming the token',
        querystring: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }),
        response: { 302: Type.Null(), ...ProblemResponses },
      },
    },
    async (request, reply) =>
      reply.redirect(`/verify-email?token=${encodeURIComponent(request.query.token)}`, 302),
  );

  app.post(
    proxyPath(refresh),
    {
      preValidation: emptyBody,
      schema: {
        tags,
        summary: 'Rotate the refresh token (from the refresh_token cookie or the body); sets the cookies',
        description:
          'A request with an Authorization header is never authenticated by cookies: it must send ' +
          'the refresh token in the body. Cookie requests send X-CSRF-Token.',
        body: Type.Partial(RefreshBody),
        response: { 200: ApiSession, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const fromBody = request.body.refreshToken;
      const credentials = credentialsOf(request, cookies);
      const refreshToken = fromBody ?? credentials.refreshToken;
      if (!refreshToken) {
        throw new ProblemError({
          code: 'invalid_token',
          title: 'No refresh token',
          detail: 'Sign in again.',
        });
      }
      try {
        const session = await auth.refreshToken(refreshToken, forwardClient(request));
        return sendSession(reply, session, credentials.viaCookies ? cookies.csrfToken(request) : undefined);
      } catch (err) {
        // The session is over (rotated out, reused, revoked): drop the cookies with it.
        if (isProblemError(err) && err.status === 401 && fromBody === undefined) cookies.clear(reply);
        throw err;
      }
    },
  );

  app.post(
    proxyPath(logout),
    {
      preValidation: emptyBody,
      schema: {
        tags,
        summary: 'Sign out (scope local, global or others); clears the cookies',
        description:
          'Browsers: the session cookies and X-CSRF-Token. Other clients: Authorization: Bearer and/or ' +
          'the refresh token in the body; such a request neither reads nor clears cookies.',
        body: LogoutBody,
        querystring: logout.query,
        response: { 204: logout.response, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const scope = request.body.scope ?? request.query.scope ?? 'local';
      const credentials = credentialsOf(request, cookies);
      const refreshToken = request.body.refreshToken ?? credentials.refreshToken;
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
        // An already dead session is signed out all the same; an unreachable auth-server is reported.
        if (!isProblemError(err) || err.status >= 500 || scope === 'others') throw err;
      }
      return reply.code(204).send(null);
    },
  );
}
