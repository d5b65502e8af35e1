/**
 * The transport under `AuthClient`: one JSON request with a timeout, mapping every failure to
 * an {@link AuthError}. Browser-safe.
 */
import {
  type Endpoint,
  type EndpointBody,
  type EndpointParams,
  type EndpointResponse,
  endpointPath,
  problemFromResponse,
} from '@emotion-app/protocol';
import { AuthError } from './errors.js';

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

/** One call of an endpoint of the table (`authEndpoints`). */
export interface Call<E extends Endpoint = Endpoint> {
  endpoint: E;
  params?: EndpointParams<E>;
  body?: EndpointBody<E>;
  /** Sent as `Authorization: Bearer` (an access token, or the service key for introspection). */
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

function unavailable(detail: string, cause?: unknown): AuthError {
  return new AuthError({
    status: 503,
    code: 'auth_unavailable',
    title: 'Authentication service unavailable',
    detail,
    cause,
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
export async function send<E extends Endpoint>(
  transport: Transport,
  call: Call<E>,
  opts: RequestOptions = {},
): Promise<EndpointResponse<E>> {
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
      const { endpoint } = call;
      const init: RequestInit = { method: endpoint.method, headers, signal: controller.signal };
      if (call.body !== undefined) init.body = JSON.stringify(call.body);
      const path = endpointPath(endpoint, call.params as Record<string, string> | undefined);
      response = await transport.fetch(`${transport.baseUrl}${path}`, init);
      text = await response.text();
    } catch (err) {
      if (timedOut) throw unavailable(`auth-server did not answer within ${transport.timeoutMs} ms`, err);
      if (callerSignal?.aborted) throw callerSignal.reason ?? err;
      throw unavailable(`cannot reach auth-server at ${transport.baseUrl}`, err);
    }
    if (!response.ok) {
      const { status, statusText, headers } = response;
      throw problemFromResponse(
        { status, statusText, headers, text },
        { errorClass: AuthError, unavailableCode: 'auth_unavailable' },
      );
    }
    call.onHeaders?.(response.headers);
    if (!text) return undefined as EndpointResponse<E>;
    try {
      return JSON.parse(text) as EndpointResponse<E>;
    } catch (err) {
      throw unavailable(`auth-server answered ${response.status} with a body that is not JSON`, err);
    }
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
