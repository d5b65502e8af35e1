import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ErrorCodes, isProblemCode, PROBLEMS } from '../../src/problems/catalogue.js';

const PACKAGES = join(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry)) out.push(path);
  }
  return out;
}

describe('PROBLEMS', () => {
  test('gives every code a status and a title', () => {
    for (const code of ErrorCodes) {
      const { status, title } = PROBLEMS[code];
      assert.ok(Number.isInteger(status) && status >= 0 && status < 600, code);
      assert.ok(title.length > 0, code);
    }
    assert.ok(isProblemCode('rate_limited'));
    assert.ok(!isProblemCode('toString'));
  });

  test('lists every code a service of the repository throws', () => {
    // `code: '…'` fields and the second argument of `new AppError(status, '…', …)`.
    const thrown = /\bcode: '([a-z]+(?:_[a-z]+)*)'|new AppError\(\s*\d+,\s*'([a-z_]+)'/g;
    const missing = new Set<string>();
    for (const pkg of ['auth-server', 'emotion-api', 'auth-client', 'service-kit']) {
      for (const file of sourceFiles(join(PACKAGES, pkg, 'src'))) {
        for (const match of readFileSync(file, 'utf8').matchAll(thrown)) {
          const code = match[1] ?? match[2];
          if (code && !isProblemCode(code)) missing.add(`${code} (${file.slice(PACKAGES.length + 1)})`);
        }
      }
    }
    assert.deepEqual([...missing], []);
  });
});
