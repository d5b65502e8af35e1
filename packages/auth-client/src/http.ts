/**
 * The transport under `AuthClient`: one JSON request with a timeout, mapping every failure to
 * an {@link AuthError}. Browser-safe.
 */
import type { Problem } from './contract.js';
import { AuthError, type FieldError } from './errors.js';

/** Per-call options accepted by every `AuthClient` method. */
export interface RequestOptions {
  /**
   * Extra headers for this call, e.g. a backend proxy forwarding the browser's
   * `X-Forwarded-For` and `User-Agent` so auth-server records the real client.
   */
  headers?: Record<string, string>;
  /** Aborts the call; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  accessToken?: string | undefined;
  /** Called with the response headers of a successful answer. */
  onHeaders?: (headers: Headers) => void;
}

export interface Transport {
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  headers: Record<string, string>;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  502: 'auth_unavailable',
  503: 'auth_unavailable',
  504: 'auth_unavailable',
};

function unavailable(detail: string, cause?: unknown): AuthError {
  return new AuthError({
    status: 503,
    code: 'auth_unavailable',
    title: 'Authentication service unavailable',
    detail,
    cause,
  });
}

/** Seconds from a `Retry-After` header (delta-seconds or HTTP-date). @internal */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string';
}

/** Builds the {@link AuthError} for a non-2xx response from its status, headers and body text. @internal */
export function errorFromResponse(
  status: number,
  statusText: string,
  headers: Headers,
  text: string,
): AuthError {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const retryAfterSec = parseRetryAfter(headers.get('retry-after'));
  if (isProblem(parsed)) {
    const errors = Array.isArray(parsed.errors)
      ? parsed.errors.filter(
          (e): e is FieldError =>
            typeof e === 'object' &&
            e !== null &&
            typeof e.path === 'string' &&
            typeof e.message === 'string',
        )
      : undefined;
    const { type, title, status: _status, detail, code, errors: _errors, ...rest } = parsed;
    return new AuthError({
      status,
      code,
      title: typeof title === 'string' ? title : statusText || `HTTP ${status}`,
      ...(typeof detail === 'string' ? { detail } : {}),
      ...(typeof type === 'string' ? { type } : {}),
      ...(errors ? { errors } : {}),
      ...(Object.keys(rest).length > 0 ? { extensions: rest } : {}),
      ...(retryAfterSec !== undefined ? { retryAfterSec } : {}),
    });
  }
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'http_error');
  const snippet = text.trim().slice(0, 200);
  return new AuthError({
    status,
    code,
    title: statusText || `HTTP ${status}`,
    ...(snippet ? { detail: snippet } : {}),
    ...(retryAfterSec !== undefined ? { retryAfterSec } : {}),
  });
}

/**
 * Sends one request and returns the parsed JSON body (`undefined` for an empty body).
 * Throws {@link AuthError}: the server's problem for a non-2xx answer, `auth_unavailable` (503)
 * for a network failure or when `timeoutMs` passes before the whole body arrived. An abort by the
 * caller's `signal` rejects with the signal's reason instead.
 *
 * @internal used by `AuthClient`; not exported from the package entries.
 */
export async function send<T>(transport: Transport, call: Call, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  for (const [k, v] of Object.entries(transport.headers)) headers[k.toLowerCase()] = v;
  if (opts.headers) for (const [k, v] of Object.entries(opts.headers)) headers[k.toLowerCase()] = v;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  if (call.accessToken !== undefined) headers.authorization = `Bearer ${call.accessToken}`;

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, transport.timeoutMs);
  const callerSignal = opts.signal;
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  try {
    let response: Response;
    let text: string;
    try {
      const init: RequestInit = { method: call.method, headers, signal: controller.signal };
      if (call.body !== undefined) init.body = JSON.stringify(call.body);
      response = await transport.fetch(`${transport.baseUrl}${call.path}`, init);
      text = await response.text();
    } catch (err) {
      if (timedOut) throw unavailable(`auth-server did not answer within ${transport.timeoutMs} ms`, err);
      if (callerSignal?.aborted) throw callerSignal.reason ?? err;
      throw unavailable(`cannot reach auth-server at ${transport.baseUrl}`, err);
    }
    if (!response.ok) throw errorFromResponse(response.status, response.statusText, response.headers, text);
    call.onHeaders?.(response.headers);
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw unavailable(`auth-server answered ${response.status} with a body that is not JSON`, err);
    }
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
