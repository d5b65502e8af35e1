/**
 * The one error type of the SDK. Browser-safe (no Node imports): both the HTTP client and the
 * server-side verifier throw it, so an app handles every auth failure the same way.
 */
import type { ErrorCode, Problem } from './contract.js';

/** One failed field of a `validation_failed` problem. */
export interface FieldError {
  path: string;
  message: string;
}

/** A problem+json body: the standard members plus any extension members. */
export type ProblemBody = Problem & { [extension: string]: unknown };

/** Fields accepted by the {@link AuthError} constructor. */
export interface AuthErrorInit {
  status: number;
  code: ErrorCode;
  title: string;
  detail?: string;
  type?: string;
  errors?: FieldError[];
  retryAfterSec?: number;
  /** Extra members of the server's problem (RFC 9457 extensions), e.g. `rule` of `weak_password`. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Thrown for every failed auth call: a non-2xx answer of auth-server (carrying its
 * problem+json fields), a network failure or timeout (`status: 503`, `code: 'auth_unavailable'`),
 * or a rejected access token in the verifier (`status: 401`, `code: 'token_expired' | 'invalid_token'`).
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
export class AuthError extends Error {
  /** HTTP status the error maps to (401, 403, 503 ...). */
  readonly status: number;
  /** Stable machine-readable code, e.g. `invalid_credentials`. */
  readonly code: ErrorCode;
  /** Short human-readable summary. */
  readonly title: string;
  /** Longer human-readable explanation, when the server gave one. */
  readonly detail?: string;
  /** Problem type URI, `about:blank` unless the server sent one. */
  readonly type: string;
  /** Field errors of a `validation_failed` problem. */
  readonly errors?: FieldError[];
  /** Seconds to wait before retrying, from a `Retry-After` header (429, 503). */
  readonly retryAfterSec?: number;
  /** Extra members of the server's problem (RFC 9457 extensions), e.g. `rule` of `weak_password`. */
  readonly extensions?: Record<string, unknown>;

  constructor(init: AuthErrorInit) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title, { cause: init.cause });
    this.name = 'AuthError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.type = init.type ?? 'about:blank';
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.errors !== undefined) this.errors = init.errors;
    if (init.retryAfterSec !== undefined) this.retryAfterSec = init.retryAfterSec;
    if (init.extensions !== undefined) this.extensions = init.extensions;
  }

  /**
   * The error as an RFC 9457 problem+json body, the shape auth-server answers with (extension
   * members included), so a proxy can pass auth-server's answer through unchanged.
   *
   * @example
   * ```ts
   * reply.code(err.status).type('application/problem+json').send(err.toProblem());
   * ```
   */
  toProblem(): ProblemBody {
    const problem: ProblemBody = {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      code: this.code,
    };
    if (this.detail !== undefined) problem.detail = this.detail;
    if (this.errors !== undefined) problem.errors = this.errors;
    return problem;
  }

  /** Serializes as the problem body, so `JSON.stringify(err)` is useful in logs and responses. */
  toJSON(): ProblemBody {
    return this.toProblem();
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
