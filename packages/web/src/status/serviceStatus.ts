import type { QueryClient } from '@tanstack/react-query';
import { useHealth } from '../api/queries.js';
import { queryKeys } from '../api/queryKeys.js';
import type { Health } from '../api/types.js';

export type ServiceState = 'checking' | 'up' | 'down';

export interface ServiceStatus {
  /** emotion-api: the app's backend (detection, history, and the way to auth-server). */
  api: ServiceState;
  /** auth-server, as emotion-api sees it. */
  auth: ServiceState;
  model: Health['model'] | null;
  /** Sign in, sign up, mails and account changes: they need both services. */
  canUseAccounts: boolean;
  /** Detection and history: emotion-api verifies the session itself, auth-server may be down. */
  canUseApi: boolean;
  /** Checks again now. */
  recheck(): void;
}

/** What a `/health` answer (or its failure) means for the page. */
export function statusOf(health: Health | undefined, failed: boolean): Omit<ServiceStatus, 'recheck'> {
  const api: ServiceState = failed ? 'down' : health ? 'up' : 'checking';
  const auth: ServiceState =
    api === 'down' ? 'down' : !health ? 'checking' : health.authServer === 'ok' ? 'up' : 'down';
  return {
    api,
    auth,
    model: !failed && health ? health.model : null,
    canUseAccounts: api !== 'down' && auth !== 'down',
    canUseApi: api !== 'down',
  };
}

/** The services' state from the shared `/health` query (polled, see `useHealth`). */
export function useServiceStatus(): ServiceStatus {
  const health = useHealth();
  return { ...statusOf(health.data, health.isError), recheck: () => void health.refetch() };
}

/**
 * A request that got no answer, or 503 auth_unavailable, makes the status check again at once
 * (at most every 2 s), so the banner appears without waiting for the next poll.
 */
export function recheckOnTrouble(client: QueryClient): () => void {
  return () => {
    const state = client.getQueryState(queryKeys.health);
    const last = Math.max(state?.dataUpdatedAt ?? 0, state?.errorUpdatedAt ?? 0);
    if (state?.fetchStatus === 'fetching' || Date.now() - last < 2_000) return;
    void client.invalidateQueries({ queryKey: queryKeys.health });
  };
}
