/**
 * The mail outbox: every mail is a row first (written in the caller's transaction), then the
 * delivery worker sends it. Rows are claimed with a lease (`next_attempt_at` moved forward in the
 * same statement that picks them, `FOR UPDATE SKIP LOCKED`), so several workers or a restart
 * never lose or double-claim a mail while a send is in flight.
 */
import { type Kysely, sql } from 'kysely';
import type { Database, MailRow } from '../db/schema.js';
import type { MailContent } from './templates.js';

type Q = Kysely<Database>;

export async function enqueueMail(db: Q, to: string, content: MailContent): Promise<void> {
  await db
    .insertInto('mail_outbox')
    .values({
      to_address: to,
      subject: content.subject,
      text_body: content.text,
      html_body: content.html,
      links: JSON.stringify(content.links),
    })
    .execute();
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

export async function markSent(db: Q, id: string): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ status: 'sent', sent_at: new Date(), last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markFailedAttempt(
  db: Q,
  id: string,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set(
      retryAt
        ? { next_attempt_at: retryAt, last_error: error.slice(0, 1000) }
        : { status: 'failed', last_error: error.slice(0, 1000) },
    )
    .where('id', '=', id)
    .execute();
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
