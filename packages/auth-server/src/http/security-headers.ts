/**
 * auth-server's Content-Security-Policies (service-kit's `registerSecurityHeaders` sends them).
 * auth-server answers JSON, so its CSP allows nothing at all; only the `/docs` page (swagger-ui)
 * gets a policy that lets it load its own scripts, styles and the OpenAPI document.
 */

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
