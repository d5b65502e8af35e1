/**
 * auth-server's errors: protocol's `ProblemError` with a code of the catalogue (DESIGN §3); the
 * problem plugin of service-kit turns every one into application/problem+json. These are the
 * ones thrown from several places.
 */
import { type ErrorCode, ProblemError } from '@emotion-app/protocol';

export const invalidCredentials = () =>
  new ProblemError({ code: 'invalid_credentials', detail: 'The email or password is incorrect.' });
export const invalidToken = (detail = 'The token is invalid.') =>
  new ProblemError({ code: 'invalid_token', detail });
export const tokenExpired = () =>
  new ProblemError({ code: 'token_expired', detail: 'The access token has expired.' });
export const invalidOrExpiredToken = () =>
  new ProblemError({
    code: 'invalid_or_expired_token',
    detail: 'This link is invalid, was already used or has expired.',
  });
export const notFound = (detail = 'The requested resource does not exist.') =>
  new ProblemError({ code: 'not_found', detail });

/**
 * The verifier's errors (401 `token_expired` / `invalid_token`, see tokens/jwt.ts) in
 * auth-server's words: same status and code, the verifier's reason in the detail.
 */
export function fromVerifierError(err: ProblemError<ErrorCode>): ProblemError {
  if (err.code === 'token_expired') return tokenExpired();
  return invalidToken(err.detail ? `The token is invalid: ${err.detail}.` : undefined);
}
