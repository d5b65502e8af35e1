/**
 * The one problem plugin: every error and every unknown route becomes application/problem+json
 * (`{ type, title, status, detail, code, errors?, ...extensions }`), written in one place.
 */
import { type ErrorCode, isProblemError, ProblemError } from '@emotion-app/protocol';
import type { FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_BODY_LIMIT } from './base-options.js';
import { fastifyErrorProblem } from './fastify-errors.js';
import { registerJsonBodyParser } from './json-body-parser.js';
import { validationProblem } from './validation-errors.js';

/** Options of {@link problemPlugin}. */
export interface ProblemPluginOptions {
  /** The app's body limit, for the detail of a 413; default {@link DEFAULT_BODY_LIMIT}. */
  bodyLimit?: number;
  /**
   * Maps the service's own error types to a problem (e.g. a throttle error → 429 with
   * Retry-After); return `undefined` for errors it does not know. Runs before anything else.
   */
  mapError?: (error: unknown, request: FastifyRequest) => ProblemError<ErrorCode> | undefined;
  /**
   * Called for an unknown route before the 404 problem; return `true` when it answered (e.g. a
   * single-page app's index.html).
   */
  onNotFound?: (request: FastifyRequest, reply: FastifyReply) => boolean;
  /** Keep Fastify's `text/plain` parser; by default only JSON bodies are parsed (others 415). */
  acceptTextPlain?: boolean;
}

/**
 * Writes a problem: its headers (and `Retry-After`), status and body. The detail defaults to the
 * title, and a 5xx names the request id, so a user's report leads to the log line.
 */
export function sendProblem(reply: FastifyReply, error: ProblemError<ErrorCode>): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  if (error.retryAfterSec !== undefined) reply.header('retry-after', String(error.retryAfterSec));
  const body = error.toProblem();
  body.detail ??= error.title;
  if (error.status >= 500 && !body.detail.includes(reply.request.id)) {
    body.detail = `${body.detail} (request ${reply.request.id})`;
  }
  return reply.code(error.status).type('application/problem+json').send(body);
}

function internalError(request: FastifyRequest): ProblemError {
  return new ProblemError({
    code: 'internal_error',
    detail: `Something went wrong (request ${request.id}).`,
  });
}

const plugin: FastifyPluginCallback<ProblemPluginOptions> = (app, options, done) => {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  registerJsonBodyParser(app, { acceptTextPlain: options.acceptTextPlain ?? false });

  app.setNotFoundHandler((request, reply) => {
    if (options.onNotFound?.(request, reply)) return;
    const path = request.url.split('?')[0];
    sendProblem(
      reply,
      new ProblemError({ code: 'not_found', detail: `No route for ${request.method} ${path}` }),
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem =
      options.mapError?.(error, request) ??
      (isProblemError(error) ? error : undefined) ??
      (error.validation ? validationProblem(error) : undefined) ??
      fastifyErrorProblem(error, bodyLimit);
    if (!problem) {
      request.log.error({ err: error }, 'unexpected error');
      return sendProblem(reply, internalError(request));
    }
    // Shedding load (503 with Retry-After) is expected under a burst: one line, no stack.
    if (problem.status >= 500 && problem.retryAfterSec !== undefined) {
      request.log.warn({ code: problem.code }, 'request refused');
    } else if (problem.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    return sendProblem(reply, problem);
  });
  done();
};

/**
 * Registers the error handler, the not-found handler and the JSON body parser on the root
 * instance (not encapsulated). Errors become problems in this order: the service's `mapError`,
 * a {@link ProblemError} as is, Ajv validation → 400 `validation_failed` with `errors[]`,
 * Fastify's body and content-type errors, anything else → 500 `internal_error` (logged, detail
 * with the request id, nothing of the error itself).
 *
 * @example
 * ```ts
 * await app.register(problemPlugin, {
 *   mapError: (err) => (err instanceof ThrottledError ? rateLimited(err.retryAfterSec) : undefined),
 * });
 * ```
 */
export const problemPlugin = fp(plugin, { fastify: '5.x', name: '@emotion-app/service-kit/problem' });
