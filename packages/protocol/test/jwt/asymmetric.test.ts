import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, type KeyObject, sign as cryptoSign } from 'node:crypto';
import { describe, it } from 'node:test';
import { createTokenVerifier, type TokenHeader } from '../../src/jwt/verifier.js';
import { ProblemError } from '../../src/problems/problem-error.js';
import { b64url, claims, nowSec } from '../helpers/tokens.js';
import { type Alg, keyPair, signAsym } from './keypairs.js';

const ALGS: Alg[] = ['ES256', 'RS256', 'EdDSA'];

/** A resolver over kid → public key, recording what it was asked. */
function ring(entries: Record<string, KeyObject>) {
  const seen: TokenHeader[] = [];
  const resolve = (header: TokenHeader) => {
    seen.push(header);
    return header.kid === undefined ? undefined : entries[header.kid];
  };
  return { resolve, seen };
}

function assertInvalid(fn: () => unknown, detail?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ProblemError, `expected ProblemError, got ${String(err)}`);
    assert.equal(err.status, 401);
    assert.equal(err.code, 'invalid_token');
    if (detail) assert.match(err.detail ?? '', detail);
    return true;
  });
}

describe('createTokenVerifier with a key resolver', () => {
  for (const alg of ALGS) {
    it(`verifies a ${alg} token signed by node:crypto, sync and async`, async () => {
      const { privateKey, publicKey } = keyPair(alg);
      const { resolve, seen } = ring({ 'kid-1': publicKey });
      const verifier = createTokenVerifier({ keys: resolve });
      const payload = claims();
      const token = signAsym(payload, alg, privateKey);
      assert.deepEqual(verifier.verifySync(token), payload);
      assert.deepEqual(await verifier.verify(token), payload);
      assert.deepEqual(seen[0], { alg, kid: 'kid-1' });
    });

    it(`refuses a ${alg} token signed by another key, or with a tampered payload`, () => {
      const { publicKey } = keyPair(alg);
      const verifier = createTokenVerifier({ keys: ring({ 'kid-1': publicKey }).resolve });
      const other = keyPair(alg, 'other');
      assertInvalid(() => verifier.verifySync(signAsym(claims(), alg, other.privateKey)), /signature/);
      const [h, , s] = signAsym(claims(), alg, keyPair(alg).privateKey).split('.');
      assertInvalid(() => verifier.verifySync(`${h}.${b64url(claims({ role: 'admin' }))}.${s}`), /signature/);
    });

    it(`applies the same claim rules to ${alg} tokens as to HMAC ones`, async () => {
      const { privateKey, publicKey } = keyPair(alg);
      const verifier = createTokenVerifier({ keys: ring({ 'kid-1': publicKey }).resolve });
      await assert.rejects(verifier.verify(signAsym(claims({ exp: nowSec() - 60 }), alg, privateKey)), {
        code: 'token_expired',
        status: 401,
      });
      assertInvalid(() => verifier.verifySync(signAsym(claims({ iss: 'evil' }), alg, privateKey)), /issuer/);
      assertInvalid(() => verifier.verifySync(signAsym(claims({ aud: 'x' }), alg, privateKey)), /audience/);
      assertInvalid(() => verifier.verifySync(signAsym(claims({ sid: undefined }), alg, privateKey)), /sid/);
    });
  }

  it('expects ES256 signatures as raw r||s (64 bytes), not DER', () => {
    const { privateKey, publicKey } = keyPair('ES256');
    const verifier = createTokenVerifier({ keys: () => publicKey });
    const input = `${b64url({ alg: 'ES256', kid: 'kid-1' })}.${b64url(claims())}`;
    const der = cryptoSign('sha256', Buffer.from(input), privateKey).toString('base64url');
    assertInvalid(() => verifier.verifySync(`${input}.${der}`), /signature/);
  });

  it('refuses an HS256 token signed with the public key bytes (algorithm confusion)', () => {
    for (const alg of ALGS) {
      const { publicKey } = keyPair(alg);
      const verifier = createTokenVerifier({ keys: () => publicKey });
      for (const bytes of [
        publicKey.export({ format: 'pem', type: 'spki' }),
        publicKey.export({ format: 'der', type: 'spki' }),
      ]) {
        const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: 'kid-1' })}.${b64url(claims())}`;
        const sig = createHmac('sha256', bytes).update(input).digest('base64url');
        assertInvalid(() => verifier.verifySync(`${input}.${sig}`), /HS256 is not accepted/);
      }
    }
  });

  it('refuses alg none, with or without a signature', () => {
    const { privateKey, publicKey } = keyPair('ES256');
    const verifier = createTokenVerifier({ keys: () => publicKey });
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT', kid: 'kid-1' })}.${b64url(claims())}`;
    assertInvalid(() => verifier.verifySync(`${unsigned}.`), /none/);
    const sig = signAsym(claims(), 'ES256', privateKey).split('.')[2];
    assertInvalid(() => verifier.verifySync(`${unsigned}.${sig}`), /none/);
  });

  it('refuses tokens whose header carries jku, x5u, x5c or jwk, without asking the resolver', () => {
    const { privateKey, publicKey } = keyPair('ES256');
    const { resolve, seen } = ring({ 'kid-1': publicKey });
    const verifier = createTokenVerifier({ keys: resolve });
    const extra: Record<string, unknown> = {
      jku: 'https://evil.example/jwks.json',
      x5u: 'https://evil.example/cert.pem',
      x5c: ['MIIB'],
      jwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' },
    };
    for (const [name, value] of Object.entries(extra)) {
      const header = { alg: 'ES256', typ: 'JWT', kid: 'kid-1', [name]: value };
      assertInvalid(
        () => verifier.verifySync(signAsym(claims(), 'ES256', privateKey, header)),
        new RegExp(name),
      );
    }
    assert.equal(seen.length, 0);
  });

  it('refuses a header with crit', () => {
    const { privateKey, publicKey } = keyPair('EdDSA');
    const verifier = createTokenVerifier({ keys: () => publicKey });
    const header = { alg: 'EdDSA', kid: 'kid-1', crit: ['exp'], exp: 1 };
    assertInvalid(() => verifier.verifySync(signAsym(claims(), 'EdDSA', privateKey, header)), /critical/);
  });

  it('refuses an unknown kid (the resolver answers undefined), sync and async', async () => {
    const { privateKey, publicKey } = keyPair('ES256');
    const verifier = createTokenVerifier({ keys: ring({ 'kid-1': publicKey }).resolve });
    const header = { alg: 'ES256', kid: 'kid-2' };
    assertInvalid(
      () => verifier.verifySync(signAsym(claims(), 'ES256', privateKey, header)),
      /unknown signing key/,
    );
    assertInvalid(
      () => verifier.verifySync(signAsym(claims(), 'ES256', privateKey, { alg: 'ES256' })),
      /unknown/,
    );
    await assert.rejects(verifier.verify(signAsym(claims(), 'ES256', privateKey, header)), {
      code: 'invalid_token',
      detail: 'unknown signing key',
    });
  });

  it('refuses a key whose type does not fit the header alg', () => {
    const es = keyPair('ES256');
    const rs = keyPair('RS256');
    const ed = keyPair('EdDSA');
    // A header claiming RS256 whose kid names an EC key, and so on round the three.
    for (const [alg, signer, key] of [
      ['RS256', rs.privateKey, es.publicKey],
      ['ES256', es.privateKey, ed.publicKey],
      ['EdDSA', ed.privateKey, rs.publicKey],
    ] as const) {
      const verifier = createTokenVerifier({ keys: () => key });
      assertInvalid(() => verifier.verifySync(signAsym(claims(), alg, signer)), /does not fit/);
    }
  });

  it('refuses private, secret, other-curve, RSA-PSS and short RSA keys', () => {
    const { privateKey } = keyPair('ES256');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const ed448 = generateKeyPairSync('ed448');
    const cases: [Alg, KeyObject, KeyObject][] = [
      ['ES256', privateKey, privateKey],
      ['ES256', p384.privateKey, p384.publicKey],
      ['RS256', pss.privateKey, pss.publicKey],
      ['RS256', short.privateKey, short.publicKey],
    ];
    for (const [alg, signer, key] of cases) {
      const verifier = createTokenVerifier({ keys: () => key });
      let token: string;
      try {
        token = signAsym(claims(), alg, signer);
      } catch {
        token = signAsym(claims(), alg, keyPair(alg).privateKey);
      }
      assertInvalid(() => verifier.verifySync(token), /does not fit/);
    }
    const edVerifier = createTokenVerifier({ keys: () => ed448.publicKey });
    const input = `${b64url({ alg: 'EdDSA', kid: 'k' })}.${b64url(claims())}`;
    const sig = cryptoSign(null, Buffer.from(input), ed448.privateKey).toString('base64url');
    assertInvalid(() => edVerifier.verifySync(`${input}.${sig}`), /does not fit/);
  });

  it('accepts only the listed algorithms', () => {
    const { privateKey, publicKey } = keyPair('EdDSA');
    const verifier = createTokenVerifier({ keys: () => publicKey, algorithms: ['ES256'] });
    assertInvalid(
      () => verifier.verifySync(signAsym(claims(), 'EdDSA', privateKey)),
      /EdDSA is not accepted/,
    );
  });

  it('verify awaits an async resolver; verifySync refuses one with a TypeError', async () => {
    const { privateKey, publicKey } = keyPair('ES256');
    const verifier = createTokenVerifier({ keys: async () => publicKey });
    const token = signAsym(claims(), 'ES256', privateKey);
    assert.equal((await verifier.verify(token)).sub, 'user-1');
    assert.throws(
      () => verifier.verifySync(token),
      (err: unknown) => {
        assert.ok(err instanceof TypeError);
        assert.match(err.message, /synchronously/);
        return true;
      },
    );
    const failing = createTokenVerifier({
      keys: async () => {
        throw new Error('jwks down');
      },
    });
    await assert.rejects(failing.verify(token), /jwks down/);
    assert.throws(() => failing.verifySync(token), TypeError);
  });

  it('refuses a non-canonical or wrong-length signature', () => {
    const { privateKey, publicKey } = keyPair('ES256');
    const verifier = createTokenVerifier({ keys: () => publicKey });
    const token = signAsym(claims(), 'ES256', privateKey);
    const [h, p, s] = token.split('.') as [string, string, string];
    assertInvalid(() => verifier.verifySync(`${h}.${p}.${s.slice(0, -1)}`), /signature/);
    assertInvalid(() => verifier.verifySync(`${h}.${p}.${s}AA`), /signature/);
    assertInvalid(() => verifier.verifySync(`${h}.${p}.${s.slice(0, 10)}+${s.slice(11)}`), /signature/);
  });

  it('refuses mixed configurations at creation', () => {
    const { publicKey } = keyPair('ES256');
    const secret = 'test-secret-0123456789-abcdefghijklmnop';
    assert.throws(
      () => createTokenVerifier({ keys: () => publicKey, algorithms: ['HS256' as 'ES256'] }),
      TypeError,
    );
    assert.throws(
      () => createTokenVerifier({ keys: () => publicKey, algorithms: ['none' as 'ES256'] }),
      TypeError,
    );
    assert.throws(() => createTokenVerifier({ keys: () => publicKey, algorithms: [] }), TypeError);
    assert.throws(() => createTokenVerifier({ secret, algorithms: ['ES256' as 'HS256'] }), TypeError);
    assert.throws(
      () =>
        createTokenVerifier({ secret, keys: () => publicKey } as unknown as Parameters<
          typeof createTokenVerifier
        >[0]),
      /exactly one/,
    );
    assert.throws(() => createTokenVerifier({} as Parameters<typeof createTokenVerifier>[0]), /exactly one/);
    assert.throws(
      () => createTokenVerifier({ keys: publicKey } as unknown as Parameters<typeof createTokenVerifier>[0]),
      /function/,
    );
  });
});
