import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listSessions, verifyEmail } from './auth.js';
import { fetchImage, getStats, listLogs } from './detections.js';
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
