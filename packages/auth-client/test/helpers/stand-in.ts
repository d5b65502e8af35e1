/**
 * A stand-in for auth-server's JWKS endpoint in tests: a real node:http server serving a JWKS the
 * test controls, counting requests. Not auth-server: the tests against the real one live in
 * test/server/auth-server-*.test.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandIn {
  url: string;
  /** Requests received, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startStandIn(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<StandIn> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
