import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createDeviceToken,
  DEVICE_TOKEN_MAX_AGE_SEC,
  verifyDeviceToken,
} from '../../src/tokens/device-token.js';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
const USER = '7d3c1f8e-5a2b-4c6d-9e0f-112233445566';
const NOW = 1_790_000_000;

/** Flips one bit of the decoded token at byte `index` and re-encodes it. */
function flipByte(token: string, index: number): string {
  const raw = Buffer.from(token, 'base64url');
  raw.writeUInt8((raw.readUInt8(index) ^ 0x01) & 0xff, index);
  return raw.toString('base64url');
}

describe('device tokens', () => {
  test('accepts a fresh token for the user it was issued to', () => {
    const token = createDeviceToken(SECRET, USER, NOW);
    assert.match(token, /^[A-Za-z0-9_-]{76}$/);
    assert.equal(verifyDeviceToken(SECRET, token, USER, NOW), true);
    assert.equal(verifyDeviceToken(SECRET, token, USER, NOW + DEVICE_TOKEN_MAX_AGE_SEC), true);
  });

  test('does not reveal the user id in the token and makes each token unique', () => {
    const a = createDeviceToken(SECRET, USER, NOW);
    const b = createDeviceToken(SECRET, USER, NOW);
    assert.notEqual(a, b);
    assert.ok(!Buffer.from(a, 'base64url').toString('latin1').includes(USER));
  });

  test('refuses a token issued to another user', () => {
    const token = createDeviceToken(SECRET, USER, NOW);
    assert.equal(verifyDeviceToken(SECRET, token, 'another-user-id', NOW), false);
    assert.equal(verifyDeviceToken(SECRET, token, `${USER} `, NOW), false);
  });

  test('refuses a token signed with another secret', () => {
    const token = createDeviceToken(`${SECRET}-other`, USER, NOW);
    assert.equal(verifyDeviceToken(SECRET, token, USER, NOW), false);
  });

  test('refuses a token with any single byte tampered (id, issued-at or signature)', () => {
    const token = createDeviceToken(SECRET, USER, NOW);
    const bytes = Buffer.from(token, 'base64url').length;
    for (let i = 0; i < bytes; i++) {
      assert.equal(verifyDeviceToken(SECRET, flipByte(token, i), USER, NOW), false, `byte ${i}`);
    }
  });

  test('refuses a token older than 365 days', () => {
    const token = createDeviceToken(SECRET, USER, NOW);
    assert.equal(verifyDeviceToken(SECRET, token, USER, NOW + DEVICE_TOKEN_MAX_AGE_SEC + 1), false);
  });

  test('refuses a token issued far in the future', () => {
    const token = createDeviceToken(SECRET, USER, NOW + 3600);
    assert.equal(verifyDeviceToken(SECRET, token, USER, NOW), false);
  });

  test('returns false for garbage instead of throwing', () => {
    const token = createDeviceToken(SECRET, USER, NOW);
    for (const garbage of [
      undefined,
      null,
      '',
      'not-a-token',
      '!'.repeat(76),
      `${token}A`,
      token.slice(0, -1),
      `${token.slice(0, -1)}=`,
      'A'.repeat(76),
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    ]) {
      assert.equal(verifyDeviceToken(SECRET, garbage, USER, NOW), false, String(garbage));
    }
  });

  test('refuses to sign with an empty secret', () => {
    assert.throws(() => createDeviceToken('', USER, NOW), /secret/);
  });
});
