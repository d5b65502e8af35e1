/**
 * The wait before the next check of a service that is down or degraded: 2 s after the first
 * failure, doubling each time, never more than `maxMs`.
 */
export function backoffDelay(failures: number, baseMs = 2_000, maxMs = 30_000): number {
  if (failures <= 0) return maxMs;
  return Math.min(maxMs, baseMs * 2 ** (failures - 1));
}
