#!/usr/bin/env node
/**
 * The production tree of one service: from a built workspace (`npm ci && npm run build`), copy
 * what a production install needs and nothing else: the root package.json and lockfile, every
 * workspace's package.json (npm ci checks the lockfile against all of them), and of each package
 * the built `dist/` plus the folders it reads at run time (`models/`, `migrations/`). Then, in the
 * output folder: `npm ci --omit=dev --workspace packages/<service>`.
 *
 *   node deploy/runtime-tree.mjs <built repo> <out dir>
 *
 * deploy/*.Dockerfile and the production install test (test/system/production-install.test.mjs)
 * both use it, so CI proves the steps the images take.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const RUNTIME_FOLDERS = ['dist', 'models', 'migrations'];

const [from, to] = process.argv.slice(2).map((p) => resolve(p));
if (!from || !to) {
  console.error('usage: node deploy/runtime-tree.mjs <built repo> <out dir>');
  process.exit(2);
}
mkdirSync(to, { recursive: true });
for (const file of ['package.json', 'package-lock.json']) cpSync(join(from, file), join(to, file));
const { workspaces } = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
for (const ws of workspaces) {
  mkdirSync(join(to, ws), { recursive: true });
  cpSync(join(from, ws, 'package.json'), join(to, ws, 'package.json'));
  for (const folder of RUNTIME_FOLDERS) {
    const src = join(from, ws, folder);
    if (existsSync(src)) cpSync(src, join(to, ws, folder), { recursive: true });
  }
}
console.log(`runtime tree of ${workspaces.length} workspaces in ${to}`);
