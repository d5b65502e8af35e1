import { request, send } from './http.js';
import { problemFromResponse } from './problem.js';
import type {
  Detection,
  ExportFormat,
  Health,
  LogFilters,
  LogPage,
  LogQuery,
  ModelList,
  Stats,
} from './types.js';

/** The query of `POST /detect`: `?model=<id>` when a model is named (else emotion-api's default). */
export function detectQuery(model?: string | null): { model?: string } {
  return model ? { model } : {};
}

export function detect(
  image: Blob,
  fileName = 'photo.jpg',
  model?: string | null,
  signal?: AbortSignal,
): Promise<Detection> {
  const form = new FormData();
  form.append('image', image, fileName);
  return request<Detection>('POST', '/detect', { body: form, query: detectQuery(model), signal });
}

/** `GET /models`: the models `POST /detect?model=` can use, the default one marked. */
export function listModels(signal?: AbortSignal): Promise<ModelList> {
  return request<ModelList>('GET', '/models', { signal });
}

export function listLogs(filters: LogFilters, signal?: AbortSignal): Promise<LogPage> {
  return request<LogPage>('GET', '/logs', { query: { ...filters }, signal });
}

export function deleteLog(id: string) {
  return request<void>('DELETE', `/logs/${encodeURIComponent(id)}`);
}

export function getStats(signal?: AbortSignal): Promise<Stats> {
  return request<Stats>('GET', '/stats', { signal });
}

/** Downloads an owner-only image through the session fetch (so an expired token is refreshed). */
export async function fetchImage(url: string, signal?: AbortSignal): Promise<Blob> {
  const response = await send('GET', url, { signal });
  return response.blob();
}

export function imageUrlOf(item: { id: string; imageUrl?: string }): string {
  return item.imageUrl ?? `/images/${encodeURIComponent(item.id)}`;
}

/** `attachment; filename="emotions-2025-01-31.csv"` → `emotions-2025-01-31.csv`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  const name = match?.[1] ? decodeURIComponent(match[1]).trim() : '';
  return name && !/[\\/]/.test(name) ? name : fallback;
}

/** Every detection matching `query` as a CSV or JSON attachment (`GET /logs/export`). */
export async function exportLogs(
  query: LogQuery,
  format: ExportFormat,
): Promise<{ blob: Blob; fileName: string }> {
  const response = await send('GET', '/logs/export', { query: { ...query, format } });
  const fileName = attachmentName(response.headers.get('content-disposition'), `emotions.${format}`);
  return { blob: await response.blob(), fileName };
}

/**
 * `GET /health`: public, so a plain fetch (no session, no refresh). Throws when emotion-api does
 * not answer (a TypeError from fetch) or answers an error.
 */
export async function getHealth(signal?: AbortSignal): Promise<Health> {
  const response = await fetch('/health', {
    signal,
    cache: 'no-store',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as Health;
}
