/**
 * The page's reading of failed requests: protocol's problem parser (`readProblem`) with the web's
 * error class, and the plain-words explanations of the well-known codes.
 */
import {
  type ClientProblemInit,
  type ErrorCode,
  ProblemError,
  problemFromResponse as parseProblem,
} from '@emotion-app/protocol';

/** A failed request: a problem+json answer of emotion-api, or no answer at all (status 0). */
export class ApiError extends ProblemError<ErrorCode> {
  constructor(init: ClientProblemInit) {
    super(init);
    this.name = 'ApiError';
  }
}

/** The title of a failure whose answer carried none (an error page, or no answer). */
const FALLBACK_TITLE = 'Request failed';

/** The error of a request that got no answer (emotion-api unreachable, connection cut). */
export function networkError(cause: unknown): ApiError {
  return new ApiError({
    status: 0,
    code: 'network_error',
    title: 'Network error',
    detail: String(cause),
    cause,
  });
}

/**
 * Reads a failed response into an ApiError, whatever its body is. Only a JSON body is read: the
 * text of anything else (a proxy's HTML error page) is not something to show the user.
 */
export async function problemFromResponse(response: Response): Promise<ApiError> {
  let text = '';
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      text = await response.text();
    } catch {
      // an unreadable body is read as an empty one
    }
  }
  return parseProblem(
    { status: response.status, statusText: FALLBACK_TITLE, headers: response.headers, text },
    { errorClass: ApiError },
  );
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
  for (const item of error.errors ?? []) {
    const name = fieldName(item.path);
    if (name && result[name] === undefined) result[name] = item.message;
  }
  return result;
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
      return error.retryAfterSec
        ? `Too many attempts. Please wait ${error.retryAfterSec} seconds and try again.`
        : 'Too many attempts. Please wait a moment and try again.';
    case 'auth_unavailable':
      return 'The sign-in service is unavailable right now. Please try again shortly.';
    default:
      return error.detail ?? error.title;
  }
}
