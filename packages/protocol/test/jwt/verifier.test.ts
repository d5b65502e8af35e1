import assert from 'node:assert/strict';
import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ProblemError } from '../../src/problems/problem-error.js';
import { createTokenVerifier } from '../../src/jwt/verifier.js';
import { b64url, claims, nowSec, OTHER_SECRET, SECRET, sign } from '../helpers/tokens.js';

const verifier = createTokenVerifier({ secret: SECRET });

function rejects(token: string, code: string, detail?: RegExp): void {
  assert.throws(
    () => verifier.verifySync(token),
    (err: unknown) => {
      assert.ok(err instanceof ProblemError, `expected ProblemError, got ${String(err)}`);
      assert.equal(err.status, 401);
      assert.equal(err.code, code);
      if (detail) assert.match(err.detail ?? '', detail);
      return true;
    },
  );
}

function segments(token: string): [string, string, string] {
  const [h, p, s] = token.split('.');
  return [h as string, p as string, s as string];
}

describe('createTokenVerifier', () => {
  it('returns the claims of a valid token', async () => {
    const payload = claims();
    assert.deepEqual(await verifier.verify(sign(payload)), payload);
    assert.deepEqual(verifier.verifySync(sign(payload)), payload);
  });

  it('accepts a token whose aud is an array containing the audience', () => {
    assert.equal(verifier.verifySync(sign(claims({ aud: ['other', 'authenticated'] }))).sub, 'user-1');
  });

  it('accepts a Buffer or KeyObject secret equal to the UTF-8 bytes of the string', () => {
    const token = sign(claims());
    assert.equal(createTokenVerifier({ secret: Buffer.from(SECRET) }).verifySync(token).sub, 'user-1');
    assert.equal(
      createTokenVerifier({ secret: createSecretKey(Buffer.from(SECRET)) }).verifySync(token).sub,
      'user-1',
    );
  });

  it('rejects an expired token with token_expired', async () => {
    const token = sign(claims({ iat: nowSec() - 1000, exp: nowSec() - 60 }));
    rejects(token, 'token_expired');
    await assert.rejects(verifier.verify(token), { code: 'token_expired', status: 401 });
  });

  it('accepts a token expired less than the clock tolerance ago, rejects it with zero tolerance', () => {
    const token = sign(claims({ exp: nowSec() - 2 }));
    assert.equal(verifier.verifySync(token).sub, 'user-1');
    assert.throws(() => createTokenVerifier({ secret: SECRET, clockToleranceSec: 0 }).verifySync(token), {
      code: 'token_expired',
    });
  });

  it('uses the injected clock', () => {
    const token = sign(claims());
    const later = createTokenVerifier({ secret: SECRET, now: () => Date.now() + 3600_000 });
    assert.throws(() => later.verifySync(token), { code: 'token_expired' });
  });

  it('rejects a token whose nbf is in the future with invalid_token', () => {
    rejects(sign(claims({ nbf: nowSec() + 120 })), 'invalid_token', /not yet valid/);
  });

  it('accepts a token whose nbf is within the clock tolerance', () => {
    assert.equal(verifier.verifySync(sign(claims({ nbf: nowSec() + 2 }))).sub, 'user-1');
  });

  it('rejects a wrong issuer', () => {
    rejects(sign(claims({ iss: 'evil' })), 'invalid_token', /issuer/);
    rejects(sign(claims({ iss: undefined })), 'invalid_token', /issuer/);
  });

  it('accepts any issuer of a configured list', () => {
    const v = createTokenVerifier({ secret: SECRET, issuer: ['a', 'auth-server'] });
    assert.equal(v.verifySync(sign(claims())).sub, 'user-1');
  });

  it('rejects a wrong audience, as a string or an array', () => {
    rejects(sign(claims({ aud: 'service' })), 'invalid_token', /audience/);
    rejects(sign(claims({ aud: ['a', 'b'] })), 'invalid_token', /audience/);
    rejects(sign(claims({ aud: undefined })), 'invalid_token', /aud/);
  });

  it('rejects a token without sub or exp', () => {
    rejects(sign(claims({ sub: undefined })), 'invalid_token', /sub/);
    rejects(sign(claims({ sub: '' })), 'invalid_token', /sub/);
    rejects(sign(claims({ exp: undefined })), 'invalid_token', /exp/);
    rejects(sign(claims({ exp: '9999999999' })), 'invalid_token', /exp/);
  });

  it('rejects a token without a sid or email claim, or with a role other than user or admin', () => {
    rejects(sign(claims({ sid: undefined })), 'invalid_token', /sid/);
    rejects(sign(claims({ sid: '' })), 'invalid_token', /sid/);
    rejects(sign(claims({ email: 42 })), 'invalid_token', /email/);
    rejects(sign(claims({ role: 'root' })), 'invalid_token', /role/);
    assert.equal(verifier.verifySync(sign(claims({ role: 'admin' }))).role, 'admin');
  });

  it('with keyId, accepts only tokens whose kid header is one of the given key ids', () => {
    const v = createTokenVerifier({ secret: SECRET, keyId: ['k0', 'k1'] });
    assert.equal(v.verifySync(sign(claims())).sub, 'user-1');
    for (const header of [{ alg: 'HS256', kid: 'k2' }, { alg: 'HS256' }, { alg: 'HS256', kid: 1 }]) {
      assert.throws(() => v.verifySync(sign(claims(), { header })), {
        code: 'invalid_token',
        detail: 'unknown signing key',
      });
    }
    assert.equal(verifier.verifySync(sign(claims(), { header: { alg: 'HS256', kid: 'any' } })).sub, 'user-1');
    assert.throws(() => createTokenVerifier({ secret: SECRET, keyId: [] }), TypeError);
  });

  it('rejects alg none, with or without a signature', () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}`;
    rejects(`${unsigned}.`, 'invalid_token');
    rejects(`${unsigned}.${segments(sign(claims()))[2]}`, 'invalid_token', /none/);
    rejects(`${b64url({ alg: 'NONE' })}.${b64url(claims())}.`, 'invalid_token');
  });

  it('rejects a token signed with another key', () => {
    rejects(sign(claims(), { secret: OTHER_SECRET }), 'invalid_token', /signature/);
  });

  it('rejects a correctly keyed token whose header names an algorithm outside the allow-list', () => {
    rejects(sign(claims(), { header: { alg: 'RS256', typ: 'JWT' } }), 'invalid_token', /RS256/);
    rejects(sign(claims(), { header: { alg: 'HS512' }, digest: 'sha512' }), 'invalid_token', /HS512/);
    rejects(sign(claims(), { header: { alg: 'hs256' } }), 'invalid_token');
  });

  it('accepts HS384 and HS512 when allowed, and refuses a signature of the wrong size', () => {
    const v = createTokenVerifier({ secret: SECRET, algorithms: ['HS384', 'HS512'] });
    assert.equal(v.verifySync(sign(claims(), { header: { alg: 'HS384' }, digest: 'sha384' })).sub, 'user-1');
    assert.equal(v.verifySync(sign(claims(), { header: { alg: 'HS512' }, digest: 'sha512' })).sub, 'user-1');
    assert.throws(() => v.verifySync(sign(claims(), { header: { alg: 'HS512' }, digest: 'sha256' })), {
      code: 'invalid_token',
    });
    assert.throws(() => v.verifySync(sign(claims())), { code: 'invalid_token' });
  });

  it('rejects a tampered payload', () => {
    const [h, , s] = segments(sign(claims()));
    rejects(`${h}.${b64url(claims({ role: 'admin' }))}.${s}`, 'invalid_token', /signature/);
  });

  it('rejects a tampered header', () => {
    const [, p, s] = segments(sign(claims()));
    rejects(`${b64url({ alg: 'HS256', typ: 'JWT', kid: 'k2' })}.${p}.${s}`, 'invalid_token', /signature/);
  });

  it('rejects headers with unknown critical parameters', () => {
    rejects(sign(claims(), { header: { alg: 'HS256', crit: ['exp'], exp: 1 } }), 'invalid_token', /critical/);
  });

  it('rejects truncated tokens', () => {
    const token = sign(claims());
    rejects(token.slice(0, -1), 'invalid_token');
    rejects(token.slice(0, token.lastIndexOf('.') + 1), 'invalid_token');
    rejects(token.slice(0, 20), 'invalid_token');
    rejects('', 'invalid_token');
  });

  it('rejects non-base64url segments and non-canonical signatures', () => {
    const [h, p, s] = segments(sign(claims()));
    rejects('!!!.@@@.###', 'invalid_token');
    rejects(`${h}.${p}.${s.slice(0, -1)}!`, 'invalid_token');
    rejects(`${h}.${p}.${s.slice(0, 10)}+${s.slice(11)}`, 'invalid_token');
    rejects(`${h}=.${p}.${s}`, 'invalid_token');
    rejects(`${b64url('not json')}.${p}.${s}`, 'invalid_token');
    // flip the two unused low bits of the last character: same bytes, non-canonical text
    const last = s.charCodeAt(s.length - 1);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(String.fromCharCode(last)) | 1];
    rejects(`${h}.${p}.${s.slice(0, -1)}${twin}`, 'invalid_token');
  });

  it('rejects too many or too few segments', () => {
    const token = sign(claims());
    rejects(`${token}.${segments(token)[2]}`, 'invalid_token', /three segments/);
    rejects(token.split('.').slice(0, 2).join('.'), 'invalid_token', /three segments/);
    rejects('abc', 'invalid_token', /three segments/);
  });

  it('rejects a payload that is not a JSON object even when correctly signed', () => {
    const arrayToken = sign(['x'] as unknown as Record<string, unknown>, { header: { alg: 'HS256' } });
    rejects(arrayToken, 'invalid_token', /payload/);
    rejects(sign('null' as unknown as Record<string, unknown>), 'invalid_token', /payload/);
  });

  it('refuses unsafe configurations at creation', () => {
    assert.throws(() => createTokenVerifier({ secret: 'short' }), TypeError);
    assert.throws(
      () => createTokenVerifier({ secret: SECRET, algorithms: ['none' as 'HS256'] }),
      /not allowed with a shared secret/,
    );
    assert.throws(
      () => createTokenVerifier({ secret: SECRET, algorithms: ['RS256' as 'HS256'] }),
      /not allowed with a shared secret/,
    );
    const { publicKey } = generateKeyPairSync('ed25519');
    assert.throws(() => createTokenVerifier({ secret: publicKey }), /shared-secret/);
  });
});
