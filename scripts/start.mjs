#!/usr/bin/env node
// Root `npm start`: builds what is missing or stale, then runs auth-server and emotion-api
// together with prefixed logs and one shared ./data folder. Ctrl-C stops both. The services
// write into concurrently's pipes, so they are told this terminal's log format (LOG_FORMAT:
// pino-pretty text on a terminal, JSON lines when `npm start` itself is piped or redirected).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import concurrently from 'concurrently';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packages = ['protocol', 'service-kit', 'auth-client', 'auth-server', 'emotion-api', 'web'];

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function isStale(pkg) {
  const dir = join(root, 'packages', pkg);
  const built = newestMtime(join(dir, 'dist'));
  return built === 0 || newestMtime(join(dir, 'src')) > built;
}

const stale = packages.filter(isStale);
if (stale.length > 0) {
  console.log(`Building ${stale.join(', ')} ...`);
  for (const pkg of packages) {
    const result = spawnSync('npm', ['run', 'build', '--workspace', `packages/${pkg}`], {
      cwd: root,
      stdio: 'inherit',
    });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

const dataDir = process.env.DATA_DIR ?? join(root, 'data');
const authPort = process.env.AUTH_PORT ?? '8000';
const apiPort = process.env.PORT ?? '5000';
const logFormat = process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
const shared = { DATA_DIR: dataDir, LOG_FORMAT: logFormat };

console.log(`
  Emotion detection is starting (data in ${dataDir}):
    web app        http://localhost:${apiPort}/
    emotion-api    http://localhost:${apiPort}/docs   (health: /health)
    auth-server    http://localhost:${authPort}/docs  (health: /api/health)
    dev mailbox    http://localhost:${authPort}/api/dev/outbox   (verification and reset mails land here)
`);

const { result } = concurrently(
  [
    {
      name: 'auth',
      prefixColor: 'cyan',
      cwd: join(root, 'packages/auth-server'),
      command: 'node dist/main.js',
      env: { ...shared, PORT: authPort, TRUST_PROXY: process.env.TRUST_PROXY ?? '127.0.0.1' },
    },
    {
      name: 'api',
      prefixColor: 'magenta',
      cwd: join(root, 'packages/emotion-api'),
      command: 'node dist/main.js',
      env: {
        ...shared,
        PORT: apiPort,
        AUTH_URL: process.env.AUTH_URL ?? `http://127.0.0.1:${authPort}`,
        // As the package's own start script: glibc returns freed image buffers to the OS (README, "The model").
        MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
      },
    },
  ],
  { prefix: 'name', killOthersOn: ['failure'], killSignal: 'SIGTERM' },
);
result.then(
  () => process.exit(0),
  () => process.exit(1),
);

/** Waits until both health routes answer 200, then says where to open the app. */
async function announceWhenReady() {
  const healthy = async (url) => (await fetch(url).catch(() => undefined))?.ok === true;
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    const [auth, api] = await Promise.all([
      healthy(`http://127.0.0.1:${authPort}/api/health`),
      healthy(`http://127.0.0.1:${apiPort}/health`),
    ]);
    if (auth && api) {
      console.log(`\n  Ready: open http://localhost:${apiPort}/ (Ctrl-C stops both services)\n`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log('\n  Still not ready after 2 minutes: see the [auth] and [api] logs above.\n');
}
announceWhenReady();
