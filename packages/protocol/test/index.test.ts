import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';

const SRC = join(import.meta.dirname, '../src');

describe('the root entry', () => {
  test('is browser-safe: nothing outside src/jwt imports a node: module', () => {
    const offenders = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.startsWith('jwt'))
      .filter((file) => /from '(node:|fs'|crypto')/.test(readFileSync(join(SRC, file), 'utf8')))
      .map((file) => relative(SRC, join(SRC, file)));
    assert.deepEqual(offenders, []);
  });
});
