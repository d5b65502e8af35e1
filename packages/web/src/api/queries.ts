import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listSessions, verifyEmail } from './auth.js';
import { backoffDelay } from '../lib/backoff.js';
import { fetchImage, getHealth, getStats, listLogs, listModels } from './detections.js';
import { queryKeys } from './queryKeys.js';
import type { LogQuery } from './types.js';

/** Detections per History page. */
export const LOG_PAGE_SIZE = 12;

/**
 * One page (1-based) of the caller's detections matching `query`, newest first. While another
 * page or filter loads, the previous answer stays on screen.
 */
export function useLogs(query: LogQuery, page: number) {
  const filters = { ...query, limit: LOG_PAGE_SIZE, offset: (page - 1) * LOG_PAGE_SIZE };
  return useQuery({
    queryKey: queryKeys.logPage(filters),
    queryFn: ({ signal }) => listLogs(filters, signal),
    placeholderData: keepPreviousData,
  });
}

/** The caller's counts by emotion and by day. */
export function useStats() {
  return useQuery({ queryKey: queryKeys.stats, queryFn: ({ signal }) => getStats(signal) });
}

/** The models a detection can use (`GET /models`); the catalogue changes only with a deploy. */
export function useModels() {
  return useQuery({
    queryKey: queryKeys.models,
    queryFn: ({ signal }) => listModels(signal),
    select: (list) => list.models,
    staleTime: 10 * 60_000,
  });
}

/** The devices the user is signed in on. */
export function useSessions() {
  return useQuery({ queryKey: queryKeys.sessions, queryFn: () => listSessions() });
}

/**
 * An owner-only image (`/images/:id`) as a Blob, downloaded through the session fetch (so an
 * expired access token is refreshed like for any other call). A stored image never changes.
 */
export function useImageBlob(url: string | null) {
  return useQuery({
    queryKey: queryKeys.image(url ?? ''),
    queryFn: ({ signal }) => fetchImage(url ?? '', signal),
    enabled: url !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * `POST /auth/verify` for a mailed token, sent once per token however often the page mounts
 * (React's strict mode mounts it twice; the token works only once), and never cancelled.
 */
export function useVerification(token: string) {
  return useQuery({
    queryKey: queryKeys.verification(token),
    queryFn: () => verifyEmail(token),
    enabled: token !== '',
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    refetchOnMount: false,
    refetchOnReconnect: false,
  });
}

/** How often the service status is checked while all is well. */
export const HEALTH_POLL_MS = 30_000;

/** Checks in a row that found emotion-api or auth-server down (drives the backoff). */
let troubledChecks = 0;

/**
 * emotion-api's `GET /health`, polled: every 30 s while all is well, sooner with a doubling
 * backoff (2 s, 4 s, … 30 s) while emotion-api or auth-server is down, and whenever the window
 * comes back into focus. An error means emotion-api did not answer.
 */
export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health,
    queryFn: async ({ signal }) => {
      try {
        const health = await getHealth(signal);
        troubledChecks = health.authServer === 'ok' ? 0 : troubledChecks + 1;
        return health;
      } catch (error) {
        troubledChecks += 1;
        throw error;
      }
    },
    refetchInterval: () => (troubledChecks > 0 ? backoffDelay(troubledChecks) : HEALTH_POLL_MS),
    refetchOnWindowFocus: true,
    refetchOnReconnect: true,
  });
}
