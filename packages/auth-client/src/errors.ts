/**
 * The one error type of the SDK: protocol's {@link ProblemError} under the SDK's name.
 * Browser-safe (no Node imports): the HTTP client and the server-side verifier both throw it, so
 * an app handles every auth failure the same way.
 */
import { type ClientProblemInit, type ErrorCode, ProblemError } from '@emotion-app/protocol';

export type { FieldError, ProblemBody } from '@emotion-app/protocol';

/** Fields accepted by the {@link AuthError} constructor. */
export type AuthErrorInit = ClientProblemInit;

/**
 * Thrown for every failed auth call: a non-2xx answer of auth-server (carrying its
 * problem+json fields), a network failure or timeout (`status: 503`, `code: 'auth_unavailable'`),
 * or a rejected access token in the verifier (`status: 401`, `code: 'token_expired' | 'invalid_token'`).
 * `toProblem()` gives the problem+json body back, extension members included.
 *
 * @example
 * ```ts
 * try {
 *   await auth.login({ email, password });
 * } catch (err) {
 *   if (err instanceof AuthError && err.code === 'email_not_verified') showResendButton();
 *   else throw err;
 * }
 * ```
 */
export class AuthError extends ProblemError<ErrorCode> {
  constructor(init: AuthErrorInit) {
    super(init);
    this.name = 'AuthError';
  }
}

/**
 * Whether a value is an {@link AuthError}, also across duplicated copies of the package
 * (where `instanceof` would fail).
 *
 * @example
 * ```ts
 * if (isAuthError(err) && err.status === 503) return showOfflineBanner();
 * ```
 */
export function isAuthError(value: unknown): value is AuthError {
  return (
    value instanceof AuthError ||
    (value instanceof Error &&
      value.name === 'AuthError' &&
      typeof (value as { status?: unknown }).status === 'number' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
