/**
 * Two auth-servers and two emotion-apis behind nginx, sharing PostgreSQL, Redis and an SMTP
 * listener (issue 13): the journey through the proxy, refreshes raced across instances, the
 * login limit counted across instances, revocation honoured by every emotion-api, and (with
 * emotion-api on PostgreSQL) a detection stored by one instance served by the other.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { METRICS_TOKEN, REPO_ROOT, startCluster } from './lib/cluster.mjs';
import { call, detectForm, login, PASSWORD, photo, randomIp, signUp, uniqueEmail } from './lib/journey.mjs';
import { scrape, total } from './lib/metrics.mjs';
import { until } from './lib/ports.mjs';
import { startSmtp } from './lib/smtp.mjs';

let cluster;
let api;
let auth;

before(async () => {
  cluster = await startCluster();
  api = cluster.nginx.apiUrl;
  auth = cluster.nginx.authUrl;
});

after(async () => {
  const codes = await cluster?.stop();
  if (codes) console.log('exit codes on SIGTERM:', JSON.stringify(codes));
});

async function signedIn() {
  const user = await signUp(api, cluster.smtp);
  const res = await login(api, user.email, user.ip);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { ...user, ...res.body };
}

describe('cluster behind nginx', () => {
  test('the journey through nginx: register, verify, login, detect, history, image, delete, refresh, logout', async () => {
    const user = await signedIn();
    const opts = { token: user.accessToken, ip: user.ip };
    const detected = await call(api, '/detect', {
      ...opts,
      method: 'POST',
      form: detectForm(photo(REPO_ROOT)),
    });
    assert.equal(detected.status, 200, JSON.stringify(detected.body));
    assert.equal(detected.body.emotion, 'happy');

    // Four rounds: nginx sends them to both emotion-apis, which share PostgreSQL.
    for (let i = 0; i < 4; i++) {
      const logs = await call(api, '/logs', opts);
      assert.equal(logs.status, 200);
      assert.deepEqual(
        logs.body.items.map((p) => p.id),
        [detected.body.id],
      );
      const image = await call(api, `/images/${detected.body.id}`, opts);
      assert.equal(image.status, 200);
      assert.match(image.headers.get('content-type'), /^image\//);
    }
    const removed = await call(api, `/logs/${detected.body.id}`, { ...opts, method: 'DELETE' });
    assert.equal(removed.status, 204);
    assert.equal((await call(api, '/logs', opts)).body.total, 0);

    const refreshed = await call(api, '/auth/refresh', {
      method: 'POST',
      ip: user.ip,
      body: { refreshToken: user.refreshToken },
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.notEqual(refreshed.body.refreshToken, user.refreshToken);

    const out = await call(api, '/auth/logout', {
      method: 'POST',
      token: refreshed.body.accessToken,
      ip: user.ip,
      body: { refreshToken: refreshed.body.refreshToken },
    });
    assert.equal(out.status, 204);
    const again = await call(api, '/auth/refresh', {
      method: 'POST',
      ip: user.ip,
      body: { refreshToken: refreshed.body.refreshToken },
    });
    assert.equal(again.status, 401);
  });

  test('20 concurrent refreshes of one token over both auth-servers all succeed with one successor', async () => {
    const user = await signedIn();
    const before = await Promise.all(cluster.auth.map((s) => scrape(s.url, METRICS_TOKEN)));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(auth, '/api/auth/refresh', {
          method: 'POST',
          ip: user.ip,
          body: { refreshToken: user.refreshToken },
        }),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(20).fill(200),
      JSON.stringify(answers.find((a) => a.status !== 200)?.body),
    );
    assert.equal(new Set(answers.map((a) => a.body.refreshToken)).size, 1);
    const successor = answers[0].body.refreshToken;
    assert.notEqual(successor, user.refreshToken);
    const after = await Promise.all(cluster.auth.map((s) => scrape(s.url, METRICS_TOKEN)));
    for (const [i, samples] of after.entries()) {
      const served = total(samples, 'auth_refresh_total') - total(before[i], 'auth_refresh_total');
      assert.ok(served > 0, `auth-${i + 1} served none of the refreshes`);
    }
    const next = await call(auth, '/api/auth/refresh', {
      method: 'POST',
      ip: user.ip,
      body: { refreshToken: successor },
    });
    assert.equal(next.status, 200, 'the successor refreshes');
  });

  test('the login rate limit counts failures across both auth-servers (Redis)', async () => {
    const { email } = await signUp(api, cluster.smtp);
    const ip = randomIp();
    const statuses = [];
    for (let i = 0; i < 10; i++) {
      const body = { email, password: 'wrong password 123' };
      statuses.push((await call(auth, '/api/auth/login', { method: 'POST', ip, body })).status);
    }
    assert.deepEqual(statuses, Array(10).fill(401), 'ten failures, spread over both by nginx');
    const blocked = await call(auth, '/api/auth/login', {
      method: 'POST',
      ip,
      body: { email, password: PASSWORD },
    });
    assert.equal(blocked.status, 429);
    assert.equal(blocked.body.code, 'rate_limited');
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    const elsewhere = await call(auth, '/api/auth/login', {
      method: 'POST',
      ip: randomIp(),
      body: { email, password: PASSWORD },
    });
    assert.equal(elsewhere.status, 200, 'the limit is per account and address');
  });

  test('a logout through one auth-server is honoured by both emotion-apis within 2 s', async () => {
    const user = await signedIn();
    for (const s of cluster.api) {
      assert.equal((await call(s.url, '/logs?limit=1', { token: user.accessToken })).status, 200);
    }
    const out = await call(auth, '/api/auth/logout', {
      method: 'POST',
      token: user.accessToken,
      ip: user.ip,
      body: { refreshToken: user.refreshToken },
    });
    assert.equal(out.status, 204);
    await Promise.all(
      cluster.api.map((s) =>
        until(
          `${s.label} to answer 401 session_revoked`,
          async () => {
            const res = await call(s.url, '/logs?limit=1', { token: user.accessToken });
            return res.status === 401 && res.body.code === 'session_revoked';
          },
          2_000,
          25,
        ),
      ),
    );
  });

  test('a detection stored through one emotion-api is listed and served by the other (PostgreSQL)', async () => {
    const user = await signedIn();
    const [one, two] = cluster.api;
    const opts = { token: user.accessToken };
    const stored = await call(one.url, '/detect', {
      ...opts,
      method: 'POST',
      form: detectForm(photo(REPO_ROOT, 'sad_test.jpg')),
    });
    assert.equal(stored.status, 200, JSON.stringify(stored.body));
    const listed = await call(two.url, '/logs', opts);
    assert.deepEqual(
      listed.body.items.map((p) => p.id),
      [stored.body.id],
    );
    const image = await call(two.url, `/images/${stored.body.id}`, opts);
    assert.equal(image.status, 200);
    const stats = await call(two.url, '/stats', opts);
    assert.equal(stats.status, 200);
    assert.equal((await call(two.url, `/logs/${stored.body.id}`, { ...opts, method: 'DELETE' })).status, 204);
    assert.equal((await call(one.url, `/images/${stored.body.id}`, opts)).status, 404);
  });

  test('/metrics of every instance is Prometheus text and counts what the test did', async () => {
    for (const s of cluster.auth) {
      const samples = await scrape(s.url, METRICS_TOKEN);
      assert.ok(total(samples, 'auth_logins_total') > 0, `${s.label}: auth_logins_total`);
      assert.ok(total(samples, 'process_resident_memory_bytes') > 0);
    }
    let detects = 0;
    for (const s of cluster.api) {
      const samples = await scrape(s.url, METRICS_TOKEN);
      assert.ok(
        total(samples, 'http_request_duration_seconds_count', { route: '/logs' }) > 0,
        `${s.label} /logs`,
      );
      detects += total(samples, 'http_request_duration_seconds_count', { route: '/detect', method: 'POST' });
    }
    assert.ok(detects >= 1);
    const anonymous = await fetch(`${cluster.auth[0].url}/metrics`);
    assert.equal(anonymous.status, 401);
  });

  test('SMTP listener down at registration, then up: the verification mail arrives', async () => {
    const { port } = cluster.smtp;
    await cluster.smtp.close();
    const email = uniqueEmail('smtp-down');
    const reg = await call(api, '/auth/register', {
      method: 'POST',
      ip: randomIp(),
      body: { name: 'Later Mail', email, password: PASSWORD },
    });
    assert.equal(reg.status, 201, 'an SMTP outage never fails a registration');
    await sleep(1_500);
    cluster.smtp = await startSmtp(port);
    await until('the mail after SMTP came back', () => cluster.smtp.verificationToken(email), 30_000);
  });

  // Last: it stops api-2.
  test('SIGTERM during 10 in-flight /detect: all complete and the process exits 0', async () => {
    const user = await signedIn();
    const target = cluster.api[1];
    let answered = 0;
    const inFlight = Array.from({ length: 10 }, (_, i) =>
      call(target.url, '/detect', {
        method: 'POST',
        token: user.accessToken,
        form: detectForm(photo(REPO_ROOT, i % 2 ? 'Happy-test.jpg' : 'neutral_test.jpg')),
      }).finally(() => {
        answered += 1;
      }),
    );
    // Every upload must have reached the server before the signal: a connection still waiting for
    // its request is not in flight, and closing drops it. With one model worker (one image slot),
    // the server holds `waiting` queued uploads plus the one being detected.
    await until(
      'every upload to reach the server',
      async () => {
        const waiting = total(await scrape(target.url, METRICS_TOKEN), 'emotion_model_queue_depth');
        return answered + waiting + (waiting > 0 ? 1 : 0) >= 10;
      },
      30_000,
      10,
    );
    const exitCode = target.stop(20_000);
    const answers = await Promise.all(inFlight);
    const seen = answers.map((a) => `${a.status}${a.body?.code ? ` ${a.body.code}` : ''}`);
    assert.deepEqual(seen, Array(10).fill('200'), target.logTail());
    assert.equal(await exitCode, 0, target.logTail());
  });
});
