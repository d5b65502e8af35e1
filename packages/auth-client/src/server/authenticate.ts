/**
 * Framework-independent core of `requireAuth`: find the access token of a request, verify it,
 * check the role, and render failures as problem+json.
 */
import {
  type AccessTokenClaims,
  DEVELOPMENT_COOKIES,
  PRODUCTION_COOKIES,
  parseBearer,
  type Role,
} from '@emotion-app/protocol';
import { AuthError, isAuthError, type ProblemBody } from '../errors.js';
import type { AnyTokenVerifier, JwksTokenVerifier, TokenVerifier } from './verifier.js';

/** What `requireAuth` puts on `request.user`. */
export interface AuthUser {
  /** The user id (`sub`). */
  id: string;
  email: string;
  role: Role;
  /** The session id (`sid`), the `id` of the session in `listSessions`. */
  sessionId: string;
  /** Every claim of the verified access token. */
  claims: AccessTokenClaims;
}

/** Options shared by every `requireAuth` flavour. */
export interface RequireAuthOptions {
  /** Roles allowed through; others get 403 `forbidden`. Default: any authenticated user. */
  roles?: readonly Role[];
  /**
   * Cookie name(s) holding the access token, tried in order when the request has no
   * `Authorization` header (a request with one is authenticated by it alone).
   * Default `['access_token', '__Host-access_token']`.
   */
  cookieName?: string | readonly string[];
}

const DEFAULT_COOKIES: readonly string[] = [DEVELOPMENT_COOKIES.access, PRODUCTION_COOKIES.access];

/** Normalizes {@link RequireAuthOptions.cookieName} to a list. @internal */
export function cookieNames(option: RequireAuthOptions['cookieName']): readonly string[] {
  if (option === undefined) return DEFAULT_COOKIES;
  return typeof option === 'string' ? [option] : option;
}

/**
 * Reads one cookie from a raw `Cookie` header without a cookie library.
 *
 * @example
 * ```ts
 * readCookie('theme=dark; access_token=eyJ...', 'access_token'); // 'eyJ...'
 * ```
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq > start && eq < end && header.slice(start, eq).trim() === name) {
      let value = header.slice(eq + 1, end).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (value.includes('%')) {
        try {
          value = decodeURIComponent(value);
        } catch {
          // keep the raw value; verification will reject it if it is not a token
        }
      }
      return value;
    }
    start = end + 1;
  }
  return undefined;
}

/**
 * Picks the access token of a request. A request that carries an `Authorization` header is
 * authenticated by that header alone: its `Bearer <token>` (scheme case-insensitive), or nothing
 * when the header is empty, malformed or of another scheme, so the caller answers 401 and never
 * falls back to the cookies (which would let a request skip the CSRF check that cookie
 * authentication needs). Only without the header is the first present cookie among `names` used
 * (from parsed `cookies` when a cookie plugin ran, else the raw header). With `names` empty it is
 * a plain Bearer-header parser.
 *
 * @example
 * ```ts
 * const token = extractToken(req.headers.authorization, req.cookies, req.headers.cookie, ['access_token']);
 * extractToken('Bearer eyJ...', undefined, 'access_token=c', ['access_token']); // 'eyJ...'
 * extractToken('Basic eHl6', undefined, 'access_token=c', ['access_token']); // undefined
 * extractToken(undefined, undefined, 'access_token=c', ['access_token']); // 'c'
 * ```
 */
export function extractToken(
  authorization: string | undefined,
  cookies: Record<string, string | undefined> | undefined,
  cookieHeader: string | undefined,
  names: readonly string[],
): string | undefined {
  if (authorization !== undefined) return parseBearer(authorization);
  for (const name of names) {
    const value = cookies?.[name] ?? readCookie(cookieHeader, name);
    if (value) return value;
  }
  return undefined;
}

function missingToken(): AuthError {
  return new AuthError({
    status: 401,
    code: 'invalid_token',
    title: 'Authentication required',
    detail:
      'no access token: send Authorization: Bearer <token> (without an Authorization header, the access_token cookie is read)',
  });
}

function toUser(claims: AccessTokenClaims, roles: readonly Role[] | undefined): AuthUser {
  if (roles && roles.length > 0 && !roles.includes(claims.role)) {
    throw new AuthError({
      status: 403,
      code: 'forbidden',
      title: 'Forbidden',
      detail: 'your role does not allow this action',
    });
  }
  return { id: claims.sub, email: claims.email, role: claims.role, sessionId: claims.sid, claims };
}

/**
 * Verifies a request's token and role: returns the user, or throws an {@link AuthError}
 * (401 `invalid_token` when no token is present, 401 `token_expired` / `invalid_token` /
 * `session_revoked` from the verifier, 403 `forbidden` for a role not in `roles`). The
 * framework-free core of `requireAuth`, e.g. for a WebSocket upgrade or another framework.
 * Synchronous with a shared-secret verifier; with a JWKS verifier it returns a Promise (and
 * rejects instead of throwing).
 *
 * @example
 * ```ts
 * const token = extractToken(req.headers.authorization, undefined, req.headers.cookie, ['access_token']);
 * const user = authenticate(secretVerifier, token, ['admin']); // { id, email, role, sessionId, claims }
 * const same = await authenticate(jwksVerifier, token, undefined);
 * ```
 */
export function authenticate(
  verifier: TokenVerifier,
  token: string | undefined,
  roles: readonly Role[] | undefined,
): AuthUser;
export function authenticate(
  verifier: JwksTokenVerifier,
  token: string | undefined,
  roles: readonly Role[] | undefined,
): Promise<AuthUser>;
export function authenticate(
  verifier: AnyTokenVerifier,
  token: string | undefined,
  roles: readonly Role[] | undefined,
): AuthUser | Promise<AuthUser>;
export function authenticate(
  verifier: AnyTokenVerifier,
  token: string | undefined,
  roles: readonly Role[] | undefined,
): AuthUser | Promise<AuthUser> {
  if (verifier.verifySync !== undefined) {
    if (!token) throw missingToken();
    return toUser(verifier.verifySync(token), roles);
  }
  if (!token) return Promise.reject(missingToken());
  return verifier.verify(token).then((claims) => toUser(claims, roles));
}

/** An {@link AuthError} rendered for an HTTP response by {@link authProblem}. */
export interface AuthProblemResponse {
  status: number;
  headers: Record<string, string>;
  body: ProblemBody;
}

/**
 * Renders an error as the problem+json response requireAuth sends: status, headers
 * (`Content-Type: application/problem+json`, `WWW-Authenticate` for 401/403, `Retry-After` for
 * errors carrying one) and body `{ type, title, status, detail, code }`. Errors other than
 * {@link AuthError} become a 500 `internal_error` without details.
 *
 * @example
 * ```ts
 * app.setErrorHandler((err, request, reply) => {
 *   if (isAuthError(err)) {
 *     const { status, headers, body } = authProblem(err);
 *     return reply.code(status).headers(headers).send(body);
 *   }
 *   ...
 * });
 * ```
 */
export function authProblem(err: unknown): AuthProblemResponse {
  const error = isAuthError(err)
    ? err
    : new AuthError({ status: 500, code: 'internal_error', title: 'Internal Server Error' });
  const headers: Record<string, string> = { 'content-type': 'application/problem+json; charset=utf-8' };
  if (error.status === 401) {
    const tokenError =
      error.code === 'token_expired' || error.code === 'invalid_token' || error.code === 'session_revoked';
    headers['www-authenticate'] = tokenError ? 'Bearer error="invalid_token"' : 'Bearer';
  } else if (error.status === 403 && error.code === 'forbidden') {
    headers['www-authenticate'] = 'Bearer error="insufficient_scope"';
  }
  if (error.retryAfterSec !== undefined) headers['retry-after'] = String(error.retryAfterSec);
  return { status: error.status, headers, body: error.toProblem() };
}
