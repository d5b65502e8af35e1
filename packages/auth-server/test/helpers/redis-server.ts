/**
 * A redis-server of the test's own on a free port (no persistence), which the test can kill and
 * start again on the same port: the machine's shared Redis is never touched. A missing binary
 * fails the test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './ports.js';

const BINARY = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

export interface OwnRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: an outage, not a shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

export async function startOwnRedis(t: { after(fn: () => Promise<void>): void }): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const proc = spawn(
      BINARY,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
      proc.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${BINARY}: ${err.message}`));
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${output}`));
      });
      proc.stdout?.on('data', (chunk: Buffer) => {
        output += chunk;
        if (/Ready to accept connections/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  async function kill(): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  }

  await start();
  t.after(kill);
  return { url: `redis://127.0.0.1:${port}`, port, kill, start };
}
