/**
 * `requireAuth` for Fastify: a plugin decorating the instance with `requireAuth(opts)`, and
 * `createRequireAuth(verifier, opts)` for use without the plugin.
 */
import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import {
  type AuthUser,
  authenticate,
  authProblem,
  cookieNames,
  extractToken,
  type RequireAuthOptions,
} from './authenticate.js';
import { type AnyTokenVerifier, createTokenVerifier, type TokenVerifierOptions } from './verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user, set by `requireAuth` (null on routes without it). */
    user: AuthUser;
  }
  interface FastifyInstance {
    /**
     * A preHandler that lets only requests with a valid access token (and, with `roles`, one of
     * those roles) through, setting `request.user`. Added by {@link fastifyRequireAuth}.
     */
    requireAuth(opts?: RequireAuthOptions): preHandlerAsyncHookHandler;
    /** The verifier used by `requireAuth`, added by {@link fastifyRequireAuth}. */
    authVerifier: AnyTokenVerifier;
  }
}

/**
 * Creates a Fastify preHandler that authenticates the request with `verifier`: the token comes
 * from `Authorization: Bearer` or the access-token cookie (parsed by `@fastify/cookie` when
 * registered, else read from the `Cookie` header). On success sets `request.user`; on failure
 * answers 401 problem+json (`token_expired`, `session_revoked` or `invalid_token`, also for a
 * missing token) with `WWW-Authenticate: Bearer error="invalid_token"`, or 403 `forbidden` for a
 * role not in `roles`.
 *
 * @example
 * ```ts
 * const verifier = createTokenVerifier({ jwksUrl }); // or { secret }
 * app.get('/me', { preHandler: createRequireAuth(verifier) }, async (request) => request.user);
 * app.delete('/users/:id', { preHandler: createRequireAuth(verifier, { roles: ['admin'] }) }, handler);
 * ```
 */
export function createRequireAuth(
  verifier: AnyTokenVerifier,
  opts: RequireAuthOptions = {},
): preHandlerAsyncHookHandler {
  const names = cookieNames(opts.cookieName);
  const roles = opts.roles;
  return async function requireAuth(this: unknown, request: FastifyRequest, reply: FastifyReply) {
    const cookies = (request as { cookies?: Record<string, string | undefined> }).cookies;
    const headers = request.headers;
    try {
      const token = extractToken(headers.authorization, cookies, headers.cookie, names);
      // Shared secret: synchronous; JWKS: a Promise (awaited only then, keeping the HMAC path lean).
      const user = authenticate(verifier, token, roles);
      request.user = user instanceof Promise ? await user : user;
    } catch (err) {
      const { status, headers: problemHeaders, body } = authProblem(err);
      if (status >= 500) throw err;
      return reply.code(status).headers(problemHeaders).send(body);
    }
  };
}

/** Options of the {@link fastifyRequireAuth} plugin: a verifier, or the options to create one. */
export type FastifyRequireAuthOptions = (
  | { verifier: AnyTokenVerifier }
  | (TokenVerifierOptions & { verifier?: undefined })
) & {
  /** Cookie name(s) holding the access token; default `access_token`, then `__Host-access_token`. */
  cookieName?: string | readonly string[];
};

const plugin: FastifyPluginCallback<FastifyRequireAuthOptions> = (app, options, done) => {
  const { cookieName, verifier: given, ...verifierOptions } = options;
  const verifier = given ?? createTokenVerifier(verifierOptions as TokenVerifierOptions);
  app.decorate<AnyTokenVerifier>('authVerifier', verifier);
  app.decorateRequest('user', null as unknown as AuthUser);
  app.decorate('requireAuth', (opts: RequireAuthOptions = {}) =>
    createRequireAuth(verifier, { cookieName, ...opts }),
  );
  done();
};

/**
 * Fastify plugin (not encapsulated, so it applies app-wide) decorating the instance with
 * `app.requireAuth(opts?)`, which returns a preHandler (see {@link createRequireAuth}), and
 * `app.authVerifier`.
 *
 * @example
 * ```ts
 * await app.register(fastifyRequireAuth, { jwksUrl: 'http://localhost:8000/.well-known/jwks.json', revocations });
 * // or the seed's shared secret: { secret: process.env.AUTH_JWT_SECRET! }
 * app.get('/logs', { preHandler: app.requireAuth() }, async (request) => listLogs(request.user.id));
 * app.get('/admin', { preHandler: app.requireAuth({ roles: ['admin'] }) }, adminHandler);
 * ```
 */
export const fastifyRequireAuth = fp(plugin, {
  fastify: '5.x',
  name: '@emotion-app/auth-client/require-auth',
});
