import { ProblemError, parseBearer } from '@emotion-app/protocol';
import type { FastifyRequest } from 'fastify';
import type { SessionCookies } from './cookies.js';

/**
 * Whether the request carries an `Authorization` header (even an empty or malformed one). Such a
 * request is authenticated by that header alone, never by cookies, which is why the CSRF guard
 * lets it through.
 */
export function hasAuthorizationHeader(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined;
}

/**
 * The token of `Authorization: Bearer <token>`; undefined when the header is absent, empty,
 * malformed or of another scheme. protocol's parser, the one `requireAuth` uses.
 */
export function bearerToken(request: FastifyRequest): string | undefined {
  return parseBearer(request.headers.authorization);
}

/** The tokens a request authenticates with, and whether they came from its cookies. */
export interface RequestCredentials {
  accessToken?: string;
  refreshToken?: string;
  /** True when there is no Authorization header: the tokens (if any) are the session cookies. */
  viaCookies: boolean;
}

/**
 * The credentials of a request, by one rule for every route: with an `Authorization` header, its
 * Bearer token and no cookie at all (401 `invalid_token` when the header is not
 * `Bearer <token>`); without one, the access and refresh cookies (the CSRF guard has checked
 * `X-CSRF-Token` for those on state-changing requests).
 */
export function credentialsOf(request: FastifyRequest, cookies: SessionCookies): RequestCredentials {
  if (hasAuthorizationHeader(request)) {
    const accessToken = bearerToken(request);
    if (accessToken === undefined) {
      throw new ProblemError({
        code: 'invalid_token',
        detail:
          'The Authorization header must be "Bearer <accessToken>"; cookies are not read when it is present.',
      });
    }
    return { accessToken, viaCookies: false };
  }
  const accessToken = cookies.accessToken(request);
  const refreshToken = cookies.refreshToken(request);
  return {
    ...(accessToken ? { accessToken } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    viaCookies: true,
  };
}
