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
import type { TokenVerifier } from './verifier.js';

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
 * 401 problem+json (`token_expired` or `invalid_token`, also for a missing token) with
 * `WWW-Authenticate: Bearer error="invalid_token"`, or 403 `forbidden` for a role not in `roles`.
 *
 * @example
 * ```ts
 * const verifier = createTokenVerifier({ secret: process.env.AUTH_JWT_SECRET! });
 * app.get('/me', expressRequireAuth(verifier), (req, res) => res.json(req.user));
 * app.get('/admin', expressRequireAuth(verifier, { roles: ['admin'] }), adminHandler);
 * ```
 */
export function expressRequireAuth(
  verifier: TokenVerifier,
  opts: RequireAuthOptions = {},
): ExpressMiddleware {
  const names = cookieNames(opts.cookieName);
  const roles = opts.roles;
  return function requireAuth(req, res, next) {
    try {
      const token = extractToken(req.headers.authorization, req.cookies, req.headers.cookie, names);
      req.user = authenticate(verifier, token, roles);
    } catch (err) {
      const { status, headers, body } = authProblem(err);
      if (status >= 500) {
        next(err);
        return;
      }
      res.statusCode = status;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.end(JSON.stringify(body));
      return;
    }
    next();
  };
}
