/**
 * Browser security headers (ASVS 3.4) with `@fastify/helmet`, the same on both services: the
 * service's own Content-Security-Policy, `X-Frame-Options: DENY`, `X-Content-Type-Options:
 * nosniff`, `Referrer-Policy: no-referrer`, helmet's cross-origin headers, and
 * `Strict-Transport-Security` in production only (development runs on plain HTTP).
 */
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** One year, as browsers' HSTS preload lists expect. */
const HSTS_MAX_AGE_SEC = 365 * 24 * 60 * 60;

/** CSP directives: name → sources (an empty list for value-less directives). */
export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/**
 * Registers helmet on every route with `csp` as the Content-Security-Policy.
 *
 * @example
 * ```ts
 * await registerSecurityHeaders(app, { production, csp: { 'default-src': ["'none'"] } });
 * ```
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: { production: boolean; csp: CspDirectives },
): Promise<void> {
  const directives = Object.fromEntries(Object.entries(options.csp).map(([k, v]) => [k, [...v]]));
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives },
    strictTransportSecurity: options.production
      ? { maxAge: HSTS_MAX_AGE_SEC, includeSubDomains: true }
      : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
