import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { buildApp } from '../../src/app.js';
import type { Db } from '../../src/db/connect.js';
import { register, startApp, testConfig } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

async function smtpListener(
  t: { after(fn: () => Promise<void>): void },
  onData?: (attempt: number) => Error | undefined,
): Promise<{ url: string; received: Received[]; attempts: () => number }> {
  const received: Received[] = [];
  let attempts = 0;
  const options: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      attempts += 1;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refusal = onData?.(attempts);
        if (refusal) return callback(refusal);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `smtp://127.0.0.1:${port}`, received, attempts: () => attempts };
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const mailRow = (db: Db) => db.selectFrom('mail_outbox').selectAll().executeTakeFirst();

for (const dialect of dialects()) {
  describe(`mail delivery on ${dialect.name}`, () => {
    test('delivers the verification mail through SMTP_URL with text and HTML bodies', async (t) => {
      const smtp = await smtpListener(t);
      const { app, testDb } = await startApp(t, dialect, {
        env: { SMTP_URL: smtp.url, MAIL_FROM: 'auth@test.example' },
      });
      assert.equal((await register(app, 'smtp@example.com')).statusCode, 201);
      const mail = await until('the mail', () => smtp.received[0]);
      assert.deepEqual(mail.to, ['smtp@example.com']);
      assert.equal(mail.from, 'auth@test.example');
      assert.match(mail.raw, /Subject: Verify your email address/);
      assert.match(mail.raw, /text\/plain/);
      assert.match(mail.raw, /text\/html/);
      assert.match(mail.raw.replace(/=\r?\n/g, ''), /verify-email\?token=3D|verify-email\?token=/);
      const row = await until('the sent status', async () => {
        const r = await mailRow(testDb.db);
        return r?.status === 'sent' ? r : undefined;
      });
      assert.equal(row.attempts, 1);
      assert.ok(row.sent_at);
    });

    test('the development outbox is absent (404) when SMTP is configured', async (t) => {
      const smtp = await smtpListener(t);
      const { app } = await startApp(t, dialect, { env: { SMTP_URL: smtp.url } });
      const res = await app.inject({ url: '/api/dev/outbox' });
      assert.equal(res.statusCode, 404);
    });

    test('retries with backoff when the SMTP server refuses, then delivers once it accepts', async (t) => {
      const smtp = await smtpListener(t, (attempt) =>
        attempt <= 2 ? Object.assign(new Error('try again later'), { responseCode: 451 }) : undefined,
      );
      const { app, testDb } = await startApp(t, dialect, { env: { SMTP_URL: smtp.url } });
      assert.equal(
        (await register(app, 'retry@example.com')).statusCode,
        201,
        'registration never fails on SMTP',
      );
      await until('the delivery', () => smtp.received[0]);
      const row = await until('the sent status', async () => {
        const r = await mailRow(testDb.db);
        return r?.status === 'sent' ? r : undefined;
      });
      assert.equal(row.attempts, 3);
      assert.equal(smtp.attempts(), 3);
    });

    test('a mail queued while SMTP is down is delivered after a restart', async (t) => {
      const testDb = await dialect.open();
      let second: Awaited<ReturnType<typeof buildApp>> | undefined;
      t.after(async () => {
        await second?.close();
        await testDb.cleanup();
      });
      const config = testConfig({ SMTP_URL: 'smtp://127.0.0.1:1' });
      const first = await buildApp(config, { db: testDb.db, logger: false });
      assert.equal((await register(first, 'restart@example.com')).statusCode, 201);
      await until(
        'a failed attempt',
        async () => ((await mailRow(testDb.db))?.attempts ?? 0) >= 1 || undefined,
      );
      await first.close();
      const pending = await mailRow(testDb.db);
      assert.equal(pending?.status, 'pending');

      const smtp = await smtpListener(t);
      await testDb.db.updateTable('mail_outbox').set({ next_attempt_at: new Date() }).execute();
      second = await buildApp({ ...config, smtpUrl: smtp.url }, { db: testDb.db, logger: false });
      const mail = await until('the delivery after restart', () => smtp.received[0]);
      assert.deepEqual(mail.to, ['restart@example.com']);
    });
  });
}
