import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { startTestEmotionApi } from '@emotion-app/emotion-api/testing';
import type { EmotionDetector } from '../src/model/index.js';
import { SECRET } from './helpers/servers.js';

const idleDetector: EmotionDetector = {
  model: 'idle',
  loaded: false,
  load: async () => {},
  detect: async () => [],
  close: async () => {},
};

describe('@emotion-app/emotion-api/testing', () => {
  it('starts emotion-api on a free port in a temporary DATA_DIR and removes it on close', async () => {
    const api = await startTestEmotionApi(
      { AUTH_URL: 'http://127.0.0.1:9', AUTH_JWT_SECRET: SECRET },
      { detector: idleDetector },
    );
    try {
      assert.match(api.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${api.url}/health`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { authServer: string }).authServer, 'unreachable');
      assert.ok(existsSync(api.dataDir));
    } finally {
      await api.close();
    }
    assert.equal(existsSync(api.dataDir), false);
  });
});
