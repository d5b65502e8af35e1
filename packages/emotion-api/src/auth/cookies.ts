import { randomBytes } from 'node:crypto';
import type { LoginSession } from '@emotion-app/auth-client';
import { type SessionCookieNames, sessionCookieNames } from '@emotion-app/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The access-token cookie lives as long as the refresh token (30 days), see DESIGN §4. */
export const SESSION_COOKIE_MAX_AGE_SEC = 30 * 24 * 60 * 60;
export const DEVICE_COOKIE_MAX_AGE_SEC = 365 * 24 * 60 * 60;
/** The sign-up verifier cookie lives as long as the verification link it goes with (24 h). */
export const SIGNUP_VERIFIER_MAX_AGE_SEC = 24 * 60 * 60;

/**
 * Sets and reads the session cookies of emotion-api. Names from protocol: plain in development,
 * `__Host-`/`__Secure-` prefixed (and `Secure`) in production.
 */
export class SessionCookies {
  readonly names: Readonly<SessionCookieNames>;

  constructor(private readonly production: boolean) {
    this.names = sessionCookieNames(production);
  }

  /**
   * Sets access, refresh and CSRF cookies (and the device cookie when the session has one). The
   * CSRF token is new unless `keepCsrf` is given: a refresh keeps it, so requests another tab
   * prepared with the current value do not fail; a sign-in always gets a new one.
   */
  set(reply: FastifyReply, session: LoginSession, keepCsrf?: string): void {
    const secure = this.production;
    reply.setCookie(this.names.access, session.accessToken, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: SESSION_COOKIE_MAX_AGE_SEC,
      secure,
    });
    reply.setCookie(this.names.refresh, session.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/auth',
      maxAge: SESSION_COOKIE_MAX_AGE_SEC,
      secure,
    });
    reply.setCookie(this.names.csrf, keepCsrf ?? randomBytes(32).toString('base64url'), {
      httpOnly: false,
      sameSite: 'lax',
      path: '/',
      maxAge: SESSION_COOKIE_MAX_AGE_SEC,
      secure,
    });
    if (session.deviceToken) {
      reply.setCookie(this.names.device, session.deviceToken, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/auth',
        maxAge: DEVICE_COOKIE_MAX_AGE_SEC,
        secure,
      });
    }
  }

  /** Expires the session cookies; the device cookie stays (it only softens login throttling). */
  clear(reply: FastifyReply): void {
    const secure = this.production;
    reply.clearCookie(this.names.access, { httpOnly: true, sameSite: 'lax', path: '/', secure });
    reply.clearCookie(this.names.refresh, { httpOnly: true, sameSite: 'strict', path: '/auth', secure });
    reply.clearCookie(this.names.csrf, { httpOnly: false, sameSite: 'lax', path: '/', secure });
  }

  /**
   * Keeps the PKCE verifier of a registration in this browser only (HttpOnly, 24 h like the
   * link): verifying signs in only where it was registered (issue 10 #1). Path=/auth in
   * development; `__Host-` requires Path=/ in production.
   */
  setSignupVerifier(reply: FastifyReply, verifier: string): void {
    reply.setCookie(this.names.signupVerifier, verifier, {
      ...this.signupVerifierAttributes(),
      maxAge: SIGNUP_VERIFIER_MAX_AGE_SEC,
    });
  }

  clearSignupVerifier(reply: FastifyReply): void {
    reply.clearCookie(this.names.signupVerifier, this.signupVerifierAttributes());
  }

  private signupVerifierAttributes() {
    return {
      httpOnly: true,
      sameSite: 'lax',
      path: this.production ? '/' : '/auth',
      secure: this.production,
    } as const;
  }

  signupVerifier(request: FastifyRequest): string | undefined {
    return nonEmpty(request.cookies[this.names.signupVerifier]);
  }

  accessToken(request: FastifyRequest): string | undefined {
    return nonEmpty(request.cookies[this.names.access]);
  }

  refreshToken(request: FastifyRequest): string | undefined {
    return nonEmpty(request.cookies[this.names.refresh]);
  }

  csrfToken(request: FastifyRequest): string | undefined {
    return nonEmpty(request.cookies[this.names.csrf]);
  }

  deviceToken(request: FastifyRequest): string | undefined {
    return nonEmpty(request.cookies[this.names.device]);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
