/**
 * Fastify's own errors (content type, body, multipart limits) as problems: one mapping for
 * every service.
 */
import { ProblemError } from '@emotion-app/protocol';
import type { FastifyError } from 'fastify';

/** `1048576` → `1 MB`. */
function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** The problem of a body that is not JSON (400 `validation_failed`). */
export function invalidJsonProblem(): ProblemError {
  return new ProblemError({
    code: 'validation_failed',
    detail: 'The request body is not valid JSON.',
    errors: [{ path: '', message: 'must be valid JSON' }],
  });
}

/**
 * The problem for an error Fastify or one of its plugins raised, or `undefined` for an error
 * that is not a client's fault. Too large a body: 413 `payload_too_large`; a content type no
 * parser accepts: 415 `unsupported_media_type`; a body that is not JSON: 400 `validation_failed`;
 * a Content-Length that does not match the body: 400 `bad_request`; any other 4xx: `bad_request`
 * (429 `rate_limited`), with a fixed detail, since Fastify's messages may quote the request.
 */
export function fastifyErrorProblem(error: FastifyError, bodyLimit: number): ProblemError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProblemError({
        code: 'payload_too_large',
        detail: `Request bodies are limited to ${formatBytes(bodyLimit)}.`,
      });
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new ProblemError({ code: 'payload_too_large', detail: error.message });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProblemError({ code: 'unsupported_media_type', detail: 'Send application/json.' });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new ProblemError({ code: 'unsupported_media_type', detail: error.message });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidJsonProblem();
    case 'FST_PROTO_VIOLATION':
      return new ProblemError({
        code: 'validation_failed',
        detail: 'The request body is malformed.',
        errors: [{ path: '', message: error.message }],
      });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ProblemError({
        code: 'bad_request',
        detail: 'The Content-Length header does not match the body.',
      });
    default:
      break;
  }
  // SyntaxError from the JSON parser in some Fastify paths.
  if (error.statusCode === 400 && error instanceof SyntaxError) return invalidJsonProblem();
  if (error.statusCode === 429) return new ProblemError({ code: 'rate_limited', detail: 'Try again later.' });
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new ProblemError({
      code: 'bad_request',
      status: error.statusCode,
      detail: 'The request was not understood.',
    });
  }
  return undefined;
}
