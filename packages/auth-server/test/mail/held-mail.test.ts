/**
 * Production without SMTP_URL holds mail in the outbox (DESIGN §3, config.ts): the worker is not
 * started, and a request's kick must not deliver through the development transport either.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ARGON2_PRODUCTION_COST } from '../../src/config.js';
import { register, startApp, TEST_SECRET } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

for (const dialect of dialects()) {
  describe(`mail held without SMTP in production on ${dialect.name}`, () => {
    test('a mail queued in production without SMTP_URL stays pending and sealed', async (t) => {
      const { app, testDb } = await startApp(t, dialect, {
        env: { NODE_ENV: 'production', SERVICE_KEY: `${TEST_SECRET}-service` },
        overrides: { argon2: { ...ARGON2_PRODUCTION_COST } },
      });
      assert.equal((await register(app, 'held@example.com')).statusCode, 201);
      await sleep(300); // several poll intervals of the test config: a kick would have run by now
      const row = await testDb.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 0);
      assert.notEqual(row.sealed_content, null);
    });
  });
}
