import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, type JsonWebKey, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TestAuthServer } from '@emotion-app/auth-server/testing';
import type { TestEmotionApi } from '@emotion-app/emotion-api/testing';
import {
  createUser,
  decodeJwt,
  type Login,
  login,
  startEs256AuthServer,
  startJwksApi,
  useToken,
} from '../helpers/jwks.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWS with `header` over `payload`, "signed" by `signer` (ES256 by default: raw r||s). */
function forge(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signer: (input: string) => string,
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signer(input)}`;
}

describe('emotion-api verifies ES256 tokens through auth-server JWKS (no secret)', () => {
  let auth: TestAuthServer;
  let api: TestEmotionApi;
  let email: string;
  let session: Login;
  // The attacker's own key pair and a JWKS server of theirs, which must never be asked.
  const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const attackerJwk = attacker.publicKey.export({ format: 'jwk' }) as JsonWebKey;
  const attackerSign = (input: string) =>
    sign('sha256', Buffer.from(input), { key: attacker.privateKey, dsaEncoding: 'ieee-p1363' }).toString(
      'base64url',
    );
  let attackerServer: Server;
  let attackerUrl: string;
  let attackerHits = 0;

  before(async () => {
    auth = await startEs256AuthServer();
    api = await startJwksApi(auth);
    email = await createUser(api.url, auth, 'jwks');
    session = await login(api.url, email);
    attackerServer = createServer((_req, res) => {
      attackerHits++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [{ ...attackerJwk, kid: 'attacker', alg: 'ES256', use: 'sig' }] }));
    });
    await new Promise<void>((resolve) => attackerServer.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attackerServer.address() as AddressInfo).port}`;
  });
  after(async () => {
    await api?.close();
    await auth?.close();
    await new Promise((resolve) => attackerServer?.close(resolve));
  });

  it('the config has no secret, and auth-server signs with ES256 and a kid from its JWKS', async () => {
    assert.equal(api.config.jwtSecret, null);
    assert.equal(api.config.jwksUrl, `${auth.url}/.well-known/jwks.json`);
    const { header } = decodeJwt(session.accessToken);
    assert.equal(header.alg, 'ES256');
    const jwks = (await (await fetch(api.config.jwksUrl)).json()) as { keys: { kid: string }[] };
    assert.ok(jwks.keys.some((k) => k.kid === header.kid));
  });

  it('a token from login through emotion-api opens /logs (Bearer and cookie alike)', async () => {
    assert.deepEqual(await useToken(api.url, session.accessToken), { status: 200 });
    const res = await fetch(`${api.url}/logs`, {
      headers: { cookie: `access_token=${session.accessToken}` },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { items: [], total: 0, limit: 20, offset: 0 });
  });

  it('refuses alg none, HS256 "signed" with the public key, jku/jwk headers and unknown kids with 401', async () => {
    const { header, payload } = decodeJwt(session.accessToken);
    const realKid = header.kid as string;
    const jwks = (await (await fetch(api.config.jwksUrl)).json()) as {
      keys: (JsonWebKey & { kid: string })[];
    };
    const publicJwk = jwks.keys.find((k) => k.kid === realKid) as JsonWebKey;
    const publicPem = createPublicKey({ key: publicJwk, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const hmacWith = (secret: string | Buffer) => (input: string) =>
      createHmac('sha256', secret).update(input).digest('base64url');

    const forged: Record<string, string> = {
      'alg none': forge({ alg: 'none', typ: 'JWT', kid: realKid }, payload, () => ''),
      'alg None with a signature': forge({ alg: 'None', typ: 'JWT', kid: realKid }, payload, attackerSign),
      'HS256 with the PEM public key': forge(
        { alg: 'HS256', typ: 'JWT', kid: realKid },
        payload,
        hmacWith(publicPem),
      ),
      'HS256 with the JWK JSON': forge(
        { alg: 'HS256', typ: 'JWT', kid: realKid },
        payload,
        hmacWith(JSON.stringify(publicJwk)),
      ),
      'embedded jwk, own kid': forge(
        { alg: 'ES256', typ: 'JWT', kid: 'attacker', jwk: attackerJwk },
        payload,
        attackerSign,
      ),
      'embedded jwk, real kid': forge(
        { alg: 'ES256', typ: 'JWT', kid: realKid, jwk: attackerJwk },
        payload,
        attackerSign,
      ),
      'jku to the attacker JWKS': forge(
        { alg: 'ES256', typ: 'JWT', kid: 'attacker', jku: `${attackerUrl}/jwks.json` },
        payload,
        attackerSign,
      ),
      'x5u to the attacker': forge(
        { alg: 'ES256', typ: 'JWT', kid: 'attacker', x5u: `${attackerUrl}/cert.pem` },
        payload,
        attackerSign,
      ),
      'unknown kid': forge({ alg: 'ES256', typ: 'JWT', kid: 'no-such-kid' }, payload, attackerSign),
      'real kid, attacker signature': forge(
        { alg: 'ES256', typ: 'JWT', kid: realKid },
        payload,
        attackerSign,
      ),
      'no kid': forge({ alg: 'ES256', typ: 'JWT' }, payload, attackerSign),
    };
    for (const [what, token] of Object.entries(forged)) {
      assert.deepEqual(await useToken(api.url, token), { status: 401, code: 'invalid_token' }, what);
    }
    assert.equal(attackerHits, 0, 'emotion-api never fetched a key from a URL in a token');
    // The real token still works afterwards (nothing above poisoned the key cache).
    assert.deepEqual(await useToken(api.url, session.accessToken), { status: 200 });
  });
});

describe('key rotation: emotion-api picks up a new kid without a restart', () => {
  let auth: TestAuthServer;
  let api: TestEmotionApi;

  before(async () => {
    auth = await startEs256AuthServer();
    api = await startJwksApi(auth);
  });
  after(async () => {
    await api?.close();
    await auth?.close();
  });

  it('immediate rotation: tokens of the new key work at once, tokens of the old key keep working', async () => {
    const email = await createUser(api.url, auth, 'rotation');
    const before = await login(api.url, email);
    assert.deepEqual(await useToken(api.url, before.accessToken), { status: 200 }); // JWKS now cached
    const oldKid = decodeJwt(before.accessToken).header.kid;

    const rotate = await fetch(`${auth.url}/api/admin/keys/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth.serviceKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ immediate: true }),
    });
    assert.equal(rotate.status, 200, await rotate.clone().text());
    const { keys } = (await rotate.json()) as { keys: { kid: string; status: string }[] };
    const current = keys.find((k) => k.status === 'current');
    assert.ok(current && current.kid !== oldKid, JSON.stringify(keys));

    const afterRotation = await login(api.url, email);
    assert.equal(decodeJwt(afterRotation.accessToken).header.kid, current.kid);
    assert.deepEqual(await useToken(api.url, afterRotation.accessToken), { status: 200 });
    assert.deepEqual(await useToken(api.url, before.accessToken), { status: 200 });
  });
});
