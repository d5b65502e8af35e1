import { createSessionFetch } from '@emotion-app/auth-client';
import { ApiError, networkError, problemFromResponse } from './problem.js';

let sessionExpiredHandler: () => void = () => {};
let serviceTroubleHandler: () => void = () => {};

/** Called when the session is gone for good (refresh failed or a protected call answered 401). */
export function onSessionExpired(handler: () => void): void {
  sessionExpiredHandler = handler;
}

/**
 * Called when a request suggests a service is down: no answer at all (emotion-api unreachable)
 * or 503 `auth_unavailable` (auth-server unreachable). The service status checks again at once.
 */
export function onServiceTrouble(handler: () => void): void {
  serviceTroubleHandler = handler;
}

/**
 * The one fetch every API call goes through: sends the cookies, adds X-CSRF-Token on unsafe
 * methods and, on 401 token_expired, refreshes once (shared across requests and tabs) and retries.
 */
const sessionFetch = createSessionFetch({
  refreshUrl: '/auth/refresh',
  onSessionExpired: () => sessionExpiredHandler(),
});

export interface RequestOptions {
  json?: unknown;
  body?: BodyInit;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  /** false for sign-in, sign-up and the other public routes: a 401 there is not a lost session. */
  authenticated?: boolean;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** Performs a request and returns the raw response when it succeeded; throws ApiError otherwise. */
export async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers = new Headers({ accept: 'application/json, application/problem+json' });
  let body = options.body;
  if (options.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(options.json);
  }
  let response: Response;
  try {
    response = await sessionFetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    serviceTroubleHandler();
    throw networkError(error);
  }
  if (response.ok) return response;
  const problem = await problemFromResponse(response);
  if (problem.code === 'auth_unavailable' || response.status === 502) serviceTroubleHandler();
  if (problem.status === 401 && options.authenticated !== false) sessionExpiredHandler();
  throw problem;
}

/** Performs a request and parses the JSON answer (undefined for 202/204 without a body). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204 || response.headers.get('content-length') === '0') return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await response.json()) as T;
}
