import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { createPgPool } from '../../src/database/pg-pool.js';
import { isDatabaseUnavailable } from '../../src/database/unavailable.js';

describe('createPgPool', () => {
  it('bounds connects, idle connections and queries, and sets the search_path', async () => {
    const pool = createPgPool({
      connectionString: 'postgres://127.0.0.1:1/x',
      schema: 'tenant_1',
      max: 3,
      queryTimeoutMs: 15_000,
    });
    const o = pool.options as unknown as Record<string, unknown>;
    assert.equal(o.max, 3);
    assert.equal(o.connectionTimeoutMillis, 5000);
    assert.equal(o.idleTimeoutMillis, 10_000);
    assert.equal(o.query_timeout, 15_000);
    assert.equal(o.options, '-c search_path=tenant_1');
    await pool.end();
    const plain = createPgPool({ connectionString: 'postgres://127.0.0.1:1/x' });
    assert.equal((plain.options as unknown as Record<string, unknown>).query_timeout, undefined);
    await plain.end();
  });

  it('refuses a schema name that is not a plain identifier (it goes into a connection option)', () => {
    for (const schema of ['Tenant', 'a b', 'x;drop', "x' -c y", ''])
      assert.throws(
        () => createPgPool({ connectionString: 'postgres://127.0.0.1:1/x', schema }),
        /bad schema/,
      );
  });

  it('fails a query on a host that refuses connections as a database outage, in time', async () => {
    const pool = createPgPool({
      connectionString: 'postgres://postgres@127.0.0.1:1/x',
      connectTimeoutMs: 500,
    });
    await assert.rejects(pool.query('SELECT 1'), (err: unknown) => isDatabaseUnavailable(err));
    await pool.end();
  });

  it('gives every new connection an error listener, so a connection lost while checked out cannot crash the process', async () => {
    const pool = createPgPool({ connectionString: 'postgres://127.0.0.1:1/x' });
    const client = new EventEmitter();
    pool.emit('connect', client);
    assert.doesNotThrow(() => client.emit('error', new Error('Connection terminated unexpectedly')));
    assert.doesNotThrow(() => pool.emit('error', new Error('idle client lost'), client));
    await pool.end();
  });
});
