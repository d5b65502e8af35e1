import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError, type FieldError } from '../errors.js';
import { ThrottledError } from '../throttle/index.js';

const PROBLEM_TYPE = 'about:blank';

function send(reply: FastifyReply, err: AppError): FastifyReply {
  if (err.headers) reply.headers(err.headers);
  const body: Record<string, unknown> = {
    ...err.extensions,
    type: PROBLEM_TYPE,
    title: err.title,
    status: err.status,
    detail: err.detail ?? err.title,
    code: err.code,
  };
  if (err.errors) body.errors = err.errors;
  return reply.code(err.status).type('application/problem+json').send(body);
}

interface AjvError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function fieldPath(e: AjvError): string {
  const base = (e.instancePath ?? '')
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required' && typeof e.params?.missingProperty === 'string') {
    base.push(e.params.missingProperty);
  }
  if (e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') {
    base.push(e.params.additionalProperty);
  }
  return base.join('.');
}

function validationErrors(err: FastifyError): FieldError[] {
  const list = (err.validation ?? []) as AjvError[];
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of list) {
    const path = fieldPath(e);
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') message = 'is required';
    if (e.keyword === 'format' && e.params?.format === 'email') message = 'must be a valid email address';
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}

/** Maps every error (ours, Fastify's, unexpected ones) to application/problem+json in one place. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    send(
      reply,
      new AppError(
        404,
        'not_found',
        'Not found',
        `No route for ${request.method} ${request.url.split('?')[0]}`,
      ),
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error }, 'request failed');
      return send(reply, error);
    }
    if (error instanceof ThrottledError) {
      return send(
        reply,
        new AppError(
          429,
          'rate_limited',
          'Too many requests',
          `Too many attempts. Try again in ${error.retryAfterSec} seconds.`,
          {
            headers: { 'retry-after': String(error.retryAfterSec) },
          },
        ),
      );
    }
    if (error.validation) {
      const errors = validationErrors(error);
      return send(
        reply,
        new AppError(
          400,
          'validation_failed',
          'Validation failed',
          errors.map((e) => `${e.path || error.validationContext || 'body'} ${e.message}`).join('; '),
          { errors },
        ),
      );
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(
          reply,
          new AppError(413, 'payload_too_large', 'Payload too large', 'Request bodies are limited to 1 MB.'),
        );
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(
          reply,
          new AppError(400, 'validation_failed', 'Validation failed', 'The request body is not valid JSON.', {
            errors: [{ path: '', message: 'must be valid JSON' }],
          }),
        );
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(
          reply,
          new AppError(415, 'unsupported_media_type', 'Unsupported media type', 'Send application/json.'),
        );
      default:
        break;
    }
    // SyntaxError from the JSON parser in some Fastify paths.
    if (error.statusCode === 400 && error instanceof SyntaxError) {
      return send(
        reply,
        new AppError(400, 'validation_failed', 'Validation failed', 'The request body is not valid JSON.', {
          errors: [{ path: '', message: 'must be valid JSON' }],
        }),
      );
    }
    if (error.statusCode === 429) {
      return send(reply, new AppError(429, 'rate_limited', 'Too many requests', 'Try again later.'));
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return send(
        reply,
        new AppError(error.statusCode, 'bad_request', 'Bad request', 'The request was not understood.'),
      );
    }
    request.log.error({ err: error }, 'unexpected error');
    return send(
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
