import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEVELOPMENT_COOKIES } from '@emotion-app/protocol';
import type { Browser, BrowserContext, Request } from 'playwright-core';
import {
  createVerifiedUser,
  field,
  HAPPY_FACE,
  launchBrowser,
  type Stack,
  startStack,
  textOf,
} from './harness.js';

// Access tokens live 3 s (JWT_MAXAGE is in minutes), so expiry happens within each test.
const JWT_MAXAGE_MINUTES = 0.05;

let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack({ jwtMaxAgeMinutes: JWT_MAXAGE_MINUTES });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

/**
 * Waits until emotion-api's own token check (GET /logs, verified locally) answers the context's
 * access cookie with 401 token_expired: past `exp` and the verifier's clock tolerance. Asks from
 * Node, so nothing in the browser refreshes.
 */
async function waitUntilExpired(context: BrowserContext): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const cookies = await context.cookies(stack.baseUrl);
    const header = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
    const response = await fetch(`${stack.baseUrl}/logs?limit=1`, { headers: { cookie: header } });
    const body = (await response.json()) as { code?: string };
    if (response.status === 401 && body.code === 'token_expired') return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error('the access token never expired');
}

function countRefreshes(context: BrowserContext): Request[] {
  const refreshes: Request[] = [];
  context.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/auth/refresh')
      refreshes.push(request);
  });
  return refreshes;
}

test('a detection after the access token expired succeeds through exactly one refresh', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await createVerifiedUser(stack, page);
  await page.locator('input[type=file]').setInputFiles(HAPPY_FACE);

  await waitUntilExpired(context);
  const refreshes = countRefreshes(context);
  const detectStatuses: number[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/detect') detectStatuses.push(response.status());
  });

  const [detected] = await Promise.all([
    page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/detect' && response.status() === 200,
    ),
    page.getByRole('button', { name: 'Detect emotion' }).click(),
  ]);
  assert.equal(detected.status(), 200);
  assert.equal(refreshes.length, 1, 'one refresh');
  assert.deepEqual(detectStatuses, [401, 200], 'the expired attempt, then the retry after the refresh');
  await page.getByTestId('detection-result').waitFor();
  assert.ok(page.url().endsWith('/detect'), 'still on Detect, still signed in');
  await context.close();
});

test('two tabs whose token expired together cause one refresh between them', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const first = await context.newPage();
  await createVerifiedUser(stack, first);
  const second = await context.newPage();
  await second.goto(`${stack.baseUrl}/detect`);
  await second.getByRole('heading', { name: 'Detect emotion' }).waitFor();

  await waitUntilExpired(context);
  const refreshes = countRefreshes(context);
  const statsStatuses: number[] = [];
  let turnedAway = 0;
  let bothTurnedAway = () => {};
  const bothExpired = new Promise<void>((done) => {
    bothTurnedAway = done;
  });
  context.on('response', (response) => {
    if (new URL(response.url()).pathname !== '/stats') return;
    statsStatuses.push(response.status());
    if (response.status() === 401 && ++turnedAway === 2) bothTurnedAway();
  });
  // Hold the refresh until both tabs have met the expired token, so they truly expire together.
  await context.route('**/auth/refresh', async (route) => {
    await bothExpired;
    await route.continue();
  });

  // Both tabs open Stats at the same moment: two GET /stats with the expired token.
  await Promise.all([
    first.getByRole('link', { name: 'Stats' }).click(),
    second.getByRole('link', { name: 'Stats' }).click(),
  ]);
  await Promise.all([
    first.getByTestId('stats-total').waitFor(),
    second.getByTestId('stats-total').waitFor(),
  ]);
  assert.equal(await textOf(first.getByTestId('stats-total')), '0');
  assert.equal(await textOf(second.getByTestId('stats-total')), '0');
  assert.deepEqual(
    statsStatuses.filter((status) => status === 401).length,
    2,
    'both tabs were turned away with the expired token',
  );
  assert.equal(refreshes.length, 1, 'one refresh for both tabs');
  await context.close();
});

test('when the session cannot be refreshed the page goes to Sign in and back afterwards', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const user = await createVerifiedUser(stack, page);

  // Without its refresh cookie the session is over once the access token expires.
  await context.clearCookies({ name: DEVELOPMENT_COOKIES.refresh });
  await waitUntilExpired(context);
  await page.getByRole('link', { name: 'History' }).click();

  await page.waitForURL(`**/sign-in?next=${encodeURIComponent('/history')}`);
  await page.getByText('Your session has ended. Please sign in again.').waitFor();
  await field(page, 'Email').fill(user.email);
  await field(page, 'Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/history');
  await page.getByText('No detections yet.').waitFor();
  await context.close();
});
