/** Cookie and header names shared by the services, auth-client and web. Browser-safe. */

/** The cookies emotion-api sets for a browser session (DESIGN §4), by role. */
export interface SessionCookieNames {
  access: string;
  refresh: string;
  csrf: string;
  device: string;
  /** The PKCE verifier of this browser's last registration (`/auth/register` → `/auth/verify`). */
  signupVerifier: string;
}

/** Plain names, used outside production. */
export const DEVELOPMENT_COOKIES: Readonly<SessionCookieNames> = Object.freeze({
  access: 'access_token',
  refresh: 'refresh_token',
  csrf: 'csrf_token',
  device: 'device_token',
  signupVerifier: 'signup_verifier',
});

/** `__Host-`/`__Secure-` prefixed names (cookies that are `Secure`), used in production. */
export const PRODUCTION_COOKIES: Readonly<SessionCookieNames> = Object.freeze({
  access: '__Host-access_token',
  refresh: '__Secure-refresh_token',
  csrf: '__Host-csrf_token',
  device: '__Secure-device_token',
  signupVerifier: '__Host-signup_verifier',
});

/**
 * The session cookie names for an environment.
 *
 * @example
 * ```ts
 * sessionCookieNames(config.production).access; // '__Host-access_token' in production
 * ```
 */
export function sessionCookieNames(production: boolean): Readonly<SessionCookieNames> {
  return production ? PRODUCTION_COOKIES : DEVELOPMENT_COOKIES;
}

/** Header a page sends the `csrf_token` cookie's value in, on state-changing requests. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** Response header of POST /api/auth/login: send its value back as `deviceToken` on later logins. */
export const DEVICE_TOKEN_HEADER = 'device-token';
