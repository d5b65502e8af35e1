/** An HS256 access token as auth-server signs it with JWT_ALG=HS256, for benches run against AUTH_JWT_SECRET. */
import { createHmac, randomUUID } from 'node:crypto';

export function mintJwt(secret) {
  const enc = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'auth-server',
    aud: 'authenticated',
    sub: randomUUID(),
    sid: randomUUID(),
    email: 'bench@example.com',
    role: 'user',
    iat: now,
    exp: now + 3600,
  };
  const input = `${enc({ alg: 'HS256', typ: 'JWT', kid: 'dev' })}.${enc(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
