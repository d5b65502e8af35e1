import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProblemError } from '@emotion-app/protocol';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { baseFastifyOptions } from '../../src/fastify/base-options.js';
import { problemPlugin } from '../../src/fastify/problem-plugin.js';

class Throttled extends Error {
  readonly retryAfterSec = 7;
}

describe('problemPlugin', () => {
  let app: FastifyInstance;
  const logged: Record<string, unknown>[] = [];

  before(async () => {
    const stream = { write: (line: string) => logged.push(JSON.parse(line)) };
    app = Fastify(
      baseFastifyOptions({ logLevel: 'warn', logger: { level: 'warn', stream }, trustProxy: [] }),
    );
    await app.register(problemPlugin, {
      mapError: (err) =>
        err instanceof Throttled
          ? new ProblemError({ code: 'rate_limited', detail: 'Wait.', retryAfterSec: err.retryAfterSec })
          : undefined,
      onNotFound: (request, reply) => {
        if (request.url !== '/spa') return false;
        reply.type('text/html').send('<html>');
        return true;
      },
    });
    app.post(
      '/echo',
      { schema: { body: Type.Object({ email: Type.String({ format: 'email' }), n: Type.Integer() }) } },
      async (request) => request.body ?? { empty: true },
    );
    app.post('/optional', async (request) => ({ body: request.body ?? null }));
    app.get('/problem', async () => {
      throw new ProblemError({ code: 'conflict', detail: 'Made up', extensions: { rule: 'x' } });
    });
    app.get('/throttled', async () => {
      throw new Throttled();
    });
    app.get('/busy', async () => {
      throw new ProblemError({ code: 'server_busy', detail: 'Too many uploads.', retryAfterSec: 2 });
    });
    app.get('/crash', async () => {
      throw new Error('SELECT secret FROM users at /srv/app.ts:12');
    });
    await app.ready();
  });
  after(() => app.close());

  it('writes a ProblemError as problem+json with its extensions; detail defaults to the title', async () => {
    const res = await app.inject('/problem');
    assert.equal(res.statusCode, 409);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(res.json(), {
      rule: 'x',
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'Made up',
      code: 'conflict',
    });
  });

  it("maps the service's own errors first, with Retry-After", async () => {
    const res = await app.inject('/throttled');
    assert.equal(res.statusCode, 429);
    assert.equal(res.headers['retry-after'], '7');
    assert.equal(res.json().code, 'rate_limited');
  });

  it('lists every invalid field of a schema validation error', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { email: 'nope', n: 'x' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'validation_failed');
    assert.deepEqual(res.json().errors, [
      { path: 'email', message: 'must be a valid email address' },
      { path: 'n', message: 'must be integer' },
    ]);
  });

  it('answers malformed JSON 400, an empty body as none, text/plain 415 and too large a body 413', async () => {
    const post = (payload: string, type = 'application/json') =>
      app.inject({ method: 'POST', url: '/optional', payload, headers: { 'content-type': type } });
    const bad = await post('{"a":');
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().errors, [{ path: '', message: 'must be valid JSON' }]);
    assert.deepEqual((await post('')).json(), { body: null });
    assert.equal((await post('hello', 'text/plain')).json().code, 'unsupported_media_type');
    const big = await post(JSON.stringify({ a: 'x'.repeat(1024 * 1024) }));
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().detail, 'Request bodies are limited to 1 MB.');
  });

  it('answers unknown routes 404 not_found unless onNotFound answered', async () => {
    const res = await app.inject('/nothing?x=1');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().detail, 'No route for GET /nothing');
    assert.equal((await app.inject('/spa')).body, '<html>');
  });

  it('hides unexpected errors behind 500 internal_error naming the request id, and logs them', async () => {
    const res = await app.inject('/crash');
    assert.equal(res.statusCode, 500);
    assert.equal(res.json().code, 'internal_error');
    assert.doesNotMatch(res.body, /SELECT|srv/);
    const id = /\(request ([0-9a-f-]{36})\)\.$/.exec(res.json().detail)?.[1];
    assert.ok(id, res.json().detail);
    assert.ok(logged.some((line) => line.reqId === id && line.msg === 'unexpected error'));
  });

  it('adds the request id to every 5xx detail; a refusal with Retry-After is one warning line', async () => {
    const res = await app.inject('/busy');
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '2');
    assert.match(res.json().detail, /^Too many uploads\. \(request [0-9a-f-]{36}\)$/);
    const line = logged.find((l) => l.msg === 'request refused');
    assert.equal(line?.code, 'server_busy');
    assert.equal(line?.err, undefined);
  });
});
