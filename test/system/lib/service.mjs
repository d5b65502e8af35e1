/**
 * A service as production runs it: `node packages/<name>/dist/main.js` in its own process, with
 * only the environment given (plus PATH and HOME), its output kept in a log file.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from './ports.mjs';

const HEALTH = { 'auth-server': '/api/health', 'emotion-api': '/health' };

export async function startService({ name, label = name, root, env, logDir, healthMs = 120_000 }) {
  const logFile = join(logDir, `${label}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [join(root, 'packages', name, 'dist/main.js')], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = `http://127.0.0.1:${env.PORT}`;
  const service = {
    name,
    label,
    url,
    pid: child.pid,
    exited,
    logFile,
    logTail: (lines = 30) => readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n'),
    /** SIGTERM, then the exit code (SIGKILL after `ms`, answered as 'SIGKILL'). */
    async stop(ms = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  try {
    const exitedEarly = exited.then((code) => {
      throw new Error(`${label} exited with ${code} before it was healthy`);
    });
    const healthy = until(
      `${label} health`,
      async () => child.exitCode !== null || (await fetch(url + HEALTH[name])).status === 200,
      healthMs,
      100,
    );
    await Promise.race([healthy, exitedEarly]);
    exitedEarly.catch(() => {});
  } catch (err) {
    await service.stop();
    throw new Error(`${err.message}\n--- ${label} log ---\n${service.logTail()}`);
  }
  return service;
}
