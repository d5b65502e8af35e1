import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { createTokenVerifier } from '@emotion-app/protocol/jwt';
import { ProblemError } from '@emotion-app/protocol';
import { JwtService, keyId } from '../../src/tokens/jwt.js';

const settings = {
  secret: 's'.repeat(40),
  issuer: 'auth-server',
  audience: 'authenticated',
  accessTtlSeconds: 900,
};
const subject = { userId: 'u1', sessionId: 's1', email: 'a@b.c', role: 'user' as const };

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function forge(header: unknown, claims: unknown, secret = settings.secret): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProblemError) return err.code;
    throw err;
  }
  return 'none';
}

describe('JwtService', () => {
  const jwt = new JwtService(settings);

  test('signs HS256 with a kid header and the claims iss aud sub sid email role iat exp', () => {
    const { accessToken, expiresIn, expiresAt } = jwt.sign(subject);
    const [h, p] = accessToken.split('.') as [string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT', kid: keyId(settings.secret) });
    assert.deepEqual(Object.keys(claims).sort(), ['aud', 'email', 'exp', 'iat', 'iss', 'role', 'sid', 'sub']);
    assert.equal(claims.exp - claims.iat, 900);
    assert.equal(expiresIn, 900);
    assert.equal(expiresAt, claims.exp);
    assert.equal(jwt.verify(accessToken).sid, 's1');
  });

  test('rejects alg none, tampered payloads, wrong keys, wrong audience or issuer, and garbage as invalid_token', () => {
    const good = jwt.sign(subject).accessToken;
    const [h, p, s] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const noneToken = `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`;
    const tampered = `${h}.${b64({ ...claims, role: 'admin' })}.${s}`;
    const wrongKey = forge({ alg: 'HS256', typ: 'JWT' }, claims, 'another-secret-of-enough-length-000000');
    const wrongAud = forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, aud: 'someone-else' });
    const wrongIss = forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'evil' });
    const hs512 = forge({ alg: 'HS512', typ: 'JWT' }, claims);
    for (const token of [
      noneToken,
      tampered,
      wrongKey,
      wrongAud,
      wrongIss,
      hs512,
      'garbage',
      'a.b.c',
      '',
      '...',
    ]) {
      assert.equal(
        codeOf(() => jwt.verify(token)),
        'invalid_token',
        token,
      );
    }
  });

  test('rejects a signature with "=" or "!!" appended or its last character\'s low bit flipped as invalid_token', () => {
    const good = jwt.sign(subject).accessToken;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = good.at(-1) ?? '';
    const flipped = `${good.slice(0, -1)}${alphabet[alphabet.indexOf(last) ^ 1]}`;
    for (const token of [`${good}=`, `${good}!!`, flipped]) {
      assert.equal(
        codeOf(() => jwt.verify(token)),
        'invalid_token',
        token,
      );
    }
  });

  test('rejects a correctly signed token with a crit header or another kid as invalid_token', () => {
    const claims = JSON.parse(
      Buffer.from(jwt.sign(subject).accessToken.split('.')[1] ?? '', 'base64url').toString(),
    );
    const kid = keyId(settings.secret);
    for (const header of [
      { alg: 'HS256', typ: 'JWT', kid, crit: ['exp'], exp: 1 },
      { alg: 'HS256', typ: 'JWT', kid: 'another-key' },
      { alg: 'HS256', typ: 'JWT' },
    ]) {
      assert.equal(
        codeOf(() => jwt.verify(forge(header, claims))),
        'invalid_token',
        JSON.stringify(header),
      );
    }
    assert.equal(jwt.verify(forge({ alg: 'HS256', typ: 'JWT', kid }, claims)).sub, 'u1');
  });

  test("accepts a token 3 s past exp like auth-client's verifier (5 s of skew) and refuses it 6 s past", () => {
    const sdk = createTokenVerifier({ secret: settings.secret });
    for (const [late, expected] of [
      [3, 'none'],
      [6, 'token_expired'],
    ] as const) {
      const token = new JwtService(settings, () => Date.now() - (900 + late) * 1000).sign(
        subject,
      ).accessToken;
      assert.equal(
        codeOf(() => jwt.verify(token)),
        expected,
        `${late} s late`,
      );
      let sdkCode = 'none';
      try {
        sdk.verifySync(token);
      } catch (err) {
        sdkCode = (err as { code: string }).code;
      }
      assert.equal(sdkCode, expected, `auth-client, ${late} s late`);
    }
  });

  test('rejects an expired token with token_expired', () => {
    const past = new JwtService(settings, () => Date.now() - 960_000);
    assert.equal(
      codeOf(() => jwt.verify(past.sign(subject).accessToken)),
      'token_expired',
    );
  });

  test('tryVerify returns null instead of throwing', () => {
    assert.equal(jwt.tryVerify('nope'), null);
    assert.equal(jwt.tryVerify(jwt.sign(subject).accessToken)?.sub, 'u1');
  });
});
