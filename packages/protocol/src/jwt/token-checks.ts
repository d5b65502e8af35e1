/**
 * The rules both forms of `createTokenVerifier` share, all but the signature check: the compact
 * encoding (three segments, a length cap), the protected header (an allow-listed `alg`; `crit`,
 * `b64` and the key-carrying or key-locating headers refused, RFC 8725 §3.10) and the claims
 * (`exp`/`nbf` with a clock tolerance, `iss`, `aud`, and the `sub`, `sid`, `email`, `role` every
 * access token carries).
 */
import type { AccessTokenClaims } from '../auth/contract.js';
import type { ClientProblemInit, ProblemErrorClass } from '../problems/parse-response.js';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER } from '../tokens.js';
import { isBase64Url } from './base64url.js';
import type { CommonVerifierOptions, TokenHeader } from './verifier-options.js';

/** Header parameters that carry or locate a key: never followed, tokens with them are refused. */
const KEY_HEADERS = ['jku', 'x5u', 'x5c', 'jwk'] as const;

const MAX_HEADER_CACHE = 64;

export function asList(value: string | readonly string[], what: string): string[] {
  const list = typeof value === 'string' ? [value] : [...value];
  if (list.length === 0 || list.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError(`createTokenVerifier: ${what} must be a non-empty string or list of strings`);
  }
  return list;
}

/** Builds the allow-list map of algorithm name → info, refusing any name not in `table`. */
export function allowList<A extends string, I>(
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
export interface ParsedHeader<I> {
  info: I;
  header: TokenHeader;
}

/** The shared checks of one verifier, bound to its options and error class. */
export interface TokenChecks {
  /** A 401 `invalid_token` error of the verifier's class. */
  invalid(detail: string): Error;
  /** Index of the two dots of a compact JWS; throws unless there are exactly three segments. */
  split(token: string): [number, number];
  /** Parses and checks a header segment against the allow-list, caching accepted headers. */
  headerParser<I>(allowed: Map<string, I>): (segment: string) => ParsedHeader<I>;
  /** Decodes and checks the payload of a token whose signature has been verified. */
  claimsOf(token: string, dot1: number, dot2: number): AccessTokenClaims;
}

/**
 * Reads the options both forms share (throwing a `TypeError` for a bad one) and returns the
 * checks that use them; failures are `ErrorClass` errors with status 401.
 */
export function createTokenChecks(
  options: CommonVerifierOptions,
  ErrorClass: ProblemErrorClass<Error>,
): TokenChecks {
  const fail = (init: Omit<ClientProblemInit, 'status'>) => new ErrorClass({ status: 401, ...init });
  const invalid = (detail: string) => fail({ code: 'invalid_token', title: 'Invalid access token', detail });
  const issuers = asList(options.issuer ?? DEFAULT_JWT_ISSUER, 'issuer');
  const audiences = asList(options.audience ?? DEFAULT_JWT_AUDIENCE, 'audience');
  const toleranceSec = options.clockToleranceSec ?? 5;
  if (!(toleranceSec >= 0)) throw new TypeError('createTokenVerifier: clockToleranceSec must be >= 0');
  const maxLength = options.maxTokenLength ?? 8192;
  const now = options.now ?? Date.now;
  const singleIssuer = issuers.length === 1 ? issuers[0] : undefined;
  const singleAudience = audiences.length === 1 ? audiences[0] : undefined;

  function split(token: string): [number, number] {
    if (typeof token !== 'string' || token.length === 0) throw invalid('missing access token');
    if (token.length > maxLength) throw invalid('token too long');
    const dot1 = token.indexOf('.');
    const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) throw invalid('a JWS must have three segments');
    return [dot1, dot2];
  }

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

  return { invalid, split, headerParser, claimsOf };
}
