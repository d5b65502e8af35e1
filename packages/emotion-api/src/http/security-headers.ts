/**
 * The Content-Security-Policy of every response: the built web app (React + Mantine, served
 * under `/`) and `/docs` (swagger-ui) load scripts, styles and images only from this origin. No
 * inline or eval script. Styles allow 'unsafe-inline' because Mantine injects `<style>` elements
 * (its CSS variables) at run time; images allow `blob:` (uploads and webcam captures shown
 * before and after detection, stored images fetched with credentials) and `data:` (swagger-ui's
 * icons). The webcam stream is a `srcObject`, which no directive governs.
 * `upgrade-insecure-requests` only in production, which is HTTPS (a LAN address over plain HTTP
 * in development would otherwise lose every request).
 */
export function contentSecurityPolicy(production: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'blob:', 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    ...(production ? { 'upgrade-insecure-requests': [] } : {}),
  };
}
