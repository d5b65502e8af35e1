/**
 * Issue 10 finding 3: mail_outbox kept every body and link, live one-time tokens included, in
 * plaintext forever. Now the text, HTML and links are sealed (AES-256-GCM, key from
 * JWT_SECRET_KEY by HKDF) and erased once delivered; only metadata stays.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { buildApp } from '../../src/app.js';
import { type Db, openDb } from '../../src/db/connect.js';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { mailFields, sealLegacyMail } from '../../src/mail/outbox.js';
import { mailContentKey, sealMail } from '../../src/mail/sealing.js';
import type { MailTransport, OutgoingMail } from '../../src/mail/transport.js';
import { latestToken, post, register, startApp, TEST_SECRET, testConfig } from '../helpers/app.js';
import { type Dialect, dialects } from '../helpers/db.js';

const TABLES = ['users', 'sessions', 'refresh_tokens', 'one_time_tokens', 'mail_outbox', 'auth_events'];

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Every row of `table` as raw column values (no Kysely types in between). */
async function rawRows(db: Db, table: string): Promise<Record<string, unknown>[]> {
  return (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db)).rows;
}

function mentions(row: Record<string, unknown>, needle: string): string[] {
  return Object.entries(row)
    .filter(([, v]) => v !== null && (typeof v === 'string' ? v : JSON.stringify(v)).includes(needle))
    .map(([column]) => column);
}

/** A transport that records what it sends, as SMTP would (so delivered content is erased). */
function recordingTransport(): MailTransport & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  return {
    kind: 'smtp',
    sent,
    async send(mail) {
      sent.push(mail);
    },
    close() {},
  };
}

/** An empty database migrated only to 0001, as a deployment was before this change. */
async function databaseAt0001(t: { after(fn: () => Promise<void>): void }, dialect: Dialect): Promise<Db> {
  const url = dialect.name === 'postgres' ? process.env.TEST_DATABASE_URL : undefined;
  if (!url) {
    const db = await openDb({});
    t.after(() => db.destroy());
    await migrateTo(db, '0001_init');
    return db;
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = await openDb({ databaseUrl: url, schema, poolSize: 2 });
  t.after(async () => {
    await db.destroy();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });
  await migrateTo(db, '0001_init');
  return db;
}

for (const dialect of dialects()) {
  describe(`mail outbox at rest on ${dialect.name}`, () => {
    test('after register no column of any table holds the verification token, its link or the mail body', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      await register(app, 'rest@example.com');
      const token = await latestToken(app, 'rest@example.com', '/verify-email');
      const [row] = await rawRows(testDb.db, 'mail_outbox');
      assert.ok(row);
      assert.equal(row.template, 'verification');
      assert.equal(row.subject, 'Verify your email address', 'the subject may stay plain');
      assert.equal(row.text_body, null);
      assert.equal(row.html_body, null);
      assert.equal(row.links, null);
      assert.match(String(row.sealed_content), /^v1\./);
      for (const table of TABLES) {
        for (const r of await rawRows(testDb.db, table)) {
          assert.deepEqual(mentions(r, token), [], `${table} holds the token`);
          assert.deepEqual(mentions(r, '/verify-email'), [], `${table} holds the link`);
          assert.deepEqual(mentions(r, 'confirm your email'), [], `${table} holds the body`);
        }
      }
    });

    test('the development outbox still shows subject, text, html and links, and the development transport erases nothing', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      await register(app, 'dev@example.com');
      const row = await until('the development delivery', async () => {
        const [r] = await rawRows(testDb.db, 'mail_outbox');
        return r?.status === 'sent' ? r : undefined;
      });
      assert.notEqual(row.sealed_content, null, 'nothing was delivered, so nothing is erased');
      const res = await app.inject({ url: '/api/dev/outbox?to=dev@example.com' });
      const [mail] = res.json().messages;
      assert.equal(mail.subject, 'Verify your email address');
      assert.match(mail.text, /confirm your email/);
      assert.match(mail.html, /<a href="http:\/\/localhost:5000\/verify-email\?token=/);
      assert.match(mail.links[0], /^http:\/\/localhost:5000\/verify-email\?token=[A-Za-z0-9_-]{43}$/);
      const token = await latestToken(app, 'dev@example.com', '/verify-email');
      assert.equal((await post(app, '/api/auth/verify', { token })).statusCode, 200);
    });

    test('after delivery through SMTP the body columns are NULL and only metadata stays', async (t) => {
      const received: string[] = [];
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, _session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            received.push(Buffer.concat(chunks).toString('utf8'));
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const { port } = server.server.address() as AddressInfo;
      const { app, testDb } = await startApp(t, dialect, { env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });

      await register(app, 'smtp-rest@example.com');
      const raw = await until('the SMTP delivery', () => received[0]);
      assert.match(raw.replace(/=\r?\n/g, ''), /verify-email\?token=(3D)?[A-Za-z0-9_-]{43}/, 'sent in clear');
      const row = await until('the sent status', async () => {
        const [r] = await rawRows(testDb.db, 'mail_outbox');
        return r?.status === 'sent' ? r : undefined;
      });
      assert.equal(row.sealed_content, null);
      assert.equal(row.text_body, null);
      assert.equal(row.html_body, null);
      assert.equal(row.links, null);
      assert.equal(row.to_address, 'smtp-rest@example.com');
      assert.equal(row.template, 'verification');
      assert.equal(row.attempts, 1);
      assert.ok(row.sent_at && row.created_at);
    });

    test('a mail whose seal does not open (re-addressed row) is given up and erased, never sent', async (t) => {
      const transport = recordingTransport();
      const { app, testDb } = await startApp(t, dialect, { build: { mailTransport: transport } });
      const id = randomUUID();
      const key = mailContentKey(TEST_SECRET);
      await testDb.db
        .insertInto('mail_outbox')
        .values({
          id,
          to_address: 'eve@example.com',
          subject: 'Reset your password',
          template: 'password_reset',
          sealed_content: sealMail(key, id, 'ada@example.com', { text: 'secret link', html: '', links: [] }),
        })
        .execute();
      app.ctx.mailWorker.kick();
      const row = await until('the give-up', async () => {
        const [r] = await rawRows(testDb.db, 'mail_outbox');
        return r?.status === 'failed' ? r : undefined;
      });
      assert.equal(row.sealed_content, null);
      assert.equal(transport.sent.length, 0);
    });

    test('migration 0002 erases the bodies of delivered mails; pending ones are sealed when the worker starts and still delivered', async (t) => {
      const db = await databaseAt0001(t, dialect);
      const legacy = (status: 'sent' | 'pending', to: string) =>
        sql`INSERT INTO mail_outbox (to_address, subject, text_body, html_body, links, status)
          VALUES (${to}, 'Reset your password', ${`Reset: https://app/reset-password?token=${status}-token`},
            '<p>html</p>', ${JSON.stringify([`https://app/reset-password?token=${status}-token`])}::jsonb, ${status})`.execute(
          db,
        );
      await legacy('sent', 'old@example.com');
      await legacy('pending', 'waiting@example.com');
      await migrateToLatest(db);

      const rows = await rawRows(db, 'mail_outbox');
      const sent = rows.find((r) => r.to_address === 'old@example.com');
      assert.equal(sent?.text_body, null);
      assert.equal(sent?.html_body, null);
      assert.equal(sent?.links, null);
      assert.equal(sent?.template, 'legacy');

      const key = mailContentKey(TEST_SECRET);
      assert.equal(await sealLegacyMail(db, key), 1);
      const [sealed] = await db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('status', '=', 'pending')
        .execute();
      assert.ok(sealed);
      assert.equal(sealed.text_body, null);
      assert.equal(sealed.links, null);
      assert.deepEqual(mentions(sealed, 'pending-token'), []);
      assert.deepEqual(mailFields(key, sealed)?.links, ['https://app/reset-password?token=pending-token']);

      // The worker seals at start (a no-op now) and delivers the legacy mail.
      const transport = recordingTransport();
      const config = testConfig({ JWT_SECRET_KEY: TEST_SECRET });
      const app = await buildApp(config, { db, logger: false, mailTransport: transport });
      t.after(async () => {
        await app.close();
        rmSync(config.dataDir, { recursive: true, force: true });
      });
      const mail = await until('the legacy delivery', () => transport.sent[0]);
      assert.equal(mail.to, 'waiting@example.com');
      assert.match(mail.text, /pending-token/);
      const after = await until('the sent status', async () => {
        const r = await db
          .selectFrom('mail_outbox')
          .selectAll()
          .where('id', '=', sealed.id)
          .executeTakeFirst();
        return r?.status === 'sent' ? r : undefined;
      });
      assert.equal(after.sealed_content, null);
    });
  });
}
