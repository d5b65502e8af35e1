import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { checkEnvExample } from '@emotion-app/service-kit';
import { authServerEnv } from '../src/config.js';
import { THROTTLE_LIMIT_TABLE } from '../src/throttle/index.js';

const FILE = new URL('../.env.example', import.meta.url);

describe('.env.example', () => {
  test('lists every variable of the schema and nothing else', () => {
    assert.deepEqual(checkEnvExample(authServerEnv, FILE), { missing: [], unknown: [] });
  });

  test('shows each rate limit with its default', () => {
    const content = readFileSync(FILE, 'utf8');
    for (const spec of Object.values(THROTTLE_LIMIT_TABLE)) {
      assert.match(content, new RegExp(`# ${spec.env}=${spec.default.max}/${spec.default.windowSec}\\b`));
    }
  });
});
