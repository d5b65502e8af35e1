/** A problem+json error (RFC 9457) as emotion-api sends it, or a network failure (status 0). */
export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  readonly retryAfter: number | undefined;

  constructor(status: number, body: ProblemBody, retryAfter?: number) {
    super(body.detail ?? body.title ?? `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? (status === 0 ? 'network_error' : `http_${status}`);
    this.title = body.title ?? 'Request failed';
    this.detail = body.detail;
    this.errors = Array.isArray(body.errors) ? body.errors : [];
    this.retryAfter = retryAfter;
  }
}

/** The field a problem path points at: "/body/email", "body.email", "email" and "/email" all give "email". */
export function fieldName(path: string): string {
  const parts = path.split(/[/.]/).filter((part) => part !== '' && part !== 'body');
  return parts[parts.length - 1] ?? '';
}

/** Groups `errors[]` by field name; the first message per field wins. */
export function fieldErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!(error instanceof ApiError)) return result;
  for (const item of error.errors) {
    const name = fieldName(item.path);
    if (name && result[name] === undefined) result[name] = item.message;
  }
  return result;
}

/** Reads a failed response into an ApiError, whatever its body is. */
export async function problemFromResponse(response: Response): Promise<ApiError> {
  let body: ProblemBody = {};
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      body = (await response.json()) as ProblemBody;
    } catch {
      body = {};
    }
  }
  const retryAfterHeader = response.headers.get('retry-after');
  const retryAfter = retryAfterHeader === null ? undefined : Number(retryAfterHeader);
  return new ApiError(
    response.status,
    body,
    retryAfter !== undefined && Number.isFinite(retryAfter) ? retryAfter : undefined,
  );
}

/** A short sentence for the user, for errors not tied to one field. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'network_error':
      return 'Cannot reach the server. Check your connection and try again.';
    case 'invalid_credentials':
      return 'Wrong email or password.';
    case 'email_not_verified':
      return 'Please confirm your email address first: open the link we sent you.';
    case 'invalid_or_expired_token':
      return 'This link is invalid, was already used or has expired.';
    case 'rate_limited':
      return error.retryAfter
        ? `Too many attempts. Please wait ${error.retryAfter} seconds and try again.`
        : 'Too many attempts. Please wait a moment and try again.';
    case 'auth_unavailable':
      return 'The sign-in service is unavailable right now. Please try again shortly.';
    default:
      return error.detail ?? error.title;
  }
}
