import assert from 'node:assert/strict';
import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { jwkThumbprint, publicJwk, publicKeyFromJwk } from '../../src/jwt/jwk.js';
import { keyAlgorithm } from '../../src/jwt/keys.js';
import { keyPair } from './keypairs.js';

describe('jwkThumbprint', () => {
  it('matches the RFC 7638 §3.1 example', () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    assert.equal(jwkThumbprint(jwk), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('ignores members other than the required ones and their order', () => {
    const jwk = publicJwk(keyPair('ES256').publicKey);
    const reordered = { y: jwk.y, x: jwk.x, use: 'sig', kid: 'whatever', crv: jwk.crv, kty: jwk.kty };
    assert.equal(jwkThumbprint(reordered), jwkThumbprint(jwk));
  });

  it('refuses unsupported or incomplete keys', () => {
    assert.throws(() => jwkThumbprint({ kty: 'oct', k: 'abc' }), TypeError);
    assert.throws(() => jwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'a' }), /y/);
  });
});

describe('publicJwk', () => {
  it('gives only the public members of each key type, from the private or the public key', () => {
    const expected = {
      ES256: ['crv', 'kty', 'x', 'y'],
      RS256: ['e', 'kty', 'n'],
      EdDSA: ['crv', 'kty', 'x'],
    };
    for (const alg of ['ES256', 'RS256', 'EdDSA'] as const) {
      const { privateKey, publicKey } = keyPair(alg);
      const jwk = publicJwk(privateKey);
      assert.deepEqual(Object.keys(jwk).sort(), expected[alg]);
      assert.deepEqual(publicJwk(publicKey), jwk);
      assert.equal(keyAlgorithm(publicKeyFromJwk(jwk as unknown as Record<string, unknown>)), alg);
    }
  });

  it('refuses a secret key', () => {
    assert.throws(() => publicJwk(createSecretKey(Buffer.alloc(32))), TypeError);
  });
});

describe('publicKeyFromJwk', () => {
  it('refuses a JWK carrying private or symmetric members', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const full = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
    assert.throws(() => publicKeyFromJwk(full), /must not carry d/);
    assert.throws(() => publicKeyFromJwk({ kty: 'oct', k: 'AAAA' }), /k/);
  });
});
