/** mail/sealing.ts: AES-256-GCM under an HKDF key, bound to the outbox row and recipient. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mailContentKey, openMail, sealMail } from '../../src/mail/sealing.js';
import { deriveKey } from '../../src/tokens/opaque.js';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
const FIELDS = {
  text: 'Verify: https://app/verify-email?token=abc',
  html: '<p>hi</p>',
  links: ['https://app/x'],
};
const ID = '3f1c6a52-8c3e-4d8e-9d2b-0c6f0a4a1b11';

describe('mail sealing', () => {
  test('a sealed body opens with the same key, row and recipient', () => {
    const key = mailContentKey(SECRET);
    const sealed = sealMail(key, ID, 'ada@example.com', FIELDS);
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes('token=abc'));
    assert.deepEqual(openMail(key, ID, 'ada@example.com', sealed), FIELDS);
  });

  test('two seals of the same body differ (random IV)', () => {
    const key = mailContentKey(SECRET);
    assert.notEqual(sealMail(key, ID, 'a@example.com', FIELDS), sealMail(key, ID, 'a@example.com', FIELDS));
  });

  test('it does not open under another secret, for another row or recipient, or altered', () => {
    const key = mailContentKey(SECRET);
    const sealed = sealMail(key, ID, 'ada@example.com', FIELDS);
    const other = mailContentKey(`${SECRET}-rotated`);
    assert.throws(() => openMail(other, ID, 'ada@example.com', sealed));
    assert.throws(() => openMail(key, ID.replace('3f', '4f'), 'ada@example.com', sealed));
    assert.throws(() => openMail(key, ID, 'eve@example.com', sealed));
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3] ?? '', 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    parts[3] = ct.toString('base64url');
    assert.throws(() => openMail(key, ID, 'ada@example.com', parts.join('.')));
    assert.throws(() => openMail(key, ID, 'ada@example.com', `v2.${parts.slice(1).join('.')}`));
  });

  test('the outbox key is its own: 256 bits, distinct from the other keys derived from the secret', () => {
    const key = mailContentKey(SECRET);
    assert.equal(key.length, 32);
    assert.notDeepEqual(key, deriveKey(SECRET, 'auth-server/refresh-chain/v1'));
    assert.notDeepEqual(key, Buffer.from(SECRET, 'utf8').subarray(0, 32));
    assert.deepEqual(mailContentKey(SECRET), key, 'derived deterministically');
  });
});
