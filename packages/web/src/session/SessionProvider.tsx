import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { logout, me } from '../api/auth.js';
import { onSessionExpired } from '../api/http.js';
import { ApiError, errorMessage } from '../api/problem.js';
import { queryKeys } from '../api/queryKeys.js';
import type { CurrentUser, LogoutScope } from '../api/types.js';
import { SessionContext, type SessionState, type SessionValue } from './SessionContext.js';

/** Tabs of one browser tell each other about sign-in and sign-out so they never disagree. */
const CHANNEL = 'emotion-app-session';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const channel = useRef<BroadcastChannel | null>(null);
  // Bumped by every sign-in and sign-out: a GET /auth/me answer older than that is stale
  // (e.g. the 401 of the first load arriving after /verify-email signed the user in).
  const generation = useRef(0);
  const change = useCallback((next: SessionState) => {
    generation.current += 1;
    setState(next);
  }, []);

  // Nothing of one user's data outlives their session (the next sign-in may be someone else).
  const queryClient = useQueryClient();
  const signedInNow = state.status === 'signedIn';
  useEffect(() => {
    if (!signedInNow) queryClient.removeQueries({ queryKey: queryKeys.user });
  }, [signedInNow, queryClient]);

  const reload = useCallback(async () => {
    const started = generation.current;
    try {
      const user = await me();
      if (generation.current === started) setState({ status: 'signedIn', user });
    } catch (error) {
      if (generation.current !== started) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        setState({ status: 'signedOut', reason: 'none' });
      } else {
        setState({ status: 'error', message: errorMessage(error) });
      }
    }
  }, []);

  useEffect(() => {
    void reload();
    onSessionExpired(() => {
      generation.current += 1;
      setState((previous) =>
        previous.status === 'signedIn' ? { status: 'signedOut', reason: 'expired' } : previous,
      );
    });
    if (typeof BroadcastChannel === 'undefined') return undefined;
    const bc = new BroadcastChannel(CHANNEL);
    channel.current = bc;
    bc.onmessage = (event: MessageEvent) => {
      if (event.data === 'signed-out') change({ status: 'signedOut', reason: 'signedOut' });
      if (event.data === 'signed-in') void reload();
    };
    return () => {
      bc.close();
      channel.current = null;
    };
  }, [reload, change]);

  const signedIn = useCallback(
    (user: CurrentUser) => {
      change({ status: 'signedIn', user });
      channel.current?.postMessage('signed-in');
    },
    [change],
  );

  const setUser = useCallback((user: CurrentUser) => change({ status: 'signedIn', user }), [change]);

  const signOut = useCallback(
    async (scope: LogoutScope = 'local') => {
      try {
        await logout(scope);
      } catch {
        // The session may already be gone; the cookies are cleared either way.
      }
      change({ status: 'signedOut', reason: 'signedOut' });
      channel.current?.postMessage('signed-out');
    },
    [change],
  );

  const value = useMemo<SessionValue>(
    () => ({
      state,
      user: state.status === 'signedIn' ? state.user : null,
      signedIn,
      setUser,
      signOut,
      reload,
    }),
    [state, signedIn, setUser, signOut, reload],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
