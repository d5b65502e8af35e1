/** The one error type of emotion-api; `app.ts` maps it to application/problem+json. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(detail ?? title, options);
    this.name = 'AppError';
  }
}
