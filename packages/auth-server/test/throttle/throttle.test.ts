import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  defaultThrottleLimits,
  ipBucket,
  type LoginAttempt,
  MemoryStore,
  Throttle,
  ThrottledError,
  type ThrottleLimits,
  type ThrottleRule,
} from '../../src/throttle/index.js';

const limits: ThrottleLimits = {
  ...defaultThrottleLimits(),
  loginAccountIp: { max: 3, windowSec: 900 },
  loginIp: { max: 20, windowSec: 300 },
  loginAccount: { max: 5, windowSec: 3600 },
  register: { max: 2, windowSec: 300 },
};

/** Asserts that `promise` rejects with a ThrottledError for `rule` carrying a usable Retry-After. */
async function assertThrottled(promise: Promise<unknown>, rule: ThrottleRule, windowSec: number) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ThrottledError, `expected ThrottledError, got ${String(err)}`);
    assert.equal(err.rule, rule);
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.statusCode, 429);
    assert.ok(Number.isInteger(err.retryAfterSec));
    assert.ok(err.retryAfterSec >= 1 && err.retryAfterSec <= windowSec, `retryAfterSec ${err.retryAfterSec}`);
    return true;
  });
}

describe('Throttle', () => {
  let store: MemoryStore;
  let throttle: Throttle;
  beforeEach(() => {
    store = new MemoryStore();
    throttle = new Throttle(store, limits);
  });
  afterEach(async () => {
    await throttle.close();
  });

  test('consume allows max attempts then throws ThrottledError with retryAfterSec', async () => {
    await throttle.consume('register', '198.51.100.7');
    await throttle.consume('register', '198.51.100.7');
    await assertThrottled(throttle.consume('register', '198.51.100.7'), 'register', 300);
    await assertThrottled(throttle.consume('register', '198.51.100.7'), 'register', 300);
  });

  test('budgets are per key and per rule', async () => {
    await throttle.consume('register', '198.51.100.7');
    await throttle.consume('register', '198.51.100.7');
    assert.equal((await throttle.consume('register', '198.51.100.8')).count, 1);
    assert.equal((await throttle.consume('verify', '198.51.100.7')).count, 1);
  });

  test('keys are compared trimmed and case-insensitively', async () => {
    await throttle.consume('register', 'Bob@Example.com');
    await throttle.consume('register', ' bob@example.com');
    await assertThrottled(throttle.consume('register', 'BOB@EXAMPLE.COM'), 'register', 300);
  });

  test('the store sees neither emails nor IPs, only rule-prefixed hashes', async () => {
    const seen: string[] = [];
    const original = store.hit.bind(store);
    store.hit = (key, windowMs) => {
      seen.push(key);
      return original(key, windowMs);
    };
    await throttle.consume('forgotEmail', 'alice@example.com');
    assert.equal(seen.length, 1);
    assert.match(seen[0] ?? '', /^forgotEmail:[A-Za-z0-9_-]{43}$/);
  });

  test('reserve lets max failures through, refuses the next without counting it, and release gives one back', async () => {
    for (let i = 0; i < 5; i++) await throttle.reserve('loginAccount', 'alice@example.com');
    await assertThrottled(throttle.reserve('loginAccount', 'alice@example.com'), 'loginAccount', 3600);
    await throttle.release('loginAccount', 'alice@example.com');
    await throttle.reserve('loginAccount', 'alice@example.com');
    await assertThrottled(throttle.reserve('loginAccount', 'alice@example.com'), 'loginAccount', 3600);
  });

  test('concurrent reservations: exactly max of them pass', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => throttle.reserve('loginAccount', 'bob@example.com')),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
  });

  test('reset clears a rule for a key', async () => {
    await throttle.consume('register', '198.51.100.7');
    await throttle.consume('register', '198.51.100.7');
    await throttle.reset('register', '198.51.100.7');
    assert.equal((await throttle.consume('register', '198.51.100.7')).count, 1);
  });
});

describe('Throttle login protection', () => {
  let throttle: Throttle;
  beforeEach(() => {
    throttle = new Throttle(new MemoryStore(), limits);
  });
  afterEach(async () => {
    await throttle.close();
  });

  const victim = 'victim@example.com';

  /** One login attempt whose password turns out wrong (the reservation stands). */
  const fail = (attempt: LoginAttempt) => throttle.reserveLogin(attempt);

  test('after max failures for an account from one IP, that IP is refused but others are not', async () => {
    const attacker = { ip: '203.0.113.1', account: victim };
    for (let i = 0; i < 3; i++) await fail(attacker);
    await assertThrottled(throttle.reserveLogin(attacker), 'loginAccountIp', 900);
    await throttle.reserveLogin({ ip: '203.0.113.2', account: victim });
  });

  test('concurrent wrong logins reserve their failure before the password check: at most max get through', async () => {
    const attacker = { ip: '203.0.113.1', account: victim };
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => throttle.reserveLogin(attacker)),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(r.reason instanceof ThrottledError);
    }
  });

  test('refused attempts give their reservation back, so only verified failures count', async () => {
    const store = new MemoryStore();
    const t = new Throttle(store, limits);
    const seen: string[] = [];
    const original = store.hit.bind(store);
    store.hit = (key, windowMs) => {
      seen.push(key);
      return original(key, windowMs);
    };
    try {
      const attacker = { ip: '203.0.113.1', account: victim };
      for (let i = 0; i < 3; i++) await t.reserveLogin(attacker);
      for (let i = 0; i < 5; i++) await assertThrottled(t.reserveLogin(attacker), 'loginAccountIp', 900);
      const pairKey = seen.find((k) => k.startsWith('loginAccountIp:')) ?? '';
      const accountKey = seen.find((k) => k.startsWith('loginAccount:')) ?? '';
      assert.equal((await store.peek(pairKey)).count, 3);
      assert.equal((await store.peek(accountKey)).count, 3);
    } finally {
      await t.close();
    }
  });

  test('a successful login clears the failures of that account and IP and does not count itself', async () => {
    const user = { ip: '203.0.113.9', account: victim };
    for (let i = 0; i < 2; i++) await fail(user);
    await (await throttle.reserveLogin(user)).succeeded();
    for (let i = 0; i < 2; i++) await fail(user);
    await throttle.reserveLogin(user);
  });

  test('a success gives back its account-wide reservation but keeps earlier failures', async () => {
    for (let i = 0; i < 4; i++) await fail({ ip: `203.0.113.${10 + i}`, account: victim });
    for (let i = 0; i < 3; i++)
      await (await throttle.reserveLogin({ ip: '198.51.100.1', account: victim })).succeeded();
    await fail({ ip: '198.51.100.2', account: victim });
    await assertThrottled(
      throttle.reserveLogin({ ip: '198.51.100.3', account: victim }),
      'loginAccount',
      3600,
    );
  });

  test('a cancelled attempt (an error, no verdict) counts as nothing', async () => {
    const user = { ip: '203.0.113.9', account: victim };
    for (let i = 0; i < 10; i++) await (await throttle.reserveLogin(user)).cancel();
    for (let i = 0; i < 3; i++) await fail(user);
    await assertThrottled(throttle.reserveLogin(user), 'loginAccountIp', 900);
  });

  test('every login attempt counts against the per-IP limit, successful or not', async () => {
    for (let i = 0; i < 20; i++) {
      await (await throttle.reserveLogin({ ip: '203.0.113.3', account: `u${i}@example.com` })).succeeded();
    }
    await assertThrottled(
      throttle.reserveLogin({ ip: '203.0.113.3', account: 'new@example.com' }),
      'loginIp',
      300,
    );
  });

  test('failures from many IPs lock out unknown devices but not a known device of the owner', async () => {
    for (let i = 0; i < 5; i++) await fail({ ip: `203.0.113.${100 + i}`, account: victim });
    await assertThrottled(
      throttle.reserveLogin({ ip: '198.51.100.50', account: victim }),
      'loginAccount',
      3600,
    );
    await throttle.reserveLogin({ ip: '198.51.100.50', account: victim, knownDevice: true });
  });

  test('failures from a known device never count against the account-wide limit', async () => {
    for (let i = 0; i < 3; i++) {
      const owner = { ip: `198.51.100.${i}`, account: victim, knownDevice: true };
      for (let j = 0; j < 2; j++) await fail(owner);
    }
    // 6 failures from known devices > loginAccount max of 5, yet an unknown device may still try.
    await throttle.reserveLogin({ ip: '198.51.100.99', account: victim });
  });

  test('a known device is still subject to the account+IP limit', async () => {
    const device = { ip: '198.51.100.7', account: victim, knownDevice: true };
    for (let i = 0; i < 3; i++) await fail(device);
    await assertThrottled(throttle.reserveLogin(device), 'loginAccountIp', 900);
  });

  test('two IPv6 addresses in one /64 share the account+IP budget; another /64 does not', async () => {
    for (let i = 1; i <= 3; i++) await fail({ ip: `2001:db8:1:2::${i}`, account: victim });
    await assertThrottled(
      throttle.reserveLogin({ ip: '2001:db8:1:2:ffff:ffff:ffff:ffff', account: victim }),
      'loginAccountIp',
      900,
    );
    await throttle.reserveLogin({ ip: '2001:db8:1:3::1', account: victim });
  });

  test('per-IP limits count an IPv6 /64 as one client and ::ffff:a.b.c.d as a.b.c.d', async () => {
    for (let i = 0; i < 2; i++) await throttle.consume('register', `2001:db8:aa:bb:${i}::${i + 1}`);
    await assertThrottled(throttle.consume('register', '2001:0db8:00aa:00bb::9'), 'register', 300);
    assert.equal((await throttle.consume('register', '2001:db8:aa:bc::1')).count, 1);
    await throttle.consume('register', '192.0.2.7');
    await throttle.consume('register', '::ffff:192.0.2.7');
    await assertThrottled(throttle.consume('register', '192.0.2.7'), 'register', 300);
  });
});

describe('ipBucket', () => {
  test('keeps IPv4, maps IPv4-mapped IPv6 to IPv4 and cuts other IPv6 to the /64', () => {
    assert.equal(ipBucket('192.0.2.7'), '192.0.2.7');
    assert.equal(ipBucket('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(ipBucket('::FFFF:c000:0207'), '192.0.2.7');
    assert.equal(ipBucket('2001:db8:0:1:aaaa:bbbb:cccc:dddd'), '2001:db8:0:1::/64');
    assert.equal(ipBucket('2001:0DB8:0000:0001::1'), '2001:db8:0:1::/64');
    assert.equal(ipBucket('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(ipBucket('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(ipBucket('::1'), '0:0:0:0::/64');
    assert.equal(ipBucket('64:ff9b::192.0.2.7'), '64:ff9b:0:0::/64');
    assert.equal(ipBucket(' Not-An-IP '), 'not-an-ip');
  });
});

describe('ThrottledError', () => {
  test('carries rule, retryAfterSec, code rate_limited and status 429 for the error handler', () => {
    const err = new ThrottledError('forgotIp', 42);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'ThrottledError');
    assert.equal(err.rule, 'forgotIp');
    assert.equal(err.retryAfterSec, 42);
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.statusCode, 429);
    assert.match(err.message, /42 seconds/);
  });
});
