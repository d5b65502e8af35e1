import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { baseFastifyOptions } from '../../src/fastify/base-options.js';

describe('baseFastifyOptions', () => {
  it('never logs credentials or one-time tokens', async (t) => {
    const lines: string[] = [];
    const stream = { write: (line: string) => lines.push(line) };
    const app = Fastify(
      baseFastifyOptions({ logLevel: 'info', logger: { level: 'info', stream }, trustProxy: [] }),
    );
    t.after(() => app.close());
    app.get('/verify', async () => ({ ok: true }));
    await app.inject({
      url: '/verify?token=SECRET-TOKEN&x=1',
      headers: { authorization: 'Bearer SECRET-JWT', cookie: 'access_token=SECRET-COOKIE' },
    });
    const log = lines.join('\n');
    assert.match(log, /token=\[redacted\]&x=1/);
    for (const secret of ['SECRET-TOKEN', 'SECRET-JWT', 'SECRET-COOKIE'])
      assert.ok(!log.includes(secret), secret);
  });

  it('trusts the listed proxies only', () => {
    assert.equal(baseFastifyOptions({ logLevel: 'info', trustProxy: [] }).trustProxy, false);
    assert.deepEqual(baseFastifyOptions({ logLevel: 'info', trustProxy: ['10.0.0.0/8'] }).trustProxy, [
      '10.0.0.0/8',
    ]);
  });
});
