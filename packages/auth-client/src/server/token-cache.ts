/**
 * The verified-token cache: exact token string → its verified claims, until `exp`. Bounded; when
 * full, the oldest entry is dropped first (insertion order, so an attacker who can only send
 * invalid tokens cannot fill it: only tokens that passed verification are added).
 */
import type { AccessTokenClaims } from '@emotion-app/protocol';

/**
 * A bounded map of verified tokens to their claims.
 *
 * @example
 * ```ts
 * const cache = new VerifiedTokenCache(10_000, Date.now);
 * cache.set(token, claims);
 * cache.get(token); // claims until claims.exp, then undefined
 * ```
 */
export class VerifiedTokenCache {
  readonly #max: number;
  readonly #now: () => number;
  #map = new Map<string, AccessTokenClaims>();

  constructor(maxEntries: number, now: () => number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) {
      throw new TypeError('cacheSize must be a non-negative integer');
    }
    this.#max = maxEntries;
    this.#now = now;
  }

  /** The claims of a token verified before and not yet past its `exp`, else undefined. */
  get(token: string): AccessTokenClaims | undefined {
    const claims = this.#map.get(token);
    if (claims === undefined) return undefined;
    if (this.#now() / 1000 >= claims.exp) {
      // Expired: verify again, which answers token_expired (or accepts within the clock tolerance).
      this.#map.delete(token);
      return undefined;
    }
    return claims;
  }

  /** Remembers a verified token; drops the oldest entry when full. */
  set(token: string, claims: AccessTokenClaims): void {
    if (this.#max === 0) return;
    if (this.#map.size >= this.#max && !this.#map.has(token)) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    this.#map.set(token, claims);
  }

  /** Forgets every entry (after a signing key left the JWKS). */
  clear(): void {
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }
}
