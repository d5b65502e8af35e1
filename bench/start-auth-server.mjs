/**
 * Starts the real auth-server from source (tsx) as a child process with `env` on top of this
 * process's environment; resolves once it prints its address. Shared by the auth-server benches.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function startServer(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(root, 'packages/auth-server/src/main.ts')],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const timer = setTimeout(() => reject(new Error(`auth-server did not start:\n${out}`)), 120_000);
    const onData = (chunk) => {
      out += chunk;
      const match = /auth-server: (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`auth-server exited with ${code}:\n${out}`)));
  });
}
