/**
 * The one client-side reading of a failed response: problem+json body, status and Retry-After
 * into a {@link ProblemError}. Browser-safe.
 */
import type { ErrorCode, FieldError } from './catalogue.js';
import { type ProblemInit, ProblemError } from './problem-error.js';

/** Fields a client error class is constructed from: status and title are always known. */
export type ClientProblemInit = ProblemInit<ErrorCode> & { status: number; title: string };

/** A constructor of the error the parser returns: {@link ProblemError} or a subclass. */
export type ProblemErrorClass<E> = new (init: ClientProblemInit) => E;

/** A failed response, already read: `text` is its whole body. */
export interface FailedResponse {
  status: number;
  statusText?: string;
  headers: { get(name: string): string | null };
  text: string;
}

/** Options of {@link problemFromResponse} and {@link readProblem}. */
export interface ParseProblemOptions<E> {
  /** The class to construct; default {@link ProblemError}. */
  errorClass?: ProblemErrorClass<E>;
  /**
   * Code of a 502, 503 or 504 without a problem body (a proxy's error page): default
   * `service_unavailable`; auth-client answers `auth_unavailable`.
   */
  unavailableCode?: ErrorCode;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/**
 * Seconds from a `Retry-After` header: delta-seconds, or an HTTP-date turned into seconds from
 * now; `undefined` when absent or unreadable.
 *
 * @example
 * ```ts
 * parseRetryAfter('120'); // 120
 * parseRetryAfter(new Date(Date.now() + 5000).toUTCString()); // about 5
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function fieldErrors(value: unknown): FieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(
    (e): e is FieldError =>
      typeof e === 'object' && e !== null && typeof e.path === 'string' && typeof e.message === 'string',
  );
}

/**
 * Builds the error for a non-2xx response from its status, headers and body text. A problem+json
 * body (anything with a string `code`) gives its members, extension members included; any other
 * body gives a code derived from the status, with the start of the body as `detail`.
 *
 * @example
 * ```ts
 * const text = await res.text();
 * if (!res.ok) throw problemFromResponse({ status: res.status, headers: res.headers, text });
 * ```
 */
export function problemFromResponse<E = ProblemError<ErrorCode>>(
  response: FailedResponse,
  options: ParseProblemOptions<E> = {},
): E {
  const { status, headers, text } = response;
  const ErrorClass = (options.errorClass ?? ProblemError) as ProblemErrorClass<E>;
  const fallbackTitle = response.statusText || `HTTP ${status}`;
  const retryAfterSec = parseRetryAfter(headers.get('retry-after'));
  const retry = retryAfterSec !== undefined ? { retryAfterSec } : {};
  const parsed = parseJson(text);
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    typeof (parsed as { code?: unknown }).code === 'string'
  ) {
    const { type, title, status: _status, detail, code, errors, ...rest } = parsed as Record<string, unknown>;
    const fields = fieldErrors(errors);
    return new ErrorClass({
      status,
      code: code as string,
      title: typeof title === 'string' ? title : fallbackTitle,
      ...(typeof detail === 'string' ? { detail } : {}),
      ...(typeof type === 'string' ? { type } : {}),
      ...(fields ? { errors: fields } : {}),
      ...(Object.keys(rest).length > 0 ? { extensions: rest } : {}),
      ...retry,
    });
  }
  const unavailable = status === 502 || status === 503 || status === 504;
  const code = unavailable
    ? (options.unavailableCode ?? 'service_unavailable')
    : (CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'http_error'));
  const snippet = text.trim().slice(0, 200);
  return new ErrorClass({
    status,
    code,
    title: fallbackTitle,
    ...(snippet ? { detail: snippet } : {}),
    ...retry,
  });
}

/**
 * Reads a failed `Response` (its whole body) into an error; see {@link problemFromResponse}.
 *
 * @example
 * ```ts
 * const res = await fetch('/logs');
 * if (!res.ok) throw await readProblem(res);
 * ```
 */
export async function readProblem<E = ProblemError<ErrorCode>>(
  response: Response,
  options: ParseProblemOptions<E> = {},
): Promise<E> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // an unreadable body is parsed as an empty one
  }
  return problemFromResponse(
    { status: response.status, statusText: response.statusText, headers: response.headers, text },
    options,
  );
}
