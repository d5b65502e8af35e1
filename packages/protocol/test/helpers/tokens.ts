import { createHmac } from 'node:crypto';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const OTHER_SECRET = 'another-secret-0123456789-abcdefghijkl';

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/** Claims auth-server would put in an access token, valid for 15 minutes. */
export function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = nowSec();
  return {
    iss: 'auth-server',
    aud: 'authenticated',
    sub: 'user-1',
    sid: 'session-1',
    email: 'ada@example.com',
    role: 'user',
    iat,
    exp: iat + 900,
    ...overrides,
  };
}

export interface SignOptions {
  secret?: string | Buffer;
  header?: Record<string, unknown>;
  /** The HMAC digest actually used, independent of the header's alg. */
  digest?: 'sha256' | 'sha384' | 'sha512';
}

/** Signs a JWT with node:crypto, like auth-server does. */
export function sign(payload: Record<string, unknown>, opts: SignOptions = {}): string {
  const header = opts.header ?? { alg: 'HS256', typ: 'JWT', kid: 'k1' };
  const input = `${b64url(header)}.${b64url(payload)}`;
  const sig = createHmac(opts.digest ?? 'sha256', opts.secret ?? SECRET)
    .update(input)
    .digest('base64url');
  return `${input}.${sig}`;
}
