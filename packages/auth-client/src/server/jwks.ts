/**
 * The JWKS key source of the asymmetric verifier: fetches auth-server's
 * `/.well-known/jwks.json`, keeps its public keys for the answer's `max-age`, refetches on an
 * unknown `kid` at most once per cooldown, shares one in-flight fetch between concurrent callers,
 * and keeps the last good keys when a fetch fails.
 */
import type { KeyObject } from 'node:crypto';
import {
  ASYMMETRIC_ALGORITHMS,
  type AsymmetricAlgorithm,
  keyAlgorithm,
  publicKeyFromJwk,
} from '@emotion-app/protocol/jwt';

export { ASYMMETRIC_ALGORITHMS, type AsymmetricAlgorithm };

/** Options of {@link createJwksKeySource}. */
export interface JwksKeySourceOptions {
  /** The JWKS URL, e.g. `http://auth-server:8000/.well-known/jwks.json`. */
  url: string | URL;
  /** The fetch implementation. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Keys are kept this long when the answer has no `max-age`. Default 300 s. */
  defaultMaxAgeSec?: number;
  /** An unknown `kid` refetches the JWKS at most once per this many seconds. Default 30. */
  unknownKidCooldownSec?: number;
  /** Timeout of one JWKS fetch. Default 5000 ms. */
  timeoutMs?: number;
}

/** A public key taken from the JWKS. */
export interface JwksKey {
  kid: string;
  alg: AsymmetricAlgorithm;
  key: KeyObject;
}

/** What {@link createJwksKeySource} returns. */
export interface JwksKeySource {
  /**
   * The key for a token header: the key whose `kid` is the header's and whose algorithm is the
   * header's `alg`, or `undefined` (unknown kid after the allowed refetch, no kid, alg mismatch,
   * or no JWKS could ever be fetched). Synchronous when the keys are fresh and hold the kid.
   */
  resolve(header: { kid?: string; alg: string }): KeyObject | undefined | Promise<KeyObject | undefined>;
  /** Fetches the JWKS now (shared with a fetch in flight); rejects when that fetch fails. */
  refresh(): Promise<void>;
  /** The keys held now (after the last good fetch). */
  keys(): readonly JwksKey[];
  /** How many fetches were started (diagnostics and tests). */
  readonly fetches: number;
  /** Incremented whenever a fetch removed a key that was held, so caches keyed on it can drop entries. */
  readonly generation: number;
}

/** Bounds applied to the answer's `max-age`, so a misconfigured `max-age=0` cannot turn every request into a fetch. */
const MIN_MAX_AGE_SEC = 10;
const MAX_MAX_AGE_SEC = 86_400;
/** After a failed fetch, the next attempt waits this long (the last good keys are used meanwhile). */
const RETRY_AFTER_FAILURE_SEC = 5;
const MAX_JWKS_BYTES = 256 * 1024;

/**
 * Turns a JWKS document into verification keys. Skips (never throws on) keys that are not
 * usable public signature keys: private (`d`, `p`, ...) or symmetric (`k`) members, `use`
 * other than `sig`, `key_ops` without `verify`, no or a duplicate `kid`, a key that fits none of
 * ES256 (EC P-256), RS256 (RSA of at least 2048 bits) and EdDSA (Ed25519), an `alg` member
 * naming another algorithm, or material Node cannot import.
 *
 * @example
 * ```ts
 * const keys = parseJwks(await (await fetch(jwksUrl)).json());
 * keys.map((k) => `${k.kid} ${k.alg}`);
 * ```
 */
export function parseJwks(document: unknown): JwksKey[] {
  const list = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new TypeError('JWKS: no keys array');
  const out: JwksKey[] = [];
  const seen = new Set<string>();
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    const jwk = entry as Record<string, unknown>;
    if (jwk.d !== undefined || jwk.k !== undefined) continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify')))
      continue;
    if (typeof jwk.kid !== 'string' || jwk.kid === '' || seen.has(jwk.kid)) continue;
    let key: KeyObject;
    try {
      key = publicKeyFromJwk(jwk); // refuses private and symmetric members too
    } catch {
      continue;
    }
    const alg = keyAlgorithm(key); // EC P-256, RSA >= 2048 bits or Ed25519, else undefined
    if (alg === undefined || (jwk.alg !== undefined && jwk.alg !== alg)) continue;
    seen.add(jwk.kid);
    out.push({ kid: jwk.kid, alg, key });
  }
  return out;
}

/** `max-age` of a Cache-Control header, clamped, or undefined when absent. */
function maxAgeOf(cacheControl: string | null): number | undefined {
  if (!cacheControl) return undefined;
  if (/(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$)/i.test(cacheControl)) return MIN_MAX_AGE_SEC;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?\s*(?:,|$)/i.exec(cacheControl);
  if (!match) return undefined;
  return Math.min(MAX_MAX_AGE_SEC, Math.max(MIN_MAX_AGE_SEC, Number(match[1])));
}

/**
 * Creates a JWKS key source (the asymmetric `createTokenVerifier` makes one from `jwksUrl`; use
 * this directly to share one source between verifiers or to pre-warm it at start).
 *
 * Caching: keys are kept for the answer's `max-age` (clamped to 10 s – 24 h; default 300 s when
 * absent), then the next lookup refetches. A `kid` not held triggers a refetch at most once per
 * `unknownKidCooldownSec` (30 s), so tokens with made-up kids cannot make the verifier hammer
 * auth-server. Concurrent lookups share one fetch. A failed fetch (network, non-2xx, bad JSON)
 * keeps the last good keys and is retried after 5 s at the earliest.
 *
 * @example
 * ```ts
 * const jwks = createJwksKeySource({ url: 'http://localhost:8000/.well-known/jwks.json' });
 * await jwks.refresh(); // optional: fail fast at start
 * const key = await jwks.resolve({ kid: header.kid, alg: header.alg }); // KeyObject | undefined
 * ```
 */
export function createJwksKeySource(options: JwksKeySourceOptions): JwksKeySource {
  const url = String(options.url);
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const defaultMaxAgeMs = (options.defaultMaxAgeSec ?? 300) * 1000;
  const cooldownMs = (options.unknownKidCooldownSec ?? 30) * 1000;
  const timeoutMs = options.timeoutMs ?? 5000;

  let byKid = new Map<string, JwksKey>();
  let loaded = false;
  /** When the held keys must be refetched before use. */
  let expiresAt = 0;
  /** When the last refetch for an unknown kid started (the cooldown counts from it). */
  let lastUnknownKidFetchAt = Number.NEGATIVE_INFINITY;
  /** No new attempt before this, after a failure. */
  let retryNotBefore = 0;
  let inflight: Promise<void> | undefined;
  let fetches = 0;
  let generation = 0;

  async function get(): Promise<Response> {
    const init: RequestInit = {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    };
    try {
      return await doFetch(url, init);
    } catch (err) {
      // A network error (not an HTTP status): often a kept-alive socket the server had already
      // closed (ECONNRESET). One immediate retry, on a fresh connection.
      if (init.signal?.aborted) throw err;
      return await doFetch(url, init);
    }
  }

  async function load(): Promise<void> {
    const res = await get();
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new Error(`JWKS fetch answered ${res.status}`);
    }
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_JWKS_BYTES) throw new Error('JWKS too large');
    const text = await res.text();
    if (text.length > MAX_JWKS_BYTES) throw new Error('JWKS too large');
    const keys = parseJwks(JSON.parse(text));
    const next = new Map(keys.map((k) => [k.kid, k]));
    for (const kid of byKid.keys()) {
      if (!next.has(kid)) {
        generation++;
        break;
      }
    }
    byKid = next;
    loaded = true;
    const maxAgeSec = maxAgeOf(res.headers.get('cache-control'));
    expiresAt = now() + (maxAgeSec === undefined ? defaultMaxAgeMs : maxAgeSec * 1000);
  }

  function refresh(): Promise<void> {
    if (inflight) return inflight;
    fetches++;
    inflight = load()
      .catch((err: unknown) => {
        retryNotBefore = now() + RETRY_AFTER_FAILURE_SEC * 1000;
        throw err;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  /** Refreshes, swallowing the error (the last good keys stay). */
  async function tryRefresh(): Promise<void> {
    try {
      await refresh();
    } catch {
      // keep the last good keys
    }
  }

  function match(header: { kid?: string; alg: string }): KeyObject | undefined {
    if (header.kid === undefined) return undefined;
    const entry = byKid.get(header.kid);
    return entry !== undefined && entry.alg === header.alg ? entry.key : undefined;
  }

  async function resolveSlow(header: { kid: string; alg: string }): Promise<KeyObject | undefined> {
    const t = now();
    if (inflight) await inflight.catch(() => {});
    else if ((!loaded || t >= expiresAt) && t >= retryNotBefore) await tryRefresh();
    if (byKid.has(header.kid)) return match(header);
    // Unknown kid: maybe a key published since the last fetch (a rotation).
    if (now() - lastUnknownKidFetchAt >= cooldownMs && now() >= retryNotBefore) {
      lastUnknownKidFetchAt = now();
      await tryRefresh();
      return match(header);
    }
    return undefined;
  }

  function resolve(header: {
    kid?: string;
    alg: string;
  }): KeyObject | undefined | Promise<KeyObject | undefined> {
    const kid = header.kid;
    if (typeof kid !== 'string' || kid === '') return undefined;
    // Fast path, synchronous: fresh keys that include this kid.
    if (inflight === undefined && now() < expiresAt && byKid.has(kid)) return match(header);
    return resolveSlow({ kid, alg: header.alg });
  }

  return {
    resolve,
    refresh,
    keys: () => [...byKid.values()],
    get fetches() {
      return fetches;
    },
    get generation() {
      return generation;
    },
  };
}
