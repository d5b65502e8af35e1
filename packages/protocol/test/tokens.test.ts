import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLongEnoughSecret, parseBearer } from '../src/tokens.js';

describe('parseBearer', () => {
  test('takes a b64token after a case-insensitive Bearer scheme', () => {
    assert.equal(parseBearer('Bearer abc'), 'abc');
    assert.equal(parseBearer('BEARER  a.b-c_d~e+f/g=='), 'a.b-c_d~e+f/g==');
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Bearer a b', 'Bearer a,b', 'Basic eHl6']) {
      assert.equal(parseBearer(header), undefined, String(header));
    }
  });

  test('accepts any non-space credential when opaque', () => {
    assert.equal(parseBearer('Bearer s3cret!', { opaque: true }), 's3cret!');
    assert.equal(parseBearer('Bearer s3cret!'), undefined);
    assert.equal(parseBearer('Bearer a b', { opaque: true }), undefined);
  });
});

describe('isLongEnoughSecret', () => {
  test('counts UTF-8 bytes against the 32-byte minimum', () => {
    assert.ok(isLongEnoughSecret('x'.repeat(32)));
    assert.ok(!isLongEnoughSecret('x'.repeat(31)));
    assert.ok(isLongEnoughSecret('é'.repeat(16)));
    assert.ok(isLongEnoughSecret(new Uint8Array(32)));
  });
});
