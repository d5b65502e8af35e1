#!/usr/bin/env node
/**
 * `npm test` of the web package: the unit tests always, the Chromium suite (test/e2e) when a
 * browser is found at CHROMIUM_PATH or /usr/bin/chromium. Without a browser it says so loudly
 * and passes, except with CI=true (or with --e2e-only, i.e. `npm run test:e2e`), where it fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const e2eOnly = process.argv.includes('--e2e-only');
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? '');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return testFiles(path);
      return entry.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

const all = testFiles(join(webDir, 'test')).map((path) => relative(webDir, path));
const e2e = all.filter((path) => path.startsWith(join('test', 'e2e')));
const unit = all.filter((path) => !e2e.includes(path));

const files = e2eOnly ? [] : [...unit];
if (existsSync(chromium)) {
  files.push(...e2e);
} else {
  const line = '!'.repeat(78);
  const why = `no Chromium at ${chromium} (install Debian's "chromium" package or set CHROMIUM_PATH)`;
  if (ci || e2eOnly) {
    console.error(`\n${line}\n!! FAILED: the browser suite cannot run: ${why}\n${line}\n`);
    process.exit(1);
  }
  console.warn(
    `\n${line}\n!! SKIPPED: the browser suite (${e2e.length} files) did not run: ${why}\n${line}\n`,
  );
}

if (files.length === 0) process.exit(0);
const result = spawnSync(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', '--test', '--test-concurrency=1', ...files],
  { cwd: webDir, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
