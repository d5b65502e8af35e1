/**
 * JWT_ALG=ES256/RS256/EdDSA end to end (DESIGN §7): tokens signed with the ring's current key,
 * verifiable by anyone from the JWKS alone, and every forgery of RFC 8725 refused by auth-server's
 * own authentication.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import type { JwksResponse } from '@emotion-app/protocol';
import { createTokenVerifier, publicJwk, publicKeyFromJwk } from '@emotion-app/protocol/jwt';
import { sql } from 'kysely';
import { bearer, problem, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';
import { decodeSegment, signJws } from '../helpers/jws.js';

const ALGS = ['ES256', 'RS256', 'EdDSA'] as const;
const KTY = { ES256: 'EC', RS256: 'RSA', EdDSA: 'OKP' } as const;

for (const dialect of dialects()) {
  for (const alg of ALGS) {
    describe(`JWT_ALG=${alg} on ${dialect.name}`, () => {
      test('login gives a token with { alg, typ, kid } that the JWKS alone verifies; the JWKS has no private or HMAC key', async (t) => {
        const { app, testDb } = await startApp(t, dialect, { env: { JWT_ALG: alg } });
        const session = await signUp(app, `${alg.toLowerCase()}@example.com`);
        const header = decodeSegment(session.accessToken, 0);
        const res = await app.inject({ url: '/.well-known/jwks.json' });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['cache-control'], 'public, max-age=300');
        const jwks: JwksResponse = res.json();
        assert.equal(jwks.keys.length, 1);
        const [jwk] = jwks.keys;
        assert.ok(jwk);
        assert.deepEqual(header, { alg, typ: 'JWT', kid: jwk.kid });
        assert.equal(jwk.alg, alg);
        assert.equal(jwk.kty, KTY[alg]);
        assert.equal(jwk.use, 'sig');
        for (const member of ['d', 'k', 'p', 'q', 'dp', 'dq', 'qi']) assert.ok(!(member in jwk), member);
        assert.doesNotMatch(res.body, /"d"|"k"/);

        const byKid = new Map(jwks.keys.map((k) => [k.kid, publicKeyFromJwk(k as Record<string, unknown>)]));
        const verifier = createTokenVerifier({ keys: ({ kid }) => (kid ? byKid.get(kid) : undefined) });
        const claims = verifier.verifySync(session.accessToken);
        assert.equal(claims.sid, decodeSegment(session.accessToken, 1).sid);
        const me = await app.inject({ url: '/api/users/me', headers: bearer(session.accessToken) });
        assert.equal(me.statusCode, 200);

        // The private key is sealed at rest: neither PEM nor the raw PKCS#8 bytes are in the row.
        const { rows } = await sql<{
          sealed_private: string;
        }>`SELECT sealed_private FROM signing_keys`.execute(testDb.db);
        assert.equal(rows.length, 1);
        assert.match(rows[0]?.sealed_private ?? '', /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
        assert.doesNotMatch(rows[0]?.sealed_private ?? '', /PRIVATE KEY|^MI/);
      });

      test('refuses alg none, HS256 signed with the public key, jku, jwk, unknown kid and a deleted key', async (t) => {
        const { app, testDb } = await startApp(t, dialect, { env: { JWT_ALG: alg } });
        const session = await signUp(app, `forge-${alg.toLowerCase()}@example.com`);
        const header = decodeSegment(session.accessToken, 0);
        const claims = decodeSegment(session.accessToken, 1);
        const jwk = (await app.inject({ url: '/.well-known/jwks.json' })).json().keys[0];
        const publicKey = publicKeyFromJwk(jwk);
        const attacker =
          alg === 'ES256'
            ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
            : alg === 'RS256'
              ? generateKeyPairSync('rsa', { modulusLength: 2048 })
              : generateKeyPairSync('ed25519');
        const [h, p] = session.accessToken.split('.');
        const forgeries: Record<string, string> = {
          'alg none': `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`,
          'HS256 with the public key (PEM)': signJws(
            { ...header, alg: 'HS256' },
            claims,
            Buffer.from(publicKey.export({ format: 'pem', type: 'spki' })),
          ),
          'HS256 with the JWK JSON': signJws({ ...header, alg: 'HS256' }, claims, JSON.stringify(jwk)),
          'jku pointing elsewhere': signJws(
            { ...header, kid: 'evil', jku: 'https://evil.example/jwks.json' },
            claims,
            attacker.privateKey,
          ),
          'embedded jwk': signJws(
            { alg, typ: 'JWT', jwk: publicJwk(attacker.publicKey) },
            claims,
            attacker.privateKey,
          ),
          'embedded jwk with the real kid': signJws(
            { ...header, jwk: publicJwk(attacker.publicKey) },
            claims,
            attacker.privateKey,
          ),
          'unknown kid': signJws({ ...header, kid: 'not-a-key-of-ours' }, claims, attacker.privateKey),
          'right kid, attacker key': signJws(header, claims, attacker.privateKey),
          'tampered payload': `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${session.accessToken.split('.')[2]}`,
        };
        for (const [what, token] of Object.entries(forgeries)) {
          const res = await app.inject({ url: '/api/users/me', headers: bearer(token) });
          assert.equal(res.statusCode, 401, what);
          assert.equal(problem(res).code, 'invalid_token', what);
        }

        // The genuine token works until its key is deleted from the table and the ring re-read; then
        // it names an unknown kid.
        assert.equal(
          (await app.inject({ url: '/api/users/me', headers: bearer(session.accessToken) })).statusCode,
          200,
        );
        await sql`DELETE FROM signing_keys`.execute(testDb.db);
        await app.ctx.keys?.reload(); // what the ring does every 5 s
        const res = await app.inject({ url: '/api/users/me', headers: bearer(session.accessToken) });
        assert.equal(res.statusCode, 401);
        assert.match(problem(res).detail as string, /unknown signing key/);
      });
    });
  }

  describe(`JWT_ALG=HS256 on ${dialect.name}`, () => {
    test('signs as before, publishes an empty JWKS and lists the secret as the current key', async (t) => {
      const { app, config } = await startApp(t, dialect, { env: { JWT_ALG: 'HS256' } });
      const session = await signUp(app, 'hs@example.com');
      assert.equal(decodeSegment(session.accessToken, 0).alg, 'HS256');
      const jwks = await app.inject({ url: '/.well-known/jwks.json' });
      assert.deepEqual(jwks.json(), { keys: [] });
      assert.equal(jwks.headers['cache-control'], 'public, max-age=300');
      const verifier = createTokenVerifier({ secret: config.jwt.secret });
      assert.equal(verifier.verifySync(session.accessToken).sub, session.user.id);
    });
  });
}
