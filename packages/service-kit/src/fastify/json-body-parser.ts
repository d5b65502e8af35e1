/** The JSON body parser of both services. */
import type { FastifyInstance } from 'fastify';
import { invalidJsonProblem } from './fastify-errors.js';

/**
 * JSON bodies through Fastify's safe parser (prototype poisoning refused); an empty body counts
 * as no body (a Bearer-only logout, a cookie refresh); a malformed one is 400
 * `validation_failed`. Without `acceptTextPlain`, `text/plain` bodies get 415 like any other
 * type without a parser.
 */
export function registerJsonBodyParser(app: FastifyInstance, options: { acceptTextPlain: boolean }): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(
    options.acceptTextPlain ? ['application/json'] : ['application/json', 'text/plain'],
  );
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    parse(request, text, (err, value) => {
      if (err) return done(invalidJsonProblem(), undefined);
      done(null, value);
    });
  });
}
