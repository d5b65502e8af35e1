import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idleDetector } from '../helpers/jwks.js';
import { startApi, type TestApi } from '../helpers/servers.js';

const SAMPLE_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [^ ]+$/;
const METRICS_TOKEN = 'emotion-metrics-token';

/** The sample lines of a Prometheus text, each checked against the exposition format. */
function samples(text: string): string[] {
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of lines) assert.match(line, SAMPLE_LINE);
  return lines;
}

describe('GET /metrics', () => {
  let open: TestApi;
  let guarded: TestApi;

  before(async () => {
    // No auth-server at that address: /health still answers (degraded), which is all this needs.
    open = await startApi('http://127.0.0.1:9', {}, { detector: idleDetector });
    guarded = await startApi('http://127.0.0.1:9', { METRICS_TOKEN }, { detector: idleDetector });
  });
  after(async () => {
    await open.close();
    await guarded.close();
  });

  it('exports the request histogram by route template and the detect queue depth', async () => {
    await open.app.inject({ url: '/health' });
    const res = await open.app.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const lines = samples(res.body);
    assert.ok(
      lines.some((line) =>
        line.startsWith('http_request_duration_seconds_count{method="GET",route="/health"'),
      ),
      res.body,
    );
    assert.ok(lines.includes('emotion_model_queue_depth 0'));
    assert.ok(lines.some((line) => line.startsWith('process_resident_memory_bytes ')));
  });

  it('is hidden from the OpenAPI document', async () => {
    const doc = (await open.app.inject({ url: '/docs/json' })).json();
    assert.ok(doc.paths['/health']);
    assert.equal(doc.paths['/metrics'], undefined);
  });

  it('requires METRICS_TOKEN as a Bearer token when it is set', async () => {
    const refused = await guarded.app.inject({ url: '/metrics' });
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().code, 'invalid_token');
    const res = await guarded.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(res.statusCode, 200);
    assert.ok(samples(res.body).includes('emotion_model_queue_depth 0'));
  });
});
