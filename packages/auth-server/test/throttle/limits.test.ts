import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseThrottleLimits, THROTTLE_LIMIT_TABLE, THROTTLE_RULES } from '../../src/throttle/index.js';

describe('parseThrottleLimits', () => {
  test('gives the issue 3 defaults for an empty environment', () => {
    const { limits, errors } = parseThrottleLimits({});
    assert.deepEqual(errors, []);
    assert.deepEqual(limits, {
      loginAccountIp: { max: 10, windowSec: 900 },
      loginIp: { max: 150, windowSec: 300 },
      loginAccount: { max: 50, windowSec: 3600 },
      register: { max: 100, windowSec: 300 },
      verify: { max: 30, windowSec: 300 },
      resendEmail: { max: 5, windowSec: 3600 },
      resendIp: { max: 30, windowSec: 3600 },
      forgotEmail: { max: 5, windowSec: 3600 },
      forgotIp: { max: 30, windowSec: 3600 },
      reset: { max: 30, windowSec: 300 },
      refresh: { max: 300, windowSec: 300 },
    });
  });

  test('reads one RATE_LIMIT_* variable per limit as "<max>/<windowSec>"', () => {
    const { limits, errors } = parseThrottleLimits({
      RATE_LIMIT_LOGIN_ACCOUNT_IP: '5/600',
      RATE_LIMIT_REFRESH: ' 1000 / 60 ',
      RATE_LIMIT_FORGOT_EMAIL: '',
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(limits.loginAccountIp, { max: 5, windowSec: 600 });
    assert.deepEqual(limits.refresh, { max: 1000, windowSec: 60 });
    assert.deepEqual(limits.forgotEmail, { max: 5, windowSec: 3600 }, 'empty means default');
    assert.deepEqual(limits.loginIp, { max: 150, windowSec: 300 }, 'others keep their default');
  });

  test('reports every malformed value by its variable name and keeps the default', () => {
    const bad = ['abc', '10', '0/60', '10/0', '-1/60', '1.5/60', '10/60/3', '10/99999999999', '1e3/60'];
    for (const value of bad) {
      const { limits, errors } = parseThrottleLimits({ RATE_LIMIT_REGISTER: value });
      assert.equal(errors.length, 1, value);
      assert.match(errors[0] ?? '', /^RATE_LIMIT_REGISTER must be "<max>\/<windowSec>"/, value);
      assert.ok(errors[0]?.includes(JSON.stringify(value)), 'the message quotes the bad value');
      assert.deepEqual(limits.register, { max: 100, windowSec: 300 }, value);
    }
  });

  test('reports all bad variables at once', () => {
    const { errors } = parseThrottleLimits({
      RATE_LIMIT_LOGIN_IP: 'x',
      RATE_LIMIT_VERIFY: '3',
      RATE_LIMIT_RESET: '3/3',
    });
    assert.deepEqual(
      errors.map((e) => e.split(' ')[0]),
      ['RATE_LIMIT_LOGIN_IP', 'RATE_LIMIT_VERIFY'],
    );
  });

  test('returns frozen limits', () => {
    const { limits } = parseThrottleLimits({});
    assert.ok(Object.isFrozen(limits));
    assert.ok(Object.isFrozen(limits.loginIp));
  });

  test('the table names one distinct RATE_LIMIT_ variable and a description per rule', () => {
    const names = THROTTLE_RULES.map((rule) => THROTTLE_LIMIT_TABLE[rule].env);
    assert.equal(THROTTLE_RULES.length, 11);
    assert.equal(new Set(names).size, names.length);
    for (const rule of THROTTLE_RULES) {
      const spec = THROTTLE_LIMIT_TABLE[rule];
      assert.match(spec.env, /^RATE_LIMIT_[A-Z_]+$/);
      assert.ok(spec.description.length > 10);
    }
  });
});
