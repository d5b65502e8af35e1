/**
 * Local verification of auth-server access tokens (HS256/384/512 JWTs), written directly on
 * `node:crypto` for speed. Checks what RFC 8725 asks: an algorithm allow-list (never `none`, and
 * only HMAC algorithms since the key is a shared secret), the signature in constant time,
 * `exp`/`nbf` with a clock tolerance, `iss`, `aud`, optionally the `kid` header, refuses `crit`,
 * and checks the claims every access token carries (`sub`, `sid`, `email`, `role`). auth-server
 * verifies its own tokens with this same function, so the service and its verifiers cannot
 * disagree. Node-only: the `@emotion-app/protocol/jwt` entry.
 */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { AccessTokenClaims } from '../auth/contract.js';
import type { ClientProblemInit, ProblemErrorClass } from '../problems/parse-response.js';
import { ProblemError } from '../problems/problem-error.js';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER, MIN_SECRET_BYTES } from '../tokens.js';

/** The algorithms a shared-secret verifier can accept. */
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /**
   * The shared secret (auth-server's `JWT_SECRET_KEY`). A string is used as its UTF-8 bytes,
   * as auth-server signs; a Buffer/Uint8Array or a secret `KeyObject` is used as is.
   * At least 32 bytes (RFC 7518 §3.2 for HS256).
   */
  secret: string | Uint8Array | KeyObject;
  /** Accepted `iss` value(s). Default `'auth-server'` ({@link DEFAULT_JWT_ISSUER}). */
  issuer?: string | readonly string[];
  /** The `aud` value that must be present in the token's `aud` (string or array). Default `'authenticated'` ({@link DEFAULT_JWT_AUDIENCE}). */
  audience?: string | readonly string[];
  /**
   * Accepted `kid` header value(s). When set, a token must carry one of them in its `kid` header
   * (one without a `kid` is refused too); auth-server verifies its own tokens this way. Default:
   * the `kid` header is not checked.
   */
  keyId?: string | readonly string[];
  /** Allow-list of header `alg` values. Default `['HS256']`. */
  algorithms?: readonly HmacAlgorithm[];
  /** Seconds of clock skew tolerated for `exp` and `nbf`. Default 5. */
  clockToleranceSec?: number;
  /** Maximum accepted token length in characters. Default 8192. */
  maxTokenLength?: number;
  /** Clock in milliseconds since the epoch, for tests. Default `Date.now`. */
  now?: () => number;
}

/** A verifier made by {@link createTokenVerifier}. */
export interface TokenVerifier {
  /** Verifies a token and resolves to its claims; rejects with the verifier's error class (401). */
  verify(token: string): Promise<AccessTokenClaims>;
  /** Same as {@link TokenVerifier.verify}, synchronously: returns the claims or throws. */
  verifySync(token: string): AccessTokenClaims;
}

interface AlgInfo {
  /** node:crypto digest name. */
  digest: 'sha256' | 'sha384' | 'sha512';
  /** Signature length in bytes. */
  bytes: number;
  /** Length of the unpadded base64url signature. */
  chars: number;
  /** Bits of the last base64url character that must be zero (canonical encoding). */
  lastCharMask: number;
}

const ALGS: Record<HmacAlgorithm, AlgInfo> = {
  HS256: { digest: 'sha256', bytes: 32, chars: 43, lastCharMask: 0b11 },
  HS384: { digest: 'sha384', bytes: 48, chars: 64, lastCharMask: 0 },
  HS512: { digest: 'sha512', bytes: 64, chars: 86, lastCharMask: 0b1111 },
};

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** base64url character code → 6-bit value, or -1. */
const B64URL_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_VALUE[B64URL.charCodeAt(i)] = i;

const MAX_HEADER_CACHE = 64;

/** True when every character of `s` is in the base64url alphabet (no padding). */
function isBase64Url(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || (B64URL_VALUE[c] as number) < 0) return false;
  }
  return true;
}

function toKey(secret: TokenVerifierOptions['secret']): KeyObject {
  let key: KeyObject;
  if (typeof secret === 'string') key = createSecretKey(Buffer.from(secret, 'utf8'));
  else if (secret instanceof Uint8Array) key = createSecretKey(Buffer.from(secret));
  else key = secret;
  if (key.type !== 'secret') {
    throw new TypeError('createTokenVerifier: only shared-secret (HMAC) keys are supported');
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

/**
 * Creates a local verifier for auth-server access tokens: no network call per request.
 * Throws a `TypeError` at creation for a bad configuration (short secret, `none` or a non-HMAC
 * algorithm in the allow-list). `verify` rejects with an `ErrorClass` error (default
 * {@link ProblemError}; auth-client passes its `AuthError`) with status 401 and code
 * `token_expired` (past `exp` + tolerance) or `invalid_token` (anything else).
 *
 * @example
 * ```ts
 * import { createTokenVerifier } from '@emotion-app/protocol/jwt';
 *
 * const verifier = createTokenVerifier({ secret: process.env.AUTH_JWT_SECRET! });
 * const claims = await verifier.verify(accessToken); // { sub, sid, email, role, exp, ... }
 * ```
 */
export function createTokenVerifier(
  options: TokenVerifierOptions,
  ErrorClass: ProblemErrorClass<Error> = ProblemError as unknown as ProblemErrorClass<Error>,
): TokenVerifier {
  const fail = (init: Omit<ClientProblemInit, 'status'>) => new ErrorClass({ status: 401, ...init });
  const invalid = (detail: string) => fail({ code: 'invalid_token', title: 'Invalid access token', detail });
  const key = toKey(options.secret);
  const issuers = asList(options.issuer ?? DEFAULT_JWT_ISSUER, 'issuer');
  const audiences = asList(options.audience ?? DEFAULT_JWT_AUDIENCE, 'audience');
  const algorithms = options.algorithms ?? ['HS256'];
  if (algorithms.length === 0) throw new TypeError('createTokenVerifier: algorithms must not be empty');
  const allowed = new Map<string, AlgInfo>();
  for (const alg of algorithms) {
    const info = Object.hasOwn(ALGS, alg) ? ALGS[alg] : undefined;
    if (!info) {
      throw new TypeError(
        `createTokenVerifier: algorithm ${JSON.stringify(alg)} is not allowed with a shared secret (use HS256, HS384 or HS512)`,
      );
    }
    allowed.set(alg, info);
  }
  const keyIds = options.keyId === undefined ? undefined : asList(options.keyId, 'keyId');
  const toleranceSec = options.clockToleranceSec ?? 5;
  if (!(toleranceSec >= 0)) throw new TypeError('createTokenVerifier: clockToleranceSec must be >= 0');
  const maxLength = options.maxTokenLength ?? 8192;
  const now = options.now ?? Date.now;
  const singleIssuer = issuers.length === 1 ? issuers[0] : undefined;
  const singleAudience = audiences.length === 1 ? audiences[0] : undefined;

  /** Header segment → its algorithm, for headers already seen and accepted. */
  const headerCache = new Map<string, AlgInfo>();
  /** Scratch buffers the received signature is decoded into, one per signature size. */
  const scratch = new Map<number, Buffer>();
  for (const info of allowed.values()) scratch.set(info.bytes, Buffer.alloc(info.bytes));

  function parseHeader(segment: string): AlgInfo {
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
    if (!info) throw invalid(`algorithm ${alg} is not accepted`);
    // RFC 7515 §4.1.11: extensions we do not understand must be rejected.
    if (h.crit !== undefined) throw invalid('unsupported critical header parameters');
    if (h.b64 !== undefined) throw invalid('unsupported header parameter b64');
    if (keyIds && !(typeof h.kid === 'string' && keyIds.includes(h.kid)))
      throw invalid('unknown signing key');
    if (headerCache.size >= MAX_HEADER_CACHE) headerCache.clear();
    headerCache.set(segment, info);
    return info;
  }

  function checkSignature(token: string, dot2: number, info: AlgInfo): void {
    const sig = token.slice(dot2 + 1);
    if (sig.length !== info.chars) throw invalid('signature verification failed');
    const lastValue = B64URL_VALUE[sig.charCodeAt(sig.length - 1)] ?? -1;
    if (lastValue < 0 || (lastValue & info.lastCharMask) !== 0)
      throw invalid('signature verification failed');
    // Node's decoder skips characters outside the alphabet, so a full-length result also proves
    // every character was valid; '+' and '/' (plain base64) are refused explicitly.
    const received = scratch.get(info.bytes) as Buffer;
    if (received.write(sig, 'base64url') !== info.bytes || sig.includes('+') || sig.includes('/')) {
      throw invalid('signature verification failed');
    }
    const expected = createHmac(info.digest, key).update(token.slice(0, dot2)).digest();
    if (!timingSafeEqual(expected, received)) throw invalid('signature verification failed');
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

  function verifySync(token: string): AccessTokenClaims {
    if (typeof token !== 'string' || token.length === 0) throw invalid('missing access token');
    if (token.length > maxLength) throw invalid('token too long');
    const dot1 = token.indexOf('.');
    const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) throw invalid('a JWS must have three segments');
    const headerSegment = token.slice(0, dot1);
    const info = headerCache.get(headerSegment) ?? parseHeader(headerSegment);
    checkSignature(token, dot2, info);
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

  return {
    verifySync,
    verify(token: string): Promise<AccessTokenClaims> {
      try {
        return Promise.resolve(verifySync(token));
      } catch (err) {
        return Promise.reject(err);
      }
    },
  };
}
