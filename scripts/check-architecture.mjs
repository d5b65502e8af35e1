#!/usr/bin/env node
/**
 * The layout rules of DESIGN §6 as a lint step (run by `npm run lint`):
 * - the workspace dependency graph (dependencies and devDependencies) has no cycle;
 * - every `@emotion-app/*` import is declared in the importing package's package.json;
 * - no file reaches into another package by a relative path (imports or file URLs);
 * - no source file under packages/x/src is over 300 lines.
 * Prints every violation and exits 1 when there is any.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_SRC_LINES = 300;
const CODE = /\.(ts|tsx|mts|mjs|js)$/;
const SKIP = new Set(['node_modules', 'dist', 'data', 'coverage']);
/** Folders of a package root that hold data, not code (emotion-api's model weights). */
const SKIP_AT_ROOT = new Set(['models']);

const packages = readdirSync(join(ROOT, 'packages')).map((dir) => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8'));
  const deps = { ...manifest.dependencies, ...manifest.devDependencies };
  return {
    dir,
    name: manifest.name,
    internal: Object.keys(deps).filter((d) => d.startsWith('@emotion-app/')),
  };
});
const byName = new Map(packages.map((p) => [p.name, p]));
const problems = [];

function findCycle() {
  const state = new Map();
  const stack = [];
  const visit = (name) => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'open') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'open');
    stack.push(name);
    for (const dep of byName.get(name)?.internal ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const p of packages) {
    const cycle = visit(p.name);
    if (cycle) return cycle;
  }
  return null;
}

function* files(dir, atRoot = true) {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry) || (atRoot && SKIP_AT_ROOT.has(entry))) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) yield* files(full, false);
    else if (CODE.test(entry)) yield full;
  }
}

const cycle = findCycle();
if (cycle) problems.push(`dependency cycle: ${cycle.join(' -> ')}`);

const IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](@emotion-app\/[^/'"]+)/g;
const RELATIVE = /['"`]((?:\.\.\/)+[^'"`$]*)['"`]/g;

for (const pkg of packages) {
  const pkgRoot = join(ROOT, 'packages', pkg.dir);
  for (const file of files(pkgRoot)) {
    const text = readFileSync(file, 'utf8');
    const shown = relative(ROOT, file);
    for (const [, name] of text.matchAll(IMPORT)) {
      if (name !== pkg.name && !pkg.internal.includes(name)) {
        problems.push(`${shown}: imports ${name}, which ${pkg.name}'s package.json does not declare`);
      }
    }
    for (const [, path] of text.matchAll(RELATIVE)) {
      const target = resolve(dirname(file), path);
      const inPackages = relative(join(ROOT, 'packages'), target);
      if (inPackages.startsWith('..')) continue; // outside packages/ (e.g. the repo's fixtures)
      const targetPackage = inPackages.split(sep)[0];
      if (targetPackage && targetPackage !== pkg.dir) {
        problems.push(`${shown}: reaches into packages/${targetPackage} by the relative path ${path}`);
      }
    }
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (relative(pkgRoot, file).startsWith(`src${sep}`) && lines > MAX_SRC_LINES) {
      problems.push(`${shown}: ${lines} lines (a source file stays under ${MAX_SRC_LINES})`);
    }
  }
}

if (problems.length > 0) {
  console.error(`Architecture check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`Architecture check: ${packages.length} packages, no cycle, no reach into another package.`);
