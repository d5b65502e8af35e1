import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EmotionDetector, FaceEmotion } from '../../src/model/index.js';
import { FIXTURES, multipart, signAccessToken, startApi, type TestApi } from '../helpers/servers.js';

const happy: FaceEmotion = {
  box: { x: 10, y: 10, width: 100, height: 100 },
  emotion: 'happy',
  confidence: 0.9,
  probabilities: { angry: 0, disgust: 0, fear: 0, happy: 0.9, neutral: 0.1, sad: 0, surprise: 0 },
};

/** A detector whose answers wait until the test lets them go, so uploads pile up at will. */
function gatedDetector() {
  let calls = 0;
  let open!: () => void;
  let gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const detector: EmotionDetector = {
    model: 'gated',
    loaded: true,
    load: async () => {},
    detect: async () => {
      calls++;
      await gate;
      return [happy];
    },
    close: async () => {},
  };
  return {
    detector,
    calls: () => calls,
    release() {
      open();
      gate = Promise.resolve();
    },
  };
}

describe('POST /detect under load: a bounded image queue (DETECT_QUEUE_MAX)', () => {
  let api: TestApi;
  let gated: ReturnType<typeof gatedDetector>;
  const photo = readFileSync(path.join(FIXTURES, 'faces', 'Happy-test.jpg'));
  const now = Math.floor(Date.now() / 1000);
  const token = signAccessToken({
    iss: 'auth-server',
    aud: 'authenticated',
    sub: randomUUID(),
    sid: randomUUID(),
    email: 'queue@example.com',
    role: 'user',
    iat: now,
    exp: now + 3600,
  });
  const headers = { authorization: `Bearer ${token}` };
  const detect = () => {
    const body = multipart('image', photo);
    return api.app.inject({
      method: 'POST',
      url: '/detect',
      payload: body.payload,
      headers: { ...body.headers, ...headers },
    });
  };
  const stored = async () => {
    const logs = await api.app.inject({ method: 'GET', url: '/logs', headers });
    return { rows: logs.json().total as number, files: readdirSync(path.join(api.dataDir, 'images')).length };
  };

  before(async () => {
    gated = gatedDetector();
    // One model worker, so one image slot, and one upload may wait for it; auth-server is not needed.
    api = await startApi(
      'http://127.0.0.1:9',
      { MODEL_WORKERS: '1', DETECT_QUEUE_MAX: '1' },
      { detector: gated.detector },
    );
  });
  after(() => api?.close());

  it('answers 503 server_busy with Retry-After to uploads beyond the queue, stores nothing for them, and serves the rest', async () => {
    const before = await stored();
    const first = detect();
    // Wait until the first upload holds the only slot (its detection is blocked).
    for (let i = 0; i < 500 && gated.calls() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(gated.calls(), 1);
    const rest = Array.from({ length: 5 }, () => detect());
    // One of them waits for the slot; the other four are refused at once, while the first still holds it.
    let answered = 0;
    for (const res of rest) void res.then(() => answered++);
    for (let i = 0; i < 500 && answered < 4; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(answered, 4, 'four answered while the slot was taken');
    assert.equal(gated.calls(), 1, 'nothing else was decoded or detected meanwhile');

    gated.release();
    const answers = [await first, ...(await Promise.all(rest))];
    const busy = answers.filter((res) => res.statusCode === 503);
    const ok = answers.filter((res) => res.statusCode === 200);
    assert.equal(busy.length, 4, answers.map((res) => res.statusCode).join(','));
    assert.equal(ok.length, 2);
    for (const res of busy) {
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(res.json().code, 'server_busy');
      assert.equal(res.json().status, 503);
      assert.ok(Number(res.headers['retry-after']) >= 1, `Retry-After ${res.headers['retry-after']}`);
    }
    assert.deepEqual(await stored(), { rows: before.rows + 2, files: before.files + 2 });

    // Once the burst is over, uploads are served again.
    const later = await detect();
    assert.equal(later.statusCode, 200, later.body);
    assert.equal(later.json().emotion, 'happy');
  });
});
