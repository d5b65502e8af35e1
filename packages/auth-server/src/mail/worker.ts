/**
 * Delivers outbox mail asynchronously with retries and exponential backoff. State lives in the
 * database, so an SMTP outage never fails a request and nothing is lost across restarts.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { claimDueMail, markFailedAttempt, markSent } from './outbox.js';
import type { MailTransport } from './transport.js';

export interface MailWorkerOptions {
  from: string;
  pollMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** How long a claimed mail is reserved for one send attempt. */
  leaseMs?: number;
}

export function backoffMs(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

export class MailWorker {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #again = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly transport: MailTransport,
    private readonly log: FastifyBaseLogger,
    private readonly options: MailWorkerOptions,
  ) {}

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Asks for a delivery round soon (after a mail was enqueued). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
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
      const leaseMs = this.options.leaseMs ?? 60_000;
      const batch = await claimDueMail(this.db, 10, leaseMs);
      for (const mail of batch) {
        if (this.#stopped) break;
        try {
          await this.transport.send({
            from: this.options.from,
            to: mail.to_address,
            subject: mail.subject,
            text: mail.text_body,
            html: mail.html_body,
          });
          await markSent(this.db, mail.id);
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
    } catch (err) {
      if (!this.#stopped) this.log.error({ err }, 'mail worker round failed');
    }
  }
}
