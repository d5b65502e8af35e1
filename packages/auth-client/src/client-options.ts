/** The option and result types of {@link AuthClient} (client.ts). */
import type { LogoutScope, Session } from '@emotion-app/protocol';
import type { RequestOptions } from './http.js';

/** Options of the {@link AuthClient} constructor. */
export interface AuthClientOptions {
  /** Where auth-server listens, e.g. `http://localhost:8000` (the client adds `/api/...`). */
  baseUrl: string;
  /** A `fetch` implementation; default the global one. */
  fetch?: typeof fetch;
  /** Milliseconds before a call fails with `auth_unavailable`; default 10 000. */
  timeoutMs?: number;
  /** Headers sent with every call (per-call `opts.headers` override them). */
  headers?: Record<string, string>;
}

/** Options of {@link AuthClient.logout}. */
export interface LogoutOptions {
  /** `local` (default): this session; `global`: every session of the user; `others`: all but this one. */
  scope?: LogoutScope;
  /** An access token of the session, sent as Bearer (enough on its own to identify the session). */
  accessToken?: string;
}

/** Options of {@link AuthClient.verifyEmail}: per-call request options, plus the PKCE verifier. */
export interface VerifyEmailOptions extends RequestOptions {
  /**
   * The verifier whose challenge was sent as `codeChallenge` to {@link AuthClient.register}
   * (see {@link createCodeVerifier}). With it the answer is a session; without it (or another
   * browser's) a link bound to a challenge only verifies the email and answers `{ user }`.
   */
  codeVerifier?: string;
}

/** What {@link AuthClient.login} resolves to: the session, plus the device token when the server sent one. */
export type LoginSession = Session & {
  /** From the `Device-Token` response header: send it back on later logins so throttling spares this device. */
  deviceToken?: string;
};
