/**
 * Browser security headers (issue 10 #4, ASVS 3.4) with `@fastify/helmet`. auth-server answers
 * JSON, so its CSP allows nothing at all; only the `/docs` page (swagger-ui) gets a policy that
 * lets it load its own scripts, styles and the OpenAPI document.
 */
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The CSP of every API response: nothing may load, nothing may frame it. */
export const API_CSP: Readonly<Record<string, string[]>> = Object.freeze({
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
});

/**
 * The CSP of `/docs` (swagger-ui, served from this origin): its scripts, styles, icons and the
 * OpenAPI JSON from `'self'`, no inline or eval script, still not frameable. Styles allow
 * `'unsafe-inline'` because swagger-ui injects a `<style>` element at run time (Chromium reports
 * it otherwise); that enables no script. `upgrade-insecure-requests` only in production (HTTPS).
 */
export function docsContentSecurityPolicy(production: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'connect-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    ...(production ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/** One year, as browsers' HSTS preload lists expect. */
const HSTS_MAX_AGE_SEC = 365 * 24 * 60 * 60;

/**
 * Registers helmet on every route: the {@link API_CSP}, `X-Frame-Options: DENY`,
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, and
 * `Strict-Transport-Security` in production only. `/docs` replaces the CSP with
 * {@link docsContentSecurityPolicy} through `@fastify/swagger-ui`'s `staticCSP`.
 */
export async function registerSecurityHeaders(app: FastifyInstance, production: boolean): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: { ...API_CSP } },
    strictTransportSecurity: production ? { maxAge: HSTS_MAX_AGE_SEC, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
