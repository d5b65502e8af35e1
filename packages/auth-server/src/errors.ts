/**
 * The one error type of auth-server. Every failure a client may see is an `AppError` with a
 * stable `code` (DESIGN §3); `http/error-handler.ts` turns it into application/problem+json.
 */
import type { AuthError } from '@emotion-app/auth-client/server';

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;
  /** Extra problem members (RFC 9457 extensions), e.g. `rule` for weak_password. */
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    status: number,
    code: string,
    title: string,
    detail?: string,
    extra: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(detail ?? title, { cause: extra.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.errors = extra.errors;
    this.headers = extra.headers;
    this.extensions = extra.extensions;
  }
}

export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'Invalid credentials', 'The email or password is incorrect.');
export const invalidToken = (detail = 'The token is invalid.') =>
  new AppError(401, 'invalid_token', 'Invalid token', detail);
export const tokenExpired = () =>
  new AppError(401, 'token_expired', 'Token expired', 'The access token has expired.');
export const invalidOrExpiredToken = () =>
  new AppError(
    400,
    'invalid_or_expired_token',
    'Invalid or expired token',
    'This link is invalid, was already used or has expired.',
  );
export const notFound = (detail = 'The requested resource does not exist.') =>
  new AppError(404, 'not_found', 'Not found', detail);

/**
 * The one mapping of auth-client's verifier errors (401 `token_expired` / `invalid_token`, see
 * tokens/jwt.ts) to auth-server's error: same status and code, the verifier's reason as detail.
 */
export function fromAuthError(err: AuthError): AppError {
  if (err.code === 'token_expired') return tokenExpired();
  return invalidToken(err.detail ? `The token is invalid: ${err.detail}.` : undefined);
}
