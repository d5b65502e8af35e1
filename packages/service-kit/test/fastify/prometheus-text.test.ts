import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Counter, Gauge } from 'prom-client';
import { baseFastifyOptions } from '../../src/fastify/base-options.js';
import { registerMetrics } from '../../src/fastify/metrics.js';
import { problemPlugin } from '../../src/fastify/problem-plugin.js';
import { assertPrometheusText, parsePrometheusText } from '../../src/fastify/prometheus-text.js';

const problemsOf = (text: string) => parsePrometheusText(text).problems;

const HISTOGRAM = `# HELP d_seconds Durations.
# TYPE d_seconds histogram
d_seconds_bucket{le="0.1",route="/a"} 1
d_seconds_bucket{le="1",route="/a"} 3
d_seconds_bucket{le="+Inf",route="/a"} 4
d_seconds_sum{route="/a"} 2.5
d_seconds_count{route="/a"} 4
`;

describe('the strict Prometheus text check', () => {
  it('accepts well-formed text and reads its samples', () => {
    const text = assertPrometheusText(
      `# HELP up Whether it is up.\n# TYPE up gauge\nup 1\n# a comment\nhits_total{path="/x",note="a \\"b\\"\\n"} 3 1700000000000\n\n${HISTOGRAM}`,
    );
    assert.equal(text.types.get('d_seconds'), 'histogram');
    assert.deepEqual(text.samples[1], {
      name: 'hits_total',
      labels: { path: '/x', note: 'a "b"\n' },
      value: 3,
    });
    assert.equal(text.samples.at(-3)?.value, 4);
  });

  it("reads values as Go's ParseFloat does: NaN and Inf in any case, exponents", () => {
    const text = assertPrometheusText('a NaN\nb Nan\nc -Inf\nd +inf\ne 1.5e-3\nf .5\n');
    assert.deepEqual(
      text.samples.map((s) => s.value),
      [Number.NaN, Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0.0015, 0.5],
    );
  });

  it('refuses sample lines that are not name{labels} value', () => {
    for (const line of [
      'up',
      'up 1 2 3',
      'up one',
      'up 1,5',
      'up nanx',
      '9up 1',
      'up{path=x} 1',
      'up{path="x" } 1',
      'up{"path"="x"} 1',
      'up {path="x"} 1',
      'up{path="a\\tb"} 1',
    ]) {
      assert.match(problemsOf(`${line}\n`).join(), /not "name\{labels\} value"/, line);
    }
  });

  it('refuses malformed or misplaced HELP and TYPE lines', () => {
    assert.match(problemsOf('# TYPE up gouge\nup 1\n').join(), /malformed/);
    assert.match(problemsOf('# HELP 9up x\n').join(), /malformed/);
    assert.match(problemsOf('# TYPE up gauge\n# TYPE up gauge\nup 1\n').join(), /second TYPE/);
    assert.match(problemsOf('up 1\n# TYPE up gauge\n').join(), /after its samples/);
    assert.match(problemsOf('up 1\nup 2\n').join(), /repeated sample/);
    assert.match(problemsOf('up 1').join(), /newline/);
  });

  it('refuses histograms whose buckets are not cumulative or do not end in +Inf', () => {
    assert.deepEqual(problemsOf(HISTOGRAM), []);
    assert.match(
      problemsOf(HISTOGRAM.replace('le="1",route="/a"} 3', 'le="1",route="/a"} 0')).join(),
      /not cumulative/,
    );
    assert.match(problemsOf(HISTOGRAM.replace('le="+Inf"', 'le="5"')).join(), /no le="\+Inf" bucket last/);
    assert.match(problemsOf(HISTOGRAM.replace('le="1"', 'le="0.05"')).join(), /le not ascending/);
    assert.match(
      problemsOf(HISTOGRAM.replace('_count{route="/a"} 4', '_count{route="/a"} 5')).join(),
      /differs/,
    );
    assert.match(problemsOf(HISTOGRAM.replace('le="0.1",', '')).join(), /without an "le" label/);
  });

  it("passes registerMetrics' output after traffic, with domain metrics added", async (t) => {
    const app = Fastify(baseFastifyOptions({ logLevel: 'silent', trustProxy: [] }));
    t.after(() => app.close());
    await app.register(problemPlugin);
    const registry = registerMetrics(app);
    const logins = new Counter({
      name: 'auth_logins_total',
      help: 'Logins by result.',
      labelNames: ['result'],
      registers: [registry],
    });
    new Gauge({ name: 'queue_depth', help: 'Waiting "jobs"\\n and more.', registers: [registry] }).set(2);
    app.get('/items/:id', async () => {
      logins.inc({ result: 'ok' });
      return {};
    });
    for (const url of ['/items/1', '/items/2', '/nowhere', '/items/3?x="y"']) await app.inject({ url });

    const body = (await app.inject({ url: '/metrics' })).body;
    const text = assertPrometheusText(body);
    assert.equal(text.types.get('http_request_duration_seconds'), 'histogram');
    assert.equal(text.types.get('process_cpu_seconds_total'), 'counter');
    const count = text.samples.find(
      (s) =>
        s.name === 'http_request_duration_seconds_count' &&
        s.labels.route === '/items/:id' &&
        s.labels.status_code === '200',
    );
    assert.equal(count?.value, 3);
    const buckets = text.samples.filter(
      (s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.route === '/items/:id',
    );
    assert.equal(buckets.at(-1)?.labels.le, '+Inf');
    assert.equal(text.samples.find((s) => s.name === 'auth_logins_total')?.value, 3);
  });
});
