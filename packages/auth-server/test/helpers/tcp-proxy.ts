/**
 * A TCP proxy the test can cut and restore, to take PostgreSQL away from one app without
 * touching the shared server: `cut()` stops listening (new connections are refused) and resets
 * every open one; `restore()` listens on the same port again.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  function pipe(client: Socket): void {
    const upstream = createConnection(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }

  async function listen(): Promise<void> {
    const s = createServer(pipe);
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', resolve);
    });
    const address = s.address();
    if (!address || typeof address === 'string') throw new Error('no proxy address');
    port = address.port;
    server = s;
  }

  async function cut(): Promise<void> {
    const s = server;
    server = undefined;
    const closed = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
    for (const socket of sockets) socket.resetAndDestroy();
    await closed;
  }

  await listen();
  return { port, cut, restore: listen, close: cut };
}
