import { isAuthError } from '@emotion-app/auth-client/server';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../errors.js';

export interface FieldError {
  path: string;
  message: string;
}

/** Writes an error as application/problem+json: `{ type, title, status, detail, code, ...extra }`. */
export function sendProblem(reply: FastifyReply, err: AppError): FastifyReply {
  const body: Record<string, unknown> = {
    type: 'about:blank',
    title: err.title,
    status: err.status,
    detail: err.detail ?? err.title,
    code: err.code,
    ...err.extra,
  };
  if (err.retryAfterSec !== undefined) reply.header('retry-after', String(err.retryAfterSec));
  return reply.code(err.status).type('application/problem+json').send(body);
}

/** Any thrown value as an AppError (auth-client's AuthError keeps its status, code and fields). */
export function toAppError(error: unknown, reply?: FastifyReply): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isAuthError(error)) {
    if (error.retryAfterSec !== undefined) reply?.header('retry-after', String(error.retryAfterSec));
    return new AppError(
      error.status,
      error.code,
      error.title,
      error.detail,
      error.errors ? { errors: error.errors } : undefined,
    );
  }
  const err = error as FastifyError;
  if (err.validation) {
    const errors = validationErrors(err);
    return new AppError(
      400,
      'validation_failed',
      'Validation failed',
      errors.map((e) => `${e.path || err.validationContext || 'body'} ${e.message}`).join('; '),
      { errors },
    );
  }
  switch (err.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'payload_too_large', 'Payload too large', err.message);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'unsupported_media_type', 'Unsupported media type', err.message);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_PROTO_VIOLATION':
      return new AppError(400, 'validation_failed', 'Validation failed', 'The request body is malformed.', {
        errors: [{ path: '', message: err.message }],
      });
    default:
      break;
  }
  if (err instanceof SyntaxError && err.statusCode === 400) {
    return new AppError(
      400,
      'validation_failed',
      'Validation failed',
      'The request body is not valid JSON.',
      {
        errors: [{ path: '', message: 'must be valid JSON' }],
      },
    );
  }
  if (err.statusCode === 429)
    return new AppError(429, 'rate_limited', 'Too many requests', 'Try again later.');
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError(err.statusCode, 'bad_request', 'Bad request', err.message);
  }
  return undefined;
}

interface AjvError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function validationErrors(err: FastifyError): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of (err.validation ?? []) as AjvError[]) {
    const parts = (e.instancePath ?? '').split('/').filter(Boolean);
    if (e.keyword === 'required' && typeof e.params?.missingProperty === 'string') {
      parts.push(e.params.missingProperty);
    }
    if (e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') {
      parts.push(e.params.additionalProperty);
    }
    const path = parts.join('.');
    let message = e.keyword === 'required' ? 'is required' : (e.message ?? 'is invalid');
    if (e.keyword === 'format' && e.params?.format === 'email') message = 'must be a valid email address';
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}

/** Maps every error to problem+json in one place; unknown routes answer 404 `not_found`. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, reply);
    if (appError) {
      // Shedding load (503 with Retry-After) is expected under a burst: one line, no stack.
      if (appError.retryAfterSec !== undefined) request.log.warn({ code: appError.code }, 'request refused');
      else if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      sendProblem(reply, appError);
      return;
    }
    request.log.error({ err: error }, 'unexpected error');
    sendProblem(
      reply,
      new AppError(
        500,
        'internal_error',
        'Internal server error',
        `Something went wrong (request ${request.id}).`,
      ),
    );
  });
}

export function notFoundError(method: string, url: string): AppError {
  return new AppError(404, 'not_found', 'Not found', `No route for ${method} ${url.split('?')[0]}`);
}
