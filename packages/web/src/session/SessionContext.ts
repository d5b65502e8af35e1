import { createContext, useContext } from 'react';
import type { CurrentUser, LogoutScope } from '../api/types.js';

export type SessionState =
  | { status: 'loading' }
  /** `reason`: nobody signed in yet, the session expired, or the user signed out here. */
  | { status: 'signedOut'; reason: 'none' | 'expired' | 'signedOut' }
  | { status: 'signedIn'; user: CurrentUser }
  | { status: 'error'; message: string };

export interface SessionValue {
  state: SessionState;
  user: CurrentUser | null;
  /** Records a user who just signed in (login or email verification). */
  signedIn(user: CurrentUser): void;
  /** Updates the shown user after a profile change. */
  setUser(user: CurrentUser): void;
  signOut(scope?: LogoutScope): Promise<void>;
  reload(): Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
