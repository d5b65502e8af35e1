/**
 * The mail outbox: every mail is a row first (written in the caller's transaction), then the
 * delivery worker sends it. Rows are claimed with a lease (`next_attempt_at` moved forward in the
 * same statement that picks them, `FOR UPDATE SKIP LOCKED`), so several workers or a restart
 * never lose or double-claim a mail while a send is in flight.
 *
 * At rest a row holds its body and links only sealed (mail/sealing.ts), and not even that once it
 * is delivered or given up: then only metadata stays (to, subject, template, status, attempts,
 * times). Links carry live one-time tokens, which are otherwise stored only as SHA-256.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database, MailRow } from '../db/schema.js';
import { mailContentKey, openMail, type SealedFields, sealMail } from './sealing.js';
import type { MailContent } from './templates.js';

type Q = Kysely<Database>;

/** The outbox key of this app (derived from JWT_SECRET_KEY). */
export const outboxKey = (ctx: AppContext): Buffer => mailContentKey(ctx.config.jwt.secret);

const ERASED = { sealed_content: null, text_body: null, html_body: null, links: null } as const;

export async function enqueueMail(db: Q, key: Buffer, to: string, content: MailContent): Promise<void> {
  const id = randomUUID();
  await db
    .insertInto('mail_outbox')
    .values({
      id,
      to_address: to,
      subject: content.subject,
      template: content.template,
      sealed_content: sealMail(key, id, to, content),
    })
    .execute();
}

/**
 * The body and links of a row: opened from `sealed_content`, or the plaintext of a row queued
 * before migration 0002. Undefined once erased, and when the seal does not open (another
 * JWT_SECRET_KEY, or the row was altered).
 */
export function mailFields(key: Buffer, row: MailRow): SealedFields | undefined {
  if (row.sealed_content !== null) {
    try {
      return openMail(key, row.id, row.to_address, row.sealed_content);
    } catch {
      return undefined;
    }
  }
  if (row.text_body !== null)
    return { text: row.text_body, html: row.html_body ?? '', links: row.links ?? [] };
  return undefined;
}

/**
 * Seals the plaintext of pending rows queued before migration 0002 (which could not: it has no
 * key). Run by the mail worker when it starts. Returns how many rows it sealed.
 */
export async function sealLegacyMail(db: Q, key: Buffer): Promise<number> {
  const rows = await db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('sealed_content', 'is', null)
    .where('text_body', 'is not', null)
    .execute();
  for (const row of rows) {
    const fields = mailFields(key, row);
    if (!fields) continue;
    await db
      .updateTable('mail_outbox')
      .set({ ...ERASED, sealed_content: sealMail(key, row.id, row.to_address, fields) })
      .where('id', '=', row.id)
      .where('sealed_content', 'is', null)
      .execute();
  }
  return rows.length;
}

/** Claims up to `limit` due mails for `leaseMs` and counts the attempt. */
export async function claimDueMail(db: Q, limit: number, leaseMs: number): Promise<MailRow[]> {
  const result = await sql<MailRow>`
    UPDATE mail_outbox SET attempts = attempts + 1,
      next_attempt_at = now() + ${`${leaseMs} milliseconds`}::interval
    WHERE id IN (
      SELECT id FROM mail_outbox
      WHERE status = 'pending' AND next_attempt_at <= now()
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING *`.execute(db);
  return result.rows;
}

/**
 * Marks a mail delivered and erases its content. `keepContent` is for the development transport,
 * which delivers nothing: the development outbox still shows the mail.
 */
export async function markSent(db: Q, id: string, options: { keepContent?: boolean } = {}): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      status: 'sent',
      sent_at: new Date(),
      last_error: null,
      ...(options.keepContent ? {} : ERASED),
    })
    .where('id', '=', id)
    .execute();
}

/** Gives back claimed mails that were not tried (the worker is stopping): due again at once, attempt not counted. */
export async function releaseClaims(db: Q, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({ attempts: eb('attempts', '-', 1), next_attempt_at: new Date() }))
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
}

export async function markFailedAttempt(
  db: Q,
  id: string,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  // Given up: the content will never be sent, so it is erased like a delivered one.
  await db
    .updateTable('mail_outbox')
    .set(
      retryAt
        ? { next_attempt_at: retryAt, last_error: error.slice(0, 1000) }
        : { status: 'failed', last_error: error.slice(0, 1000), ...ERASED },
    )
    .where('id', '=', id)
    .execute();
}

/** How many mails wait for delivery (pending: queued or retrying). */
export async function countPendingMail(db: Q): Promise<number> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listOutbox(db: Q, to: string | undefined, limit = 50): Promise<MailRow[]> {
  let q = db
    .selectFrom('mail_outbox')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (to) q = q.where('to_address', '=', to);
  return q.execute();
}
