/**
 * Debian's nginx in front of the processes, configured from deploy/nginx.conf itself: only the
 * upstream servers, the listen ports and the file locations change, so the test proves the
 * shipped file. Runs in the foreground as a child process on non-privileged ports.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, until } from './ports.mjs';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

function upstream(conf, name, ports) {
  const block = new RegExp(`(upstream ${name} \\{\\n)((?:\\s*server [^\\n]*\\n)+)`);
  if (!block.test(conf)) throw new Error(`deploy/nginx.conf has no upstream ${name}`);
  const servers = ports.map((p) => `    server 127.0.0.1:${p} max_fails=3 fail_timeout=5s;\n`).join('');
  return conf.replace(block, `$1${servers}`);
}

/** `deploy/nginx.conf` with these upstream ports, listening on `apiPort` and `authPort`. */
export function nginxConfig(root, dir, { apiPorts, authPorts, apiPort, authPort }) {
  let conf = readFileSync(join(root, 'deploy/nginx.conf'), 'utf8');
  conf = upstream(conf, 'emotion_api', apiPorts);
  conf = upstream(conf, 'auth_server', authPorts);
  if (!/listen 80;/.test(conf) || !/listen 8000;/.test(conf)) throw new Error('unexpected listen lines');
  conf = conf.replace('listen 80;', `listen 127.0.0.1:${apiPort};`);
  conf = conf.replace('listen 8000;', `listen 127.0.0.1:${authPort};`);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((k) => {
      mkdirSync(join(dir, k), { recursive: true });
      chmodSync(join(dir, k), 0o777);
      return `  ${k}_temp_path ${join(dir, k)};`;
    })
    .join('\n');
  conf = conf.replace('http {', `http {\n  access_log off;\n${temp}\n`);
  return `pid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')} warn;\n${conf}`;
}

export async function startNginx(root, dir, { apiPorts, authPorts }) {
  chmodSync(dir, 0o755);
  const apiPort = await freePort();
  const authPort = await freePort();
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, nginxConfig(root, dir, { apiPorts, authPorts, apiPort, authPort }));
  const child = spawn(NGINX, ['-e', join(dir, 'error.log'), '-p', dir, '-c', file, '-g', 'daemon off;'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let dead = false;
  exited.then(() => {
    dead = true;
  });
  const listening = (port) =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  await until('nginx', async () => {
    if (dead) throw new Error(`nginx exited: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    return (await listening(apiPort)) && (await listening(authPort));
  });
  return {
    pid: child.pid,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    authUrl: `http://127.0.0.1:${authPort}`,
    async stop() {
      if (!dead) child.kill('SIGTERM');
      await exited;
    },
  };
}
