import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const SERVICE = join(import.meta.dirname, 'fixtures', 'service.ts');

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', SERVICE], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => {
    output += c;
  });
  child.stderr.on('data', (c) => {
    output += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function address(service: ReturnType<typeof run>): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const url = /test-service: (http:\/\/\S+)/.exec(service.output())?.[1];
    if (url) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(service.output());
}

async function waitFor(service: ReturnType<typeof run>, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (pattern.test(service.output())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${pattern} in:\n${service.output()}`);
}

describe('runService', () => {
  test('exits 1 with every config problem', async () => {
    const service = run({ PORT: 'eighty', CLOSE_DELAY_MS: '-1' });
    assert.equal(await service.exited, 1);
    assert.match(service.output(), /test-service: Invalid configuration:\n {2}- PORT must be a port number/);
    assert.match(service.output(), /CLOSE_DELAY_MS must be/);
  });

  test('listens on HOST:PORT, prints the address and exits 0 on SIGTERM', async (t) => {
    const service = run({ PORT: '0' });
    t.after(() => service.child.kill('SIGKILL'));
    const url = await address(service);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await (await fetch(url)).json(), { ok: true });
    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0);
  });

  test('exits 1 and says so when closing takes longer than the force-exit delay', async (t) => {
    const service = run({ PORT: '0', CLOSE_DELAY_MS: '5000' });
    t.after(() => service.child.kill('SIGKILL'));
    await address(service);
    service.child.kill('SIGINT');
    assert.equal(await service.exited, 1);
    assert.match(service.output(), /shutdown did not finish in time/);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal} lets a request in flight finish before exiting 0`, async (t) => {
      const service = run({ PORT: '0', FORCE_EXIT_MS: '10000' });
      t.after(() => service.child.kill('SIGKILL'));
      const url = await address(service);
      const slow = fetch(`${url}/slow?ms=1500`);
      await waitFor(service, /"url":"\/slow\?ms=1500"/);
      service.child.kill(signal);
      const response = await slow;
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { slept: 1500 });
      assert.equal(await service.exited, 0);
      assert.match(service.output(), /shutting down/);
    });
  }

  test('a second signal exits 1 at once instead of waiting', async (t) => {
    const service = run({ PORT: '0', CLOSE_DELAY_MS: '30000', FORCE_EXIT_MS: '60000' });
    t.after(() => service.child.kill('SIGKILL'));
    await address(service);
    service.child.kill('SIGTERM');
    await waitFor(service, /shutting down/);
    await new Promise((r) => setTimeout(r, 1200));
    service.child.kill('SIGINT');
    assert.equal(await service.exited, 1);
    assert.match(service.output(), /second signal/);
  });

  test('the same signal twice at once (Ctrl-C under npm start) is one request to stop', async (t) => {
    const service = run({ PORT: '0', CLOSE_DELAY_MS: '300', FORCE_EXIT_MS: '10000' });
    t.after(() => service.child.kill('SIGKILL'));
    await address(service);
    service.child.kill('SIGINT');
    service.child.kill('SIGINT');
    assert.equal(await service.exited, 0);
    assert.doesNotMatch(service.output(), /second signal/);
  });
});
