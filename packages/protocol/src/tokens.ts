/**
 * Access-token constants and the parsing rules every service applies to them. Browser-safe.
 */

/** The `iss` of access tokens unless `JWT_ISSUER` / `AUTH_JWT_ISSUER` says otherwise. */
export const DEFAULT_JWT_ISSUER = 'auth-server';
/** The `aud` of access tokens unless `JWT_AUDIENCE` / `AUTH_JWT_AUDIENCE` says otherwise. */
export const DEFAULT_JWT_AUDIENCE = 'authenticated';
/** The shortest accepted shared secret or service key, in bytes (RFC 7518 §3.2 for HS256). */
export const MIN_SECRET_BYTES = 32;

/**
 * Whether a secret (its UTF-8 bytes) is long enough for HS256 and for a service key.
 *
 * @example
 * ```ts
 * if (!isLongEnoughSecret(value)) problems.push('JWT_SECRET_KEY must be at least 32 bytes');
 * ```
 */
export function isLongEnoughSecret(secret: string | Uint8Array): boolean {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret).length : secret.length;
  return bytes >= MIN_SECRET_BYTES;
}

/** RFC 6750 §2.1: `Bearer` (any case), one or more spaces, then a b64token. */
const BEARER_B64TOKEN = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
/** The same shape with any run of non-space characters as the credential. */
const BEARER_OPAQUE = /^bearer\s+(\S+)\s*$/i;

/**
 * The credential of an `Authorization: Bearer <token>` header, or `undefined` when the header is
 * absent, empty, of another scheme or malformed. By default the token must be an RFC 6750
 * b64token (every access token is); with `opaque: true` any non-space characters are accepted,
 * for secrets an operator chooses (a service key).
 *
 * @example
 * ```ts
 * parseBearer('Bearer eyJ...'); // 'eyJ...'
 * parseBearer('Basic eHl6'); // undefined
 * parseBearer('Bearer s3cret!', { opaque: true }); // 's3cret!'
 * ```
 */
export function parseBearer(
  authorization: string | undefined,
  options: { opaque?: boolean } = {},
): string | undefined {
  if (authorization === undefined) return undefined;
  return (options.opaque ? BEARER_OPAQUE : BEARER_B64TOKEN).exec(authorization)?.[1];
}
