import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkEnvExample, envExampleNames } from '../../src/env/env-example.js';
import { url } from '../../src/env/fields.js';
import { Host, Port } from '../../src/env/shared-fields.js';

describe('checkEnvExample', () => {
  test('reads set and commented-out variables', () => {
    assert.deepEqual(envExampleNames('# comment\nPORT=1\n# HOST=127.0.0.1   # note\nlower=x\n'), [
      'PORT',
      'HOST',
    ]);
  });

  test('names variables the file lacks and variables no field reads; aliases and extras may be listed', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'service-kit-example-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, '.env.example');
    writeFileSync(file, 'PORT=8000\n# RUST_AUTH_URL=\n# STRAY=1\n# NODE_OPTIONS=\n');
    const schema = {
      port: Port(8000),
      host: Host,
      authUrl: url(['AUTH_URL', 'RUST_AUTH_URL'], { protocols: ['http:'] }),
    };
    assert.deepEqual(checkEnvExample(schema, file, ['NODE_OPTIONS']), {
      missing: ['HOST', 'AUTH_URL'],
      unknown: ['STRAY'],
    });
  });
});
