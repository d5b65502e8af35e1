import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { baseFastifyOptions } from '../../src/fastify/base-options.js';
import { isProbe } from '../../src/fastify/request-log.js';

function appWithLog() {
  const lines: { msg: string; level: number; req?: { url: string } }[] = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line)) };
  const app = Fastify(
    baseFastifyOptions({ logLevel: 'info', logger: { level: 'info', stream }, trustProxy: [] }),
  );
  return { app, lines };
}

describe('request logging', () => {
  it('writes no line for a successful health or metrics probe', async (t) => {
    const { app, lines } = appWithLog();
    t.after(() => app.close());
    for (const path of ['/health', '/api/health', '/metrics']) app.get(path, async () => ({ ok: true }));
    await app.ready();
    lines.length = 0;
    for (const url of ['/health', '/api/health', '/metrics', '/health?verbose=1']) {
      assert.equal((await app.inject({ url })).statusCode, 200);
    }
    assert.deepEqual(lines, []);
  });

  it('still logs a normal request at info level', async (t) => {
    const { app, lines } = appWithLog();
    t.after(() => app.close());
    app.get('/logs', async () => ({ items: [] }));
    await app.inject({ url: '/logs?limit=1' });
    const messages = lines.map((line) => [line.level, line.msg]);
    assert.deepEqual(messages, [
      [30, 'incoming request'],
      [30, 'request completed'],
    ]);
    assert.equal(lines[0]?.req?.url, '/logs?limit=1');
  });

  it('logs a failing probe at warn level', async (t) => {
    const { app, lines } = appWithLog();
    t.after(() => app.close());
    app.get('/health', async (_request, reply) => reply.code(503).send({ status: 'degraded' }));
    await app.inject({ url: '/health' });
    assert.deepEqual(
      lines.map((line) => [line.level, line.msg]),
      [[40, 'probe failed']],
    );
  });

  it('matches the probe paths exactly, with or without a query', () => {
    assert.ok(isProbe('/health'));
    assert.ok(isProbe('/metrics?x=1'));
    assert.ok(!isProbe('/healthz'));
    assert.ok(!isProbe('/api/health/deep'));
    assert.ok(!isProbe('/detect'));
  });
});
