/**
 * Local verification of auth-server access tokens, written directly on `node:crypto` for speed.
 * Two forms share every rule but the signature check:
 * - `{ secret }`: HS256/384/512 with a shared secret (the seed's model), compared in constant time;
 * - `{ keys }`: ES256 / RS256 / EdDSA with public keys found by a resolver from the header's
 *   `kid` and `alg` (auth-server's key ring, auth-client's JWKS).
 *
 * Both check what RFC 8725 asks: an algorithm allow-list (never `none`; HMAC only with a secret,
 * asymmetric only with keys, and a key only with the one algorithm it fits), `exp`/`nbf` with a
 * clock tolerance, `iss`, `aud`; they refuse `crit`, `b64`, and the key-carrying or key-locating
 * headers `jku`, `x5u`, `x5c`, `jwk` (never followed), and check the claims every access token
 * carries (`sub`, `sid`, `email`, `role`). auth-server verifies its own tokens with this same
 * function, so the service and its verifiers cannot disagree. Node-only: the
 * `@emotion-app/protocol/jwt` entry.
 */
import {
  createHmac,
  createSecretKey,
  verify as cryptoVerify,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto';
import type { AccessTokenClaims } from '../auth/contract.js';
import type { ClientProblemInit, ProblemErrorClass } from '../problems/parse-response.js';
import { ProblemError } from '../problems/problem-error.js';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER, MIN_SECRET_BYTES } from '../tokens.js';
import { decodeSignature, isBase64Url, type SignatureShape, signatureShape } from './base64url.js';
import { ASYMMETRIC_ALGORITHMS, type AsymmetricAlgorithm, keyFit } from './keys.js';

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

interface HmacInfo extends SignatureShape {
  /** node:crypto digest name. */
  digest: 'sha256' | 'sha384' | 'sha512';
}

const HMAC_ALGS: Record<HmacAlgorithm, HmacInfo> = {
  HS256: { digest: 'sha256', ...signatureShape(32) },
  HS384: { digest: 'sha384', ...signatureShape(48) },
  HS512: { digest: 'sha512', ...signatureShape(64) },
};

/** Header parameters that carry or locate a key: never followed, tokens with them are refused. */
const KEY_HEADERS = ['jku', 'x5u', 'x5c', 'jwk'] as const;

const MAX_HEADER_CACHE = 64;

function toSecretKey(secret: SecretVerifierOptions['secret']): KeyObject {
  let key: KeyObject;
  if (typeof secret === 'string') key = createSecretKey(Buffer.from(secret, 'utf8'));
  else if (secret instanceof Uint8Array) key = createSecretKey(Buffer.from(secret));
  else key = secret;
  if (key?.type !== 'secret') {
    throw new TypeError('createTokenVerifier: only shared-secret (HMAC) keys are supported with secret');
  }
  const size = key.symmetricKeySize ?? 0;
  if (size < MIN_SECRET_BYTES) {
    throw new TypeError(
      `createTokenVerifier: the secret must be at least ${MIN_SECRET_BYTES} bytes (got ${size})`,
    );
  }
  return key;
}

function asList(value: string | readonly string[], what: string): string[] {
  const list = typeof value === 'string' ? [value] : [...value];
  if (list.length === 0 || list.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError(`createTokenVerifier: ${what} must be a non-empty string or list of strings`);
  }
  return list;
}

/** Builds the allow-list map of algorithm name → info, refusing any name not in `table`. */
function allowList<A extends string, I>(
  algorithms: readonly A[],
  table: Readonly<Record<string, I>>,
  refusal: (alg: string) => string,
): Map<string, I> {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError('createTokenVerifier: algorithms must not be empty');
  }
  const allowed = new Map<string, I>();
  for (const alg of algorithms) {
    const info = Object.hasOwn(table, alg) ? table[alg] : undefined;
    if (info === undefined) throw new TypeError(`createTokenVerifier: ${refusal(alg)}`);
    allowed.set(alg, info);
  }
  return allowed;
}

/** A header already parsed and accepted: its algorithm's info and the header a resolver sees. */
interface ParsedHeader<I> {
  info: I;
  header: TokenHeader;
}

/**
 * Creates a local verifier for auth-server access tokens: no network call per request.
 * Built from `{ secret }` it accepts HS256 (or HS384/HS512 when listed); built from `{ keys }` it
 * accepts ES256, RS256 and EdDSA (or the listed subset), each only with a key of its type: EC P-256
 * with raw r||s signatures, RSA of at least 2048 bits, Ed25519.
 *
 * Throws a `TypeError` at creation for a bad configuration (short secret, both or neither of
 * `secret` and `keys`, `none` or an algorithm of the other family in the allow-list). `verify`
 * rejects with an `ErrorClass` error (default {@link ProblemError}; auth-client passes its
 * `AuthError`) with status 401 and code `token_expired` (past `exp` + tolerance) or
 * `invalid_token` (anything else).
 *
 * @example
 * ```ts
 * import { createTokenVerifier } from '@emotion-app/protocol/jwt';
 *
 * const verifier = createTokenVerifier({ secret: process.env.AUTH_JWT_SECRET! });
 * const claims = await verifier.verify(accessToken); // { sub, sid, email, role, exp, ... }
 *
 * const byKid = new Map<string, KeyObject>(); // kid → public key, e.g. from a JWKS
 * const asymmetric = createTokenVerifier({ keys: ({ kid }) => (kid ? byKid.get(kid) : undefined) });
 * ```
 */
export function createTokenVerifier(
  options: TokenVerifierOptions,
  ErrorClass: ProblemErrorClass<Error> = ProblemError as unknown as ProblemErrorClass<Error>,
): TokenVerifier {
  const fail = (init: Omit<ClientProblemInit, 'status'>) => new ErrorClass({ status: 401, ...init });
  const invalid = (detail: string) => fail({ code: 'invalid_token', title: 'Invalid access token', detail });
  const hasSecret = options?.secret !== undefined;
  const hasKeys = options?.keys !== undefined;
  if (hasSecret === hasKeys) {
    throw new TypeError('createTokenVerifier: give exactly one of secret (HMAC) or keys (public keys)');
  }
  if (hasKeys && typeof options.keys !== 'function') {
    throw new TypeError('createTokenVerifier: keys must be a function (header) => KeyObject | undefined');
  }
  const issuers = asList(options.issuer ?? DEFAULT_JWT_ISSUER, 'issuer');
  const audiences = asList(options.audience ?? DEFAULT_JWT_AUDIENCE, 'audience');
  const toleranceSec = options.clockToleranceSec ?? 5;
  if (!(toleranceSec >= 0)) throw new TypeError('createTokenVerifier: clockToleranceSec must be >= 0');
  const maxLength = options.maxTokenLength ?? 8192;
  const now = options.now ?? Date.now;
  const singleIssuer = issuers.length === 1 ? issuers[0] : undefined;
  const singleAudience = audiences.length === 1 ? audiences[0] : undefined;

  /** Index of the two dots of a compact JWS; throws unless there are exactly three segments. */
  function split(token: string): [number, number] {
    if (typeof token !== 'string' || token.length === 0) throw invalid('missing access token');
    if (token.length > maxLength) throw invalid('token too long');
    const dot1 = token.indexOf('.');
    const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) throw invalid('a JWS must have three segments');
    return [dot1, dot2];
  }

  /** Parses and checks a header segment against the allow-list, caching accepted headers. */
  function headerParser<I>(allowed: Map<string, I>): (segment: string) => ParsedHeader<I> {
    const cache = new Map<string, ParsedHeader<I>>();
    return (segment) => {
      const hit = cache.get(segment);
      if (hit) return hit;
      if (segment.length === 0 || segment.length > 1024 || !isBase64Url(segment)) {
        throw invalid('malformed token header');
      }
      let header: unknown;
      try {
        header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
      } catch {
        throw invalid('malformed token header');
      }
      if (typeof header !== 'object' || header === null || Array.isArray(header)) {
        throw invalid('malformed token header');
      }
      const h = header as Record<string, unknown>;
      const alg = h.alg;
      if (typeof alg !== 'string') throw invalid('token header has no alg');
      const info = allowed.get(alg);
      if (info === undefined) throw invalid(`algorithm ${alg} is not accepted`);
      // RFC 7515 §4.1.11: extensions we do not understand must be rejected.
      if (h.crit !== undefined) throw invalid('unsupported critical header parameters');
      if (h.b64 !== undefined) throw invalid('unsupported header parameter b64');
      // RFC 8725 §3.10: keys are never taken from or located by the token itself.
      for (const name of KEY_HEADERS) {
        if (h[name] !== undefined) throw invalid(`header parameter ${name} is not accepted`);
      }
      // A non-string kid names no key: the resolver (or keyId) sees none.
      const parsed: ParsedHeader<I> = {
        info,
        header: Object.freeze(typeof h.kid === 'string' ? { alg, kid: h.kid } : { alg }),
      };
      if (cache.size >= MAX_HEADER_CACHE) cache.clear();
      cache.set(segment, parsed);
      return parsed;
    };
  }

  function checkClaims(claims: Record<string, unknown>): void {
    const nowSec = now() / 1000;
    const exp = claims.exp;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid('token has no valid exp claim');
    if (nowSec - toleranceSec >= exp) {
      throw fail({
        code: 'token_expired',
        title: 'Access token expired',
        detail: 'the access token has expired; refresh it',
      });
    }
    const nbf = claims.nbf;
    if (nbf !== undefined) {
      if (typeof nbf !== 'number' || !Number.isFinite(nbf)) throw invalid('token has an invalid nbf claim');
      if (nowSec + toleranceSec < nbf) throw invalid('token is not yet valid');
    }
    const iat = claims.iat;
    if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) {
      throw invalid('token has an invalid iat claim');
    }
    const iss = claims.iss;
    if (
      typeof iss !== 'string' ||
      (singleIssuer !== undefined ? iss !== singleIssuer : !issuers.includes(iss))
    ) {
      throw invalid('unexpected token issuer');
    }
    const aud = claims.aud;
    if (typeof aud === 'string') {
      if (singleAudience !== undefined ? aud !== singleAudience : !audiences.includes(aud)) {
        throw invalid('unexpected token audience');
      }
    } else if (Array.isArray(aud)) {
      if (!aud.some((a) => typeof a === 'string' && audiences.includes(a))) {
        throw invalid('unexpected token audience');
      }
    } else {
      throw invalid('token has no aud claim');
    }
    const sub = claims.sub;
    if (typeof sub !== 'string' || sub === '') throw invalid('token has no sub claim');
    if (typeof claims.sid !== 'string' || claims.sid === '') throw invalid('token has no sid claim');
    if (typeof claims.email !== 'string') throw invalid('token has no email claim');
    if (claims.role !== 'user' && claims.role !== 'admin') throw invalid('token has no valid role claim');
  }

  /** Decodes and checks the payload of a token whose signature has been verified. */
  function claimsOf(token: string, dot1: number, dot2: number): AccessTokenClaims {
    // The payload is authentic from here on; decoding cannot be steered by an attacker.
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(token.slice(dot1 + 1, dot2), 'base64url').toString('utf8'));
    } catch {
      throw invalid('malformed token payload');
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      throw invalid('malformed token payload');
    }
    checkClaims(claims as Record<string, unknown>);
    return claims as AccessTokenClaims;
  }

  function asyncFrom(verifySync: (token: string) => AccessTokenClaims): TokenVerifier['verify'] {
    return (token) => {
      try {
        return Promise.resolve(verifySync(token));
      } catch (err) {
        return Promise.reject(err);
      }
    };
  }

  if (hasSecret) {
    const opts = options as SecretVerifierOptions;
    const key = toSecretKey(opts.secret);
    const allowed = allowList(
      opts.algorithms ?? ['HS256'],
      HMAC_ALGS,
      (alg) =>
        `algorithm ${JSON.stringify(alg)} is not allowed with a shared secret (use HS256, HS384 or HS512)`,
    );
    const keyIds = opts.keyId === undefined ? undefined : asList(opts.keyId, 'keyId');
    const parseHeader = headerParser(allowed);
    /** Scratch buffers the received signature is decoded into, one per signature size. */
    const scratch = new Map<number, Buffer>();
    for (const info of allowed.values()) scratch.set(info.bytes, Buffer.alloc(info.bytes));

    const verifySync = (token: string): AccessTokenClaims => {
      const [dot1, dot2] = split(token);
      const { info, header } = parseHeader(token.slice(0, dot1));
      if (keyIds && !(header.kid !== undefined && keyIds.includes(header.kid))) {
        throw invalid('unknown signing key');
      }
      const received = scratch.get(info.bytes) as Buffer;
      if (!decodeSignature(token.slice(dot2 + 1), info, received))
        throw invalid('signature verification failed');
      const expected = createHmac(info.digest, key).update(token.slice(0, dot2)).digest();
      if (!timingSafeEqual(expected, received)) throw invalid('signature verification failed');
      return claimsOf(token, dot1, dot2);
    };
    return { verifySync, verify: asyncFrom(verifySync) };
  }

  const opts = options as KeyResolverVerifierOptions;
  const resolve = opts.keys;
  const allowed = allowList(
    opts.algorithms ?? ASYMMETRIC_ALGORITHMS,
    { ES256: 'ES256', RS256: 'RS256', EdDSA: 'EdDSA' } as Record<string, AsymmetricAlgorithm>,
    (alg) => `algorithm ${JSON.stringify(alg)} is not allowed with public keys (use ES256, RS256 or EdDSA)`,
  );
  const parseHeader = headerParser(allowed);

  /** Verifies the signature with the resolved key and returns the claims. */
  function finish(token: string, dot1: number, dot2: number, alg: string, key: KeyObject | undefined) {
    if (key === undefined || key === null) throw invalid('unknown signing key');
    const fit = typeof key === 'object' ? keyFit(key) : null;
    if (fit === null || fit.alg !== alg) throw invalid(`the signing key does not fit algorithm ${alg}`);
    const received = Buffer.allocUnsafe(fit.shape.bytes);
    if (!decodeSignature(token.slice(dot2 + 1), fit.shape, received)) {
      throw invalid('signature verification failed');
    }
    const input = Buffer.from(token.slice(0, dot2), 'utf8');
    const ok = cryptoVerify(
      fit.digest,
      input,
      fit.dsaEncoding ? { key, dsaEncoding: fit.dsaEncoding } : key,
      received,
    );
    if (!ok) throw invalid('signature verification failed');
    return claimsOf(token, dot1, dot2);
  }

  return {
    verifySync(token) {
      const [dot1, dot2] = split(token);
      const { header } = parseHeader(token.slice(0, dot1));
      const key = resolve(header);
      if (typeof (key as { then?: unknown } | undefined)?.then === 'function') {
        (key as Promise<unknown>).then(undefined, () => {});
        throw new TypeError(
          'createTokenVerifier: verifySync needs a key resolver that answers synchronously (it returned a Promise); use verify',
        );
      }
      return finish(token, dot1, dot2, header.alg, key as KeyObject | undefined);
    },
    async verify(token) {
      const [dot1, dot2] = split(token);
      const { header } = parseHeader(token.slice(0, dot1));
      const key = await resolve(header);
      return finish(token, dot1, dot2, header.alg, key);
    },
  };
}
