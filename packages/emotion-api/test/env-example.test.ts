import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkEnvExample } from '@emotion-app/service-kit';
import { emotionApiEnv } from '../src/config.js';

const schema = emotionApiEnv();

describe('.env.example', () => {
  test("emotion-api's lists every variable of the schema and nothing else", () => {
    const file = new URL('../.env.example', import.meta.url);
    assert.deepEqual(checkEnvExample(schema, file), { missing: [], unknown: [] });
  });

  test("the repository's lists every variable of emotion-api's schema", () => {
    const file = new URL('../../../.env.example', import.meta.url);
    assert.deepEqual(checkEnvExample(schema, file).missing, []);
  });
});
