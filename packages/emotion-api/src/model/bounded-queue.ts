import { ProblemError } from '@emotion-app/protocol';

/** Retry-After bounds (seconds) of a 503 server_busy. */
const MIN_RETRY_AFTER_SEC = 1;
const MAX_RETRY_AFTER_SEC = 60;

/**
 * Runs at most `concurrency` tasks at once; up to `queueMax` more wait their turn in order. A task
 * arriving when the queue is full is refused at once with 503 `server_busy` and a Retry-After
 * estimated from recent task durations, so a burst of uploads cannot pile up decoded images in
 * memory (issue 10 #14). A waiting task whose `signal` aborts (its client went away) leaves the
 * queue without running.
 */
export class BoundedQueue {
  private active = 0;
  private readonly waiting: { start: () => void }[] = [];
  /** Moving average of task durations (ms); seeds the Retry-After estimate. */
  private averageMs = 1000;

  constructor(
    readonly concurrency: number,
    readonly queueMax: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be ≥ 1');
    if (!Number.isInteger(queueMax) || queueMax < 0) throw new RangeError('queueMax must be ≥ 0');
  }

  /** Tasks running now and tasks waiting (for diagnostics and tests). */
  get size(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.active < this.concurrency) this.active++;
    else await this.wait(signal);
    const started = performance.now();
    try {
      return await task();
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
      this.release();
    }
  }

  /** Seconds until a task arriving now would likely get a turn. */
  retryAfterSec(): number {
    const rounds = (this.waiting.length + this.active) / this.concurrency;
    const estimate = Math.ceil((rounds * this.averageMs) / 1000);
    return Math.min(MAX_RETRY_AFTER_SEC, Math.max(MIN_RETRY_AFTER_SEC, estimate));
  }

  private wait(signal: AbortSignal | undefined): Promise<void> {
    if (this.waiting.length >= this.queueMax) {
      throw new ProblemError({
        code: 'server_busy',
        detail: `Too many images are being processed (${this.concurrency} at once, ${this.queueMax} waiting); try again shortly.`,
        retryAfterSec: this.retryAfterSec(),
      });
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        // The finishing task hands its place over: `active` stays the same.
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.active--;
  }
}
