import { QueryClient } from '@tanstack/react-query';

/**
 * The app's one QueryClient. Failures are shown at once rather than retried: the session fetch
 * underneath already refreshes an expired token and retries once, and a 4xx will not change on a
 * second try. Data is refetched when a page mounts, not on window focus (only the service status
 * follows focus, see `useHealth`).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 0 },
      mutations: { retry: false },
    },
  });
}
