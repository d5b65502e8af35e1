/**
 * Delivers outbox mail asynchronously with retries and exponential backoff. State lives in the
 * database, so an SMTP outage never fails a request and nothing is lost across restarts. It opens
 * each sealed body just before sending it (mail/sealing.ts) and erases it once delivered.
 *
 * It also runs deferred mail work (`defer`): work that must happen after the request that asked
 * for it has been answered, such as forgot-password's account lookup.
 */
import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isDatabaseUnavailable } from '@emotion-app/service-kit';
import {
  claimDueMail,
  mailFields,
  markFailedAttempt,
  markSent,
  releaseClaims,
  sealLegacyMail,
} from './outbox.js';
import type { MailTransport } from './transport.js';

export interface MailWorkerOptions {
  from: string;
  /** The outbox key (`mailContentKey(JWT_SECRET_KEY)`), to open sealed bodies. */
  contentKey: Buffer;
  pollMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** How long `stop()` waits for a delivery in flight (default 5000 ms). */
  stopTimeoutMs?: number;
  /** How long a claimed mail is reserved for one send attempt. */
  leaseMs?: number;
  /**
   * Deferred work starts after a random delay of up to this many ms (default 0), so a request
   * sent right after another does not pay, in its timing, for that one's per-account work.
   */
  deferJitterMs?: number;
}

export function backoffMs(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

export class MailWorker {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #started = false;
  #stopped = false;
  #again = false;
  #legacySealed = false;
  #databaseDown = false;
  readonly #deferred = new Set<Promise<void>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly transport: MailTransport,
    private readonly log: FastifyBaseLogger,
    private readonly options: MailWorkerOptions,
  ) {}

  start(): void {
    this.#started = true;
    this.#stopped = false;
    this.#schedule(0);
  }

  /**
   * Asks for a delivery round soon (after a mail was enqueued). A no-op until `start()`: mail held
   * in the outbox (production without SMTP_URL) stays pending.
   */
  kick(): void {
    if (!this.#started || this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#schedule(0);
  }

  /**
   * Runs `task` on a later turn of the event loop, after the current request has been answered,
   * so the answer neither waits for the work nor reveals by its timing whether there was any.
   * `stop()` waits for deferred tasks still running; a task deferred after `stop()` is dropped.
   * A failure is logged (with `label`), never thrown.
   */
  defer(label: string, task: () => Promise<void>): void {
    if (this.#stopped) {
      this.log.warn({ task: label }, 'deferred mail work dropped: the mail worker is stopping');
      return;
    }
    const delayMs = randomInt(0, (this.options.deferJitterMs ?? 0) + 1);
    const run: Promise<void> = new Promise<void>((resolve) => setTimeout(resolve, delayMs))
      .then(task)
      .catch((err: unknown) => this.log.error({ err, task: label }, 'deferred mail work failed'))
      .finally(() => this.#deferred.delete(run));
    this.#deferred.add(run);
  }

  /** Resolves once no deferred work is pending (stop() waits for it; tests await it too). */
  async settled(): Promise<void> {
    while (this.#deferred.size > 0) await Promise.all(this.#deferred);
  }

  /**
   * Stops delivering: a mail being sent completes (and is marked sent), the other claimed ones go
   * back to the queue untried. Waits at most `stopTimeoutMs` (default 5 s) for a send that hangs;
   * that mail stays claimed and is retried once its lease ends, by whichever instance runs then.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    let timer: NodeJS.Timeout | undefined;
    const drained = Promise.all([this.settled(), this.#running]).then(() => true);
    const limit = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.options.stopTimeoutMs ?? 5000);
    });
    const done = await Promise.race([drained, limit]);
    clearTimeout(timer);
    if (!done) this.log.warn('mail worker stopped with a delivery in flight: it is retried after its lease');
    this.transport.close();
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#round().finally(() => {
        this.#running = undefined;
        const again = this.#again;
        this.#again = false;
        this.#schedule(again ? 0 : this.options.pollMs);
      });
    }, ms);
    this.#timer.unref();
  }

  /** One delivery round: claims due mails and tries each once. Exposed for tests. */
  async #round(): Promise<void> {
    try {
      if (!this.#legacySealed) {
        const sealed = await sealLegacyMail(this.db, this.options.contentKey);
        if (sealed) this.log.info({ sealed }, 'sealed the plaintext of mails queued before migration 0002');
        this.#legacySealed = true;
      }
      const leaseMs = this.options.leaseMs ?? 60_000;
      const batch = await claimDueMail(this.db, 10, leaseMs);
      for (const [index, mail] of batch.entries()) {
        if (this.#stopped) {
          // Stopping: the mail being sent has finished; the rest go back to the queue untried.
          await releaseClaims(
            this.db,
            batch.slice(index).map((m) => m.id),
          );
          break;
        }
        const content = mailFields(this.options.contentKey, mail);
        if (!content) {
          // Another JWT_SECRET_KEY, or the row was altered: retrying cannot help.
          await markFailedAttempt(this.db, mail.id, 'the sealed content does not open', null);
          this.log.error({ mailId: mail.id }, 'mail content does not open; giving up');
          continue;
        }
        try {
          await this.transport.send({
            from: this.options.from,
            to: mail.to_address,
            subject: mail.subject,
            text: content.text,
            html: content.html,
          });
          await markSent(this.db, mail.id, { keepContent: this.transport.kind === 'development' });
          this.log.info({ mailId: mail.id, attempt: mail.attempts }, 'mail delivered');
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const giveUp = mail.attempts >= this.options.maxAttempts;
          const retryAt = giveUp
            ? null
            : new Date(
                Date.now() + backoffMs(mail.attempts, this.options.retryBaseMs, this.options.retryMaxMs),
              );
          await markFailedAttempt(this.db, mail.id, message, retryAt);
          this.log.warn(
            { mailId: mail.id, attempt: mail.attempts, giveUp, error: message },
            'mail delivery failed',
          );
        }
      }
      if (batch.length === 10) this.#again = true;
      this.#databaseDown = false;
    } catch (err) {
      if (this.#stopped) return;
      // An outage would otherwise log an error every poll: one warning until a round succeeds.
      if (!isDatabaseUnavailable(err)) this.log.error({ err }, 'mail worker round failed');
      else if (!this.#databaseDown) this.log.warn({ err }, 'mail worker: database unreachable, retrying');
      this.#databaseDown = isDatabaseUnavailable(err);
    }
  }
}
