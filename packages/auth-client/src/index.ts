/**
 * `@emotion-app/auth-client`: the typed SDK of auth-server. Browser-safe (no Node-only imports):
 * `AuthClient` for every HTTP call, `AuthError` for every failure, `createSessionFetch` for
 * browser apps on cookie sessions, and the shared contract types. The Node-only verifier and
 * `requireAuth` live in `@emotion-app/auth-client/server`.
 */
export {
  AuthClient,
  type AuthClientOptions,
  type LoginSession,
  type LogoutOptions,
  type RequestOptions,
  type VerifyEmailOptions,
} from './client.js';
export * from './contract.js';
export { type CodeVerifierPair, codeChallengeOf, createCodeVerifier } from './pkce.js';
export { AuthError, type AuthErrorInit, type FieldError, isAuthError, type ProblemBody } from './errors.js';
export { createSessionFetch, type LockManagerLike, type SessionFetchOptions } from './session-fetch.js';
