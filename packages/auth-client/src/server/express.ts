/**
 * `requireAuth` for Express (4 and 5): a middleware. Typed structurally on Node's
 * `IncomingMessage`/`ServerResponse`, so the package does not depend on Express's types.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AuthUser,
  authenticate,
  authProblem,
  cookieNames,
  extractToken,
  type RequireAuthOptions,
} from './authenticate.js';
import type { AnyTokenVerifier } from './verifier.js';

declare global {
  namespace Express {
    interface Request {
      /** The authenticated user, set by `expressRequireAuth`. */
      user?: AuthUser;
    }
  }
}

/** The request shape the Express middleware reads and writes. */
export type ExpressLikeRequest = IncomingMessage & {
  cookies?: Record<string, string | undefined>;
  user?: AuthUser;
};

/** An Express-compatible middleware. */
export type ExpressMiddleware = (
  req: ExpressLikeRequest,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/**
 * Creates an Express middleware that authenticates the request with `verifier`: the token comes
 * from `Authorization: Bearer` or the access-token cookie (`req.cookies` when cookie-parser ran,
 * else the `Cookie` header). On success sets `req.user` and calls `next()`; on failure answers
 * 401 problem+json (`token_expired`, `session_revoked` or `invalid_token`, also for a missing
 * token) with `WWW-Authenticate: Bearer error="invalid_token"`, or 403 `forbidden` for a role not
 * in `roles`. With a shared-secret verifier it decides synchronously; with a JWKS verifier it
 * calls `next()` once the verification resolved.
 *
 * @example
 * ```ts
 * const verifier = createTokenVerifier({ jwksUrl: 'http://localhost:8000/.well-known/jwks.json' });
 * // or the seed's shared secret: createTokenVerifier({ secret: process.env.AUTH_JWT_SECRET! })
 * app.get('/me', expressRequireAuth(verifier), (req, res) => res.json(req.user));
 * app.get('/admin', expressRequireAuth(verifier, { roles: ['admin'] }), adminHandler);
 * ```
 */
export function expressRequireAuth(
  verifier: AnyTokenVerifier,
  opts: RequireAuthOptions = {},
): ExpressMiddleware {
  const names = cookieNames(opts.cookieName);
  const roles = opts.roles;

  function fail(res: ServerResponse, next: (err?: unknown) => void, err: unknown): void {
    const { status, headers, body } = authProblem(err);
    if (status >= 500) {
      next(err);
      return;
    }
    res.statusCode = status;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.end(JSON.stringify(body));
  }

  return function requireAuth(req, res, next) {
    let result: AuthUser | Promise<AuthUser>;
    try {
      const token = extractToken(req.headers.authorization, req.cookies, req.headers.cookie, names);
      result = authenticate(verifier, token, roles);
    } catch (err) {
      fail(res, next, err);
      return;
    }
    if (!(result instanceof Promise)) {
      req.user = result;
      next();
      return;
    }
    result.then(
      (user) => {
        req.user = user;
        next();
      },
      (err: unknown) => fail(res, next, err),
    );
  };
}
