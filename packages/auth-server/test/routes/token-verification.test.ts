/**
 * auth-server verifies its own access tokens with auth-client's verifier (issue 10, finding 5):
 * the forgeries the old hand-written verifier let through are refused, and the clock tolerance
 * is the SDK's.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { createTokenVerifier } from '@emotion-app/protocol/jwt';
import { JwtService, keyId } from '../../src/tokens/jwt.js';
import { bearer, problem, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

const [dialect] = dialects();

describe('access-token verification on auth-server routes', () => {
  assert.ok(dialect);

  test('GET /api/users/me refuses a signature with "=" or "!!" appended, a flipped low bit or a crit header with 401 invalid_token', async (t) => {
    const { app, config } = await startApp(t, dialect);
    const s = await signUp(app, 'forged@example.com');
    const [h, p] = s.accessToken.split('.') as [string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const signed = (head: unknown) => {
      const input = `${b64(head)}.${p}`;
      return `${input}.${createHmac('sha256', config.jwt.secret).update(input).digest('base64url')}`;
    };
    const last = s.accessToken.at(-1) ?? '';
    const forgeries = {
      'padding appended': `${s.accessToken}=`,
      'junk appended': `${s.accessToken}!!`,
      'last character low bit flipped': `${s.accessToken.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(last) ^ 1]}`,
      'crit header': signed({ ...header, crit: ['exp'], exp: 1 }),
      'another kid': signed({ ...header, kid: 'someone-else' }),
    };
    assert.equal(
      (await app.inject({ url: '/api/users/me', headers: bearer(s.accessToken) })).statusCode,
      200,
    );
    for (const [what, token] of Object.entries(forgeries)) {
      const res = await app.inject({ url: '/api/users/me', headers: bearer(token) });
      assert.equal(res.statusCode, 401, what);
      assert.equal(problem(res).code, 'invalid_token', what);
    }
  });

  test('a token 3 s past exp is accepted by auth-server and auth-client alike; 10 s past both answer token_expired', async (t) => {
    const { app, config } = await startApp(t, dialect);
    const s = await signUp(app, 'skew@example.com');
    const claims = JSON.parse(Buffer.from(s.accessToken.split('.')[1] ?? '', 'base64url').toString());
    const subject = { userId: claims.sub, sessionId: claims.sid, email: claims.email, role: claims.role };
    const sdk = createTokenVerifier({ secret: config.jwt.secret, keyId: keyId(config.jwt.secret) });
    const ttl = config.jwt.accessTtlSeconds;
    const lateBy = (seconds: number) =>
      new JwtService(config.jwt, () => Date.now() - (ttl + seconds) * 1000).sign(subject).accessToken;

    const slightlyLate = lateBy(3);
    assert.equal((await app.inject({ url: '/api/users/me', headers: bearer(slightlyLate) })).statusCode, 200);
    assert.equal(sdk.verifySync(slightlyLate).sid, claims.sid);

    const late = lateBy(10);
    const res = await app.inject({ url: '/api/users/me', headers: bearer(late) });
    assert.equal(problem(res).code, 'token_expired');
    assert.throws(() => sdk.verifySync(late), { code: 'token_expired' });
  });
});
