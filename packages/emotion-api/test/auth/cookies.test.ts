import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EmotionDetector } from '../../src/model/index.js';
import {
  type AuthServer,
  CookieJar,
  PASSWORD,
  type SignedInUser,
  setCookies,
  signUp,
  startApi,
  startAuthServer,
  type TestApi,
  uniqueEmail,
  verificationToken,
} from '../helpers/servers.js';

const idleDetector: EmotionDetector = {
  model: 'unused',
  loaded: true,
  load: async () => {},
  detect: async () => [],
  close: async () => {},
};

describe('production cookies and auth-server throttling (real auth-server)', () => {
  let auth: AuthServer;
  let dev: TestApi;
  let prod: TestApi;
  let user: SignedInUser;

  before(async () => {
    auth = await startAuthServer({ RATE_LIMIT_FORGOT_IP: '2/60' });
    dev = await startApi(auth.url, {}, { detector: idleDetector });
    prod = await startApi(auth.url, { NODE_ENV: 'production' }, { detector: idleDetector });
    user = await signUp(dev.app, auth, 'prod');
  });
  after(async () => {
    await prod?.close();
    await dev?.close();
    await auth?.stop();
  });

  it('uses __Host-/__Secure- names and Secure in production', async () => {
    const res = await prod.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: PASSWORD },
    });
    assert.equal(res.statusCode, 200, res.body);
    const cookies = Object.fromEntries(setCookies(res).map((c) => [c.name, c.attributes]));
    const month = String(30 * 24 * 60 * 60);
    assert.deepEqual(cookies['__Host-access_token'], {
      'max-age': month,
      path: '/',
      httponly: true,
      secure: true,
      samesite: 'Lax',
    });
    assert.deepEqual(cookies['__Secure-refresh_token'], {
      'max-age': month,
      path: '/auth',
      httponly: true,
      secure: true,
      samesite: 'Strict',
    });
    assert.deepEqual(cookies['__Host-csrf_token'], {
      'max-age': month,
      path: '/',
      secure: true,
      samesite: 'Lax',
    });
    assert.equal(cookies.access_token, undefined);

    const jar = setCookies(res)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const csrf = setCookies(res).find((c) => c.name === '__Host-csrf_token')?.value ?? '';
    const logs = await prod.app.inject({ method: 'GET', url: '/logs', headers: { cookie: jar } });
    assert.equal(logs.statusCode, 200);
    const noToken = await prod.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: jar } });
    assert.equal(noToken.statusCode, 403);
    assert.equal(noToken.json().code, 'csrf_failed');
    const logout = await prod.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { cookie: jar, 'x-csrf-token': csrf },
    });
    assert.equal(logout.statusCode, 204);
    assert.deepEqual(
      setCookies(logout)
        .map((c) => c.name)
        .sort(),
      ['__Host-access_token', '__Host-csrf_token', '__Secure-refresh_token'],
    );
  });

  it('keeps the sign-up verifier in __Host-signup_verifier (Path=/, Secure, HttpOnly) in production, and verifying with it signs in', async () => {
    const email = uniqueEmail('prod-signup');
    const register = await prod.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { name: 'Prod', email, password: PASSWORD },
    });
    assert.equal(register.statusCode, 201, register.body);
    assert.deepEqual(
      setCookies(register).map((c) => [c.name, c.attributes]),
      [
        [
          '__Host-signup_verifier',
          { 'max-age': String(24 * 60 * 60), path: '/', httponly: true, secure: true, samesite: 'Lax' },
        ],
      ],
    );
    const jar = new CookieJar().update(register);
    const verify = await prod.app.inject({
      method: 'POST',
      url: '/auth/verify',
      headers: { cookie: jar.header() },
      payload: { token: await verificationToken(auth, email) },
    });
    assert.equal(verify.statusCode, 200, verify.body);
    assert.equal(verify.json().signedIn, true);
    const names = setCookies(verify).map((c) => c.name);
    assert.ok(names.includes('__Host-access_token'));
    const cleared = setCookies(verify).find((c) => c.name === '__Host-signup_verifier');
    assert.equal(cleared?.value, '');
    assert.equal(cleared?.attributes.path, '/');
  });

  it("passes auth-server's 429 rate_limited through with its Retry-After", async () => {
    const forgot = () =>
      dev.app.inject({ method: 'POST', url: '/auth/forgot-password', payload: { email: user.email } });
    assert.equal((await forgot()).statusCode, 202);
    assert.equal((await forgot()).statusCode, 202);
    const limited = await forgot();
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) > 0);
  });
});
