/** The one error type of emotion-api; `app.ts` maps it to application/problem+json. */
export class AppError extends Error {
  /** Sent as the Retry-After header (seconds) with the problem (429, 503). */
  readonly retryAfterSec?: number;

  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra?: Record<string, unknown>,
    options?: { cause?: unknown; retryAfterSec?: number },
  ) {
    super(detail ?? title, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.retryAfterSec = options?.retryAfterSec;
  }
}
