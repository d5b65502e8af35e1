/**
 * Access tokens (DESIGN §3): HS256 JWTs with claims iss aud sub sid email role iat exp and a `kid`
 * header. auth-server only signs here; verification is protocol's verifier
 * (`@emotion-app/protocol/jwt`), the same code every other service runs through auth-client, with
 * its clock tolerance, strict encoding checks, `crit` refusal and this key's `kid`.
 */
import { createHash, createHmac } from 'node:crypto';
import { type AccessTokenClaims, isProblemError, type Role } from '@emotion-app/protocol';
import { createTokenVerifier, type TokenVerifier } from '@emotion-app/protocol/jwt';
import { fromVerifierError } from '../errors.js';

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

export class JwtService {
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
    const iat = Math.floor(this.#now() / 1000);
    const exp = iat + this.#settings.accessTtlSeconds;
    const header = { alg: 'HS256', typ: 'JWT', kid: this.#kid };
    const claims: AccessTokenClaims = {
      iss: this.#settings.issuer,
      aud: this.#settings.audience,
      sub: subject.userId,
      sid: subject.sessionId,
      email: subject.email,
      role: subject.role,
      iat,
      exp,
    };
    const input = `${b64json(header)}.${b64json(claims)}`;
    const sig = createHmac('sha256', this.#key).update(input).digest('base64url');
    return { accessToken: `${input}.${sig}`, expiresIn: this.#settings.accessTtlSeconds, expiresAt: exp };
  }

  /** Verifies a token; throws a `ProblemError` 401 `token_expired` or `invalid_token`. */
  verify(token: string): AccessTokenClaims {
    try {
      return this.#verifier.verifySync(token);
    } catch (err) {
      throw isProblemError(err) ? fromVerifierError(err) : err;
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
