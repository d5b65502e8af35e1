import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type AuthServer,
  browserHeaders,
  CookieJar,
  FIXTURES,
  multipart,
  PASSWORD,
  type SignedInUser,
  setCookies,
  signAccessToken,
  signUp,
  startApi,
  startAuthServer,
  type TestApi,
  uniqueEmail,
  verificationToken,
} from '../helpers/servers.js';

const THIRTY_DAYS = String(30 * 24 * 60 * 60);

/** An access token of `user` (for a made-up session) that expired ten minutes ago. */
function expiredAccessToken(user: SignedInUser): string {
  const now = Math.floor(Date.now() / 1000);
  return signAccessToken({
    iss: 'auth-server',
    aud: 'authenticated',
    sub: user.userId,
    sid: randomUUID(),
    email: user.email,
    role: 'user',
    iat: now - 3600,
    exp: now - 600,
  });
}

describe('auth proxy, cookies and CSRF (real auth-server, real model)', () => {
  let auth: AuthServer;
  let api: TestApi;
  let alice: SignedInUser;

  before(async () => {
    auth = await startAuthServer();
    api = await startApi(auth.url);
    alice = await signUp(api.app, auth, 'alice');
  });
  after(async () => {
    await api?.close();
    await auth?.stop();
  });

  it('sets access, refresh and CSRF cookies with the exact attributes on POST /auth/verify in the browser that registered', async () => {
    const email = uniqueEmail('cookies');
    const register = await api.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { name: 'Cookie', email, password: PASSWORD },
    });
    assert.equal(register.statusCode, 201);
    const signup = setCookies(register);
    assert.deepEqual(
      signup.map((c) => [c.name, c.attributes]),
      [
        [
          'signup_verifier',
          { 'max-age': String(24 * 60 * 60), path: '/auth', httponly: true, samesite: 'Lax' },
        ],
      ],
    );
    assert.match(signup[0]?.value ?? '', /^[\w-]{43}$/);
    const jar = new CookieJar().update(register);
    const token = await verificationToken(auth, email);
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/verify',
      headers: { cookie: jar.header() },
      payload: { token },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.signedIn, true);
    assert.equal(body.user.email, email);
    assert.equal(body.user.emailVerified, true);
    assert.equal(body.tokenType, 'Bearer');
    assert.equal(typeof body.expiresAt, 'number');
    assert.equal(typeof body.expiresIn, 'number');

    const cookies = Object.fromEntries(setCookies(res).map((c) => [c.name, c.attributes]));
    assert.deepEqual(Object.keys(cookies).sort(), [
      'access_token',
      'csrf_token',
      'refresh_token',
      'signup_verifier',
    ]);
    assert.deepEqual(cookies.access_token, {
      'max-age': THIRTY_DAYS,
      path: '/',
      httponly: true,
      samesite: 'Lax',
    });
    assert.deepEqual(cookies.refresh_token, {
      'max-age': THIRTY_DAYS,
      path: '/auth',
      httponly: true,
      samesite: 'Strict',
    });
    assert.deepEqual(cookies.csrf_token, { 'max-age': THIRTY_DAYS, path: '/', samesite: 'Lax' });
    jar.update(res);
    assert.equal(jar.get('signup_verifier'), undefined, 'the sign-up verifier is cleared once used');
    const values = Object.fromEntries(setCookies(res).map((c) => [c.name, c.value]));
    assert.equal(values.access_token, body.accessToken);
    assert.equal(values.refresh_token, body.refreshToken);
    assert.match(values.csrf_token ?? '', /^[\w-]{43}$/);

    const again = await api.app.inject({ method: 'POST', url: '/auth/verify', payload: { token } });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().code, 'invalid_or_expired_token');
  });

  it('verifying in another browser confirms the address but signs nobody in: signedIn false, no session cookies', async () => {
    const email = uniqueEmail('elsewhere');
    const register = await api.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { name: 'Elsewhere', email, password: PASSWORD },
    });
    assert.equal(register.statusCode, 201);
    const token = await verificationToken(auth, email);
    // Another browser: none of the registering browser's cookies, maybe a sign-up cookie of its own.
    const other = new CookieJar();
    other.set('signup_verifier', 'x'.repeat(43));
    for (const headers of [{}, { cookie: other.header() }]) {
      const res = await api.app.inject({ method: 'POST', url: '/auth/verify', headers, payload: { token } });
      if (res.statusCode === 400) {
        assert.equal(res.json().code, 'invalid_or_expired_token', 'the link was spent by the first try');
        continue;
      }
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(Object.keys(res.json()).sort(), ['signedIn', 'user']);
      assert.equal(res.json().signedIn, false);
      assert.equal(res.json().user.email, email);
      assert.equal(res.json().user.emailVerified, true);
      const names = setCookies(res).map((c) => c.name);
      for (const name of ['access_token', 'refresh_token', 'csrf_token']) {
        assert.ok(!names.includes(name), `no ${name} cookie`);
      }
    }
    // The address is verified: the owner signs in with the password.
    const login = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email, password: PASSWORD },
    });
    assert.equal(login.statusCode, 200, login.body);
  });

  it('a non-browser client can bind the link itself: its own codeChallenge at register, its codeVerifier at verify', async () => {
    const { createCodeVerifier } = await import('@emotion-app/auth-client');
    const { verifier, challenge } = await createCodeVerifier();
    const email = uniqueEmail('cli');
    const register = await api.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { name: 'Cli', email, password: PASSWORD, codeChallenge: challenge },
    });
    assert.equal(register.statusCode, 201);
    assert.deepEqual(setCookies(register), [], 'no cookie: the client keeps its verifier');
    const token = await verificationToken(auth, email);
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/verify',
      payload: { token, codeVerifier: verifier },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().signedIn, true);
    assert.equal(typeof res.json().accessToken, 'string');
  });

  it('redirects GET /auth/verify?token= to the web page without consuming the token', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/auth/verify?token=abc%2Fdef' });
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, '/verify-email?token=abc%2Fdef');
  });

  it('sets an HttpOnly device_token cookie scoped to /auth on login, and accepts it on the next login', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: alice.email, password: PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    const cookies = setCookies(res);
    const device = cookies.find((c) => c.name === 'device_token');
    assert.ok(device, 'device_token cookie set');
    assert.deepEqual(device.attributes, {
      'max-age': String(365 * 24 * 60 * 60),
      path: '/auth',
      httponly: true,
      samesite: 'Strict',
    });
    const jar = new CookieJar().update(res);
    const second = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { cookie: jar.header() },
      payload: { email: alice.email, password: PASSWORD },
    });
    assert.equal(second.statusCode, 200);
  });

  it('passes auth-server errors through with their status and code', async () => {
    const wrong = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: alice.email, password: 'not the password at all' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(wrong.json().code, 'invalid_credentials');
    assert.equal(wrong.json().stack, undefined);

    const email = uniqueEmail('unverified');
    await api.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { name: 'U', email, password: PASSWORD },
    });
    const unverified = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email, password: PASSWORD },
    });
    assert.equal(unverified.statusCode, 403);
    assert.equal(unverified.json().code, 'email_not_verified');

    const invalid = await api.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'nope' },
    });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().code, 'validation_failed');
    assert.ok(Array.isArray(invalid.json().errors));
  });

  it('answers GET /auth/me from cookies and 401 invalid_token without them', async () => {
    const me = await api.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { cookie: alice.jar.header() },
    });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.email, alice.email);
    assert.equal(me.json().user.name, 'alice');
    const anonymous = await api.app.inject({ method: 'GET', url: '/auth/me' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'invalid_token');
  });

  it('runs detect with cookies and the CSRF header, and the result shows up in /logs', async () => {
    const photo = readFileSync(path.join(FIXTURES, 'faces', 'Happy-test.jpg'));
    const { payload, headers } = multipart('image', photo);
    const detect = await api.app.inject({
      method: 'POST',
      url: '/detect',
      payload,
      headers: { ...headers, ...browserHeaders(alice.jar) },
    });
    assert.equal(detect.statusCode, 200, detect.body);
    const result = detect.json();
    assert.equal(result.emotion, 'happy');
    assert.equal(result.imageUrl, `/images/${result.id}`);
    const logs = await api.app.inject({
      method: 'GET',
      url: '/logs',
      headers: { cookie: alice.jar.header() },
    });
    assert.equal(logs.statusCode, 200);
    assert.equal(logs.json().items[0].id, result.id);
    const image = await api.app.inject({
      method: 'GET',
      url: result.imageUrl,
      headers: { cookie: alice.jar.header() },
    });
    assert.equal(image.statusCode, 200);
    assert.equal(image.headers['content-type'], 'image/jpeg');
  });

  it('refuses a cookie-authenticated state change without the CSRF header, with a wrong one, or from a foreign Origin', async () => {
    const url = `/logs/${randomUUID()}`;
    const cookie = alice.jar.header();
    const csrf = alice.jar.get('csrf_token') ?? '';
    const cases: Record<string, string>[] = [
      { cookie },
      { cookie, 'x-csrf-token': `${csrf.slice(0, -1)}x` },
      { cookie, 'x-csrf-token': 'short' },
      { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' },
      { cookie, 'x-csrf-token': csrf, origin: 'null' },
    ];
    for (const headers of cases) {
      const res = await api.app.inject({ method: 'DELETE', url, headers });
      assert.equal(res.statusCode, 403, JSON.stringify(headers));
      assert.equal(res.json().code, 'csrf_failed');
    }
    const noCsrfCookie = await api.app.inject({
      method: 'DELETE',
      url,
      headers: { cookie: `access_token=${alice.jar.get('access_token')}`, 'x-csrf-token': csrf },
    });
    assert.equal(noCsrfCookie.statusCode, 403);
  });

  it('lets a cookie request through with the CSRF header from an allowed or the own Origin', async () => {
    const url = `/logs/${randomUUID()}`;
    for (const origin of [undefined, 'http://localhost:5173', 'http://localhost:80']) {
      const headers: Record<string, string> = browserHeaders(alice.jar);
      if (origin) headers.origin = origin;
      const res = await api.app.inject({ method: 'DELETE', url, headers });
      assert.equal(res.statusCode, 404, `origin ${origin}`);
      assert.equal(res.json().code, 'not_found');
    }
  });

  it('needs no CSRF header for Bearer requests, even with cookies present or a foreign Origin', async () => {
    const res = await api.app.inject({
      method: 'DELETE',
      url: `/logs/${randomUUID()}`,
      headers: {
        authorization: `Bearer ${alice.accessToken}`,
        cookie: alice.jar.header(),
        origin: 'https://other.example',
      },
    });
    assert.equal(res.statusCode, 404);
  });

  it('authenticates a request with an Authorization header by that header alone: with cookies and no CSRF header it is refused and the cookies are not used', async () => {
    const gina = await signUp(api.app, auth, 'gina');
    const cookie = gina.jar.header();
    const routes: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object }[] = [
      { method: 'POST', url: '/auth/refresh' },
      { method: 'POST', url: '/auth/logout' },
      { method: 'POST', url: '/auth/logout?scope=global' },
      { method: 'GET', url: '/auth/me' },
      { method: 'PATCH', url: '/auth/me', payload: { name: 'Mallory' } },
      {
        method: 'POST',
        url: '/auth/password',
        payload: { currentPassword: PASSWORD, newPassword: 'attacker chosen passphrase 1' },
      },
      { method: 'GET', url: '/auth/sessions' },
      { method: 'DELETE', url: `/auth/sessions/${randomUUID()}` },
      { method: 'GET', url: '/logs' },
      { method: 'DELETE', url: `/logs/${randomUUID()}` },
    ];
    for (const authorization of ['Bearer garbage', 'Bearer ', 'Basic Z2luYTpwdw==', '']) {
      for (const route of routes) {
        const res = await api.app.inject({ ...route, headers: { authorization, cookie } });
        const label = `${route.method} ${route.url} with ${JSON.stringify(authorization)}`;
        assert.equal(res.headers['set-cookie'], undefined, label);
        // Logout with a well-formed (if bogus) Bearer token ends that token's session, if any: 204.
        if (
          res.statusCode === 204 &&
          route.url.startsWith('/auth/logout') &&
          authorization === 'Bearer garbage'
        )
          continue;
        assert.equal(res.statusCode, 401, `${label}: ${res.body}`);
        assert.equal(res.json().code, 'invalid_token', label);
      }
    }

    // A valid Bearer token of another session: refresh and logout ignore the cookie session.
    const login = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: gina.email, password: PASSWORD },
    });
    const bearer = { authorization: `Bearer ${login.json().accessToken}`, cookie };
    const refresh = await api.app.inject({ method: 'POST', url: '/auth/refresh', headers: bearer });
    assert.equal(refresh.statusCode, 401);
    assert.equal(refresh.headers['set-cookie'], undefined);
    const logout = await api.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer });
    assert.equal(logout.statusCode, 204);
    assert.equal(logout.headers['set-cookie'], undefined, 'the cookies are left alone');

    // The cookie session was neither rotated nor ended, and the name is unchanged.
    const stillAlive = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      headers: browserHeaders(gina.jar),
    });
    assert.equal(stillAlive.statusCode, 200, stillAlive.body);
    assert.equal(stillAlive.json().user.name, 'gina');
    const loggedOut = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: login.json().refreshToken },
    });
    assert.equal(loggedOut.statusCode, 401, 'the Bearer session was the one signed out');
  });

  it('needs no CSRF header on login, register and forgot-password even with stale cookies', async () => {
    const login = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { cookie: alice.jar.header() },
      payload: { email: alice.email, password: PASSWORD },
    });
    assert.equal(login.statusCode, 200);
    const forgot = await api.app.inject({
      method: 'POST',
      url: '/auth/forgot-password',
      headers: { cookie: alice.jar.header() },
      payload: { email: alice.email },
    });
    assert.equal(forgot.statusCode, 202);
  });

  it('answers 401 token_expired for an expired cookie token, and POST /auth/refresh renews the cookies', async () => {
    const bob = await signUp(api.app, auth, 'bob');
    bob.jar.set('access_token', expiredAccessToken(bob));
    const expired = await api.app.inject({
      method: 'GET',
      url: '/logs',
      headers: { cookie: bob.jar.header() },
    });
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json().code, 'token_expired');

    const withoutCsrf = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      headers: { cookie: bob.jar.header() },
    });
    assert.equal(withoutCsrf.statusCode, 403);

    const oldRefresh = bob.jar.get('refresh_token');
    const refresh = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      headers: browserHeaders(bob.jar),
    });
    assert.equal(refresh.statusCode, 200, refresh.body);
    assert.deepEqual(
      setCookies(refresh)
        .map((c) => c.name)
        .sort(),
      ['access_token', 'csrf_token', 'refresh_token'],
    );
    const oldCsrf = bob.jar.get('csrf_token');
    bob.jar.update(refresh);
    assert.notEqual(bob.jar.get('refresh_token'), oldRefresh);
    assert.equal(bob.jar.get('csrf_token'), oldCsrf, 'a refresh keeps the CSRF token');
    const logs = await api.app.inject({ method: 'GET', url: '/logs', headers: { cookie: bob.jar.header() } });
    assert.equal(logs.statusCode, 200);
  });

  it('refreshes from a body refreshToken for non-browser clients, and 401 without any token', async () => {
    const carol = await signUp(api.app, auth, 'carol');
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: carol.refreshToken },
    });
    assert.equal(res.statusCode, 200);
    assert.notEqual(res.json().refreshToken, carol.refreshToken);
    const none = await api.app.inject({ method: 'POST', url: '/auth/refresh' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().code, 'invalid_token');
  });

  it('proxies the account routes: name, sessions (with the client IP and user agent), revoke, password', async () => {
    const dave = await signUp(api.app, auth, 'dave');
    const bearer = { authorization: `Bearer ${dave.accessToken}` };
    const rename = await api.app.inject({
      method: 'PATCH',
      url: '/auth/me',
      headers: bearer,
      payload: { name: 'David' },
    });
    assert.equal(rename.statusCode, 200);
    assert.equal(rename.json().user.name, 'David');

    const login = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      remoteAddress: '203.0.113.9',
      headers: { 'user-agent': 'EmotionTest/1.0' },
      payload: { email: dave.email, password: PASSWORD },
    });
    assert.equal(login.statusCode, 200);
    const sessions = await api.app.inject({ method: 'GET', url: '/auth/sessions', headers: bearer });
    assert.equal(sessions.statusCode, 200);
    const list = sessions.json().sessions as {
      id: string;
      ip: string | null;
      userAgent: string | null;
      current: boolean;
    }[];
    assert.equal(list.length, 2);
    const other = list.find((s) => !s.current);
    assert.ok(other);
    assert.equal(other.ip, '203.0.113.9');
    assert.equal(other.userAgent, 'EmotionTest/1.0');

    const revoke = await api.app.inject({
      method: 'DELETE',
      url: `/auth/sessions/${other.id}`,
      headers: bearer,
    });
    assert.equal(revoke.statusCode, 204);
    const dead = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: login.json().refreshToken },
    });
    assert.equal(dead.statusCode, 401);

    const change = await api.app.inject({
      method: 'POST',
      url: '/auth/password',
      headers: browserHeaders(dave.jar),
      payload: { currentPassword: PASSWORD, newPassword: 'another long passphrase 77' },
    });
    assert.equal(change.statusCode, 204);
  });

  it('logs out: 204, clears the session cookies, and the refresh token is dead', async () => {
    const erin = await signUp(api.app, auth, 'erin');
    const withoutCsrf = await api.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { cookie: erin.jar.header() },
    });
    assert.equal(withoutCsrf.statusCode, 403);
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: browserHeaders(erin.jar),
    });
    assert.equal(res.statusCode, 204);
    const cleared = setCookies(res);
    assert.deepEqual(cleared.map((c) => c.name).sort(), ['access_token', 'csrf_token', 'refresh_token']);
    for (const c of cleared) {
      assert.equal(c.value, '');
      assert.ok(
        c.attributes['max-age'] === '0' || Date.parse(String(c.attributes.expires)) <= Date.now(),
        c.name,
      );
    }
    assert.equal(cleared.find((c) => c.name === 'refresh_token')?.attributes.path, '/auth');
    const refresh = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: erin.refreshToken },
    });
    assert.equal(refresh.statusCode, 401);
  });

  it('logs out with an expired access cookie: the refresh cookie still ends the session', async () => {
    const frank = await signUp(api.app, auth, 'frank');
    frank.jar.set('access_token', expiredAccessToken(frank));
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: browserHeaders(frank.jar),
    });
    assert.equal(res.statusCode, 204);
    const refresh = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: frank.refreshToken },
    });
    assert.equal(refresh.statusCode, 401);
  });

  it('logs out every session with scope=global (query or body), for Bearer clients too', async () => {
    const frank = await signUp(api.app, auth, 'frank');
    const login = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: frank.email, password: PASSWORD },
    });
    const second = login.json() as { accessToken: string; refreshToken: string };
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/logout?scope=global',
      headers: { authorization: `Bearer ${second.accessToken}` },
      payload: { refreshToken: second.refreshToken },
    });
    assert.equal(res.statusCode, 204);
    for (const refreshToken of [frank.refreshToken, second.refreshToken]) {
      const refresh = await api.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken },
      });
      assert.equal(refresh.statusCode, 401);
    }
  });

  it('reports model and auth-server in /health', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.model.loaded, true);
    assert.match(body.model.name, /human/);
    assert.equal(body.authServer, 'ok');
  });

  it('keeps serving valid tokens when auth-server stops, while /auth/* answers 503 auth_unavailable', async () => {
    await auth.stop();
    const login = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: alice.email, password: PASSWORD },
    });
    assert.equal(login.statusCode, 503);
    assert.equal(login.json().code, 'auth_unavailable');
    const logs = await api.app.inject({
      method: 'GET',
      url: '/logs',
      headers: { cookie: alice.jar.header() },
    });
    assert.equal(logs.statusCode, 200);
    assert.equal(logs.json().total, 1);
    const bearer = await api.app.inject({
      method: 'GET',
      url: '/stats',
      headers: { authorization: `Bearer ${alice.accessToken}` },
    });
    assert.equal(bearer.statusCode, 200);
    const me = await api.app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { cookie: alice.jar.header() },
    });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.email, alice.email);
    // /health reuses its auth-server probe for 2 s, so the outage shows within that.
    const deadline = Date.now() + 5000;
    let authServer: string;
    do {
      const health = await api.app.inject({ method: 'GET', url: '/health' });
      authServer = health.json().authServer;
      if (authServer === 'unreachable') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } while (Date.now() < deadline);
    assert.equal(authServer, 'unreachable');
  });
});
