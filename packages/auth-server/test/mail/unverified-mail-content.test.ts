/**
 * Issue 10 finding 13: anyone can register any address, so the name typed at registration is
 * attacker-written text. Mails to an address nobody has verified yet carry none of it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OutboxMessage } from '@emotion-app/protocol';
import { outbox, post, register, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const SPAM = 'Claim your prize at evil.example';

function assertNoName(mail: OutboxMessage | undefined, what: string): void {
  assert.ok(mail, what);
  for (const part of [mail.subject, mail.text, mail.html]) {
    assert.ok(!part.includes(SPAM), `${what} contains the registered name`);
    assert.ok(!part.includes('Mallory'), `${what} contains the registered name`);
  }
  assert.match(mail.text, /^Hello,\n/, `${what} greets with "Hello," only`);
}

for (const dialect of dialects()) {
  describe(`mail content for unverified addresses on ${dialect.name}`, () => {
    test('the verification mail to an unverified address carries no name', async (t) => {
      const { app } = await startApp(t, dialect);
      await register(app, 'spam@example.com', undefined, SPAM);
      const [mail] = await outbox(app, 'spam@example.com');
      assert.equal(mail?.subject, 'Verify your email address');
      assertNoName(mail, 'the verification mail');
    });

    test('the "someone tried to register" notice to an unverified address carries neither name', async (t) => {
      const { app } = await startApp(t, dialect);
      await register(app, 'twice@example.com', undefined, 'Mallory');
      await register(app, 'twice@example.com', undefined, SPAM);
      const [notice] = await outbox(app, 'twice@example.com');
      assert.equal(notice?.subject, 'You already have an account');
      assertNoName(notice, 'the notice');
    });

    test('a reset mail to an unverified address carries no name', async (t) => {
      const { app } = await startApp(t, dialect);
      await register(app, 'unverified-reset@example.com', undefined, SPAM);
      await post(app, '/api/auth/forgot-password', { email: 'unverified-reset@example.com' });
      await app.ctx.mailWorker.settled();
      const [mail] = await outbox(app, 'unverified-reset@example.com');
      assert.equal(mail?.subject, 'Reset your password');
      assertNoName(mail, 'the reset mail');
    });

    test('mails to a verified address may greet by the account’s name', async (t) => {
      const { app } = await startApp(t, dialect);
      await signUp(app, 'verified@example.com'); // name "Test User"
      await register(app, 'verified@example.com', undefined, SPAM);
      const [notice] = await outbox(app, 'verified@example.com');
      assert.equal(notice?.subject, 'You already have an account');
      assert.match(notice?.text ?? '', /^Hello Test User,/);
      assert.ok(!notice?.text.includes(SPAM), 'the new registration’s name is not the account’s');
      await post(app, '/api/auth/forgot-password', { email: 'verified@example.com' });
      await app.ctx.mailWorker.settled();
      const [reset] = await outbox(app, 'verified@example.com');
      assert.equal(reset?.subject, 'Reset your password');
      assert.match(reset?.text ?? '', /^Hello Test User,/);
    });
  });
}
