/**
 * Access tokens (DESIGN §3): HS256 JWTs with claims iss aud sub sid email role iat exp and a `kid`
 * header. Verification accepts only HS256 and checks signature, iss, aud, exp and nbf (RFC 8725).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessTokenClaims, Role } from '@emotion-app/auth-client/contract';
import { AppError, invalidToken, tokenExpired } from '../errors.js';

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

  constructor(settings: JwtSettings, now: () => number = Date.now) {
    this.#settings = settings;
    this.#key = Buffer.from(settings.secret, 'utf8');
    this.#kid = keyId(settings.secret);
    this.#now = now;
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

  /** Verifies a token; throws `AppError` 401 `token_expired` or `invalid_token`. */
  verify(token: string): AccessTokenClaims {
    const parts = token.split('.');
    if (parts.length !== 3) throw invalidToken();
    const [h, p, s] = parts as [string, string, string];
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    } catch {
      throw invalidToken();
    }
    if (!header || typeof header !== 'object' || header.alg !== 'HS256') throw invalidToken();
    if (header.kid !== undefined && header.kid !== this.#kid) throw invalidToken('Unknown signing key.');
    const expected = createHmac('sha256', this.#key).update(`${h}.${p}`).digest();
    const given = Buffer.from(s, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidToken();
    if (!claims || typeof claims !== 'object') throw invalidToken();
    const { iss, aud, sub, sid, email, role, iat, exp, nbf } = claims;
    if (iss !== this.#settings.issuer) throw invalidToken('Wrong issuer.');
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(this.#settings.audience)) throw invalidToken('Wrong audience.');
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof email !== 'string') throw invalidToken();
    if (role !== 'user' && role !== 'admin') throw invalidToken();
    if (typeof exp !== 'number' || typeof iat !== 'number') throw invalidToken();
    const now = Math.floor(this.#now() / 1000);
    if (typeof nbf === 'number' && nbf > now) throw invalidToken('Token not yet valid.');
    if (exp <= now) throw tokenExpired();
    return claims as AccessTokenClaims;
  }

  /** Like `verify` but never throws: null for any invalid or expired token. */
  tryVerify(token: string): AccessTokenClaims | null {
    try {
      return this.verify(token);
    } catch (err) {
      if (err instanceof AppError) return null;
      throw err;
    }
  }
}
