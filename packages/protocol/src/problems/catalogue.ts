/**
 * The problem catalogue: every `code` a service of this repository answers with, its HTTP status
 * and its default title. Services throw {@link ProblemError} with one of these codes; clients
 * switch on them. Pure data: safe to import in browsers.
 */

/** Default status and title of a problem code. */
export interface ProblemEntry {
  readonly status: number;
  readonly title: string;
}

export const PROBLEMS = {
  // 400
  validation_failed: { status: 400, title: 'Validation failed' },
  bad_request: { status: 400, title: 'Bad request' },
  invalid_or_expired_token: { status: 400, title: 'Invalid or expired token' },
  weak_password: { status: 400, title: 'Weak password' },
  // 401: the credentials (or the token or session behind them) are not good
  unauthorized: { status: 401, title: 'Unauthorized' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  invalid_token: { status: 401, title: 'Invalid token' },
  token_expired: { status: 401, title: 'Token expired' },
  refresh_token_reused: { status: 401, title: 'Refresh token reused' },
  session_expired: { status: 401, title: 'Session expired' },
  session_revoked: { status: 401, title: 'Session revoked' },
  // 403
  forbidden: { status: 403, title: 'Forbidden' },
  email_not_verified: { status: 403, title: 'Email not verified' },
  csrf_failed: { status: 403, title: 'CSRF check failed' },
  // 404 to 429
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  cursor_expired: { status: 410, title: 'Cursor expired' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  image_too_large: { status: 413, title: 'Image too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  no_face_detected: { status: 422, title: 'No face detected' },
  low_confidence: { status: 422, title: 'Low confidence' },
  rate_limited: { status: 429, title: 'Too many requests' },
  /** Never sent: the client went away (nginx's 499); only logged. */
  client_closed: { status: 499, title: 'Client closed the request' },
  // 5xx
  internal_error: { status: 500, title: 'Internal server error' },
  inference_failed: { status: 500, title: 'Inference failed' },
  auth_unavailable: { status: 503, title: 'Authentication service unavailable' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  server_busy: { status: 503, title: 'Server busy' },
  model_unavailable: { status: 503, title: 'Model unavailable' },
  // Client side only: what a parser answers when there is no problem body to read.
  /** The request never got an answer (status 0). */
  network_error: { status: 0, title: 'Network error' },
  /** A non-2xx answer without a problem body and without a code of its own status. */
  http_error: { status: 500, title: 'HTTP error' },
} as const satisfies Record<string, ProblemEntry>;

/** A code of the catalogue. */
export type ProblemCode = keyof typeof PROBLEMS;

/**
 * A code as a client sees it: one of the catalogue, or any other string a newer server may send.
 */
export type ErrorCode = ProblemCode | (string & {});

/** Every code of the catalogue. */
export const ErrorCodes = Object.keys(PROBLEMS) as ProblemCode[];

/** Whether `code` is in the catalogue. */
export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEMS, code);
}

/** One failed field of a `validation_failed` (or `weak_password`) problem. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * An application/problem+json body (RFC 9457) as the services send it: the standard members,
 * the stable `code`, field errors, and any extension members (e.g. `rule` of `weak_password`).
 */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}
