import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EmotionDetector } from '../../src/model/index.js';
import { zeroCounts } from '../../src/predictions/predictions.table.js';
import { idleDetector } from '../helpers/jwks.js';
import { FIXTURES, multipart, signAccessToken, startApi, type TestApi } from '../helpers/servers.js';

/** Two faces for every upload: a large happy one and a small sad one. */
const twoFaces: EmotionDetector = {
  ...idleDetector,
  detect: async () => [
    {
      box: { x: 0, y: 0, width: 100, height: 100 },
      emotion: 'happy',
      confidence: 0.9,
      probabilities: { ...zeroCounts(), happy: 0.9, neutral: 0.1 },
    },
    {
      box: { x: 120, y: 0, width: 40, height: 40 },
      emotion: 'sad',
      confidence: 0.7,
      probabilities: { ...zeroCounts(), sad: 0.7, neutral: 0.3 },
    },
  ],
};

function bearer(): string {
  const now = Math.floor(Date.now() / 1000);
  return `Bearer ${signAccessToken({
    iss: 'auth-server',
    aud: 'authenticated',
    sub: randomUUID(),
    sid: randomUUID(),
    email: 'metrics@example.com',
    role: 'user',
    iat: now,
    exp: now + 600,
  })}`;
}

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

  it('counts the detections and faces a client made, by model and by top emotion', async () => {
    const api = await startApi('http://127.0.0.1:9', {}, { detector: twoFaces });
    try {
      const photo = readFileSync(path.join(FIXTURES, 'faces', 'Happy-test.jpg'));
      for (const query of ['?model=human', '?model=human']) {
        const { payload, headers } = multipart('image', photo);
        const res = await api.app.inject({
          method: 'POST',
          url: `/detect${query}`,
          payload,
          headers: { ...headers, authorization: bearer() },
        });
        assert.equal(res.statusCode, 200, res.body);
      }
      const lines = samples((await api.app.inject({ url: '/metrics' })).body);
      assert.ok(lines.includes('emotion_detect_duration_seconds_count{model="human"} 2'), lines.join('\n'));
      assert.ok(lines.includes('emotion_faces_total{emotion="happy"} 2'));
      assert.ok(lines.includes('emotion_faces_total{emotion="sad"} 2'));
    } finally {
      await api.close();
    }
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
