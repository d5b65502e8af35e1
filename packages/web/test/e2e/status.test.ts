import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { createVerifiedUser, field, HAPPY_FACE, launchBrowser, type Stack, startStack } from './harness.js';

let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

/** What the page does when the window regains focus: the status is checked again at once. */
async function refocus(page: Page): Promise<void> {
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
}

/** Does `act` every 500 ms (at most 20 times) until `shown` is visible, then waits for it. */
async function until(page: Page, shown: Locator, act: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 20 && !(await shown.isVisible()); i++) {
    await act();
    await page.waitForTimeout(500);
  }
  await shown.waitFor();
}

/**
 * Refocuses until `shown` is visible: emotion-api reuses its answer about auth-server for 2 s, so
 * a check right after auth-server stops may still hear "ok".
 */
function refocusUntil(page: Page, shown: Locator): Promise<void> {
  return until(page, shown, () => refocus(page));
}

/**
 * Presses the banner's "Check now" until `shown` is visible. The page also retries on its own
 * (2 s, 4 s, …), so the banner and its button may be gone before the press: that is success too.
 */
function checkNowUntil(page: Page, shown: Locator): Promise<void> {
  const checkNow = page.getByRole('button', { name: 'Check now' });
  return until(page, shown, async () => {
    if (await checkNow.isVisible()) await checkNow.click({ timeout: 1_000 }).catch(() => undefined);
  });
}

test('with emotion-api stopped a banner says so and the forms are disabled; they come back with it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/sign-in`);
  const status = page.getByTestId('service-status');
  await status.filter({ hasText: 'Online' }).waitFor();
  assert.ok(await field(page, 'Email').isEnabled());

  await stack.stop('api');
  try {
    await refocus(page);
    const banner = page.getByTestId('service-banner');
    await banner.filter({ hasText: 'The service is unreachable' }).waitFor();
    await status.filter({ hasText: 'Offline' }).waitFor();
    assert.ok(await field(page, 'Email').isDisabled(), 'the email input is disabled');
    assert.ok(await page.getByRole('button', { name: 'Sign in' }).isDisabled(), 'Sign in is disabled');
  } finally {
    await stack.restart('api');
  }
  await checkNowUntil(page, status.filter({ hasText: 'Online' }));
  await page.getByTestId('service-banner').waitFor({ state: 'detached' });
  assert.ok(await field(page, 'Email').isEnabled(), 'the form works again');
  await context.close();
});

test('with auth-server stopped a signed-in user still detects and browses history, and sign-in says it is unavailable', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await createVerifiedUser(stack, page);
  await page.getByTestId('service-status').filter({ hasText: 'Online' }).waitFor();
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${stack.baseUrl}/sign-in`);
  await visitor.getByTestId('service-status').filter({ hasText: 'Online' }).waitFor();

  await stack.stop('auth');
  try {
    const banner = page.getByTestId('service-banner');
    await refocusUntil(page, banner.filter({ hasText: 'Sign-in and sign-up are unavailable' }));
    assert.match((await banner.textContent()) ?? '', /you can still detect emotions and browse your history/);
    await page.getByTestId('service-status').filter({ hasText: 'Sign-in down' }).waitFor();

    // Detection and history keep working: emotion-api verifies the session itself.
    await page.locator('input[type=file]').setInputFiles(HAPPY_FACE);
    await page.getByRole('button', { name: 'Detect emotion' }).click();
    await page.getByTestId('face-box').first().waitFor();
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByTestId('history-item').first().waitFor();
    assert.equal(await page.getByTestId('history-item').count(), 1);

    // A signed-out visitor is told before trying: the sign-in form is disabled.
    await refocusUntil(
      visitor,
      visitor.getByTestId('service-banner').filter({ hasText: 'Sign-in and sign-up are unavailable' }),
    );
    assert.ok(await field(visitor, 'Email').isDisabled());
    assert.ok(await visitor.getByRole('button', { name: 'Sign in' }).isDisabled());
  } finally {
    await stack.restart('auth');
  }
  await refocusUntil(visitor, visitor.getByTestId('service-status').filter({ hasText: 'Online' }));
  assert.ok(await field(visitor, 'Email').isEnabled());
  await visitor.context().close();
  await context.close();
});
