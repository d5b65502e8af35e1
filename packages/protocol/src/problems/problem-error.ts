/**
 * The one error class of every service and client here, and the one builder of problem+json
 * bodies. Browser-safe.
 */
import {
  type ErrorCode,
  type FieldError,
  PROBLEMS,
  type ProblemBody,
  type ProblemCode,
} from './catalogue.js';

/** Fields of a {@link ProblemError}; `status` and `title` default to the catalogue's. */
export interface ProblemInit<Code extends string = ProblemCode> {
  code: Code;
  /** HTTP status; default the catalogue's for `code` (500 for a code it lacks). */
  status?: number;
  /** Short summary; default the catalogue's for `code`. */
  title?: string;
  /** Longer explanation for this occurrence. */
  detail?: string;
  /** Problem type URI; default `about:blank`. */
  type?: string;
  /** Field errors (`validation_failed`, `weak_password`). */
  errors?: FieldError[];
  /** Extra members of the body (RFC 9457 extensions), e.g. `rule` of `weak_password`. */
  extensions?: Record<string, unknown>;
  /** Seconds until a retry may succeed: sent and read as the `Retry-After` header (429, 503). */
  retryAfterSec?: number;
  /** Other response headers the error needs (e.g. `WWW-Authenticate`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** What {@link problemBody} builds a body from: any {@link ProblemError}, or plain fields. */
export interface ProblemFields {
  type?: string;
  title: string;
  status: number;
  detail?: string | undefined;
  code: string;
  errors?: FieldError[] | undefined;
  extensions?: Record<string, unknown> | undefined;
}

/**
 * Builds the application/problem+json body `{ type, title, status, detail, code, errors?,
 * ...extensions }`; the standard members win over extensions of the same name, and absent
 * `detail` and `errors` are left out.
 *
 * @example
 * ```ts
 * problemBody({ status: 404, code: 'not_found', title: 'Not found', detail: 'No such session.' });
 * // { type: 'about:blank', title: 'Not found', status: 404, detail: 'No such session.', code: 'not_found' }
 * ```
 */
export function problemBody(fields: ProblemFields): ProblemBody {
  const body: ProblemBody = {
    ...fields.extensions,
    type: fields.type ?? 'about:blank',
    title: fields.title,
    status: fields.status,
    code: fields.code,
  };
  if (fields.detail !== undefined) body.detail = fields.detail;
  if (fields.errors !== undefined) body.errors = fields.errors;
  return body;
}

/**
 * A failure with a stable `code` from the catalogue (`PROBLEMS`), rendered as problem+json by
 * the services' problem plugin and rebuilt from one by clients. `Code` is the catalogue's codes
 * for code that throws; clients, which may meet codes of a newer server, use `ErrorCode`.
 *
 * @example
 * ```ts
 * throw new ProblemError({ code: 'not_found', detail: 'No such session.' }); // 404 'Not found'
 * throw new ProblemError({ code: 'rate_limited', detail: 'Slow down.', retryAfterSec: 30 });
 * ```
 */
export class ProblemError<Code extends string = ProblemCode> extends Error {
  /** HTTP status the error maps to. */
  readonly status: number;
  /** Stable machine-readable code, e.g. `invalid_credentials`. */
  readonly code: Code;
  /** Short human-readable summary. */
  readonly title: string;
  /** Problem type URI, `about:blank` unless given. */
  readonly type: string;
  /** Longer human-readable explanation, when there is one. */
  readonly detail?: string;
  /** Field errors of a `validation_failed` problem. */
  readonly errors?: FieldError[];
  /** Seconds to wait before retrying, the `Retry-After` header (429, 503). */
  readonly retryAfterSec?: number;
  /** Extra members of the problem body (RFC 9457 extensions). */
  readonly extensions?: Record<string, unknown>;
  /** Extra response headers. */
  readonly headers?: Record<string, string>;

  constructor(init: ProblemInit<Code>) {
    const entry = (PROBLEMS as Record<string, { status: number; title: string } | undefined>)[init.code];
    const title = init.title ?? entry?.title ?? 'Error';
    super(init.detail ? `${title}: ${init.detail}` : title, { cause: init.cause });
    this.name = 'ProblemError';
    this.status = init.status ?? entry?.status ?? 500;
    this.code = init.code;
    this.title = title;
    this.type = init.type ?? 'about:blank';
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.errors !== undefined) this.errors = init.errors;
    if (init.retryAfterSec !== undefined) this.retryAfterSec = init.retryAfterSec;
    if (init.extensions !== undefined) this.extensions = init.extensions;
    if (init.headers !== undefined) this.headers = init.headers;
  }

  /**
   * The error as its problem+json body (see {@link problemBody}), extension members included,
   * so a proxy can pass an upstream answer through unchanged.
   *
   * @example
   * ```ts
   * reply.code(err.status).type('application/problem+json').send(err.toProblem());
   * ```
   */
  toProblem(): ProblemBody {
    return problemBody(this);
  }

  /** Serializes as the problem body, so `JSON.stringify(err)` is useful in logs and responses. */
  toJSON(): ProblemBody {
    return this.toProblem();
  }
}

/**
 * Whether a value is a {@link ProblemError} (or a subclass), also across duplicated copies of
 * this package, where `instanceof` fails.
 *
 * @example
 * ```ts
 * if (isProblemError(err) && err.code === 'rate_limited') wait(err.retryAfterSec);
 * ```
 */
export function isProblemError(value: unknown): value is ProblemError<ErrorCode> {
  if (value instanceof ProblemError) return true;
  if (!(value instanceof Error)) return false;
  const v = value as unknown as Record<string, unknown>;
  return (
    typeof v.status === 'number' &&
    typeof v.code === 'string' &&
    typeof v.title === 'string' &&
    typeof v.toProblem === 'function'
  );
}
