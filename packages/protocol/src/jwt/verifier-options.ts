/**
 * The public shapes of `createTokenVerifier` (verifier.ts): its two option forms (a shared secret
 * or a key resolver), the header a key resolver sees, and the verifier it returns.
 */
import type { KeyObject } from 'node:crypto';
import type { AccessTokenClaims } from '../auth/contract.js';
import type { AsymmetricAlgorithm } from './keys.js';

/** The algorithms a shared-secret verifier can accept. */
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

/** The protected header as a key resolver sees it: its `alg` (already allow-listed) and `kid`. */
export interface TokenHeader {
  readonly alg: string;
  readonly kid?: string;
}

/**
 * Finds the public key of a token from its header, or undefined when there is none (the token is
 * then refused as `invalid_token`, "unknown signing key"). May be async (a JWKS fetch); an error
 * it throws is passed through unchanged. The key must fit the header's `alg` or the token is
 * refused.
 */
export type KeyResolver = (header: TokenHeader) => KeyObject | undefined | Promise<KeyObject | undefined>;

/** Options both forms of {@link createTokenVerifier} take. */
export interface CommonVerifierOptions {
  /** Accepted `iss` value(s). Default `'auth-server'` ({@link DEFAULT_JWT_ISSUER}). */
  issuer?: string | readonly string[];
  /** The `aud` value that must be present in the token's `aud` (string or array). Default `'authenticated'` ({@link DEFAULT_JWT_AUDIENCE}). */
  audience?: string | readonly string[];
  /** Seconds of clock skew tolerated for `exp` and `nbf`. Default 5. */
  clockToleranceSec?: number;
  /** Maximum accepted token length in characters. Default 8192. */
  maxTokenLength?: number;
  /** Clock in milliseconds since the epoch, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Options of the shared-secret form of {@link createTokenVerifier}. */
export interface SecretVerifierOptions extends CommonVerifierOptions {
  /**
   * The shared secret (auth-server's `JWT_SECRET_KEY`). A string is used as its UTF-8 bytes,
   * as auth-server signs; a Buffer/Uint8Array or a secret `KeyObject` is used as is.
   * At least 32 bytes (RFC 7518 §3.2 for HS256).
   */
  secret: string | Uint8Array | KeyObject;
  keys?: undefined;
  /**
   * Accepted `kid` header value(s). When set, a token must carry one of them in its `kid` header
   * (one without a `kid` is refused too); auth-server verifies its own tokens this way. Default:
   * the `kid` header is not checked.
   */
  keyId?: string | readonly string[];
  /** Allow-list of header `alg` values. Default `['HS256']`. */
  algorithms?: readonly HmacAlgorithm[];
}

/** Options of the public-key form of {@link createTokenVerifier}. */
export interface KeyResolverVerifierOptions extends CommonVerifierOptions {
  /** Finds the public key of each token from its header. */
  keys: KeyResolver;
  secret?: undefined;
  /** Allow-list of header `alg` values. Default `['ES256', 'RS256', 'EdDSA']`. */
  algorithms?: readonly AsymmetricAlgorithm[];
}

/** Options of {@link createTokenVerifier}: a shared secret or a key resolver. */
export type TokenVerifierOptions = SecretVerifierOptions | KeyResolverVerifierOptions;

/** A verifier made by {@link createTokenVerifier}. */
export interface TokenVerifier {
  /** Verifies a token and resolves to its claims; rejects with the verifier's error class (401). */
  verify(token: string): Promise<AccessTokenClaims>;
  /**
   * Same as {@link TokenVerifier.verify}, synchronously: returns the claims or throws. With a key
   * resolver this needs the resolver to answer synchronously; a resolver that returns a Promise
   * makes it throw a `TypeError`.
   */
  verifySync(token: string): AccessTokenClaims;
}
