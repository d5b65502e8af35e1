import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { baseFastifyOptions } from '../../src/fastify/base-options.js';
import { registerMetrics } from '../../src/fastify/metrics.js';
import { problemPlugin } from '../../src/fastify/problem-plugin.js';

const SAMPLE_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [^ ]+$/;
const TOKEN = 'metrics-token-0123456789';

async function buildApp(token?: string): Promise<FastifyInstance> {
  const app = Fastify(baseFastifyOptions({ logLevel: 'silent', trustProxy: [] }));
  await app.register(problemPlugin);
  const registry = registerMetrics(app, token === undefined ? {} : { token });
  const hits = new Counter({ name: 'widget_hits_total', help: 'Widget hits.', registers: [registry] });
  app.get('/widgets/:id', async (request) => {
    hits.inc();
    return { id: (request.params as { id: string }).id };
  });
  await app.ready();
  return app;
}

/** The sample lines (name{labels} value), each checked against the exposition format. */
function samples(text: string): string[] {
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of lines) assert.match(line, SAMPLE_LINE);
  return lines;
}

describe('registerMetrics', () => {
  let open: FastifyInstance;
  let guarded: FastifyInstance;

  before(async () => {
    open = await buildApp();
    guarded = await buildApp(TOKEN);
  });
  after(async () => {
    await open.close();
    await guarded.close();
  });

  it('counts requests by method, route template and status, in Prometheus text', async () => {
    assert.equal((await open.inject({ url: '/widgets/42' })).statusCode, 200);
    assert.equal((await open.inject({ url: '/widgets/43' })).statusCode, 200);
    assert.equal((await open.inject({ url: '/nowhere/1' })).statusCode, 404);

    const res = await open.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const lines = samples(res.body);
    assert.ok(
      lines.includes(
        'http_request_duration_seconds_count{method="GET",route="/widgets/:id",status_code="200"} 2',
      ),
    );
    assert.ok(
      lines.includes(
        'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 1',
      ),
    );
    assert.ok(lines.includes('widget_hits_total 2'), 'the returned registry is the one exported');
    assert.ok(lines.some((line) => line.startsWith('process_cpu_user_seconds_total ')));
    assert.ok(!res.body.includes('/widgets/42'), 'never the raw URL');
    assert.ok(!res.body.includes('route="/metrics"'), '/metrics itself is not counted');
  });

  it('keeps each app in its own registry', async () => {
    const lines = samples(
      (await guarded.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body,
    );
    assert.ok(!lines.some((line) => line.includes('route="/widgets/:id"')));
    assert.ok(lines.includes('widget_hits_total 0'));
  });

  it('requires the bearer token when one is set', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, TOKEN]) {
      const res = await guarded.inject({
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      });
      assert.equal(res.statusCode, 401, String(authorization));
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(res.json().code, 'invalid_token');
      assert.ok(!res.body.includes(TOKEN));
    }
    const ok = await guarded.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /^# HELP /m);
  });
});
