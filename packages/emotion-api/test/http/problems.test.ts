import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthError } from '@emotion-app/auth-client';
import { ProblemError } from '@emotion-app/protocol';
import { problemPlugin } from '@emotion-app/service-kit';
import Fastify, { type FastifyInstance } from 'fastify';
import { problemOptions } from '../../src/http/problems.js';

describe('problem+json error handling', () => {
  let app: FastifyInstance;

  before(async () => {
    app = Fastify({ logger: false });
    await app.register(problemPlugin, problemOptions({ webDist: null }));
    app.get('/problem', async () => {
      throw new ProblemError({ code: 'no_face_detected', detail: 'none', extensions: { extra: 1 } });
    });
    app.get('/auth-error', async () => {
      throw new AuthError({
        status: 429,
        code: 'rate_limited',
        title: 'Too many requests',
        detail: 'slow down',
        retryAfterSec: 42,
      });
    });
    app.get('/auth-validation', async () => {
      throw new AuthError({
        status: 400,
        code: 'validation_failed',
        title: 'Validation failed',
        errors: [{ path: 'email', message: 'is invalid' }],
      });
    });
    app.get('/crash', async () => {
      throw new Error('secret internals at /srv/app.ts:12');
    });
    app.post('/json', async () => ({ ok: true }));
    await app.ready();
  });
  after(() => app.close());

  it('writes a ProblemError as problem+json with its extension members', async () => {
    const res = await app.inject('/problem');
    assert.equal(res.statusCode, 422);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(res.json(), {
      type: 'about:blank',
      title: 'No face detected',
      status: 422,
      detail: 'none',
      code: 'no_face_detected',
      extra: 1,
    });
  });

  it('passes an auth-client AuthError through with its status, code, field errors and Retry-After', async () => {
    const limited = await app.inject('/auth-error');
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.headers['retry-after'], '42');
    assert.equal(limited.json().code, 'rate_limited');
    assert.equal(limited.json().detail, 'slow down');
    const invalid = await app.inject('/auth-validation');
    assert.equal(invalid.statusCode, 400);
    assert.deepEqual(invalid.json().errors, [{ path: 'email', message: 'is invalid' }]);
  });

  it('answers 500 internal_error without the message or a stack for unexpected errors', async () => {
    const res = await app.inject('/crash');
    assert.equal(res.statusCode, 500);
    assert.equal(res.json().code, 'internal_error');
    assert.doesNotMatch(res.body, /secret internals|app\.ts/);
  });

  it('answers 415 unsupported_media_type naming what emotion-api takes for another content type', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/json',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().code, 'unsupported_media_type');
    assert.match(res.json().detail, /multipart\/form-data/);
  });
});
