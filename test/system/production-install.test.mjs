/**
 * The production install that deploy/*.Dockerfile performs, proved without a container engine
 * (issue 13): a clean `git clone` of the committed tree, the dist/ folders built by the full
 * install (`npm ci && npm run build`, as the images' build stage), `deploy/runtime-tree.mjs`,
 * then `npm ci --omit=dev --workspace packages/<service>` per service, each started from its own
 * tree with NODE_ENV=production and production settings, and the journey driven through nginx.
 *
 * SYSTEM_PRODUCTION_DIR=<dir> reuses trees installed there by an earlier run (local iteration).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, startCluster } from './lib/cluster.mjs';
import { call, detectForm, login, photo, signUp } from './lib/journey.mjs';

const SERVICES = ['auth-server', 'emotion-api'];
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });

function productionTrees() {
  const reuse = process.env.SYSTEM_PRODUCTION_DIR;
  if (reuse && SERVICES.every((s) => existsSync(join(reuse, s, 'node_modules'))))
    return { dir: reuse, own: false };
  const dir = reuse ?? mkdtempSync(join(tmpdir(), 'production-'));
  const clone = join(dir, 'clone');
  rmSync(clone, { recursive: true, force: true });
  run('git', ['clone', '--quiet', REPO_ROOT, clone]);
  for (const ws of readdirSync(join(REPO_ROOT, 'packages'))) {
    const dist = join(REPO_ROOT, 'packages', ws, 'dist');
    if (!existsSync(dist)) throw new Error(`packages/${ws}/dist is missing: run npm run build first`);
    cpSync(dist, join(clone, 'packages', ws, 'dist'), { recursive: true });
  }
  for (const service of SERVICES) {
    const tree = join(dir, service);
    run(process.execPath, [join(clone, 'deploy/runtime-tree.mjs'), clone, tree]);
    run(
      'npm',
      [
        'ci',
        '--omit=dev',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--workspace',
        `packages/${service}`,
      ],
      tree,
    );
  }
  return { dir, own: !reuse };
}

let trees;
let cluster;

before(async () => {
  trees = productionTrees();
  for (const service of SERVICES) {
    for (const dev of ['tsx', 'typescript', '@biomejs', 'smtp-server', 'vite']) {
      assert.ok(
        !existsSync(join(trees.dir, service, 'node_modules', dev)),
        `${service} has ${dev} installed`,
      );
    }
  }
  cluster = await startCluster({
    authRoot: join(trees.dir, 'auth-server'),
    apiRoot: join(trees.dir, 'emotion-api'),
    authServers: 1,
    emotionApis: 1,
    env: { HOST: '0.0.0.0' },
  });
});

after(async () => {
  await cluster?.stop();
  if (trees?.own) rmSync(trees.dir, { recursive: true, force: true });
});

describe('production install (npm ci --omit=dev, NODE_ENV=production)', () => {
  test('the journey: register, verification mail over SMTP, login, detect, logs, the web app', async () => {
    const api = cluster.nginx.apiUrl;
    const user = await signUp(api, cluster.smtp);
    const session = await login(api, user.email, user.ip);
    assert.equal(session.status, 200, JSON.stringify(session.body));
    const opts = { token: session.body.accessToken, ip: user.ip };
    const detected = await call(api, '/detect', {
      ...opts,
      method: 'POST',
      form: detectForm(photo(REPO_ROOT, 'surprise_test.jpg')),
    });
    assert.equal(detected.status, 200, JSON.stringify(detected.body));
    const logs = await call(api, '/logs', opts);
    assert.deepEqual(
      logs.body.items.map((p) => p.id),
      [detected.body.id],
    );
    const page = await fetch(`${api}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root">/);
  });

  test('production refuses the development helpers', async () => {
    const outbox = await call(cluster.nginx.authUrl, '/api/dev/outbox?to=a@b.c');
    assert.equal(outbox.status, 404);
    const health = await call(cluster.api[0].url, '/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.revocations, 'live');
  });
});
