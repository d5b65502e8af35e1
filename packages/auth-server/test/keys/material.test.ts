/** keys/material.ts: kid = RFC 7638 thumbprint, private keys sealed to their kid and the JWT secret. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jwkThumbprint, keyAlgorithm, publicKeyFromJwk } from '@emotion-app/protocol/jwt';
import { newKeyMaterial, openPrivateKey, signingKeySealingKey } from '../../src/keys/material.js';
import { mailContentKey } from '../../src/mail/sealing.js';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

describe('signing key material', () => {
  for (const alg of ['ES256', 'RS256', 'EdDSA'] as const) {
    test(`${alg}: the kid is the thumbprint of the public JWK and the sealed key opens only for its kid and secret`, async () => {
      const sealing = signingKeySealingKey(SECRET);
      const key = await newKeyMaterial(alg, sealing);
      assert.equal(key.kid, jwkThumbprint(key.publicJwk));
      assert.equal(keyAlgorithm(publicKeyFromJwk(key.publicJwk as unknown as Record<string, unknown>)), alg);
      assert.ok(!('d' in key.publicJwk));
      const opened = openPrivateKey(sealing, key.kid, key.sealedPrivate);
      assert.ok(opened.equals(key.privateKey));
      assert.throws(() =>
        openPrivateKey(signingKeySealingKey(`${SECRET}-other`), key.kid, key.sealedPrivate),
      );
      assert.throws(() => openPrivateKey(sealing, 'another-kid', key.sealedPrivate));
    });
  }

  test('the signing-key sealing key differs from the mail key of the same secret', () => {
    assert.notDeepEqual(signingKeySealingKey(SECRET), mailContentKey(SECRET));
  });
});
