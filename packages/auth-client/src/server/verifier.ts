/**
 * The local verifier of auth-server access tokens: protocol's verification core
 * (`@emotion-app/protocol/jwt`), throwing the SDK's {@link AuthError}, in two forms: a shared
 * secret (HS256, the seed's model, synchronous) or auth-server's JWKS (ES256 / RS256 / EdDSA,
 * asynchronous, with a verified-token cache). Both can honour a revocation feed.
 */
import type { AccessTokenClaims } from '@emotion-app/protocol';
import {
  type CommonVerifierOptions,
  createTokenVerifier as createVerifier,
  type SecretVerifierOptions,
} from '@emotion-app/protocol/jwt';
import { AuthError } from '../errors.js';
import { type AsymmetricAlgorithm, createJwksKeySource, type JwksKeySource } from './jwks.js';
import type { RevocationChecker } from './revocation-feed.types.js';
import { VerifiedTokenCache } from './token-cache.js';

export type { HmacAlgorithm } from '@emotion-app/protocol/jwt';

/** Options both forms take on top of protocol's verifier options. */
interface VerifierExtras {
  /**
   * A revocation feed ({@link createRevocationFeed}) or your own checker: `verify` then rejects
   * a revoked token with 401 `session_revoked`, and (with the checker's `maxTokenAgeSec`) refuses
   * tokens without `iat` or living longer than that.
   */
  revocations?: RevocationChecker;
  /**
   * Entries of the verified-token cache (exact token → claims until `exp`, oldest dropped first).
   * Default 10,000 with a JWKS (it skips the public-key operation), 0 with a secret (an HMAC
   * costs about what a lookup does). 0 disables it.
   */
  cacheSize?: number;
}

/** Options of the shared-secret form (HS256/384/512; the seed's model). */
export interface SecretTokenVerifierOptions extends SecretVerifierOptions, VerifierExtras {
  jwksUrl?: undefined;
}

/** Options of the JWKS form (ES256 / RS256 / EdDSA; auth-server's default). */
export interface JwksTokenVerifierOptions extends CommonVerifierOptions, VerifierExtras {
  /** auth-server's JWKS, e.g. `http://localhost:8000/.well-known/jwks.json`. */
  jwksUrl: string | URL;
  secret?: undefined;
  /** Allow-list of header `alg` values. Default `['ES256', 'RS256', 'EdDSA']`; HMAC ones are refused. */
  algorithms?: readonly AsymmetricAlgorithm[];
  /** The fetch used for the JWKS. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

/** Options of {@link createTokenVerifier}: a secret or a JWKS URL. */
export type TokenVerifierOptions = SecretTokenVerifierOptions | JwksTokenVerifierOptions;

/** A verifier that can verify synchronously (the shared-secret form). */
export interface TokenVerifier {
  /** Verifies a token and resolves to its claims; rejects with an {@link AuthError} (401). */
  verify(token: string): Promise<AccessTokenClaims>;
  /** Same as {@link TokenVerifier.verify}, synchronously: returns the claims or throws. */
  verifySync(token: string): AccessTokenClaims;
}

/** The JWKS form: asynchronous only (a lookup may have to fetch the JWKS). */
export interface JwksTokenVerifier {
  /** Verifies a token and resolves to its claims; rejects with an {@link AuthError} (401). */
  verify(token: string): Promise<AccessTokenClaims>;
  verifySync?: undefined;
  /** Its key source: `await verifier.jwks.refresh()` at start fails fast when auth-server is unreachable. */
  readonly jwks: JwksKeySource;
}

/** Either form; what `requireAuth` and `authenticate` accept. */
export type AnyTokenVerifier = TokenVerifier | JwksTokenVerifier;

const DEFAULT_JWKS_CACHE_SIZE = 10_000;

function revokedError(): AuthError {
  return new AuthError({
    status: 401,
    code: 'session_revoked',
    title: 'Session revoked',
    detail: 'the session of this access token was revoked (signed out, password changed or account closed)',
  });
}

function invalidError(detail: string): AuthError {
  return new AuthError({ status: 401, code: 'invalid_token', title: 'Invalid access token', detail });
}

/** The checks `revocations` adds: lifetime bound (on first verification) and revocation (every call). */
function revocationChecks(revocations: RevocationChecker | undefined) {
  const maxAge = revocations?.maxTokenAgeSec;
  return {
    lifetime(claims: AccessTokenClaims): void {
      if (maxAge === undefined) return;
      if (typeof claims.iat !== 'number') throw invalidError('token has no iat claim');
      if (claims.exp - claims.iat > maxAge) {
        throw invalidError(`token lifetime exceeds ${maxAge} s, longer than revocations are kept`);
      }
    },
    revoked(claims: AccessTokenClaims): void {
      if (revocations?.isRevoked(claims)) throw revokedError();
    },
  };
}

function freeze(claims: AccessTokenClaims): AccessTokenClaims {
  if (Array.isArray(claims.aud)) Object.freeze(claims.aud);
  return Object.freeze(claims);
}

/**
 * Creates a local verifier for auth-server access tokens: no network call per request (the JWKS
 * form fetches the JWKS now and then). Throws a `TypeError` at creation for a bad configuration
 * (short secret, both or neither of `secret` and `jwksUrl`, `none`, an asymmetric algorithm with
 * a secret or an HMAC one with a JWKS). `verify` rejects with an {@link AuthError} with status 401
 * and code `token_expired` (past `exp` + 5 s of tolerance), `session_revoked` (with
 * `revocations`) or `invalid_token` (anything else, including tokens whose header carries `jku`,
 * `x5u`, `x5c` or `jwk`: keys are only ever taken from the configured secret or JWKS).
 *
 * With a JWKS: keys are cached for the JWKS answer's `max-age` (default 300 s), an unknown `kid`
 * refetches at most once per 30 s, concurrent lookups share one fetch, a failed fetch keeps the
 * last good keys. Verified tokens are cached (exact string → claims until `exp`, 10,000 entries)
 * so a repeated token costs no public-key operation; revocation is checked on every call.
 *
 * @example
 * ```ts
 * import { createRevocationFeed, createTokenVerifier } from '@emotion-app/auth-client/server';
 *
 * // auth-server's default: public keys from its JWKS
 * const verifier = createTokenVerifier({ jwksUrl: 'http://localhost:8000/.well-known/jwks.json' });
 * const claims = await verifier.verify(accessToken); // { sub, sid, email, role, exp, ... }
 *
 * // the seed's shared secret (HS256), also synchronous
 * const hs = createTokenVerifier({ secret: process.env.AUTH_JWT_SECRET! });
 * hs.verifySync(accessToken);
 *
 * // with revocations: 401 session_revoked within seconds of a logout
 * const revocations = createRevocationFeed({ url: 'http://localhost:8000', serviceKey });
 * const strict = createTokenVerifier({ jwksUrl, revocations });
 * ```
 */
export function createTokenVerifier(options: SecretTokenVerifierOptions): TokenVerifier;
export function createTokenVerifier(options: JwksTokenVerifierOptions): JwksTokenVerifier;
export function createTokenVerifier(options: TokenVerifierOptions): AnyTokenVerifier;
export function createTokenVerifier(options: TokenVerifierOptions): AnyTokenVerifier {
  if (options?.jwksUrl !== undefined) {
    if (options.secret !== undefined) {
      throw new TypeError(
        'createTokenVerifier: give either secret (HMAC) or jwksUrl (public keys), not both',
      );
    }
    return jwksVerifier(options);
  }
  const { revocations, cacheSize = 0, ...rest } = options as SecretTokenVerifierOptions;
  const inner = createVerifier(rest as SecretVerifierOptions, AuthError);
  const checks = revocationChecks(revocations);
  if (revocations === undefined && cacheSize === 0) return inner;
  const cache = new VerifiedTokenCache(cacheSize, rest.now ?? Date.now);
  const verifySync = (token: string): AccessTokenClaims => {
    let claims = cache.get(token);
    if (claims === undefined) {
      claims = inner.verifySync(token);
      checks.lifetime(claims);
      claims = freeze(claims);
      cache.set(token, claims);
    }
    checks.revoked(claims);
    return claims;
  };
  return {
    verifySync,
    verify(token) {
      try {
        return Promise.resolve(verifySync(token));
      } catch (err) {
        return Promise.reject(err);
      }
    },
  };
}

function jwksVerifier(options: JwksTokenVerifierOptions): JwksTokenVerifier {
  const { jwksUrl, revocations, cacheSize = DEFAULT_JWKS_CACHE_SIZE, fetch, algorithms, ...common } = options;
  for (const alg of algorithms ?? []) {
    if (alg !== 'ES256' && alg !== 'RS256' && alg !== 'EdDSA') {
      throw new TypeError(
        `createTokenVerifier: algorithm ${JSON.stringify(alg)} is not allowed with a JWKS (use ES256, RS256 or EdDSA)`,
      );
    }
  }
  const now = common.now ?? Date.now;
  const jwks = createJwksKeySource({ url: jwksUrl, now, ...(fetch ? { fetch } : {}) });
  const inner = createVerifier(
    { ...common, ...(algorithms ? { algorithms } : {}), keys: (header) => jwks.resolve(header) },
    AuthError,
  );
  const checks = revocationChecks(revocations);
  const cache = new VerifiedTokenCache(cacheSize, now);
  let generation = jwks.generation;

  return {
    jwks,
    async verify(token) {
      if (jwks.generation !== generation) {
        // A key left the JWKS: tokens it signed must not keep verifying from the cache.
        generation = jwks.generation;
        cache.clear();
      }
      let claims = cache.get(token);
      if (claims === undefined) {
        claims = await inner.verify(token);
        checks.lifetime(claims);
        claims = freeze(claims);
        if (jwks.generation === generation) cache.set(token, claims);
      }
      checks.revoked(claims);
      return claims;
    },
  };
}
