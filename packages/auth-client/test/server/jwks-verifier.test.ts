import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import express from 'express';
import { isAuthError } from '../../src/errors.js';
import { expressRequireAuth } from '../../src/server/express.js';
import { parseJwks } from '../../src/server/jwks.js';
import { createTokenVerifier } from '../../src/server/verifier.js';
import { ALGS, generateKey, signWith, type TestKey } from '../helpers/keys.js';
import { type StandIn, startStandIn } from '../helpers/stand-in.js';
import { claims, SECRET, sign } from '../helpers/tokens.js';

/** Rejects with an AuthError of `code` (401). */
async function rejectsWith(promise: Promise<unknown>, code: string, detail?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isAuthError(err), String(err));
    assert.equal(err.status, 401);
    assert.equal(err.code, code);
    if (detail) assert.match(err.detail ?? '', detail);
    return true;
  });
}

// A stand-in JWKS server (a node:http server in this test, not auth-server): the tests against
// a real auth-server are in auth-server-jwks.test.ts.
describe('createTokenVerifier({ jwksUrl }) against a stand-in JWKS server', () => {
  const keys = Object.fromEntries(ALGS.map((alg) => [alg, generateKey(alg)])) as Record<string, TestKey>;
  const es = keys.ES256 as TestKey;
  let published: Record<string, unknown>[] = [];
  let cacheControl: string | undefined = 'public, max-age=300';
  let failWith: number | undefined;
  let jwks: StandIn;
  let t = Date.now();
  const now = () => t;
  const fetches = () => jwks.hits.get('/jwks.json') ?? 0;
  const tokenAt = (
    key: TestKey,
    overrides: Record<string, unknown> = {},
    header?: Record<string, unknown>,
  ) => {
    const iat = Math.floor(t / 1000);
    return signWith(key, claims({ iat, exp: iat + 900, ...overrides }), header);
  };
  const newVerifier = (extra: Record<string, unknown> = {}) =>
    createTokenVerifier({ jwksUrl: `${jwks.url}/jwks.json`, now, ...extra });

  before(async () => {
    jwks = await startStandIn((_req, res) => {
      if (failWith) {
        res.writeHead(failWith).end('down');
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(cacheControl ? { 'cache-control': cacheControl } : {}),
      });
      res.end(JSON.stringify({ keys: published }));
    });
  });
  after(() => jwks.close());
  beforeEach(() => {
    published = Object.values(keys).map((k) => k.jwk);
    cacheControl = 'public, max-age=300';
    failWith = undefined;
    jwks.hits.clear();
    t = Date.now();
  });

  for (const alg of ALGS) {
    it(`verifies an ${alg} token with the key of its kid`, async () => {
      const verifier = newVerifier();
      const token = tokenAt(keys[alg] as TestKey);
      const result = await verifier.verify(token);
      assert.equal(result.sub, 'user-1');
      assert.equal(result.sid, 'session-1');
      assert.equal(fetches(), 1);
    });
  }

  it('refuses a tampered payload and a signature of another key with the same kid', async () => {
    const verifier = newVerifier();
    const token = tokenAt(es);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify(claims({ role: 'admin' }))).toString('base64url')}.${s}`;
    await rejectsWith(verifier.verify(forged), 'invalid_token', /signature/);
    const impostor = { ...generateKey('ES256'), kid: es.kid };
    await rejectsWith(verifier.verify(tokenAt(impostor)), 'invalid_token', /signature/);
  });

  it('unknown kid: refetches once, refuses, and does not refetch again within 30 s', async () => {
    const verifier = newVerifier();
    await verifier.verify(tokenAt(es));
    assert.equal(fetches(), 1);
    const stranger = generateKey('ES256');
    await rejectsWith(verifier.verify(tokenAt(stranger)), 'invalid_token', /unknown signing key/);
    assert.equal(fetches(), 2, 'one refetch for the unknown kid');
    for (let i = 0; i < 5; i++) {
      await rejectsWith(verifier.verify(tokenAt(generateKey('EdDSA'))), 'invalid_token');
    }
    t += 29_000;
    await rejectsWith(verifier.verify(tokenAt(stranger)), 'invalid_token');
    assert.equal(fetches(), 2, 'no second refetch within 30 s');
    t += 2_000;
    await rejectsWith(verifier.verify(tokenAt(stranger)), 'invalid_token');
    assert.equal(fetches(), 3, 'allowed again after 30 s');
  });

  it('picks up a key published after the first fetch (rotation) through the unknown-kid refetch', async () => {
    const verifier = newVerifier();
    await verifier.verify(tokenAt(es));
    const next = generateKey('ES256');
    published = [...published, next.jwk];
    assert.equal((await verifier.verify(tokenAt(next))).sub, 'user-1');
    assert.equal(fetches(), 2);
  });

  it('honours max-age: no fetch before it runs out, one after', async () => {
    cacheControl = 'public, max-age=60';
    const verifier = newVerifier({ cacheSize: 0 });
    await verifier.verify(tokenAt(es));
    t += 59_000;
    await verifier.verify(tokenAt(es));
    assert.equal(fetches(), 1);
    t += 2_000;
    await verifier.verify(tokenAt(es));
    assert.equal(fetches(), 2);
  });

  it('keeps keys 300 s when the answer has no max-age', async () => {
    cacheControl = undefined;
    const verifier = newVerifier({ cacheSize: 0 });
    await verifier.verify(tokenAt(es));
    t += 299_000;
    await verifier.verify(tokenAt(es));
    assert.equal(fetches(), 1);
    t += 2_000;
    await verifier.verify(tokenAt(es));
    assert.equal(fetches(), 2);
  });

  it('concurrent callers share one in-flight fetch', async () => {
    const verifier = newVerifier();
    const tokens = Array.from({ length: 20 }, (_, i) => tokenAt(es, { sid: `s-${i}` }));
    const results = await Promise.all(tokens.map((tok) => verifier.verify(tok)));
    assert.equal(results.length, 20);
    assert.equal(fetches(), 1);
  });

  it('a failing fetch keeps the last good keys', async () => {
    cacheControl = 'max-age=60';
    const verifier = newVerifier({ cacheSize: 0 });
    await verifier.verify(tokenAt(es));
    failWith = 503;
    t += 61_000;
    assert.equal((await verifier.verify(tokenAt(es))).sub, 'user-1');
    assert.equal(fetches(), 2);
    await verifier.verify(tokenAt(es));
    assert.equal(fetches(), 2, 'no retry storm right after a failure');
    t += 6_000;
    failWith = undefined;
    await verifier.verify(tokenAt(es));
    assert.equal(fetches(), 3);
  });

  it('retries a fetch once at once after a network error (a stale kept-alive socket)', async () => {
    let calls = 0;
    const flaky: typeof fetch = (input, init) => {
      calls++;
      if (calls === 1)
        return Promise.reject(new TypeError('fetch failed', { cause: new Error('read ECONNRESET') }));
      return fetch(input, init);
    };
    const verifier = newVerifier({ fetch: flaky });
    assert.equal((await verifier.verify(tokenAt(es))).sub, 'user-1');
    assert.equal(calls, 2);
  });

  it('without any JWKS (server down) refuses with invalid_token', async () => {
    failWith = 500;
    const verifier = newVerifier();
    await rejectsWith(verifier.verify(tokenAt(es)), 'invalid_token', /unknown signing key/);
  });

  for (const member of ['jku', 'x5u', 'x5c', 'jwk'] as const) {
    it(`refuses a token whose header carries ${member}, and never fetches it`, async () => {
      const verifier = newVerifier();
      const value =
        member === 'jwk' ? es.jwk : member === 'x5c' ? ['MIIB'] : `${jwks.url}/attacker-${member}.json`;
      const token = tokenAt(es, {}, { alg: 'ES256', typ: 'JWT', kid: es.kid, [member]: value });
      await rejectsWith(verifier.verify(token), 'invalid_token');
      assert.equal(jwks.hits.get(`/attacker-${member}.json`), undefined);
    });
  }

  it('refuses HMAC tokens (also HS256 signed with the public key) and alg none', async () => {
    const verifier = newVerifier();
    await rejectsWith(verifier.verify(sign(claims())), 'invalid_token', /algorithm HS256/);
    const pem = es.jwk.x as string;
    const hsWithPublic = sign(claims(), { secret: pem, header: { alg: 'HS256', kid: es.kid } });
    await rejectsWith(verifier.verify(hsWithPublic), 'invalid_token', /algorithm HS256/);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;
    await rejectsWith(verifier.verify(none), 'invalid_token');
  });

  it('refuses a token whose alg does not fit the key of its kid', async () => {
    const verifier = newVerifier();
    const token = tokenAt(es, {}, { alg: 'EdDSA', typ: 'JWT', kid: es.kid });
    await rejectsWith(verifier.verify(token), 'invalid_token');
  });

  it('a secret verifier refuses asymmetric tokens', async () => {
    const verifier = createTokenVerifier({ secret: SECRET });
    await rejectsWith(verifier.verify(tokenAt(es)), 'invalid_token', /algorithm ES256/);
  });

  it('refuses at creation: HMAC algorithms with a JWKS, asymmetric ones with a secret, both sources', () => {
    const jwksUrl = `${jwks.url}/jwks.json`;
    assert.throws(
      () => createTokenVerifier({ jwksUrl, algorithms: ['HS256'] as never }),
      /not allowed with a JWKS/,
    );
    assert.throws(() => createTokenVerifier({ secret: SECRET, algorithms: ['ES256'] as never }), TypeError);
    assert.throws(() => createTokenVerifier({ jwksUrl, secret: SECRET } as never), /not both/);
  });

  it('honours the algorithms allow-list', async () => {
    const verifier = newVerifier({ algorithms: ['EdDSA'] });
    assert.ok(await verifier.verify(tokenAt(keys.EdDSA as TestKey)));
    await rejectsWith(verifier.verify(tokenAt(es)), 'invalid_token', /algorithm ES256/);
  });

  it('ignores JWKS entries with d or k, use other than sig, or a weak RSA key', async () => {
    const priv = generateKey('ES256');
    const privJwk = { ...(priv.privateKey.export({ format: 'jwk' }) as object), kid: priv.kid, alg: 'ES256' };
    const enc = generateKey('EdDSA');
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    published = [
      { ...weak, kid: 'weak', alg: 'RS256', use: 'sig' },
      es.jwk,
      privJwk,
      { ...enc.jwk, use: 'enc' },
      { kty: 'oct', k: Buffer.from(SECRET).toString('base64url'), kid: 'hmac', alg: 'HS256' },
    ];
    assert.deepEqual(
      parseJwks({ keys: published }).map((k) => k.kid),
      [es.kid],
    );
    const verifier = newVerifier();
    await rejectsWith(verifier.verify(tokenAt(priv)), 'invalid_token', /unknown signing key/);
    await rejectsWith(verifier.verify(tokenAt(enc)), 'invalid_token');
    await rejectsWith(
      verifier.verify(sign(claims(), { header: { alg: 'HS256', kid: 'hmac' } })),
      'invalid_token',
    );
  });

  describe('verified-token cache', () => {
    it('a repeated token returns the same (frozen) claims without verifying again', async () => {
      const verifier = newVerifier();
      const token = tokenAt(es);
      const first = await verifier.verify(token);
      const second = await verifier.verify(token);
      assert.equal(second, first, 'the same object: served from the cache');
      assert.ok(Object.isFrozen(first));
    });

    it('still answers token_expired once the cached token passes exp', async () => {
      const verifier = newVerifier({ clockToleranceSec: 0 });
      const token = tokenAt(es);
      await verifier.verify(token);
      t += 901_000;
      await rejectsWith(verifier.verify(token), 'token_expired');
    });

    it('checks revocation on every call, cached or not', async () => {
      const revoked = new Set<string>();
      const verifier = newVerifier({
        revocations: { isRevoked: (c: { sid: string }) => revoked.has(c.sid) },
      });
      const token = tokenAt(es);
      await verifier.verify(token);
      await verifier.verify(token);
      revoked.add('session-1');
      await rejectsWith(verifier.verify(token), 'session_revoked');
      revoked.clear();
      assert.equal((await verifier.verify(token)).sid, 'session-1');
    });

    it('drops cached tokens when a key leaves the JWKS', async () => {
      cacheControl = 'max-age=60';
      const verifier = newVerifier();
      const token = tokenAt(es);
      await verifier.verify(token);
      published = published.filter((k) => k.kid !== es.kid);
      t += 61_000;
      await verifier.verify(tokenAt(keys.EdDSA as TestKey)); // refetch: es is gone
      await rejectsWith(verifier.verify(token), 'invalid_token', /unknown signing key/);
    });
  });

  it('expressRequireAuth waits for a JWKS verifier: 200 with a good token, 401 problem+json otherwise', async () => {
    const app = express();
    const revoked = new Set<string>();
    const verifier = newVerifier({ revocations: { isRevoked: (c: { sid: string }) => revoked.has(c.sid) } });
    app.get('/me', expressRequireAuth(verifier), (req, res) => {
      res.json({ sid: req.user?.sessionId });
    });
    const listening = app.listen(0, '127.0.0.1');
    await once(listening, 'listening');
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    try {
      const token = tokenAt(es);
      const ok = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.deepEqual(await ok.json(), { sid: 'session-1' });
      revoked.add('session-1');
      const no = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(no.status, 401);
      assert.equal(((await no.json()) as { code: string }).code, 'session_revoked');
      const none = await fetch(`${base}/me`);
      assert.equal(((await none.json()) as { code: string }).code, 'invalid_token');
    } finally {
      listening.close();
    }
  });

  it('the secret form with revocations stays synchronous and answers session_revoked', () => {
    const verifier = createTokenVerifier({
      secret: SECRET,
      revocations: { isRevoked: (c) => c.sid === 'gone', maxTokenAgeSec: 3600 },
    });
    assert.equal(verifier.verifySync(sign(claims())).sid, 'session-1');
    assert.throws(
      () => verifier.verifySync(sign(claims({ sid: 'gone' }))),
      (err: unknown) => isAuthError(err) && err.code === 'session_revoked',
    );
  });

  it('with revocations.maxTokenAgeSec, refuses tokens living longer or without iat', async () => {
    const revocations = { isRevoked: () => false, maxTokenAgeSec: 3600 };
    const verifier = newVerifier({ revocations });
    const iat = Math.floor(t / 1000);
    await rejectsWith(verifier.verify(tokenAt(es, { exp: iat + 3601 })), 'invalid_token', /lifetime/);
    await rejectsWith(verifier.verify(tokenAt(es, { iat: undefined })), 'invalid_token', /iat/);
    assert.ok(await verifier.verify(tokenAt(es, { exp: iat + 3600 })));
  });
});
