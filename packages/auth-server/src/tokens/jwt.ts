/**
 * Access tokens (DESIGN §3, §7): JWTs with claims iss aud sub sid email role iat exp and a `kid`
 * header, signed either with HS256 and JWT_SECRET_KEY (`JwtService`, the seed's model) or with the
 * current key of the ring (`RingJwtService`: ES256, RS256 or EdDSA). auth-server only signs here;
 * verification is protocol's verifier (`@emotion-app/protocol/jwt`), the same code every other
 * service runs through auth-client, with its clock tolerance, strict encoding checks, `crit`,
 * `jku`/`x5u`/`x5c`/`jwk` refusal, and this server's key ids (HS256) or key ring (asymmetric).
 */
import { createHash, createHmac, sign as cryptoSign } from 'node:crypto';
import { type AccessTokenClaims, isProblemError, type Role } from '@emotion-app/protocol';
import { ASYMMETRIC_ALGORITHMS, createTokenVerifier, type TokenVerifier } from '@emotion-app/protocol/jwt';
import { fromVerifierError } from '../errors.js';
import type { KeyRing } from '../keys/ring.js';

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
}

export interface TokenSubject {
  userId: string;
  sessionId: string;
  email: string;
  role: Role;
}

export interface SignedAccessToken {
  accessToken: string;
  expiresIn: number;
  expiresAt: number;
}

/** A stable key id derived from the secret, so verifiers can tell keys apart after a rotation. */
export function keyId(secret: string): string {
  return createHash('sha256').update(`kid:${secret}`, 'utf8').digest('base64url').slice(0, 16);
}

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** What routes use: sign a subject's access token, verify one (401 ProblemError), or try to. */
export interface AccessTokens {
  sign(subject: TokenSubject): SignedAccessToken;
  /** The claims of a valid token; throws a `ProblemError` 401 `token_expired` or `invalid_token`. */
  verify(token: string): AccessTokenClaims | Promise<AccessTokenClaims>;
  /** Like `verify` but null for any invalid or expired token. */
  tryVerify(token: string): AccessTokenClaims | null | Promise<AccessTokenClaims | null>;
}

function claimsOf(
  settings: Omit<JwtSettings, 'secret'>,
  subject: TokenSubject,
  nowMs: number,
): AccessTokenClaims {
  const iat = Math.floor(nowMs / 1000);
  return {
    iss: settings.issuer,
    aud: settings.audience,
    sub: subject.userId,
    sid: subject.sessionId,
    email: subject.email,
    role: subject.role,
    iat,
    exp: iat + settings.accessTtlSeconds,
  };
}

/** The verifier's errors in auth-server's words; anything else is rethrown. */
function rethrow(err: unknown): never {
  throw isProblemError(err) ? fromVerifierError(err) : err;
}

export class JwtService implements AccessTokens {
  readonly #key: Buffer;
  readonly #kid: string;
  readonly #settings: JwtSettings;
  readonly #now: () => number;
  readonly #verifier: TokenVerifier;

  constructor(settings: JwtSettings, now: () => number = Date.now) {
    this.#settings = settings;
    this.#key = Buffer.from(settings.secret, 'utf8');
    this.#kid = keyId(settings.secret);
    this.#now = now;
    this.#verifier = createTokenVerifier({
      secret: this.#key,
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: ['HS256'],
      keyId: this.#kid,
      now,
    });
  }

  sign(subject: TokenSubject): SignedAccessToken {
    const header = { alg: 'HS256', typ: 'JWT', kid: this.#kid };
    const claims = claimsOf(this.#settings, subject, this.#now());
    const input = `${b64json(header)}.${b64json(claims)}`;
    const sig = createHmac('sha256', this.#key).update(input).digest('base64url');
    return {
      accessToken: `${input}.${sig}`,
      expiresIn: this.#settings.accessTtlSeconds,
      expiresAt: claims.exp,
    };
  }

  /** Verifies a token; throws a `ProblemError` 401 `token_expired` or `invalid_token`. */
  verify(token: string): AccessTokenClaims {
    try {
      return this.#verifier.verifySync(token);
    } catch (err) {
      rethrow(err);
    }
  }

  /** Like `verify` but never throws: null for any invalid or expired token. */
  tryVerify(token: string): AccessTokenClaims | null {
    try {
      return this.#verifier.verifySync(token);
    } catch (err) {
      if (isProblemError(err)) return null;
      throw err;
    }
  }
}

/**
 * Access tokens signed with the ring's current key (ES256 with raw r||s signatures, RS256, or
 * EdDSA), header `{ alg, typ: "JWT", kid }`; verified by protocol's verifier with the ring as key
 * resolver, so a token of a deleted or unknown key is refused.
 */
export class RingJwtService implements AccessTokens {
  readonly #settings: Omit<JwtSettings, 'secret'>;
  readonly #ring: KeyRing;
  readonly #now: () => number;
  readonly #verifier: TokenVerifier;

  constructor(settings: Omit<JwtSettings, 'secret'>, ring: KeyRing, now: () => number = Date.now) {
    this.#settings = settings;
    this.#ring = ring;
    this.#now = now;
    this.#verifier = createTokenVerifier({
      keys: ring.resolve,
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: ASYMMETRIC_ALGORITHMS,
      now,
    });
  }

  sign(subject: TokenSubject): SignedAccessToken {
    const key = this.#ring.signingKey();
    const header = { alg: key.alg, typ: 'JWT', kid: key.kid };
    const claims = claimsOf(this.#settings, subject, this.#now());
    const input = `${b64json(header)}.${b64json(claims)}`;
    const data = Buffer.from(input, 'utf8');
    const sig =
      key.alg === 'ES256'
        ? cryptoSign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
        : cryptoSign(key.alg === 'RS256' ? 'sha256' : null, data, key.privateKey);
    return {
      accessToken: `${input}.${sig.toString('base64url')}`,
      expiresIn: this.#settings.accessTtlSeconds,
      expiresAt: claims.exp,
    };
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    try {
      return await this.#verifier.verify(token);
    } catch (err) {
      rethrow(err);
    }
  }

  async tryVerify(token: string): Promise<AccessTokenClaims | null> {
    try {
      return await this.#verifier.verify(token);
    } catch (err) {
      if (isProblemError(err)) return null;
      throw err;
    }
  }
}
