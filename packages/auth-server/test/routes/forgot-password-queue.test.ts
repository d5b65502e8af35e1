/**
 * Issue 10 finding 9: forgot-password's timing told known from unknown addresses. The route now
 * answers before any per-account work: it queues the lookup, token and mail (mailWorker.defer)
 * for after the answer, the same for every address. Tested by the mechanism, never by timing.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../../src/app.js';
import { outbox, post, signUp, startApp, testConfig } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

for (const dialect of dialects()) {
  describe(`forgot-password queue on ${dialect.name}`, () => {
    test('forgot-password answers before looking the account up: known and unknown addresses queue the same work', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      await signUp(app, 'known@example.com');
      const queued: { label: string; task: () => Promise<void> }[] = [];
      t.mock.method(app.ctx.mailWorker, 'defer', (label: string, task: () => Promise<void>) => {
        queued.push({ label, task });
      });
      const lookups = t.mock.method(app.ctx.db, 'selectFrom');

      const known = await post(app, '/api/auth/forgot-password', { email: 'known@example.com' });
      const unknown = await post(app, '/api/auth/forgot-password', { email: 'unknown@example.com' });
      assert.equal(known.statusCode, 202);
      assert.equal(known.body, unknown.body);
      assert.deepEqual(
        queued.map((q) => q.label),
        ['forgot-password', 'forgot-password'],
      );
      assert.equal(lookups.mock.callCount(), 0, 'no query while answering');
      const resetTokens = () =>
        testDb.db.selectFrom('one_time_tokens').select('id').where('kind', '=', 'reset').execute();
      assert.equal((await resetTokens()).length, 0, 'no token before the queued work runs');

      for (const { task } of queued) await task();
      assert.equal((await resetTokens()).length, 1);
      const [mail] = await outbox(app, 'known@example.com');
      assert.equal(mail?.subject, 'Reset your password');
      assert.equal((await outbox(app, 'unknown@example.com')).length, 0);
    });

    test('the reset mail still arrives once the queued work has run after the answer', async (t) => {
      const { app } = await startApp(t, dialect);
      await signUp(app, 'arrives@example.com');
      const res = await post(app, '/api/auth/forgot-password', { email: 'arrives@example.com' });
      assert.equal(res.statusCode, 202);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const messages = await outbox(app, 'arrives@example.com');
        if (messages.some((m) => m.subject === 'Reset your password')) break;
        assert.ok(Date.now() < deadline, 'the reset mail never arrived');
        await sleep(20);
      }
    });

    test('closing the app waits for queued forgot-password work', async (t) => {
      const testDb = await dialect.open();
      const config = testConfig();
      t.after(async () => {
        await testDb.cleanup();
        rmSync(config.dataDir, { recursive: true, force: true });
      });
      const app = await buildApp(config, { db: testDb.db, logger: false });
      await signUp(app, 'closing@example.com');
      const res = await post(app, '/api/auth/forgot-password', { email: 'closing@example.com' });
      assert.equal(res.statusCode, 202);
      await app.close();
      const row = await testDb.db
        .selectFrom('mail_outbox')
        .select('template')
        .where('to_address', '=', 'closing@example.com')
        .where('template', '=', 'password_reset')
        .executeTakeFirst();
      assert.ok(row, 'the reset mail was queued before the app closed');
    });
  });
}
