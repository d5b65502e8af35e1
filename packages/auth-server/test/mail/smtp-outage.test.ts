/**
 * Mail survives an SMTP outage and a shutdown: registered while nothing listens on the SMTP
 * port, the verification mail arrives once a listener starts there (the outbox retries, with the
 * backoff of MAIL_RETRY_BASE_SECONDS / MAIL_RETRY_MAX_SECONDS); a worker stopped mid-send
 * finishes that mail and puts the rest of its batch back untried.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../src/config.js';
import { enqueueMail } from '../../src/mail/outbox.js';
import { mailContentKey } from '../../src/mail/sealing.js';
import type { MailTransport } from '../../src/mail/transport.js';
import { MailWorker } from '../../src/mail/worker.js';
import { register, startApp, TEST_SECRET, TEST_SERVICE_KEY } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';
import { freePort } from '../helpers/ports.js';

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The retry settings a deployment gets from these variables (config.ts), with a fast poll. */
function mailSettingsFromEnv(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-mail-env-'));
  try {
    const config = loadConfig({
      JWT_SECRET_KEY: TEST_SECRET,
      SERVICE_KEY: TEST_SERVICE_KEY,
      DATA_DIR: dataDir,
      ...env,
    });
    return { ...config.mail, pollMs: 50, deferJitterMs: 0 };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const silent = { info() {}, warn() {}, error() {} } as unknown as ConstructorParameters<typeof MailWorker>[2];

for (const dialect of dialects()) {
  describe(`mail through an SMTP outage on ${dialect.name}`, () => {
    test('a mail queued while nothing listens on the SMTP port arrives once a listener starts there', async (t) => {
      const port = await freePort();
      const mail = mailSettingsFromEnv({ MAIL_RETRY_BASE_SECONDS: '0.2', MAIL_RETRY_MAX_SECONDS: '1' });
      assert.deepEqual([mail.retryBaseMs, mail.retryMaxMs, mail.maxAttempts], [200, 1000, 10]);
      const { app, testDb } = await startApp(t, dialect, {
        env: { SMTP_URL: `smtp://127.0.0.1:${port}` },
        overrides: { mail },
      });
      assert.equal((await register(app, 'late-smtp@example.com')).statusCode, 201);
      const row = () => testDb.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow();
      await until('two refused attempts', async () => ((await row()).attempts >= 2 ? true : undefined));
      assert.equal((await row()).status, 'pending');
      assert.match((await row()).last_error ?? '', /ECONNREFUSED/);

      const received: string[] = [];
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, session, callback) {
          stream.resume();
          stream.on('end', () => {
            received.push(...session.envelope.rcptTo.map((r) => r.address));
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const listeningAt = Date.now();
      await until('the delivery', async () => (received.length > 0 ? true : undefined), 10_000);
      t.diagnostic(`delivered ${Date.now() - listeningAt} ms after the listener started`);
      assert.deepEqual(received, ['late-smtp@example.com']);
      await until('the sent status', async () => ((await row()).status === 'sent' ? true : undefined));
    });

    test('stopping the worker mid-send completes that mail and puts the rest back untried', async (t) => {
      const testDb = await dialect.open();
      t.after(() => testDb.cleanup());
      const key = mailContentKey(TEST_SECRET);
      for (const to of ['a@example.com', 'b@example.com', 'c@example.com']) {
        await enqueueMail(testDb.db, key, to, {
          template: 't',
          subject: 's',
          text: 'x',
          html: 'x',
          links: [],
        });
      }
      let started!: () => void;
      const sending = new Promise<void>((resolve) => {
        started = resolve;
      });
      const sent: string[] = [];
      const transport: MailTransport = {
        kind: 'smtp',
        async send(mail) {
          started();
          await sleep(300);
          sent.push(mail.to);
        },
        close() {},
      };
      const worker = new MailWorker(testDb.db, transport, silent, {
        from: 'auth@test.example',
        contentKey: key,
        ...mailSettingsFromEnv({}),
      });
      worker.start();
      await sending;
      await worker.stop();

      assert.equal(sent.length, 1, 'the mail in flight was sent, no other');
      const rows = await testDb.db.selectFrom('mail_outbox').selectAll().orderBy('to_address').execute();
      const delivered = rows.filter((r) => r.status === 'sent');
      const queued = rows.filter((r) => r.status === 'pending');
      assert.deepEqual(
        delivered.map((r) => r.to_address),
        sent,
      );
      assert.equal(queued.length, 2);
      for (const r of queued) {
        assert.equal(r.attempts, 0, 'an untried mail does not count an attempt');
        assert.ok(
          new Date(r.next_attempt_at).getTime() <= Date.now(),
          'and is due at once for the next start',
        );
      }
    });
  });
}
