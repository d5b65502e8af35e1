import { request, send } from './http.js';
import type { Detection, LogFilters, LogPage, Stats } from './types.js';

export function detect(image: Blob, fileName = 'photo.jpg', signal?: AbortSignal): Promise<Detection> {
  const form = new FormData();
  form.append('image', image, fileName);
  return request<Detection>('POST', '/detect', { body: form, signal });
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
