import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkPasswordPolicy,
  commonPasswordCount,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from '../../src/passwords/policy.js';

/** A password that is in no list and has no email in it, cut or padded to `n` code points. */
function pw(n: number): string {
  const base = 'vK7#qLm2!xZ9@rTw4$';
  return base.repeat(Math.ceil(n / base.length)).slice(0, n);
}

describe('password policy: length', () => {
  test('refuses 7 characters as too_short', () => {
    assert.equal(checkPasswordPolicy(pw(7))?.rule, 'too_short');
  });

  test('accepts 8 characters', () => {
    assert.equal(checkPasswordPolicy(pw(MIN_PASSWORD_LENGTH)), null);
  });

  test('accepts 128 characters', () => {
    assert.equal(checkPasswordPolicy(pw(MAX_PASSWORD_LENGTH)), null);
  });

  test('refuses 129 characters as too_long instead of truncating to 128', () => {
    const accepted = pw(128);
    const longer = `${accepted}x`;
    assert.equal(checkPasswordPolicy(accepted), null);
    assert.equal(checkPasswordPolicy(longer)?.rule, 'too_long');
  });

  test('counts Unicode code points, not UTF-16 units', () => {
    // Each emoji is 2 UTF-16 units; 7 of them are 14 units but only 7 characters.
    assert.equal(checkPasswordPolicy('🐙'.repeat(7))?.rule, 'too_short');
    assert.equal(checkPasswordPolicy('🐙🦑🐳🦀🐠🐡🦐🦞'), null);
    assert.equal(checkPasswordPolicy('🐙🦑🐳🦀'.repeat(32)), null, '128 emoji (256 units) are accepted');
    assert.equal(checkPasswordPolicy(`${'🐙🦑🐳🦀'.repeat(32)}a`)?.rule, 'too_long');
  });

  test('judges a 100-character password by all of its characters, not the first 72', () => {
    const prefix = pw(72);
    const a = `${prefix}${'k'.repeat(28)}`;
    const b = `${prefix}${'k'.repeat(14)}janedoe${'k'.repeat(7)}`;
    assert.equal([...a].length, 100);
    assert.equal([...b].length, 100);
    assert.equal(a.slice(0, 72), b.slice(0, 72));
    assert.equal(checkPasswordPolicy(a, 'janedoe@example.com'), null);
    assert.equal(checkPasswordPolicy(b, 'janedoe@example.com')?.rule, 'contains_email');
  });
});

describe('password policy: common passwords', () => {
  test('ships a list of at least 10,000 common passwords', () => {
    assert.ok(commonPasswordCount() >= 10_000, `only ${commonPasswordCount()} entries`);
  });

  test('refuses Password1 and qwerty123 as common in any letter case', () => {
    for (const p of [
      'Password1',
      'password1',
      'PASSWORD1',
      'pAsSwOrD1',
      'qwerty123',
      'QWERTY123',
      'Qwerty123',
    ]) {
      assert.equal(checkPasswordPolicy(p)?.rule, 'common', p);
    }
  });

  test('accepts a long uncommon passphrase without composition rules', () => {
    assert.equal(checkPasswordPolicy('correct horse battery staple'), null);
    assert.equal(checkPasswordPolicy('lowercaseonlybutlongenough'), null);
  });
});

describe('password policy: email local part', () => {
  test('refuses a password equal to the local part in any case', () => {
    assert.equal(checkPasswordPolicy('JaneDoe1984', 'janedoe1984@example.com')?.rule, 'contains_email');
  });

  test('refuses a password containing the local part', () => {
    assert.equal(checkPasswordPolicy('my-Jane.Doe-secret', 'jane.doe@example.com')?.rule, 'contains_email');
  });

  test('refuses a password containing the part before + of a plus address', () => {
    assert.equal(
      checkPasswordPolicy('xx-marguerite-xx', 'marguerite+shop@example.com')?.rule,
      'contains_email',
    );
  });

  test('ignores local parts shorter than 3 characters', () => {
    assert.equal(checkPasswordPolicy('abacus-river-lamp', 'ab@example.com'), null);
  });

  test('accepts a password unrelated to the email, and any password when no email is given', () => {
    assert.equal(checkPasswordPolicy('abacus-river-lamp', 'jane.doe@example.com'), null);
    assert.equal(checkPasswordPolicy('jane.doe-river-lamp'), null);
  });
});

describe('password policy: messages', () => {
  test('every violation has a sentence for the end user naming the rule broken', () => {
    const cases = [
      checkPasswordPolicy(pw(7)),
      checkPasswordPolicy(pw(129)),
      checkPasswordPolicy('Password1'),
      checkPasswordPolicy('janedoe-xyz-123', 'janedoe@example.com'),
    ];
    assert.deepEqual(
      cases.map((c) => c?.rule),
      ['too_short', 'too_long', 'common', 'contains_email'],
    );
    for (const c of cases) {
      assert.match(c?.message ?? '', /^[A-Z].{20,}\.$/);
    }
    assert.match(cases[0]?.message ?? '', /8 characters/);
    assert.match(cases[1]?.message ?? '', /128 characters/);
  });
});
