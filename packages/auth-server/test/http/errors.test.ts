import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProblemError } from '@emotion-app/protocol';
import { login, outbox, PASSWORD, post, problem, register, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

for (const dialect of dialects()) {
  describe(`errors and bad input on ${dialect.name}`, () => {
    test('malformed JSON answers 400 validation_failed as problem+json', async (t) => {
      const { app } = await startApp(t, dialect);
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: '{"email": "a@b.c",',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.statusCode, 400);
      const body = problem(res);
      assert.equal(body.code, 'validation_failed');
      assert.deepEqual(Object.keys(body).sort(), ['code', 'detail', 'errors', 'status', 'title', 'type']);
    });

    test('wrong types and missing fields list every invalid field in errors[]', async (t) => {
      const { app } = await startApp(t, dialect);
      const res = await post(app, '/api/auth/register', { name: 42, email: ['x'], password: 12345678 });
      assert.equal(res.statusCode, 400);
      const paths = (problem(res).errors as { path: string }[]).map((e) => e.path);
      assert.deepEqual([...new Set(paths)].sort(), ['email', 'name', 'password']);
      const missing = await post(app, '/api/auth/register', {});
      const missingPaths = (problem(missing).errors as { path: string; message: string }[]).map(
        (e) => e.path,
      );
      assert.deepEqual(missingPaths.sort(), ['email', 'name', 'password']);
      const bad = await post(app, '/api/auth/login', { email: 'not-an-email', password: 'x' });
      assert.deepEqual(problem(bad).errors, [{ path: 'email', message: 'must be a valid email address' }]);
    });

    test('bodies over 1 MB answer 413 payload_too_large', async (t) => {
      const { app } = await startApp(t, dialect);
      const res = await post(app, '/api/auth/login', {
        email: 'a@b.co',
        password: 'x'.repeat(1024 * 1024 + 10),
      });
      assert.equal(res.statusCode, 413);
      assert.equal(problem(res).code, 'payload_too_large');
    });

    test('a non-JSON content type answers 415 unsupported_media_type', async (t) => {
      const { app } = await startApp(t, dialect);
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: 'email=a',
        headers: { 'content-type': 'text/plain' },
      });
      assert.equal(res.statusCode, 415);
      assert.equal(problem(res).code, 'unsupported_media_type');
    });

    test('unknown routes answer 404 not_found as problem+json', async (t) => {
      const { app } = await startApp(t, dialect);
      const res = await app.inject({ url: '/api/nothing-here' });
      assert.equal(res.statusCode, 404);
      assert.equal(problem(res).code, 'not_found');
    });

    test('unexpected errors answer 500 internal_error without stack or SQL text', async (t) => {
      const { app } = await startApp(t, dialect);
      t.mock.method(app.ctx.db, 'selectFrom', () => {
        throw new Error('relation "users" does not exist at SELECT * FROM users');
      });
      const res = await login(app, 'a@example.com');
      assert.equal(res.statusCode, 500);
      const body = problem(res);
      assert.equal(body.code, 'internal_error');
      assert.doesNotMatch(res.body, /SELECT|relation|at \w+ \(|\.ts:/);
    });

    test('mixed-case and unicode emails are stored normalized and matched case-insensitively', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      await signUp(app, 'ÅSA.Öberg@Exämple.COM');
      const row = await testDb.db.selectFrom('users').select('email').executeTakeFirstOrThrow();
      assert.equal(row.email, 'åsa.öberg@exämple.com');
      assert.equal((await login(app, 'åsa.öberg@exämple.com')).statusCode, 200);
      assert.equal((await login(app, 'ÅSA.ÖBERG@EXÄMPLE.COM')).statusCode, 200);
      // NFD input (decomposed Å) matches the NFC-stored address
      assert.equal((await login(app, 'A\u030aSA.O\u0308berg@Exa\u0308mple.com')).statusCode, 200);
      // registering again with another case is the same account: no second user row
      assert.equal((await register(app, 'åsa.ÖBERG@exämple.com')).statusCode, 201);
      const count = await testDb.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      assert.equal(Number(count?.n), 1);
      assert.equal((await outbox(app, 'ÅSA.ÖBERG@EXÄMPLE.COM')).length, 2);
    });

    test('a ProblemError carries status, code and title into the problem body', async (t) => {
      const { app } = await startApp(t, dialect);
      app.ctx.hasher.verify = async () => {
        throw new ProblemError({ code: 'conflict', detail: 'Made up for the test' });
      };
      await signUp(app, 'c@example.com');
      const res = await login(app, 'c@example.com', PASSWORD);
      assert.equal(res.statusCode, 409);
      assert.deepEqual(problem(res), {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'Made up for the test',
        code: 'conflict',
      });
    });
  });
}
